import Foundation
import XCTest
import DragonnKit

final class SafetensorsTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "/safetensors-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func testRoundTripAndLayout() throws {
        var f = SafetensorsFile(metadata: ["k": "v \"quoted\"\n"], order: ["b", "a"])
        f.tensors["a"] = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, -6.5])
        f.tensors["b"] = Tensor(shape: [1], values: [Float.pi])
        let bytes = f.serialized()
        var headerLength = 0
        for i in 0..<8 { headerLength |= Int(bytes[i]) << (8 * i) }
        XCTAssertEqual(headerLength % 8, 0, "header padded to 8 bytes")
        XCTAssertEqual(bytes.count, 8 + headerLength + 4 * 7)
        // b first (order), little-endian float32 bits.
        XCTAssertEqual(Array(bytes[(8 + headerLength)..<(12 + headerLength)]),
                       [0, 1, 2, 3].map { UInt8(truncatingIfNeeded: Float.pi.bitPattern >> (8 * $0)) })
        let g = try SafetensorsFile(bytes: bytes, source: "x")
        XCTAssertEqual(g.tensors, f.tensors)
        XCTAssertEqual(g.metadata, f.metadata)
        XCTAssertEqual(g.order, ["b", "a"])
    }

    func testFixtureModelLoadsAndSavesUnchanged() throws {
        for fx in try ModelFixture.all() {
            let path = fx.folder + "/model.safetensors"
            let model = try SequenceDNN.load(path: path)
            XCTAssertEqual(model.architecture.numFilters.count, ModelFixture.flat((fx.value("architecture", "num_filters"))).count)
            let out = dir + "/m.safetensors"
            try model.save(path: out, metadata: ["note": "test"])
            let again = try SequenceDNN.load(path: out)
            XCTAssertEqual(again.architecture, model.architecture)
            XCTAssertEqual(again.tensors(), model.tensors())
            let original = try SafetensorsFile.read(path: path)
            XCTAssertEqual(original.tensors, model.tensors(), "PyTorch layouts preserved")
            let saved = try SafetensorsFile.read(path: out)
            XCTAssertEqual(saved.metadata["format"], "dragonn.sequence-dnn")
            XCTAssertEqual(saved.metadata["format_version"], "1")
            XCTAssertEqual(saved.metadata["note"], "test")
            XCTAssertEqual(saved.metadata["dragonn_version"], DragonnVersion.string)
            XCTAssertEqual(try Architecture.fromJSON(saved.metadata["architecture"]!), model.architecture)
            XCTAssertEqual(again.logits(codes: fx.codes, count: fx.names.count), model.logits(codes: fx.codes, count: fx.names.count))
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["m.safetensors"], "no temporary left")
        }
    }

    func assertError(_ bytes: [UInt8], contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        let path = dir + "/bad.safetensors"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertThrowsError(try SequenceDNN.load(path: path), file: file, line: line) { error in
            let d = "\(error)"
            XCTAssertTrue(d.contains(text) && d.contains(path), "message: \(d)", file: file, line: line)
            XCTAssertFalse(d.contains("\n"), file: file, line: line)
        }
    }

    func testErrors() throws {
        let fx = try ModelFixture.all()[0]
        let good = try SafetensorsFile.read(path: fx.folder + "/model.safetensors")
        assertError(Array("hello world, not a model".utf8), contains: "not a safetensors file")
        assertError([1, 2, 3], contains: "not a safetensors file")
        var wrongTag = good; wrongTag.metadata["format"] = "something.else"
        assertError(wrongTag.serialized(), contains: "wrong format tag")
        var noTag = good; noTag.metadata = [:]
        assertError(noTag.serialized(), contains: "not a dragonn model file")
        var missing = good; missing.tensors["conv.1.bias"] = nil
        assertError(missing.serialized(), contains: "missing tensor 'conv.1.bias'")
        var wrongShape = good; wrongShape.tensors["dense.weight"] = Tensor(shape: [2, 3], values: [0, 0, 0, 0, 0, 0])
        assertError(wrongShape.serialized(), contains: "tensor 'dense.weight' has shape [2, 3]")
        var truncated = good.serialized(); truncated.removeLast(10)
        assertError(truncated, contains: "data_offsets")
        XCTAssertThrowsError(try SequenceDNN.load(path: dir + "/absent.safetensors"))
    }

    /// A safetensors file from a header text and `data` bytes.
    private func raw(_ header: String, data: Int = 16, length: UInt64? = nil) -> [UInt8] {
        let h = Array(header.utf8)
        let n = length ?? UInt64(h.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * UInt64($0))) } + h + [UInt8](repeating: 0, count: data)
    }

    /// Sizes the file declares are checked (overflow-checked) against the file before anything is
    /// allocated: each case is an error naming the file, never a trap.
    func testDeclaredSizesAreChecked() throws {
        let cases: [([UInt8], String)] = [
            (raw("{}", length: 1 << 40), "header length 1099511627776 does not fit"),
            (raw("{}", length: UInt64.max), "does not fit"),
            (raw("{\"a\": [1, 2", data: 0), "header is not a JSON object"),
            (raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,100]}}"), "lie outside"),
            (raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[-8,8]}}"), "lie outside"),
            (raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[12,4]}}"), "lie outside"),
            (raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}"), "do not match shape"),
            (raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,16]}}"), "too large"),
            (raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1,-16],\"data_offsets\":[0,16]}}"), "negative or too large"),
            (raw("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}"), "dtype F64; only F32"),
            (raw("{\"a\":{\"dtype\":\"F32\",\"shape\":\"x\",\"data_offsets\":[0,16]}}"), "lacks dtype, shape or data_offsets"),
        ]
        for (bytes, message) in cases {
            XCTAssertThrowsError(try SafetensorsFile(bytes: bytes, source: "m.safetensors")) { error in
                XCTAssertTrue("\(error)".hasPrefix("m.safetensors: ") && "\(error)".contains(message), "\(message): \(error)")
            }
        }
        let ok = try SafetensorsFile(bytes: raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"), source: "m")
        XCTAssertEqual(ok.tensors["a"], Tensor(shape: [2, 2], values: [0, 0, 0, 0]))
    }
}
