import DragonnKit
import XCTest

/// The order and overlap rules of every track writer (`TrackLayout`).
final class TrackLayoutTests: XCTestCase {
    /// The example: chr1:3000-4000 and chr1:3500-4500 overlap on 3500..<4000; the first
    /// window keeps the bases nearer its centre (3500), the second from the midpoint 3750 on.
    func testOverlappingRegionsSplitAtTheMidpointOfTheirCentres() {
        let s = TrackLayout.stretches([("chr1", 3500, 4500), ("chr1", 3000, 4000)], reference: nil)
        XCTAssertEqual(s, [TrackLayout.Stretch(chrom: "chr1", start: 3000, end: 3750, interval: 1),
                           TrackLayout.Stretch(chrom: "chr1", start: 3750, end: 4500, interval: 0)])
        XCTAssertEqual(TrackLayout.overlappedBases([("chr1", 3500, 4500), ("chr1", 3000, 4000)]), 500)
    }

    /// Equal distances go to the window that starts first, equal windows to the one given first;
    /// a window inside another owns only the bases nearer its centre than the outer one's (base 47,
    /// centre 47.5, is 2.5 from both centres 45 and 50: the outer window, starting first, keeps it).
    func testTiesAndNestedWindows() {
        // Centres 5 and 6: base 5 (centre 5.5) is as near to both: the earlier start wins.
        XCTAssertEqual(TrackLayout.stretches([("c", 1, 11), ("c", 0, 10)], reference: nil),
                       [TrackLayout.Stretch(chrom: "c", start: 0, end: 6, interval: 1),
                        TrackLayout.Stretch(chrom: "c", start: 6, end: 11, interval: 0)])
        XCTAssertEqual(TrackLayout.stretches([("c", 0, 4), ("c", 0, 4)], reference: nil),
                       [TrackLayout.Stretch(chrom: "c", start: 0, end: 4, interval: 0)])
        XCTAssertEqual(TrackLayout.stretches([("c", 0, 100), ("c", 40, 50)], reference: nil).map { [$0.start, $0.end, $0.interval] },
                       [[0, 40, 0], [40, 47, 1], [47, 100, 0]])
    }

    /// The reference's chromosome order first, then chromosomes in first-appearance order; starts
    /// ascending within each; gaps stay gaps.
    func testOrderFollowsTheReferenceThenTheInput() {
        let s = TrackLayout.stretches([("b", 50, 60), ("z", 0, 5), ("a", 10, 20), ("b", 0, 10), ("y", 3, 4)],
                                      reference: ["a", "b", "c"])
        XCTAssertEqual(s.map { "\($0.chrom):\($0.start)-\($0.end)" }, ["a:10-20", "b:0-10", "b:50-60", "z:0-5", "y:3-4"])
    }

    /// Random windows against a per-base count: overlapped bases and coverage.
    func testOverlappedBasesAgainstACount() {
        var state: UInt64 = 3
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        for _ in 0..<30 {
            let windows = (0..<(1 + next(8))).map { _ -> (chrom: String, start: Int, end: Int) in
                let start = next(50); return (["a", "b"][next(2)], start, start + next(20))
            }
            var depth: [String: [Int]] = [:]
            for w in windows { for p in w.start..<w.end { depth[w.chrom, default: Array(repeating: 0, count: 80)][p] += 1 } }
            XCTAssertEqual(TrackLayout.overlappedBases(windows), depth.values.reduce(0) { $0 + $1.filter { $0 >= 2 }.count })
            let covered = TrackLayout.stretches(windows, reference: nil).reduce(0) { $0 + $1.end - $1.start }
            XCTAssertEqual(covered, depth.values.reduce(0) { $0 + $1.filter { $0 >= 1 }.count })
        }
    }
}
