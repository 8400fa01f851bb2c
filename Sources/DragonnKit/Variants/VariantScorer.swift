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
        var e = pos0   // every window ends past pos0; start + length overflowed for an unscored POS near 2^63
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

/// Per-thread scorer: the shared stretch's activations, window pooling, the cone, a workspace.
final class VariantScorer {
    let shape: ModelShape
    let params: UnsafePointer<Float>
    let pairs: FloatBuffer
    let cone: MutationCone
    /// Longest stretch of genome run through the convolutions at once.
    let capacity: Int
    /// Conv activations of the stretch, layer i: [capacity − Σ(width − 1)][outStride].
    let acts: [FloatBuffer]
    let offsets: UnsafeMutablePointer<Int32>
    let pooled: FloatBuffer
    let argmax: UnsafeMutablePointer<Int32>
    let logits: FloatBuffer
    let altCodes: UnsafeMutablePointer<UInt8>
    /// Rows per convolution call: a multiple of every register block size (6, 4, 8 on AVX-512),
    /// so no chunk ends in single-row blocks.
    static let chunk = 480

    init(_ prepared: PreparedModel, capacity: Int) {
        shape = prepared.shape
        params = prepared.params
        pairs = prepared.pairs
        cone = MutationCone(prepared)
        self.capacity = capacity
        var n = capacity
        var acts: [FloatBuffer] = []
        for l in shape.layers { n -= l.width - 1; acts.append(FloatBuffer(max(n, 1) * l.outStride)) }
        self.acts = acts
        offsets = .allocate(capacity: 2 * capacity)
        pooled = FloatBuffer(shape.denseInputs)
        argmax = .allocate(capacity: max(shape.denseInputs, 1))
        logits = FloatBuffer(shape.tasks)
        altCodes = .allocate(capacity: shape.layers[0].inLength)
    }

    deinit { offsets.deallocate(); argmax.deallocate(); altCodes.deallocate() }

    /// Scores `queries` (all on one chromosome, their stretches inside [stretchStart,
    /// stretchStart + count) of `codes`, which is mutable scratch restored on return). Writes, per
    /// query q, REF logits into `ref[q]` [tasks] and ALT logits into `alt[q]` [alleles][tasks].
    func score(codes: UnsafeMutablePointer<UInt8>, count: Int, stretchStart: Int, queries: ArraySlice<VariantQuery>,
               ref: UnsafeMutablePointer<UnsafeMutablePointer<Float>>, alt: UnsafeMutablePointer<UnsafeMutablePointer<Float>>) {
        precondition(count <= capacity, "stretch of \(count) bases over the scorer's \(capacity)")
        let L = shape.layers[0].inLength, tasks = shape.tasks, last = shape.layers.count - 1
        // The convolution layers once over the whole stretch, a chunk of rows at a time, the ReLU
        // fused into each output store (a separate pass over the stretch's megabytes measured 5%
        // of the run, memory-bound).
        var n = count
        for (i, l) in shape.layers.enumerated() {
            let outLength = n - l.width + 1
            var c0 = 0
            while c0 < outLength {
                let m = min(VariantScorer.chunk, outLength - c0)
                let y = acts[i].base + c0 * l.outStride
                if i == 0 {
                    Conv1DCodes.forwardPaired(y: y, outStride: l.outStride, outLength: m, codes: codes + c0,
                                              w: params + l.weightOffset, pairs: pairs.base, width: l.width,
                                              bias: params + l.biasOffset, offsets: offsets, relu: true)
                } else {
                    Conv1D.forward(y: y, outStride: l.outStride, outLength: m, x: acts[i - 1].base + c0 * l.inStride,
                                   xStride: l.inStride, nIn: l.inChannels, w: params + l.weightOffset, wRows: l.weightRows,
                                   width: l.width, bias: params + l.biasOffset, relu: true)
                }
                c0 += m
            }
            n = outLength
        }
        for (q, query) in zip(queries.indices, queries) {
            let k = q - queries.startIndex
            let offset = query.start - stretchStart
            // REF: pool and dense over this window's slice of the last layer.
            MaxPool.forward(x: acts[last].base + offset * shape.pooledStride, stride: shape.pooledStride,
                            pooledLength: shape.pooledLength, width: shape.poolWidth, pooled: pooled.base, argmax: argmax)
            Dense.forward(x: pooled.base, inputs: shape.denseInputs, w: params + shape.denseWeightOffset,
                          bias: params + shape.denseBiasOffset, tasks: tasks, z: ref[k])
            let window = codes + offset
            for (a, allele) in query.alleles.enumerated() where allele.skip == nil {
                let out = alt[k] + a * tasks
                if query.isSNV(a) {
                    for i in 0...last { cone.reference[i] = UnsafePointer(acts[i].base + offset * shape.layers[i].outStride) }
                    cone.referencePooled = UnsafePointer(pooled.base)
                    let j = query.pos0 - query.start, observed = window[j]
                    window[j] = allele.codes[0]
                    if window[j] == observed {
                        cone.logitDelta.zero()
                    } else {
                        cone.mutate(position: j, codes: window)
                    }
                    window[j] = observed
                    for t in 0..<tasks { out[t] = ref[k][t] + cone.logitDelta.base[t] }
                } else {
                    VariantWindow.alternate(genome: window, refLength: query.ref.count, alt: allele.codes, length: L,
                                            into: altCodes)
                    cone.sequence.forward(codes: altCodes, params: params, dropout: 0, random: nil, pairs: pairs)
                    for t in 0..<tasks { out[t] = cone.sequence.logits.base[t] }
                }
            }
        }
    }
}
