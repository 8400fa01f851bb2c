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

    /// y[p][:] = bias + Σ_k Σ_{c<nIn} x[(p+k)·xStride + c] · w[(k·wRows + c)·outStride + :] for
    /// p < outLength (bias nil means 0), every one of the outStride columns (a multiple of 16).
    /// Each output is the bias plus, for input rows q = p, p+1, ... in order, that row's
    /// Σ_c x[q][c] · w[q−p][c] (c ascending, zero inputs left out). `nonzero` is scratch for nIn
    /// Int32 values. Used for the transposed convolution too: x = the zero-padded output
    /// gradient, w = `Conv1D.flipTranspose`'s weights (as `Conv1D.forward` is).
    public static func forward(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                               x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                               w: UnsafePointer<Float>, wRows: Int, width: Int,
                               bias: UnsafePointer<Float>?, nonzero: UnsafeMutablePointer<Int32>) {
        assert(outStride % 16 == 0 && nIn <= xStride && nIn <= wRows, "ScatterConv.forward: bad layout")
        let groups = outStride / 16, kStride = wRows * outStride
        for g in 0..<groups {
            let b = bias.map { load16($0 + 16 * g) } ?? SIMD16<Float>(repeating: 0)
            for p in 0..<outLength { store16(b, y + p * outStride + 16 * g) }
        }
        for q in 0..<(outLength + width - 1) {
            let xr = x + q * xStride
            var n = 0
            for c in 0..<nIn where xr[c] != 0 { nonzero[n] = Int32(c); n += 1 }
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
