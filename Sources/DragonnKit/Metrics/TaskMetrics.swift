import Foundation

/// The classification metrics DragoNN reports for one task: loss, balanced accuracy, auROC,
/// auPRC, recall at 5%, 10% and 20% FDR, and the class counts.
public struct TaskMetrics: Codable, Equatable, Sendable {
    public var task: String
    /// Mean binary cross-entropy without class weights.
    public var loss: Double
    public var balancedAccuracy: Double
    public var auROC: Double
    /// Average precision (scikit-learn's definition).
    public var auPRC: Double
    public var recallAt5FDR: Double
    public var recallAt10FDR: Double
    public var recallAt20FDR: Double
    public var positives: Int
    public var negatives: Int

    /// Metrics of each task from `labels` and `logits`, both `[sequence][task]` row-major with
    /// `taskNames.count` tasks. Ranking is done on the logits (the same order as the
    /// probabilities, without the ties float32 sigmoid saturation would create).
    public static func evaluate(labels: [Float], logits: [Float], taskNames: [String]) -> [TaskMetrics] {
        let tasks = taskNames.count
        precondition(tasks > 0 && labels.count == logits.count && labels.count % tasks == 0,
                     "labels and logits must both be [sequence][task]")
        let n = labels.count / tasks
        return (0..<tasks).map { t in
            var y = [Float](repeating: 0, count: n), z = [Float](repeating: 0, count: n)
            for i in 0..<n { y[i] = labels[i * tasks + t]; z[i] = logits[i * tasks + t] }
            return evaluateTask(name: taskNames[t], labels: y, logits: z)
        }
    }

    /// Metrics of one task from its labels (0 or 1) and logits.
    public static func evaluateTask(name: String, labels: [Float], logits: [Float]) -> TaskMetrics {
        let truth = labels.map { $0 > 0.5 }
        let scores = logits.map(Double.init)
        let positives = truth.reduce(0) { $0 + ($1 ? 1 : 0) }
        return TaskMetrics(
            task: name,
            loss: BinaryCrossEntropy.mean(labels: labels, logits: logits),
            balancedAccuracy: DragonnKit.balancedAccuracy(labels: truth, scores: scores, threshold: 0),
            auROC: areaUnderROC(labels: truth, scores: scores),
            auPRC: averagePrecision(labels: truth, scores: scores),
            recallAt5FDR: recallAtFDR(0.05, labels: truth, scores: scores),
            recallAt10FDR: recallAtFDR(0.10, labels: truth, scores: scores),
            recallAt20FDR: recallAtFDR(0.20, labels: truth, scores: scores),
            positives: positives, negatives: truth.count - positives)
    }

    /// Column names of `tsvFields`, tab-separated.
    public static let tsvHeader =
        "loss\tbalanced_accuracy\tauroc\tauprc\trecall_at_5pct_fdr\trecall_at_10pct_fdr\trecall_at_20pct_fdr\tpositives\tnegatives"

    /// The metrics as tab-separated fields (fractions, not percentages; `nan` when undefined).
    public var tsvFields: String {
        [loss, balancedAccuracy, auROC, auPRC, recallAt5FDR, recallAt10FDR, recallAt20FDR]
            .map(Self.number).joined(separator: "\t") + "\t\(positives)\t\(negatives)"
    }

    /// One human-readable line in DragoNN's wording (accuracy and recall in percent).
    public var summary: String {
        "Loss: \(Self.fixed(loss, 4))  Balanced accuracy: \(Self.percent(balancedAccuracy))"
            + "  auROC: \(Self.fixed(auROC, 3))  auPRC: \(Self.fixed(auPRC, 3))"
            + "  Recall at 5%|10%|20% FDR: \(Self.percent(recallAt5FDR, 1))|\(Self.percent(recallAt10FDR, 1))|\(Self.percent(recallAt20FDR, 1))"
            + "  Positives: \(positives)  Negatives: \(negatives)"
    }

    static func number(_ x: Double) -> String {
        x.isNaN ? "nan" : String(format: "%.6g", x)
    }
    static func fixed(_ x: Double, _ digits: Int) -> String {
        x.isNaN ? "nan" : String(format: "%.\(digits)f", x)
    }
    static func percent(_ x: Double, _ digits: Int = 2) -> String {
        x.isNaN ? "nan" : String(format: "%.\(digits)f%%", 100 * x)
    }
}

extension Array where Element == TaskMetrics {
    /// The loss averaged over tasks (what early stopping watches, as in DragoNN).
    public var meanLoss: Double {
        isEmpty ? .nan : reduce(0) { $0 + $1.loss } / Double(count)
    }
    /// auROC averaged over tasks (NaN if any task's is undefined).
    public var meanAuROC: Double {
        isEmpty ? .nan : reduce(0) { $0 + $1.auROC } / Double(count)
    }
}
