// Which backward rules a pass through `Workspace` uses; the kernels are in DragonnKernels
// (BackwardRules.swift).
/// How a backward pass treats the nonlinear layers; linear layers (convolutions, dense) are the
/// same under both (tangermeme switches rules the same way, with hooks on one model).
enum BackwardRule {
    /// The chain rule: ReLU passes where its unit was active, max-pool routes to its arg-max.
    case gradient
    /// DeepLIFT's rescale rule against the forward pass held in `reference` (a workspace built
    /// with `keepPreActivations`, as the one running the backward pass must be).
    case rescale(reference: Workspace)
}
