import Foundation

/// The file format of a track path: bigWig for `.bw`/`.bigWig`, bedGraph otherwise (BGZF with a
/// tabix index for `.gz`).
public enum TrackFormat: Sendable, Equatable {
    case bedGraph, bigWig

    /// The format a path names (by its suffix, case-insensitive).
    public init(path: String) {
        let p = path.lowercased()
        self = p.hasSuffix(".bw") || p.hasSuffix(".bigwig") ? .bigWig : .bedGraph
    }
}

/// A track written as a stream of intervals, in the chromosome order given at creation and
/// sorted by start within each: bedGraph lines or bigWig records. Adjacent intervals with equal
/// values merge into one. It is one output of an `OutputTransaction` (a bigWig goes to a hidden
/// temporary renamed at commit), finished by `finish()`.
public final class TrackWriter {
    private enum Sink { case text(OutputFile), bigWig(BigWigFile) }
    private let sink: Sink
    /// The pending interval, extended while the next one continues it with the same value.
    private var runChrom = "", runStart = 0, runEnd = 0, runValue: Float = 0, hasRun = false
    /// bigWig: intervals of `batchChrom` handed to the file together (one call per batch).
    private var batchChrom = ""
    private let bs: UnsafeMutablePointer<UInt32>, be: UnsafeMutablePointer<UInt32>, bv: UnsafeMutablePointer<Float>
    private var bn = 0
    private static let batchCapacity = 4096
    private var finished = false

    /// A track at `path` in `outputs`; `chromosomes` (name, length) give the order (and the
    /// bigWig header). `trackLine` starts a bedGraph only (bigWig has none). `bigWigLevel`: the
    /// deflate level (0-12) of a bigWig's data blocks (0, the default, stores them: see `BigWigFile`).
    public init(path: String, in outputs: OutputTransaction, chromosomes: [(name: String, length: Int)],
                trackLine: String? = nil, bigWigLevel: Int = 0) throws {
        bs = .allocate(capacity: Self.batchCapacity)
        be = .allocate(capacity: Self.batchCapacity)
        bv = .allocate(capacity: Self.batchCapacity)
        switch TrackFormat(path: path) {
        case .bigWig:
            var file: BigWigFile? = nil
            let temporary = try outputs.openExternal(path, requiresFile: "a bigWig track", finish: { try file?.close() },
                                                     abandon: { file?.abandon() })
            let f = try BigWigFile(temporary: temporary, path: path, chromosomes: chromosomes, dataLevel: bigWigLevel)
            file = f
            sink = .bigWig(f)
        case .bedGraph:
            let out = try outputs.openTrack(path, headerLines: trackLine == nil ? 0 : 1,
                                            maxEnd: chromosomes.map(\.length).max() ?? 0)
            sink = .text(out)
            if let trackLine { try out.write(trackLine + "\n") }
        }
    }

    deinit { bs.deallocate(); be.deallocate(); bv.deallocate() }

    /// Adds bases `start..<end` of `chrom` with `value` (after every interval added before it).
    public func add(chrom: String, start: Int, end: Int, value: Float) throws {
        if hasRun, runEnd == start, runValue == value, runChrom == chrom {
            runEnd = end
            return
        }
        try emit()
        runChrom = chrom; runStart = start; runEnd = end; runValue = value; hasRun = true
    }

    /// Adds `values[i]` over bases `first + i·step ..< min(first + (i + 1)·step, end)` of `chrom`
    /// for every i whose value is not NaN (NaN: the base has no value), exactly as `add` one
    /// interval at a time would; the bigWig path merges and batches them in one loop.
    public func add(chrom: String, first: Int, step: Int, end: Int, values: UnsafeBufferPointer<Float>) throws {
        guard case .bigWig = sink else {
            for (i, v) in values.enumerated() where !v.isNaN {
                let s = first + i * step
                try add(chrom: chrom, start: s, end: min(s + step, end), value: v)
            }
            return
        }
        guard !values.isEmpty else { return }
        guard first >= 0, step >= 1, end <= Int(UInt32.max) else {
            throw DragonnError("internal: track values \(chrom):\(first)-\(end) outside bigWig coordinates")
        }
        if hasRun && runChrom != chrom { try emit() }
        if bn > 0 && batchChrom != chrom { try flushBatch() }
        batchChrom = chrom
        var has = hasRun, rs = runStart, re = runEnd, rv = runValue
        defer {
            hasRun = has; runStart = rs; runEnd = re; runValue = rv
            if has { runChrom = chrom }
        }
        var s = first
        for v in values {
            defer { s += step }
            if v.isNaN { continue }
            let e = min(s + step, end)
            if has && re == s && rv == v { re = e; continue }
            if has {
                bs[bn] = UInt32(rs); be[bn] = UInt32(re); bv[bn] = rv
                bn += 1
                if bn == Self.batchCapacity { try flushBatch() }
            }
            has = true; rs = s; re = e; rv = v
        }
    }

    /// Writes what is pending; the transaction's commit finishes the file.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try emit()
        try flushBatch()
    }

    private func emit() throws {
        guard hasRun else { return }
        hasRun = false
        switch sink {
        case .bigWig:
            guard runStart >= 0, runEnd <= Int(UInt32.max) else {
                throw DragonnError("internal: track interval \(runChrom):\(runStart)-\(runEnd) outside bigWig coordinates")
            }
            if bn > 0 && batchChrom != runChrom { try flushBatch() }
            batchChrom = runChrom
            bs[bn] = UInt32(runStart); be[bn] = UInt32(max(runStart, runEnd)); bv[bn] = runValue
            bn += 1
            if bn == Self.batchCapacity { try flushBatch() }
        case .text(let out):
            try writeBedGraphLine(chrom: runChrom, start: runStart, end: runEnd, value: runValue, to: out)
        }
    }

    /// Hands the batched bigWig intervals to the file.
    private func flushBatch() throws {
        guard bn > 0, case .bigWig(let f) = sink else { return }
        let n = bn
        bn = 0
        try f.add(chrom: batchChrom, starts: bs, ends: be, values: bv, count: n)
    }
}
