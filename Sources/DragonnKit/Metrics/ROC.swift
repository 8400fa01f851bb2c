/// Area under the ROC curve: the probability that a random positive scores above a random
/// negative, ties counting one half (the Mann-Whitney U statistic over P x N, tied scores
/// receiving their average rank). NaN when either class is empty or a score is NaN.
public func areaUnderROC(labels: [Bool], scores: [Double]) -> Double {
    precondition(labels.count == scores.count, "labels and scores differ in length")
    if scores.contains(where: \.isNaN) { return .nan }
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var positives = 0.0, rankSumOfPositives = 0.0
    var start = 0
    while start < order.count {
        // One group of equal scores occupies ranks start+1 ... end; each gets the average rank.
        var end = start + 1
        while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
        let averageRank = Double(start + 1 + end) / 2
        for k in start..<end where labels[order[k]] {
            positives += 1
            rankSumOfPositives += averageRank
        }
        start = end
    }
    let negatives = Double(labels.count) - positives
    guard positives > 0, negatives > 0 else { return .nan }
    return (rankSumOfPositives - positives * (positives + 1) / 2) / (positives * negatives)
}

/// `areaUnderROC(labels:scores:)` of the items that groups sorted by increasing score
/// (`ScoreGroup.merged`) describe: the items of one score share the average of their ranks.
public func areaUnderROC(groups: [ScoreGroup]) -> Double {
    if groups.contains(where: \.score.isNaN) { return .nan }
    var positives = 0.0, negatives = 0.0, rankSumOfPositives = 0.0, start = 0.0
    ScoreGroup.forEachScore(groups, descending: false) { p, n in
        let size = Double(p + n)
        rankSumOfPositives += Double(p) * (2 * start + 1 + size) / 2
        positives += Double(p); negatives += Double(n)
        start += size
    }
    guard positives > 0, negatives > 0 else { return .nan }
    return (rankSumOfPositives - positives * (positives + 1) / 2) / (positives * negatives)
}
