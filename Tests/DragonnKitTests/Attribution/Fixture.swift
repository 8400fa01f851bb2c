import DragonnKit
import Foundation
import XCTest

/// The shared reference fixture (model, six sequences, expected values), loaded for attribution tests.
enum Fixture {
    /// testdata/fixtures/sequence-dnn-small in the repository, else the shared copy beside it.
    static let folder: URL = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [root.appendingPathComponent("testdata/fixtures/sequence-dnn-small"),
                          root.appendingPathComponent("../shared/fixtures/sequence-dnn-small"),
                          URL(fileURLWithPath: "/work/shared/fixtures/sequence-dnn-small")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("expected.json").path) }
            ?? candidates[0]
    }()
    static var available: Bool { FileManager.default.fileExists(atPath: folder.appendingPathComponent("expected.json").path) }

    static let expected: [String: Any] = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    /// Base codes of inputs.fa, row-major.
    static let codes: [UInt8] = {
        let text = try! String(contentsOf: folder.appendingPathComponent("inputs.fa"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix(">") }.flatMap { line in
            line.utf8.map { b -> UInt8 in
                switch b { case 65, 97: return 0; case 67, 99: return 1; case 71, 103: return 2; case 84, 116: return 3; default: return 4 }
            }
        }
    }()

    /// The fixture model, read from its safetensors file (header JSON + little-endian float32).
    static let network: AttributionNetwork = {
        let data = try! Data(contentsOf: folder.appendingPathComponent("model.safetensors"))
        let n = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        let header = try! JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + Int(n)))) as! [String: Any]
        let body = data.subdata(in: (8 + Int(n))..<data.count)
        func tensor(_ name: String) -> [Float] {
            let entry = header[name] as! [String: Any]
            let offsets = entry["data_offsets"] as! [Int]
            return body.subdata(in: offsets[0]..<offsets[1]).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        let arch = (expected["architecture"] as! [String: Any])
        let filters = arch["num_filters"] as! [Int], widths = arch["conv_width"] as! [Int]
        var layers: [AttributionNetwork.ConvLayer] = []
        var inC = 4
        for i in 0..<filters.count {
            layers.append(.init(filters: filters[i], inChannels: inC, width: widths[i],
                                weight: tensor("conv.\(i).weight"), bias: tensor("conv.\(i).bias")))
            inC = filters[i]
        }
        return try! AttributionNetwork(sequenceLength: arch["seq_length"] as! Int, layers: layers,
                                       poolWidth: arch["pool_width"] as! Int, taskNames: arch["task_names"] as! [String],
                                       denseWeight: tensor("dense.weight"), denseBias: tensor("dense.bias"))
    }()

    /// Flattens nested JSON number arrays.
    static func flat(_ any: Any) -> [Double] {
        if let a = any as? [Any] { return a.flatMap(flat) }
        return [(any as! NSNumber).doubleValue]
    }

    /// Asserts relative error ≤ tol (scaled by the largest magnitude of the expected values).
    static func assertClose(_ got: [Float], _ want: [Double], tol: Double = 1e-4, _ what: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, what, file: file, line: line)
        let scale = max(want.map(abs).max() ?? 1, 1e-12)
        var worst = 0.0
        for (g, w) in zip(got, want) { worst = max(worst, abs(Double(g) - w) / max(abs(w), scale * 1e-2)) }
        XCTAssertLessThanOrEqual(worst, tol, "\(what): worst relative error \(worst)", file: file, line: line)
    }
}
