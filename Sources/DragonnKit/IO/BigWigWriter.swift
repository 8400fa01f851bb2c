import CBigWig
import CHTSlib
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bigWig file written natively and streamed (UCSC bigWig, version 4): header with every
/// chromosome (in the given order, one B+ tree leaf), intervals appended in that order as
/// zlib-compressed data blocks of one section each (fixed-step where intervals run back to back
/// with one length, bedGraph otherwise), zoom levels summarised while streaming (their blocks
/// spooled to temporary files), and the R-trees built at `close()` from the block list.
/// Memory stays bounded: a batch of blocks waiting for compression (both cores deflate a batch,
/// zlib Huffman-only),
/// one index entry per block, one open record per zoom level.
final class BigWigFile {
    /// libBigWig's global set-up, once per process; the bigWig reader (--merge-tracks) needs it.
    static let initialise: Bool = bwInit(1 << 17) == 0

    private struct Entry { var chrom: UInt32, start: UInt32, end: UInt32, offset: UInt64, size: UInt64 }
    /// A block waiting for compression; `level` -1 is the data section, k ≥ 0 zoom level k.
    private struct Job { var level: Int, chrom: UInt32, start: UInt32, end: UInt32, raw: [UInt8] }
    /// A zoom record being accumulated (bin `bin` of `chrom`).
    private struct Summary {
        var active = false
        var chrom: UInt32 = 0, bin: UInt32 = 0, start: UInt32 = 0, end: UInt32 = 0
        var count: UInt64 = 0, minV = Float.infinity, maxV = -Float.infinity, sum = 0.0, sumSq = 0.0
    }
    private final class Level {
        let reduction: UInt32
        let spool: UnsafeMutablePointer<FILE>
        var spoolSize: UInt64 = 0
        var index: [Entry] = []
        var records: [UInt8] = []
        var recordCount = 0, total: UInt32 = 0
        var first: (chrom: UInt32, start: UInt32) = (0, 0)
        var last: (chrom: UInt32, end: UInt32) = (0, 0)
        var acc = Summary()
        init(reduction: UInt32, spool: UnsafeMutablePointer<FILE>) { self.reduction = reduction; self.spool = spool }
    }

    static let itemsPerSlot = 1024, fixedPerBlock = 4096, blockSize = 256, zoomRecordsPerBlock = 1024
    private static let headerSize = 64, zoomHeaderSize = 24, summarySize = 40

    private let path: String
    private var out: UnsafeMutablePointer<FILE>?
    private var offset: UInt64 = 0
    private let chromosomes: [(name: String, length: Int)]
    private var rank: [String: Int] = [:]
    private var current = -1, lastEnd = 0
    private var currentName = ""
    private let levels: [Level]
    private var dataOffset: UInt64 = 0, chromTreeOffset: UInt64 = 0
    /// The per-interval state in one struct, so the common case (the next base of a fixed-step
    /// block, inside the open zoom record) costs one exclusive access instead of one per field.
    private struct Hot {
        // The open data block: its intervals, whether all run back to back with one span, the trailing run.
        var bStart: [UInt32] = [], bEnd: [UInt32] = [], bValue: [Float] = []
        var fixed = true, run = 0
        /// The finest zoom level's open record.
        var acc = Summary()
        var reduction: UInt32 = 40

        /// Appends `s..<e` at `v` when it continues a fixed-step block with room left and lies in
        /// the open zoom record's bin; false (nothing changed) otherwise.
        @inline(__always)
        mutating func fastAdd(_ s: UInt32, _ e: UInt32, _ v: Float, chrom: UInt32) -> Bool {
            let n = bStart.count
            guard n > 0, fixed, n + 1 < BigWigFile.fixedPerBlock, s == bEnd[n - 1], e - s == bEnd[n - 1] - bStart[n - 1],
                  acc.active, acc.chrom == chrom, s / reduction == acc.bin, (e - 1) / reduction == acc.bin else { return false }
            bStart.append(s); bEnd.append(e); bValue.append(v)
            run += 1
            let len = Double(e - s), dv = Double(v)
            acc.end = e
            acc.count += UInt64(e - s)
            acc.sum += dv * len; acc.sumSq += dv * dv * len
            if v < acc.minV { acc.minV = v }
            if v > acc.maxV { acc.maxV = v }
            return true
        }
    }
    private var hot = Hot()
    private var jobs: [Job] = [], pendingBytes = 0
    private var dataIndex: [Entry] = []
    private var maxRaw = 0
    private var total = Summary()
    private let workers = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Creates `temporary` (the file written; `path` is the name errors use) with a header for
    /// `chromosomes` (name, length) in that order and up to 10 zoom levels.
    init(temporary: String, path: String, chromosomes: [(name: String, length: Int)]) throws {
        self.path = path
        self.chromosomes = chromosomes
        for (i, c) in chromosomes.enumerated() {
            guard rank[c.name] == nil else { throw DragonnError(file: path, "chromosome \(c.name) named twice") }
            guard c.length > 0, c.length <= Int(UInt32.max) else {
                throw DragonnError(file: path, "chromosome \(c.name) has length \(c.length), which bigWig cannot hold")
            }
            rank[c.name] = i
        }
        guard chromosomes.count <= Int(UInt16.max) else {
            throw DragonnError(file: path, "\(chromosomes.count) chromosomes: this bigWig writer holds at most \(UInt16.max)")
        }
        // Zoom levels 40, 160, 640, ... bases (x4), up to 10, none coarser than the longest chromosome.
        let longest = chromosomes.map(\.length).max() ?? 0
        var made: [Level] = []
        var r = 40
        while made.count < 10 && (made.isEmpty || r <= longest) {
            guard let f = tmpfile() else {
                for l in made { fclose(l.spool) }
                throw DragonnError(file: path, "cannot create a temporary file for the bigWig zoom levels")
            }
            made.append(Level(reduction: UInt32(r), spool: f))
            r *= 4
        }
        levels = made
        guard let f = fopen(temporary, "w+b") else {
            for l in made { fclose(l.spool) }
            throw DragonnError(file: path, "cannot create the bigWig file")
        }
        out = f
        setvbuf(f, nil, _IOFBF, 1 << 20)
        hot.bStart.reserveCapacity(Self.fixedPerBlock); hot.bEnd.reserveCapacity(Self.fixedPerBlock); hot.bValue.reserveCapacity(Self.fixedPerBlock)
        hot.reduction = made.first?.reduction ?? 40
        // Space for the header, zoom headers and total summary (written at close), then the chromosome tree.
        try write([UInt8](repeating: 0, count: Self.headerSize + Self.zoomHeaderSize * levels.count + Self.summarySize))
        chromTreeOffset = offset
        try write(chromosomeTree())
        dataOffset = offset
        try write([UInt8](repeating: 0, count: 8))
    }

    deinit { abandon() }

    // MARK: adding intervals

    /// Appends `start..<end` of `chrom` with `value`; chromosomes come in header order, intervals
    /// sorted and non-overlapping within each.
    func add(chrom: String, start: Int, end: Int, value: Float) throws {
        // The chromosome changes rarely: compare names before hashing one.
        if chrom != currentName {
            guard let r = rank[chrom] else { throw DragonnError(file: path, "chromosome \(chrom) is not in the bigWig header") }
            guard r > current else { throw DragonnError(file: path, "internal: chromosome \(chrom) out of header order") }
            try endChromosome()
            current = r; lastEnd = 0; currentName = chrom
        }
        guard start >= lastEnd, end > start, end <= chromosomes[current].length else {
            throw DragonnError(file: path, "internal: interval \(chrom):\(start)-\(end) overlaps or precedes the previous one, or runs off the chromosome")
        }
        lastEnd = end
        let s = UInt32(start), e = UInt32(end)
        if hot.fastAdd(s, e, value, chrom: UInt32(current)) { return }
        try summarise(s, e, value)
        let n = hot.bStart.count
        if n > 0 {
            let back = s == hot.bEnd[n - 1] && e - s == hot.bEnd[n - 1] - hot.bStart[n - 1]
            hot.run = back ? hot.run + 1 : 1
            if hot.fixed && !back {
                if n >= 16 { try flushBlock() } else { hot.fixed = false }
            } else if !hot.fixed && hot.run >= 64 {
                // A long back-to-back run inside a bedGraph block: it starts a fixed-step block.
                let keep = n - (hot.run - 1)
                let ts = Array(hot.bStart[keep...]), te = Array(hot.bEnd[keep...]), tv = Array(hot.bValue[keep...])
                hot.bStart.removeLast(hot.run - 1); hot.bEnd.removeLast(hot.run - 1); hot.bValue.removeLast(hot.run - 1)
                try flushBlock()
                hot.bStart += ts; hot.bEnd += te; hot.bValue += tv
                hot.run = ts.count
            }
        } else {
            hot.run = 1
        }
        hot.bStart.append(s); hot.bEnd.append(e); hot.bValue.append(value)
        if hot.bStart.count >= (hot.fixed ? Self.fixedPerBlock : Self.itemsPerSlot) { try flushBlock() }
    }

    /// The open block as one section (fixed-step or bedGraph) queued for compression.
    private func flushBlock() throws {
        let n = hot.bStart.count
        guard n > 0 else { hot.fixed = true; hot.run = 0; return }
        let isFixed = hot.fixed && n >= 2
        let span = hot.bEnd[0] - hot.bStart[0]
        var raw: [UInt8] = []
        raw.reserveCapacity(24 + n * (isFixed ? 4 : 12))
        put(&raw, UInt32(current)); put(&raw, hot.bStart[0]); put(&raw, hot.bEnd[n - 1])
        put(&raw, isFixed ? span : 0); put(&raw, isFixed ? span : 0)
        raw.append(isFixed ? 3 : 1); raw.append(0); put(&raw, UInt16(n))
        if isFixed {
            hot.bValue.withUnsafeBytes { raw.append(contentsOf: $0) }
        } else {
            for i in 0..<n { put(&raw, hot.bStart[i]); put(&raw, hot.bEnd[i]); put(&raw, hot.bValue[i].bitPattern) }
        }
        try queue(Job(level: -1, chrom: UInt32(current), start: hot.bStart[0], end: hot.bEnd[n - 1], raw: raw))
        hot.bStart.removeAll(keepingCapacity: true); hot.bEnd.removeAll(keepingCapacity: true); hot.bValue.removeAll(keepingCapacity: true)
        hot.fixed = true; hot.run = 0
    }

    private func endChromosome() throws {
        try flushBlock()
        for k in levels.indices where k == 0 ? hot.acc.active : levels[k].acc.active { try closeRecord(k) }
        for k in levels.indices { try flushZoomBlock(k) }
    }

    // MARK: zoom levels

    /// Adds `s..<e` at `v` to the finest zoom level, bin by bin.
    @inline(__always)
    private func summarise(_ s: UInt32, _ e: UInt32, _ v: Float) throws {
        guard !levels.isEmpty else { return }
        let r = hot.reduction, chrom = UInt32(current)
        var a = s
        while a < e {
            let bin = a / r
            let b = UInt32(min(UInt64(e), UInt64(bin + 1) * UInt64(r)))
            if hot.acc.active && (hot.acc.bin != bin || hot.acc.chrom != chrom) { try closeRecord(0) }
            if !hot.acc.active { hot.acc = Summary(active: true, chrom: chrom, bin: bin, start: a, end: b) }
            let n = Double(b - a), dv = Double(v)
            hot.acc.end = b
            hot.acc.count += UInt64(b - a)
            hot.acc.sum += dv * n; hot.acc.sumSq += dv * dv * n
            if v < hot.acc.minV { hot.acc.minV = v }
            if v > hot.acc.maxV { hot.acc.maxV = v }
            a = b
        }
    }

    /// Writes level k's open record and folds it into level k+1 (whose bins hold 4 of k's).
    private func closeRecord(_ k: Int) throws {
        let level = levels[k]
        let a = k == 0 ? hot.acc : level.acc
        if k == 0 { hot.acc.active = false } else { level.acc.active = false }
        if level.recordCount == 0 { level.first = (a.chrom, a.start) }
        level.last = (a.chrom, a.end)
        put(&level.records, a.chrom); put(&level.records, a.start); put(&level.records, a.end); put(&level.records, UInt32(a.count))
        put(&level.records, a.minV.bitPattern); put(&level.records, a.maxV.bitPattern)
        put(&level.records, Float(a.sum).bitPattern); put(&level.records, Float(a.sumSq).bitPattern)
        level.recordCount += 1; level.total += 1
        if k == 0 { merge(a, into: &total) }
        if k + 1 < levels.count {
            let up = levels[k + 1]
            let bin = a.bin / 4
            if up.acc.active && (up.acc.bin != bin || up.acc.chrom != a.chrom) { try closeRecord(k + 1) }
            if !up.acc.active { up.acc = Summary(active: true, chrom: a.chrom, bin: bin, start: a.start, end: a.end) }
            merge(a, into: &up.acc)
        }
        if level.recordCount >= Self.zoomRecordsPerBlock { try flushZoomBlock(k) }
    }

    private func merge(_ a: Summary, into t: inout Summary) {
        t.end = max(t.end, a.end)
        t.count += a.count; t.sum += a.sum; t.sumSq += a.sumSq
        t.minV = min(t.minV, a.minV); t.maxV = max(t.maxV, a.maxV)
    }

    private func flushZoomBlock(_ k: Int) throws {
        let level = levels[k]
        guard level.recordCount > 0 else { return }
        try queue(Job(level: k, chrom: level.first.chrom, start: level.first.start, end: level.last.end, raw: level.records))
        level.records.removeAll(keepingCapacity: true)
        level.recordCount = 0
    }

    // MARK: compression and output

    private func queue(_ job: Job) throws {
        maxRaw = max(maxRaw, job.raw.count)
        pendingBytes += job.raw.count
        jobs.append(job)
        if pendingBytes >= 1 << 21 { try compressBatch() }
    }

    /// Deflates the queued blocks on both cores, then writes them in order.
    private func compressBatch() throws {
        guard !jobs.isEmpty else { return }
        let n = jobs.count
        let raws = jobs.map(\.raw)
        let bounds = raws.map { Int(compressBound(uLong($0.count))) }
        var starts = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { starts[i + 1] = starts[i] + bounds[i] }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, starts[n]))
        defer { buffer.deallocate() }
        let sizes = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { sizes.deallocate() }
        nonisolated(unsafe) let buf = buffer, sz = sizes
        let offsets = starts, stripes = min(workers, n)
        DispatchQueue.concurrentPerform(iterations: stripes) { w in
            var i = w
            while i < n {
                sz[i] = raws[i].withUnsafeBufferPointer { deflateBlock($0, into: buf + offsets[i], capacity: bounds[i]) }
                i += stripes
            }
        }
        for i in 0..<n {
            guard sizes[i] >= 0 else { throw DragonnError(file: path, "cannot compress a bigWig block") }
            let job = jobs[i]
            let bytes = UnsafeRawBufferPointer(start: buffer + starts[i], count: sizes[i])
            if job.level < 0 {
                dataIndex.append(Entry(chrom: job.chrom, start: job.start, end: job.end, offset: offset, size: UInt64(sizes[i])))
                try write(bytes)
            } else {
                let level = levels[job.level]
                level.index.append(Entry(chrom: job.chrom, start: job.start, end: job.end, offset: level.spoolSize, size: UInt64(sizes[i])))
                guard fwrite(bytes.baseAddress, 1, bytes.count, level.spool) == bytes.count else {
                    throw DragonnError(file: path, "cannot write a temporary file for the bigWig zoom levels")
                }
                level.spoolSize += UInt64(bytes.count)
            }
        }
        jobs.removeAll(keepingCapacity: true)
        pendingBytes = 0
    }

    private func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let out else { throw DragonnError(file: path, "internal: bigWig file already closed") }
        guard bytes.count == 0 || fwrite(bytes.baseAddress, 1, bytes.count, out) == bytes.count else {
            throw DragonnError(file: path, "cannot write the bigWig file")
        }
        offset += UInt64(bytes.count)
    }

    private func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// The chromosome B+ tree: one leaf holding every chromosome in header order (a reader
    /// scans a leaf, so the keys need no sorting).
    private func chromosomeTree() -> [UInt8] {
        let keySize = max(1, chromosomes.map { $0.name.utf8.count }.max() ?? 1)
        var b: [UInt8] = []
        put(&b, UInt32(0x78CA_8C91)); put(&b, UInt32(max(1, chromosomes.count))); put(&b, UInt32(keySize)); put(&b, UInt32(8))
        put(&b, UInt64(chromosomes.count)); put(&b, UInt64(0))
        b.append(1); b.append(0); put(&b, UInt16(chromosomes.count))
        for (i, c) in chromosomes.enumerated() {
            let name = Array(c.name.utf8)
            b += name; b += [UInt8](repeating: 0, count: keySize - name.count)
            put(&b, UInt32(i)); put(&b, UInt32(c.length))
        }
        return b
    }

    /// A cirTree (R-tree) over `entries` (sorted, non-overlapping blocks) whose header starts at `at`.
    private static func rTree(_ entries: [Entry], at: UInt64, endOfData: UInt64) -> [UInt8] {
        let fan = blockSize
        // items[h]: the bounds of height-h nodes' items (h = 0: the blocks themselves).
        typealias Bounds = (sc: UInt32, sb: UInt32, ec: UInt32, eb: UInt32)
        var items: [[Bounds]] = [entries.map { ($0.chrom, $0.start, $0.chrom, $0.end) }]
        while items.last!.count > fan {
            let below = items.last!
            items.append(stride(from: 0, to: below.count, by: fan).map { j in
                let last = below[min(below.count, j + fan) - 1]
                return (below[j].sc, below[j].sb, last.ec, last.eb)
            })
        }
        let top = items.count - 1
        // Node offsets, top level first.
        var nodeOffset: [[UInt64]] = Array(repeating: [], count: items.count)
        var o = at + 48
        for h in stride(from: top, through: 0, by: -1) {
            let count = items[h].count
            let nodes = h == top ? 1 : (count + fan - 1) / fan
            for j in 0..<nodes {
                nodeOffset[h].append(o)
                let k = h == top ? count : min(count, (j + 1) * fan) - j * fan
                o += 4 + UInt64(k * (h == 0 ? 32 : 24))
            }
        }
        var b: [UInt8] = []
        b.reserveCapacity(Int(o - at))
        let all = items[0]
        put(&b, UInt32(0x2468_ACE0)); put(&b, UInt32(fan)); put(&b, UInt64(entries.count))
        put(&b, all.first?.sc ?? 0); put(&b, all.first?.sb ?? 0); put(&b, all.last?.ec ?? 0); put(&b, all.last?.eb ?? 0)
        put(&b, endOfData); put(&b, UInt32(itemsPerSlot)); put(&b, UInt32(0))
        for h in stride(from: top, through: 0, by: -1) {
            let count = items[h].count
            for j in nodeOffset[h].indices {
                let lo = h == top ? 0 : j * fan, hi = h == top ? count : min(count, (j + 1) * fan)
                b.append(h == 0 ? 1 : 0); b.append(0); put(&b, UInt16(hi - lo))
                for i in lo..<hi {
                    let t = items[h][i]
                    put(&b, t.sc); put(&b, t.sb); put(&b, t.ec); put(&b, t.eb)
                    if h == 0 { put(&b, entries[i].offset); put(&b, entries[i].size) } else { put(&b, nodeOffset[h - 1][i]) }
                }
            }
        }
        return b
    }

    /// Writes the last blocks, the index, the zoom levels and the header, and closes the file.
    func close() throws {
        guard out != nil else { return }
        try endChromosome()
        try compressBatch()
        let indexOffset = offset
        try write(Self.rTree(dataIndex, at: indexOffset, endOfData: indexOffset))
        var zoomHeaders: [UInt8] = []
        for level in levels {
            let zoomData = offset
            try write(withUnsafeBytes(of: level.total.littleEndian) { Array($0) })
            let base = offset
            fflush(level.spool)
            rewind(level.spool)
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            var left = level.spoolSize
            while left > 0 {
                let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, Int(min(left, 1 << 20)), level.spool) }
                guard n > 0 else { throw DragonnError(file: path, "cannot read back the bigWig zoom levels") }
                try chunk.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                left -= UInt64(n)
            }
            let shifted = level.index.map { Entry(chrom: $0.chrom, start: $0.start, end: $0.end, offset: $0.offset + base, size: $0.size) }
            let zoomIndex = offset
            try write(Self.rTree(shifted, at: zoomIndex, endOfData: zoomIndex))
            put(&zoomHeaders, level.reduction); put(&zoomHeaders, UInt32(0)); put(&zoomHeaders, zoomData); put(&zoomHeaders, zoomIndex)
        }
        try write(withUnsafeBytes(of: UInt32(0x888F_FC26).littleEndian) { Array($0) })
        // Header, zoom headers, total summary, block count.
        var head: [UInt8] = []
        put(&head, UInt32(0x888F_FC26)); put(&head, UInt16(4)); put(&head, UInt16(levels.count))
        put(&head, chromTreeOffset); put(&head, dataOffset); put(&head, indexOffset)
        put(&head, UInt16(0)); put(&head, UInt16(0)); put(&head, UInt64(0))
        put(&head, UInt64(Self.headerSize + Self.zoomHeaderSize * levels.count))
        put(&head, UInt32(max(maxRaw, 1 << 15))); put(&head, UInt64(0))
        head += zoomHeaders
        let covered = total.count > 0
        put(&head, total.count)
        put(&head, (covered ? Double(total.minV) : 0).bitPattern); put(&head, (covered ? Double(total.maxV) : 0).bitPattern)
        put(&head, total.sum.bitPattern); put(&head, total.sumSq.bitPattern)
        guard let f = out else { return }
        guard fflush(f) == 0, fseeko(f, 0, SEEK_SET) == 0,
              head.withUnsafeBytes({ fwrite($0.baseAddress, 1, $0.count, f) }) == head.count,
              fseeko(f, off_t(dataOffset), SEEK_SET) == 0,
              withUnsafeBytes(of: UInt64(dataIndex.count).littleEndian, { fwrite($0.baseAddress, 1, 8, f) }) == 8 else {
            throw DragonnError(file: path, "cannot write the bigWig header")
        }
        out = nil
        let rc = fclose(f)
        for l in levels { fclose(l.spool) }
        guard rc == 0 else { throw DragonnError(file: path, "cannot write the bigWig file") }
    }

    /// Closes without caring about the content (the transaction removes the file).
    func abandon() {
        if let f = out {
            out = nil
            fclose(f)
            for l in levels { fclose(l.spool) }
        }
    }
}

/// Deflates `source` into `destination` as one zlib stream; its length, or -1. Huffman coding
/// only: a track's float values barely compress (~0.87 either way, tested on prediction tracks),
/// and skipping the string matching halves deflate's time.
private func deflateBlock(_ source: UnsafeBufferPointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
    var z = z_stream()
    guard deflateInit2_(&z, 1, Z_DEFLATED, 15, 8, Z_HUFFMAN_ONLY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return -1 }
    defer { deflateEnd(&z) }
    z.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
    z.avail_in = uInt(source.count)
    z.next_out = destination
    z.avail_out = uInt(capacity)
    guard deflate(&z, Z_FINISH) == Z_STREAM_END else { return -1 }
    return Int(z.total_out)
}

/// Appends `v` little-endian.
@inline(__always)
private func put<T: FixedWidthInteger>(_ b: inout [UInt8], _ v: T) {
    withUnsafeBytes(of: v.littleEndian) { b.append(contentsOf: $0) }
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
