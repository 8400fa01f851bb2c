// Max-pooling over positions, window = stride = `width`, the remainder dropped; per channel.
// Layout: x [length][stride] → pooled [length / width][stride] plus the arg-max position of
// each pooled value (the first maximum in the window, as PyTorch), which backward routes to.
// The `…Naive` kernels are plain scalar loops over the same layouts, the tests' reference.

public enum MaxPool {
    /// pooled[q][c] = max_{p in window q} x[p][c]; argmax[q][c] = that p (first on ties), for
    /// q < pooledLength and every c < stride (a multiple of 16); pooled and argmax are
    /// [pooledLength][stride].
    public static func forward(x: UnsafePointer<Float>, stride: Int, pooledLength: Int, width: Int,
                        pooled: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        assert(stride % 16 == 0 && width >= 1, "MaxPool.forward: bad layout")
        for g in 0..<(stride / 16) {
            for q in 0..<pooledLength {
                let start = q * width
                var m = load16(x + start * stride + 16 * g)
                var idx = SIMD16<Int32>(repeating: Int32(start))
                for p in (start + 1)..<(start + width) {
                    let v = load16(x + p * stride + 16 * g)
                    let better = v .> m
                    m = m.replacing(with: v, where: better)
                    idx = idx.replacing(with: SIMD16(repeating: Int32(p)), where: better)
                }
                store16(m, pooled + q * stride + 16 * g)
                UnsafeMutableRawPointer(argmax + q * stride + 16 * g).storeBytes(of: idx, as: SIMD16<Int32>.self)
            }
        }
    }

    /// Reference for `forward`: a scalar scan of each window, channel by channel.
    static func forwardNaive(x: UnsafePointer<Float>, stride: Int, pooledLength: Int, width: Int,
                             pooled: UnsafeMutablePointer<Float>, argmax: UnsafeMutablePointer<Int32>) {
        for c in 0..<stride {
            for q in 0..<pooledLength {
                var best = q * width
                for p in (q * width)..<((q + 1) * width) where x[p * stride + c] > x[best * stride + c] { best = p }
                pooled[q * stride + c] = x[best * stride + c]
                argmax[q * stride + c] = Int32(best)
            }
        }
    }

    /// dX = 0 over `length` rows, then dX[argmax[q][c]][c] = dPooled[q][c]; dX is
    /// [length][stride], dPooled and argmax [pooledLength][stride].
    public static func backward(dPooled: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, stride: Int,
                         pooledLength: Int, dX: UnsafeMutablePointer<Float>, length: Int) {
        dX.update(repeating: 0, count: length * stride)
        for q in 0..<pooledLength {
            for c in 0..<stride {
                let i = q * stride + c
                dX[Int(argmax[i]) * stride + c] = dPooled[i]
            }
        }
    }

    /// The max-pool's backward and then the ReLU's (with dropout's scale) from the routed elements
    /// alone: for every window q < pooledLength and channel c < channels (≤ stride; the engine's
    /// padded channels carry zero multipliers, so only the real ones are read), with p = argmax[q][c] and
    /// v = dPooled[q][c] · scale, dX[p][c] = v where y[p][c] > 0 and v ≠ 0. Every other element of
    /// dX ([length][stride]) must be 0 on entry and is left alone, so the caller clears only the
    /// rows the previous call wrote (the rows returned) instead of the whole buffer. Writes to
    /// `rows` (ascending) each position whose row received a value and returns how many; `flags`
    /// is scratch for `length` bytes, all 0 on entry and on return. The result equals `backward`
    /// followed by `ReLUDropout.backward` (up to the sign of zeros, which are written as +0) and
    /// the rows those of `NonzeroRows.find`: a pass over the routed elements instead of three
    /// over the whole layer.
    public static func backwardThroughReLU(dPooled: UnsafePointer<Float>, argmax: UnsafePointer<Int32>,
                                           y: UnsafePointer<Float>, scale: Float, stride: Int, channels: Int, pooledLength: Int,
                                           width: Int, dX: UnsafeMutablePointer<Float>,
                                           rows: UnsafeMutablePointer<Int32>, flags: UnsafeMutablePointer<UInt8>) -> Int {
        assert(channels <= stride, "MaxPool.backwardThroughReLU: more channels than the stride")
        var n = 0
        for q in 0..<pooledLength {
            for c in 0..<channels {
                let i = q * stride + c
                let v = dPooled[i] * scale
                let at = Int(argmax[i]) * stride + c
                if v != 0 && y[at] > 0 {
                    dX[at] = v
                    flags[Int(argmax[i])] = 1
                }
            }
            // Windows are disjoint and in order, so scanning each window keeps rows ascending.
            for p in (q * width)..<((q + 1) * width) where flags[p] != 0 {
                flags[p] = 0
                rows[n] = Int32(p)
                n += 1
            }
        }
        return n
    }

    /// Reference for `backward`: every row of dX (position p, channel c) looks up whether its
    /// window's arg-max is p.
    static func backwardNaive(dPooled: UnsafePointer<Float>, argmax: UnsafePointer<Int32>, stride: Int,
                              pooledLength: Int, width: Int, dX: UnsafeMutablePointer<Float>, length: Int) {
        for p in 0..<length {
            let q = p / width
            for c in 0..<stride {
                let routed = q < pooledLength && Int(argmax[q * stride + c]) == p
                dX[p * stride + c] = routed ? dPooled[q * stride + c] : 0
            }
        }
    }
}
