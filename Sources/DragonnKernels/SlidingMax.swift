// Sliding max-pool for fully convolutional tracks. A window at offset o pools the conv outputs
// o + P·j ..< o + P·j + P, so every window's pooled values are rows of one array
// M[q] = max(x[q ..< q + P]) computed once for a whole chromosome chunk (van Herk / Gil-Werman:
// a prefix max and a suffix max per block of P rows, three passes whatever P is).
// Layout: x [length][stride] (stride a multiple of 16), per channel.

public enum SlidingMax {
    /// In place: x[q][c] = max_{r in q ..< q + width} x[r][c] for q ≤ length − width (rows after
    /// that are left undefined). `scratch` holds length × stride floats.
    public static func forward(x: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
                               stride: Int, length: Int, width: Int) {
        assert(stride % 16 == 0 && width >= 1, "SlidingMax.forward: bad layout")
        guard length >= width else { return }
        for g in 0..<(stride / 16) {
            // max as compare + blend: pointwiseMax's NaN rules cost a long dependency chain here.
            @inline(__always) func max16(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a.replacing(with: b, where: b .> a) }
            let xg = x + 16 * g, sg = scratch + 16 * g
            var b = 0
            while b < length {
                let e = min(b + width, length)
                // Prefix max within the block into scratch.
                var run = load16(xg + b * stride)
                store16(run, sg + b * stride)
                var q = b + 1
                while q < e { run = max16(run, load16(xg + q * stride)); store16(run, sg + q * stride); q += 1 }
                // Suffix max within the block, in place.
                run = load16(xg + (e - 1) * stride)
                q = e - 2
                while q >= b { run = max16(run, load16(xg + q * stride)); store16(run, xg + q * stride); q -= 1 }
                b = e
            }
            // A window of `width` rows from q covers the suffix of q's block and the prefix of the next.
            for q in 0...(length - width) {
                store16(max16(load16(xg + q * stride), load16(sg + (q + width - 1) * stride)), xg + q * stride)
            }
        }
    }

    /// Reference for `forward`: a scalar scan of every window.
    static func forwardNaive(x: UnsafeMutablePointer<Float>, stride: Int, length: Int, width: Int) {
        guard length >= width else { return }
        for q in 0...(length - width) {
            for c in 0..<stride {
                var m = x[q * stride + c]
                for r in q..<(q + width) where x[r * stride + c] > m { m = x[r * stride + c] }
                x[q * stride + c] = m
            }
        }
    }
}

// The dense layer of many overlapping windows over the sliding max M: window i (offset
// o = i · step) reads M[o + P·j] for j < pooledLength, the rows its own max-pool would give.
public enum WindowDense {
    /// z[i] = bias + Σ_j Σ_c w[j][c] · m[(i·step + width·j)][c] for i < count; m is
    /// [rows][stride], w one task's dense row [pooledLength][stride]. The products are summed in
    /// `Dense.forward`'s order (sixteen lanes over j then channel groups, then the lane sum), so
    /// each value equals the per-window dense layer bit for bit. Four windows share each weight load.
    public static func forward(m: UnsafePointer<Float>, stride: Int, pooledLength: Int, width: Int,
                               w: UnsafePointer<Float>, bias: Float, count: Int, step: Int,
                               z: UnsafeMutablePointer<Float>) {
        assert(stride % 16 == 0, "WindowDense.forward: bad layout")
        let groups = stride / 16
        var i = 0
        while i + 4 <= count {
            var a0 = SIMD16<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
            let r0 = m + i * step * stride, d = step * stride
            for j in 0..<pooledLength {
                for g in 0..<groups {
                    let wv = load16(w + j * stride + 16 * g)
                    let off = width * j * stride + 16 * g
                    a0 = a0.addingProduct(load16(r0 + off), wv)
                    a1 = a1.addingProduct(load16(r0 + d + off), wv)
                    a2 = a2.addingProduct(load16(r0 + 2 * d + off), wv)
                    a3 = a3.addingProduct(load16(r0 + 3 * d + off), wv)
                }
            }
            z[i] = bias + a0.sum(); z[i + 1] = bias + a1.sum(); z[i + 2] = bias + a2.sum(); z[i + 3] = bias + a3.sum()
            i += 4
        }
        while i < count {
            var a = SIMD16<Float>(repeating: 0)
            let r = m + i * step * stride
            for j in 0..<pooledLength {
                for g in 0..<groups { a = a.addingProduct(load16(r + width * j * stride + 16 * g), load16(w + j * stride + 16 * g)) }
            }
            z[i] = bias + a.sum()
            i += 1
        }
    }

    /// Reference for `forward`: plain scalar sums in double precision.
    static func forwardNaive(m: UnsafePointer<Float>, stride: Int, pooledLength: Int, width: Int,
                             w: UnsafePointer<Float>, bias: Float, count: Int, step: Int,
                             z: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            var s = Double(bias)
            for j in 0..<pooledLength {
                for c in 0..<stride { s += Double(w[j * stride + c]) * Double(m[(i * step + width * j) * stride + c]) }
            }
            z[i] = Float(s)
        }
    }
}
