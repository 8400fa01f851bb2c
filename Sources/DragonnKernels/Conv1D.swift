// Valid 1-D convolution on dense input (layers 2, 3, ...), forward and backward.
// Layout: input x [inLength][xStride], output y [outLength][outStride] (outStride = padded
// filters), weights w [width][wRows][outStride] — row (k, c) holds the weights from input
// channel c at tap k to every output filter, so one SIMD16 load serves 16 filters.
//   y[p][f] = b[f] + Σ_k Σ_c x[p+k][c] · w[k][c][f]
// The input gradient is the same kernel run over the zero-padded output gradient with the
// weights flipped in k and transposed in (c, f): see `flipTranspose`.
// The fast kernels walk output positions (forward) or weight rows (backwardWeights) in blocks
// of accumulators (`BlockSchedule`); the `…Naive` kernels beside them are plain scalar loops
// over the same layouts, the reference the tests hold every schedule to.

public enum Conv1D {
    /// y[p][:] = bias + Σ_k Σ_{c<nIn} x[(p+k)·xStride + c] · w[(k·wRows + c)·outStride + :] for
    /// p < outLength, every one of the outStride columns (a multiple of 16); bias nil means 0.
    /// The positions of each 16-filter group go in the blocks of `schedule` (default: the
    /// build's `BlockSchedule.native`), a block's positions sharing every weight load. Each
    /// output is the bias followed by one fused multiply-add per (k, c), k outer, c inner,
    /// whatever the schedule, so all schedules give identical results. With `relu`, each output
    /// is written as max(y, 0) (the ReLU fused into the store: one pass over y instead of two).
    public static func forward(schedule: BlockSchedule = .native, y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                        x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                        w: UnsafePointer<Float>, wRows: Int, width: Int,
                        bias: UnsafePointer<Float>?, relu: Bool = false) {
        assert(outStride % 16 == 0 && nIn <= xStride && nIn <= wRows, "Conv1D.forward: bad layout")
        let kStride = wRows * outStride
        for g in 0..<(outStride / 16) {
            let b = bias.map { load16($0 + 16 * g) } ?? SIMD16<Float>(repeating: 0)
            let wg = w + 16 * g, yg = y + 16 * g
            // Blocks of B.size positions from p0 while one fits; returns the first position left.
            // The input stride is S.fixed where that is set (16: up to 16 channels), a constant
            // after specialisation, so that the block's input loads address by displacement (no
            // pointer arithmetic in the inner loop, which is otherwise issue-bound on AVX2: 12
            // FMAs among about 30 instructions).
            func blocks<B: AccumulatorBlock, S: FixedInt>(_: B.Type, _: S.Type, from p0: Int) -> Int {
                let xs = S.fixed ?? xStride
                var p = p0
                while p + B.size <= outLength {
                    var acc = B(repeating: b)
                    for k in 0..<width {
                        let xr = x + (p + k) * xs, wk = wg + k * kStride
                        for c in 0..<nIn { acc.addProducts(load16(wk + c * outStride), xr + c, step: xs) }
                    }
                    if relu { acc.clampNegatives() }
                    acc.store(yg + p * outStride, stride: outStride)
                    p += B.size
                }
                return p
            }
            // Widest blocks first; each narrower one starts where the last stopped.
            func walk<S: FixedInt>(_ s: S.Type) {
                let start = schedule == .by8 ? blocks(Block8.self, s, from: 0) : 0
                _ = blocks(Block1.self, s, from: blocks(Block4.self, s, from: blocks(Block6.self, s, from: start)))
            }
            if xStride == 16 { walk(Stride16.self) } else { walk(IntAtRunTime.self) }
        }
    }

    /// Reference for `forward`: the same definition and layouts in plain scalar loops
    /// (separate multiply and add, so it differs from the fused kernels by rounding only).
    static func forwardNaive(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                             x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                             w: UnsafePointer<Float>, wRows: Int, width: Int,
                             bias: UnsafePointer<Float>?) {
        for p in 0..<outLength {
            for f in 0..<outStride {
                var acc = bias?[f] ?? 0
                for k in 0..<width {
                    for c in 0..<nIn { acc += x[(p + k) * xStride + c] * w[(k * wRows + c) * outStride + f] }
                }
                y[p * outStride + f] = acc
            }
        }
    }

    /// Accumulates the weight and bias gradients:
    /// dW[k][c][:] += Σ_p x[p+k][c] · dY[p][:] for c < rows, dB[:] += Σ_p dY[p][:].
    /// Layouts: dW [width][wRows][outStride], dY [outLength][outStride], x as in `forward`.
    /// The rows (c) of each tap go in the blocks of `schedule` (default: the build's
    /// `BlockSchedule.native`), a block's rows sharing every dY load. Each weight's sum starts
    /// at 0, takes one fused multiply-add per position in order and is then added to dW,
    /// whatever the schedule, so all schedules give identical results.
    /// With `positions` (ascending, `positionCount` of them), the sums run over those positions
    /// only: the rows of dY that can be nonzero (after a max-pool only its arg-max rows are).
    /// Skipping a zero row of dY adds exactly 0 to every sum, so the result is bit-identical to
    /// the sum over all positions.
    public static func backwardWeights(schedule: BlockSchedule = .native, dW: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
                                dY: UnsafePointer<Float>, outStride: Int, outLength: Int,
                                x: UnsafePointer<Float>, xStride: Int, rows: Int, wRows: Int, width: Int,
                                positions: UnsafePointer<Int32>? = nil, positionCount: Int = 0) {
        assert(outStride % 16 == 0 && rows <= xStride && rows <= wRows, "Conv1D.backwardWeights: bad layout")
        for g in 0..<(outStride / 16) {
            let dyg = dY + 16 * g
            var sb = SIMD16<Float>(repeating: 0)
            if let positions {
                for i in 0..<positionCount { sb += load16(dyg + Int(positions[i]) * outStride) }
            } else {
                for p in 0..<outLength { sb += load16(dyg + p * outStride) }
            }
            store16(load16(dB + 16 * g) + sb, dB + 16 * g)
            for k in 0..<width {
                // Blocks of B.size rows from c0 while one fits; returns the first row left.
                func blocks<B: AccumulatorBlock>(_: B.Type, from c0: Int) -> Int {
                    var c = c0
                    while c + B.size <= rows {
                        var acc = B(repeating: SIMD16(repeating: 0))
                        if let positions {
                            for i in 0..<positionCount {
                                let p = Int(positions[i])
                                acc.addProducts(load16(dyg + p * outStride), x + (p + k) * xStride + c, step: 1)
                            }
                        } else {
                            var xp = x + k * xStride + c, dp = dyg
                            for _ in 0..<outLength {
                                acc.addProducts(load16(dp), xp, step: 1)
                                xp += xStride
                                dp += outStride
                            }
                        }
                        acc.addStore(dW + (k * wRows + c) * outStride + 16 * g, stride: outStride)
                        c += B.size
                    }
                    return c
                }
                // Widest blocks first; each narrower one starts where the last stopped.
                let start = schedule == .by8 ? blocks(Block8.self, from: 0) : 0
                _ = blocks(Block1.self, from: blocks(Block4.self, from: blocks(Block6.self, from: start)))
            }
        }
    }

    /// Reference for `backwardWeights` in plain scalar loops over the same layouts.
    static func backwardWeightsNaive(dW: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
                                     dY: UnsafePointer<Float>, outStride: Int, outLength: Int,
                                     x: UnsafePointer<Float>, xStride: Int, rows: Int, wRows: Int, width: Int) {
        for f in 0..<outStride {
            var sb: Float = 0
            for p in 0..<outLength { sb += dY[p * outStride + f] }
            dB[f] += sb
            for k in 0..<width {
                for c in 0..<rows {
                    var acc: Float = 0
                    for p in 0..<outLength { acc += x[(p + k) * xStride + c] * dY[p * outStride + f] }
                    dW[(k * wRows + c) * outStride + f] += acc
                }
            }
        }
    }

    /// Weights for the input gradient: wf[j][f][c] = w[width−1−j][c][f], shaped
    /// [width][outStride rows][inStride]; rows/columns beyond the real channels are 0.
    public static func flipTranspose(w: UnsafePointer<Float>, wRows: Int, outStride: Int, width: Int,
                              inChannels: Int, outChannels: Int,
                              into wf: UnsafeMutablePointer<Float>, inStride: Int) {
        wf.update(repeating: 0, count: width * outStride * inStride)
        for j in 0..<width {
            let k = width - 1 - j
            for f in 0..<outChannels {
                for c in 0..<inChannels {
                    wf[(j * outStride + f) * inStride + c] = w[(k * wRows + c) * outStride + f]
                }
            }
        }
    }

    /// Reference for the input gradient that `forward` over `flipTranspose`d weights computes:
    /// dX[q][c] = Σ_k Σ_{f<outChannels} dY[q−k][f] · w[k][c][f] over the positions q−k that
    /// exist, for q < outLength + width − 1 and c < inChannels; dX is [inLength][inStride] and
    /// its columns from inChannels on are set to 0.
    static func backwardInputNaive(dX: UnsafeMutablePointer<Float>, inStride: Int, inChannels: Int,
                                   dY: UnsafePointer<Float>, outStride: Int, outLength: Int, outChannels: Int,
                                   w: UnsafePointer<Float>, wRows: Int, width: Int) {
        for q in 0..<(outLength + width - 1) {
            for c in 0..<inStride {
                var acc: Float = 0
                if c < inChannels {
                    for k in 0..<width where q - k >= 0 && q - k < outLength {
                        for f in 0..<outChannels { acc += dY[(q - k) * outStride + f] * w[(k * wRows + c) * outStride + f] }
                    }
                }
                dX[q * inStride + c] = acc
            }
        }
    }
}
