import Foundation
import XCTest
import DragonnKit

final class LearningCurveTests: XCTestCase {
    /// Parses `svg` with python3's XML parser and returns what the script prints.
    func parseWithPython(_ svg: String, script: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("c.svg")
        try svg.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys, xml.etree.ElementTree as ET\nroot = ET.parse(sys.argv[1]).getroot()\n" + script, file.path]
        let out = Pipe(); p.standardOutput = out
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 could not parse the SVG")
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func testCurveIsValidSVGWithBothSeriesAndBestEpoch() throws {
        let curve = LearningCurve(epochs: [1, 2, 3, 4], trainLoss: [0.7, 0.5, 0.4, 0.3],
                                  validLoss: [0.72, 0.55, 0.5, 0.52], trainAuROC: [0.6, 0.8, 0.9, 0.95],
                                  validAuROC: [0.58, 0.78, .nan, 0.86], bestEpoch: 3, title: "a <b> & \"c\"")
        let svg = curve.svg()
        let out = try parseWithPython(svg, script: """
            ns = '{http://www.w3.org/2000/svg}'
            print(root.tag == ns + 'svg')
            lines = root.findall(ns + 'polyline')
            print(len(lines))
            print(sorted(len(l.get('points').split()) for l in lines))
            print(any('best epoch (3' in (t.text or '') for t in root.iter(ns + 'text')))
            print([t.text for t in root.iter(ns + 'text')][0])
            """)
        // loss: train + valid (4 points each); auROC: train (4) and valid split by the NaN (2, 1 -> only 2 drawn).
        XCTAssertEqual(out, "True\n4\n[2, 4, 4, 4]\nTrue\na <b> & \"c\"\n")
    }

    func testSingleEpochAndEscaping() throws {
        XCTAssertEqual(SVGDocument.escape("<a&'\">"), "&lt;a&amp;&apos;&quot;&gt;")
        XCTAssertEqual(SVGDocument.number(3.5), "3.5")
        XCTAssertEqual(SVGDocument.number(-0.001), "0")
        let svg = LearningCurve(epochs: [1], trainLoss: [0.6], validLoss: [0.65], trainAuROC: [0.7],
                                validAuROC: [0.68], bestEpoch: 1).svg()
        let out = try parseWithPython(svg, script: "print(len(list(root.iter('{http://www.w3.org/2000/svg}circle'))))")
        // One point per series (4 circles) plus the best-epoch markers (4 circles).
        XCTAssertEqual(out, "8\n")
    }

    func testTicksAreRound() {
        let ticks = LinearScale(domain: (0, 1), range: (0, 100)).ticks(5)
        XCTAssertEqual(ticks.count, 6)
        for (i, t) in ticks.enumerated() { XCTAssertEqual(t, Double(i) * 0.2, accuracy: 1e-12) }
        XCTAssertEqual(LinearScale(domain: (1, 37), range: (0, 100)).ticks(6), [10, 20, 30])
        XCTAssertEqual(LinearScale(domain: (0, 10), range: (0, 100))(2.5), 25)
    }
}
