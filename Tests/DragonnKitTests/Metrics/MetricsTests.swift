import XCTest
import DragonnKit

/// Metric functions against values worked out by hand (see each comment), ties included.
final class MetricsTests: XCTestCase {
    // labels 1 0 1 0 1 with scores .9 .8 .8 .3 .1: one positive/negative tie at 0.8.
    let labels = [true, false, true, false, true]
    let scores = [0.9, 0.8, 0.8, 0.3, 0.1]

    func testAuROCCountsTiesAsHalf() {
        // Positive-negative pairs: (.9,.8)=1 (.9,.3)=1 (.8,.8)=1/2 (.8,.3)=1 (.1,.8)=0 (.1,.3)=0 -> 3.5/6.
        XCTAssertEqual(areaUnderROC(labels: labels, scores: scores), 3.5 / 6, accuracy: 1e-12)
        XCTAssertEqual(areaUnderROC(labels: [true, false, true], scores: [3, 2, 1]), 0.5, accuracy: 1e-12)
        XCTAssertEqual(areaUnderROC(labels: [false, true], scores: [1, 2]), 1, accuracy: 1e-12)
        XCTAssertEqual(areaUnderROC(labels: [true, false, false, true], scores: [7, 7, 7, 7]), 0.5, accuracy: 1e-12)
        XCTAssertTrue(areaUnderROC(labels: [true, true], scores: [1, 2]).isNaN)
    }

    func testAuROCMatchesPairCountingOnManyTies() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let n = Int.random(in: 2...60, using: &rng)
            let y = (0..<n).map { _ in Bool.random(using: &rng) }
            let s = (0..<n).map { _ in Double(Int.random(in: 0...5, using: &rng)) }
            var wins = 0.0, pairs = 0.0
            for i in 0..<n where y[i] { for j in 0..<n where !y[j] {
                pairs += 1
                wins += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0)
            } }
            let auc = areaUnderROC(labels: y, scores: s)
            if pairs == 0 { XCTAssertTrue(auc.isNaN) } else { XCTAssertEqual(auc, wins / pairs, accuracy: 1e-12) }
        }
    }

    /// Items given as score groups (a track's intervals: one score, many bases) rank exactly as
    /// the same items listed one by one: random groups, repeated scores, empty groups.
    func testGroupedItemsScoreAsTheItemsOneByOne() {
        var rng = RandomSource(seed: 9)
        for trial in 0..<40 {
            var groups: [ScoreGroup] = [], labels: [Bool] = [], scores: [Double] = []
            for _ in 0..<(1 + rng.int(below: 12)) {
                let g = ScoreGroup(score: Float(rng.int(below: 6)) - 2.5, positives: UInt32(rng.int(below: 4)),
                                   negatives: UInt32(rng.int(below: 4)))
                groups.append(g)
                labels += Array(repeating: true, count: Int(g.positives)) + Array(repeating: false, count: Int(g.negatives))
                scores += Array(repeating: Double(g.score), count: Int(g.positives + g.negatives))
            }
            let merged = ScoreGroup.merged(groups)
            XCTAssertEqual(merged.map(\.score), Array(Set(groups.filter { $0.positives + $0.negatives > 0 }.map(\.score))).sorted(),
                           "trial \(trial)")
            let ap = averagePrecision(labels: labels, scores: scores), auc = areaUnderROC(labels: labels, scores: scores)
            if ap.isNaN { XCTAssertTrue(averagePrecision(groups: merged).isNaN) } else {
                XCTAssertEqual(averagePrecision(groups: merged), ap, accuracy: 1e-12, "trial \(trial)")
            }
            if auc.isNaN { XCTAssertTrue(areaUnderROC(groups: merged).isNaN) } else {
                XCTAssertEqual(areaUnderROC(groups: merged), auc, accuracy: 1e-12, "trial \(trial)")
            }
        }
        XCTAssertTrue(areaUnderROC(groups: ScoreGroup.merged([ScoreGroup(score: .nan, positives: 1, negatives: 1)])).isNaN)
        // Counts of one score beyond UInt32 stay in several groups and still rank as one score:
        // 3 × 2^31 positives and 2^31 negatives at 1, 2^31 negatives at 0.
        let big = UInt32(1) << 31
        let split = ScoreGroup.merged([ScoreGroup(score: 1, positives: big, negatives: 0), ScoreGroup(score: 0, positives: 0, negatives: big),
                                       ScoreGroup(score: 1, positives: big, negatives: big), ScoreGroup(score: 1, positives: big, negatives: 0)])
        XCTAssertEqual(split.count, 4)   // any two of the three 1s would overflow
        XCTAssertEqual(averagePrecision(groups: split), 0.75, accuracy: 1e-12)
        XCTAssertEqual(areaUnderROC(groups: split), 0.75, accuracy: 1e-12)   // half the negatives below, half tied
    }

    func testAveragePrecisionGroupsTies() {
        // Thresholds .9: P=1 R=1/3; .8 (two tied): P=2/3 R=2/3; .3: P=1/2 R=2/3; .1: P=3/5 R=1.
        // AP = 1/3*1 + 1/3*2/3 + 0*1/2 + 1/3*3/5 = 34/45.
        XCTAssertEqual(averagePrecision(labels: labels, scores: scores), 34.0 / 45, accuracy: 1e-12)
        // Everything tied: one threshold, precision = positive fraction.
        XCTAssertEqual(averagePrecision(labels: [true, false, false, true], scores: [0.3, 0.3, 0.3, 0.3]), 0.5, accuracy: 1e-12)
        XCTAssertEqual(averagePrecision(labels: [false, true], scores: [1, 2]), 1, accuracy: 1e-12)
        // Ranking a positive last: 1/2*1 + 1/2*2/3.
        XCTAssertEqual(averagePrecision(labels: [true, false, true], scores: [3, 2, 1]), 0.5 + 1.0 / 3, accuracy: 1e-12)
        XCTAssertTrue(averagePrecision(labels: [false, false], scores: [1, 2]).isNaN)
    }

    func testRecallAtFDR() {
        // Precision by threshold: 1, 2/3, 1/2, 3/5 at recall 1/3, 2/3, 2/3, 1.
        XCTAssertEqual(recallAtFDR(0.05, labels: labels, scores: scores), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(recallAtFDR(0.20, labels: labels, scores: scores), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(recallAtFDR(0.35, labels: labels, scores: scores), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(recallAtFDR(0.40, labels: labels, scores: scores), 1, accuracy: 1e-12) // 3/5 exactly 0.6
        // Top score is a negative tied with a positive: precision 1/2 there, never 95%.
        XCTAssertEqual(recallAtFDR(0.05, labels: [true, false, true], scores: [5, 5, 1]), 0, accuracy: 1e-12)
    }

    func testBalancedAccuracyThresholdIsStrict() {
        // Positives above .5: .9 .8 yes, .1 no -> 2/3; negatives below .5: .8 no, .3 yes -> 1/2.
        XCTAssertEqual(balancedAccuracy(labels: labels, scores: scores, threshold: 0.5), 7.0 / 12, accuracy: 1e-12)
        XCTAssertEqual(balancedAccuracy(labels: [true, false], scores: [0.5, 0.5], threshold: 0.5), 0)
        XCTAssertEqual(balancedAccuracy(labels: [true, false], scores: [0.1, -0.1]), 1)
    }

    func testLossOnLogits() {
        // p = sigmoid(0) = 1/2 for a positive: ln 2; p = sigmoid(ln 3) = 3/4 for a negative: ln 4.
        XCTAssertEqual(BinaryCrossEntropy.mean(labels: [1, 0], logits: [0, Float(log(3.0))]), 1.5 * log(2.0), accuracy: 1e-6)
        // Saturated logits stay finite: a confident wrong call costs its logit.
        XCTAssertEqual(BinaryCrossEntropy.mean(labels: [0], logits: [100]), 100, accuracy: 1e-9)
        XCTAssertEqual(BinaryCrossEntropy.mean(labels: [1], logits: [100]), 0, accuracy: 1e-30)
    }

    func testEvaluateSplitsTasks() {
        // [sequence][task]: task a ranks perfectly, task b exactly backwards.
        let y: [Float] = [1, 0, 0, 1, 1, 0, 0, 1]
        let z: [Float] = [2, 2, -1, -1, 3, 3, -2, -2]
        let m = TaskMetrics.evaluate(labels: y, logits: z, taskNames: ["a", "b"])
        XCTAssertEqual(m.map(\.task), ["a", "b"])
        XCTAssertEqual(m[0].auROC, 1); XCTAssertEqual(m[1].auROC, 0)
        XCTAssertEqual(m[0].balancedAccuracy, 1); XCTAssertEqual(m[1].balancedAccuracy, 0)
        XCTAssertEqual(m[0].positives, 2); XCTAssertEqual(m[0].negatives, 2)
        XCTAssertEqual(m[0].recallAt5FDR, 1); XCTAssertEqual(m[1].recallAt20FDR, 0)
        XCTAssertEqual(m.meanAuROC, 0.5)
        let expectedLossA = (log1p(exp(-2.0)) + log1p(exp(-1.0)) + log1p(exp(-3.0)) + log1p(exp(-2.0))) / 4
        XCTAssertEqual(m[0].loss, expectedLossA, accuracy: 1e-6)
        XCTAssertEqual(m[0].tsvFields.split(separator: "\t").count, TaskMetrics.tsvHeader.split(separator: "\t").count)
        XCTAssertTrue(m[1].summary.contains("auROC: 0.000"), m[1].summary)
    }
}

final class MetricsNaNTests: XCTestCase {
    func testNaNScoresGiveNaNRankingMetrics() {
        let y = [true, false, true], s = [0.3, .nan, 0.1]
        XCTAssertTrue(areaUnderROC(labels: y, scores: s).isNaN)
        XCTAssertTrue(averagePrecision(labels: y, scores: s).isNaN)
        XCTAssertTrue(recallAtFDR(0.1, labels: y, scores: s).isNaN)
        // The NaN sequence is simply wrong for balanced accuracy: positives 2/2 right, negatives 0/1.
        XCTAssertEqual(balancedAccuracy(labels: y, scores: s, threshold: 0), 0.5)
    }
}
