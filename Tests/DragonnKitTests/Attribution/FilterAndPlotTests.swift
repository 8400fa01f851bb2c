import DragonnKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

final class FilterMotifTests: XCTestCase {
    /// Two filters, width 4: filter 1 is a copy of a motif's log-odds, filter 0 its opposite.
    private let motif: [[Double]] = [[0.9, 0.03, 0.04, 0.03], [0.02, 0.02, 0.94, 0.02], [0.1, 0.7, 0.1, 0.1], [0.05, 0.05, 0.05, 0.85]]

    private func weights(reverse: Bool) -> [Float] {
        let width = 4
        var w = [Float](repeating: 0, count: 2 * 4 * width)
        for k in 0..<width {
            let column = reverse ? motif[width - 1 - k].reversed() : motif[k]
            for b in 0..<4 {
                let v = Float(log2(column[b] / 0.25))
                w[(0 * 4 + b) * width + k] = -v
                w[(1 * 4 + b) * width + k] = v
            }
        }
        return w
    }

    func testCompareRanksMatchingFilterFirstOnBothStrands() {
        let forward = FilterMotifs.compare(weights: weights(reverse: false), filters: 2, width: 4, motif: motif)
        XCTAssertEqual(forward.map(\.filter), [1, 0])
        XCTAssertEqual(forward[0].correlation, 1, accuracy: 1e-6)
        XCTAssertEqual(forward[0].strand, "+")
        XCTAssertEqual(forward[0].offset, 0)
        let reverse = FilterMotifs.compare(weights: weights(reverse: true), filters: 2, width: 4, motif: motif)
        XCTAssertEqual(reverse[0].filter, 1)
        XCTAssertEqual(reverse[0].strand, "-")
        XCTAssertEqual(reverse[0].correlation, 1, accuracy: 1e-6)
    }

    func testMEMEProbabilitiesAreSoftmaxColumns() {
        let w = weights(reverse: false)
        let p = FilterMotifs.probabilities(weights: w, filter: 1, width: 4)
        for column in p { XCTAssertEqual(column.reduce(0, +), 1, accuracy: 1e-9) }
        XCTAssertEqual(p[0].firstIndex(of: p[0].max()!), 0)   // A strongest in column 0
        XCTAssertEqual(p[1].firstIndex(of: p[1].max()!), 2)   // G in column 1
        let text = FilterMotifs.memeText(weights: w, filters: 2, width: 4)
        XCTAssertTrue(text.hasPrefix("MEME version 4\n"))
        XCTAssertEqual(text.components(separatedBy: "letter-probability matrix: alength= 4 w= 4").count, 3)
    }
}

final class TopWindowAndPlotTests: XCTestCase {
    func testTopWindowFindsLargestSum() {
        let scores: [Float] = [0, 1, -1, 2, 2, 2, -5, 3, 0]
        let w = TopWindow.find(scores: scores[...], width: 3)
        XCTAssertEqual(w?.start, 3)
        XCTAssertEqual(w?.score ?? 0, 6, accuracy: 1e-6)
        XCTAssertNil(TopWindow.find(scores: scores[...], width: 10))
    }

    func testTrackSVGIsWellFormedAndShowsTruthAndLogo() throws {
        let scores: [Float] = (0..<100).map { $0 >= 40 && $0 < 50 ? 0.5 : 0.01 }
        let codes: [UInt8] = (0..<100).map { UInt8($0 % 4) }
        let svg = attributionTrackSVG(title: "seq1 <task0>", scores: scores, codes: codes,
                                      truth: [MotifInstance(sequence: "seq1", start: 40, end: 50, motif: "TAL1_known4")],
                                      window: (start: 40, length: 10))
        XCTAssertNoThrow(try XMLDocument(xmlString: svg))
        XCTAssertTrue(svg.contains("TAL1_known4"))
        XCTAssertTrue(svg.contains("seq1 &lt;task0&gt;"))
        XCTAssertTrue(svg.contains("top window 40-50"))
        // Ten letters in the logo, each a path.
        XCTAssertGreaterThanOrEqual(svg.components(separatedBy: "fill-rule=\"evenodd\"").count - 1, 10)
    }

    func testFilterSheetDrawsPositiveAndNegativeLetters() throws {
        let w: [Float] = [1, -1, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, -0.5, 0, 0, 0, 0]   // 1 filter, 4 bases x width 4
        let svg = filterSheetSVG(weights: w, filters: 1, width: 4, title: "filters")
        XCTAssertNoThrow(try XMLDocument(xmlString: svg))
        XCTAssertEqual(svg.components(separatedBy: "fill-rule=\"evenodd\"").count - 1, 4)
    }
}
