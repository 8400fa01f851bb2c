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
/// Lines are `chrom<TAB>start<TAB>end<TAB>value`, 0-based half-open, in `TrackLayout`'s order
/// (chromosomes in `chromosomeOrder`, the genome's `.fai` order; without it, the order in which
/// chromosomes first appear in `intervals`; then by start) and under its overlap rule (a base
/// covered by several intervals takes the value of the one whose centre is nearest, ties to the
/// one starting first), so no base is dropped and none is written twice. Adjacent bases with equal
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
    let stretches = TrackLayout.stretches(intervals.map { ($0.chrom, $0.start, $0.end) }, reference: chromosomeOrder)
    if let trackLine { try out.write(trackLine + "\n") }

    // The pending line, extended while the next base continues it with the same value.
    var run: (chrom: String, start: Int, end: Int, value: Float)? = nil
    func emit() throws {
        guard let r = run else { return }
        try writeBedGraphLine(chrom: r.chrom, start: r.start, end: r.end, value: r.value, to: out)
    }
    for stretch in stretches {
        let interval = intervals[stretch.interval]
        var p = stretch.start
        while p < stretch.end {
            let v = values[interval.valueIndex + (interval.perBase ? p - interval.start : 0)]
            var q = p + 1
            if interval.perBase {
                while q < stretch.end && values[interval.valueIndex + q - interval.start] == v { q += 1 }
            } else {
                q = stretch.end
            }
            if let r = run, r.chrom == stretch.chrom, r.end == p, r.value == v {
                run!.end = q
            } else {
                try emit()
                run = (stretch.chrom, p, q, v)
            }
            p = q
        }
    }
    try emit()
}

/// Appends the bedGraph line `chrom<TAB>start<TAB>end<TAB>value<LF>` to `out`, formatted in the
/// output's own buffer (no String per line): the value as Swift's shortest text that reads back
/// as the same Float (`Float.description`), 0 (and −0) as `0`.
func writeBedGraphLine(chrom: String, start: Int, end: Int, value: Float, to out: OutputFile) throws {
    var name = chrom, text = value == 0 ? "0" : value.description
    try name.withUTF8 { c in
        try text.withUTF8 { v in
            let maximum = c.count + v.count + 2 * 20 + 4
            guard maximum <= 1 << 16, start >= 0, end >= 0 else {   // outsized names: the plain way
                return try out.write("\(chrom)\t\(start)\t\(end)\t\(String(decoding: v, as: UTF8.self))\n")
            }
            try out.withReservedBytes(maximum) { dest in
                var n = writeIntervalFields(chrom: UnsafeRawBufferPointer(c), start: start, end: end, to: dest)
                (dest + n).update(from: v.baseAddress!, count: v.count)
                n += v.count
                dest[n] = 10; n += 1
                return n
            }
        }
    }
}
