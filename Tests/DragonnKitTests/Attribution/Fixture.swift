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
    static let model: SequenceDNN = try! SequenceDNN.load(path: folder.appendingPathComponent("model.safetensors").path)

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

    /// ISM by brute force: the engine's full forward pass on every single-base mutant at
    /// `positions` (nil: all), `[sequence][task][base][position]` like `inSilicoMutagenesis`;
    /// zero at other positions.
    static func naiveISM(model: SequenceDNN, codes: [UInt8], count: Int, tasks: [Int], positions: [Int]? = nil) -> [Float] {
        let length = model.architecture.seqLength, taskCount = model.architecture.numTasks
        let positions = positions ?? Array(0..<length)
        var result = [Float](repeating: 0, count: count * tasks.count * 4 * length)
        for s in 0..<count {
            let sequence = Array(codes[(s * length)..<((s + 1) * length)])
            var mutants: [UInt8] = []
            for j in positions { for b in 0..<4 { var m = sequence; m[j] = UInt8(b); mutants += m } }
            let base = model.logits(codes: sequence, count: 1)
            let logits = model.logits(codes: mutants, count: 4 * positions.count)
            for (i, j) in positions.enumerated() { for b in 0..<4 where UInt8(b) != sequence[j] {
                for (ti, t) in tasks.enumerated() {
                    result[((s * tasks.count + ti) * 4 + b) * length + j] = logits[(i * 4 + b) * taskCount + t] - base[t]
                }
            } }
        }
        return result
    }

    /// `values` with every position not in `positions` set to zero (layout [block][position]).
    static func only(_ positions: [Int], of values: [Float], length: Int) -> [Float] {
        var out = [Float](repeating: 0, count: values.count)
        for block in 0..<(values.count / length) { for j in positions { out[block * length + j] = values[block * length + j] } }
        return out
    }
}
