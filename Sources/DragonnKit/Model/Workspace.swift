// Per-thread buffers for one sequence's forward and backward pass, allocated once and reused
// for every sequence (no allocation in the hot loop).

final class Workspace {
    let shape: ModelShape
    /// Output of conv layer i after ReLU and dropout: [outLength][outStride].
    let acts: [FloatBuffer]
    /// Gradient w.r.t. acts[i], with width−1 zero rows before and after (so the input gradient
    /// of layer i is a valid convolution over it): [(width−1) + outLength + (width−1)][outStride].
    let grads: [FloatBuffer]
    let pooled: FloatBuffer
    let dPooled: FloatBuffer
    let argmax: UnsafeMutablePointer<Int32>
    let logits: FloatBuffer
    let dLogits: FloatBuffer
    /// Gradient w.r.t. the one-hot input, [seqLength][16] (channels 0..3 used); made on demand.
    lazy var inputGrad = FloatBuffer(shape.layers[0].inLength * 16)
    /// Scratch for `Conv1DCodes.forwardPaired`.
    let codeOffsets: UnsafeMutablePointer<Int32>

    init(_ shape: ModelShape) {
        self.shape = shape
        acts = shape.layers.map { FloatBuffer($0.outLength * $0.outStride) }
        grads = shape.layers.map { FloatBuffer(($0.outLength + 2 * ($0.width - 1)) * $0.outStride) }
        pooled = FloatBuffer(shape.denseInputs)
        dPooled = FloatBuffer(shape.denseInputs)
        argmax = .allocate(capacity: max(shape.denseInputs, 1))
        argmax.initialize(repeating: 0, count: max(shape.denseInputs, 1))
        logits = FloatBuffer(shape.tasks)
        dLogits = FloatBuffer(shape.tasks)
        codeOffsets = .allocate(capacity: 2 * shape.layers[0].inLength)
    }

    deinit { argmax.deallocate(); codeOffsets.deallocate() }

    /// Start of the unpadded part of grads[i].
    @inline(__always) func gradCore(_ i: Int) -> UnsafeMutablePointer<Float> {
        grads[i].base + (shape.layers[i].width - 1) * shape.layers[i].outStride
    }

    /// Runs one sequence (L base codes) forward; logits land in `logits`. With `dropout` > 0 and a
    /// random stream, units are dropped (training); otherwise evaluation mode. `pairs` (from
    /// `ModelShape.pairTable`) speeds up layer 0; nil uses the plain gather.
    func forward(codes: UnsafePointer<UInt8>, params: UnsafePointer<Float>, dropout: Double,
                 random: RandomSource?, pairs: FloatBuffer? = nil) {
        for (i, l) in shape.layers.enumerated() {
            let y = acts[i].base
            if i == 0, let pairs {
                Conv1DCodes.forwardPaired(y: y, outStride: l.outStride, outLength: l.outLength, codes: codes,
                                          w: params + l.weightOffset, pairs: pairs.base, width: l.width,
                                          bias: params + l.biasOffset, offsets: codeOffsets)
            } else if i == 0 {
                Conv1DCodes.forward(y: y, outStride: l.outStride, outLength: l.outLength, codes: codes,
                                    w: params + l.weightOffset, width: l.width, bias: params + l.biasOffset)
            } else {
                Conv1D.forward(y: y, outStride: l.outStride, outLength: l.outLength,
                               x: acts[i - 1].base, xStride: l.inStride, nIn: l.inChannels,
                               w: params + l.weightOffset, wRows: l.weightRows, width: l.width,
                               bias: params + l.biasOffset)
            }
            if let random, dropout > 0 {
                var r = random.split(UInt64(i))
                ReLUDropout.forwardTraining(y, count: l.outLength * l.outStride, rate: dropout, random: &r)
            } else {
                ReLUDropout.forward(y, count: l.outLength * l.outStride)
            }
        }
        let last = shape.layers.count - 1
        MaxPool.forward(x: acts[last].base, stride: shape.pooledStride, pooledLength: shape.pooledLength,
                        width: shape.poolWidth, pooled: pooled.base, argmax: argmax)
        Dense.forward(x: pooled.base, inputs: shape.denseInputs, w: params + shape.denseWeightOffset,
                      bias: params + shape.denseBiasOffset, tasks: shape.tasks, z: logits.base)
    }

    /// Backpropagates `dLogits` through the last forward pass, accumulating parameter gradients
    /// into `grad` (same layout as the parameters). `flipped[i]` (i ≥ 1) holds conv layer i's
    /// weights prepared by `Conv1D.flipTranspose`. With `inputGradient`, also fills `inputGrad`
    /// (then `flipped[0]` must be set, [width][outStride][16]).
    func backward(codes: UnsafePointer<UInt8>, params: UnsafePointer<Float>, grad: UnsafeMutablePointer<Float>?,
                  flipped: [FloatBuffer?], dropoutScale: Float, inputGradient: Bool = false) {
        let last = shape.layers.count - 1
        Dense.backward(g: dLogits.base, tasks: shape.tasks, x: pooled.base, inputs: shape.denseInputs,
                       w: params + shape.denseWeightOffset,
                       dW: grad.map { $0 + shape.denseWeightOffset } ?? scratchDense,
                       dB: grad.map { $0 + shape.denseBiasOffset } ?? scratchDenseBias,
                       dX: dPooled.base)
        MaxPool.backward(dPooled: dPooled.base, argmax: argmax, stride: shape.pooledStride,
                         pooledLength: shape.pooledLength, dX: gradCore(last), length: shape.layers[last].outLength)
        for i in stride(from: last, through: 0, by: -1) {
            let l = shape.layers[i]
            let dY = gradCore(i)
            ReLUDropout.backward(dY: dY, y: acts[i].base, count: l.outLength * l.outStride, scale: dropoutScale)
            if i > 0 {
                if let grad {
                    Conv1D.backwardWeights(dW: grad + l.weightOffset, dB: grad + l.biasOffset, dY: dY,
                                           outStride: l.outStride, outLength: l.outLength, x: acts[i - 1].base,
                                           xStride: l.inStride, rows: min((l.inChannels + 3) / 4 * 4, l.inStride),
                                           wRows: l.weightRows, width: l.width)
                }
                Conv1D.forward(y: gradCore(i - 1), outStride: l.inStride, outLength: l.inLength,
                               x: grads[i].base, xStride: l.outStride, nIn: l.filters,
                               w: flipped[i]!.base, wRows: l.outStride, width: l.width, bias: nil)
            } else {
                if let grad {
                    Conv1DCodes.backwardWeights(dW: grad + l.weightOffset, dB: grad + l.biasOffset, dY: dY,
                                                outStride: l.outStride, outLength: l.outLength, codes: codes,
                                                width: l.width)
                }
                if inputGradient {
                    Conv1D.forward(y: inputGrad.base, outStride: 16, outLength: l.inLength,
                                   x: grads[0].base, xStride: l.outStride, nIn: l.filters,
                                   w: flipped[0]!.base, wRows: l.outStride, width: l.width, bias: nil)
                }
            }
        }
    }

    private lazy var scratchDenseStorage = FloatBuffer(shape.tasks * shape.denseInputs + shape.tasks)
    private var scratchDense: UnsafeMutablePointer<Float> { scratchDenseStorage.base }
    private var scratchDenseBias: UnsafeMutablePointer<Float> { scratchDenseStorage.base + shape.tasks * shape.denseInputs }
}

extension ModelShape {
    /// Layer 0's tap-pair table (see `Conv1DCodes.pairTable`), rebuilt whenever the weights change.
    func pairTable(_ params: UnsafePointer<Float>) -> FloatBuffer {
        let l = layers[0]
        let t = FloatBuffer(max(1, l.width / 2) * 25 * l.outStride)
        Conv1DCodes.pairTable(w: params + l.weightOffset, width: l.width, outStride: l.outStride, into: t.base)
        return t
    }

    /// Flipped, transposed copies of the conv weights for input gradients (see
    /// `Conv1D.flipTranspose`); layer 0's only when `includeFirst` (input gradients for attribution).
    func flippedWeights(_ params: UnsafePointer<Float>, includeFirst: Bool) -> [FloatBuffer?] {
        layers.enumerated().map { (i, l) in
            if i == 0 && !includeFirst { return nil }
            let inStride = i == 0 ? 16 : l.inStride
            let b = FloatBuffer(l.width * l.outStride * inStride)
            Conv1D.flipTranspose(w: params + l.weightOffset, wRows: l.weightRows, outStride: l.outStride,
                                 width: l.width, inChannels: l.inChannels, outChannels: l.filters,
                                 into: b.base, inStride: inStride)
            return b
        }
    }
}
