/// Per-layer activations of one sequence through the convolution stack: pre-activations `z` and
/// ReLU outputs `h`, each `[position][paddedChannels]`, 64-byte aligned so `SIMD16<Float>` loads are
/// aligned. One trace per worker thread; reused for every sequence (no allocation in hot loops).
final class AttributionTrace {
    let net: AttributionNetwork
    var z: [UnsafeMutablePointer<Float>] = []
    var h: [UnsafeMutablePointer<Float>] = []

    init(_ net: AttributionNetwork) {
        self.net = net
        for (l, length) in net.convLengths.enumerated() {
            z.append(alignedFloats(length * net.padded[l]))
            h.append(alignedFloats(length * net.padded[l]))
        }
    }

    deinit {
        for p in z { p.deallocate() }
        for p in h { p.deallocate() }
    }

    /// Runs the stack on base codes (A0 C1 G2 T3, others = all-zero column).
    func run(codes: UnsafePointer<UInt8>) {
        firstLayer(codes: codes, from: 0, count: net.convLengths[0], into: z[0])
        relu(z[0], h[0], count: net.convLengths[0] * net.padded[0])
        deeperLayers()
    }

    /// Runs the stack on a dense input `[position][4]` (expectation references, zeros).
    func run(dense: UnsafePointer<Float>) {
        firstLayerDense(dense, into: z[0])
        relu(z[0], h[0], count: net.convLengths[0] * net.padded[0])
        deeperLayers()
    }

    private func deeperLayers() {
        for l in 1..<net.layers.count {
            convolve(layer: l, input: h[l - 1], output: z[l], count: net.convLengths[l])
            relu(z[l], h[l], count: net.convLengths[l] * net.padded[l])
        }
    }

    /// Layer-1 pre-activations for output positions `from..<from+count` from base codes:
    /// a gather-and-add of weight columns.
    func firstLayer(codes: UnsafePointer<UInt8>, from: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        let layer = net.layers[0], fp = net.padded[0], chunks = fp / 16
        net.gatherWeights[0].withUnsafeBufferPointer { g in
            let raw = UnsafeMutableRawPointer(out)
            for i in 0..<count {
                let p = from + i
                for fc in 0..<chunks {
                    var acc = net.biasVectors[0][fc]
                    for k in 0..<layer.width {
                        let code = Int(codes[p + k])
                        if code < 4 { acc += g[(k * 4 + code) * chunks + fc] }
                    }
                    raw.storeBytes(of: acc, toByteOffset: (i * fp + fc * 16) * 4, as: SIMD16<Float>.self)
                }
            }
        }
    }

    private func firstLayerDense(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let layer = net.layers[0], fp = net.padded[0], chunks = fp / 16
        net.gatherWeights[0].withUnsafeBufferPointer { g in
            let raw = UnsafeMutableRawPointer(out)
            for p in 0..<net.convLengths[0] {
                for fc in 0..<chunks {
                    var acc = net.biasVectors[0][fc]
                    for k in 0..<layer.width {
                        for c in 0..<4 {
                            acc = acc.addingProduct(g[(k * 4 + c) * chunks + fc], x[(p + k) * 4 + c])
                        }
                    }
                    raw.storeBytes(of: acc, toByteOffset: (p * fp + fc * 16) * 4, as: SIMD16<Float>.self)
                }
            }
        }
    }

    /// Gather-form valid convolution of layer `l` (index ≥ 1): `count` output rows from input rows
    /// starting at `input` (row stride = padded input channels), four output positions per step.
    func convolve(layer l: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, count: Int) {
        let layer = net.layers[l], cp = net.padded[l - 1], fp = net.padded[l], chunks = fp / 16
        let cIn = layer.inChannels, width = layer.width
        let raw = UnsafeMutableRawPointer(output)
        net.gatherWeights[l].withUnsafeBufferPointer { g in
            for fc in 0..<chunks {
                let bias = net.biasVectors[l][fc]
                var p = 0
                while p + 4 <= count {
                    var a0 = bias, a1 = bias, a2 = bias, a3 = bias
                    for k in 0..<width {
                        let r0 = input + (p + k) * cp
                        let r1 = r0 + cp, r2 = r1 + cp, r3 = r2 + cp
                        let wk = (k * cIn) * chunks + fc
                        for c in 0..<cIn {
                            let w = g[wk + c * chunks]
                            a0 = a0.addingProduct(w, r0[c])
                            a1 = a1.addingProduct(w, r1[c])
                            a2 = a2.addingProduct(w, r2[c])
                            a3 = a3.addingProduct(w, r3[c])
                        }
                    }
                    let o = (p * fp + fc * 16) * 4
                    raw.storeBytes(of: a0, toByteOffset: o, as: SIMD16<Float>.self)
                    raw.storeBytes(of: a1, toByteOffset: o + fp * 4, as: SIMD16<Float>.self)
                    raw.storeBytes(of: a2, toByteOffset: o + 2 * fp * 4, as: SIMD16<Float>.self)
                    raw.storeBytes(of: a3, toByteOffset: o + 3 * fp * 4, as: SIMD16<Float>.self)
                    p += 4
                }
                while p < count {
                    var a0 = bias
                    for k in 0..<width {
                        let r0 = input + (p + k) * cp
                        let wk = (k * cIn) * chunks + fc
                        for c in 0..<cIn { a0 = a0.addingProduct(g[wk + c * chunks], r0[c]) }
                    }
                    raw.storeBytes(of: a0, toByteOffset: (p * fp + fc * 16) * 4, as: SIMD16<Float>.self)
                    p += 1
                }
            }
        }
    }

    /// Max over each pool window of the last layer's ReLU output: `[filter][window]`.
    func pooled(into out: UnsafeMutablePointer<Float>) {
        let l = net.layers.count - 1, fp = net.padded[l], f = net.lastFilters
        let width = net.poolWidth, hl = h[l]
        for w in 0..<net.pooledLength {
            for c in 0..<f {
                var m = hl[(w * width) * fp + c]
                for i in 1..<max(1, width) where i < width { m = max(m, hl[(w * width + i) * fp + c]) }
                out[c * net.pooledLength + w] = m
            }
        }
    }

    /// Task logits of the traced sequence.
    func logits(into out: UnsafeMutablePointer<Float>, pooledScratch: UnsafeMutablePointer<Float>) {
        pooled(into: pooledScratch)
        let n = net.lastFilters * net.pooledLength
        net.denseWeight.withUnsafeBufferPointer { w in
            for t in 0..<net.taskCount {
                var s: Float = net.denseBias[t]
                for i in 0..<n { s += w[t * n + i] * pooledScratch[i] }
                out[t] = s
            }
        }
    }
}

@inline(__always)
func relu(_ z: UnsafePointer<Float>, _ h: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { let v = z[i]; h[i] = v > 0 ? v : 0 }
}

/// Zero-filled float buffer aligned to 64 bytes (one cache line, one `SIMD16<Float>`).
func alignedFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
    let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * 4, alignment: 64)
    let p = raw.bindMemory(to: Float.self, capacity: max(1, count))
    p.initialize(repeating: 0, count: max(1, count))
    return p
}
