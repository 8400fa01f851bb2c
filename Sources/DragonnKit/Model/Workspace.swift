// Per-thread buffers for one sequence's forward and backward pass, allocated once and reused
// for every sequence (no allocation in the hot loop).

import DragonnKernels

final class Workspace {
    let shape: ModelShape
    /// Output of conv layer i after ReLU and dropout: [outLength][outStride].
    let acts: [FloatBuffer]
    /// Output of conv layer i before the ReLU, [outLength][outStride]: kept only by workspaces
    /// built with `keepPreActivations` (DeepLIFT's rescale rule needs them), empty otherwise.
    let pre: [FloatBuffer]
    /// Gradient w.r.t. acts[i], with width−1 zero rows before and after (so the input gradient
    /// of layer i is a valid convolution over it): [(width−1) + outLength + (width−1)][outStride].
    let grads: [FloatBuffer]
    let pooled: FloatBuffer
    let dPooled: FloatBuffer
    let argmax: UnsafeMutablePointer<Int32>
    /// Rows the last rescale backward pass routed each pooled value to, [pooledLength][pooledStride].
    let route: UnsafeMutablePointer<Int32>
    let logits: FloatBuffer
    let dLogits: FloatBuffer
    /// Gradient (or rescale multipliers) w.r.t. the one-hot input, [seqLength][4]; made on demand.
    lazy var inputGrad = FloatBuffer(shape.layers[0].inLength * 4)
    /// Scratch for `Conv1DCodes.forwardPaired`.
    let codeOffsets: UnsafeMutablePointer<Int32>
    /// Scratch: the rows of the deepest layer's gradient that the max-pool routed anything to
    /// (sparse weight gradient), and one row's nonzero channels (`ScatterConv`).
    let rows: UnsafeMutablePointer<Int32>
    let nonzero: UnsafeMutablePointer<Int32>
    /// Scratch for `MaxPool.backwardThroughReLU` (one byte per row of the deepest layer, all 0).
    let rowFlags: UnsafeMutablePointer<UInt8>
    /// How many of `rows` are the only rows of the deepest layer's gradient that hold anything
    /// (the gradient rule's sparse max-pool backward wrote them), so clearing them clears it;
    /// −1 when another writer was last and the whole buffer must be cleared.
    private var writtenRows = 0

    /// Buffers for `shape`; `keepPreActivations` also keeps every conv layer's output before
    /// the ReLU (for attribution: training leaves it off and copies nothing).
    init(_ shape: ModelShape, keepPreActivations: Bool = false) {
        self.shape = shape
        acts = shape.layers.map { FloatBuffer($0.outLength * $0.outStride) }
        pre = keepPreActivations ? shape.layers.map { FloatBuffer($0.outLength * $0.outStride) } : []
        grads = shape.layers.map { FloatBuffer(($0.outLength + 2 * ($0.width - 1)) * $0.outStride) }
        pooled = FloatBuffer(shape.denseInputs)
        dPooled = FloatBuffer(shape.denseInputs)
        argmax = .allocate(capacity: max(shape.denseInputs, 1))
        argmax.initialize(repeating: 0, count: max(shape.denseInputs, 1))
        route = .allocate(capacity: max(shape.denseInputs, 1))
        route.initialize(repeating: 0, count: max(shape.denseInputs, 1))
        logits = FloatBuffer(shape.tasks)
        dLogits = FloatBuffer(shape.tasks)
        codeOffsets = .allocate(capacity: 2 * shape.layers[0].inLength)
        rows = .allocate(capacity: shape.layers.last!.outLength)
        rowFlags = .allocate(capacity: shape.layers.last!.outLength)
        rowFlags.initialize(repeating: 0, count: shape.layers.last!.outLength)
        nonzero = .allocate(capacity: shape.layers.map { max($0.inStride, $0.outStride) }.max()!)
    }

    deinit { argmax.deallocate(); route.deallocate(); codeOffsets.deallocate(); rows.deallocate(); nonzero.deallocate(); rowFlags.deallocate() }

    /// Where conv layer i writes its output before the ReLU: `pre[i]` when kept (the ReLU then
    /// writes acts[i] from it, one pass instead of a copy and an in-place pass), else acts[i].
    @inline(__always) private func convOutput(_ i: Int) -> UnsafeMutablePointer<Float> {
        pre.isEmpty ? acts[i].base : pre[i].base
    }

    /// Start of the unpadded part of grads[i].
    @inline(__always) func gradCore(_ i: Int) -> UnsafeMutablePointer<Float> {
        grads[i].base + (shape.layers[i].width - 1) * shape.layers[i].outStride
    }

    /// Runs one sequence (L base codes) forward; logits land in `logits`. With `dropout` > 0 and a
    /// random stream, units are dropped (training); otherwise evaluation mode. Layer 0 reads the
    /// tap-pair table `pairs` (from `ModelShape.pairTable`).
    func forward(codes: UnsafePointer<UInt8>, params: UnsafePointer<Float>, dropout: Double,
                 random: RandomSource?, pairs: FloatBuffer) {
        let l = shape.layers[0]
        let fused = fusedReLU(dropout: dropout, random: random)
        Conv1DCodes.forwardPaired(y: convOutput(0), outStride: l.outStride, outLength: l.outLength, codes: codes,
                                  w: params + l.weightOffset, pairs: pairs.base, width: l.width,
                                  bias: params + l.biasOffset, offsets: codeOffsets, relu: fused)
        forwardFromFirstLayer(params: params, dropout: dropout, random: random, fused: fused)
    }

    /// Whether the convolutions write their outputs through the ReLU (no separate pass): when
    /// no dropout is drawn and the pre-activations are not kept.
    @inline(__always) private func fusedReLU(dropout: Double, random: RandomSource?) -> Bool {
        pre.isEmpty && !(random != nil && dropout > 0)
    }

    /// Runs a dense input x [seqLength][4] (channels A, C, G, T; e.g. a background expectation)
    /// forward in evaluation mode: layer 0 is then an ordinary convolution over four channels
    /// with the same weight table (its N row unread).
    func forward(dense x: UnsafePointer<Float>, params: UnsafePointer<Float>) {
        let l = shape.layers[0]
        let fused = fusedReLU(dropout: 0, random: nil)
        Conv1D.forward(y: convOutput(0), outStride: l.outStride, outLength: l.outLength, x: x, xStride: 4, nIn: 4,
                       w: params + l.weightOffset, wRows: l.weightRows, width: l.width, bias: params + l.biasOffset,
                       relu: fused)
        forwardFromFirstLayer(params: params, dropout: 0, random: nil, fused: fused)
    }

    /// Everything after layer 0's convolution (whose output is in `convOutput(0)`). Attribution
    /// workspaces (pre-activations kept) run the deeper convolutions from the input side
    /// (`ScatterConv`: the ReLU's zeros cost nothing); training keeps the dense kernel. `fused`:
    /// the convolutions apply the ReLU as they write (see `fusedReLU`).
    private func forwardFromFirstLayer(params: UnsafePointer<Float>, dropout: Double, random: RandomSource?, fused: Bool) {
        for (i, l) in shape.layers.enumerated() {
            let y = acts[i].base
            if i > 0 {
                if pre.isEmpty {
                    Conv1D.forward(y: y, outStride: l.outStride, outLength: l.outLength,
                                   x: acts[i - 1].base, xStride: l.inStride, nIn: l.inChannels,
                                   w: params + l.weightOffset, wRows: l.weightRows, width: l.width,
                                   bias: params + l.biasOffset, relu: fused)
                } else {
                    ScatterConv.forward(y: pre[i].base, outStride: l.outStride, outLength: l.outLength,
                                        x: acts[i - 1].base, xStride: l.inStride, nIn: l.inChannels,
                                        w: params + l.weightOffset, wRows: l.weightRows, width: l.width,
                                        bias: params + l.biasOffset, nonzero: nonzero)
                }
            }
            if fused { continue }
            if !pre.isEmpty {
                ReLUDropout.forward(from: pre[i].base, to: y, count: l.outLength * l.outStride)
            } else if let random, dropout > 0 {
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

    /// Backpropagates `dLogits` through the last forward pass under `rule`, accumulating
    /// parameter gradients into `grad` (same layout as the parameters; gradient rule only).
    /// `flipped[i]` (i ≥ 1) holds conv layer i's weights prepared by `Conv1D.flipTranspose`.
    /// With `inputGradient`, also fills `inputGrad` ([seqLength][4]: the gradient, or the rescale
    /// multipliers, w.r.t. the one-hot input). Only the rows the max-pool routed to carry anything
    /// into the deepest layer, so its input gradient is scattered from those rows alone.
    func backward(codes: UnsafePointer<UInt8>, params: UnsafePointer<Float>, grad: UnsafeMutablePointer<Float>?,
                  flipped: [FloatBuffer?], dropoutScale: Float = 1, rule: BackwardRule = .gradient,
                  inputGradient: Bool = false) {
        let last = shape.layers.count - 1
        Dense.backward(g: dLogits.base, tasks: shape.tasks, x: pooled.base, inputs: shape.denseInputs,
                       w: params + shape.denseWeightOffset,
                       dW: grad.map { $0 + shape.denseWeightOffset } ?? scratchDense,
                       dB: grad.map { $0 + shape.denseBiasOffset } ?? scratchDenseBias,
                       dX: dPooled.base)
        let routed: UnsafePointer<Int32>
        switch rule {
        case .gradient:
            // The max-pool and the deepest ReLU backward from the routed elements only, onto a
            // buffer that is zero but for the rows the last such call wrote.
            let l = shape.layers[last], dY = gradCore(last)
            if writtenRows < 0 {
                dY.update(repeating: 0, count: l.outLength * l.outStride)
            } else {
                for j in 0..<writtenRows { (dY + Int(rows[j]) * l.outStride).update(repeating: 0, count: l.outStride) }
            }
            writtenRows = MaxPool.backwardThroughReLU(dPooled: dPooled.base, argmax: argmax, y: acts[last].base,
                                                      scale: dropoutScale, stride: shape.pooledStride, channels: l.filters,
                                                      pooledLength: shape.pooledLength, width: shape.poolWidth,
                                                      dX: dY, rows: rows, flags: rowFlags)
            routed = UnsafePointer(argmax)
        case .rescale(let reference):
            writtenRows = -1
            precondition(grad == nil && !pre.isEmpty && !reference.pre.isEmpty, "rescale rule: attribution workspaces only")
            RescaleRule.maxPool(dPooled: dPooled.base, x: acts[last].base, reference: reference.acts[last].base,
                                stride: shape.pooledStride, pooledLength: shape.pooledLength, width: shape.poolWidth,
                                dX: gradCore(last), length: shape.layers[last].outLength, route: route)
            routed = UnsafePointer(route)
        }
        for i in stride(from: last, through: 0, by: -1) {
            let l = shape.layers[i]
            let dY = gradCore(i)
            switch rule {
            case .gradient:
                // The deepest layer's ReLU went with the max-pool's backward.
                if i < last { ReLUDropout.backward(dY: dY, y: acts[i].base, count: l.outLength * l.outStride, scale: dropoutScale) }
            case .rescale(let reference):
                RescaleRule.relu(dY: dY, x: pre[i].base, reference: reference.pre[i].base, count: l.outLength * l.outStride)
            }
            // Below the max-pool only the routed rows carry a gradient: weight sums over those
            // (the weight gradient exists under the gradient rule only).
            let routedRows = grad != nil && i == last ? writtenRows : 0
            if i > 0 {
                if let grad {
                    Conv1D.backwardWeights(dW: grad + l.weightOffset, dB: grad + l.biasOffset, dY: dY,
                                           outStride: l.outStride, outLength: l.outLength, x: acts[i - 1].base,
                                           xStride: l.inStride, rows: min((l.inChannels + 3) / 4 * 4, l.inStride),
                                           wRows: l.weightRows, width: l.width,
                                           positions: i == last ? UnsafePointer(rows) : nil, positionCount: routedRows)
                }
                if i == last {
                    RoutedConv.backwardInput(dX: gradCore(i - 1), inStride: l.inStride, inLength: l.inLength,
                                             dY: dY, outStride: l.outStride, route: routed,
                                             pooledLength: shape.pooledLength, filters: l.filters,
                                             wf: flipped[i]!.base, width: l.width)
                } else {
                    // The transposed convolution from the gradient's side: its zeros (inactive
                    // units, rows no routed row reaches) cost nothing.
                    ScatterConv.forward(y: gradCore(i - 1), outStride: l.inStride, outLength: l.inLength,
                                        x: grads[i].base, xStride: l.outStride, nIn: l.filters,
                                        w: flipped[i]!.base, wRows: l.outStride, width: l.width, bias: nil,
                                        nonzero: nonzero)
                }
            } else {
                if let grad {
                    Conv1DCodes.backwardWeights(dW: grad + l.weightOffset, dB: grad + l.biasOffset, dY: dY,
                                                outStride: l.outStride, outLength: l.outLength, codes: codes,
                                                width: l.width, positions: i == last ? UnsafePointer(rows) : nil,
                                                positionCount: routedRows)
                }
                if inputGradient {
                    OneHotInput.backward(dX: inputGrad.base, inLength: l.inLength, dYPadded: grads[0].base,
                                         outStride: l.outStride, w: params + l.weightOffset, width: l.width)
                }
            }
        }
    }

    /// The gradient (rule `.gradient`) or DeepLIFT's multipliers (`.rescale`) of logit `task`
    /// w.r.t. the one-hot input of the last forward pass, left in `inputGrad` [seqLength][4].
    func inputMultipliers(task: Int, codes: UnsafePointer<UInt8>, params: UnsafePointer<Float>,
                          flipped: [FloatBuffer?], rule: BackwardRule) {
        dLogits.zero()
        dLogits.base[task] = 1
        backward(codes: codes, params: params, grad: nil, flipped: flipped, rule: rule, inputGradient: true)
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

    /// Flipped, transposed copies of the conv weights of layers 1, 2, ... for input gradients
    /// (see `Conv1D.flipTranspose`); nil for layer 0, whose input gradient reads its own table.
    func flippedWeights(_ params: UnsafePointer<Float>) -> [FloatBuffer?] {
        layers.enumerated().map { (i, l) in
            if i == 0 { return nil }
            let b = FloatBuffer(l.width * l.outStride * l.inStride)
            Conv1D.flipTranspose(w: params + l.weightOffset, wRows: l.weightRows, outStride: l.outStride,
                                 width: l.width, inChannels: l.inChannels, outChannels: l.filters,
                                 into: b.base, inStride: l.inStride)
            return b
        }
    }
}

/// What passes that read a model without changing it (attribution) need, prepared once: its
/// parameters, layer 0's tap-pair table and the flipped, transposed weights of the deeper layers.
struct PreparedModel: @unchecked Sendable {
    let shape: ModelShape
    let params: UnsafePointer<Float>
    let pairs: FloatBuffer
    let flipped: [FloatBuffer?]
    /// Keeps the parameter buffer alive.
    let model: SequenceDNN

    init(_ model: SequenceDNN) {
        self.model = model
        shape = model.shape
        params = UnsafePointer(model.params.base)
        pairs = shape.pairTable(model.params.base)
        flipped = shape.flippedWeights(model.params.base)
    }
}
