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

    /// The fixture model, loaded through the engine's model-file reader.
    static let network: AttributionNetwork = try! AttributionNetwork.load(path: folder.appendingPathComponent("model.safetensors").path)

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
