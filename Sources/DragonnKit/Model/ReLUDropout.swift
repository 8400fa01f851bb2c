// ReLU followed by inverted dropout (training only), forward and backward, in place over a
// [positions][stride] activation buffer. Backward needs only the stored output y: the
// derivative is `scale` where y > 0 (unit kept and ReLU active), else 0.

enum ReLUDropout {
    /// y = max(y, 0) in place (evaluation mode).
    static func forward(_ y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let zero = SIMD16<Float>(repeating: 0)
        while i + 16 <= count {
            store16(pointwiseMax(load16(y + i), zero), y + i)
            i += 16
        }
        while i < count { y[i] = max(y[i], 0); i += 1 }
    }

    /// y = max(y, 0) · keep / (1 − rate) in place, each unit kept with probability 1 − rate.
    /// The keep decisions come from 16-bit slices of `random`'s output, so the mask depends only
    /// on the random stream given (the caller seeds it per example and layer).
    static func forwardTraining(_ y: UnsafeMutablePointer<Float>, count: Int, rate: Double,
                                random: inout RandomSource) {
        if rate <= 0 { forward(y, count: count); return }
        let threshold = UInt64((rate * 65536).rounded())
        let scale = Float(1 / (1 - rate))
        var i = 0
        while i < count {
            var bits = random.next()
            var j = 0
            while j < 4 && i < count {
                let keep = (bits & 0xFFFF) >= threshold
                y[i] = keep ? max(y[i], 0) * scale : 0
                bits >>= 16
                j += 1
                i += 1
            }
        }
    }

    /// dY *= (y > 0 ? scale : 0) in place; `scale` is 1/(1 − rate) in training, 1 in evaluation.
    static func backward(dY: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, count: Int, scale: Float) {
        var i = 0
        let zero = SIMD16<Float>(repeating: 0)
        let s = SIMD16<Float>(repeating: scale)
        while i + 16 <= count {
            let active = load16(y + i) .> zero
            store16(zero.replacing(with: load16(dY + i) * s, where: active), dY + i)
            i += 16
        }
        while i < count { dY[i] = y[i] > 0 ? dY[i] * scale : 0; i += 1 }
    }
}
