// The tail of in-silico mutagenesis (InSilicoMutagenesis.swift in DragonnKit): how a mutant's
// changed rows of the last conv layer move the task logits through max-pool and dense.

public enum MutantPool {
    /// For each pool window w in firstWindow...lastWindow and 16-channel group g of `stride`:
    /// delta = max_{p in window w} row(p)[16g..<16g+16] − pooled[w][16g..<16g+16], where row(p) is
    /// changed[p − lo] for lo ≤ p ≤ hi and activations[p] otherwise; then
    /// logitDelta[t] += Σ_lanes dense[t·denseInputs + w·stride + 16g + lane] · delta[lane] for
    /// t < tasks (groups whose delta is all zero add nothing). Layouts: activations
    /// [length][stride] (the sequence's last conv output), changed [hi − lo + 1][stride], pooled
    /// [pooledLength][stride], dense [tasks][denseInputs]; windows are `width` rows long.
    public static func addLogitDelta(activations: UnsafePointer<Float>, changed: UnsafePointer<Float>,
                                     lo: Int, hi: Int, stride: Int, width: Int,
                                     firstWindow: Int, lastWindow: Int, pooled: UnsafePointer<Float>,
                                     dense: UnsafePointer<Float>, denseInputs: Int, tasks: Int,
                                     logitDelta: UnsafeMutablePointer<Float>) {
        for w in firstWindow...lastWindow {
            for g in 0..<(stride / 16) {
                var m = SIMD16<Float>(repeating: -.infinity)
                for p in (w * width)..<((w + 1) * width) {
                    m = laneMax(m, p >= lo && p <= hi ? load16(changed + (p - lo) * stride + 16 * g)
                                                      : load16(activations + p * stride + 16 * g))
                }
                let delta = m - load16(pooled + w * stride + 16 * g)
                if allZero(delta) { continue }
                for t in 0..<tasks {
                    logitDelta[t] += (load16(dense + t * denseInputs + w * stride + 16 * g) * delta).sum()
                }
            }
        }
    }
}
