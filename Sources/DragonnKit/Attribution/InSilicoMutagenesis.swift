import Foundation

/// In-silico mutagenesis on the task logits.
///
/// Result layout `[sequence][task][base][position]` (bases A, C, G, T): logit(sequence with that
/// position set to that base) − logit(sequence); zero where the base is the observed one.
/// Exact, but each mutant only recomputes what the mutation reaches (the fastISM idea): the
/// `width` first-layer outputs over it, the growing cone of each deeper conv layer, and the max
/// of the pool windows that cone overlaps; the dense tail is a dot product over those windows.
public func inSilicoMutagenesis(network net: AttributionNetwork, codes: [UInt8], count: Int,
                                tasks: [Int], threads: Int = 1) -> [Float] {
    let length = net.sequenceLength
    precondition(codes.count == count * length)
    let perSequence = tasks.count * 4 * length
    var result = [Float](repeating: 0, count: count * perSequence)
    result.withUnsafeMutableBufferPointer { out in
        let outBase = out.baseAddress!
        codes.withUnsafeBufferPointer { all in
            let codesBase = all.baseAddress!
            parallelChunks(count: count, threads: threads) { _, sequences in
                let engine = FastISM(net)
                for s in sequences {
                    engine.run(codes: codesBase + s * length, tasks: tasks, into: outBase + s * perSequence)
                }
            }
        }
    }
    return result
}

/// The same values by running the whole network once per mutant (slow; the reference fastISM is
/// tested against).
public func naiveInSilicoMutagenesis(network net: AttributionNetwork, codes: [UInt8], count: Int,
                                     tasks: [Int]) -> [Float] {
    let length = net.sequenceLength
    let trace = AttributionTrace(net)
    let pooled = alignedFloats(net.lastFilters * net.pooledLength)
    let logits = alignedFloats(net.taskCount), base = alignedFloats(net.taskCount)
    defer { pooled.deallocate(); logits.deallocate(); base.deallocate() }
    var result = [Float](repeating: 0, count: count * tasks.count * 4 * length)
    for s in 0..<count {
        var seq = Array(codes[(s * length)..<((s + 1) * length)])
        seq.withUnsafeBufferPointer { trace.run(codes: $0.baseAddress!) }
        trace.logits(into: base, pooledScratch: pooled)
        for j in 0..<length {
            let observed = seq[j]
            for b in 0..<4 where UInt8(b) != observed {
                seq[j] = UInt8(b)
                seq.withUnsafeBufferPointer { trace.run(codes: $0.baseAddress!) }
                trace.logits(into: logits, pooledScratch: pooled)
                for (ti, t) in tasks.enumerated() {
                    result[((s * tasks.count + ti) * 4 + b) * length + j] = logits[t] - base[t]
                }
            }
            seq[j] = observed
        }
    }
    return result
}

/// Per-thread fastISM state: the sequence's own trace and small buffers for one mutant's cone.
final class FastISM {
    let net: AttributionNetwork
    let trace: AttributionTrace
    /// Pool-window maxima of the sequence, `[window][paddedFilters]`.
    let basePooledRows: UnsafeMutablePointer<Float>
    /// Dense weights `[task][window][filter chunk]` as 16-lane vectors.
    let windowWeights: [SIMD16<Float>]
    /// Modified pre-activations / ReLU outputs of layer l over its affected range.
    var modZ: [UnsafeMutablePointer<Float>] = []
    var modH: [UnsafeMutablePointer<Float>] = []
    /// Input rows of layer l (baseline with the modified rows of layer l-1 patched in).
    var inputRows: [UnsafeMutablePointer<Float>] = []
    let logitDelta: UnsafeMutablePointer<Float>

    init(_ net: AttributionNetwork) {
        self.net = net
        trace = AttributionTrace(net)
        let fpLast = net.padded[net.layers.count - 1], pn = net.pooledLength
        basePooledRows = alignedFloats(pn * fpLast)
        var weights = [SIMD16<Float>](repeating: .zero, count: net.taskCount * pn * fpLast / 16)
        for t in 0..<net.taskCount { for f in 0..<net.lastFilters { for w in 0..<pn {
            weights[(t * pn + w) * (fpLast / 16) + f / 16][f % 16] = net.denseWeight[(t * net.lastFilters + f) * pn + w]
        } } }
        windowWeights = weights
        logitDelta = alignedFloats(net.taskCount)
        var span = 1
        for (l, layer) in net.layers.enumerated() {
            let inputSpan = span + layer.width - 1
            if l > 0 { span = inputSpan }   // layer l's affected outputs grow by width-1
            else { span = layer.width }
            modZ.append(alignedFloats(span * net.padded[l]))
            modH.append(alignedFloats(span * net.padded[l]))
            inputRows.append(l > 0 ? alignedFloats((span + layer.width - 1) * net.padded[l - 1]) : alignedFloats(1))
        }
    }

    deinit {
        basePooledRows.deallocate(); logitDelta.deallocate()
        for p in modZ + modH + inputRows { p.deallocate() }
    }

    func run(codes: UnsafePointer<UInt8>, tasks: [Int], into out: UnsafeMutablePointer<Float>) {
        let length = net.sequenceLength
        trace.run(codes: codes)
        let last = net.layers.count - 1, fp = net.padded[last], pw = net.poolWidth
        for w in 0..<net.pooledLength {
            for c in 0..<fp {
                var m = trace.h[last][(w * pw) * fp + c]
                for i in (w * pw)..<((w + 1) * pw) { m = max(m, trace.h[last][i * fp + c]) }
                basePooledRows[w * fp + c] = m
            }
        }
        for j in 0..<length {
            let observed = Int(codes[j])
            for b in 0..<4 where b != observed {
                mutate(codes: codes, position: j, base: b, observed: observed)
                for (ti, t) in tasks.enumerated() { out[(ti * 4 + b) * length + j] = logitDelta[t] }
            }
        }
    }

    /// Shrinks `lo...hi` to the rows of layer `l` whose ReLU output actually changed (moving the
    /// modified rows to the front of `modH[l]`); false when none did, so the mutation has no effect
    /// (ReLU zeros before and after are common: this prunes most of the cone in trained models).
    private func narrow(layer l: Int, lo: inout Int, hi: inout Int) -> Bool {
        let fp = net.padded[l], base = trace.h[l], mod = modH[l]
        var first = -1, last = -1
        for p in lo...hi where memcmp(base + p * fp, mod + (p - lo) * fp, fp * 4) != 0 {
            if first < 0 { first = p }
            last = p
        }
        guard first >= 0 else { return false }
        if first > lo { memmove(mod, mod + (first - lo) * fp, (last - first + 1) * fp * 4) }
        lo = first; hi = last
        return true
    }

    /// Fills `logitDelta` with the logit change of setting `position` to `base`.
    private func mutate(codes: UnsafePointer<UInt8>, position j: Int, base: Int, observed: Int) {
        let layers = net.layers
        // Layer 1: shift the pre-activations the mutation reaches by the weight-column difference.
        let w0 = layers[0].width, fp0 = net.padded[0], chunks0 = fp0 / 16
        var lo = max(0, j - w0 + 1), hi = min(net.convLengths[0] - 1, j)
        net.gatherWeights[0].withUnsafeBufferPointer { g in
            let zRaw = UnsafeMutableRawPointer(modZ[0])
            let baseZ = UnsafeRawPointer(trace.z[0])
            for p in lo...hi {
                let k = j - p
                for fc in 0..<chunks0 {
                    var v = baseZ.load(fromByteOffset: (p * fp0 + fc * 16) * 4, as: SIMD16<Float>.self)
                    v += g[(k * 4 + base) * chunks0 + fc]
                    if observed < 4 { v -= g[(k * 4 + observed) * chunks0 + fc] }
                    zRaw.storeBytes(of: v, toByteOffset: ((p - lo) * fp0 + fc * 16) * 4, as: SIMD16<Float>.self)
                }
            }
        }
        relu(modZ[0], modH[0], count: (hi - lo + 1) * fp0)
        for t in 0..<net.taskCount { logitDelta[t] = 0 }
        guard narrow(layer: 0, lo: &lo, hi: &hi) else { return }
        // Deeper layers: recompute the cone from baseline rows with the modified rows patched in.
        for l in 1..<layers.count {
            let width = layers[l].width, cp = net.padded[l - 1], fp = net.padded[l]
            let newLo = max(0, lo - width + 1), newHi = min(net.convLengths[l] - 1, hi)
            let rows = newHi + width - newLo   // input rows newLo ..< newHi + width
            let buffer = inputRows[l]
            buffer.update(from: trace.h[l - 1] + newLo * cp, count: rows * cp)
            (buffer + (lo - newLo) * cp).update(from: modH[l - 1], count: (hi - lo + 1) * cp)
            trace.convolve(layer: l, input: buffer, output: modZ[l], count: newHi - newLo + 1)
            relu(modZ[l], modH[l], count: (newHi - newLo + 1) * fp)
            lo = newLo; hi = newHi
            guard narrow(layer: l, lo: &lo, hi: &hi) else { return }
        }
        // Pool windows the cone overlaps (16 filters at a time), then the dense layer on their change.
        let last = layers.count - 1, fp = net.padded[last], chunks = fp / 16
        let pw = net.poolWidth, pn = net.pooledLength
        let firstWindow = lo / pw, lastWindow = min(hi / pw, pn - 1)
        guard firstWindow <= lastWindow else { return }
        let baseH = UnsafeRawPointer(trace.h[last]), mod = UnsafeRawPointer(modH[last])
        let pooledRows = UnsafeRawPointer(basePooledRows)
        windowWeights.withUnsafeBufferPointer { ww in
            for w in firstWindow...lastWindow {
                for fc in 0..<chunks {
                    var m = SIMD16<Float>(repeating: -.infinity)
                    for i in (w * pw)..<((w + 1) * pw) {
                        let v = (i >= lo && i <= hi)
                            ? mod.load(fromByteOffset: ((i - lo) * fp + fc * 16) * 4, as: SIMD16<Float>.self)
                            : baseH.load(fromByteOffset: (i * fp + fc * 16) * 4, as: SIMD16<Float>.self)
                        m.replace(with: v, where: v .> m)
                    }
                    let delta = m - pooledRows.load(fromByteOffset: (w * fp + fc * 16) * 4, as: SIMD16<Float>.self)
                    if delta == .zero { continue }
                    for t in 0..<net.taskCount { logitDelta[t] += (ww[(t * pn + w) * chunks + fc] * delta).sum() }
                }
            }
        }
    }
}
