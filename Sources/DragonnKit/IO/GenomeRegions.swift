import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A reference genome read through htslib faidx (plain FASTA or BGZF-compressed FASTA).
/// The `.fai` (and `.gzi`) index is built beside the genome when missing and the folder is writable.
public final class Genome {
    /// The genome path as given.
    public let path: String
    private let fai: OpaquePointer
    private var lengths: [String: Int] = [:]
    private var isBGZF = false

    /// Opens `path`, building its index when it is missing.
    public init(path: String) throws {
        self.path = path
        let fm = FileManager.default
        guard path != "-" else { throw DragonnError(file: path, "a genome must be a file (faidx cannot read stdin)") }
        guard fm.fileExists(atPath: path) else { throw DragonnError(file: path, "no such file") }
        // A gzip genome must be BGZF (bgzip) for random access.
        // (Silenced: on a damaged first block htslib prints its own line before our one-line error.)
        let compression: Int32? = withHTSLogSilenced {
            guard let probe = bgzf_open(path, "r") else { return nil }
            defer { bgzf_close(probe) }
            return Int32(bgzf_compression(probe))
        }
        if let compression {
            isBGZF = compression == 2
            if compression == 1 {
                throw DragonnError(file: path, "genome is plain gzip, not BGZF, so it cannot be read by position: "
                                   + "recompress it with bgzip (gzip -dc \(path) | bgzip > NEW.fa.gz) or decompress it (gzip -d)")
            }
        }
        let stale = Genome.indexIsStale(genome: path)
        let needsIndex = stale || !fm.fileExists(atPath: path + ".fai")
        if needsIndex {
            let folder = (path as NSString).deletingLastPathComponent
            guard fm.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
                throw DragonnError(file: path, stale
                    ? "its index \(path).fai is older than the genome and the folder is not writable to rebuild it (run samtools faidx)"
                    : "no index \(path).fai and the folder is not writable to build one (run samtools faidx)")
            }
        }
        if stale { try Genome.rebuildIndex(genome: path) }
        let loaded = withHTSLogSilenced { fai_load3(path, nil, nil, Int32(FAI_CREATE.rawValue)) }
        guard let loaded else {
            throw DragonnError(file: path, needsIndex ? "cannot build a faidx index (is it FASTA?)" : "cannot load its faidx index \(path).fai")
        }
        fai = loaded
    }

    deinit {
        fai_destroy(fai)
        if let bulk { bgzf_close(bulk) }
    }

    /// True when `genome.fai` (or, for BGZF, `genome.gzi`) exists but was written before the genome
    /// was last modified: its offsets would silently return other bases.
    static func indexIsStale(genome: String) -> Bool {
        func modified(_ p: String) -> timespec? {
            var st = stat()
            return stat(p, &st) == 0 ? st.st_mtim : nil
        }
        guard let g = modified(genome) else { return false }
        for index in [genome + ".fai", genome + ".gzi"] {
            if let i = modified(index), (i.tv_sec, i.tv_nsec) < (g.tv_sec, g.tv_nsec) { return true }
        }
        return false
    }

    /// Rebuilds the faidx index (and BGZF `.gzi`) into temporaries renamed over the stale ones.
    static func rebuildIndex(genome: String) throws {
        let tag = ".dragonn-\(getpid())"
        let fai = genome + ".fai", gzi = genome + ".gzi"
        let built = withHTSLogSilenced { fai_build3(genome, fai + tag, gzi + tag) }
        guard built == 0 else {
            unlink(fai + tag); unlink(gzi + tag)
            throw DragonnError(file: genome, "its index \(fai) is older than the genome and rebuilding it failed (is it FASTA?)")
        }
        rename(fai + tag, fai)
        if access(gzi + tag, F_OK) == 0 { rename(gzi + tag, gzi) }
    }

    /// Sequence names in index order.
    public var chromosomes: [String] {
        (0..<Int(faidx_nseq(fai))).map { String(cString: faidx_iseq(fai, Int32($0))) }
    }

    /// Length of `chrom`, or nil when the genome has no such sequence.
    public func length(of chrom: String) -> Int? {
        if let n = lengths[chrom] { return n }
        let n = Int(faidx_seq_len(fai, chrom))
        guard n >= 0 else { return nil }
        lengths[chrom] = n
        return n
    }

    /// Checks that `region` lies on a chromosome of this genome; the message names no file (callers add it).
    public func problem(with region: GenomicRegion) -> String? {
        guard let n = length(of: region.chrom) else {
            return "chromosome '\(region.chrom)' is not in the genome \(path)"
        }
        if region.start < 0 || region.end > n {
            return "region \(region) runs off chromosome \(region.chrom) (length \(n))"
        }
        return nil
    }

    /// `.fai` rows by name: offset of the first base, bases per line, bytes per line.
    private lazy var layout: [String: (offset: Int, lineBases: Int, lineBytes: Int)] = {
        var rows: [String: (offset: Int, lineBases: Int, lineBytes: Int)] = [:]
        guard let text = try? String(contentsOfFile: path + ".fai", encoding: .utf8) else { return rows }
        for line in text.split(separator: "\n") {
            let f = line.split(separator: "\t")
            guard f.count >= 5, let o = Int(f[2]), let b = Int(f[3]), let w = Int(f[4]), b > 0, w >= b else { continue }
            rows[String(f[0])] = (o, b, w)
        }
        return rows
    }()
    /// A second handle on the genome for bulk reads (BGZF with its `.gzi`, or plain), opened on first use.
    private var bulk: UnsafeMutablePointer<BGZF>?
    private var bulkFailed = false

    /// All bases of chromosome `chrom` (as stored, line breaks removed), read in bulk: one seek to
    /// its `.fai` offset and large reads decompressed on two threads, instead of faidx's
    /// byte-at-a-time reads. Falls back to faidx when the layout is not the `.fai`'s.
    public func chromosome(_ chrom: String) throws -> [UInt8] {
        guard let n = length(of: chrom) else { throw DragonnError("chromosome '\(chrom)' is not in the genome \(path)") }
        try checkDeclaredLength(chrom, n)
        if n > 0, let span = bulkSpan(chrom) {
            // Uninitialised: the read fills every byte it keeps (zero-filling first cost a pass).
            var ok = false
            let bases = [UInt8](unsafeUninitializedCapacity: span) { buf, initialized in
                ok = bulkRead(chrom, length: n, into: buf.baseAddress!)
                initialized = ok ? n : 0
            }
            if ok { return bases }
        }
        var out = [UInt8]()
        try fetch(GenomicRegion(chrom: chrom, start: 0, end: n)) { out = Array($0) }
        return out
    }

    /// Chromosome `chrom`'s bases (as `chromosome` reads them) in a `MappedBuffer` of its own,
    /// which the training-set job holds between its passes.
    func chromosomeBuffer(_ chrom: String) throws -> MappedBuffer {
        guard let n = length(of: chrom) else { throw DragonnError("chromosome '\(chrom)' is not in the genome \(path)") }
        try checkDeclaredLength(chrom, n)
        if n > 0, let row = layout[chrom], let span = bulkSpan(chrom), row.offset >= 0, row.offset <= Int.max - span,
           let reader = blockReader {
            let buffer = MappedBuffer(count: n)
            if Self.readBases(reader, layout: row, count: n, span: span, into: buffer.base) { return buffer }
        }
        if n > 0, let span = bulkSpan(chrom) {
            let buffer = MappedBuffer(count: span)
            if bulkRead(chrom, length: n, into: buffer.base) { buffer.shrink(to: n); return buffer }
        }
        let buffer = MappedBuffer(count: n)
        if n > 0 {
            try fetch(GenomicRegion(chrom: chrom, start: 0, end: n)) { buffer.base.update(from: $0.baseAddress!, count: n) }
        }
        return buffer
    }

    /// Block reader of a BGZF genome with its `.gzi` (nil otherwise), made on first use.
    private lazy var blockReader: BGZFRangeReader? = isBGZF ? BGZFRangeReader(path: path) : nil

    /// The `count` bases of one sequence laid out as its `.fai` row says (`span` bytes from the
    /// row's offset: `bulkSpan`), read through `reader` into `out`: each decompressed block's line payloads go straight to their place, checked
    /// as they are copied (faidx keeps only printable non-space bytes: anything else means the
    /// file's layout is not the index's, and the caller reads another way).
    private static func readBases(_ reader: BGZFRangeReader, layout row: (offset: Int, lineBases: Int, lineBytes: Int),
                                  count n: Int, span: Int, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        let lineBases = row.lineBases, lineBytes = row.lineBytes, origin = row.offset
        return reader.read(from: origin, to: origin + span) { at, bytes in
            var rel = at - origin, i = 0
            var worst: UInt8 = 0   // byte - 33 wraps below 33; printable is 0...93
            let src = bytes.baseAddress!
            while i < bytes.count {
                let column = rel % lineBytes
                if column < lineBases {
                    let k = min(lineBases - column, bytes.count - i)
                    let dst = out + (rel / lineBytes * lineBases + column), from = src + i
                    for j in 0..<k { let b = from[j]; dst[j] = b; worst = max(worst, b &- 33) }
                    i += k; rel += k
                } else {
                    let skip = min(lineBytes - column, bytes.count - i)
                    i += skip; rel += skip
                }
            }
            return worst <= 93
        }
    }

    /// Bytes the bulk read of `chrom` spans in the file (bases and line ends), or nil when the
    /// `.fai` has no row for it or its numbers overflow.
    private func bulkSpan(_ chrom: String) -> Int? {
        guard let row = layout[chrom], let n = length(of: chrom) else { return nil }
        let (lines, overflow) = (n / row.lineBases).multipliedReportingOverflow(by: row.lineBytes)
        guard !overflow, lines <= Int.max - row.lineBases else { return nil }
        return lines + n % row.lineBases
    }

    /// Throws when the `.fai` gives `chrom` more bases than the genome file can hold (an index
    /// of another file, or a crafted one), before anything of that size is allocated.
    private func checkDeclaredLength(_ chrom: String, _ n: Int) throws {
        let bound: Int
        if isBGZF {
            guard let reader = blockReader else { return }   // no .gzi: faidx reads, and fails, by itself
            bound = reader.uncompressedBound
        } else {
            var st = stat()
            guard stat(path, &st) == 0 else { return }
            bound = Int(st.st_size)
        }
        let start = layout[chrom]?.offset ?? 0
        if n > bound || start > bound - n {
            throw DragonnError(file: path, "its index says chromosome '\(chrom)' has \(n) bases, more than the file holds "
                               + "(is \(path).fai the index of another file? rebuild it with samtools faidx)")
        }
    }

    /// Reads the `n` bases of `chrom` into `out` (room for `bulkSpan(chrom)` bytes, which the
    /// read uses as scratch); false when the file's layout is not the `.fai`'s.
    private func bulkRead(_ chrom: String, length n: Int, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        // A damaged block is reported by the faidx fallback in one line, without htslib's own.
        withHTSLogSilenced { bulkReadBlocks(chrom, length: n, into: out) }
    }

    /// `bulkRead` with htslib's log as it is.
    private func bulkReadBlocks(_ chrom: String, length n: Int, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        guard let row = layout[chrom], let span = bulkSpan(chrom) else { return false }
        if bulk == nil && !bulkFailed {
            if let fp = bgzf_open(path, "r") {
                if bgzf_compression(fp) == 2 && bgzf_index_load(fp, path, ".gzi") != 0 {
                    bgzf_close(fp); bulkFailed = true
                } else {
                    // No bgzf_mt: htslib 1.16's threaded reader can hang in bgzf_useek after a
                    // damaged block (the genome fuzzer found it), and the block reader is the
                    // fast path now; this one is its fallback.
                    bulk = fp
                }
            } else { bulkFailed = true }
        }
        guard let fp = bulk else { return false }
        let ok = { () -> Bool in
            if bgzf_utell(fp) != off_t(row.offset) {
                guard bgzf_useek(fp, off_t(row.offset), SEEK_SET) == 0 else { return false }
            }
            var done = 0
            while done < span {
                let got = bgzf_read(fp, out + done, span - done)
                guard got > 0 else { return false }
                done += got
            }
            // Drop each line's terminator: keep lineBases bytes of every lineBytes.
            if row.lineBytes > row.lineBases {
                var to = row.lineBases, from = row.lineBytes
                while from < span {
                    let k = min(row.lineBases, span - from)
                    memmove(out + to, out + from, k)
                    to += k; from += row.lineBytes
                }
            }
            // faidx keeps only printable non-space bytes: anything else means another layout.
            var worst: UInt8 = 0   // byte - 33 wraps below 33; printable is 0...93
            for i in 0..<n { worst = max(worst, out[i] &- 33) }
            return worst <= 93
        }()
        if !ok { bgzf_close(fp); bulk = nil; bulkFailed = true }
        return ok
    }

    /// Bases of `region` (ASCII as stored in the genome), checked against chromosome bounds.
    public func fetch(_ region: GenomicRegion, into body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if let p = problem(with: region) { throw DragonnError(p) }
        if region.length == 0 { try body(UnsafeBufferPointer(start: nil, count: 0)); return }
        var got: hts_pos_t = 0
        // htslib would print its own line ("[E::fai_retrieve] ...") before our one-line error.
        let fetched = withHTSLogSilenced { faidx_fetch_seq64(fai, region.chrom, hts_pos_t(region.start), hts_pos_t(region.end - 1), &got) }
        guard let s = fetched, got == region.length else {
            throw DragonnError(file: path, "cannot read region \(region) (truncated or corrupt genome?)")
        }
        defer { free(s) }
        try s.withMemoryRebound(to: UInt8.self, capacity: Int(got)) {
            try body(UnsafeBufferPointer(start: $0, count: Int(got)))
        }
    }
}
