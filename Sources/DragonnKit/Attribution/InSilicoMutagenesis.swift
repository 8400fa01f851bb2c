import Foundation
import DragonnKernels

/// In-silico mutagenesis on the task logits.
///
/// Result layout `[sequence][task][base][position]` (bases A, C, G, T): logit(sequence with that
/// position set to that base) − logit(sequence); zero where the base is the observed one.
/// Exact, but each mutant only recomputes what the mutation reaches (the fastISM idea), with the
/// engine's own kernels on row ranges: the `width` first-layer outputs over it, the growing cone
/// of each deeper conv layer, and the max of the pool windows that cone overlaps; the dense tail
/// is a dot product over those windows. Results do not depend on `threads`.
public func inSilicoMutagenesis(model: SequenceDNN, codes: [UInt8], count: Int, tasks: [Int],
                                threads: Int = 1) -> [Float] {
    let prepared = PreparedModel(model)
    return attributeSequences(model: model, codes: codes, count: count, tasks: tasks.count, threads: threads,
                              worker: { MutationCone(prepared) }) { cone, _, c, out in
        cone.run(codes: c, tasks: tasks, into: out)
    }
}

/// Per-thread fastISM state: the sequence's forward pass in an engine workspace, and the rows of
/// each layer one mutant changes.
final class MutationCone {
    let shape: ModelShape
    let params: UnsafePointer<Float>
    let pairs: FloatBuffer
    let sequence: Workspace
    /// The sequence with at most one position changed.
    let mutant: UnsafeMutablePointer<UInt8>
    /// Outputs (after the ReLU) of layer l over the rows the mutation reaches, [rows][outStride].
    let changed: [FloatBuffer]
    /// Input rows of layer l ≥ 1: the sequence's, with layer l − 1's changed rows patched in.
    let patched: [FloatBuffer?]
    /// Change of every task logit under the current mutant.
    let logitDelta: FloatBuffer
    /// The unmutated sequence's activations of each conv layer and its pooled values, which
    /// `mutate` compares against: the workspace's by default; variant scoring points them into
    /// activations shared by overlapping windows.
    var reference: [UnsafePointer<Float>]
    var referencePooled: UnsafePointer<Float>

    init(_ prepared: PreparedModel) {
        shape = prepared.shape
        params = prepared.params
        pairs = prepared.pairs
        let sequence = Workspace(shape)
        self.sequence = sequence
        mutant = .allocate(capacity: shape.layers[0].inLength)
        var rows = 0, changed: [FloatBuffer] = [], patched: [FloatBuffer?] = []
        for (i, l) in shape.layers.enumerated() {
            // One base reaches `width` outputs of layer 0; each deeper layer widens that by width − 1.
            rows = i == 0 ? l.width : rows + l.width - 1
            let capacity = rows + MutationCone.block   // room to widen to whole blocks
            changed.append(FloatBuffer(capacity * l.outStride))
            patched.append(i == 0 ? nil : FloatBuffer((capacity + l.width - 1) * l.inStride))
        }
        self.changed = changed
        self.patched = patched
        logitDelta = FloatBuffer(shape.tasks)
        reference = sequence.acts.map { UnsafePointer($0.base) }
        referencePooled = UnsafePointer(sequence.pooled.base)
    }

    deinit { mutant.deallocate() }

    /// Effects of every substitution of one sequence, [task][base][position] for `tasks`.
    func run(codes: UnsafePointer<UInt8>, tasks: [Int], into out: UnsafeMutablePointer<Float>) {
        let length = shape.layers[0].inLength
        mutant.update(from: codes, count: length)
        sequence.forward(codes: codes, params: params, dropout: 0, random: nil, pairs: pairs)
        for j in 0..<length {
            let observed = codes[j]
            for b in 0..<4 where UInt8(b) != observed {
                mutant[j] = UInt8(b)
                mutate(position: j, codes: mutant)
                for (ti, t) in tasks.enumerated() { out[(ti * 4 + b) * length + j] = logitDelta.base[t] }
            }
            mutant[j] = observed
        }
    }

    /// Shrinks `lo...hi` to the rows of layer `i` whose output actually changed (moving them to
    /// the front of `changed[i]`); false when none did, so the mutation has no effect. ReLU zeros
    /// before and after are common: this prunes most of the cone in trained models. The cone is
    /// computed by the same kernels as the sequence's pass, so unchanged rows are bit-identical.
    private func narrow(layer i: Int, lo: inout Int, hi: inout Int) -> Bool {
        let stride = shape.layers[i].outStride, base = reference[i], mod = changed[i].base
        var first = -1, last = -1
        for p in lo...hi where memcmp(base + p * stride, mod + (p - lo) * stride, stride * 4) != 0 {
            if first < 0 { first = p }
            last = p
        }
        guard first >= 0 else { return false }
        if first > lo { memmove(mod, mod + (first - lo) * stride, (last - first + 1) * stride * 4) }
        lo = first; hi = last
        return true
    }

    /// Widens `lo...hi` (rows of a layer of `length`) to a whole number of the engine
    /// convolution's register blocks when two or more rows would be left over: those run one at
    /// a time, each nearly as slow as a whole block. The added rows are the sequence's own,
    /// computed bit for bit as in its pass, so `narrow` drops them again.
    private func widenToWholeBlocks(lo: inout Int, hi: inout Int, length: Int) {
        let extra = (MutationCone.block - (hi - lo + 1) % MutationCone.block) % MutationCone.block
        guard extra > 0 && extra < MutationCone.block - 1 else { return }
        let right = min(length - 1, hi + extra) - hi
        hi += right
        lo = max(0, lo - (extra - right))
    }

    /// Rows per register block of `Conv1D.forward` (8 on AVX-512 builds, 6 otherwise).
    #if DRAGONN_AVX512
    static let block = 8
    #else
    static let block = 6
    #endif

    /// Fills `logitDelta` with the logit changes of `codes` (the sequence of `reference`, changed at
    /// `position` only).
    func mutate(position j: Int, codes mutant: UnsafePointer<UInt8>) {
        logitDelta.zero()
        let first = shape.layers[0]
        var lo = max(0, j - first.width + 1), hi = min(first.outLength - 1, j)
        Conv1DCodes.forwardPaired(y: changed[0].base, outStride: first.outStride, outLength: hi - lo + 1,
                                  codes: mutant + lo, w: params + first.weightOffset, pairs: pairs.base,
                                  width: first.width, bias: params + first.biasOffset, offsets: sequence.codeOffsets,
                                  relu: true)
        guard narrow(layer: 0, lo: &lo, hi: &hi) else { return }
        for i in 1..<shape.layers.count {
            let l = shape.layers[i]
            var newLo = max(0, lo - l.width + 1), newHi = min(l.outLength - 1, hi)
            widenToWholeBlocks(lo: &newLo, hi: &newHi, length: l.outLength)
            let input = patched[i]!.base   // input rows newLo ..< newHi + width
            input.update(from: reference[i - 1] + newLo * l.inStride, count: (newHi + l.width - newLo) * l.inStride)
            (input + (lo - newLo) * l.inStride).update(from: changed[i - 1].base, count: (hi - lo + 1) * l.inStride)
            Conv1D.forward(y: changed[i].base, outStride: l.outStride, outLength: newHi - newLo + 1, x: input,
                           xStride: l.inStride, nIn: l.inChannels, w: params + l.weightOffset, wRows: l.weightRows,
                           width: l.width, bias: params + l.biasOffset, relu: true)
            lo = newLo; hi = newHi
            guard narrow(layer: i, lo: &lo, hi: &hi) else { return }
        }
        // Pool windows the cone overlaps, 16 filters at a time, then the dense layer on their change.
        let stride = shape.pooledStride, width = shape.poolWidth
        let firstWindow = lo / width, lastWindow = min(hi / width, shape.pooledLength - 1)
        guard firstWindow <= lastWindow else { return }
        MutantPool.addLogitDelta(activations: reference[shape.layers.count - 1],
                                 changed: changed[shape.layers.count - 1].base, lo: lo, hi: hi, stride: stride,
                                 width: width, firstWindow: firstWindow, lastWindow: lastWindow,
                                 pooled: referencePooled, dense: params + shape.denseWeightOffset,
                                 denseInputs: shape.denseInputs, tasks: shape.tasks, logitDelta: logitDelta.base)
    }
}
