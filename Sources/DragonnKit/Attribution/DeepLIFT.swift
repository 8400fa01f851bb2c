import Foundation

/// DeepLIFT with the rescale rule on the task logits, averaged over references.
///
/// Result layout `[sequence][task][base][position]`: hypothetical contributions, the contribution
/// base b would make at a position (multiplier of b minus the reference-weighted multipliers,
/// averaged over references). The contribution of the observed base is the hypothetical value of
/// that base; contributions of a sequence sum to logit(x) − mean logit(references).
/// Rules: ReLU multiplier = Δoutput/Δinput (the gradient when |Δinput| < 1e-6); max-pool sends the
/// output change to the arg-max of max(x, reference) in the window, divided by the input change
/// there; convolutions and the dense layer are linear. Each sequence's references run against one
/// cached trace of the sequence. Sequence `i` draws its shuffles from
/// `RandomSource(seed:).split(firstIndex + i)`, so batches of one set give the same values.
public func deepLift(network net: AttributionNetwork, codes: [UInt8], count: Int, tasks: [Int],
                     reference: AttributionReference, seed: UInt64, threads: Int = 1,
                     firstIndex: Int = 0) -> [Float] {
    let length = net.sequenceLength
    precondition(codes.count == count * length)
    let perSequence = tasks.count * 4 * length
    var result = [Float](repeating: 0, count: count * perSequence)
    let root = RandomSource(seed: seed)
    result.withUnsafeMutableBufferPointer { out in
        let outBase = out.baseAddress!
        parallelChunks(count: count, threads: threads) { _, sequences in
            let engine = RescaleBackward(net)
            for s in sequences {
                let sequence = Array(codes[(s * length)..<((s + 1) * length)])
                var rng = root.split(UInt64(firstIndex + s))
                let refs = reference.inputs(for: sequence, rng: &rng)
                engine.hypothetical(sequence: sequence, references: refs, tasks: tasks, into: outBase + s * perSequence)
            }
        }
    }
    return result
}

/// DeepLIFT hypothetical contributions `[task][base][position]` of one sequence against the given
/// references (same rules as `deepLift(network:codes:...)`).
public func deepLift(network net: AttributionNetwork, sequence: [UInt8], references: [ReferenceInput],
                     tasks: [Int]) -> [Float] {
    var out = [Float](repeating: 0, count: tasks.count * 4 * net.sequenceLength)
    out.withUnsafeMutableBufferPointer {
        RescaleBackward(net).hypothetical(sequence: sequence, references: references, tasks: tasks, into: $0.baseAddress!)
    }
    return out
}

/// Gradient of each task logit with respect to the one-hot input, `[sequence][task][base][position]`
/// (gradient × input is its value at the observed base). It is the rescale backward pass with the
/// sequence as its own reference, where every rule falls back to the gradient.
public func inputGradient(network net: AttributionNetwork, codes: [UInt8], count: Int, tasks: [Int],
                          threads: Int = 1) -> [Float] {
    let length = net.sequenceLength
    let perSequence = tasks.count * 4 * length
    var result = [Float](repeating: 0, count: count * perSequence)
    result.withUnsafeMutableBufferPointer { out in
        let outBase = out.baseAddress!
        codes.withUnsafeBufferPointer { all in
            let codesBase = all.baseAddress!
            parallelChunks(count: count, threads: threads) { _, sequences in
                let engine = RescaleBackward(net)
                for s in sequences {
                    engine.gradient(codes: codesBase + s * length, tasks: tasks, into: outBase + s * perSequence)
                }
            }
        }
    }
    return result
}

/// Per-thread DeepLIFT state: traces of the sequence and of one reference, multiplier buffers.
final class RescaleBackward {
    let net: AttributionNetwork
    let x: AttributionTrace
    let ref: AttributionTrace
    /// Multipliers with respect to each layer's ReLU output, `[position][paddedChannels]`.
    var gh: [UnsafeMutablePointer<Float>] = []
    /// Multipliers with respect to the one-hot input, `[position]` × (A, C, G, T).
    let inputMultipliers: UnsafeMutablePointer<SIMD4<Float>>
    /// First-layer multipliers after the ReLU rule, `[position][paddedFilters]`.
    let firstGZ: UnsafeMutablePointer<Float>
    /// Multipliers after the ReLU rule of each layer, `[position][paddedFilters]`.
    var gzBuffers: [UnsafeMutablePointer<Float>] = []

    init(_ net: AttributionNetwork) {
        self.net = net
        x = AttributionTrace(net)
        ref = AttributionTrace(net)
        for (l, length) in net.convLengths.enumerated() { gh.append(alignedFloats(length * net.padded[l])) }
        inputMultipliers = UnsafeMutablePointer<SIMD4<Float>>.allocate(capacity: net.sequenceLength)
        firstGZ = alignedFloats(net.convLengths[0] * net.padded[0])
        for (l, length) in net.convLengths.enumerated() { gzBuffers.append(alignedFloats(length * net.padded[l])) }
    }

    deinit {
        for p in gh { p.deallocate() }
        inputMultipliers.deallocate()
        firstGZ.deallocate()
        for p in gzBuffers { p.deallocate() }
    }

    func hypothetical(sequence: [UInt8], references: [ReferenceInput], tasks: [Int], into out: UnsafeMutablePointer<Float>) {
        let length = net.sequenceLength
        for i in 0..<(tasks.count * 4 * length) { out[i] = 0 }
        sequence.withUnsafeBufferPointer { x.run(codes: $0.baseAddress!) }
        for reference in references {
            switch reference {
            case .codes(let c): c.withUnsafeBufferPointer { ref.run(codes: $0.baseAddress!) }
            case .dense(let d): d.withUnsafeBufferPointer { ref.run(dense: $0.baseAddress!) }
            }
            for (ti, t) in tasks.enumerated() {
                backward(task: t, reference: ref)
                let o = out + ti * 4 * length
                switch reference {
                case .codes(let c):
                    for p in 0..<length {
                        let m = inputMultipliers[p]
                        let r: Float = c[p] < 4 ? m[Int(c[p])] : 0
                        o[p] += m[0] - r; o[length + p] += m[1] - r
                        o[2 * length + p] += m[2] - r; o[3 * length + p] += m[3] - r
                    }
                case .dense(let d):
                    for p in 0..<length {
                        let m = inputMultipliers[p]
                        let r = m[0] * d[p * 4] + m[1] * d[p * 4 + 1] + m[2] * d[p * 4 + 2] + m[3] * d[p * 4 + 3]
                        o[p] += m[0] - r; o[length + p] += m[1] - r
                        o[2 * length + p] += m[2] - r; o[3 * length + p] += m[3] - r
                    }
                }
            }
        }
        let scale = 1 / Float(max(1, references.count))
        for i in 0..<(tasks.count * 4 * length) { out[i] *= scale }
    }

    func gradient(codes: UnsafePointer<UInt8>, tasks: [Int], into out: UnsafeMutablePointer<Float>) {
        let length = net.sequenceLength
        x.run(codes: codes)
        for (ti, t) in tasks.enumerated() {
            backward(task: t, reference: x)
            let o = out + ti * 4 * length
            for p in 0..<length {
                let m = inputMultipliers[p]
                o[p] = m[0]; o[length + p] = m[1]; o[2 * length + p] = m[2]; o[3 * length + p] = m[3]
            }
        }
    }

    /// Rescale multipliers of task `t`'s logit with respect to the input, into `inputMultipliers`.
    private func backward(task t: Int, reference r: AttributionTrace) {
        let layers = net.layers, last = layers.count - 1
        // Dense → max-pool: route each window's multiplier to the arg-max of max(x, reference).
        do {
            let fp = net.padded[last], pw = net.poolWidth, pn = net.pooledLength, filters = net.lastFilters
            let g = gh[last]
            g.initialize(repeating: 0, count: net.convLengths[last] * fp)
            let hx = x.h[last], hr = r.h[last]
            net.denseWeight.withUnsafeBufferPointer { dw in
                let row = dw.baseAddress! + t * filters * pn
                for f in 0..<filters {
                    for w in 0..<pn {
                        let start = w * pw
                        var best = start, bestValue = -Float.infinity
                        var mx = -Float.infinity, mr = -Float.infinity
                        for i in start..<(start + pw) {
                            let a = hx[i * fp + f], b = hr[i * fp + f]
                            mx = max(mx, a); mr = max(mr, b)
                            let v = max(a, b)
                            if v > bestValue { bestValue = v; best = i }
                        }
                        let din = hx[best * fp + f] - hr[best * fp + f]
                        let gp = row[f * pn + w]
                        g[best * fp + f] = abs(din) < 1e-6 ? gp : gp * (mx - mr) / din
                    }
                }
            }
        }
        // Conv layers, deepest first: ReLU secant 16 filters at a time, then the transposed
        // convolution: scattered from the non-zero entries for the deepest layer (sparse past the
        // max-pool), gathered per input row below it (dense by then), the first layer into A C G T.
        for l in stride(from: last, through: 1, by: -1) {
            if l < last { gatherBackward(layer: l, reference: r); continue }
            let layer = layers[l], fp = net.padded[l], chunks = fp / 16, filters = layer.filters, width = layer.width
            let g = UnsafeRawPointer(gh[l]), zx = UnsafeRawPointer(x.z[l]), zr = UnsafeRawPointer(r.z[l])
            let cp = net.padded[l - 1], cChunks = cp / 16
            let below = UnsafeMutableRawPointer(gh[l - 1])
            gh[l - 1].initialize(repeating: 0, count: net.convLengths[l - 1] * cp)
            net.scatterWeights[l].withUnsafeBufferPointer { s in
                for p in 0..<net.convLengths[l] {
                    for fc in 0..<chunks {
                        let o = (p * fp + fc * 16) * 4
                        let m = g.load(fromByteOffset: o, as: SIMD16<Float>.self)
                        if m == .zero { continue }
                        let gz = m * reluMultipliers(zx.load(fromByteOffset: o, as: SIMD16<Float>.self),
                                                     zr.load(fromByteOffset: o, as: SIMD16<Float>.self))
                        if gz == .zero { continue }
                        for lane in 0..<min(16, filters - fc * 16) {
                            let v = gz[lane]
                            if v == 0 { continue }
                            let f = fc * 16 + lane
                            for k in 0..<width {
                                for cc in 0..<cChunks {
                                    let t = ((p + k) * cp + cc * 16) * 4
                                    let acc = below.load(fromByteOffset: t, as: SIMD16<Float>.self)
                                    below.storeBytes(of: acc.addingProduct(s[(k * filters + f) * cChunks + cc], v),
                                                     toByteOffset: t, as: SIMD16<Float>.self)
                                }
                            }
                        }
                    }
                }
            }
        }
        do {
            let fp = net.padded[0], chunks = fp / 16, width = layers[0].width, outLength = net.convLengths[0]
            let g = UnsafeRawPointer(gh[0]), zx = UnsafeRawPointer(x.z[0]), zr = UnsafeRawPointer(r.z[0])
            let gzRaw = UnsafeMutableRawPointer(firstGZ)
            for i in 0..<(outLength * chunks) {
                let o = i * 64
                let m = g.load(fromByteOffset: o, as: SIMD16<Float>.self)
                let gz = m == .zero ? m : m * reluMultipliers(zx.load(fromByteOffset: o, as: SIMD16<Float>.self),
                                                              zr.load(fromByteOffset: o, as: SIMD16<Float>.self))
                gzRaw.storeBytes(of: gz, toByteOffset: o, as: SIMD16<Float>.self)
            }
            let gzRows = UnsafeRawPointer(firstGZ)
            net.gatherWeights[0].withUnsafeBufferPointer { w in
                for q in 0..<net.sequenceLength {
                    var a = SIMD16<Float>.zero, c = SIMD16<Float>.zero, gg = SIMD16<Float>.zero, t = SIMD16<Float>.zero
                    for k in max(0, q - outLength + 1)...min(width - 1, q) {
                        for fc in 0..<chunks {
                            let row = gzRows.load(fromByteOffset: ((q - k) * fp + fc * 16) * 4, as: SIMD16<Float>.self)
                            let base = k * 4 * chunks + fc
                            a = a.addingProduct(row, w[base])
                            c = c.addingProduct(row, w[base + chunks])
                            gg = gg.addingProduct(row, w[base + 2 * chunks])
                            t = t.addingProduct(row, w[base + 3 * chunks])
                        }
                    }
                    inputMultipliers[q] = SIMD4(a.sum(), c.sum(), gg.sum(), t.sum())
                }
            }
        }
    }

    /// Multipliers of layer `l`'s input from those of its output (ReLU rule applied first), as a
    /// transposed convolution gathered per input row, four rows per step: for layers whose
    /// multipliers are dense (below the deepest one).
    private func gatherBackward(layer l: Int, reference r: AttributionTrace) {
        let layer = net.layers[l], fp = net.padded[l], chunks = fp / 16, filters = layer.filters, width = layer.width
        let outLength = net.convLengths[l], inLength = net.convLengths[l - 1]
        let cp = net.padded[l - 1], cChunks = cp / 16
        let g = UnsafeRawPointer(gh[l]), zx = UnsafeRawPointer(x.z[l]), zr = UnsafeRawPointer(r.z[l])
        let gzRaw = UnsafeMutableRawPointer(gzBuffers[l])
        for i in 0..<(outLength * chunks) {
            let o = i * 64
            let m = g.load(fromByteOffset: o, as: SIMD16<Float>.self)
            let gz = m == .zero ? m : m * reluMultipliers(zx.load(fromByteOffset: o, as: SIMD16<Float>.self),
                                                          zr.load(fromByteOffset: o, as: SIMD16<Float>.self))
            gzRaw.storeBytes(of: gz, toByteOffset: o, as: SIMD16<Float>.self)
        }
        let gz = gzBuffers[l]
        let below = UnsafeMutableRawPointer(gh[l - 1])
        net.scatterWeights[l].withUnsafeBufferPointer { s in
            for cc in 0..<cChunks {
                var q = 0
                while q < inLength {
                    // Rows q..q+3 see every tap when q ≥ width-1 and q+3 < outLength.
                    if q >= width - 1 && q + 3 < outLength {
                        var a0 = SIMD16<Float>.zero, a1 = a0, a2 = a0, a3 = a0
                        for k in 0..<width {
                            let r0 = gz + (q - k) * fp
                            let r1 = r0 + fp, r2 = r1 + fp, r3 = r2 + fp
                            let wk = k * filters * cChunks + cc
                            for f in 0..<filters {
                                let w = s[wk + f * cChunks]
                                a0 = a0.addingProduct(w, r0[f])
                                a1 = a1.addingProduct(w, r1[f])
                                a2 = a2.addingProduct(w, r2[f])
                                a3 = a3.addingProduct(w, r3[f])
                            }
                        }
                        let o = (q * cp + cc * 16) * 4
                        below.storeBytes(of: a0, toByteOffset: o, as: SIMD16<Float>.self)
                        below.storeBytes(of: a1, toByteOffset: o + cp * 4, as: SIMD16<Float>.self)
                        below.storeBytes(of: a2, toByteOffset: o + 2 * cp * 4, as: SIMD16<Float>.self)
                        below.storeBytes(of: a3, toByteOffset: o + 3 * cp * 4, as: SIMD16<Float>.self)
                        q += 4
                    } else {
                        var a = SIMD16<Float>.zero
                        for k in max(0, q - outLength + 1)...min(width - 1, q) {
                            let row = gz + (q - k) * fp
                            let wk = k * filters * cChunks + cc
                            for f in 0..<filters { a = a.addingProduct(s[wk + f * cChunks], row[f]) }
                        }
                        below.storeBytes(of: a, toByteOffset: (q * cp + cc * 16) * 4, as: SIMD16<Float>.self)
                        q += 1
                    }
                }
            }
        }
    }
}

/// ReLU rescale multipliers of 16 units: secant (relu(a) − relu(b)) / (a − b), or the gradient at
/// `a` where the two are within 1e-6.
@inline(__always)
func reluMultipliers(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    let d = a - b
    var ra = a, rb = b
    ra.replace(with: 0, where: a .< 0)
    rb.replace(with: 0, where: b .< 0)
    let small = (d .< 1e-6) .& (d .> -1e-6)
    var denominator = d
    denominator.replace(with: 1, where: small)
    var m = (ra - rb) / denominator
    var gradient = SIMD16<Float>(repeating: 0)
    gradient.replace(with: 1, where: a .> 0)
    m.replace(with: gradient, where: small)
    return m
}

extension AttributionNetwork {
    /// Task logits `[sequence][task]` of base-code sequences (N = zero column).
    public func logits(codes: [UInt8], count: Int) -> [Float] {
        let trace = AttributionTrace(self)
        let pooled = alignedFloats(lastFilters * pooledLength), one = alignedFloats(taskCount)
        defer { pooled.deallocate(); one.deallocate() }
        var out = [Float](repeating: 0, count: count * taskCount)
        codes.withUnsafeBufferPointer { c in
            for s in 0..<count {
                trace.run(codes: c.baseAddress! + s * sequenceLength)
                trace.logits(into: one, pooledScratch: pooled)
                for t in 0..<taskCount { out[s * taskCount + t] = one[t] }
            }
        }
        return out
    }

    /// Task logits of one reference input.
    public func logits(reference: ReferenceInput) -> [Float] {
        switch reference {
        case .codes(let c): return logits(codes: c, count: 1)
        case .dense(let d):
            let trace = AttributionTrace(self)
            let pooled = alignedFloats(lastFilters * pooledLength), one = alignedFloats(taskCount)
            defer { pooled.deallocate(); one.deallocate() }
            d.withUnsafeBufferPointer { trace.run(dense: $0.baseAddress!) }
            trace.logits(into: one, pooledScratch: pooled)
            return (0..<taskCount).map { one[$0] }
        }
    }
}
