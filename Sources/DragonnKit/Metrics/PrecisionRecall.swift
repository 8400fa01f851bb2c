/// One point of the precision-recall curve: everything scoring at least a threshold is called
/// positive. Thresholds are the distinct scores, so tied scores enter together.
public struct PrecisionRecallPoint: Equatable {
    public var truePositives: Int
    public var falsePositives: Int
    public var positives: Int
    public var precision: Double { Double(truePositives) / Double(truePositives + falsePositives) }
    public var recall: Double { Double(truePositives) / Double(positives) }
}

/// The precision-recall curve from the highest threshold to the lowest: one point per distinct
/// score (ties grouped), in the order of decreasing threshold (increasing recall). Empty when a
/// score is NaN (there is no ranking then).
public func precisionRecallCurve(labels: [Bool], scores: [Double]) -> [PrecisionRecallPoint] {
    precondition(labels.count == scores.count, "labels and scores differ in length")
    if scores.contains(where: \.isNaN) { return [] }
    let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    var points: [PrecisionRecallPoint] = []
    var tp = 0, fp = 0, start = 0
    while start < order.count {
        var end = start
        while end < order.count && scores[order[end]] == scores[order[start]] {
            if labels[order[end]] { tp += 1 } else { fp += 1 }
            end += 1
        }
        points.append(PrecisionRecallPoint(truePositives: tp, falsePositives: fp, positives: positives))
        start = end
    }
    return points
}

/// Average precision, scikit-learn's `average_precision_score`: the sum over thresholds of
/// (recall gained) x (precision at that threshold), tied scores forming one threshold.
/// NaN when there are no positives or a score is NaN.
public func averagePrecision(labels: [Bool], scores: [Double]) -> Double {
    let curve = precisionRecallCurve(labels: labels, scores: scores)
    guard let last = curve.last, last.positives > 0 else { return .nan }
    var sum = 0.0, previousRecall = 0.0
    for point in curve {
        sum += (point.recall - previousRecall) * point.precision
        previousRecall = point.recall
    }
    return sum
}

/// The highest recall reached at any threshold whose false discovery rate (1 - precision) is
/// at most `fdr` (DragoNN's "recall at 5% / 10% / 20% FDR"); 0 when no threshold qualifies,
/// NaN when there are no positives or a score is NaN.
public func recallAtFDR(_ fdr: Double, labels: [Bool], scores: [Double]) -> Double {
    let curve = precisionRecallCurve(labels: labels, scores: scores)
    guard let last = curve.last, last.positives > 0 else { return .nan }
    var best = 0.0
    for point in curve where point.truePositives > 0 {
        // fp / (tp + fp) <= fdr, compared without dividing (slack for the decimal fdr).
        if Double(point.falsePositives) <= fdr * Double(point.truePositives + point.falsePositives) + 1e-9 {
            best = max(best, point.recall)
        }
    }
    return best
}

/// Items sharing one score: how many are positive and how many negative (a track's interval
/// stands for all of its bases this way). 12 bytes, so that a track's intervals cost little more
/// than the file holds; counts of one score past UInt32 go in several groups.
public struct ScoreGroup: Equatable, Sendable {
    public var score: Float
    public var positives: UInt32
    public var negatives: UInt32

    public init(score: Float, positives: UInt32, negatives: UInt32) {
        self.score = score; self.positives = positives; self.negatives = negatives
    }

    /// The groups by increasing score, equal scores summed (into as few groups as the counts
    /// allow), empty groups left out; NaN scores sort last.
    public static func merged(_ groups: [ScoreGroup]) -> [ScoreGroup] {
        let sorted = groups.filter { $0.positives > 0 || $0.negatives > 0 }
            .sorted { $0.score < $1.score || (!$0.score.isNaN && $1.score.isNaN) }
        var out: [ScoreGroup] = []
        for g in sorted {
            if let last = out.last, last.score == g.score,
               case (let p, false) = last.positives.addingReportingOverflow(g.positives),
               case (let n, false) = last.negatives.addingReportingOverflow(g.negatives) {
                out[out.count - 1].positives = p
                out[out.count - 1].negatives = n
            } else {
                out.append(g)
            }
        }
        return out
    }

    /// Calls `body(positives, negatives)` once per distinct score of `groups` (sorted by
    /// increasing score, as `merged` leaves them), highest score first when `descending`.
    static func forEachScore(_ groups: [ScoreGroup], descending: Bool, _ body: (Int, Int) -> Void) {
        var i = descending ? groups.count - 1 : 0
        while descending ? i >= 0 : i < groups.count {
            var p = 0, n = 0
            let score = groups[i].score
            while (descending ? i >= 0 : i < groups.count) && groups[i].score == score {
                p += Int(groups[i].positives); n += Int(groups[i].negatives)
                i += descending ? -1 : 1
            }
            if p + n > 0 { body(p, n) }
        }
    }
}

/// `averagePrecision(labels:scores:)` of the items that groups sorted by increasing score
/// (`ScoreGroup.merged`) describe: the same thresholds, taken from the highest.
public func averagePrecision(groups: [ScoreGroup]) -> Double {
    if groups.contains(where: \.score.isNaN) { return .nan }
    let positives = groups.reduce(0) { $0 + Int($1.positives) }
    guard positives > 0 else { return .nan }
    var sum = 0.0, previousRecall = 0.0, tp = 0, fp = 0
    ScoreGroup.forEachScore(groups, descending: true) { p, n in
        tp += p; fp += n
        let recall = Double(tp) / Double(positives)
        sum += (recall - previousRecall) * (Double(tp) / Double(tp + fp))
        previousRecall = recall
    }
    return sum
}
