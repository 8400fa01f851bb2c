// ReLU followed by inverted dropout (training only), forward and backward, in place over a
// [positions][stride] activation buffer. Backward needs only the stored output y: the
// derivative is `scale` where y > 0 (unit kept and ReLU active), else 0.
// The `…Naive` kernels are plain scalar loops, the tests' reference. The training forward, which
// draws from `RandomSource`, is DragonnKit's (Dropout.swift).

public enum ReLUDropout {
    /// y = max(y, 0) in place (evaluation mode).
    public static func forward(_ y: UnsafeMutablePointer<Float>, count: Int) {
        forward(from: y, to: y, count: count)
    }

    /// y = max(x, 0), x left as it is (evaluation mode; attribution keeps x, the pre-activation).
    public static func forward(from x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        let zero = SIMD16<Float>(repeating: 0)
        while i + 16 <= count {
            store16(laneMax(load16(x + i), zero), y + i)
            i += 16
        }
        while i < count { y[i] = max(x[i], 0); i += 1 }
    }

    /// dY *= (y > 0 ? scale : 0) in place; `scale` is 1/(1 − rate) in training, 1 in evaluation.
    public static func backward(dY: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, count: Int, scale: Float) {
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

    /// Reference for `backward`, element by element.
    static func backwardNaive(dY: UnsafeMutablePointer<Float>, y: UnsafePointer<Float>, count: Int, scale: Float) {
        for i in 0..<count { dY[i] = y[i] > 0 ? dY[i] * scale : 0 }
    }
}
