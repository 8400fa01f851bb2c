// The change of a valid 1-D convolution's output when a few rows of its input change (variant
// effects: one substitution changes a handful of rows of each layer, and after a ReLU most of
// their channels do not change at all). The convolution is linear, so the output change is the
// convolution of the input change alone, without bias; only the nonzero input changes are
// visited, each through a gather of the weights that reach one output row (the accumulator
// stays in registers).
// Layouts as in Conv1D.swift: dx [rows][xStride], dz [outLength][outStride],
// w [width][wRows][outStride].

public enum DeltaConv {
    /// Lists, per row q < rows of dx, the channels c < nIn with dx[q·xStride + c] ≠ 0: their
    /// count in `counts[q]` and the channels in `channels[q·xStride ..< q·xStride + counts[q]]`
    /// (ascending). Returns the total count.
    @discardableResult
    public static func nonzero(_ dx: UnsafePointer<Float>, xStride: Int, nIn: Int, rows: Int,
                               counts: UnsafeMutablePointer<Int32>, channels: UnsafeMutablePointer<Int32>) -> Int {
        var total = 0
        for q in 0..<rows {
            let row = dx + q * xStride, list = channels + q * xStride
            // Compacted without branches (which changes are zero is data-dependent): the bits of
            // |x| shifted out of the sign, b, give (b | −b) >> 31 = 1 exactly when x is not ±0.
            var n = 0
            for c in 0..<nIn {
                list[n] = Int32(c)
                let b = row[c].bitPattern << 1
                n &+= Int((b | (0 &- b)) >> 31)
            }
            counts[q] = Int32(n)
            total += n
        }
        return total
    }

    /// dz[r][:] = Σ_k Σ_c w[(k·wRows + c)·outStride + :] · dx[d·xStride + c] with d = first + r + k,
    /// over the taps k < width whose d lies in 0..<rows and the channels `nonzero` listed for row d
    /// (the others are taken as zero), for r < outLength; every one of the outStride columns (a
    /// multiple of 16). `first` places dx relative to the output: output row r reads input rows
    /// first + r ..< first + r + width of dx.
    public static func forward(dz: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                               dx: UnsafePointer<Float>, xStride: Int, rows: Int, first: Int,
                               counts: UnsafePointer<Int32>, channels: UnsafePointer<Int32>,
                               w: UnsafePointer<Float>, wRows: Int, width: Int) {
        assert(outStride % 16 == 0, "DeltaConv.forward: bad layout")
        let kStride = wRows * outStride
        for r in 0..<outLength {
            let kLo = max(0, -(first + r)), kEnd = min(width, rows - (first + r))
            for g in 0..<(outStride / 16) {
                var a0 = SIMD16<Float>(repeating: 0), a1 = a0
                let wg = w + 16 * g
                var k = kLo
                while k < kEnd {
                    let d = first + r + k
                    let row = dx + d * xStride, list = channels + d * xStride, wk = wg + k * kStride
                    let n = Int(counts[d])
                    // Two chains: the sums are short, the latency of one chain would show.
                    var i = 0
                    while i + 2 <= n {
                        let c0 = Int(list[i]), c1 = Int(list[i + 1])
                        a0 = a0.addingProduct(SIMD16(repeating: row[c0]), load16(wk + c0 * outStride))
                        a1 = a1.addingProduct(SIMD16(repeating: row[c1]), load16(wk + c1 * outStride))
                        i += 2
                    }
                    if i < n {
                        let c = Int(list[i])
                        a0 = a0.addingProduct(SIMD16(repeating: row[c]), load16(wk + c * outStride))
                    }
                    k += 1
                }
                store16(a0 + a1, dz + r * outStride + 16 * g)
            }
        }
    }

    /// Reference for `forward`: every channel c < nIn of every input row in range, zero or not,
    /// in plain scalar loops (double precision).
    static func forwardNaive(dz: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                             dx: UnsafePointer<Float>, xStride: Int, nIn: Int, rows: Int, first: Int,
                             w: UnsafePointer<Float>, wRows: Int, width: Int) {
        for r in 0..<outLength {
            for f in 0..<outStride {
                var s = 0.0
                for k in 0..<width where first + r + k >= 0 && first + r + k < rows {
                    for c in 0..<nIn { s += Double(dx[(first + r + k) * xStride + c]) * Double(w[(k * wRows + c) * outStride + f]) }
                }
                dz[r * outStride + f] = Float(s)
            }
        }
    }
}
