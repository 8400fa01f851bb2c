import Foundation
import XCTest

/// Malformed model files, arrays and sequence files fed to the built tools (the release build
/// under `make test`): each must give one line naming the tool and the file, exit non-zero without
/// a crash (status < 128), and leave no output or temporary behind.
final class MalformedInputTests: FixtureTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // A good 60 bp input (the fixture model's length) with labels, as FASTA and as .npy.
        var fasta = ""
        for i in 0..<8 { fasta += ">s\(i) labels=\(i % 2),0\n" + String(repeating: "ACGTTGCA", count: 8).prefix(60) + "\n" }
        write(fasta, "good.fa")
        write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 60), }",
                  data: (0..<2).flatMap { _ in (0..<4).flatMap { c in (0..<60).map { UInt8($0 % 4 == c ? 1 : 0) } } }), "good.npy")
        write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: [UInt8](repeating: 0, count: 8)), "y.npy")
    }

    private func write(_ text: String, _ name: String) { write(Array(text.utf8), name) }
    private func write(_ bytes: [UInt8], _ name: String) {
        FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data(bytes))
    }

    /// `.npy` bytes: magic, version 1, the header dict padded to 64 bytes, then `data`.
    private func npy(_ dict: String, data: [UInt8]) -> [UInt8] {
        var d = Array(dict.utf8)
        while (10 + d.count + 1) % 64 != 0 { d.append(0x20) }
        d.append(0x0A)
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(d.count & 0xFF), UInt8(d.count >> 8)] + d + data
    }

    /// Safetensors bytes: the declared header length (default: the real one), the header, `data`.
    private func safetensors(_ header: String, data: Int = 64, declaredLength: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        let n = declaredLength ?? UInt64(h.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + [UInt8](repeating: 0, count: data)
    }

    /// Runs each command; `file` must be named in the one-line error.
    private func assertCleanFailures(_ cases: [(command: String, file: String)], line: UInt = #line) throws {
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        for (command, file) in cases {
            // Not the last command of the script: bash reports a crash as 128 + signal.
            let r = Shell.run(command + "\nstatus=$?; exit $status", in: dir)
            let tool = String(command.split(separator: " ").first { $0.hasPrefix("dragonn-") } ?? "")
            XCTAssertNotEqual(r.status, 0, command, line: line)
            XCTAssertLessThan(r.status, 128, "crashed: \(command): \(r.stderr)", line: line)
            XCTAssertTrue(r.stderr.hasPrefix(tool + ": "), "\(command): \(r.stderr)", line: line)
            XCTAssertTrue(r.stderr.contains(file), "\(command): \(r.stderr)", line: line)
            XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "one line: \(command): \(r.stderr)", line: line)
            let after = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
            XCTAssertEqual(after.subtracting(before).sorted(), [], "left behind by \(command)", line: line)
        }
    }

    func testMalformedModelFiles() throws {
        let tensor = { (dtype: String, shape: String, offsets: String) in
            "{\"__metadata__\":{\"format\":\"dragonn.sequence-dnn\"},\"conv.0.weight\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}}"
        }
        write([1, 2, 3, 4, 5], "short.safetensors")
        write(safetensors("{\"__metadata__\":{\"format\":\"dragonn.sequence-dnn\"}}").prefix(20).map { $0 }, "cut-header.safetensors")
        write(safetensors("{}", declaredLength: 1 << 40), "length-beyond.safetensors")
        write(safetensors("{}", declaredLength: UInt64.max), "length-max.safetensors")
        write(safetensors("{\"__metadata__\": {\"format\": "), "bad-json.safetensors")
        write(safetensors(tensor("F32", "[4]", "[0,100000]")), "offsets.safetensors")
        write(safetensors(tensor("F32", "[4]", "[-16,0]")), "negative-offsets.safetensors")
        write(safetensors(tensor("F16", "[4]", "[0,8]")), "dtype.safetensors")
        write(safetensors(tensor("F32", "[4611686018427387904,4,2]", "[0,32]")), "overflow.safetensors")
        write(safetensors(tensor("F32", "[4611686018427387904,4,2]", "[0,32]")), "ck.checkpoint.safetensors")
        write(safetensors(tensor("F32", "[9223372036854775807,9223372036854775807]", "[0,32]")), "overflow2.safetensors")
        // Well-formed tensors, but architecture metadata declaring absurd sizes.
        let architecture = { (seqLength: String, filters: String, widths: String) -> [UInt8] in
            let arch = "{\\\"seq_length\\\":\(seqLength),\\\"num_filters\\\":\(filters),\\\"conv_width\\\":\(widths),\\\"pool_width\\\":2,"
                + "\\\"num_tasks\\\":1,\\\"task_names\\\":[\\\"t\\\"],\\\"dropout\\\":0,\\\"L1\\\":0,\\\"alphabet\\\":\\\"ACGT\\\"}"
            return self.safetensors("{\"__metadata__\":{\"format\":\"dragonn.sequence-dnn\",\"architecture\":\"\(arch)\"},"
                + "\"conv.0.weight\":{\"dtype\":\"F32\",\"shape\":[1,4,5],\"data_offsets\":[0,80]},"
                + "\"conv.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[80,84]}}", data: 84)
        }
        write(architecture("60", "[4611686018427387904]", "[5]"), "arch-filters.safetensors")
        write(architecture("60", "[1,1]", "[9223372036854775807,9223372036854775807]"), "arch-widths.safetensors")
        write(architecture("-9223372036854775808", "[1]", "[5]"), "arch-length.safetensors")
        write(architecture("9223372036854775807", "[1]", "[5]"), "arch-dense.safetensors")
        let names = ["short", "cut-header", "length-beyond", "length-max", "bad-json", "offsets", "negative-offsets",
                     "dtype", "overflow", "overflow2", "arch-filters", "arch-widths", "arch-length", "arch-dense"].map { $0 + ".safetensors" }
        var cases: [(String, String)] = []
        for name in names {
            cases.append(("dragonn-predict -m \(name) good.fa -o out.tsv", name))
            cases.append(("dragonn-attrib grad -m \(name) good.fa -o out.bedGraph", name))
            cases.append(("dragonn-attrib filters -m \(name) -o out.svg", name))
        }
        // A malformed checkpoint on --resume.
        cases.append(("dragonn-train good.fa -o ck --resume --num-filters 2 --conv-width 5 --pool-width 10", "ck.checkpoint.safetensors"))
        try assertCleanFailures(cases)
    }

    func testMalformedArrays() throws {
        write(Array("not an array".utf8), "magic.npy")
        write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 4611686018427387904), }", data: [0, 0]), "huge.npy")
        write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4611686018427387904, 4, 60), }", data: [0, 0]), "huge-rows.npy")
        write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (0, 4, 4611686018427387904), }", data: []), "empty-huge.npy")
        write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 4, 60), }", data: [UInt8](repeating: 0, count: 300)), "truncated.npy")
        write([0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0x7F], "header-beyond.npy")
        write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 4611686018427387904), }", data: []), "labels-huge.npy")
        write(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data: [0, 0, 0]), "labels-cut.npy")
        var cases: [(String, String)] = []
        for name in ["magic.npy", "huge.npy", "huge-rows.npy", "empty-huge.npy", "truncated.npy", "header-beyond.npy"] {
            cases.append(("dragonn-predict -m \(model) \(name) -o out.tsv", name))
            cases.append(("dragonn-attrib ism -m \(model) \(name) -o out.bedGraph", name))
            cases.append(("dragonn-train \(name) --labels-npy y.npy -o out --epochs 1", name))
        }
        for name in ["labels-huge.npy", "labels-cut.npy", "magic.npy"] {
            cases.append(("dragonn-train good.npy --labels-npy \(name) -o out --epochs 1", name))
            cases.append(("dragonn-predict -m \(model) good.npy --labels-npy \(name) --evaluate -o out.tsv", name))
        }
        try assertCleanFailures(cases)
    }

    func testMalformedSequenceFiles() throws {
        write(">s0\nACGT\n>s1\n>s2\nACGT\n", "empty-record.fa")
        write("ACGTACGT\n>s1\nACGT\n", "no-header.fa")
        write(">s0 labels=1,2\n" + String(repeating: "A", count: 60) + "\n", "bad-label.fa")
        write(">s0 labels=1\n" + String(repeating: "A", count: 60) + "\n>s1 labels=1,0\n" + String(repeating: "A", count: 60) + "\n", "label-count.fa")
        write("@r1\nACGT\n+\nIII\n", "short-quality.fq")
        write("@r1\nACGT\nIIII\n", "no-plus.fq")
        write([0x00, 0xFF, 0xFE, 0x13, 0x37] + [UInt8](repeating: 0xAB, count: 2000), "binary.fa")
        var big = ""
        for i in 0..<3000 { big += ">s\(i) labels=1,0\n" + String(repeating: "ACGTTGCAAC", count: 6) + "\n" }
        write(big, "big.fa")
        let cut = Shell.run("gzip -c big.fa > big.fa.gz && head -c 4000 big.fa.gz > cut.fa.gz && bgzip -c big.fa > big.bgz.fa.gz && head -c 3000 big.bgz.fa.gz > cut.bgz.fa.gz", in: dir)
        XCTAssertEqual(cut.status, 0, cut.stderr)
        var cases: [(String, String)] = []
        for name in ["empty-record.fa", "no-header.fa", "bad-label.fa", "label-count.fa", "short-quality.fq", "no-plus.fq",
                     "binary.fa", "cut.fa.gz", "cut.bgz.fa.gz"] {
            cases.append(("dragonn-encode \(name) -o out.npy --names-out out.txt --labels-out out.labels.npy", name))
            cases.append(("dragonn-predict -m \(model) \(name) -o out.tsv --evaluate", name))
            cases.append(("dragonn-train \(name) -o out --epochs 1", name))
            cases.append(("dragonn-attrib grad -m \(model) \(name) -o out.bedGraph.gz --npy out", name))
        }
        cases.append(("dragonn-encode - -o out.npy < short-quality.fq", "<stdin>"))
        try assertCleanFailures(cases)
    }

    func testMalformedRegions() throws {
        write(">chr1\n" + String(repeating: "ACGTTGCA", count: 20) + "\n", "g.fa")
        _ = Shell.run("dragonn-encode --regions /dev/null --genome g.fa -o /dev/null", in: dir)   // builds g.fa.fai
        write("chr1\t9223372036854775000\t9223372036854775807\n", "huge.bed")
        write("chr1\t10\t99999999999999999999999\n", "overflow.bed")
        write("chr1\t50\t10\n", "reversed.bed")
        write("chr1\t-5\t10\n", "negative.bed")
        write("chr9\t0\t60\n", "absent.bed")
        var cases: [(String, String)] = []
        for name in ["huge.bed", "overflow.bed", "reversed.bed", "negative.bed", "absent.bed"] {
            cases.append(("dragonn-encode --regions \(name) --genome g.fa --length 60 -o out.npy", name))
            cases.append(("dragonn-predict -m \(model) --regions \(name) --genome g.fa -o out.tsv --bedgraph out.bedGraph.gz", name))
            cases.append(("dragonn-attrib grad -m \(model) --regions \(name) --genome g.fa -o out.bedGraph", name))
        }
        try assertCleanFailures(cases)
    }
}
