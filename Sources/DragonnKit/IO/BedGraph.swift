/// One stretch of a track: bases `start..<end` of `chrom` (0-based half-open). Base `start + k`
/// has the value `values[valueIndex + k]` when `perBase`, else `values[valueIndex]` (one value for
/// the whole stretch, e.g. a region's prediction).
public struct TrackInterval: Equatable, Sendable {
    public var chrom: String
    public var start: Int
    public var end: Int
    public var valueIndex: Int
    public var perBase: Bool

    /// The stretch `chrom:start-end` with its value(s) from `valueIndex` on.
    public init(chrom: String, start: Int, end: Int, valueIndex: Int, perBase: Bool) {
        self.chrom = chrom; self.start = start; self.end = end
        self.valueIndex = valueIndex; self.perBase = perBase
    }

    /// Where sequence `index` of a set goes: its genomic region when it has one (regions of a
    /// genome, `chrom:start-end` names), else its own name at positions 0..<length. Its values
    /// are the `length` values from `valueIndex` on.
    public static func placing(_ set: SequenceSet, _ index: Int, valueIndex: Int) -> TrackInterval {
        if let r = set.regions[index] {
            return TrackInterval(chrom: r.chrom, start: r.start, end: r.start + set.length, valueIndex: valueIndex, perBase: true)
        }
        return TrackInterval(chrom: set.names[index], start: 0, end: set.length, valueIndex: valueIndex, perBase: true)
    }
}

/// Writes a bedGraph track as one output of `outputs`: the one writer every tool's tracks go
/// through (DESIGN.md's bedGraph contract).
///
/// Lines are `chrom<TAB>start<TAB>end<TAB>value`, 0-based half-open, sorted by chromosome in
/// `chromosomeOrder` (the genome's `.fai` order; without it, the order in which chromosomes first
/// appear in `intervals`), then by start. Where intervals overlap, a base keeps the value of the
/// interval that starts first (on equal starts, the earlier one in `intervals`); the later one
/// continues after it, so no base is dropped and none is written twice. Adjacent bases with equal
/// values are merged into one line. A `track` line comes first only when `trackLine` is given.
/// A `.gz` path is BGZF with a tabix index beside it (`.csi` when an end exceeds 2^29), the two
/// committed together; a `.bw` path is a bigWig of the same intervals (`TrackFormat`).
public func writeBedGraph(path: String, in outputs: OutputTransaction, intervals: [TrackInterval], values: [Float],
                          chromosomeOrder: [String]? = nil, trackLine: String? = nil) throws {
    // A .bw path: the same lines as a bigWig (BigWigWriter.swift); bigWig has no track line.
    if TrackFormat(path: path) == .bigWig {
        return try writeBigWigTrack(path: path, in: outputs, intervals: intervals, values: values, chromosomeOrder: chromosomeOrder)
    }
    let out = try outputs.openTrack(path, headerLines: trackLine == nil ? 0 : 1, maxEnd: intervals.map(\.end).max() ?? 0)
    try writeBedGraph(to: out, intervals: intervals, values: values, chromosomeOrder: chromosomeOrder, trackLine: trackLine)
}

/// Appends a bedGraph track to `out` (see `writeBedGraph(path:in:...)`): several tracks in one
/// stream, each after its `track` line, as UCSC custom-track files hold them.
public func writeBedGraph(to out: OutputFile, intervals: [TrackInterval], values: [Float],
                          chromosomeOrder: [String]? = nil, trackLine: String? = nil) throws {
    var rank: [String: Int] = [:]
    for c in chromosomeOrder ?? [] where rank[c] == nil { rank[c] = rank.count }
    for i in intervals where rank[i.chrom] == nil { rank[i.chrom] = rank.count }
    let order = intervals.indices.sorted {
        let a = intervals[$0], b = intervals[$1]
        if a.chrom != b.chrom { return rank[a.chrom]! < rank[b.chrom]! }
        return a.start != b.start ? a.start < b.start : $0 < $1
    }
    if let trackLine { try out.write(trackLine + "\n") }

    var text = ""
    text.reserveCapacity(1 << 20)
    // The pending line, extended while the next base continues it with the same value.
    var run: (chrom: String, start: Int, end: Int, value: Float)? = nil
    func emit() throws {
        guard let r = run else { return }
        text += r.chrom; text += "\t"
        text += String(r.start); text += "\t"
        text += String(r.end); text += "\t"
        text += r.value == 0 ? "0" : r.value.description; text += "\n"
        if text.utf8.count > (1 << 20) - 4096 { try out.write(text); text.removeAll(keepingCapacity: true) }
    }
    var chrom: String? = nil, covered = Int.min
    for i in order {
        let interval = intervals[i]
        if interval.chrom != chrom { chrom = interval.chrom; covered = Int.min }
        var p = max(interval.start, covered)
        while p < interval.end {
            let v = values[interval.valueIndex + (interval.perBase ? p - interval.start : 0)]
            var q = p + 1
            if interval.perBase {
                while q < interval.end && values[interval.valueIndex + q - interval.start] == v { q += 1 }
            } else {
                q = interval.end
            }
            if let r = run, r.chrom == interval.chrom, r.end == p, r.value == v {
                run!.end = q
            } else {
                try emit()
                run = (interval.chrom, p, q, v)
            }
            p = q
        }
        covered = max(covered, interval.end)
    }
    try emit()
    try out.write(text)
}
