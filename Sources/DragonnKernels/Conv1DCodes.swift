// First convolution layer, on base codes (A0 C1 G2 T3, anything else 4) instead of one-hot
// floats: a convolution over one-hot input is a gather-and-add of filter columns.
// Weights w [width][5][outStride]: row (k, b) = weights of base b at tap k for every filter;
// row 4 (N) is all zeros, so an N contributes nothing.
//   y[p][:] = bias + Σ_k w[k][code[p+k]][:]
// The `…Naive` kernels are plain scalar loops over the same layouts, the tests' reference.

public enum Conv1DCodes {
    /// Rows per tap in the weight table: A, C, G, T and the zero row for N.
    public static let rows = 5

    /// y[p][:] = bias + Σ_k w[k][code[p+k]][:] for p < outLength (codes above 4 count as 4), as plain
    /// scalar loops: the reference `forwardPaired` is tested against (equal up to rounding).
    static func forwardNaive(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                             codes: UnsafePointer<UInt8>, w: UnsafePointer<Float>, width: Int,
                             bias: UnsafePointer<Float>) {
        for p in 0..<outLength {
            for f in 0..<outStride {
                var acc = bias[f]
                for k in 0..<width { acc += w[(k * rows + Int(min(codes[p + k], 4))) * outStride + f] }
                y[p * outStride + f] = acc
            }
        }
    }

    /// Tap-pair table for `forwardPaired`: t2[j][a·5 + b][:] = w[2j][a][:] + w[2j+1][b][:] for
    /// j < width/2 — two taps cost one load and add. Shape [width/2][25][outStride].
    public static func pairTable(w: UnsafePointer<Float>, width: Int, outStride: Int, into t2: UnsafeMutablePointer<Float>) {
        for j in 0..<(width / 2) {
            for a in 0..<rows { for b in 0..<rows {
                let dst = t2 + (j * 25 + a * 5 + b) * outStride
                let wa = w + ((2 * j) * rows + a) * outStride, wb = w + ((2 * j + 1) * rows + b) * outStride
                for f in 0..<outStride { dst[f] = wa[f] + wb[f] }
            } }
        }
    }

    /// Layer 0's forward through the tap-pair table, y [outLength][outStride], codes
    /// [outLength + width − 1] (width/2 loads per output instead of width). `offsets` is scratch for 2 × inLength Int32 values.
    /// With `relu`, each output is written as max(y, 0) (the ReLU fused into the store); with
    /// `activations`, y keeps the sums and max(y, 0) goes there as well (DeepLIFT reads both).
    public static func forwardPaired(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                              codes: UnsafePointer<UInt8>, w: UnsafePointer<Float>, pairs: UnsafePointer<Float>,
                              width: Int, bias: UnsafePointer<Float>, offsets: UnsafeMutablePointer<Int32>,
                              relu: Bool = false, activations: UnsafeMutablePointer<Float>? = nil) {
        assert(outStride % 16 == 0, "Conv1DCodes.forwardPaired: outStride not a multiple of 16")
        let inLength = outLength + width - 1
        let pairOff = offsets, singleOff = offsets + inLength
        // Two branch-free passes (both vectorise): (a·5 + b)·S = 5·(a·S) + b·S.
        let s32 = Int32(outStride)
        for q in 0..<inLength { singleOff[q] = Int32(min(codes[q], 4)) &* s32 }
        for q in 0..<(inLength - 1) { pairOff[q] = 5 &* singleOff[q] &+ singleOff[q + 1] }
        pairOff[inLength - 1] = 0
        let half = width / 2, odd = width % 2 == 1
        let pStride = 25 * outStride
        let lastTap = w + (width - 1) * rows * outStride
        // The common shapes run as their own specialisations (`FixedInt`, `FixedBool`): with
        // `half` a constant the tap loop unrolls (its loop control otherwise costs as much as its
        // loads and adds), and the `odd` and `relu` tests leave the per-position loop.
        func run<Half: FixedInt, Odd: FixedBool, ReLU: FixedBool>(_: Half.Type, _: Odd.Type, _: ReLU.Type) {
            let half = Half.fixed ?? half, odd = Odd.fixed ?? odd, relu = ReLU.fixed ?? relu
            for g in 0..<(outStride / 16) {
                let b = load16(bias + 16 * g)
                let pg = pairs + 16 * g
                for p in 0..<outLength {
                    var a0 = b, a1 = SIMD16<Float>(repeating: 0)
                    var j = 0
                    while j + 2 <= half {
                        a0 += load16(pg + j * pStride + Int(pairOff[p + 2 * j]))
                        a1 += load16(pg + (j + 1) * pStride + Int(pairOff[p + 2 * j + 2]))
                        j += 2
                    }
                    if j < half { a0 += load16(pg + j * pStride + Int(pairOff[p + 2 * j])) }
                    if odd { a1 += load16(lastTap + 16 * g + Int(singleOff[p + width - 1])) }
                    let sum = a0 + a1
                    store16(relu ? laneMax(sum, SIMD16(repeating: 0)) : sum, y + p * outStride + 16 * g)
                    if let activations { store16(laneMax(sum, SIMD16(repeating: 0)), activations + p * outStride + 16 * g) }
                }
            }
        }
        switch (half, odd, relu) {
        case (5, false, false): run(Count5.self, No.self, No.self)     // width 10 (the tutorial's)
        case (5, false, true): run(Count5.self, No.self, Yes.self)
        case (5, true, _): run(Count5.self, Yes.self, BoolAtRunTime.self)   // width 11
        case (7, true, false): run(Count7.self, Yes.self, No.self)   // width 15 (SequenceDNN's default)
        case (7, true, true): run(Count7.self, Yes.self, Yes.self)
        case (7, false, _): run(Count7.self, No.self, BoolAtRunTime.self)  // width 14
        default: run(IntAtRunTime.self, BoolAtRunTime.self, BoolAtRunTime.self)
        }
    }

    /// Accumulates dW[k][code[p+k]][:] += dY[p][:] and dB[:] += Σ_p dY[p][:]; the N row is set
    /// to 0. dW [width][5][outStride], dY [outLength][outStride]. With `positions` (ascending,
    /// `positionCount`), only those rows of dY are added: the rows a max-pool right above routed
    /// to; the others are zero and would add exactly nothing.
    public static func backwardWeights(dW: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
                                dY: UnsafePointer<Float>, outStride: Int, outLength: Int,
                                codes: UnsafePointer<UInt8>, width: Int,
                                positions: UnsafePointer<Int32>? = nil, positionCount: Int = 0) {
        assert(outStride % 16 == 0, "Conv1DCodes.backwardWeights: outStride not a multiple of 16")
        let groups = outStride / 16
        let kStride = rows * outStride
        for g in 0..<groups {
            var sb = SIMD16<Float>(repeating: 0)
            let dyg = dY + 16 * g
            let wg = dW + 16 * g
            for i in 0..<(positions == nil ? outLength : positionCount) {
                let p = positions.map { Int($0[i]) } ?? i
                let d = load16(dyg + p * outStride)
                sb += d
                for k in 0..<width {
                    let wp = wg + k * kStride + Int(min(codes[p + k], 4)) * outStride
                    store16(load16(wp) + d, wp)
                }
            }
            store16(load16(dB + 16 * g) + sb, dB + 16 * g)
            for k in 0..<width {
                let wp = wg + (k * kStride + 4 * outStride)
                store16(SIMD16(repeating: 0), wp)
            }
        }
    }

    /// Reference for `backwardWeights` in plain scalar loops (same summation order per weight:
    /// position by position onto the existing value).
    static func backwardWeightsNaive(dW: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
                                     dY: UnsafePointer<Float>, outStride: Int, outLength: Int,
                                     codes: UnsafePointer<UInt8>, width: Int) {
        for f in 0..<outStride {
            var sb: Float = 0
            for p in 0..<outLength {
                sb += dY[p * outStride + f]
                for k in 0..<width { dW[(k * rows + Int(min(codes[p + k], 4))) * outStride + f] += dY[p * outStride + f] }
            }
            dB[f] += sb
            for k in 0..<width { dW[(k * rows + 4) * outStride + f] = 0 }
        }
    }
}
