import CBigWig
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bigWig file written through libBigWig: header with every chromosome (in the given order),
/// intervals appended in that order, zoom levels and the index written at `close()`.
final class BigWigFile {
    private var fp: UnsafeMutablePointer<bigWigFile_t>?
    private let path: String
    private var names: [UnsafeMutablePointer<CChar>] = []
    private var rank: [String: Int] = [:]
    private var current = -1, lastEnd = 0
    private var currentName = ""
    // Intervals waiting for the next libBigWig call (one chromosome at a time).
    private var starts: [UInt32] = [], ends: [UInt32] = [], values: [Float] = []

    /// libBigWig's global set-up, once per process (its buffer is for remote files only).
    static let initialise: Bool = bwInit(1 << 17) == 0

    /// Creates `temporary` (the file written; `path` is the name errors use) with a header for
    /// `chromosomes` (name, length) in that order and up to 10 zoom levels.
    init(temporary: String, path: String, chromosomes: [(name: String, length: Int)]) throws {
        self.path = path
        guard Self.initialise else { throw DragonnError(file: path, "cannot initialise libBigWig") }
        for (i, c) in chromosomes.enumerated() {
            guard rank[c.name] == nil else { throw DragonnError(file: path, "chromosome \(c.name) named twice") }
            guard c.length > 0, c.length <= Int(UInt32.max) else {
                throw DragonnError(file: path, "chromosome \(c.name) has length \(c.length), which bigWig cannot hold")
            }
            rank[c.name] = i
        }
        guard let f = bwOpen(temporary, nil, "w") else { throw DragonnError(file: path, "cannot create the bigWig file") }
        fp = f
        // libBigWig may keep these pointers until bwClose: they stay allocated for the process.
        names = chromosomes.map { strdup($0.name)! }
        var lengths = chromosomes.map { UInt32($0.length) }
        let ok = names.withUnsafeBufferPointer { np -> Bool in
            np.withMemoryRebound(to: UnsafePointer<CChar>?.self) { cp in
                guard bwCreateHdr(f, 10) == 0,
                      let list = bwCreateChromList(cp.baseAddress, &lengths, Int64(chromosomes.count)) else { return false }
                f.pointee.cl = list
                return bwWriteHdr(f) == 0
            }
        }
        guard ok else { abandon(); throw DragonnError(file: path, "cannot write the bigWig header") }
    }

    deinit { abandon() }

    /// Appends `start..<end` of `chrom` with `value`; chromosomes come in header order, intervals
    /// sorted and non-overlapping within each.
    func add(chrom: String, start: Int, end: Int, value: Float) throws {
        // The chromosome changes rarely: compare names before hashing one.
        if chrom != currentName {
            guard let r = rank[chrom] else { throw DragonnError(file: path, "chromosome \(chrom) is not in the bigWig header") }
            guard r > current else { throw DragonnError(file: path, "internal: chromosome \(chrom) out of header order") }
            try flush()
            current = r; lastEnd = 0; currentName = chrom
        }
        guard start >= lastEnd, end > start else {
            throw DragonnError(file: path, "internal: interval \(chrom):\(start)-\(end) overlaps or precedes the previous one")
        }
        starts.append(UInt32(start)); ends.append(UInt32(end)); values.append(value)
        lastEnd = end
        if starts.count >= 1 << 16 { try flush() }
    }

    /// Hands the waiting intervals to libBigWig: runs of back-to-back intervals of one length
    /// (a track at every base or every step-th base) as fixed-step sections, 4 bytes a value
    /// instead of 12 (less to deflate, which dominates writing), the rest as plain intervals.
    /// Readers see the same intervals either way.
    private func flush() throws {
        guard let fp, !starts.isEmpty else { return }
        let chrom = UnsafePointer(names[current])
        let n = starts.count
        var rc: Int32 = 0
        var i = 0
        try starts.withUnsafeMutableBufferPointer { s in try ends.withUnsafeMutableBufferPointer { e in
            try values.withUnsafeMutableBufferPointer { v in
                // The end of the run from k: intervals of k's length, each starting where the last ended.
                func runEnd(_ k: Int) -> Int {
                    let span = e[k] - s[k]
                    var j = k + 1
                    while j < n && s[j] == e[j - 1] && e[j] - s[j] == span { j += 1 }
                    return j
                }
                while i < n && rc == 0 {
                    let j = runEnd(i)
                    if j - i >= 16 {
                        rc = bwAddIntervalSpanSteps(fp, chrom, s[i], e[i] - s[i], e[i] - s[i], v.baseAddress! + i, UInt32(j - i))
                        i = j
                        continue
                    }
                    // Irregular intervals up to the next long run go as one batch.
                    var k = j
                    while k < n { let r = runEnd(k); if r - k >= 16 { break }; k = r }
                    var c: UnsafePointer<CChar>? = chrom
                    rc = bwAddIntervals(fp, &c, s.baseAddress! + i, e.baseAddress! + i, v.baseAddress! + i, 1)
                    if rc == 0 && k - i > 1 {
                        rc = bwAppendIntervals(fp, s.baseAddress! + i + 1, e.baseAddress! + i + 1, v.baseAddress! + i + 1, UInt32(k - i - 1))
                    }
                    i = k
                }
                guard rc == 0 else { throw DragonnError(file: path, "cannot write bigWig intervals") }
            }
        } }
        starts.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
    }

    /// Writes the last intervals, the zoom levels and the index, and closes the file.
    func close() throws {
        try flush()
        guard let f = fp else { return }
        fp = nil
        bwClose(f)
    }

    /// Closes without caring about the content (the transaction removes the file).
    func abandon() {
        if let f = fp { fp = nil; bwClose(f) }
    }
}

/// Writes the track `writeBedGraph` would write as a bigWig at `path` (one output of `outputs`):
/// the bedGraph writer decides the lines (order, overlaps, merged runs), so both formats carry the
/// same intervals and values. Chromosomes follow `chromosomeOrder` then first appearance, each
/// with its largest end as its length (the bigWig header needs one).
func writeBigWigTrack(path: String, in outputs: OutputTransaction, intervals: [TrackInterval], values: [Float],
                      chromosomeOrder: [String]?) throws {
    var length: [String: Int] = [:]
    for i in intervals { length[i.chrom] = max(length[i.chrom] ?? 0, i.end) }
    var order: [String] = []
    var seen = Set<String>()
    for c in (chromosomeOrder ?? []) + intervals.map(\.chrom) where length[c] != nil && seen.insert(c).inserted { order.append(c) }
    let track = try TrackWriter(path: path, in: outputs, chromosomes: order.map { ($0, length[$0]!) })
    let spool = try Spool(label: path)
    let text = try OutputFile(path: path, fd: dup(spool.descriptor), inPlace: false, bgzf: false)
    try writeBedGraph(to: text, intervals: intervals, values: values, chromosomeOrder: order)
    try text.finish()
    var pending: [UInt8] = []
    func line(_ bytes: ArraySlice<UInt8>) throws {
        let f = bytes.split(separator: 0x09, omittingEmptySubsequences: false)
        guard f.count == 4, let s = Int(String(decoding: f[1], as: UTF8.self)), let e = Int(String(decoding: f[2], as: UTF8.self)),
              let v = Float(String(decoding: f[3], as: UTF8.self)) else {
            throw DragonnError(file: path, "internal: unreadable bedGraph line for the bigWig")
        }
        try track.add(chrom: String(decoding: f[0], as: UTF8.self), start: s, end: e, value: v)
    }
    try spool.replay { chunk in
        pending += chunk
        var from = pending.startIndex
        while let nl = pending[from...].firstIndex(of: 0x0A) {
            try line(pending[from..<nl])
            from = nl + 1
        }
        pending.removeFirst(from - pending.startIndex)
    }
    try track.finish()
}
