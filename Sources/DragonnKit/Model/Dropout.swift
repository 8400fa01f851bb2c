// ReLU with inverted dropout in training: the one activation kernel that draws random numbers,
// so it lives beside `RandomSource` rather than in DragonnKernels (which holds `forward`,
// `backward` and the SIMD helpers it uses).
import DragonnKernels

extension ReLUDropout {
    /// y = max(y, 0) · keep / (1 − rate) in place, each unit kept with probability 1 − rate
    /// (quantized to 1/65536). The keep decisions come from 16-bit slices of `random`'s output, so
    /// the mask depends only on the random stream given (the caller seeds it per example and
    /// layer). `count` must be a multiple of 16 (whole padded rows).
    static func forwardTraining(_ y: UnsafeMutablePointer<Float>, count: Int, rate: Double,
                                random: inout RandomSource) {
        if rate <= 0 { forward(y, count: count); return }
        assert(count % 16 == 0, "ReLUDropout.forwardTraining: count not a multiple of 16")
        let threshold = SIMD16<Int32>(repeating: Int32((rate * 65536).rounded()))
        let scale = SIMD16<Float>(repeating: Float(1 / (1 - rate)))
        let zero = SIMD16<Float>(repeating: 0)
        var i = 0
        while i < count {
            let bits = SIMD4<UInt64>(random.next(), random.next(), random.next(), random.next())
            let slices = SIMD16<Int32>(truncatingIfNeeded: unsafeBitCast(bits, to: SIMD16<UInt16>.self))
            let kept = pointwiseMax(load16(y + i), zero) * scale
            store16(zero.replacing(with: kept, where: slices .>= threshold), y + i)
            i += 16
        }
    }

    /// Reference for `forward` and `forwardTraining`, element by element: element i keeps its
    /// value when the 16-bit slice i mod 4 of the (i / 4)-th random word (lowest bits first) is
    /// at least rate · 65536.
    static func forwardNaive(_ y: UnsafeMutablePointer<Float>, count: Int, rate: Double,
                             random: inout RandomSource) {
        let threshold = Int((rate * 65536).rounded())
        let scale = Float(1 / (1 - rate))
        var word: UInt64 = 0
        for i in 0..<count {
            let relu = max(y[i], 0)
            if rate <= 0 { y[i] = relu; continue }
            if i % 4 == 0 { word = random.next() }
            let slice = Int(UInt16(truncatingIfNeeded: word >> (16 * UInt64(i % 4))))
            y[i] = slice >= threshold ? relu * scale : 0
        }
    }
}
