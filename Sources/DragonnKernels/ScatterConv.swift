// The same valid 1-D convolution as `Conv1D.forward`, computed from the input side: every
// nonzero input value is scattered through the weights of each tap onto the outputs it reaches,
// and zero inputs cost nothing. After a ReLU (or DeepLIFT's rescale rule, or the max-pool's
// routing) many inputs are exactly zero, so this does a fraction of the dense kernel's work;
// on dense input it does the same number of multiply-adds, in a different order.
// Layouts as in Conv1D.swift: x [outLength + width − 1][xStride], y [outLength][outStride],
// w [width][wRows][outStride].

public enum ScatterConv {
    /// Taps handled together: five SIMD16 accumulators (ten AVX2 registers) stay in registers.
    static let tapBlock = 5
    /// Above this fraction of nonzero inputs the dense kernel is faster (each scattered
    /// multiply-add also loads its weights, and every input row updates `width` output rows):
    /// measured (perf, haswell build) on a 3-layer tutorial model whose ReLU outputs are half
    /// zero, the scatter took 1.3x the dense kernel's time per layer.
    public static let denseAbove = 0.3

    /// y[p][:] = bias + Σ_k Σ_{c<nIn} x[(p+k)·xStride + c] · w[(k·wRows + c)·outStride + :] for
    /// p < outLength (bias nil means 0), every one of the outStride columns (a multiple of 16).
    /// Each output is the bias plus, for input rows q = p, p+1, ... in order, that row's
    /// Σ_c x[q][c] · w[q−p][c] (c ascending, zero inputs left out). `nonzero` is scratch for nIn
    /// Int32 values. Used for the transposed convolution too: x = the zero-padded output
    /// gradient, w = `Conv1D.flipTranspose`'s weights (as `Conv1D.forward` is).
    /// When more than `denseAbove` of the inputs are nonzero, `Conv1D.forward` computes it instead
    /// (the same sums in its own order).
    public static func forward(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                               x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                               w: UnsafePointer<Float>, wRows: Int, width: Int,
                               bias: UnsafePointer<Float>?, nonzero: UnsafeMutablePointer<Int32>) {
        assert(outStride % 16 == 0 && nIn <= xStride && nIn <= wRows, "ScatterConv.forward: bad layout")
        let inRows = outLength + width - 1
        if Double(nonzeroCount(x, xStride: xStride, nIn: nIn, rows: inRows)) > denseAbove * Double(nIn * inRows) {
            Conv1D.forward(y: y, outStride: outStride, outLength: outLength, x: x, xStride: xStride, nIn: nIn,
                           w: w, wRows: wRows, width: width, bias: bias)
            return
        }
        let groups = outStride / 16, kStride = wRows * outStride
        for g in 0..<groups {
            let b = bias.map { load16($0 + 16 * g) } ?? SIMD16<Float>(repeating: 0)
            for p in 0..<outLength { store16(b, y + p * outStride + 16 * g) }
        }
        for q in 0..<(outLength + width - 1) {
            let xr = x + q * xStride
            // Compacted without branches (zeros fall at random: a branch would mispredict, and
            // the compiler turns a float compare into one): the bits of |x| shifted out of the
            // sign, b, give (b | −b) >> 31 = 1 exactly when x is not ±0.
            var n = 0
            for c in 0..<nIn {
                nonzero[n] = Int32(c)
                let b = xr[c].bitPattern << 1
                n &+= Int((b | (0 &- b)) >> 31)
            }
            if n == 0 { continue }
            // Taps whose output row q − k exists.
            let kLo = max(0, q - outLength + 1), kEnd = min(width, q + 1)
            for g in 0..<groups {
                let wg = w + 16 * g, yq = y + q * outStride + 16 * g
                var k = kLo
                while k + tapBlock <= kEnd {
                    var a0 = SIMD16<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0
                    for i in 0..<n {
                        let c = Int(nonzero[i])
                        let s = SIMD16<Float>(repeating: xr[c])
                        let wk = wg + k * kStride + c * outStride
                        a0 = a0.addingProduct(s, load16(wk))
                        a1 = a1.addingProduct(s, load16(wk + kStride))
                        a2 = a2.addingProduct(s, load16(wk + 2 * kStride))
                        a3 = a3.addingProduct(s, load16(wk + 3 * kStride))
                        a4 = a4.addingProduct(s, load16(wk + 4 * kStride))
                    }
                    let yk = yq - k * outStride
                    store16(load16(yk) + a0, yk)
                    store16(load16(yk - outStride) + a1, yk - outStride)
                    store16(load16(yk - 2 * outStride) + a2, yk - 2 * outStride)
                    store16(load16(yk - 3 * outStride) + a3, yk - 3 * outStride)
                    store16(load16(yk - 4 * outStride) + a4, yk - 4 * outStride)
                    k += tapBlock
                }
                while k < kEnd {
                    var a = SIMD16<Float>(repeating: 0)
                    for i in 0..<n {
                        let c = Int(nonzero[i])
                        a = a.addingProduct(SIMD16(repeating: xr[c]), load16(wg + k * kStride + c * outStride))
                    }
                    let yk = yq - k * outStride
                    store16(load16(yk) + a, yk)
                    k += 1
                }
            }
        }
    }
}

extension ScatterConv {
    /// The number of nonzero x[q·xStride + c] for q < rows, c < nIn.
    static func nonzeroCount(_ x: UnsafePointer<Float>, xStride: Int, nIn: Int, rows: Int) -> Int {
        var count = SIMD16<Int32>(repeating: 0)
        let one = SIMD16<Int32>(repeating: 1), zero = SIMD16<Float>(repeating: 0)
        // Lanes from nIn on are masked off (they may hold another row's values when nIn < 16).
        for j in Swift.stride(from: 0, to: nIn, by: 16) {
            let live = SIMD16<Int32>(0..<16) .< SIMD16<Int32>(repeating: Int32(nIn - j))
            for q in 0..<rows {
                count &+= SIMD16<Int32>(repeating: 0).replacing(with: one, where: (load16(x + q * xStride + j) .!= zero) .& live)
            }
        }
        return Int(count.wrappedSum())
    }
}

/// Rows of an activation or gradient buffer that hold anything.
public enum NonzeroRows {
    /// Writes to `rows` (ascending) every p < length whose row x[p·stride ..< p·stride + stride]
    /// has a nonzero value, and returns how many; stride is a multiple of 16.
    public static func find(_ x: UnsafePointer<Float>, stride: Int, length: Int, into rows: UnsafeMutablePointer<Int32>) -> Int {
        var n = 0
        for p in 0..<length {
            var j = 0
            while j < stride {
                if !allZero(load16(x + p * stride + j)) { rows[n] = Int32(p); n += 1; break }
                j += 16
            }
        }
        return n
    }
}
