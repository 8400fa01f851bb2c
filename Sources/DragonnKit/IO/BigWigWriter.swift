import CLibdeflate
import CHTSlib
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bigWig file written natively and streamed (UCSC bigWig, version 4): header with every
/// chromosome (in the given order, one B+ tree leaf), intervals appended in that order as data
/// blocks of one section each (fixed-step where intervals run back to back with one length,
/// bedGraph otherwise), zoom levels summarised while streaming (their blocks spooled to
/// temporary files), and the R-trees built at `close()` from the block list.
/// Every block is a zlib stream (libdeflate) made on a background queue, overlapped with
/// whatever feeds the writer: zoom blocks at level 1, data blocks at `dataLevel`, by default 0
/// (deflate's stored blocks). A base-resolution track's float values barely deflate (to ~0.83 at
/// level 1), and deflating them took ~14% of a track's CPU; zoom records shrink several-fold.
/// Data blocks are still zlib streams, not uncompressed blocks (header `uncompressBufSize` 0):
/// igv.js (2.x, checked in test-browser) decodes an uncompressed block through a DataView over
/// the whole fetched range, ignoring the block's offset in it, so every block after the first of
/// a fetch is drawn as a copy of the first; an inflated block is a buffer of its own.
/// Memory stays bounded: at most two batches of blocks in flight, one index entry per block,
/// one open record per zoom level.
final class BigWigFile {
    fileprivate struct Entry { var chrom: UInt32, start: UInt32, end: UInt32, offset: UInt64, size: UInt64 }
    /// A block for the file; `level` -1 is the data section, k ≥ 0 zoom level k.
    fileprivate struct Job { var level: Int, chrom: UInt32, start: UInt32, end: UInt32, raw: [UInt8] }
    /// A zoom record being accumulated (bin `bin` of `chrom`).
    private struct Summary {
        var active = false
        var chrom: UInt32 = 0, bin: UInt32 = 0, start: UInt32 = 0, end: UInt32 = 0
        var count: UInt64 = 0, minV = Float.infinity, maxV = -Float.infinity, sum = 0.0, sumSq = 0.0
    }
    private final class Level {
        let reduction: UInt32
        var records: [UInt8] = []
        var recordCount = 0, total: UInt32 = 0
        var first: (chrom: UInt32, start: UInt32) = (0, 0)
        var last: (chrom: UInt32, end: UInt32) = (0, 0)
        var acc = Summary()
        init(reduction: UInt32) { self.reduction = reduction }
    }

    /// Deflate level of data blocks unless told otherwise (see the type's comment).
    static let defaultDataLevel = 0
    static let itemsPerSlot = 1024, fixedPerBlock = 4096, blockSize = 256, zoomRecordsPerBlock = 1024
    private static let headerSize = 64, zoomHeaderSize = 24, summarySize = 40

    private let path: String
    private let sink: BlockSink
    private let chromosomes: [(name: String, length: Int)]
    private var rank: [String: Int] = [:]
    private var current = -1, lastEnd: UInt32 = 0
    private var currentName = ""
    private let levels: [Level]
    private var dataOffset: UInt64 = 0, chromTreeOffset: UInt64 = 0
    // The open data block: its intervals, whether all run back to back with one span, and how
    // many at its end do (the trailing run).
    private let bS: UnsafeMutablePointer<UInt32>, bE: UnsafeMutablePointer<UInt32>, bV: UnsafeMutablePointer<Float>
    private var bN = 0, fixed = true, run = 0
    /// The finest zoom level's open record and the end of its bin.
    private var acc0 = Summary()
    private var binEnd: UInt32 = 0
    private var jobs: [Job] = [], pendingBytes = 0
    private var total = Summary()

    /// Creates `temporary` (the file written; `path` is the name errors use) with a header for
    /// `chromosomes` (name, length) in that order and up to 10 zoom levels; `dataLevel` is the
    /// deflate level (0-12) of the data blocks.
    init(temporary: String, path: String, chromosomes: [(name: String, length: Int)], dataLevel: Int = BigWigFile.defaultDataLevel) throws {
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
            made.append(Level(reduction: UInt32(r)))
            r *= 4
        }
        levels = made
        guard (0...12).contains(dataLevel) else { throw DragonnError(file: path, "deflate level \(dataLevel) is not in 0-12") }
        sink = try BlockSink(temporary: temporary, path: path, levels: made.count, dataLevel: dataLevel)
        bS = .allocate(capacity: Self.fixedPerBlock)
        bE = .allocate(capacity: Self.fixedPerBlock)
        bV = .allocate(capacity: Self.fixedPerBlock)
        // Space for the header, zoom headers and total summary (written at close), then the chromosome tree.
        try sink.write([UInt8](repeating: 0, count: Self.headerSize + Self.zoomHeaderSize * levels.count + Self.summarySize))
        chromTreeOffset = sink.offset
        try sink.write(chromosomeTree())
        dataOffset = sink.offset
        try sink.write([UInt8](repeating: 0, count: 8))
    }

    deinit {
        abandon()
        bS.deallocate(); bE.deallocate(); bV.deallocate()
    }

    // MARK: adding intervals

    /// Appends the intervals `starts[i]..<ends[i]` of `chrom` with `values[i]` for i < count;
    /// chromosomes come in header order, intervals sorted and non-overlapping within each. The
    /// common interval (the next of a fixed-step block, inside the open zoom bin) costs a few
    /// comparisons and stores.
    func add(chrom: String, starts: UnsafePointer<UInt32>, ends: UnsafePointer<UInt32>, values: UnsafePointer<Float>,
             count: Int) throws {
        guard count > 0 else { return }
        // The chromosome changes rarely: compare names before hashing one.
        if chrom != currentName {
            guard let r = rank[chrom] else { throw DragonnError(file: path, "chromosome \(chrom) is not in the bigWig header") }
            guard r > current else { throw DragonnError(file: path, "internal: chromosome \(chrom) out of header order") }
            try endChromosome()
            current = r; lastEnd = 0; currentName = chrom
        }
        let length = UInt32(chromosomes[current].length)
        // The hot state in locals (no exclusivity checks, registers); written back around the slow paths.
        var last = lastEnd, a = acc0, aEnd = binEnd, n = bN, fx = fixed, rn = run
        let cap = Self.fixedPerBlock - 1
        defer { lastEnd = last; acc0 = a; binEnd = aEnd; bN = n; fixed = fx; run = rn }
        for i in 0..<count {
            let s = starts[i], e = ends[i], v = values[i]
            guard s >= last, e > s, e <= length else {
                throw DragonnError(file: path, "internal: interval \(chrom):\(s)-\(e) overlaps or precedes the previous one, or runs off the chromosome")
            }
            last = e
            if a.active && e <= aEnd {
                let len = Double(e &- s), dv = Double(v)
                a.end = e
                a.count &+= UInt64(e &- s)
                a.sum += dv * len; a.sumSq += dv * dv * len
                if v < a.minV { a.minV = v }
                if v > a.maxV { a.maxV = v }
            } else {
                acc0 = a; binEnd = aEnd
                try summarise(s, e, v)
                a = acc0; aEnd = binEnd
            }
            if fx && n > 0 && n < cap && s == bE[n &- 1] && e &- s == bE[n &- 1] &- bS[n &- 1] {
                bS[n] = s; bE[n] = e; bV[n] = v
                n &+= 1; rn &+= 1
            } else {
                bN = n; fixed = fx; run = rn
                try append(s, e, v)
                n = bN; fx = fixed; rn = run
            }
        }
    }

    /// Appends one interval to the open block, deciding the block's kind: a fixed-step block
    /// broken after 16 intervals is written, a shorter one becomes bedGraph; 64 back-to-back
    /// intervals of one span inside a bedGraph block start a fixed-step block.
    private func append(_ s: UInt32, _ e: UInt32, _ v: Float) throws {
        if bN > 0 {
            let back = s == bE[bN - 1] && e - s == bE[bN - 1] - bS[bN - 1]
            run = back ? run + 1 : 1
            if fixed && !back {
                if bN >= 16 { try flushBlock(bN) } else { fixed = false }
            } else if !fixed && run >= 64 {
                try flushBlock(bN - (run - 1))
            }
        } else {
            run = 1
        }
        bS[bN] = s; bE[bN] = e; bV[bN] = v
        bN += 1
        if bN >= (fixed ? Self.fixedPerBlock : Self.itemsPerSlot) { try flushBlock(bN) }
    }

    /// The open block's first `k` intervals as one section (fixed-step when the block is fixed,
    /// else bedGraph) queued for the file; the intervals after them (a run of one span) open
    /// the next block, fixed-step.
    private func flushBlock(_ k: Int) throws {
        guard k > 0 else { fixed = true; return }
        let isFixed = fixed && k >= 2
        let span = bE[0] - bS[0]
        var raw: [UInt8] = []
        raw.reserveCapacity(24 + k * (isFixed ? 4 : 12))
        put(&raw, UInt32(current)); put(&raw, bS[0]); put(&raw, bE[k - 1])
        put(&raw, isFixed ? span : 0); put(&raw, isFixed ? span : 0)
        raw.append(isFixed ? 3 : 1); raw.append(0); put(&raw, UInt16(k))
        if isFixed {
            raw.append(contentsOf: UnsafeRawBufferPointer(start: bV, count: 4 * k))
        } else {
            for i in 0..<k { put(&raw, bS[i]); put(&raw, bE[i]); put(&raw, bV[i].bitPattern) }
        }
        try queue(Job(level: -1, chrom: UInt32(current), start: bS[0], end: bE[k - 1], raw: raw))
        let rest = bN - k
        if rest > 0 { bS.update(from: bS + k, count: rest); bE.update(from: bE + k, count: rest); bV.update(from: bV + k, count: rest) }
        bN = rest
        fixed = true
    }

    private func endChromosome() throws {
        try flushBlock(bN)
        run = 0
        for k in levels.indices where k == 0 ? acc0.active : levels[k].acc.active { try closeRecord(k) }
        for k in levels.indices { try flushZoomBlock(k) }
    }

    // MARK: zoom levels

    /// Adds `s..<e` at `v` to the finest zoom level, bin by bin (the slow path: a bin changes).
    private func summarise(_ s: UInt32, _ e: UInt32, _ v: Float) throws {
        guard let finest = levels.first else { binEnd = 0; return }
        let r = finest.reduction, chrom = UInt32(current)
        var a = s
        while a < e {
            let bin = a / r
            let end = UInt64(bin + 1) * UInt64(r)
            let b = UInt32(min(UInt64(e), end))
            if acc0.active && (acc0.bin != bin || acc0.chrom != chrom) { try closeRecord(0) }
            if !acc0.active { acc0 = Summary(active: true, chrom: chrom, bin: bin, start: a, end: b) }
            binEnd = UInt32(min(end, UInt64(UInt32.max)))
            let n = Double(b - a), dv = Double(v)
            acc0.end = b
            acc0.count += UInt64(b - a)
            acc0.sum += dv * n; acc0.sumSq += dv * dv * n
            if v < acc0.minV { acc0.minV = v }
            if v > acc0.maxV { acc0.maxV = v }
            a = b
        }
    }

    /// Writes level k's open record and folds it into level k+1 (whose bins hold 4 of k's).
    private func closeRecord(_ k: Int) throws {
        let level = levels[k]
        let a = k == 0 ? acc0 : level.acc
        if k == 0 { acc0.active = false } else { level.acc.active = false }
        if level.recordCount == 0 { level.first = (a.chrom, a.start) }
        level.last = (a.chrom, a.end)
        let fields: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (a.chrom.littleEndian, a.start.littleEndian, a.end.littleEndian, UInt32(a.count).littleEndian,
             a.minV.bitPattern.littleEndian, a.maxV.bitPattern.littleEndian,
             Float(a.sum).bitPattern.littleEndian, Float(a.sumSq).bitPattern.littleEndian)
        withUnsafeBytes(of: fields) { level.records.append(contentsOf: $0) }
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

    // MARK: output

    /// Collects blocks into batches of ~2 MB for the sink.
    private func queue(_ job: Job) throws {
        pendingBytes += job.raw.count
        jobs.append(job)
        if pendingBytes >= 1 << 21 { try submit() }
    }

    private func submit() throws {
        guard !jobs.isEmpty else { return }
        try sink.submit(jobs)
        jobs = []
        pendingBytes = 0
    }

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
    fileprivate static func rTree(_ entries: [Entry], at: UInt64, endOfData: UInt64) -> [UInt8] {
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
        guard sink.isOpen else { return }
        try endChromosome()
        try submit()
        try sink.drain()
        let indexOffset = sink.offset
        try sink.write(Self.rTree(sink.dataIndex, at: indexOffset, endOfData: indexOffset))
        var zoomHeaders: [UInt8] = []
        for (k, level) in levels.enumerated() {
            let zoomData = sink.offset
            try sink.write(withUnsafeBytes(of: level.total.littleEndian) { Array($0) })
            let base = sink.offset
            try sink.copySpool(k)
            let shifted = sink.zoomIndex[k].map { Entry(chrom: $0.chrom, start: $0.start, end: $0.end, offset: $0.offset + base, size: $0.size) }
            let zoomIndex = sink.offset
            try sink.write(Self.rTree(shifted, at: zoomIndex, endOfData: zoomIndex))
            put(&zoomHeaders, level.reduction); put(&zoomHeaders, UInt32(0)); put(&zoomHeaders, zoomData); put(&zoomHeaders, zoomIndex)
        }
        try sink.write(withUnsafeBytes(of: UInt32(0x888F_FC26).littleEndian) { Array($0) })
        // Header, zoom headers, total summary, block count.
        var head: [UInt8] = []
        put(&head, UInt32(0x888F_FC26)); put(&head, UInt16(4)); put(&head, UInt16(levels.count))
        put(&head, chromTreeOffset); put(&head, dataOffset); put(&head, indexOffset)
        put(&head, UInt16(0)); put(&head, UInt16(0)); put(&head, UInt64(0))
        put(&head, UInt64(Self.headerSize + Self.zoomHeaderSize * levels.count))
        put(&head, UInt32(max(sink.maxRaw, 1 << 15))); put(&head, UInt64(0))
        head += zoomHeaders
        let covered = total.count > 0
        put(&head, total.count)
        put(&head, (covered ? Double(total.minV) : 0).bitPattern); put(&head, (covered ? Double(total.maxV) : 0).bitPattern)
        put(&head, total.sum.bitPattern); put(&head, total.sumSq.bitPattern)
        try sink.finish(header: head, blockCountAt: dataOffset)
    }

    /// Closes without caring about the content (the transaction removes the file).
    func abandon() { sink.abandon() }
}

/// Where a bigWig's blocks go: the file (data blocks, in order) and one temporary spool per
/// zoom level, each with its block index. Batches are deflated and written on a serial background
/// queue (both cores deflate a batch) while the caller goes on; at most two batches wait, so
/// memory stays bounded.
private final class BlockSink: @unchecked Sendable {
    let path: String
    private var out: UnsafeMutablePointer<FILE>?
    private var spools: [UnsafeMutablePointer<FILE>]
    private var spoolSize: [UInt64]
    private(set) var offset: UInt64 = 0
    private(set) var dataIndex: [BigWigFile.Entry] = []
    private(set) var zoomIndex: [[BigWigFile.Entry]]
    private(set) var maxRaw = 0
    private let background = DispatchQueue(label: "dragonn.bigwig-deflate")
    private let slots = DispatchSemaphore(value: 2)
    private let lock = NSLock()
    private var failure: DragonnError?
    private let workers = max(1, min(2, ProcessInfo.processInfo.activeProcessorCount))
    /// libdeflate compressors per deflating stripe, for data blocks and for zoom blocks (a
    /// compressor is not thread-safe; batches run one at a time on `background`, so stripe w
    /// always has compressors w to itself).
    private var dataCompressors: [OpaquePointer] = [], zoomCompressors: [OpaquePointer] = []

    init(temporary: String, path: String, levels: Int, dataLevel: Int) throws {
        self.path = path
        for _ in 0..<workers {
            guard let d = libdeflate_alloc_compressor(Int32(dataLevel)), let z = libdeflate_alloc_compressor(1) else {
                for c in dataCompressors + zoomCompressors { libdeflate_free_compressor(c) }
                throw DragonnError(file: path, "cannot allocate a deflate compressor")
            }
            dataCompressors.append(d); zoomCompressors.append(z)
        }
        var made: [UnsafeMutablePointer<FILE>] = []
        for _ in 0..<levels {
            guard let f = tmpfile() else {
                for s in made { fclose(s) }
                throw DragonnError(file: path, "cannot create a temporary file for the bigWig zoom levels")
            }
            made.append(f)
        }
        guard let f = fopen(temporary, "w+b") else {
            for s in made { fclose(s) }
            throw DragonnError(file: path, "cannot create the bigWig file")
        }
        setvbuf(f, nil, _IOFBF, 1 << 20)
        out = f
        spools = made
        spoolSize = [UInt64](repeating: 0, count: levels)
        zoomIndex = [[BigWigFile.Entry]](repeating: [], count: levels)
    }

    deinit { for c in dataCompressors + zoomCompressors { libdeflate_free_compressor(c) } }

    var isOpen: Bool { out != nil }

    /// Writes `bytes` at the end of the file (the caller's thread; no batch in flight).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let out else { throw DragonnError(file: path, "internal: bigWig file already closed") }
        guard bytes.count == 0 || fwrite(bytes.baseAddress, 1, bytes.count, out) == bytes.count else {
            throw DragonnError(file: path, "cannot write the bigWig file")
        }
        offset += UInt64(bytes.count)
    }

    func write(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try write($0) } }

    /// Hands a batch of blocks over, deflated and written in the background in submission
    /// order. Throws the first failure of an earlier batch.
    func submit(_ jobs: [BigWigFile.Job]) throws {
        if let failure = lock.withLock({ failure }) { throw failure }
        slots.wait()
        background.async { [self] in
            defer { slots.signal() }
            guard lock.withLock({ failure == nil }) else { return }
            do { try deflateAndPlace(jobs) } catch {
                let e = error as? DragonnError ?? DragonnError(file: path, "cannot write the bigWig file")
                lock.withLock { failure = e }
            }
        }
    }

    /// Waits for the batches in flight; throws the first failure.
    func drain() throws {
        background.sync {}
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Deflates the batch on both cores, then writes the blocks in order.
    private func deflateAndPlace(_ jobs: [BigWigFile.Job]) throws {
        let n = jobs.count
        let bounds = jobs.map { libdeflate_zlib_compress_bound($0.level < 0 ? dataCompressors[0] : zoomCompressors[0], $0.raw.count) }
        var starts = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { starts[i + 1] = starts[i] + bounds[i] }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, starts[n]))
        defer { buffer.deallocate() }
        let sizes = UnsafeMutablePointer<Int>.allocate(capacity: n)
        defer { sizes.deallocate() }
        nonisolated(unsafe) let buf = buffer, sz = sizes
        let offsets = starts, stripes = min(workers, n)
        nonisolated(unsafe) let ds = dataCompressors, zs = zoomCompressors
        DispatchQueue.concurrentPerform(iterations: stripes) { w in
            var i = w
            while i < n {
                sz[i] = jobs[i].raw.withUnsafeBufferPointer { deflateBlock(jobs[i].level < 0 ? ds[w] : zs[w], $0, into: buf + offsets[i], capacity: bounds[i]) }
                i += stripes
            }
        }
        for i in 0..<n {
            guard sizes[i] >= 0 else { throw DragonnError(file: path, "cannot compress a bigWig block") }
            maxRaw = max(maxRaw, jobs[i].raw.count)
            try place(jobs[i], UnsafeRawBufferPointer(start: buffer + starts[i], count: sizes[i]))
        }
    }

    /// Writes one block's bytes to the file or its level's spool and indexes it.
    private func place(_ job: BigWigFile.Job, _ bytes: UnsafeRawBufferPointer) throws {
        if job.level < 0 {
            dataIndex.append(BigWigFile.Entry(chrom: job.chrom, start: job.start, end: job.end, offset: offset, size: UInt64(bytes.count)))
            try write(bytes)
        } else {
            let k = job.level
            zoomIndex[k].append(BigWigFile.Entry(chrom: job.chrom, start: job.start, end: job.end, offset: spoolSize[k], size: UInt64(bytes.count)))
            guard fwrite(bytes.baseAddress, 1, bytes.count, spools[k]) == bytes.count else {
                throw DragonnError(file: path, "cannot write a temporary file for the bigWig zoom levels")
            }
            spoolSize[k] += UInt64(bytes.count)
        }
    }

    /// Appends zoom level k's spooled blocks to the file.
    func copySpool(_ k: Int) throws {
        let spool = spools[k]
        fflush(spool)
        rewind(spool)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var left = spoolSize[k]
        while left > 0 {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, Int(min(left, 1 << 20)), spool) }
            guard n > 0 else { throw DragonnError(file: path, "cannot read back the bigWig zoom levels") }
            try chunk.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            left -= UInt64(n)
        }
    }

    /// Writes `header` at the start of the file and the data block count at `blockCountAt`, and closes.
    func finish(header: [UInt8], blockCountAt: UInt64) throws {
        guard let f = out else { return }
        guard fflush(f) == 0, fseeko(f, 0, SEEK_SET) == 0,
              header.withUnsafeBytes({ fwrite($0.baseAddress, 1, $0.count, f) }) == header.count,
              fseeko(f, off_t(blockCountAt), SEEK_SET) == 0,
              withUnsafeBytes(of: UInt64(dataIndex.count).littleEndian, { fwrite($0.baseAddress, 1, 8, f) }) == 8 else {
            throw DragonnError(file: path, "cannot write the bigWig header")
        }
        out = nil
        let rc = fclose(f)
        for s in spools { fclose(s) }
        guard rc == 0 else { throw DragonnError(file: path, "cannot write the bigWig file") }
    }

    /// Closes everything without finishing (after any batch in flight).
    func abandon() {
        background.sync {}
        if let f = out {
            out = nil
            fclose(f)
            for s in spools { fclose(s) }
        }
    }
}

/// Deflates `source` into `destination` as one zlib stream with `compressor`; its length, or -1.
/// (libdeflate at level 1 ran ~2.5x zlib's Huffman-only mode re-initialised per 16 KB block, at
/// the same size, on a prediction track's values; level 0 is a copy and a checksum.)
private func deflateBlock(_ compressor: OpaquePointer, _ source: UnsafeBufferPointer<UInt8>,
                          into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
    let n = libdeflate_zlib_compress(compressor, source.baseAddress, source.count, destination, capacity)
    return n > 0 ? n : -1
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
