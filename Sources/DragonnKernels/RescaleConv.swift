// DeepLIFT's per-reference passes with the elementwise steps fused into the convolutions' stores:
// the forward keeps the pre-activation and writes the ReLU'd output in the same pass, and the
// transposed convolution onto layer 0 applies layer 0's rescale multipliers and adds the result
// into the sum over references as it stores each block of rows (still in L1), instead of two
// more passes over the layer. The arithmetic is `Conv1D.forward`'s (bias, then one fused
// multiply-add per (k, c), k outer, c inner) followed by the same elementwise operations, so the
// results equal the unfused kernels'. Layouts as in Conv1D.swift.

public enum RescaleConv {
    /// pre[p][:] = bias + Σ_k Σ_{c<nIn} x[(p+k)·xStride + c] · w[(k·wRows + c)·outStride + :] and
    /// act[p][:] = max(pre[p][:], 0) for p < outLength ([outLength][outStride] both): a layer's
    /// forward pass keeping what DeepLIFT's rescale rule reads.
    public static func forwardKeepingPre(pre: UnsafeMutablePointer<Float>, act: UnsafeMutablePointer<Float>, outStride: Int,
                                         outLength: Int, x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                                         w: UnsafePointer<Float>, wRows: Int, width: Int, bias: UnsafePointer<Float>?) {
        let zero = SIMD16<Float>(repeating: 0)
        blocked(y: pre, outStride: outStride, outLength: outLength, x: x, xStride: xStride, nIn: nIn, w: w, wRows: wRows,
                width: width, bias: bias) { offset, rows in
            for i in 0..<rows {
                let o = offset + i * outStride
                store16(laneMax(load16(pre + o), zero), act + o)
            }
        }
    }

    /// `Conv1D.forward` without the ReLU (the same sums in the same order), through this file's
    /// loop: pre-activations for the rescale rule.
    public static func forward(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int, x: UnsafePointer<Float>,
                               xStride: Int, nIn: Int, w: UnsafePointer<Float>, wRows: Int, width: Int,
                               bias: UnsafePointer<Float>?) {
        blocked(y: y, outStride: outStride, outLength: outLength, x: x, xStride: xStride, nIn: nIn, w: w, wRows: wRows,
                width: width, bias: bias) { _, _ in }
    }

    /// The input multipliers of a convolution under the rescale rule, taken through the ReLU
    /// below it and summed over references: for q < rows,
    /// y[q][:] = m(xPre[q][:], rPre[q][:]) · Σ_k Σ_{f<nIn} g[(q+k)·gStride + f] · wf[(k·wRows + f)·outStride + :]
    /// and sum[q][:] += y[q][:], with m the ReLU's rescale multiplier (`RescaleRule.relu`); rows
    /// from `rows` to outLength are set to 0 in y and left alone in sum (the caller passes the
    /// first row from which g's window is all zero). g is the layer's output multipliers with
    /// width − 1 zero rows before and after, wf `Conv1D.flipTranspose`'s weights (so the sum is
    /// the transposed convolution, as `Conv1D.forward` computes it); y, sum, xPre, rPre are
    /// [outLength][outStride].
    public static func backwardInputRescaled(y: UnsafeMutablePointer<Float>, sum: UnsafeMutablePointer<Float>, outStride: Int,
                                             outLength: Int, rows: Int, g: UnsafePointer<Float>, gStride: Int, nIn: Int,
                                             wf: UnsafePointer<Float>, wRows: Int, width: Int,
                                             xPre: UnsafePointer<Float>, rPre: UnsafePointer<Float>) {
        let rows = min(max(rows, 0), outLength)
        blocked(y: y, outStride: outStride, outLength: rows, x: g, xStride: gStride, nIn: nIn, w: wf, wRows: wRows,
                width: width, bias: nil) { offset, count in
            for i in 0..<count {
                let o = offset + i * outStride
                let v = load16(y + o) * reluRescaleMultiplier(load16(xPre + o), load16(rPre + o))
                store16(v, y + o)
                store16(load16(sum + o) + v, sum + o)
            }
        }
        (y + rows * outStride).update(repeating: 0, count: (outLength - rows) * outStride)
    }

    /// `Conv1D.forward`'s blocked loop (blocks of 6, 4, 1 positions, each sharing its weight
    /// loads), calling `after(offset, rows)` once a block is stored: its rows are
    /// y[offset + i·outStride ..< + 16] for i < rows.
    @inline(__always)
    static func blocked(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int, x: UnsafePointer<Float>, xStride: Int,
                        nIn: Int, w: UnsafePointer<Float>, wRows: Int, width: Int, bias: UnsafePointer<Float>?,
                        after: (Int, Int) -> Void) {
        assert(outStride % 16 == 0 && nIn <= xStride && nIn <= wRows, "RescaleConv: bad layout")
        let kStride = wRows * outStride
        for g in 0..<(outStride / 16) {
            let b = bias.map { load16($0 + 16 * g) } ?? SIMD16<Float>(repeating: 0)
            let wg = w + 16 * g
            // N.fixed, where set, is nIn as a constant: the channel loop then unrolls, and the
            // loop's own instructions no longer share the issue slots with its 12 FMAs.
            func blocks<B: AccumulatorBlock, S: FixedInt, N: FixedInt>(_: B.Type, _: S.Type, _: N.Type, from p0: Int) -> Int {
                let xs = S.fixed ?? xStride, n = N.fixed ?? nIn
                var p = p0
                while p + B.size <= outLength {
                    var acc = B(repeating: b)
                    for k in 0..<width {
                        let xr = x + (p + k) * xs, wk = wg + k * kStride
                        for c in 0..<n { acc.addProducts(load16(wk + c * outStride), xr + c, step: xs) }
                    }
                    acc.store(y + p * outStride + 16 * g, stride: outStride)
                    after(p * outStride + 16 * g, B.size)
                    p += B.size
                }
                return p
            }
            func walk<S: FixedInt, N: FixedInt>(_ s: S.Type, _ n: N.Type) {
                _ = blocks(Block1.self, s, n, from: blocks(Block4.self, s, n, from: blocks(Block6.self, s, n, from: 0)))
            }
            if xStride == 16 && nIn == 15 { walk(Stride16.self, Count15.self) }   // 15 filters: the tutorial's models
            else if xStride == 16 { walk(Stride16.self, IntAtRunTime.self) } else { walk(IntAtRunTime.self, IntAtRunTime.self) }
        }
    }
}
