import CHTSlib
@testable import DragonnKit
import Foundation
import XCTest

/// Whole chromosomes read block by block from a BGZF genome (`Genome.chromosomeBuffer`) against
/// htslib's faidx fetch of the same sequence.
final class GenomeBlockReadTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = IOFixture.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Sequences of several line widths (one of them long enough to be read on two threads, one
    /// shorter than a line, one ending on a full line) with soft-masked bases and N runs, bgzipped
    /// by htslib and indexed; plus the same genome with a damaged block, which must fall back to
    /// htslib's reading and fail with the one-line error it always gave.
    func testChromosomesMatchFaidxAndDamageFallsBack() throws {
        var rng = RandomSource(seed: 31)
        let letters = Array("ACGTacgtNNRY".utf8)
        let layout: [(name: String, length: Int, width: Int)] = [("chrA", 5_300_017, 60), ("chrB", 5, 80), ("chrC", 700, 70), ("chrD", 123_457, 1000)]
        var text = [UInt8]()
        for (name, length, width) in layout {
            text += Array(">\(name) description\n".utf8)
            for i in 0..<length {
                text.append(letters[rng.int(below: i % 5000 < 4000 ? 4 : letters.count)])
                if (i + 1) % width == 0 || i == length - 1 { text.append(10) }
            }
        }
        let genome = path("g.fa.gz")
        let fp = try XCTUnwrap(bgzf_open(genome, "w1"))
        XCTAssertEqual(text.withUnsafeBytes { bgzf_write(fp, $0.baseAddress, $0.count) }, text.count)
        XCTAssertEqual(bgzf_close(fp), 0)
        XCTAssertEqual(fai_build(genome), 0)

        let g = try Genome(path: genome)
        for (name, length, _) in layout {
            let buffer = try g.chromosomeBuffer(name)
            XCTAssertEqual(buffer.count, length, name)
            var expected = [UInt8]()
            try g.fetch(GenomicRegion(chrom: name, start: 0, end: length)) { expected = Array($0) }
            XCTAssertTrue(Array(buffer.buffer) == expected, "\(name): block read differs from faidx")
        }

        // One flipped byte inside the deflate data of a block of chrA: its CRC no longer holds.
        var damaged = try Data(contentsOf: URL(fileURLWithPath: genome))
        damaged[300_000] ^= 0x55
        let bad = path("bad.fa.gz")
        try damaged.write(to: URL(fileURLWithPath: bad))
        for suffix in [".fai", ".gzi"] { try FileManager.default.copyItem(atPath: genome + suffix, toPath: bad + suffix) }
        let b = try Genome(path: bad)
        XCTAssertThrowsMessage(try b.chromosomeBuffer("chrA"), "bad.fa.gz", "chrA")
        XCTAssertEqual(try b.chromosomeBuffer("chrD").count, 123_457, "an intact chromosome still reads")
    }
}
