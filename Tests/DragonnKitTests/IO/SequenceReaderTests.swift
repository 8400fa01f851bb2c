import DragonnKit
import Foundation
import XCTest

final class SequenceReaderTests: XCTestCase {
    func testBaseCodesTable() {
        XCTAssertEqual(baseCodes("ACGTacgtNnRY-."), [0, 1, 2, 3, 0, 1, 2, 3, 4, 4, 4, 4, 4, 4])
        XCTAssertEqual(reverseComplementCodes(baseCodes("AACGTN")), baseCodes("NACGTT"))
        var out = [UInt8](repeating: 9, count: 12)
        baseCodes("ACN").withUnsafeBufferPointer { oneHot($0, layout: .ncl, into: &out) }
        XCTAssertEqual(out, [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        baseCodes("ACN").withUnsafeBufferPointer { oneHot($0, layout: .nlc, into: &out) }
        XCTAssertEqual(out, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0])
    }

    func testMultiLineFastaWithCRLFAndBlankLines() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = IOFixture.write(">s1 labels=1,0 extra=x\r\nACGT\r\nacgn\r\n\r\n>s2\nTTTT\nGG\n>s3\tdesc two\nA", "a.fa", in: dir)
        // Tiny block size forces lines to straddle buffer refills.
        let records = try SequenceReader(path: path, blockSize: 5).readAll()
        XCTAssertEqual(records.map(\.name), ["s1", "s2", "s3"])
        XCTAssertEqual(records.map(\.comment), ["labels=1,0 extra=x", "", "desc two"])
        XCTAssertEqual(records.map { String(decoding: $0.sequence, as: UTF8.self) }, ["ACGTacgn", "TTTTGG", "A"])
        XCTAssertEqual(records.map(\.line), [1, 5, 8])
        XCTAssertNil(records[0].quality)
    }

    func testFastqAndGzip() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = IOFixture.write("@r1 c\nACGTN\n+\nIIIII\n@r2\nGG\n+r2\n@I\n", "a.fq", in: dir)
        IOFixture.run("/bin/gzip", ["-k", path])
        for p in [path, path + ".gz"] {
            let records = try SequenceReader(path: p).readAll()
            XCTAssertEqual(records.map(\.name), ["r1", "r2"])
            XCTAssertEqual(records[0].sequence, Array("ACGTN".utf8))
            XCTAssertEqual(records[1].quality, Array("@I".utf8))
        }
    }

    func testErrors() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = IOFixture.write(">a\nAC\n>b\n>c\nGG\n", "e.fa", in: dir)
        XCTAssertThrowsMessage(try SequenceReader(path: empty).readAll(), "e.fa: line 3", "'b' has no sequence")
        let fq = IOFixture.write("@a\nACGT\n+\nII\n", "bad.fq", in: dir)
        XCTAssertThrowsMessage(try SequenceReader(path: fq).readAll(), "bad.fq", "malformed FASTQ", "2 quality values for 4 bases")
        let junk = IOFixture.write("hello\n", "j.fa", in: dir)
        XCTAssertThrowsMessage(try SequenceReader(path: junk).readAll(), "j.fa: line 1", "not FASTA or FASTQ")
        XCTAssertThrowsMessage(try SequenceReader(path: dir.appendingPathComponent("missing.fa").path), "missing.fa")
        // No line ends at all (/dev/zero after a header): a bounded buffer and a message, not all of memory.
        let fifo = dir.appendingPathComponent("zero.fa").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "(printf '>a\\n'; head -c \(LineScanner.maxLineLength + (1 << 20)) /dev/zero) > '\(fifo)' 2>/dev/null"]
        try writer.run()
        XCTAssertThrowsMessage(try SequenceReader(path: fifo).readAll(), "zero.fa: line 2", "line longer than 268435456 bytes")
        writer.terminate()
        writer.waitUntilExit()
        // Truncated gzip: cut a compressed file in the middle.
        var big = ""
        for i in 0..<2000 { big += ">s\(i)\n" + String(repeating: "ACGTTGCAAC", count: 20) + "\n" }
        let bigPath = IOFixture.write(big, "big.fa", in: dir)
        IOFixture.run("/bin/gzip", [bigPath])
        let data = try Data(contentsOf: URL(fileURLWithPath: bigPath + ".gz"))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: bigPath + ".cut.gz"))
        XCTAssertThrowsMessage(try SequenceReader(path: bigPath + ".cut.gz").readAll(), "big.fa.cut.gz: line ", "truncated gzip")
    }

    func testCompressedEdgeCases() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = IOFixture.write(">a\nACGT \n", "a.fa", in: dir)
        let b = IOFixture.write(">b\nGGCC\n", "b.fa", in: dir)
        IOFixture.run("/bin/gzip", ["-k", a, b])
        // Concatenated gzip members read as one stream; trailing blanks are dropped.
        let both = try Data(contentsOf: URL(fileURLWithPath: a + ".gz")) + Data(contentsOf: URL(fileURLWithPath: b + ".gz"))
        try both.write(to: dir.appendingPathComponent("ab.fa.gz"))
        let records = try SequenceReader(path: dir.appendingPathComponent("ab.fa.gz").path).readAll()
        XCTAssertEqual(records.map(\.name), ["a", "b"])
        XCTAssertEqual(records[0].sequence, Array("ACGT".utf8))
        // BGZF cut exactly before its end-of-file block.
        IOFixture.run("/bin/sh", ["-c", "bgzip -c '\(a)' > '\(a).bgz'"])
        let bgzf = try Data(contentsOf: URL(fileURLWithPath: a + ".bgz"))
        XCTAssertEqual(Array(bgzf.prefix(4)), [0x1F, 0x8B, 8, 4])
        try bgzf.dropLast(28).write(to: dir.appendingPathComponent("cut.fa.gz"))
        XCTAssertThrowsMessage(try SequenceReader(path: dir.appendingPathComponent("cut.fa.gz").path).readAll(), "cut.fa.gz", "truncated BGZF")
        // Corrupt gzip: a flipped byte inside the data.
        var bad = try Data(contentsOf: URL(fileURLWithPath: b + ".gz"))
        bad[bad.count - 6] ^= 0xFF
        try bad.write(to: dir.appendingPathComponent("bad.fa.gz"))
        XCTAssertThrowsMessage(try SequenceReader(path: dir.appendingPathComponent("bad.fa.gz").path).readAll(), "bad.fa.gz", "corrupt gzip")
    }
}
