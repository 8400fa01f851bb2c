import Foundation
import DragonnKernels

/// DeepLIFT with the rescale rule on the task logits, averaged over references.
///
/// Result layout `[sequence][task][base][position]`: hypothetical contributions, the contribution
/// base b would make at a position (multiplier of b minus the reference-weighted multipliers,
/// averaged over references). The contribution of the observed base is the hypothetical value of
/// that base; contributions of a sequence sum to logit(x) − mean logit(references).
/// Rules (the engine's backward pass under `BackwardRule.rescale`): ReLU multiplier =
/// Δoutput/Δinput (the gradient when |Δinput| < 1e-6); max-pool sends the output change to the
/// arg-max of max(x, reference) in the window, divided by the input change there; convolutions
/// and the dense layer are linear. Each sequence's forward pass is computed once for all its
/// references. Sequence `i` draws its shuffles from `RandomSource(seed:).split(firstIndex + i)`,
/// so batches of one set give the same values, whatever `threads` is.
public func deepLift(model: SequenceDNN, codes: [UInt8], count: Int, tasks: [Int],
                     reference: AttributionReference, seed: UInt64, threads: Int = 1,
                     firstIndex: Int = 0) -> [Float] {
    let root = RandomSource(seed: seed), prepared = PreparedModel(model), length = model.architecture.seqLength
    return attributeSequences(model: model, codes: codes, count: count, tasks: tasks.count, threads: threads,
                              worker: { RescalePass(prepared) }) { pass, s, c, out in
        var rng = root.split(UInt64(firstIndex + s))
        if case .shuffles(let n) = reference {
            // Drawn one at a time into the pass's buffer: the same draws as `inputs(for:rng:)`.
            pass.hypotheticalShuffles(codes: c, count: n, rng: &rng, tasks: tasks, into: out)
        } else {
            let sequence = Array(UnsafeBufferPointer(start: c, count: length))
            pass.hypothetical(sequence: sequence, references: reference.inputs(for: sequence, rng: &rng), tasks: tasks, into: out)
        }
    }
}

/// DeepLIFT hypothetical contributions `[task][base][position]` of one sequence against the given
/// references (same rules as `deepLift(model:codes:...)`).
public func deepLift(model: SequenceDNN, sequence: [UInt8], references: [ReferenceInput], tasks: [Int]) -> [Float] {
    var out = [Float](repeating: 0, count: tasks.count * 4 * model.architecture.seqLength)
    out.withUnsafeMutableBufferPointer {
        RescalePass(PreparedModel(model)).hypothetical(sequence: sequence, references: references, tasks: tasks,
                                                       into: $0.baseAddress!)
    }
    return out
}

/// Gradient of each task logit with respect to the one-hot input, `[sequence][task][base][position]`
/// (gradient × input is its value at the observed base): the engine's backward pass under
/// `BackwardRule.gradient`. Results do not depend on `threads`.
public func inputGradient(model: SequenceDNN, codes: [UInt8], count: Int, tasks: [Int], threads: Int = 1) -> [Float] {
    let prepared = PreparedModel(model), length = model.architecture.seqLength
    return attributeSequences(model: model, codes: codes, count: count, tasks: tasks.count, threads: threads,
                              worker: { Workspace(prepared.shape) }) { ws, _, c, out in
        ws.forward(codes: c, params: prepared.params, dropout: 0, random: nil, pairs: prepared.pairs)
        for (ti, t) in tasks.enumerated() {
            ws.inputMultipliers(task: t, codes: c, params: prepared.params, flipped: prepared.flipped, rule: .gradient)
            let o = out + ti * 4 * length, m = ws.inputGrad.base
            for p in 0..<length { for b in 0..<4 { o[b * length + p] = m[4 * p + b] } }
        }
    }
}

/// Per-thread DeepLIFT state: the sequence's and one reference's forward passes.
final class RescalePass {
    let prepared: PreparedModel
    let x: Workspace
    let ref: Workspace
    /// Per task: the sum over references of layer 0's output multipliers (zero-padded like the
    /// workspace's `grads[0]`), and the sum of each reference's multiplier at its own base.
    private let multiplierSums: [FloatBuffer]
    private let shiftSums: [FloatBuffer]
    /// The deepest layer's routed multipliers and their rows, [pooledLength][pooledStride].
    private let routedValues: FloatBuffer
    private let shuffler = DinucleotideShuffler()
    /// One shuffled reference, [seqLength].
    private let referenceCodes: UnsafeMutablePointer<UInt8>
    /// Per layer i: the rows of its output multipliers that can be nonzero, [0, reach[i]): the
    /// deepest layer's pooled windows, widened by each convolution above.
    private let reach: [Int]

    init(_ prepared: PreparedModel) {
        self.prepared = prepared
        let shape = prepared.shape
        x = Workspace(shape, keepPreActivations: true)
        ref = Workspace(shape, keepPreActivations: true)
        let tasks = shape.tasks, count = x.grads[0].count, length = shape.layers[0].inLength
        multiplierSums = (0..<tasks).map { _ in FloatBuffer(count) }
        shiftSums = (0..<tasks).map { _ in FloatBuffer(length) }
        routedValues = FloatBuffer(shape.denseInputs)
        referenceCodes = .allocate(capacity: length)
        var reach = [Int](repeating: 0, count: shape.layers.count)
        var rows = shape.pooledLength * shape.poolWidth
        for i in stride(from: shape.layers.count - 1, through: 0, by: -1) {
            reach[i] = min(rows, shape.layers[i].outLength)
            rows = reach[i] + shape.layers[i].width - 1
        }
        self.reach = reach
    }

    deinit { referenceCodes.deallocate() }

    /// Hypothetical contributions [task][base][position] of `sequence`, averaged over `references`.
    /// For base-code references the input's multipliers are linear in layer 0's output
    /// multipliers, so those are summed over references and taken to the input once per task;
    /// only each reference's own base (the hypothetical's shift) is read per reference.
    func hypothetical(sequence: [UInt8], references: [ReferenceInput], tasks: [Int], into out: UnsafeMutablePointer<Float>) {
        let length = prepared.shape.layers[0].inLength, params = prepared.params
        begin(tasks: tasks.count, into: out)
        var codeReferences = 0
        sequence.withUnsafeBufferPointer { codes in
            let c = codes.baseAddress!
            x.forward(codes: c, params: params, dropout: 0, random: nil, pairs: prepared.pairs)
            for reference in references {
                switch reference {
                case .codes(let r):
                    codeReferences += 1
                    r.withUnsafeBufferPointer { add(codeReference: $0.baseAddress!, codes: c, tasks: tasks) }
                case .dense(let d):
                    d.withUnsafeBufferPointer { ref.forward(dense: $0.baseAddress!, params: params) }
                    for (ti, t) in tasks.enumerated() {
                        x.inputMultipliers(task: t, codes: c, params: params, flipped: prepared.flipped, rule: .rescale(reference: ref))
                        let m = x.inputGrad.base, o = out + ti * 4 * length
                        // Hypothetical: each base's multiplier minus the reference-weighted multipliers.
                        for p in 0..<length {
                            let base = m + 4 * p
                            let shift = base[0] * d[4 * p] + base[1] * d[4 * p + 1] + base[2] * d[4 * p + 2] + base[3] * d[4 * p + 3]
                            for b in 0..<4 { o[b * length + p] += base[b] - shift }
                        }
                    }
                }
            }
        }
        finish(tasks: tasks.count, codeReferences: codeReferences, references: references.count, into: out)
    }

    /// `hypothetical` against `count` dinucleotide shuffles of codes[0..<seqLength], drawn from
    /// `rng` one after another (the same references as `AttributionReference.shuffles(count)`'s
    /// `inputs(for:rng:)`), each into one reused buffer.
    func hypotheticalShuffles(codes c: UnsafePointer<UInt8>, count: Int, rng: inout RandomSource, tasks: [Int],
                              into out: UnsafeMutablePointer<Float>) {
        let length = prepared.shape.layers[0].inLength
        begin(tasks: tasks.count, into: out)
        if prepared.shape.layers.count >= 2 {
            forwardForRescale(c, into: x)   // dense kernels: the ReLU's zeros are too few for the scatter to pay
        } else {
            x.forward(codes: c, params: prepared.params, dropout: 0, random: nil, pairs: prepared.pairs)
        }
        shuffler.prepare(c, count: length)
        for _ in 0..<count {
            shuffler.shufflePrepared(into: referenceCodes, using: &rng)
            add(codeReference: referenceCodes, codes: c, tasks: tasks)
        }
        finish(tasks: tasks.count, codeReferences: count, references: count, into: out)
    }

    private func begin(tasks: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: tasks * 4 * prepared.shape.layers[0].inLength)
        for ti in 0..<tasks { multiplierSums[ti].zero(); shiftSums[ti].zero() }
    }

    /// Takes the summed layer-0 multipliers of the code references to the input and averages.
    private func finish(tasks: Int, codeReferences: Int, references: Int, into out: UnsafeMutablePointer<Float>) {
        let l0 = prepared.shape.layers[0], length = l0.inLength
        if codeReferences > 0 {
            for ti in 0..<tasks {
                OneHotInput.backward(dX: x.inputGrad.base, inLength: length, dYPadded: multiplierSums[ti].base,
                                     outStride: l0.outStride, w: prepared.params + l0.weightOffset, width: l0.width)
                let m = x.inputGrad.base, shift = shiftSums[ti].base, o = out + ti * 4 * length
                for p in 0..<length { for b in 0..<4 { o[b * length + p] += m[4 * p + b] - shift[p] } }
            }
        }
        let scale = 1 / Float(max(1, references))
        for i in 0..<(tasks * 4 * length) { out[i] *= scale }
    }

    /// Adds one base-code reference's layer-0 output multipliers to `multiplierSums` and its
    /// own bases' multipliers to `shiftSums`, per task (x's forward pass already run).
    private func add(codeReference rc: UnsafePointer<UInt8>, codes c: UnsafePointer<UInt8>, tasks: [Int]) {
        let shape = prepared.shape, params = prepared.params, l0 = shape.layers[0]
        guard shape.layers.count >= 2 else {
            // One layer: the workspace's own rescale pass (the max-pool sits right on layer 0).
            ref.forward(codes: rc, params: params, dropout: 0, random: nil, pairs: prepared.pairs)
            for (ti, t) in tasks.enumerated() {
                x.dLogits.zero()
                x.dLogits.base[t] = 1
                x.backward(codes: c, params: params, grad: nil, flipped: prepared.flipped, rule: .rescale(reference: ref))
                accumulate(ti, layer0: x.grads[0].base, codes: rc)
            }
            return
        }
        forwardForRescale(rc, into: ref)
        let last = shape.layers.count - 1, ll = shape.layers[last]
        for (ti, t) in tasks.enumerated() {
            // The dense layer's multipliers for task t are its weight row (one-hot dLogits).
            RescaleRule.maxPoolThroughReLU(dPooled: params + shape.denseWeightOffset + t * shape.denseInputs,
                                           xPre: x.pre[last].base, rPre: ref.pre[last].base, stride: shape.pooledStride,
                                           pooledLength: shape.pooledLength, width: shape.poolWidth,
                                           values: routedValues.base, route: x.route)
            // Scattered from the routed elements, through the ReLU of the layer below.
            RoutedConv.backwardInputRescaled(dX: x.gradCore(last - 1), inStride: ll.inStride, inLength: ll.inLength,
                                             values: routedValues.base, outStride: ll.outStride, route: x.route,
                                             pooledLength: shape.pooledLength, poolWidth: shape.poolWidth, filters: ll.filters,
                                             wf: prepared.flipped[last]!.base, width: ll.width,
                                             xPre: x.pre[last - 1].base, rPre: ref.pre[last - 1].base)
            for i in stride(from: last - 1, through: 1, by: -1) {
                let l = shape.layers[i]
                if i < last - 1 {
                    RescaleRule.relu(dY: x.gradCore(i), x: x.pre[i].base, reference: ref.pre[i].base, count: reach[i] * l.outStride)
                }
                if i > 1 {
                    Conv1D.forward(y: x.gradCore(i - 1), outStride: l.inStride, outLength: l.inLength, x: x.grads[i].base,
                                   xStride: l.outStride, nIn: l.filters, w: prepared.flipped[i]!.base, wRows: l.outStride,
                                   width: l.width, bias: nil)
                } else {
                    // Onto layer 0 through its ReLU, summed over references in the same pass.
                    let core = (l0.width - 1) * l0.outStride
                    RescaleConv.backwardInputRescaled(y: x.gradCore(0), sum: multiplierSums[ti].base + core, outStride: l.inStride,
                                                      outLength: l.inLength, rows: reach[0], g: x.grads[1].base,
                                                      gStride: l.outStride, nIn: l.filters, wf: prepared.flipped[1]!.base,
                                                      wRows: l.outStride, width: l.width,
                                                      xPre: x.pre[0].base, rPre: ref.pre[0].base)
                }
            }
            if last == 1 {
                // Two layers: the routed scatter landed on layer 0 (through its ReLU).
                accumulate(ti, layer0: x.grads[0].base, codes: rc)
            } else {
                OneHotInput.backwardAtCodes(shift: shiftSums[ti].base, inLength: l0.inLength, codes: rc,
                                            dYPadded: x.grads[0].base, outStride: l0.outStride, w: params + l0.weightOffset,
                                            width: l0.width)
            }
        }
    }

    /// Adds layer 0's output multipliers (padded, as `grads[0]`) of one reference to the sums.
    private func accumulate(_ ti: Int, layer0 v: UnsafeMutablePointer<Float>, codes rc: UnsafePointer<UInt8>) {
        let l0 = prepared.shape.layers[0], sum = multiplierSums[ti].base
        var i = 0
        while i < multiplierSums[ti].count { store16(load16(sum + i) + load16(v + i), sum + i); i += 16 }
        OneHotInput.backwardAtCodes(shift: shiftSums[ti].base, inLength: l0.inLength, codes: rc, dYPadded: v,
                                    outStride: l0.outStride, w: prepared.params + l0.weightOffset, width: l0.width)
    }

    /// The pre-activations (and ReLU outputs, which the next layer reads) of every layer i, rows
    /// [0, reach[i]) only, of the input or a reference into `ref`'s buffers: what the rescale
    /// rule reads (the rows past the last pooled window's reach, the max-pool and the dense
    /// layer are never read; models of two or more layers).
    private func forwardForRescale(_ rc: UnsafePointer<UInt8>, into ref: Workspace) {
        let shape = prepared.shape, params = prepared.params, l0 = shape.layers[0], last = shape.layers.count - 1
        Conv1DCodes.forwardPaired(y: ref.pre[0].base, outStride: l0.outStride, outLength: reach[0], codes: rc,
                                  w: params + l0.weightOffset, pairs: prepared.pairs.base, width: l0.width,
                                  bias: params + l0.biasOffset, offsets: ref.codeOffsets, relu: false,
                                  activations: ref.acts[0].base)
        for i in 1...last {
            let l = shape.layers[i]
            if i < last {
                RescaleConv.forwardKeepingPre(pre: ref.pre[i].base, act: ref.acts[i].base, outStride: l.outStride,
                                              outLength: reach[i], x: ref.acts[i - 1].base, xStride: l.inStride,
                                              nIn: l.inChannels, w: params + l.weightOffset, wRows: l.weightRows,
                                              width: l.width, bias: params + l.biasOffset)
            } else {
                RescaleConv.forward(y: ref.pre[i].base, outStride: l.outStride, outLength: reach[i], x: ref.acts[i - 1].base,
                               xStride: l.inStride, nIn: l.inChannels, w: params + l.weightOffset, wRows: l.weightRows,
                               width: l.width, bias: params + l.biasOffset)
            }
        }
    }
}
