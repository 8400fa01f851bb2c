/// Balanced accuracy at probability 0.5 (logit 0), as DragoNN reports it: the mean of the
/// fraction of positives scored above the threshold and the fraction of negatives scored below it.
/// A score exactly at the threshold counts as wrong for both classes. A class with no members
/// makes the result NaN.
public func balancedAccuracy(labels: [Bool], scores: [Double], threshold: Double = 0) -> Double {
    precondition(labels.count == scores.count, "labels and scores differ in length")
    var positives = 0, negatives = 0, truePositives = 0, trueNegatives = 0
    for i in 0..<labels.count {
        if labels[i] {
            positives += 1
            if scores[i] > threshold { truePositives += 1 }
        } else {
            negatives += 1
            if scores[i] < threshold { trueNegatives += 1 }
        }
    }
    guard positives > 0, negatives > 0 else { return .nan }
    return (Double(truePositives) / Double(positives) + Double(trueNegatives) / Double(negatives)) / 2
}
