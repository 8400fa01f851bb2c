import Foundation
import XCTest

/// dragonn-attrib as users run it: outputs, coordinates, errors.
final class AttribEndToEndTests: XCTestCase {
    /// The reference fixture: a 2-task model on 60 bp and six sequences (one with an N run).
    static var fixture: URL? { Shell.fixture }

    private var dir: URL!
    private var model = "", inputs = ""

    override func setUpWithError() throws {
        let fixture = try XCTUnwrap(Self.fixture, "fixture model not found")
        dir = Shell.scratch()
        model = fixture.appendingPathComponent("model.safetensors").path
        inputs = fixture.appendingPathComponent("inputs.fa").path
    }

    override func tearDown() {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    private func bedGraphRows(_ text: String) -> [(String, Int, Int, Double)] {
        text.split(separator: "\n").filter { !$0.hasPrefix("track") }.map { line in
            let f = line.split(separator: "\t")
            return (String(f[0]), Int(f[1])!, Int(f[2])!, Double(f[3])!)
        }
    }

    func testBedGraphIsSortedNonOverlappingAndCoversEveryBase() {
        let r = Shell.run("dragonn-attrib deeplift -m \(model) \(inputs) --task task0 --reference shuffle:5", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("s0\t0\t"), "no track line unless asked for")
        let t = Shell.run("dragonn-attrib deeplift -m \(model) \(inputs) --task task0 --reference shuffle:5 --track-line 2>/dev/null", in: dir)
        XCTAssertTrue(t.stdout.hasPrefix("track type=bedGraph name=\"deeplift task0\""), t.stdout)
        XCTAssertEqual(t.stdout.split(separator: "\n").dropFirst().joined(separator: "\n") + "\n", r.stdout)
        // Two tasks on stdout: refused (one track per stream; -o gives one file per task).
        let two = Shell.run("dragonn-attrib grad -m \(model) \(inputs)", in: dir)
        XCTAssertEqual(two.status, 1)
        XCTAssertTrue(two.stderr.contains("give --task NAME"), two.stderr)
        XCTAssertTrue(r.stderr.contains("4 N"), r.stderr)   // s1 has one N, s2 three: said once
        XCTAssertEqual(r.stderr.components(separatedBy: "note:").count, 2)
        let rows = bedGraphRows(r.stdout)
        var covered: [String: Int] = [:]
        var previous: (String, Int) = ("", -1)
        for (chrom, start, end, _) in rows {
            XCTAssertLessThan(start, end)
            if chrom == previous.0 { XCTAssertGreaterThanOrEqual(start, previous.1, "overlap or unsorted at \(chrom):\(start)") }
            else { XCTAssertGreaterThan(chrom, previous.0, "chromosomes out of order") }
            previous = (chrom, end)
            covered[chrom, default: 0] += end - start
        }
        XCTAssertEqual(covered, ["s0": 60, "s1": 60, "s2": 60, "s3": 60, "s4": 60, "s5": 60])
        // N positions are zero: s2 has N at 20..22.
        XCTAssertTrue(rows.contains { $0.0 == "s2" && $0.1 <= 20 && $0.2 >= 23 && $0.3 == 0 })
    }

    func testGenomicNamesGiveGenomicCoordinatesAndGzipIsTabixIndexed() throws {
        // Rename the sequences chr:start-end (0-based half-open, 60 bp).
        let fasta = try String(contentsOfFile: inputs, encoding: .utf8).split(separator: "\n").enumerated().map { i, line in
            line.hasPrefix(">") ? ">chr\(i % 4 == 0 ? 1 : 2):\(1000 + i * 100)-\(1060 + i * 100)" : String(line)
        }.joined(separator: "\n") + "\n"
        try fasta.write(to: dir.appendingPathComponent("g.fa"), atomically: true, encoding: .utf8)
        let r = Shell.run("dragonn-attrib ism -m \(model) g.fa --task 1 -o out.bedGraph.gz && tabix out.bedGraph.gz chr2:1221-1222", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out.bedGraph.gz.tbi").path))
        let rows = bedGraphRows(r.stdout)
        XCTAssertEqual(rows.map { $0.0 }, ["chr2", "chr2"])
        XCTAssertEqual(rows.map { $0.1 }, [1220, 1221])
    }

    func testRegionsOfAGenomeGiveGenomicCoordinates() throws {
        var state: UInt64 = 12345
        func base() -> Character {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Array("ACGT")[Int(state >> 62)]
        }
        let genome = ">chrB\n" + String((0..<300).map { _ in base() }) + "\n>chrA\n" + String((0..<200).map { _ in base() }) + "\n"
        try genome.write(to: dir.appendingPathComponent("genome.fa"), atomically: true, encoding: .utf8)
        // 60 bp regions (the model's length), out of order.
        try "chrB\t100\t160\tr1\nchrA\t10\t70\tr2\n".write(to: dir.appendingPathComponent("regions.bed"), atomically: true, encoding: .utf8)
        let r = Shell.run("dragonn-attrib grad -m \(model) --regions regions.bed --genome genome.fa --task 0", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = bedGraphRows(r.stdout)
        // The genome's chromosome order (its .fai): chrB, then chrA.
        XCTAssertEqual(rows.first?.0, "chrB")
        XCTAssertEqual(rows.first?.1, 100)
        XCTAssertEqual(rows.filter { $0.0 == "chrB" }.last?.2, 160)
        XCTAssertEqual(rows.filter { $0.0 == "chrA" }.first?.1, 10)
        XCTAssertEqual(rows.last?.0, "chrA")
        XCTAssertEqual(rows.last?.2, 70)
    }

    func testSeveralTasksWriteOneFilePerTaskAndNpyShapes() throws {
        let r = Shell.run("""
            dragonn-attrib grad -m \(model) \(inputs) -o g.bedGraph --npy m && ls && python3 -c "
            import numpy as np
            o=np.load('m.ohe.npy'); a=np.load('m.task0.attr.npy'); b=np.load('m.task1.attr.npy')
            print(o.shape, a.shape, o.dtype, a.dtype, o[0,:,0].tolist(), float(abs(a[2,:,20:23]).sum()))"
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("g.task0.bedGraph"))
        XCTAssertTrue(r.stdout.contains("g.task1.bedGraph"))
        XCTAssertTrue(r.stdout.contains("(6, 4, 60) (6, 4, 60) float32 float32 [0.0, 0.0, 0.0, 1.0] 0.0"), r.stdout)
    }

    func testTopWindowsPlotsAndTruthScoring() throws {
        try "s3\t10\t20\tMOTIF_A\t0\t+\ns5\t30\t40\tMOTIF_A\t0\t-\ns4\t5\t11\tMOTIF_B\t0\t+\n"
            .write(to: dir.appendingPathComponent("truth.bed"), atomically: true, encoding: .utf8)
        let r = Shell.run("dragonn-attrib ism -m \(model) \(inputs) --task task0 --truth truth.bed --top-windows top.tsv --pos-threshold 0 --plot plots --plot-max 2", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "method\ttask\tmotif\tauPRC\twindows")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("ism\ttask0\tMOTIF_A\t"))
        let top = try String(contentsOf: dir.appendingPathComponent("top.tsv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(top.count, 7)   // header + 6 sequences (threshold 0)
        XCTAssertEqual(top[1].split(separator: "\t").last?.count, 10)
        let plots = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("plots").path).sorted()
        XCTAssertEqual(plots, ["0001_s0.svg", "0002_s1.svg"])
    }

    func testFiltersSheetMemeAndCompare() throws {
        let r = Shell.run("dragonn-attrib filters -m \(model) -o f.svg --meme f.meme --compare TAL1_known4", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "filter\trank\tmotif\tpearson\tstrand\toffset\toverlap\tp_value\te_value")
        XCTAssertEqual(lines.count, 5)   // 4 filters
        let meme = try String(contentsOf: dir.appendingPathComponent("f.meme"), encoding: .utf8)
        XCTAssertEqual(meme.components(separatedBy: "MOTIF filter").count, 5)
        let svg = try String(contentsOf: dir.appendingPathComponent("f.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("filter 3"))
    }

    func testErrorsExitNonZeroWithoutOutputs() throws {
        try ">short\nACGTACGTAC\n".write(to: dir.appendingPathComponent("short.fa"), atomically: true, encoding: .utf8)
        try "nope\t1\t5\tM\t0\t+\n".write(to: dir.appendingPathComponent("bad.bed"), atomically: true, encoding: .utf8)
        let cases: [(String, String)] = [
            ("ism -m \(model) short.fa -o out.bedGraph", "model expects 60 bp"),
            ("deeplift -m \(model) \(inputs) --task nosuch -o out.bedGraph", "unknown task"),
            ("ism -m \(model) \(inputs) --truth bad.bed -o out.bedGraph --npy out", "'nope' is not in the input"),
            ("deeplift -m \(model) \(inputs) --reference shuffle:0 -o out.bedGraph", "--reference"),
            ("grad -m missing.safetensors \(inputs) -o out.bedGraph", "missing.safetensors"),
        ]
        for (args, message) in cases {
            let r = Shell.run("dragonn-attrib \(args)", in: dir)
            XCTAssertNotEqual(r.status, 0, args)
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("out") || $0.hasPrefix(".out") }
            XCTAssertEqual(left, [], args)
        }
    }
}
