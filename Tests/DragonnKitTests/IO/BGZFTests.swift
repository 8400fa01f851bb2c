import CHTSlib
@testable import DragonnKit
import Foundation
import XCTest

/// BGZF done our own way against htslib: the threaded writer against its serial writer (same
/// input, same bytes), and whole chromosomes read block by block (`Genome.chromosomeBuffer`)
/// against its faidx fetch.
final class BGZFTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = IOFixture.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Input with DNA-like runs and incompressible stretches (stored deflate blocks), `count` bytes.
    private func input(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = RandomSource(seed: seed)
        let dna = Array("ACGTNacgt\n>".utf8)
        var out = [UInt8](repeating: 0, count: count)
        var i = 0
        while i < count {
            let run = min(count - i, 1 + rng.int(below: 150_000))
            let random = rng.int(below: 4) == 0
            for k in i..<(i + run) { out[k] = random ? UInt8(truncatingIfNeeded: rng.next()) : dna[rng.int(below: dna.count)] }
            i += run
        }
        return out
    }

    /// Writes `data` in pieces (cut at `cuts`, flushing where `flushes` says) through htslib's
    /// bgzf without threads, and through an `OutputFile` with the pipeline (by turns written and
    /// reserved in place); returns both files.
    private func bothWriters(_ data: [UInt8], level: Int, cuts: [Int], flushes: Set<Int>) throws -> (htslib: Data, pipeline: Data) {
        let reference = path("htslib-\(level).gz"), piped = path("pipeline-\(level).gz")
        let fp = try XCTUnwrap(bgzf_open(reference, "w\(level)"))
        let fd = open(piped, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let file = try OutputFile(path: piped, fd: fd, inPlace: false, bgzf: true, level: level, pipelined: true)
        var from = 0
        try data.withUnsafeBytes { all in
            for (k, to) in (cuts + [data.count]).enumerated() {
                let piece = UnsafeRawBufferPointer(rebasing: all[from..<to])
                if !piece.isEmpty { XCTAssertEqual(bgzf_write(fp, piece.baseAddress, piece.count), piece.count) }
                if k % 2 == 0 && piece.count <= 1 << 20 {   // formatted in place, as FastaWriter does
                    try file.withReservedBytes(piece.count) { dest in
                        if let from = piece.baseAddress { UnsafeMutableRawPointer(dest).copyMemory(from: from, byteCount: piece.count) }
                        return piece.count
                    }
                } else {
                    try file.write(piece)
                }
                if flushes.contains(k) {
                    XCTAssertEqual(bgzf_flush(fp), 0)
                    try file.flush()
                }
                from = to
            }
        }
        XCTAssertEqual(bgzf_close(fp), 0)
        try file.finish()
        return (try Data(contentsOf: URL(fileURLWithPath: reference)), try Data(contentsOf: URL(fileURLWithPath: piped)))
    }

    /// Several batches of blocks, pieces of every size (inside a block, across blocks and
    /// batches, larger than the output buffer), flushes between, at fast and default levels.
    func testSameBytesAsHtslib() throws {
        let data = input(3_500_000, seed: 21)
        var rng = RandomSource(seed: 22)
        var cuts: [Int] = []
        var at = 0
        while true {
            at += [1, 17, 0xff00, 70_000, 600_000, 1_300_000][rng.int(below: 6)]
            if at >= data.count { break }
            cuts.append(at)
        }
        for level in [1, 6, 9] {
            let (reference, piped) = try bothWriters(data, level: level, cuts: cuts, flushes: [2, 5])
            XCTAssertGreaterThan(reference.count, 28)
            XCTAssertTrue(reference == piped, "level \(level): \(reference.count) vs \(piped.count) bytes")
        }
    }

    /// An empty stream is the end-of-file block alone; one byte is a block before it.
    func testEmptyAndTinyStreams() throws {
        for data in [[UInt8](), [UInt8(65)]] {
            let (reference, piped) = try bothWriters(data, level: 1, cuts: [], flushes: [])
            XCTAssertEqual(reference, piped, "\(data.count) bytes")
            XCTAssertEqual(piped.count == 28, data.isEmpty, "\(piped.count) bytes")
            XCTAssertEqual(piped.suffix(28), Data([0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 0xFF, 6, 0, 0x42, 0x43, 2, 0, 0x1B, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        }
    }

    /// A failing write (a full device) is the file's one-line error, at a later write or at finish.
    func testWriteFailureIsReported() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else {
            print("skipped: no /dev/full on this system"); return
        }
        let fd = open("/dev/full", O_WRONLY)
        XCTAssertGreaterThanOrEqual(fd, 0)
        let file = try OutputFile(path: "/dev/full", fd: fd, inPlace: false, bgzf: true, level: 1, pipelined: true)
        let data = input(5_000_000, seed: 23)
        XCTAssertThrowsError(try data.withUnsafeBytes { try file.write($0); try file.finish() }) { error in
            XCTAssertTrue("\(error)".contains("/dev/full") && "\(error)".contains("write failed"), "\(error)")
        }
    }

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

    /// A `.fai` that claims more bases than the genome file holds (another file's index, or a
    /// crafted one) is an error before anything of that size is allocated, plain or BGZF; numbers
    /// that overflow the layout arithmetic are not a crash either.
    func testIndexClaimingMoreThanTheFileIsAnError() throws {
        let text = ">c1\nACGTACGTAC\nGTAC\n>c2\nAAAA\n"
        let plain = path("p.fa"), packed = path("p.fa.gz")
        try text.write(toFile: plain, atomically: true, encoding: .utf8)
        let fp = try XCTUnwrap(bgzf_open(packed, "w1"))
        XCTAssertEqual(bgzf_write(fp, text, text.utf8.count), text.utf8.count)
        XCTAssertEqual(bgzf_close(fp), 0)
        for genome in [plain, packed] {
            XCTAssertEqual(fai_build(genome), 0)
            let g = try Genome(path: genome)
            XCTAssertEqual(try g.chromosome("c1"), Array("ACGTACGTACGTAC".utf8), "intact index")
            // 4 Tbp on a file of 32 bytes: an error naming the genome, before any allocation.
            try "c1\t4000000000000\t4\t10\t11\nc2\t4\t27\t4\t5\n".write(toFile: genome + ".fai", atomically: true, encoding: .utf8)
            let huge = try Genome(path: genome)
            XCTAssertThrowsMessage(try huge.chromosome("c1"), genome, "more than the file holds")
            XCTAssertThrowsMessage(try huge.chromosomeBuffer("c1"), genome, "more than the file holds")
            // Line bytes whose arithmetic overflows: the bulk read steps aside (faidx reads or fails).
            try "c1\t14\t4\t1\t4611686018427387904\nc2\t4\t27\t4\t5\n".write(toFile: genome + ".fai", atomically: true, encoding: .utf8)
            let overflowing = try Genome(path: genome)
            for read in [{ try overflowing.chromosome("c1").count }, { try overflowing.chromosomeBuffer("c1").count }] {
                do { let count = try read(); XCTAssertLessThanOrEqual(count, 14) } catch let e as DragonnError {
                    XCTAssertTrue(e.description.contains(genome), e.description)
                }
            }
        }
    }
}
