import Foundation
import DragonnKernels

/// Window values of one task along a stretch of base codes, fully convolutionally: the
/// convolution layers run once over the whole stretch, a sliding max gives every window's
/// max-pool (`SlidingMax`), and the dense layer reads each window's pooled rows from it
/// (`WindowDense`). Each value equals the per-window `SequenceDNN.logits` of that window up to
/// float rounding (bit for bit where the kernels sum in the same order, which they do).
/// One worker per thread; its buffers are sized once for `maxSpan` window offsets.
final class TrackWorker {
    let net: SequenceDNN
    let task: Int
    let logits: Bool
    let maxSpan: Int
    private let a: FloatBuffer, b: FloatBuffer
    private let offsets: UnsafeMutablePointer<Int32>
    private let pairs: FloatBuffer

    /// A worker for `task` of `net` that scores up to `maxSpan` consecutive window offsets per call.
    init(net: SequenceDNN, task: Int, logits: Bool, maxSpan: Int) {
        self.net = net; self.task = task; self.logits = logits; self.maxSpan = maxSpan
        let shape = net.shape
        let rows = maxSpan + net.architecture.seqLength
        let stride = shape.layers.map(\.outStride).max()!
        a = FloatBuffer(rows * stride)
        b = FloatBuffer(rows * stride)
        offsets = .allocate(capacity: 2 * rows)
        pairs = shape.pairTable(net.params.base)
    }

    deinit { offsets.deallocate() }

    /// z[i] = the task's probability (or logit) of the window of the model's length L at offset
    /// i·step of `codes`, for i < count; `codes` holds (count − 1)·step + L base codes. A window
    /// holding a code other than A, C, G, T gets NaN (no value).
    func run(codes: UnsafePointer<UInt8>, count: Int, step: Int, into z: UnsafeMutablePointer<Float>) {
        let shape = net.shape, layers = shape.layers
        let L = net.architecture.seqLength, P = shape.poolWidth
        let span = (count - 1) * step + 1
        precondition(count >= 1 && span <= maxSpan, "TrackWorker.run: \(count) windows at step \(step) exceed the buffers")
        // Rows of each layer's output the windows need: the last layer's conv outputs
        // o ..< o + P·pooled for every window offset o, and each earlier layer what feeds those.
        var lengths = [Int](repeating: 0, count: layers.count)
        var n = span + P * shape.pooledLength - 1
        for i in layers.indices.reversed() { lengths[i] = n; n += layers[i].width - 1 }
        let params = net.params.base
        var x = a.base, y = b.base
        let l0 = layers[0]
        Conv1DCodes.forwardPaired(y: x, outStride: l0.outStride, outLength: lengths[0], codes: codes,
                                  w: params + l0.weightOffset, pairs: pairs.base, width: l0.width,
                                  bias: params + l0.biasOffset, offsets: offsets, relu: true)
        for i in layers.indices.dropFirst() {
            let l = layers[i]
            Conv1D.forward(y: y, outStride: l.outStride, outLength: lengths[i], x: x, xStride: l.inStride,
                           nIn: l.inChannels, w: params + l.weightOffset, wRows: l.weightRows, width: l.width,
                           bias: params + l.biasOffset, relu: true)
            swap(&x, &y)
        }
        SlidingMax.forward(x: x, scratch: y, stride: shape.pooledStride, length: lengths[layers.count - 1], width: P)
        WindowDense.forward(m: x, stride: shape.pooledStride, pooledLength: shape.pooledLength, width: P,
                            w: params + shape.denseWeightOffset + task * shape.denseInputs,
                            bias: params[shape.denseBiasOffset + task], count: count, step: step, z: z)
        // The last code other than A/C/G/T seen so far decides whether a window holds one.
        var lastN = -1, p = 0
        for i in 0..<count {
            let start = i * step, end = start + L
            while p < end { if codes[p] > 3 { lastN = p }; p += 1 }
            if lastN >= start { z[i] = .nan } else if !logits { z[i] = SigmoidCrossEntropy.sigmoid(z[i]) }
        }
    }
}

/// `dragonn-predict --genome G --track OUT`: a whole-genome (or `--regions`) track of one task.
///
/// The value at base c is the model's probability (logit with `logits`) for the window of the
/// model's length L starting at c − L/2 (integer division; the window's centre base for even L
/// is the right one of the middle two). Values are computed at the bases c ≡ 0 (mod `step`),
/// each covering c ..< c + step (clipped as below). Bases whose window runs off a chromosome end,
/// or holds a base other than A/C/G/T, get no value. With regions, only bases inside them get
/// values; overlapping regions are unioned, so each base has at most one value.
///
/// The chromosome is cut into units of `unitSpan` window offsets, which the threads take in
/// turn; each runs the convolutions over its unit once (L − 1 extra bases of overlap), so memory
/// is bounded by the unit whatever the chromosome's length.
public struct GenomeTrackJob {
    public var modelPath: String
    public var genomePath: String
    /// BED of regions to score (nil: every chromosome of the genome, whole).
    public var regionsPath: String?
    /// bigWig (`.bw`) or bedGraph (`.gz`: BGZF + tabix) path.
    public var output: String
    public var step = 1
    /// Task name or index (nil: task 0).
    public var task: String?
    public var logits = false
    public var threads = 1
    public var trackLine = false
    /// Window offsets one thread scores per pass: ~128 bytes of activations per offset, so 2^15
    /// keeps a unit's buffers in cache, for (L − 1) / 2^15 recomputed (3% at 1000 bp).
    public var unitSpan = 1 << 15

    /// A job writing the track of `modelPath` over `genomePath` to `output` (other settings at their defaults).
    public init(modelPath: String, genomePath: String, output: String) {
        self.modelPath = modelPath; self.genomePath = genomePath; self.output = output
    }

    /// Runs the job; `report` receives one summary line.
    public func run(report: (String) -> Void) throws {
        guard step >= 1 else { throw DragonnError("--step must be at least 1") }
        guard unitSpan >= 1 else { throw DragonnError("internal: unit span must be positive") }
        let outputs = try OutputTransaction(inputs: [modelPath, genomePath] + [regionsPath].compactMap { $0 }, outputs: [output])
        let net = try SequenceDNN.load(path: modelPath)
        let arch = net.architecture
        let taskIndex = try arch.taskIndices(task ?? "0")[0]
        let genome = try Genome(path: genomePath)
        let chromosomes = genome.chromosomes.map { ($0, genome.length(of: $0) ?? 0) }
        let wanted = try regionsPath.map { try Self.mergedRegions(path: $0, genome: genome) }
        let writer = try TrackWriter(path: output, in: outputs, chromosomes: chromosomes,
                                     trackLine: trackLine ? "track type=bedGraph name=\"dragonn-predict \(arch.taskNames[taskIndex])\"" : nil)
        // (bigWig blocks stay deflated: igv.js, checked in test-browser, draws every block but the
        // first of a fetch wrong when they are stored uncompressed; see BigWigFile.)

        let L = arch.seqLength, half = L / 2
        let nt = max(1, threads)
        let perUnit = max(1, unitSpan / step)
        // The units in output order: stretches of up to perUnit window offsets.
        var units: [TrackUnit] = []
        for (chrom, length) in chromosomes {
            let intervals = wanted.map { $0[chrom] ?? [] } ?? [0..<length]
            // Centres whose window lies inside the chromosome.
            let valid = half..<max(half, length - L + half + 1)
            for interval in intervals {
                let lo = max(interval.lowerBound, valid.lowerBound), hi = min(interval.upperBound, valid.upperBound)
                let first = (lo + step - 1) / step * step
                guard first < hi else { continue }
                let total = (hi - 1 - first) / step + 1
                var k0 = 0
                while k0 < total {
                    let n = min(perUnit, total - k0)
                    units.append(TrackUnit(chrom: chrom, first: first + k0 * step, count: n, end: hi))
                    k0 += n
                }
            }
        }
        let workers = (0..<nt).map { _ in TrackWorker(net: net, task: taskIndex, logits: logits, maxSpan: (perUnit - 1) * step + 1) }
        // Each thread takes the next unit as soon as it is free (no round waits for its slowest
        // thread) and whichever thread completes the unit next in order writes it and the
        // completed ones after it; 2·threads + 2 value slots let the others run ahead meanwhile.
        let slots = 2 * nt + 2
        let values = FloatBuffer(slots * perUnit)
        let pipeline = OrderedPipeline(count: units.count, slots: slots)
        let state = TrackWriteState(writer)
        let fetching = NSLock()
        parallelChunks(count: nt, threads: nt) { t, _ in
            let worker = workers[t]
            var codes = [UInt8](repeating: 0, count: (perUnit - 1) * step + L)
            while let u = pipeline.take() {
                let unit = units[u]
                let region = GenomicRegion(chrom: unit.chrom, start: unit.first - half,
                                           end: unit.first + (unit.count - 1) * step - half + L)
                do {
                    // faidx handles are not thread-safe; a fetch is ~1% of a unit's work.
                    try fetching.withLock {
                        try genome.fetch(region) { ascii in codes.withUnsafeMutableBufferPointer { encodeBases(ascii, into: $0.baseAddress!) } }
                    }
                } catch {
                    pipeline.fail(error)
                    return
                }
                codes.withUnsafeBufferPointer { c in
                    worker.run(codes: c.baseAddress!, count: unit.count, step: step, into: values.base + (u % slots) * perUnit)
                }
                pipeline.complete(u) { w in
                    let done = units[w]
                    try state.write(chrom: done.chrom, first: done.first, step: step, end: done.end,
                                    values: UnsafeBufferPointer(start: values.base + (w % slots) * perUnit, count: done.count))
                }
            }
        }
        try pipeline.check()
        try writer.finish()
        try outputs.commit()
        report("\(state.scored) bases scored at step \(step) on \(chromosomes.count) chromosomes; \(state.skipped) skipped (window holds N)")
    }

    /// The regions of a BED file by chromosome, sorted and unioned (overlapping or touching
    /// regions become one). Throws naming the file and line for a chromosome absent from the
    /// genome or a region past its end.
    static func mergedRegions(path: String, genome: Genome) throws -> [String: [Range<Int>]] {
        var byChrom: [String: [Range<Int>]] = [:]
        let reader = try BEDReader(path: path)
        while let r = try reader.next() {
            if let problem = genome.problem(with: r.region) { throw DragonnError(file: path, line: r.line, problem) }
            if r.region.length > 0 { byChrom[r.region.chrom, default: []].append(r.region.start..<r.region.end) }
        }
        return byChrom.mapValues(unionRanges)
    }
}

/// One stretch of a track's window offsets: `count` centres from `first` every `step` bases on
/// `chrom`, in an interval whose values end at `end`.
struct TrackUnit {
    let chrom: String
    let first: Int, count: Int, end: Int
}

/// The track writer with its counts, used by one thread at a time (`OrderedPipeline` hands the
/// writing to one thread at a time and orders it through its lock).
private final class TrackWriteState: @unchecked Sendable {
    let writer: TrackWriter
    private(set) var scored = 0, skipped = 0

    init(_ writer: TrackWriter) { self.writer = writer }

    /// Writes one unit's values (NaN: the window holds N, no value), counting both kinds.
    func write(chrom: String, first: Int, step: Int, end: Int, values: UnsafeBufferPointer<Float>) throws {
        var nan = 0
        for v in values where v.isNaN { nan += 1 }
        skipped += nan; scored += values.count - nan
        try writer.add(chrom: chrom, first: first, step: step, end: end, values: values)
    }
}

/// `ranges` sorted by start, overlapping or touching ones joined.
func unionRanges(_ ranges: [Range<Int>]) -> [Range<Int>] {
    var merged: [Range<Int>] = []
    for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
        if let last = merged.last, r.lowerBound <= last.upperBound {
            merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
        } else {
            merged.append(r)
        }
    }
    return merged
}
