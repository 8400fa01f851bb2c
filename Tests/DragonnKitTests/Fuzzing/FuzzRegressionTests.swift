import DragonnKit
import Foundation
import XCTest

/// The bugs fuzzing found, each pinned by a small input written here: the parser must answer
/// with a one-line error naming the file instead of trapping, allocating what the file declares,
/// or hanging.
final class FuzzRegressionTests: XCTestCase {
    override class func tearDown() { FuzzParser.removeFuzzGenome() }

    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("dragonn-fuzzreg-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = folder.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Asserts a one-line DragonnError naming `path` and containing `fragment`.
    func assertRejects(_ path: String, _ fragment: String, file: StaticString = #filePath, line: UInt = #line,
                       _ body: (String) throws -> Void) {
        do {
            try body(path)
            XCTFail("\(path) was accepted", file: file, line: line)
        } catch let e as DragonnError {
            XCTAssertTrue(e.description.hasPrefix(path + ": "), e.description, file: file, line: line)
            XCTAssertTrue(e.description.contains(fragment), "'\(e.description)' lacks '\(fragment)'", file: file, line: line)
            XCTAssertFalse(e.description.contains("\n") || e.description.contains("\r"), e.description, file: file, line: line)
        } catch {
            XCTFail("\(type(of: error)) instead of DragonnError: \(error)", file: file, line: line)
        }
    }

    /// An `.npy` (format `major`) whose header dictionary is `dict`, followed by `data`.
    func npy(_ dict: String, major: UInt8 = 1, data: [UInt8] = []) -> [UInt8] {
        let d = Array(dict.utf8)
        let length = major == 1 ? [UInt8(d.count & 0xFF), UInt8(d.count >> 8)]
                                : [UInt8(d.count & 0xFF), UInt8(d.count >> 8), 0, 0]
        return [0x93] + Array("NUMPY".utf8) + [major, 0] + length + d + data
    }

    // MARK: .npy

    func testNpyHugeDeclaredHeaderLengthIsNotAllocated() {
        // Format 2 declares a 4 GiB header in 12 bytes; it used to be allocated before reading.
        let path = write([0x93] + Array("NUMPY".utf8) + [2, 0, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{'descr'".utf8), "huge.npy")
        assertRejects(path, "truncated .npy header") { _ = try NpyReader(path: $0) }
    }

    func testNpyShortVersion2PreambleIsAnError() {
        // 10 and 11 bytes of a format-2 preamble: the 4-byte length was read past the bytes read.
        for n in [10, 11] {
            let bytes = Array(([0x93] + Array("NUMPY".utf8) + [2, 0, 0x10, 0, 0, 0]).prefix(n))
            assertRejects(write(bytes, "short\(n).npy"), "truncated .npy header") { _ = try NpyReader(path: $0) }
        }
        let fuzzed: [UInt8] = [0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x93, 0x5B]
        assertRejects(write(fuzzed, "fuzzed.npy"), "not a NumPy .npy file") { _ = try NpyReader(path: $0) }
    }

    func testNpyShapeBeyondTheFileIsRejectedAtOpen() {
        let shapes = ["(2, 4, 4611686018427387904)",   // byte count overflows
                      "(0, 4611686018427387904, 8)",   // no data, but one row's bytes overflow
                      "(1000000, 4, 1000)"]            // fits an Int, not the file
        let expected = ["too large (its size overflows)", "too large (its size overflows)", "truncated .npy data"]
        for (i, shape) in shapes.enumerated() {
            let path = write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': \(shape), }\n", data: [1, 0, 0, 0]), "s\(i).npy")
            assertRejects(path, expected[i]) { _ = try readNpyFloat(path: $0) }
        }
    }

    func testNpyOneHotOfLengthZeroIsRefusedNotIterated() {
        // A zero-length axis holds no data, so any row count passes the size check; the batch
        // reader used to yield 10^15 empty sequences (a fuzzer timeout in CI).
        for shape in ["(1000000000000000, 4, 0)", "(1000000000000000, 0, 4)"] {
            let path = write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': \(shape), }\n"), "zero.npy")
            assertRejects(path, "length 0") { _ = try SequenceBatchReader(npy: $0) }
        }
        let x = write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 4, 1), }\n", data: [1, 0, 0, 0]), "x.npy")
        let labels = write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 0), }\n"), "y.npy")
        assertRejects(labels, "labels must have shape") { _ = try SequenceBatchReader(npy: x, labelsPath: $0) }
    }

    func testNpyDataThatFitsIsStillRead() throws {
        let path = write(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }\n", data: [1, 0, 0, 1]), "ok.npy")
        let (shape, values) = try readNpyFloat(path: path)
        XCTAssertEqual(shape, [2, 2])
        XCTAssertEqual(values, [1, 0, 0, 1])
    }

    func testLineBreaksQuotedFromAFileStayOnOneLine() {
        let path = write(npy("{'descr': 'x\ny\rz', 'fortran_order': False, 'shape': (1,), }\n", data: [0]), "descr.npy")
        assertRejects(path, "x y z") { _ = try NpyReader(path: $0) }
        XCTAssertEqual(DragonnError(file: "a.fa", line: 2, "bad\r\nname\n").description, "a.fa: line 2: bad name ")
    }

    // MARK: BED regions

    func testRecentringRegionsNearIntMaxDoesNotOverflow() {
        let far = GenomicRegion(chrom: "chr1", start: 1 << 62, end: Int.max).recentred(length: 20)
        XCTAssertEqual(far.length, 20)
        XCTAssertEqual(GenomicRegion(chrom: "c", start: Int.max - 4, end: Int.max).recentred(length: 10).end, Int.max)
        // Small coordinates: the midpoint rule (start + end) / 2 as before, against plain arithmetic.
        for start in 0..<30 {
            for end in start..<(start + 30) {
                for length in [1, 2, 7, 20] {
                    let r = GenomicRegion(chrom: "c", start: start, end: end).recentred(length: length)
                    XCTAssertEqual(r.start, (start + end) / 2 - length / 2)
                    XCTAssertEqual(r.end, r.start + length)
                }
            }
        }
        let bed = write(Array("chr1\t4611686018427387904\t9223372036854775807\tfar\n".utf8), "far.bed")
        assertRejects(bed, "runs off chromosome chr1") { try FuzzParser.regions.run(path: $0) }
    }

    // MARK: safetensors

    /// A safetensors file whose JSON header is `json`, followed by `data`.
    func safetensors(_ json: String, data: [UInt8] = []) -> [UInt8] {
        let h = Array(json.utf8)
        return (0..<8).map { UInt8(truncatingIfNeeded: h.count >> (8 * $0)) } + h + data
    }

    func testSafetensorsShapeWhoseSizeOverflowsIsAnError() {
        for (i, shape) in ["[4611686018427387904,4]", "[4611686018427387904]", "[3037000500,3037000500]"].enumerated() {
            let path = write(safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":\(shape),\"data_offsets\":[0,0]}}"), "o\(i).safetensors")
            assertRejects(path, "is negative or too large") { _ = try SafetensorsFile.read(path: $0) }
        }
        let ok = write(safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]}}", data: [0, 0, 0x80, 0x3F]), "ok.safetensors")
        XCTAssertEqual(try SafetensorsFile.read(path: ok).tensors["a"], Tensor(shape: [1, 1], values: [1]))
    }

    // MARK: model files

    func architectureJSON(seqLength: Int = 40, filters: [Int] = [2], widths: [Int] = [3], pool: Int = 4,
                          tasks: Int = 1, names: Bool = true) -> String {
        var a = "{\"seq_length\":\(seqLength),\"num_filters\":\(filters),\"conv_width\":\(widths),"
        a += "\"pool_width\":\(pool),\"num_tasks\":\(tasks),\"dropout\":0,\"L1\":0,\"alphabet\":\"ACGT\""
        if names { a += ",\"task_names\":[\((0..<tasks).map { "\"t\($0)\"" }.joined(separator: ","))]" }
        return a + "}"
    }

    func modelFile(_ architecture: String, tensors: [String: Tensor] = [:], _ name: String) -> String {
        let file = SafetensorsFile(metadata: ["format": SequenceDNN.formatTag, "format_version": SequenceDNN.formatVersion,
                                              "architecture": architecture], tensors: tensors)
        return write(file.serialized(), name)
    }

    func testModelArchitectureSizesAreCheckedBeforeAllocating() {
        let cases: [(String, String)] = [
            (architectureJSON(filters: [1 << 40]), "at most 4096 filters"),                    // 16 TiB of weights
            (architectureJSON(filters: [1 << 62]), "at most 4096 filters"),                    // count overflows
            (architectureJSON(seqLength: Int.min), "seq_length -9223372036854775808 is outside"),
            (architectureJSON(seqLength: 1 << 40, widths: [1], pool: 1), "is outside"),
            (architectureJSON(seqLength: 1 << 20, widths: [1], pool: 1 << 10), "missing tensor 'conv.0.weight'"),
            (architectureJSON(tasks: 1 << 30, names: false), "1073741824 tasks (at most"),     // hung making names
        ]
        for (i, (arch, fragment)) in cases.enumerated() {
            assertRejects(modelFile(arch, "m\(i).safetensors"), fragment) { _ = try SequenceDNN.load(path: $0) }
        }
    }

    func testDefaultTaskNamesOnlyWithinTheLimit() throws {
        let decode = { (tasks: Int) in try Architecture.fromJSON(self.architectureJSON(tasks: tasks, names: false)) }
        XCTAssertEqual(try decode(3).taskNames, ["task0", "task1", "task2"])
        XCTAssertEqual(try decode(Architecture.limits.tasks).taskNames.count, Architecture.limits.tasks)
        XCTAssertEqual(try decode(Architecture.limits.tasks + 1).taskNames, [])
        XCTAssertEqual(try decode(Int.max).taskNames, [])
        XCTAssertEqual(try decode(-1).taskNames, [])
    }

    func testModelNeedingOnlyWhatTheFileHoldsLoads() throws {
        let arch = architectureJSON(seqLength: 1 << 24, filters: [1], widths: [1], pool: 1 << 24)
        let tensors = ["conv.0.weight": Tensor(shape: [1, 4, 1], values: [1, 2, 3, 4]), "conv.0.bias": Tensor(shape: [1], values: [0]),
                       "dense.weight": Tensor(shape: [1, 1], values: [1]), "dense.bias": Tensor(shape: [1], values: [0])]
        let model = try SequenceDNN.load(path: modelFile(arch, tensors: tensors, "long.safetensors"))
        XCTAssertEqual(model.architecture.seqLength, 1 << 24)
        XCTAssertEqual(model.tensor("conv.0.weight"), [1, 2, 3, 4])
    }
}

// MARK: VCF (dragonn-predict --vcf)

final class FuzzRegressionVCFTests: XCTestCase {
    override class func tearDown() { FuzzParser.removeFuzzGenome() }

    /// Scores the VCF `text` with the fuzz model against the fuzz genome (chr1 300, chr2 130,
    /// chrM 40 bases; windows of 20) in batches of `batchSize`: the output file's text and the summary.
    func score(_ text: String, batchSize: Int = 16384, tsv: Bool = false) throws -> (output: String, summary: VariantJob.Summary) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dragonn-fuzzvcf-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let vcf = folder.appendingPathComponent("in.vcf").path
        try text.write(toFile: vcf, atomically: true, encoding: .utf8)
        var job = VariantJob(modelPath: try FuzzParser.fuzzModel(), genomePath: try FuzzParser.fuzzGenome(), vcfPath: vcf)
        job.batchSize = batchSize
        job.tsv = tsv
        job.output = folder.appendingPathComponent(tsv ? "out.tsv" : "out.vcf").path
        let summary = try job.run(note: { _ in })
        return (try String(contentsOfFile: job.output, encoding: .utf8), summary)
    }

    let header = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=300>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"

    func testPositionNearIntMaxIsOffTheEndNotAnOverflow() throws {
        // POS 2^63 - 2 (near htslib's largest) made the window's end overflow: a trap in --vcf.
        var text = header
        for (id, pos) in [("far", "9223372036854775806"), ("far2", "4611686018427387904"), ("end", "300"), ("snv", "101")] {
            text += "chr1\t\(pos)\t\(id)\tA\tG\t.\t.\t.\n"
        }
        let (output, summary) = try score(text, tsv: true)
        let status = output.split(separator: "\n").dropFirst().map { $0.split(separator: "\t") }.map { "\($0[2]):\($0.last!)" }
        // chr1 of the fuzz genome is 300 bases and the model 20: POS 300 runs off the end, POS 101 fits.
        XCTAssertEqual(status, ["far:off_end", "far2:off_end", "end:off_end", "snv:scored"])
        XCTAssertEqual(summary.skipped[.offEnd], 3)
    }

    func testTagsAndContigsFirstSeenInLaterBatchesKeepTheirNames() throws {
        // htslib declares an undeclared contig or INFO tag when a record uses it; bcf_translate's
        // id table, cached in the input header on its first call, did not grow with it, so later
        // records' ids were looked up past its end ("write failed" or a wrong CHROM/INFO key in
        // the output; htslib is not instrumented, so ASan is silent). An undeclared tag in the
        // first batch makes the table a real translation (its id differs in the output header).
        var text = header
        var expected: [String] = []
        let chroms = ["chr1", "chr1", "chr1", "chrM", "chr2"] + (2..<24).map { "extra\($0)" }
        for (i, chrom) in chroms.enumerated() {
            text += "\(chrom)\t21\tv\(i)\tA\tC\t.\t.\tTAG\(i)=\(i)\n"
            expected.append("\(chrom) TAG\(i)=\(i)")
        }
        let records = try score(text, batchSize: 3).output.split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(records.map { r in
            let f = r.split(separator: "\t")
            return "\(f[0]) \(f[7].split(separator: ";")[0])"
        }, expected)
    }
}
