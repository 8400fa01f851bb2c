// VCF/BCF through htslib: a reader that turns htslib's parse failures into one-line errors with the
// line number, and a writer that copies the input's header, declares the added INFO fields and
// writes VCF, BGZF VCF or BCF by the output's suffix (indexed after the fact when sorted).

import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An open VCF or BCF file (plain, gzip or BGZF; `-` = stdin) and its header.
final class VCFReader {
    let path: String
    let file: UnsafeMutablePointer<htsFile>
    let header: UnsafeMutablePointer<bcf_hdr_t>
    /// Records read so far.
    private(set) var records = 0
    let isText: Bool

    init(path: String) throws {
        self.path = path
        let level = hts_get_log_level()   // off for the whole set-up (withHTSLogSilenced cannot wrap an init's body)
        hts_set_log_level(HTS_LOG_OFF)
        defer { hts_set_log_level(level) }
        if path != "-" && !FileManager.default.fileExists(atPath: path) { throw DragonnError(file: path, "no such file") }
        guard let fp = hts_open(path, "r") else { throw DragonnError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        let format = hts_get_format(fp).pointee
        guard format.category == variant_data else {
            hts_close(fp)
            throw DragonnError(file: path, line: 1, "not a VCF or BCF file (a VCF starts with a ##fileformat=VCF line)")
        }
        guard let h = bcf_hdr_read(fp) else {
            hts_close(fp)
            throw DragonnError(file: path, "not a valid VCF/BCF header (##fileformat, ## lines, then the #CHROM line)")
        }
        file = fp
        header = h
        isText = format.format == vcf
    }

    deinit {
        bcf_hdr_destroy(header)
        hts_close(file)
    }

    /// The sequence names the header declares (##contig lines), in header order.
    var contigs: [String] {
        var n: Int32 = 0
        guard let names = bcf_hdr_seqnames(header, &n) else { return [] }
        defer { free(names) }
        return (0..<Int(n)).map { String(cString: names[$0]!) }
    }

    /// Number of header dictionary entries (INFO/FORMAT/FILTER ids, contigs); htslib adds entries
    /// when a record uses an undeclared tag or contig.
    var dictionarySize: (Int32, Int32) { (header.pointee.n.0, header.pointee.n.1) }

    /// Reads the next record into `rec` (CHROM to ALT unpacked); false at the end of the file.
    func read(into rec: UnsafeMutablePointer<bcf1_t>) throws -> Bool {
        let rc = withHTSLogSilenced { bcf_read(file, header, rec) }
        if rc == -1 { return false }
        let line = isText ? Int(file.pointee.lineno) : nil
        // An undeclared contig or tag is only a warning: htslib declares it in the header itself.
        let warnings = Int32(BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF)
        if rc == 0 && rec.pointee.errcode & ~warnings == 0 { rec.pointee.errcode = 0 }
        guard rc == 0, rec.pointee.errcode == 0 else {
            throw DragonnError(file: path, line: line, isText ? problemWithLine() : "cannot read BCF record \(records + 1) (truncated or corrupt?)")
        }
        // htslib reads a POS that is not a number as 0 without complaint.
        if isText && rec.pointee.pos < 0 {
            throw DragonnError(file: path, line: line, "POS is not a position (a number from 1)")
        }
        guard bcf_unpack(rec, BCF_UN_STR) == 0 else {
            throw DragonnError(file: path, line: line, "cannot unpack the record")
        }
        records += 1
        return true
    }

    /// Why the text line htslib just failed on is not a VCF record.
    private func problemWithLine() -> String {
        let text = file.pointee.line.s.map { String(cString: $0) } ?? ""
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
        if fields.count < 8 { return "not a VCF record: \(fields.count) tab-separated columns, expected at least 8 (CHROM POS ID REF ALT QUAL FILTER INFO)" }
        if Int(fields[1]).map({ $0 < 1 }) ?? true { return "POS '\(fields[1].prefix(40))' is not a position (a number from 1)" }
        if fields[3].isEmpty || fields[3] == "." { return "REF is empty" }
        return "not a valid VCF record"
    }
}

/// Where the VCF writer puts its output and in which form (from the path's suffix).
enum VCFOutputKind {
    case vcf, bgzf, bcf

    init(path: String) {
        if path.hasSuffix(".bcf") { self = .bcf }
        else if path.hasSuffix(".gz") || path.hasSuffix(".bgz") { self = .bgzf }
        else { self = .vcf }
    }

    /// hts_open's mode. BGZF at level 1: the default level took 2.8 µs of CPU per record of
    /// `dragonn-predict --vcf` output (more than scoring a dense SNV's cone), level 1 a fifth of
    /// that, for a file ~20% larger (`bcftools view -Oz` recompresses it at the default level).
    var mode: String {
        switch self { case .vcf: "w"; case .bgzf: "wz1"; case .bcf: "wb1" }
    }
}

/// A VCF/BCF output: the input's header plus declared lines, records written through htslib.
final class VCFWriter {
    let path: String
    let header: UnsafeMutablePointer<bcf_hdr_t>
    private var file: UnsafeMutablePointer<htsFile>?
    private let kind: VCFOutputKind
    /// The name htslib writes (a temporary of the output transaction, or the path itself).
    private let target: String
    private var headerWritten = false
    private var inputDictionary: (Int32, Int32)
    /// Sortedness of what was written (an index needs sorted records).
    private(set) var sorted = true
    private var last: (rid: Int32, pos: Int) = (-1, -1)
    private var ridsSeen = Set<Int32>()

    /// A writer for `path`, registered in `outputs`; `headerLines` are appended to a copy of the
    /// input's header (`##INFO=<...>` etc.). `.vcf.gz`/`.bcf` file outputs get an index at commit
    /// when their records are sorted (a note is printed otherwise); `longChromosomes` (a sequence
    /// longer than 2^29) makes a `.vcf.gz` index CSI instead of TBI.
    init(path: String, input: VCFReader, headerLines: [String], outputs: OutputTransaction, threads: Int,
         longChromosomes: Bool, note: @escaping (String) -> Void) throws {
        self.path = path
        kind = path == "-" ? .vcf : VCFOutputKind(path: path)
        guard let h = bcf_hdr_dup(input.header) else { throw DragonnError(file: path, "cannot copy the VCF header") }
        header = h
        inputDictionary = input.dictionarySize
        for line in headerLines {
            guard bcf_hdr_append(h, line) == 0 else { throw DragonnError(file: path, "cannot add header line \(line)") }
        }
        guard bcf_hdr_sync(h) == 0 else { throw DragonnError(file: path, "cannot build the output header") }
        let regular = path != "-" && !FileIdentity.isSpecial(path)
        let indexed = regular && kind != .vcf
        var closeFile: () throws -> Void = {}
        target = try outputs.openExternal(path, finish: { try closeFile() })
        guard let fp = hts_open(target, kind.mode) else {
            throw DragonnError(file: path, "cannot create: \(String(cString: strerror(errno)))")
        }
        file = fp
        if threads > 1 && kind != .vcf { hts_set_threads(fp, Int32(min(threads, 4))) }
        closeFile = { [unowned self] in try self.close() }
        if indexed {
            // TBI for BGZF VCF unless a chromosome is longer than 2^29 (then CSI); BCF is always CSI.
            let csi = kind == .bcf || longChromosomes
            let vcfTarget = target, index = path + (csi ? ".csi" : ".tbi")
            var indexTarget = ""
            indexTarget = try outputs.openExternal(index, optional: true, finish: { [unowned self] in
                guard self.sorted else {
                    note("\(self.path): not indexed: the records are not sorted by position (bcftools sort, then bcftools index)")
                    return
                }
                try VCFWriter.buildIndex(vcfTarget, csi: csi, threads: threads, for: self.path, into: indexTarget)
            })
        }
    }

    deinit {
        if let file { hts_close(file) }
        bcf_hdr_destroy(header)
    }

    private static func buildIndex(_ target: String, csi: Bool, threads: Int, for path: String, into indexTarget: String) throws {
        let rc = withHTSLogSilenced { bcf_index_build3(target, indexTarget, csi ? 14 : 0, Int32(max(0, min(threads, 4) - 1))) }
        guard rc == 0 else { throw DragonnError(file: path, "cannot build the \(csi ? "CSI" : "tabix") index (rc \(rc))") }
    }

    /// Makes `rec` (read with `input`'s header) valid under this writer's header; call before
    /// setting INFO with it. Tags and contigs htslib declared in the input's header while parsing
    /// (undeclared in the file) are merged into ours: before the header is written, into the
    /// header; after, only VCF text can still name them (BCF refers to them by header number).
    func adopt(_ rec: UnsafeMutablePointer<bcf1_t>, input: VCFReader) throws {
        if input.dictionarySize != inputDictionary {
            if headerWritten && kind == .bcf {
                throw DragonnError(file: input.path, line: input.isText ? Int(input.file.pointee.lineno) : nil,
                                   "a tag or contig not declared in the header, first used after the first batch: declare it in the header, or write .vcf/.vcf.gz instead of BCF")
            }
            inputDictionary = input.dictionarySize
            guard bcf_hdr_merge(header, input.header) != nil, bcf_hdr_sync(header) == 0 else {
                throw DragonnError(file: path, "cannot merge the input's header")
            }
            // bcf_translate caches its id table in the input header, sized on its first call: the
            // ids htslib added since were looked up past its end (garbage contig ids). Rebuild it.
            free(input.header.pointee.transl.0); free(input.header.pointee.transl.1)
            input.header.pointee.transl = (nil, nil); input.header.pointee.ntransl = 0
        }
        guard bcf_translate(header, input.header, rec) == 0 else {
            throw DragonnError(file: input.path, "cannot translate record at \(String(cString: bcf_seqname(input.header, rec))):\(rec.pointee.pos + 1) to the output header")
        }
    }

    /// Writes `rec` (made valid by `adopt`), the header first.
    func write(_ rec: UnsafeMutablePointer<bcf1_t>) throws {
        guard let file else { throw DragonnError(file: path, "write after close") }
        if !headerWritten {
            guard bcf_hdr_write(file, header) == 0 else { throw DragonnError(file: path, "cannot write the header") }
            headerWritten = true
        }
        let rid = rec.pointee.rid, pos = Int(rec.pointee.pos)
        if rid != last.rid {
            if ridsSeen.contains(rid) { sorted = false }
            ridsSeen.insert(rid)
        } else if pos < last.pos { sorted = false }
        last = (rid, pos)
        guard bcf_write(file, header, rec) == 0 else {
            throw DragonnError(file: path, "write failed\(errno != 0 ? ": " + String(cString: strerror(errno)) : "")")
        }
    }

    /// Writes the header, if no record did (an empty input), flushes and closes the file (the
    /// transaction then renames it into place).
    func close() throws {
        guard let f = file else { return }
        if !headerWritten {
            guard bcf_hdr_write(f, header) == 0 else { throw DragonnError(file: path, "cannot write the header") }
            headerWritten = true
        }
        file = nil
        guard hts_close(f) == 0 else { throw DragonnError(file: path, "write failed (disk full?)") }
    }
}
