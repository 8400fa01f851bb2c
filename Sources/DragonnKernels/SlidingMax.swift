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
    ///
    /// Windows are visited by residue class: windows i and i + k with k = width / gcd(width, step)
    /// start lcm(width, step) rows apart, so their pooled rows coincide but for a few. Four such
    /// windows per pass, and the class's next four after them, read rows the pass before left in
    /// L1; in index order (k = 1) each row came from L2 once per j (27 times at the tutorial's
    /// 1000 bp / pool 35), which bounded this kernel.
    public static func forward(m: UnsafePointer<Float>, stride: Int, pooledLength: Int, width: Int,
                               w: UnsafePointer<Float>, bias: Float, count: Int, step: Int,
                               z: UnsafeMutablePointer<Float>) {
        assert(stride % 16 == 0 && width >= 1 && step >= 1, "WindowDense.forward: bad layout")
        let groups = stride / 16
        var a = width, b = step
        while b != 0 { (a, b) = (b, a % b) }
        let k = width / a
        for c in 0..<min(k, count) {
            // The class's windows: c, c + k, c + 2k, ... (n of them).
            let n = (count - 1 - c) / k + 1
            var t = 0
            while t + 4 <= n {
                var a0 = SIMD16<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
                let i = c + t * k
                let r0 = m + i * step * stride, d = k * step * stride
                if groups == 1 {
                    // One channel group (up to 16 filters, the tutorial's): pointer bumps, no inner loop.
                    var p = r0, wp = w
                    let rowStep = width * stride
                    for _ in 0..<pooledLength {
                        let wv = load16(wp)
                        a0 = a0.addingProduct(load16(p), wv)
                        a1 = a1.addingProduct(load16(p + d), wv)
                        a2 = a2.addingProduct(load16(p + 2 * d), wv)
                        a3 = a3.addingProduct(load16(p + 3 * d), wv)
                        p += rowStep; wp += 16
                    }
                } else {
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
                }
                z[i] = bias + a0.sum(); z[i + k] = bias + a1.sum(); z[i + 2 * k] = bias + a2.sum(); z[i + 3 * k] = bias + a3.sum()
                t += 4
            }
            while t < n {
                let i = c + t * k
                var acc = SIMD16<Float>(repeating: 0)
                let r = m + i * step * stride
                for j in 0..<pooledLength {
                    for g in 0..<groups { acc = acc.addingProduct(load16(r + width * j * stride + 16 * g), load16(w + j * stride + 16 * g)) }
                }
                z[i] = bias + acc.sum()
                t += 1
            }
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
