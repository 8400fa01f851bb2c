import Foundation

/// Sigmoid + binary cross-entropy on logits, optionally weighted per entry.
public enum SigmoidCrossEntropy {
    /// The logistic function 1 / (1 + e^(−z)).
    @inlinable public static func sigmoid(_ z: Float) -> Float {
        z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
    }

    /// −[y·log σ(z) + (1−y)·log(1−σ(z))], computed stably as max(z,0) − z·y + log(1 + e^(−|z|)).
    @inlinable public static func loss(logit z: Float, label y: Float) -> Double {
        let zd = Double(z)
        return max(zd, 0) - zd * Double(y) + log1p(exp(-abs(zd)))
    }

    /// d loss / d z = σ(z) − y.
    @inlinable public static func gradient(logit z: Float, label y: Float) -> Float { sigmoid(z) - y }

    /// DragoNN's class weights for one task: n/n_pos for positives, n/n_neg for negatives, one
    /// per example (labels [N]). Nil when there are no positives or no negatives.
    public static func classWeights(labels: [Float]) -> [Float]? {
        let n = labels.count
        let pos = labels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
        let neg = n - pos
        guard pos > 0, neg > 0 else { return nil }
        let wp = Float(Double(n) / Double(pos)), wn = Float(Double(n) / Double(neg))
        return labels.map { $0 > 0.5 ? wp : wn }
    }
}
