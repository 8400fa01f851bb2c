import DragonnKit
import Foundation
import XCTest

final class MotifScanTests: XCTestCase {
    func randomPWM(width: Int, _ rng: inout RandomSource) throws -> PWM {
        // Peaked columns, like real motifs: one base dominant, the rest small.
        var w: [Double] = []
        for _ in 0..<width {
            let top = rng.int(below: 4)
            for b in 0..<4 { w.append(b == top ? 1 + 4 * rng.uniform() : rng.uniform()) }
        }
        return try PWM(name: "random", weights: w)
    }

    /// The direct float64 score of the window at `start` on one strand: N and past-the-end bases add 0.
    func naive(_ pwm: PWM, _ codes: [UInt8], start: Int, reverse: Bool, background: [Double]) -> Double {
        var s = 0.0
        for k in 0..<pwm.length {
            let i = start + k
            guard i < codes.count, codes[i] < 4 else { continue }
            let c = Int(codes[i])
            let p = reverse ? pwm.probability(at: pwm.length - 1 - k, base: 3 - c) : pwm.probability(at: k, base: c)
            s += log2(p / background[c])
        }
        return s
    }

    func testScoreTrackEqualsDirectLogOddsAtRandomPositions() throws {
        var rng = RandomSource(seed: 12)
        for trial in 0..<6 {
            let width = [1, 4, 5, 6, 11, 21][trial]
            let pwm = try randomPWM(width: width, &rng)
            let length = 200
            let codes = (0..<length).map { _ in rng.int(below: 40) == 0 ? UInt8(4) : UInt8(rng.int(below: 4)) }
            let background = MotifScan.background(gcFraction: 0.3 + 0.1 * Double(trial % 3))
            let track = MotifScan.scoreTrack(pwm: pwm, codes: codes, background: background)
            XCTAssertEqual(track.count, length)
            var sawReverse = false
            for _ in 0..<60 {
                // Every position near the end too, where the window runs past the sequence.
                let p = rng.int(below: 3) == 0 ? length - 1 - rng.int(below: width) : rng.int(below: length)
                let f = naive(pwm, codes, start: p, reverse: false, background: background)
                let r = naive(pwm, codes, start: p, reverse: true, background: background)
                if r > f { sawReverse = true }
                XCTAssertEqual(Double(track[p]), max(f, r), accuracy: 1e-4 * (1 + abs(max(f, r))), "width \(width) position \(p)")
            }
            if width > 4 { XCTAssertTrue(sawReverse, "the reverse strand won somewhere") }
        }
    }

    func testScoreTracksOfSeveralSequencesMatchOneByOne() throws {
        var rng = RandomSource(seed: 3)
        let pwm = try randomPWM(width: 9, &rng)
        let codes = (0..<(3 * 50)).map { _ in UInt8(rng.int(below: 5)) }
        let bg = MotifScan.background(gcFraction: 0.4)
        let all = MotifScan.scoreTracks(pwm: pwm, codes: codes, count: 3, length: 50, background: bg)
        for s in 0..<3 {
            XCTAssertEqual(Array(all[(s * 50)..<((s + 1) * 50)]),
                           MotifScan.scoreTrack(pwm: pwm, codes: Array(codes[(s * 50)..<((s + 1) * 50)]), background: bg))
        }
    }

    func testGCFractionEstimateIgnoresN() {
        XCTAssertEqual(MotifScan.gcFraction(of: [0, 1, 2, 3, 4, 4, 1, 2] as [UInt8]), 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(MotifScan.background(gcFraction: 0.4), [0.3, 0.2, 0.2, 0.3])
    }

    /// Every one of the 4^w windows of a short motif enumerated: the p-value of each integer
    /// score is the background mass of windows scoring at least as much.
    func testPValuesEqualExhaustiveEnumeration() throws {
        var rng = RandomSource(seed: 5)
        for (width, gc) in [(3, 0.5), (6, 0.4), (5, 0.62)] {
            let pwm = try randomPWM(width: width, &rng)
            let bg = MotifScan.background(gcFraction: gc)
            let scorer = MotifScorer(pwm: pwm, background: bg)
            let table = MotifPValues(logOdds: scorer.logOdds, background: bg)
            var mass: [Int: Double] = [:]
            var codes = [UInt8](repeating: 0, count: width)
            for n in 0..<(1 << (2 * width)) {
                var prob = 1.0
                for k in 0..<width { codes[k] = UInt8((n >> (2 * k)) & 3); prob *= bg[Int(codes[k])] }
                mass[table.integerScore(codes[...], start: 0, reverse: false), default: 0] += prob
                // The reverse strand has the same distribution under a symmetric background.
                _ = table.integerScore(codes[...], start: 0, reverse: true)
            }
            let scores = mass.keys.sorted()
            XCTAssertEqual(scores.first, table.minimumScore)
            XCTAssertEqual(scores.last, table.maximumScore)
            var tail = 0.0
            for s in scores.reversed() {
                tail += mass[s]!
                XCTAssertEqual(table.pValue(integerScore: s), tail, accuracy: 1e-12 + 1e-9 * tail, "width \(width) score \(s)")
            }
            XCTAssertEqual(table.pValue(integerScore: table.maximumScore + 1), 0)
            // The threshold is the first score whose p-value is at most p.
            let t = table.threshold(pValue: 0.01)
            XCTAssertLessThanOrEqual(table.pValue(integerScore: t), 0.01)
            XCTAssertGreaterThan(table.pValue(integerScore: t - 1), 0.01)
        }
    }

    func testBenjaminiHochbergAgainstDirectFormula() {
        let p = [0.01, 0.0001, 0.03, 0.0001]
        let q = benjaminiHochberg(p, tests: 100)
        // Sorted: 1e-4 (rank 1, 2), 0.01 (3), 0.03 (4): q = min_{j≥i} p_j·100/j.
        XCTAssertEqual(q[1], 0.005, accuracy: 1e-12)
        XCTAssertEqual(q[3], 0.005, accuracy: 1e-12)
        XCTAssertEqual(q[0], 0.01 * 100 / 3, accuracy: 1e-12)
        XCTAssertEqual(q[2], 0.75, accuracy: 1e-12)
    }
}

final class MotifHitsTests: XCTestCase {
    /// The pruned scan returns exactly the windows an exhaustive integer scan of every window
    /// and strand passes, with their p-values, float64 scores and BH q-values.
    func testHitsEqualExhaustiveScan() throws {
        var rng = RandomSource(seed: 21)
        let count = 12, length = 300
        for width in [4, 8, 13] {
            var w: [Double] = []
            for _ in 0..<width { let top = rng.int(below: 4); for b in 0..<4 { w.append(b == top ? 3 : rng.uniform()) } }
            let pwm = try PWM(name: "m", weights: w)
            var codes = (0..<(count * length)).map { _ in UInt8(rng.int(below: 4)) }
            for i in stride(from: 17, to: codes.count, by: 211) { codes[i] = 4 }
            let bg = MotifScan.background(gcFraction: 0.45)
            let threshold = width < 6 ? 0.02 : 2e-3
            let hits = MotifHits.find(pwm: pwm, codes: codes, count: count, length: length, background: bg, threshold: threshold)
            let scorer = MotifScorer(pwm: pwm, background: bg)
            let table = MotifPValues(logOdds: scorer.logOdds, background: bg)
            var expected: [(Int, Int, Character, Double, Double)] = [], tests = 0
            for s in 0..<count {
                let seq = codes[(s * length)..<((s + 1) * length)]
                for p in 0...(length - width) where seq[(s * length + p)..<(s * length + p + width)].allSatisfy({ $0 < 4 }) {
                    for reverse in [false, true] {
                        tests += 1
                        let score = table.integerScore(seq, start: s * length + p, reverse: reverse)
                        let pv = table.pValue(integerScore: score)
                        guard pv <= threshold else { continue }
                        var direct = 0.0
                        for k in 0..<width {
                            let c = Int(seq[s * length + p + k])
                            let prob = reverse ? pwm.probability(at: width - 1 - k, base: 3 - c) : pwm.probability(at: k, base: c)
                            direct += log2(prob / bg[c])
                        }
                        expected.append((s, p, reverse ? "-" : "+", direct, pv))
                    }
                }
            }
            XCTAssertGreaterThan(expected.count, 3, "width \(width)")
            XCTAssertEqual(hits.count, expected.count, "width \(width)")
            let q = benjaminiHochberg(expected.map(\.4), tests: tests)
            for (i, (h, e)) in zip(hits, expected).enumerated() {
                XCTAssertEqual(h.sequence, e.0); XCTAssertEqual(h.start, e.1); XCTAssertEqual(h.strand, e.2)
                XCTAssertEqual(h.score, e.3, accuracy: 1e-9)
                XCTAssertEqual(h.pValue, e.4)
                XCTAssertEqual(h.qValue, q[i], accuracy: 1e-15)
            }
        }
    }
}
