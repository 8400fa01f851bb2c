import Foundation

/// Binary cross-entropy, DragoNN's reported loss (sklearn's `log_loss`, no class weights).
public enum BinaryCrossEntropy {
    /// Mean binary cross-entropy of `labels` (0 or 1) given `logits`, computed on the logit so
    /// that saturated sigmoids cost what they should: `max(z,0) - z*y + log(1 + exp(-|z|))`.
    /// Accumulated in double precision. Empty input gives NaN.
    public static func mean(labels: [Float], logits: [Float]) -> Double {
        precondition(labels.count == logits.count, "labels and logits differ in length")
        guard !labels.isEmpty else { return .nan }
        var sum = 0.0
        for i in 0..<labels.count {
            sum += term(label: Double(labels[i]), logit: Double(logits[i]))
        }
        return sum / Double(labels.count)
    }

    /// Cross-entropy of one label given one logit.
    @inline(__always)
    public static func term(label y: Double, logit z: Double) -> Double {
        max(z, 0) - z * y + log1p(exp(-abs(z)))
    }
}
