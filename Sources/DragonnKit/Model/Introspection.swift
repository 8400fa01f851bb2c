// Public access to the model's inner values for attribution (ISM, DeepLIFT, gradient × input):
// the input gradient, a per-layer forward trace of one sequence, and the linear backward steps
// (dense, max-pool routing is left to the caller, convolution) on plain arrays.
//
// Layouts: engine activations are position-major, [position][stride] with stride =
// `paddedChannels(channels)` (a multiple of 16; padded channels are always 0). The value of
// channel c at position p of a layer is `a[p * stride + c]`. Input-level results are [4][L]
// (one-hot layout: channel A, C, G, T, then position).

/// Values of one convolution layer for one sequence, [outLength][outStride].
public struct LayerTrace {
    /// Convolution output before the ReLU.
    public let preActivation: [Float]
    /// After the ReLU (evaluation mode: no dropout).
    public let activation: [Float]
}

/// A forward pass of one sequence kept layer by layer (evaluation mode).
public struct ModelTrace {
    public let layers: [LayerTrace]
    /// Max-pooled last layer, [pooledLength][pooledStride].
    public let pooled: [Float]
    /// For each pooled value, the position (in the last layer's output) of its maximum (first on ties).
    public let poolArgmax: [Int32]
    /// Logits [tasks].
    public let logits: [Float]
}

extension SequenceDNN {
    /// Shapes of the convolution layers (widths, lengths, strides) in the engine's layout.
    public var layerShapes: [ConvLayerShape] { shape.layers }
    /// Positions after max-pooling.
    public var pooledLength: Int { shape.pooledLength }
    /// Row stride of the pooled buffer (padded filters of the last layer).
    public var pooledStride: Int { shape.pooledStride }

    /// Gradient of logit `task` with respect to the one-hot input, [count][4][seqLength], for
    /// `count` sequences of base codes (evaluation mode). Channels of bases not present get their
    /// gradient too (what ISM-like and gradient × input methods need).
    public func inputGradient(codes: [UInt8], count: Int, task: Int, threads: Int = 1) -> [Float] {
        let L = architecture.seqLength
        precondition(codes.count >= count * L && task >= 0 && task < architecture.numTasks)
        var out = [Float](repeating: 0, count: count * 4 * L)
        let flipped = shape.flippedWeights(params.base, includeFirst: true)
        codes.withUnsafeBufferPointer { cb in
            out.withUnsafeMutableBufferPointer { ob in
                let c = cb.baseAddress!, o = ob.baseAddress!
                parallelChunks(count: count, threads: threads) { _, range in
                    let ws = Workspace(self.shape)
                    for n in range {
                        ws.forward(codes: c + n * L, params: self.params.base, dropout: 0, random: nil)
                        ws.dLogits.zero()
                        ws.dLogits.base[task] = 1
                        ws.backward(codes: c + n * L, params: self.params.base, grad: nil, flipped: flipped,
                                    dropoutScale: 1, inputGradient: true)
                        let g = ws.inputGrad.base
                        for ch in 0..<4 { for p in 0..<L { o[(n * 4 + ch) * L + p] = g[p * 16 + ch] } }
                    }
                }
            }
        }
        return out
    }

    /// The forward pass of one sequence (L base codes), every layer kept (evaluation mode).
    public func trace(codes: [UInt8]) -> ModelTrace {
        precondition(codes.count == architecture.seqLength)
        var layers: [LayerTrace] = []
        var prev: [Float] = []
        let p = params.base
        for (i, l) in shape.layers.enumerated() {
            var pre = [Float](repeating: 0, count: l.outLength * l.outStride)
            pre.withUnsafeMutableBufferPointer { y in
                if i == 0 {
                    codes.withUnsafeBufferPointer { c in
                        Conv1DCodes.forward(y: y.baseAddress!, outStride: l.outStride, outLength: l.outLength,
                                            codes: c.baseAddress!, w: p + l.weightOffset, width: l.width,
                                            bias: p + l.biasOffset)
                    }
                } else {
                    prev.withUnsafeBufferPointer { x in
                        Conv1D.forward(y: y.baseAddress!, outStride: l.outStride, outLength: l.outLength,
                                       x: x.baseAddress!, xStride: l.inStride, nIn: l.inChannels,
                                       w: p + l.weightOffset, wRows: l.weightRows, width: l.width,
                                       bias: p + l.biasOffset)
                    }
                }
            }
            let act = pre.map { max($0, 0) }
            layers.append(LayerTrace(preActivation: pre, activation: act))
            prev = act
        }
        var pooled = [Float](repeating: 0, count: shape.denseInputs)
        var argmax = [Int32](repeating: 0, count: shape.denseInputs)
        var logits = [Float](repeating: 0, count: shape.tasks)
        prev.withUnsafeBufferPointer { x in
            pooled.withUnsafeMutableBufferPointer { pb in
                argmax.withUnsafeMutableBufferPointer { ab in
                    MaxPool.forward(x: x.baseAddress!, stride: shape.pooledStride, pooledLength: shape.pooledLength,
                                    width: shape.poolWidth, pooled: pb.baseAddress!, argmax: ab.baseAddress!)
                }
            }
        }
        pooled.withUnsafeBufferPointer { x in
            logits.withUnsafeMutableBufferPointer { z in
                Dense.forward(x: x.baseAddress!, inputs: shape.denseInputs, w: p + shape.denseWeightOffset,
                              bias: p + shape.denseBiasOffset, tasks: shape.tasks, z: z.baseAddress!)
            }
        }
        return ModelTrace(layers: layers, pooled: pooled, poolArgmax: argmax, logits: logits)
    }

    /// d logit[task] / d pooled: the dense weights of `task`, [pooledLength][pooledStride].
    public func denseWeights(task: Int) -> [Float] {
        let start = shape.denseWeightOffset + task * shape.denseInputs
        return Array(UnsafeBufferPointer(start: params.base + start, count: shape.denseInputs))
    }

    /// Linear backward through convolution layer `layer`: given g = d/d(pre-activation output)
    /// [outLength][outStride], returns d/d(layer input): [inLength][inStride] for layer ≥ 1 (the
    /// gradient w.r.t. the previous layer's activation), [4][seqLength] for layer 0 (one-hot input).
    public func convInputGradient(layer: Int, outputGradient g: [Float]) -> [Float] {
        let l = shape.layers[layer]
        precondition(g.count == l.outLength * l.outStride)
        let inStride = layer == 0 ? 16 : l.inStride
        let wf = FloatBuffer(l.width * l.outStride * inStride)
        Conv1D.flipTranspose(w: params.base + l.weightOffset, wRows: l.weightRows, outStride: l.outStride,
                             width: l.width, inChannels: l.inChannels, outChannels: l.filters,
                             into: wf.base, inStride: inStride)
        let pad = l.width - 1
        let padded = FloatBuffer((l.outLength + 2 * pad) * l.outStride)
        g.withUnsafeBufferPointer { padded.base.advanced(by: pad * l.outStride).update(from: $0.baseAddress!, count: g.count) }
        let out = FloatBuffer(l.inLength * inStride)
        Conv1D.forward(y: out.base, outStride: inStride, outLength: l.inLength, x: padded.base, xStride: l.outStride,
                       nIn: l.filters, w: wf.base, wRows: l.outStride, width: l.width, bias: nil)
        if layer > 0 { return out.array }
        var r = [Float](repeating: 0, count: 4 * l.inLength)
        for c in 0..<4 { for p in 0..<l.inLength { r[c * l.inLength + p] = out.base[p * 16 + c] } }
        return r
    }
}
