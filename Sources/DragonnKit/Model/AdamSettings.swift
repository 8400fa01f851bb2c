/// Adam (Kingma & Ba) as PyTorch implements it: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
/// p ← p − lr/(1−β1^t) · m / (√v / √(1−β2^t) + ε). Moments are kept in the engine's parameter
/// layout, so the update is one loop over the flat buffers (`Adam.update` in DragonnKernels).
public struct AdamSettings: Codable, Equatable, Sendable {
    public var learningRate: Double = 1e-3
    public var beta1: Double = 0.9
    public var beta2: Double = 0.999
    public var epsilon: Double = 1e-7
    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
    }
}
