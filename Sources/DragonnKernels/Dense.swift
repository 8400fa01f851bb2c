// Dense layer from the pooled activations to the task logits. The engine keeps the weights
// as [tasks][pooledLength][stride] (the order of its pooled buffer); the model file's
// channel-major flatten order (index c·P + p) is applied when loading and saving (Flatten.swift).
// The `…Naive` kernels are plain scalar loops over the same layouts, the tests' reference.

public enum Dense {
    /// z[t] = b[t] + Σ_i w[t][i] · x[i], i < inputs; w is [tasks][inputs]. Sixteen partial sums
    /// per task, so it differs from `forwardNaive` by rounding.
    public static func forward(x: UnsafePointer<Float>, inputs: Int, w: UnsafePointer<Float>,
                        bias: UnsafePointer<Float>, tasks: Int, z: UnsafeMutablePointer<Float>) {
        for t in 0..<tasks {
            let wt = w + t * inputs
            var acc = SIMD16<Float>(repeating: 0)
            var i = 0
            while i + 16 <= inputs { acc = acc.addingProduct(load16(x + i), load16(wt + i)); i += 16 }
            var s = acc.sum()
            while i < inputs { s += x[i] * wt[i]; i += 1 }
            z[t] = bias[t] + s
        }
    }

    /// Reference for `forward`: one scalar sum per task, i in order.
    static func forwardNaive(x: UnsafePointer<Float>, inputs: Int, w: UnsafePointer<Float>,
                             bias: UnsafePointer<Float>, tasks: Int, z: UnsafeMutablePointer<Float>) {
        for t in 0..<tasks {
            var s: Float = 0
            for i in 0..<inputs { s += w[t * inputs + i] * x[i] }
            z[t] = bias[t] + s
        }
    }

    /// dW[t] += g[t] · x, dB[t] += g[t], dX = Σ_t g[t] · w[t] (t in order); dW, w are
    /// [tasks][inputs].
    public static func backward(g: UnsafePointer<Float>, tasks: Int, x: UnsafePointer<Float>, inputs: Int,
                         w: UnsafePointer<Float>, dW: UnsafeMutablePointer<Float>,
                         dB: UnsafeMutablePointer<Float>, dX: UnsafeMutablePointer<Float>) {
        dX.update(repeating: 0, count: inputs)
        for t in 0..<tasks {
            let gt = g[t]
            dB[t] += gt
            let wt = w + t * inputs, dwt = dW + t * inputs
            for i in 0..<inputs {
                dwt[i] += gt * x[i]
                dX[i] += gt * wt[i]
            }
        }
    }

    /// Reference for `backward`, input by input (the same summation order, so equal results).
    static func backwardNaive(g: UnsafePointer<Float>, tasks: Int, x: UnsafePointer<Float>, inputs: Int,
                              w: UnsafePointer<Float>, dW: UnsafeMutablePointer<Float>,
                              dB: UnsafeMutablePointer<Float>, dX: UnsafeMutablePointer<Float>) {
        for t in 0..<tasks { dB[t] += g[t] }
        for i in 0..<inputs {
            var s: Float = 0
            for t in 0..<tasks {
                s += g[t] * w[t * inputs + i]
                dW[t * inputs + i] += g[t] * x[i]
            }
            dX[i] = s
        }
    }
}
