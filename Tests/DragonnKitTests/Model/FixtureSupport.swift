import Foundation
import XCTest
import DragonnKit

/// A reference fixture folder: model.safetensors, inputs.fa, expected.json (values in float64).
struct ModelFixture {
    let name: String
    let folder: String
    let expected: [String: Any]
    let names: [String]
    let codes: [UInt8]
    let length: Int

    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Every folder under testdata/fixtures with the three files.
    static func all() throws -> [ModelFixture] {
        let dir = repoRoot + "/testdata/fixtures"
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        return try entries.compactMap { e in
            let f = dir + "/" + e
            guard FileManager.default.fileExists(atPath: f + "/expected.json"),
                  FileManager.default.fileExists(atPath: f + "/model.safetensors") else { return nil }
            return try ModelFixture(name: e, folder: f)
        }
    }

    init(name: String, folder: String) throws {
        self.name = name
        self.folder = folder
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/expected.json"))
        expected = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        var names: [String] = [], seqs: [[UInt8]] = []
        for line in try String(contentsOfFile: folder + "/inputs.fa", encoding: .utf8).split(separator: "\n") {
            if line.hasPrefix(">") { names.append(String(line.dropFirst().split(separator: " ")[0])); seqs.append([]) }
            else { seqs[seqs.count - 1] += line.utf8.map(ModelFixture.code) }
        }
        self.names = names
        length = seqs[0].count
        codes = seqs.flatMap { $0 }
    }

    static func code(_ b: UInt8) -> UInt8 {
        switch b | 0x20 { case UInt8(ascii: "a"): 0; case UInt8(ascii: "c"): 1; case UInt8(ascii: "g"): 2; case UInt8(ascii: "t"): 3; default: 4 }
    }

    /// Flattens nested JSON arrays of numbers in row-major order.
    static func flat(_ any: Any?) -> [Double] {
        if let n = any as? NSNumber { return [n.doubleValue] }
        if let a = any as? [Any] { return a.flatMap { flat($0) } }
        return []
    }

    func value(_ path: String...) -> Any? {
        var cur: Any? = expected
        for k in path { cur = (cur as? [String: Any])?[k] }
        return cur
    }
}

/// Asserts |actual − expected| ≤ tol · max(|expected|, floor · max|expected|) elementwise: a relative
/// error, with the reference scale of near-zero entries taken as 1% of the tensor's largest value
/// (float32 cannot give 1e-4 relative accuracy on values that are sums cancelling to ~0).
func assertClose(_ actual: [Float], _ expected: [Double], tol: Double = 1e-4, floor: Double = 1e-2,
                 _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "\(what): count", file: file, line: line)
    guard actual.count == expected.count, !expected.isEmpty else { return }
    let scale = expected.map(abs).max()!
    var worst = 0.0, worstIndex = 0
    for i in 0..<expected.count {
        let ref = max(abs(expected[i]), floor * scale, 1e-30)
        let err = abs(Double(actual[i]) - expected[i]) / ref
        if err > worst { worst = err; worstIndex = i }
    }
    XCTAssertLessThanOrEqual(worst, tol, "\(what): worst relative error \(worst) at \(worstIndex) (\(actual[worstIndex]) vs \(expected[worstIndex]))", file: file, line: line)
}
