import DragonnKit
import Foundation
import XCTest

final class SequenceSetTests: XCTestCase {
    func testFastaWithLabelTagsAndBatches() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = IOFixture.write(">a labels=1,0\nACGT\n>b labels=0,1 x=y\nNNCC\n>chr1:10-14 labels=1,1\nggta\n", "l.fa", in: dir)
        let set = try SequenceSet.load(fasta: path)
        XCTAssertEqual(set.names, ["a", "b", "chr1:10-14"])
        XCTAssertEqual(set.length, 4)
        XCTAssertEqual(set.codes, baseCodes("ACGTNNCCGGTA"))
        XCTAssertEqual(set.labels, [1, 0, 0, 1, 1, 1])
        XCTAssertEqual(set.taskNames, ["task0", "task1"])
        XCTAssertEqual(set.regions, [nil, nil, GenomicRegion(chrom: "chr1", start: 10, end: 14)])

        let reader = try SequenceBatchReader(fasta: path)
        XCTAssertEqual(try reader.next(maxCount: 2)?.names, ["a", "b"])
        XCTAssertEqual(try reader.next(maxCount: 2)?.names, ["chr1:10-14"])
        XCTAssertNil(try reader.next(maxCount: 2))

        let rc = set.appendingReverseComplements()
        XCTAssertEqual(rc.names.suffix(3), ["a_rc", "b_rc", "chr1:10-14_rc"])
        XCTAssertEqual(Array(rc.codes(at: 3)), baseCodes("ACGT"))
        XCTAssertEqual(Array(rc.codes(at: 4)), baseCodes("GGNN"))
        XCTAssertEqual(rc.labels?.count, 12)
    }

    func testLabelsFromTSVAndMissingLabels() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fa = IOFixture.write(">a\nAC\n>b\nGT\n", "x.fa", in: dir)
        let tsv = IOFixture.write("id\tT1\nb\t1\na\t0\n", "x.tsv", in: dir)
        let set = try SequenceSet.load(fasta: fa, labelsPath: tsv)
        XCTAssertEqual(set.labels, [0, 1])
        XCTAssertEqual(set.taskNames, ["T1"])
        let partial = IOFixture.write("id\tT1\na\t0\n", "p.tsv", in: dir)
        XCTAssertThrowsMessage(try SequenceSet.load(fasta: fa, labelsPath: partial), "p.tsv", "no labels for sequence 'b'")
        let mixed = IOFixture.write(">a labels=1\nAC\n>b\nGT\n", "m.fa", in: dir)
        XCTAssertThrowsMessage(try SequenceSet.load(fasta: mixed), "m.fa: line 3", "no labels= tag")
    }

    func testLengthsTrimAndPad() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fa = IOFixture.write(">a\nAACCGGTT\n>b\nACG\n>c\nTTTTT\n", "v.fa", in: dir)
        XCTAssertThrowsMessage(try SequenceSet.load(fasta: fa), "v.fa: line 3", "'b' has 3 bases, the first has 8")
        XCTAssertThrowsMessage(try SequenceSet.load(fasta: fa, fixedLength: FixedLength(length: 4)), "'b' has 3 bases")
        let center = try SequenceSet.load(fasta: fa, fixedLength: FixedLength(length: 5, trim: .center, pad: true))
        XCTAssertEqual(center.codes, baseCodes("ACCGG") + baseCodes("NACGN") + baseCodes("TTTTT"))
        let left = try SequenceSet.load(fasta: fa, fixedLength: FixedLength(length: 5, trim: .left, pad: true))
        XCTAssertEqual(left.codes, baseCodes("AACCG") + baseCodes("ACGNN") + baseCodes("TTTTT"))
    }

    func testNpyRoundTripBothLayoutsAndDtypes() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let seqs = ["ACGTN", "ttaca", "GNNNC"]
        let codes = seqs.flatMap(baseCodes)
        for layout in OneHotLayout.allCases {
            for dtype in [NpyDType.uint8, .float32] {
                let path = dir.appendingPathComponent("x-\(layout)-\(dtype).npy").path
                let shape = layout == .ncl ? [4, 5] : [5, 4]
                let outputs = try OutputTransaction()
                let writer = try outputs.openNpy(path, dtype: dtype, rowShape: shape, bufferSize: 64)
                for s in 0..<3 {
                    let row = Array(codes[(s * 5)..<(s * 5 + 5)])
                    if dtype == .uint8 {
                        var out = [UInt8](repeating: 0, count: 20)
                        row.withUnsafeBufferPointer { oneHot($0, layout: layout, into: &out) }
                        try out.withUnsafeBytes { try writer.append($0) }
                    } else {
                        var out = [Float](repeating: 0, count: 20)
                        row.withUnsafeBufferPointer { oneHot($0, layout: layout, into: &out) }
                        try out.withUnsafeBytes { try writer.append($0) }
                    }
                    writer.addRows(1)
                }
                try outputs.commit()
                let header = try NpyReader(path: path).header
                XCTAssertEqual(header.shape, [3] + shape)
                XCTAssertEqual(header.dtype, dtype)
                let back = try SequenceSet.load(npy: path)
                XCTAssertEqual(back.codes, codes, "\(layout) \(dtype)")
                XCTAssertEqual(back.names, ["seq0", "seq1", "seq2"])
            }
        }
        // Not one-hot: two ones in a column.
        let bad = dir.appendingPathComponent("bad.npy").path
        let outputs = try OutputTransaction()
        let w = try outputs.openNpy(bad, dtype: .uint8, rowShape: [4, 2])
        try [UInt8]([1, 0, 1, 0, 0, 0, 0, 0]).withUnsafeBytes { try w.append($0) }
        w.addRows(1)
        try outputs.commit()
        XCTAssertThrowsMessage(try SequenceSet.load(npy: bad), "bad.npy", "position 0 is not one-hot")
    }

    func testNpyWithLabelsAndNamesAndWholeArrayWriter() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let set = SequenceSet(names: ["chr1:0-3", "b"], length: 3, codes: baseCodes("ACGTTN"),
                              labels: [1, 0], taskNames: ["t"])
        let x = dir.appendingPathComponent("x.npy").path, y = dir.appendingPathComponent("y.npy").path
        var outputs = try OutputTransaction()
        try writeNpy(path: x, shape: [2, 3, 4], float32: set.oneHotFloat(layout: .nlc), in: outputs)
        try writeNpy(path: y, shape: [2], uint8: [1, 0], in: outputs)
        try outputs.commit()
        let names = IOFixture.write("chr1:0-3\nb\n", "names.txt", in: dir)
        let back = try SequenceSet.load(npy: x, labelsPath: y, namesPath: names)
        XCTAssertEqual(back.codes, set.codes)
        XCTAssertEqual(back.labels, [1, 0])
        XCTAssertEqual(back.names, ["chr1:0-3", "b"])
        XCTAssertEqual(back.regions, [GenomicRegion(chrom: "chr1", start: 0, end: 3), nil])
        outputs = try OutputTransaction()
        try writeNpy(path: y, shape: [3], uint8: [1, 0, 1], in: outputs)
        try outputs.commit()
        XCTAssertThrowsMessage(try SequenceSet.load(npy: x, labelsPath: y), "y.npy", "N = 2")
    }

    func testRegionsWithLabelsTableByNameColumn() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: IOFixture.encodeData.appendingPathComponent("mini.fa"),
                                         to: dir.appendingPathComponent("mini.fa"))
        let bed = IOFixture.write("chr1\t0\t20\tpeakA\nchr2\t5\t25\tpeakB\n", "r.bed", in: dir)
        let tsv = IOFixture.write("name\tbound\npeakB\t0\nchr1:0-20\t1\n", "l.tsv", in: dir)
        let set = try SequenceSet.load(regions: bed, genome: dir.appendingPathComponent("mini.fa").path, labelsPath: tsv)
        XCTAssertEqual(set.labels, [1, 0])
        XCTAssertEqual(set.taskNames, ["bound"])
    }
}

/// `.npy` headers declare sizes; they are checked (overflow-checked) against the real file.
final class NpyHeaderTests: XCTestCase {
    private func npy(_ dict: String, data: Int, version: UInt8 = 1) -> [UInt8] {
        var d = Array(dict.utf8)
        while (10 + d.count + 1) % 64 != 0 { d.append(0x20) }
        d.append(0x0A)
        return [0x93] + Array("NUMPY".utf8) + [version, 0, UInt8(d.count & 0xFF), UInt8(d.count >> 8)] + d
            + [UInt8](repeating: 0, count: data)
    }

    func testMalformedHeadersAreErrorsNotTraps() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [([UInt8], String)] = [
            (Array("not numpy at all".utf8), "bad magic"),
            ([0x93] + Array("NUMPY".utf8) + [1], "truncated .npy header"),
            ([0x93] + Array("NUMPY".utf8) + [1, 0, 0xFF, 0xFF], "truncated .npy header: it declares"),
            ([0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0x7F], "truncated .npy header: it declares"),
            ([0x93] + Array("NUMPY".utf8) + [9, 0, 0, 0], "format version 9"),
            (npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 4611686018427387904), }", data: 16), "too large"),
            (npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", data: 16), "too large"),
            (npy("{'descr': '|u1', 'fortran_order': False, 'shape': (0, 4, 4611686018427387904), }", data: 0), "too large"),
            (npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3, 4, 10), }", data: 100), "truncated .npy data: the header declares 120 bytes"),
            (npy("{'descr': '|u1', 'fortran_order': False, 'shape': (-3, 4), }", data: 100), "malformed .npy shape"),
            (npy("{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", data: 24), "not supported"),
            (npy("{'fortran_order': False, 'shape': (3,), }", data: 3), "no descr"),
        ]
        for (i, (bytes, message)) in cases.enumerated() {
            let path = dir.appendingPathComponent("bad\(i).npy").path
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            XCTAssertThrowsMessage(try NpyReader(path: path), path, message)
        }
        let good = dir.appendingPathComponent("good.npy").path
        FileManager.default.createFile(atPath: good, contents: Data(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 3), }", data: 6)))
        let reader = try NpyReader(path: good)
        XCTAssertEqual(reader.header.shape, [2, 3])
        XCTAssertEqual(try reader.readAllFloat(), [0, 0, 0, 0, 0, 0])
    }
}
