import DragonnKit
import XCTest

final class MotifReaderTests: XCTestCase {
    static let motifsDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/motifs")

    func path(_ name: String) -> String { Self.motifsDir.appendingPathComponent(name).path }

    /// The two test motifs every format file holds, as raw probabilities [position][A C G T].
    let gata: [Double] = [0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0.9, 0, 0.1, 0]
    let ebox: [Double] = [0, 1, 0, 0, 0.5, 0.2, 0.2, 0.1, 0.25, 0.25, 0.25, 0.25]

    func smoothed(_ raw: [Double]) -> [Double] { raw.map { $0 * 0.999 + 0.001 / 4 } }

    func assertMatches(_ m: PWM, _ raw: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(m.probabilities.count, raw.count, file: file, line: line)
        for (a, b) in zip(m.probabilities, smoothed(raw)) { XCTAssertEqual(a, b, accuracy: 1e-9, file: file, line: line) }
    }

    func checkTwo(_ file: String, format: MotifFormat, names: (String, String), alternate: String? = nil) throws {
        XCTAssertEqual(try MotifReader.detectFormat(path: path(file)), format, file)
        let motifs = try MotifReader.read(path: path(file))
        XCTAssertEqual(motifs.map(\.name), [names.0, names.1])
        assertMatches(motifs[0], gata)
        assertMatches(motifs[1], ebox)
        XCTAssertEqual(motifs[0].consensus, "GATA")
        XCTAssertEqual(motifs[1].consensus, "CAA")
        if let alternate { XCTAssertEqual(motifs[0].alternateName, alternate) }
    }

    func testEncodeFormat() throws { try checkTwo("two.encode.txt", format: .encode, names: ("GATA_test1", "EBOX_test2")) }
    func testHomerFormatGzipped() throws { try checkTwo("two.homer.motif.gz", format: .homer, names: ("GATA_homer", "EBOX_homer")) }
    func testMemeFormat() throws { try checkTwo("two.meme", format: .meme, names: ("GATA_meme", "EBOX_meme"), alternate: "GATA1") }
    func testJasparFormat() throws { try checkTwo("two.jaspar", format: .jaspar, names: ("GATA_jaspar", "EBOX_jaspar"), alternate: "MA9001.1") }

    func testRawJasparWithoutLabels() throws {
        let text = ">MA0001.1 TEST\n1 0 3\n0 2 0\n1 0 0\n0 0 1\n"
        let m = try MotifReader.parse(text: text)
        XCTAssertEqual(m.count, 1)
        XCTAssertEqual(m[0].name, "TEST")
        assertMatches(m[0], [0.5, 0, 0.5, 0, 0, 1, 0, 0, 0.75, 0, 0, 0.25])
    }

    func testRowsAreNormalisedAndPseudocounted() throws {
        let m = try PWM(name: "x", weights: [2, 2, 0, 0, 0, 0, 0, 8])
        XCTAssertEqual(m.probability(at: 0, base: 0), 0.5 * 0.999 + 0.00025, accuracy: 1e-12)
        XCTAssertEqual(m.probability(at: 0, base: 2), 0.00025, accuracy: 1e-12)
        XCTAssertEqual(m.probability(at: 1, base: 3), 0.999 + 0.00025, accuracy: 1e-12)
        for p in 0..<m.length {
            XCTAssertEqual((0..<4).map { m.probability(at: p, base: $0) }.reduce(0, +), 1, accuracy: 1e-12)
        }
        let rc = m.reverseComplement
        XCTAssertEqual(rc.probability(at: 0, base: 0), m.probability(at: 1, base: 3))
        XCTAssertEqual(rc.probability(at: 1, base: 3), m.probability(at: 0, base: 0))
        XCTAssertEqual(rc.probability(at: 1, base: 2), m.probability(at: 0, base: 1))
    }

    func testBundledCollection() throws {
        let c = try MotifCollection.bundled()
        XCTAssertEqual(c.count, 2067)
        let tal1 = try c.motif(named: "TAL1_known4")
        XCTAssertEqual(tal1.length, 10)
        // First row of the file: "G 0.008511 0.004255 0.987234 0.000000".
        let six5 = try c.motif(named: "SIX5_disc1")
        XCTAssertEqual(six5.probability(at: 0, base: 2), 0.987234 * 0.999 + 0.00025, accuracy: 1e-9)
        XCTAssertEqual(six5.probability(at: 0, base: 3), 0.00025, accuracy: 1e-9)
        XCTAssertEqual(c.motifs.first?.name, "SIX5_disc1")
    }

    /// ENCODE rows are read from their bytes (strtod) on the usual path: the weights equal
    /// `Double(_:)`'s on every spelling of a decimal, and odd rows still get the general path.
    func testEncodeRowsReadLikeDoubleInit() throws {
        let rows = [["0.008511", "0.004255", "0.987234", "0.000000"], ["1e-3", ".5", "5.", "0.12345678901234567891"],
                    ["1E+2", "3.0e-0", "00.25", "7"], ["-0", "0.1", "0.2", "0.3"]]
        var text = "# comment\n>m1 extra\n"
        for (i, r) in rows.enumerated() { text += (i % 2 == 0 ? "A " : "C\t") + r.joined(separator: i == 2 ? "\t " : " ") + "  \n" }
        let m = try MotifReader.parse(text: text)
        let expected = try PWM(name: "m1", weights: rows.flatMap { $0.map { Double($0)! } })
        XCTAssertEqual(m, [expected])
        XCTAssertThrowsError(try MotifReader.parse(text: ">m\nA 0.1 nan 0.2 0.3\n"))
        XCTAssertThrowsError(try MotifReader.parse(text: ">m\nA 0.1 -0.5 0.2 0.3\n"))
        XCTAssertThrowsError(try MotifReader.parse(text: ">m\nA 0.1 0.2 0.3\n"))
    }

    func testUnknownMotifNamesClosest() throws {
        let c = try MotifCollection.bundled()
        XCTAssertThrowsError(try c.motif(named: "TAL1_knwn4")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("unknown motif 'TAL1_knwn4'"), text)
            XCTAssertTrue(text.contains("TAL1_known4"), text)
        }
    }

    func testAddingFilesReplacesSameNames() throws {
        var c = try MotifCollection.bundled()
        let before = c.count
        c.add(try MotifReader.read(path: path("two.jaspar")))
        XCTAssertEqual(c.count, before + 2)
        XCTAssertEqual(c["MA9002.1"]?.name, "EBOX_jaspar")
        let replacement = try PWM(name: "TAL1_known4", weights: [1, 0, 0, 0])
        c.add([replacement])
        XCTAssertEqual(c.count, before + 2)
        XCTAssertEqual(c["TAL1_known4"]?.length, 1)
    }

    func testMatchingPatterns() throws {
        let c = try MotifCollection.bundled()
        XCTAssertEqual(c.matching("tal1_known").map(\.name).sorted(),
                       ["TAL1_known1", "TAL1_known2", "TAL1_known3", "TAL1_known4", "TAL1_known5"])
        XCTAssertEqual(c.matching("TAL1_known?").count, 5)
        XCTAssertEqual(c.matching(nil).count, c.count)
        XCTAssertThrowsError(try MotifListing.lines(c, pattern: "NO_SUCH_MOTIF_XYZ"))
        XCTAssertEqual(try MotifListing.lines(c, pattern: "TAL1_known4"), ["TAL1_known4\t10\t\(c["TAL1_known4"]!.consensus)"])
    }

    func testBadFileNamesFileAndLine() throws {
        XCTAssertThrowsError(try MotifReader.read(path: path("bad.encode.txt"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("bad.encode.txt: line 5:"), text)
            XCTAssertTrue(text.contains("zero"), text)
        }
        XCTAssertThrowsError(try MotifReader.read(path: path("does-not-exist.motif"))) { error in
            XCTAssertTrue("\(error)".contains("does-not-exist.motif: cannot open"), "\(error)")
        }
        XCTAssertThrowsError(try MotifReader.parse(text: "hello\nworld\n", path: "x.txt")) { error in
            XCTAssertTrue("\(error)".contains("x.txt: line 1: not a motif file"), "\(error)")
        }
        let meme = "MEME version 4\n\nMOTIF a\nletter-probability matrix: alength= 4 w= 3\n0.1 0.2 0.3 0.4\n0.1 0.2 0.3 0.4\n"
        XCTAssertThrowsError(try MotifReader.parse(text: meme, path: "m.meme")) { error in
            XCTAssertTrue("\(error)".contains("m.meme: line 4: matrix declares w= 3 but has 2 rows"), "\(error)")
        }
        let jaspar = ">MA1 X\nA [1 2]\nC [1 2 3]\nG [1 2]\nT [1 2]\n"
        XCTAssertThrowsError(try MotifReader.parse(text: jaspar, path: "j.jaspar")) { error in
            XCTAssertTrue("\(error)".contains("j.jaspar: line 1: JASPAR rows have different lengths"), "\(error)")
        }
        let homer = ">GATA\tg\t5.0\n0 0 0 0\n"
        XCTAssertThrowsError(try MotifReader.parse(text: homer, path: "h.motif")) { error in
            XCTAssertTrue("\(error)".contains("h.motif: line 1:") && "\(error)".contains("all-zero"), "\(error)")
        }
    }

    func testLogOddsPrefersTheMotifStrand() throws {
        let m = try MotifReader.read(path: path("two.encode.txt"))[0]   // GATA
        let bg = [0.3, 0.2, 0.2, 0.3]
        let forward = m.logOdds(codes: [2, 0, 3, 0], background: bg)           // GATA
        let reverse = m.logOdds(codes: [3, 0, 3, 1], background: bg)           // TATC
        XCTAssertGreaterThan(forward, 5)
        XCTAssertLessThan(reverse, 0)
        XCTAssertEqual(m.reverseComplement.logOdds(codes: [3, 0, 3, 1], background: bg), forward, accuracy: 1e-12)
    }
}
