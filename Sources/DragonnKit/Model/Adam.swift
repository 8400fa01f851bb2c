import Foundation

/// Adam (Kingma & Ba) as PyTorch implements it: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// p ← p − lr/(1−β1^t) · m / (√v / √(1−β2^t) + ε). Moments are kept in the engine's parameter
/// layout, so the update is one loop over the flat buffers.
public struct AdamSettings: Codable, Equatable, Sendable {
    public var learningRate: Double = 1e-3
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-7
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
    }
}

enum Adam {
    /// One update of `count` parameters with gradient `g`; `step` is the 1-based step number.
    static func update(params: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                       m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                       count: Int, step: Int, settings s: AdamSettings) {
        let bc1 = 1 - pow(s.beta1, Double(step)), bc2 = 1 - pow(s.beta2, Double(step))
        let b1 = Float(s.beta1), b2 = Float(s.beta2)
        let stepSize = Float(s.learningRate / bc1)
        let invSqrtBc2 = Float(1 / bc2.squareRoot())
        let eps = Float(s.epsilon)
        for i in 0..<count {
            let gi = grad[i]
            let mi = b1 * m[i] + (1 - b1) * gi
            let vi = b2 * v[i] + (1 - b2) * gi * gi
            m[i] = mi
            v[i] = vi
            params[i] -= stepSize * mi / (vi.squareRoot() * invSqrtBc2 + eps)
        }
    }
}
