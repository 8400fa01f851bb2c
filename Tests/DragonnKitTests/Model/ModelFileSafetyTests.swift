import XCTest
@testable import DragonnKit

/// A model file is input like any other: what it declares is checked before it is used.
final class ModelFileSafetyTests: XCTestCase {
    func smallModelFile() throws -> SafetensorsFile {
        let arch = Architecture(seqLength: 30, numFilters: [3, 2], convWidth: [4, 3], poolWidth: 5)
        return try SequenceDNN(architecture: arch, seed: 3).safetensors()
    }

    func loadError(_ file: SafetensorsFile) -> String? {
        do { _ = try SequenceDNN(file: file, source: "m.safetensors"); return nil }
        catch { return "\(error)" }
    }

    func testValidFileLoads() throws {
        XCTAssertNil(loadError(try smallModelFile()))
    }

    func testNonFiniteWeightsAreRejectedNamingTheTensor() throws {
        for (name, bad) in [("conv.1.weight", Float.nan), ("dense.bias", Float.infinity), ("conv.0.bias", -Float.infinity)] {
            var file = try smallModelFile()
            var t = file.tensors[name]!
            t.values[t.values.count - 1] = bad
            file.tensors[name] = t
            let message = try XCTUnwrap(loadError(file), name)
            XCTAssertTrue(message.hasPrefix("m.safetensors: tensor '\(name)' holds a non-finite value"), message)
        }
    }

    func testHugeDeclaredArchitecturesAreRejectedBeforeAllocating() throws {
        let cases: [(String, String)] = [
            (#""seq_length":1000000000000"#, "seq_length"),
            (#""num_filters":[4000000000]"#, "filters"),
            (#""num_tasks":9000000000000"#, "tasks"),
        ]
        for (patch, word) in cases {
            var file = try smallModelFile()
            var arch = file.metadata["architecture"]!
            let key = String(patch.split(separator: ":")[0])
            let range = try XCTUnwrap(arch.range(of: key + #":(\[[^\]]*\]|[0-9]+)"#, options: .regularExpression))
            arch.replaceSubrange(range, with: patch)
            if key == #""num_filters""# { arch = arch.replacingOccurrences(of: #""conv_width":[4,3]"#, with: #""conv_width":[4]"#) }
            if key == #""num_tasks""# { arch = arch.replacingOccurrences(of: #""task_names":["task0"],"#, with: "") }
            file.metadata["architecture"] = arch
            let message = try XCTUnwrap(loadError(file), patch)
            XCTAssertTrue(message.contains(word), "\(patch): \(message)")
        }
        // Each dimension in range, the product not: 16.8 G weights in conv.1.
        let wide = Architecture(seqLength: 100_000, numFilters: [4096, 4096], convWidth: [1000, 1000], poolWidth: 10)
        XCTAssertThrowsError(try wide.validate()) { XCTAssertTrue("\($0)".contains("parameters"), "\($0)") }
    }

    func testMissingOrMisshapenTensorsAreNamed() throws {
        var file = try smallModelFile()
        file.tensors["conv.0.bias"] = nil
        XCTAssertEqual(loadError(file), "m.safetensors: missing tensor 'conv.0.bias'")
        file = try smallModelFile()
        file.tensors["dense.bias"] = Tensor(shape: [2], values: [0, 0])
        XCTAssertTrue(loadError(file)?.contains("tensor 'dense.bias' has shape [2]") ?? false)
    }
}
