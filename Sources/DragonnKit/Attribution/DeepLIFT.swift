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
        let sequence = Array(UnsafeBufferPointer(start: c, count: length))
        var rng = root.split(UInt64(firstIndex + s))
        pass.hypothetical(sequence: sequence, references: reference.inputs(for: sequence, rng: &rng), tasks: tasks, into: out)
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

    init(_ prepared: PreparedModel) {
        self.prepared = prepared
        x = Workspace(prepared.shape, keepPreActivations: true)
        ref = Workspace(prepared.shape, keepPreActivations: true)
        let tasks = prepared.shape.tasks, count = x.grads[0].count, length = prepared.shape.layers[0].inLength
        multiplierSums = (0..<tasks).map { _ in FloatBuffer(count) }
        shiftSums = (0..<tasks).map { _ in FloatBuffer(length) }
    }

    /// Hypothetical contributions [task][base][position] of `sequence`, averaged over `references`.
    /// For base-code references the input's multipliers are linear in layer 0's output
    /// multipliers, so those are summed over references and taken to the input once per task;
    /// only each reference's own base (the hypothetical's shift) is read per reference.
    func hypothetical(sequence: [UInt8], references: [ReferenceInput], tasks: [Int], into out: UnsafeMutablePointer<Float>) {
        let length = prepared.shape.layers[0].inLength, params = prepared.params
        let l0 = prepared.shape.layers[0]
        out.update(repeating: 0, count: tasks.count * 4 * length)
        for ti in tasks.indices { multiplierSums[ti].zero(); shiftSums[ti].zero() }
        var codeReferences = 0
        sequence.withUnsafeBufferPointer { codes in
            let c = codes.baseAddress!
            x.forward(codes: c, params: params, dropout: 0, random: nil, pairs: prepared.pairs)
            for reference in references {
                switch reference {
                case .codes(let r):
                    codeReferences += 1
                    r.withUnsafeBufferPointer { rc in
                        ref.forward(codes: rc.baseAddress!, params: params, dropout: 0, random: nil, pairs: prepared.pairs)
                        for (ti, t) in tasks.enumerated() {
                            x.dLogits.zero()
                            x.dLogits.base[t] = 1
                            x.backward(codes: c, params: params, grad: nil, flipped: prepared.flipped, rule: .rescale(reference: ref))
                            let v = x.grads[0].base, sum = multiplierSums[ti].base
                            var i = 0
                            while i < multiplierSums[ti].count { store16(load16(sum + i) + load16(v + i), sum + i); i += 16 }
                            OneHotInput.backwardAtCodes(shift: shiftSums[ti].base, inLength: length, codes: rc.baseAddress!,
                                                        dYPadded: v, outStride: l0.outStride, w: params + l0.weightOffset,
                                                        width: l0.width)
                        }
                    }
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
        if codeReferences > 0 {
            for ti in tasks.indices {
                OneHotInput.backward(dX: x.inputGrad.base, inLength: length, dYPadded: multiplierSums[ti].base,
                                     outStride: l0.outStride, w: params + l0.weightOffset, width: l0.width)
                let m = x.inputGrad.base, shift = shiftSums[ti].base, o = out + ti * 4 * length
                for p in 0..<length { for b in 0..<4 { o[b * length + p] += m[4 * p + b] - shift[p] } }
            }
        }
        let scale = 1 / Float(max(1, references.count))
        for i in 0..<(tasks.count * 4 * length) { out[i] *= scale }
    }
}
