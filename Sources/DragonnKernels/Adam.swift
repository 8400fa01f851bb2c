import Foundation

/// Adam (Kingma & Ba) as PyTorch implements it: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// p ← p − lr/(1−β1^t) · m / (√v / √(1−β2^t) + ε). Moments are kept in the engine's parameter
/// layout, so the update is one loop over the flat buffers. The settings type is DragonnKit's
/// `AdamSettings`; this takes its fields one by one.
public enum Adam {
    /// One update of `count` parameters with gradient `g`; `step` is the 1-based step number.
    /// params, grad, m and v are flat arrays of `count` floats in the same order.
    public static func update(params: UnsafeMutablePointer<Float>, grad: UnsafePointer<Float>,
                              m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                              count: Int, step: Int, learningRate: Double, beta1: Double, beta2: Double,
                              epsilon: Double) {
        let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
        let b1 = Float(beta1), b2 = Float(beta2)
        let stepSize = Float(learningRate / bc1)
        let invSqrtBc2 = Float(1 / bc2.squareRoot())
        let eps = Float(epsilon)
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
