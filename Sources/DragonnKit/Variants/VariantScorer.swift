// Scores variants whose windows overlap from one shared stretch of genome: its convolution
// layers are run once (valid convolutions commute with sliding the window), every window's REF
// logits come from max-pool and dense over its slice, SNVs through ISM's cone on that slice, and
// other alleles (MNVs, indels, N) through a plain forward pass of the ALT window.

import DragonnKernels

/// One ALT allele to score.
struct VariantAllele: Sendable {
    /// ALT allele in base codes.
    var codes: [UInt8]
    /// Why it is not scored; nil when it is.
    var skip: VariantSkip?
}

/// A VCF record as the scorer sees it.
struct VariantQuery: Sendable {
    var pos0: Int
    /// REF allele in base codes.
    var ref: [UInt8]
    var alleles: [VariantAllele]
    /// Genome stretch [start, end) the windows read (see `VariantWindow`).
    var start: Int { VariantWindow.start(pos0: pos0, length: length) }
    var end: Int
    let length: Int

    init(pos0: Int, ref: [UInt8], alleles: [VariantAllele], length: Int) {
        self.pos0 = pos0; self.ref = ref; self.alleles = alleles; self.length = length
        var e = VariantWindow.start(pos0: pos0, length: length) + length
        for a in alleles where a.skip == nil {
            e = max(e, VariantWindow.end(pos0: pos0, refLength: ref.count, altLength: a.codes.count, length: length))
        }
        end = e
    }

    /// True when some allele is still to be scored.
    var scorable: Bool { alleles.contains { $0.skip == nil } }

    /// True for a single-base substitution of a base by another (scored through the cone).
    func isSNV(_ allele: Int) -> Bool {
        ref.count == 1 && alleles[allele].codes.count == 1 && ref[0] < 4 && alleles[allele].codes[0] < 4
    }
}

/// Per-thread scorer: the shared stretch's activations (before and after each ReLU), window
/// pooling, the SNV cone, a workspace for other alleles.
final class VariantScorer {
    let shape: ModelShape
    let params: UnsafePointer<Float>
    let pairs: FloatBuffer
    /// Longest stretch of genome run through the convolutions at once.
    let capacity: Int
    /// Conv layer i over the stretch before the ReLU (`pre`, which the cone adds its changes to)
    /// and after it (`acts`, the next layer's input; the last layer's becomes the sliding max):
    /// [capacity − Σ(width − 1)][outStride].
    let pre: [FloatBuffer], acts: [FloatBuffer]
    let scratch: FloatBuffer
    let offsets: UnsafeMutablePointer<Int32>
    let pooled: FloatBuffer
    let argmax: UnsafeMutablePointer<Int32>
    let altCodes: UnsafeMutablePointer<UInt8>
    /// Plain forward passes of ALT windows that are not SNVs.
    let plain: Workspace
    /// The cone: layer i's change over the rows one substitution reaches, [rows][outStride]
    /// (the last layer's holds its new activations instead), a row's change before the ReLU, the
    /// nonzero channels of a change, and the logit change.
    let change: [FloatBuffer]
    let dz: FloatBuffer
    let counts: UnsafeMutablePointer<Int32>, channels: UnsafeMutablePointer<Int32>
    let rowChanged: UnsafeMutablePointer<Bool>
    let logitDelta: FloatBuffer
    /// Rows per convolution call: a chunk's output is still in cache when its ReLU runs (a
    /// multiple of every register block size, so no chunk ends in single-row blocks).
    static let chunk = 480

    init(_ prepared: PreparedModel, capacity: Int) {
        shape = prepared.shape
        params = prepared.params
        pairs = prepared.pairs
        self.capacity = capacity
        var n = capacity, rows = 0, maxRows = 0
        var pre: [FloatBuffer] = [], acts: [FloatBuffer] = [], change: [FloatBuffer] = []
        for (i, l) in shape.layers.enumerated() {
            n -= l.width - 1
            pre.append(FloatBuffer(max(n, 1) * l.outStride))
            acts.append(FloatBuffer(max(n, 1) * l.outStride))
            // One base reaches `width` rows of layer 0; each deeper layer widens that by width − 1.
            rows = i == 0 ? l.width : rows + l.width - 1
            maxRows = max(maxRows, rows)
            change.append(FloatBuffer(rows * l.outStride))
        }
        self.pre = pre
        self.acts = acts
        self.change = change
        let stride = shape.layers.map(\.outStride).max()!
        scratch = FloatBuffer(max(n, 1) * shape.pooledStride)
        dz = FloatBuffer(maxRows * stride)
        counts = .allocate(capacity: maxRows)
        channels = .allocate(capacity: maxRows * stride)
        rowChanged = .allocate(capacity: maxRows)
        offsets = .allocate(capacity: 2 * capacity)
        pooled = FloatBuffer(shape.denseInputs)
        argmax = .allocate(capacity: max(shape.denseInputs, 1))
        altCodes = .allocate(capacity: shape.layers[0].inLength)
        plain = Workspace(shape)
        logitDelta = FloatBuffer(shape.tasks)
    }

    deinit {
        offsets.deallocate(); argmax.deallocate(); altCodes.deallocate()
        counts.deallocate(); channels.deallocate(); rowChanged.deallocate()
    }

    /// Scores `queries` (all on one chromosome, their stretches inside [stretchStart,
    /// stretchStart + count) of `codes`). Writes, per query q, REF logits into `ref[q]` [tasks]
    /// and ALT logits into `alt[q]` [alleles][tasks].
    func score(codes: UnsafeMutablePointer<UInt8>, count: Int, stretchStart: Int, queries: ArraySlice<VariantQuery>,
               ref: UnsafeMutablePointer<UnsafeMutablePointer<Float>>, alt: UnsafeMutablePointer<UnsafeMutablePointer<Float>>) {
        precondition(count <= capacity, "stretch of \(count) bases over the scorer's \(capacity)")
        let L = shape.layers[0].inLength, tasks = shape.tasks, last = shape.layers.count - 1
        let stride = shape.pooledStride, P = shape.poolWidth
        // The convolution layers once over the whole stretch, chunk by chunk.
        var n = count
        for (i, l) in shape.layers.enumerated() {
            let outLength = n - l.width + 1
            var c0 = 0
            while c0 < outLength {
                let m = min(VariantScorer.chunk, outLength - c0)
                let z = pre[i].base + c0 * l.outStride
                if i == 0 {
                    Conv1DCodes.forwardPaired(y: z, outStride: l.outStride, outLength: m, codes: codes + c0,
                                              w: params + l.weightOffset, pairs: pairs.base, width: l.width,
                                              bias: params + l.biasOffset, offsets: offsets)
                } else {
                    Conv1D.forward(y: z, outStride: l.outStride, outLength: m, x: acts[i - 1].base + c0 * l.inStride,
                                   xStride: l.inStride, nIn: l.inChannels, w: params + l.weightOffset, wRows: l.weightRows,
                                   width: l.width, bias: params + l.biasOffset)
                }
                ReLUDropout.forward(from: z, to: acts[i].base + c0 * l.outStride, count: m * l.outStride)
                c0 += m
            }
            n = outLength
        }
        // Windows' max-pools: one sliding max over the stretch (three passes per row) when the
        // windows overlap enough to share it, else each window's own (one pass per window row).
        let windowRows = shape.layers[last].outLength
        let sliding = n >= P && 4 * n < 2 * queries.count * windowRows
        if sliding { SlidingMax.forward(x: acts[last].base, scratch: scratch.base, stride: stride, length: n, width: P) }
        for (q, query) in zip(queries.indices, queries) {
            let k = q - queries.startIndex
            let offset = query.start - stretchStart
            // REF: pool and dense over this window's rows of the last layer.
            if sliding {
                for j in 0..<shape.pooledLength {
                    (pooled.base + j * stride).update(from: acts[last].base + (offset + P * j) * stride, count: stride)
                }
            } else {
                MaxPool.forward(x: acts[last].base + offset * stride, stride: stride, pooledLength: shape.pooledLength,
                                width: P, pooled: pooled.base, argmax: argmax)
            }
            Dense.forward(x: pooled.base, inputs: shape.denseInputs, w: params + shape.denseWeightOffset,
                          bias: params + shape.denseBiasOffset, tasks: tasks, z: ref[k])
            let window = codes + offset
            for (a, allele) in query.alleles.enumerated() where allele.skip == nil {
                let out = alt[k] + a * tasks
                if query.isSNV(a) {
                    let j = query.pos0 - query.start
                    substitute(offset: offset, position: j, from: window[j], to: allele.codes[0])
                    for t in 0..<tasks { out[t] = ref[k][t] + logitDelta.base[t] }
                } else {
                    VariantWindow.alternate(genome: window, refLength: query.ref.count, alt: allele.codes, length: L,
                                            into: altCodes)
                    plain.forward(codes: altCodes, params: params, dropout: 0, random: nil, pairs: pairs)
                    for t in 0..<tasks { out[t] = plain.logits.base[t] }
                }
            }
        }
    }

    /// Fills `logitDelta` with the logit change of base `j` of the window at `offset` of the
    /// stretch going from code `from` to `to` (both A, C, G, T; `pooled` holds the window's
    /// max-pool). Only the rows the substitution reaches are visited, as changes: layer 0's from
    /// the two weight columns, each deeper layer's by `DeltaConv` from the nonzero changes of the
    /// layer before, added to the stretch's pre-activations and put through the ReLU; rows whose
    /// activations do not change stop the cone. Then the pool windows the change reaches and the
    /// dense layer (`MutantPool`). Equal to the difference of two plain passes up to rounding.
    func substitute(offset o: Int, position j: Int, from r: UInt8, to a: UInt8) {
        logitDelta.zero()
        guard r != a else { return }
        let layers = shape.layers, last = layers.count - 1
        let l0 = layers[0], s0 = l0.outStride
        var lo = max(0, j - l0.width + 1), hi = min(l0.outLength - 1, j)
        // Layer 0: the substitution swaps one weight column per row it reaches.
        var bufferLo = lo
        for p in lo...hi {
            let tap = params + l0.weightOffset + (j - p) * l0.weightRows * s0
            let wa = tap + Int(a) * s0, wr = tap + Int(r) * s0
            let z = pre[0].base + (o + p) * s0, d = change[0].base + (p - lo) * s0
            var any = false
            for g in Swift.stride(from: 0, to: s0, by: 16) {
                let zr = load16(z + g), za = zr + (load16(wa + g) - load16(wr + g))
                let dy = relu(za) - relu(zr)
                store16(last == 0 ? relu(za) : dy, d + g)
                any = any || !allZero(dy)
            }
            rowChanged[p - lo] = any
        }
        guard narrow(lo: &lo, hi: &hi, bufferLo: bufferLo) else { return }
        for i in 1..<layers.count {
            let l = layers[i], so = l.outStride
            let newLo = max(0, lo - l.width + 1), newHi = min(l.outLength - 1, hi)
            let input = change[i - 1].base + (lo - bufferLo) * l.inStride, inRows = hi - lo + 1
            DeltaConv.nonzero(input, xStride: l.inStride, nIn: l.inChannels, rows: inRows, counts: counts, channels: channels)
            DeltaConv.forward(dz: dz.base, outStride: so, outLength: newHi - newLo + 1, dx: input, xStride: l.inStride,
                              rows: inRows, first: newLo - lo, counts: counts, channels: channels,
                              w: params + l.weightOffset, wRows: l.weightRows, width: l.width)
            for p in newLo...newHi {
                let z = pre[i].base + (o + p) * so, dzp = dz.base + (p - newLo) * so, d = change[i].base + (p - newLo) * so
                var any = false
                for g in Swift.stride(from: 0, to: so, by: 16) {
                    let zr = load16(z + g), ya = relu(zr + load16(dzp + g))
                    let dy = ya - relu(zr)
                    store16(i == last ? ya : dy, d + g)
                    any = any || !allZero(dy)
                }
                rowChanged[p - newLo] = any
            }
            lo = newLo; hi = newHi; bufferLo = newLo
            guard narrow(lo: &lo, hi: &hi, bufferLo: bufferLo) else { return }
        }
        // The pool windows the changed rows fall in, then the dense layer. The stretch's rows
        // before the ReLU stand in for the unchanged rows: each of these windows holds a changed
        // row, whose new activation is ≥ 0, and max(relu(x), y) = max(x, y) for y ≥ 0.
        let stride = shape.pooledStride, width = shape.poolWidth
        let firstWindow = lo / width, lastWindow = min(hi / width, shape.pooledLength - 1)
        guard firstWindow <= lastWindow else { return }
        MutantPool.addLogitDelta(activations: pre[last].base + o * stride, changed: change[last].base + (lo - bufferLo) * stride,
                                 lo: lo, hi: hi, stride: stride, width: width, firstWindow: firstWindow,
                                 lastWindow: lastWindow, pooled: pooled.base, dense: params + shape.denseWeightOffset,
                                 denseInputs: shape.denseInputs, tasks: shape.tasks, logitDelta: logitDelta.base)
    }

    /// Shrinks lo...hi (rows of the cone's current layer, `rowChanged` indexed from `bufferLo`) to
    /// the first and last row whose activations changed; false when none did.
    private func narrow(lo: inout Int, hi: inout Int, bufferLo: Int) -> Bool {
        var first = lo
        while first <= hi && !rowChanged[first - bufferLo] { first += 1 }
        guard first <= hi else { return false }
        var end = hi
        while !rowChanged[end - bufferLo] { end -= 1 }
        lo = first; hi = end
        return true
    }
}

/// max(v, 0) per lane, as a compare and blend (NaN-free inputs; `pointwiseMax` pays for NaN rules).
@inline(__always) private func relu(_ v: SIMD16<Float>) -> SIMD16<Float> {
    SIMD16<Float>(repeating: 0).replacing(with: v, where: v .> 0)
}

/// True when every lane is zero (±0).
@inline(__always) private func allZero(_ v: SIMD16<Float>) -> Bool { !any(v .!= 0) }
