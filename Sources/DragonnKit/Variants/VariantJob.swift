import CHTSlib
import Foundation

/// What `dragonn-predict --vcf` does: scores every ALT allele of a VCF/BCF with a model against a
/// genome and writes the VCF back with the scores in INFO fields (or a TSV), streaming in batches.
///
/// INFO fields, each `Number=A`, per task T (the model's task name, characters other than
/// letters, digits, `_` and `.` replaced by `_`): `DRAGONN_REF_T` and `DRAGONN_ALT_T` (sigmoid
/// probability of the REF and the ALT window), `DRAGONN_DELTA_T` (logit(ALT) − logit(REF));
/// `DRAGONN_UNSCORED` gives, per ALT allele, why it was not scored (`VariantSkip`) or `.`.
/// Windows follow `VariantWindow`'s centring rule.
public struct VariantJob {
    public var modelPath: String
    public var genomePath: String
    public var vcfPath: String
    /// VCF (`.vcf`, `-`), BGZF VCF (`.vcf.gz`) or BCF (`.bcf`) by suffix; a TSV with `tsv`.
    public var output = "-"
    public var tsv = false
    /// A REF allele that differs from the genome is an error instead of an unscored record.
    public var strict = false
    /// Leave out records (TSV rows) with no scored allele.
    public var dropUnscored = false
    /// Largest fraction of N (non-ACGT) bases a REF window may hold and be scored.
    public var maxN = 0.1
    /// Records read, scored and written per batch (bounds memory).
    public var batchSize = 16384
    public var threads = 1
    /// Receives progress lines ("\r..."); nil for none.
    public var progress: ((String) -> Void)?
    /// When set, every scored allele goes here and no output is written (dragonn-attrib --vcf).
    var sink: ((ScoredAllele) -> Void)?

    public init(modelPath: String, genomePath: String, vcfPath: String) {
        self.modelPath = modelPath; self.genomePath = genomePath; self.vcfPath = vcfPath
    }

    /// Counts of one run.
    public struct Summary: Sendable {
        public var records = 0
        public var alleles = 0
        public var scored = 0
        public var skipped: [VariantSkip: Int] = [:]
        public var dropped = 0
    }

    /// INFO ID of a task name (VCF keys: letters, digits, `_`, `.`; not starting with a digit).
    public static func infoKey(_ field: String, task: String) -> String {
        let safe = String(task.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") ? $0 : "_" })
        return "DRAGONN_\(field)_\(safe)"
    }

    /// Runs the job; `note` receives notes and the summary (stderr in the tool).
    @discardableResult
    public func run(note: @escaping (String) -> Void) throws -> Summary {
        guard batchSize >= 1 else { throw DragonnError("--batch-size must be at least 1") }
        guard (0...1).contains(maxN) else { throw DragonnError("--max-n must be between 0 and 1") }
        let outputs = try OutputTransaction(inputs: [modelPath, genomePath, vcfPath], outputs: sink == nil ? [output] : [])
        let net = try SequenceDNN.load(path: modelPath)
        let arch = net.architecture, L = arch.seqLength, tasks = arch.numTasks
        let genome = try Genome(path: genomePath)
        let reader = try VCFReader(path: vcfPath)
        let chromosomes = genome.chromosomes
        let headerContigs = reader.contigs
        if !headerContigs.isEmpty && !headerContigs.contains(where: { genome.length(of: $0) != nil }) {
            throw DragonnError(file: vcfPath, VariantJob.namesDiffer(vcf: headerContigs, genome: chromosomes, genomePath: genomePath))
        }
        let keys = ["REF", "ALT", "DELTA"].map { f in arch.taskNames.map { VariantJob.infoKey(f, task: $0) } }
        var vcfWriter: VCFWriter?
        var tsvFile: OutputFile?
        if sink != nil {
        } else if tsv {
            let file = try outputs.open(output)
            var header = "chrom\tpos\tid\tref\talt"
            for t in arch.taskNames { header += "\t\(t)_ref\t\(t)_alt\t\(t)_delta" }
            try file.write(header + "\tstatus\n")
            tsvFile = file
        } else {
            var lines: [String] = []
            let declared = Set(headerContigs)
            for c in chromosomes where !declared.contains(c) {
                lines.append("##contig=<ID=\(c),length=\(genome.length(of: c) ?? 0)>")
            }
            for (ti, t) in arch.taskNames.enumerated() {
                lines.append("##INFO=<ID=\(keys[0][ti]),Number=A,Type=Float,Description=\"dragonn-predict: probability of task \(t) for the REF window\">")
                lines.append("##INFO=<ID=\(keys[1][ti]),Number=A,Type=Float,Description=\"dragonn-predict: probability of task \(t) for the ALT window\">")
                lines.append("##INFO=<ID=\(keys[2][ti]),Number=A,Type=Float,Description=\"dragonn-predict: logit(ALT) - logit(REF) of task \(t)\">")
            }
            let reasons = VariantSkip.allCases.map { "\($0.rawValue) (\($0.meaning))" }.joined(separator: "; ")
            lines.append("##INFO=<ID=DRAGONN_UNSCORED,Number=A,Type=String,Description=\"dragonn-predict: why the ALT allele was not scored, '.' when it was: \(reasons)\">")
            lines.append("##dragonn_predictWindow=<length=\(L),start=\"POS-1-\(L / 2)\",model=\"\((modelPath as NSString).lastPathComponent)\">")
            let long = chromosomes.contains { (genome.length(of: $0) ?? 0) > 1 << 29 }
            vcfWriter = try VCFWriter(path: output, input: reader, headerLines: lines, outputs: outputs,
                                      threads: threads, longChromosomes: long, note: note)
        }

        let prepared = PreparedModel(net)
        let nThreads = max(1, threads)
        let capacity = max(1 << 15, 4 * L)
        let scorers = (0..<nThreads).map { _ in VariantScorer(prepared, capacity: capacity) }
        // Two sets of records: while the scorers work on one batch (on their threads), this
        // thread writes the batch before it and reads and prepares the next one.
        let recordSets = (0..<2).map { _ in (0..<batchSize).map { _ in bcf_init()! } }
        var inflight: DispatchGroup?
        defer {
            inflight?.wait()
            for set in recordSets { for r in set { bcf_destroy(r) } }
        }
        var summary = Summary()
        var firstBatch = true
        var lastProgress = Date()
        var pending: (n: Int, records: [UnsafeMutablePointer<bcf1_t>], queries: [VariantQuery?], batch: VariantBatch)?
        var set = 0

        while true {
            // Read a batch.
            let records = recordSets[set]
            var n = 0
            var lines: [Int] = []
            var work = 0
            while n < batchSize, work < VariantJob.batchWork, try reader.read(into: records[n]) {
                lines.append(Int(reader.file.pointee.lineno))
                work += VariantJob.work(records[n], after: n > 0 ? records[n - 1] : nil, length: L)
                n += 1
            }
            var next: (n: Int, records: [UnsafeMutablePointer<bcf1_t>], queries: [VariantQuery?], batch: VariantBatch)?
            if n > 0 {
                var queries: [VariantQuery?] = []
                var chroms: [String] = []
                queries.reserveCapacity(n)
                for i in 0..<n {
                    let (q, chrom) = VariantJob.query(records[i], header: reader.header, genome: genome, length: L)
                    queries.append(q); chroms.append(chrom)
                }
                if firstBatch {
                    firstBatch = false
                    if !chroms.contains(where: { genome.length(of: $0) != nil }) {
                        var seen: [String] = []
                        for c in chroms where !seen.contains(c) { seen.append(c); if seen.count == 5 { break } }
                        throw DragonnError(file: vcfPath, VariantJob.namesDiffer(vcf: seen, genome: chromosomes, genomePath: genomePath))
                    }
                }
                let batch = try prepareBatch(queries: &queries, chroms: chroms, lines: lines, genome: genome,
                                             capacity: scorers[0].capacity, tasks: tasks, L: L)
                next = (n, records, queries, batch)
            }
            // The batch before this one: wait for its scores, start this one's, write it.
            inflight?.wait(); inflight = nil
            if let next {
                let group = DispatchGroup()
                let work = VariantBatchWork(batch: next.batch, scorers: scorers)
                DispatchQueue.global().async(group: group) { work.run() }
                inflight = group
            }
            defer { pending = next; set ^= 1 }
            guard let p = pending else {
                if n == 0 { break } else { continue }
            }
            do {
                let (n, records, queries, batch) = p
                let scored = batch.results(queries: queries, tasks: tasks)
                // Write in input order.
                for i in 0..<n {
                    let rec = records[i]
                    let q = queries[i]
                    let alleleCount = max(0, Int(rec.pointee.n_allele) - 1)
                    summary.records += 1
                    summary.alleles += alleleCount
                    var anyScored = false
                    for a in 0..<alleleCount {
                        if let skip = q?.alleles[a].skip { summary.skipped[skip, default: 0] += 1 }
                        else if q != nil { summary.scored += 1; anyScored = true }
                    }
                    if dropUnscored && !anyScored { summary.dropped += 1; continue }
                    let values = scored[i]
                    if let sink, let q, let values {
                        let chrom = String(cString: bcf_seqname(reader.header, rec))
                        let id = rec.pointee.d.id.map { String(cString: $0) } ?? "."
                        for a in 0..<q.alleles.count where q.alleles[a].skip == nil {
                            sink(ScoredAllele(chrom: chrom, pos0: q.pos0, id: id, ref: q.ref, alt: q.alleles[a].codes,
                                              refLogits: (0..<tasks).map { values[$0] },
                                              altLogits: (0..<tasks).map { values[tasks + a * tasks + $0] }))
                        }
                    } else if let file = tsvFile {
                        try writeRow(file, rec: rec, header: reader.header, query: q, values: values, tasks: tasks)
                    } else if let writer = vcfWriter {
                        try setInfo(rec, header: writer.header, query: q, values: values, keys: keys, tasks: tasks, input: reader, writer: writer)
                    }
                }
                if let progress, Date().timeIntervalSince(lastProgress) > 0.5 {
                    lastProgress = Date()
                    progress("\r\(summary.records) records, \(summary.scored) alleles scored")
                }
            }
            if next == nil { break }
        }
        if progress != nil && summary.records > 0 { progress?("\n") }
        try outputs.commit()
        let unscored = summary.alleles - summary.scored
        if unscored > 0 {
            let parts = VariantSkip.allCases.compactMap { s in summary.skipped[s].map { "\($0) \(s.rawValue) (\(s.meaning))" } }
            note("\(unscored) of \(summary.alleles) ALT alleles not scored: \(parts.joined(separator: ", "))"
                 + (summary.dropped > 0 ? "; \(summary.dropped) records dropped (--drop-unscored)"
                    : sink != nil ? "" : tsv ? "; see the status column" : "; passed through, flagged DRAGONN_UNSCORED"))
        }
        return summary
    }

    /// One scored ALT allele (REF and ALT in base codes, logits per task).
    struct ScoredAllele {
        var chrom: String
        var pos0: Int
        var id: String
        var ref: [UInt8], alt: [UInt8]
        var refLogits: [Float], altLogits: [Float]
    }

    /// Genome bases a batch's scoring may run through the convolutions (about 5 GFLOP for the
    /// tutorial's model): a batch ends there or at `batchSize` records. Dense variants share their
    /// windows and fill batches of records; sparse ones (one window each) would fit thousands in
    /// one batch and leave nothing to read or write while it is scored.
    static let batchWork = 1 << 19

    /// Bases one record adds to a batch's scoring: its window's bases not shared with the record
    /// before (when sorted), and a whole ALT window per allele that is not an SNV.
    static func work(_ rec: UnsafeMutablePointer<bcf1_t>, after previous: UnsafeMutablePointer<bcf1_t>?, length L: Int) -> Int {
        var work = L
        if let previous, previous.pointee.rid == rec.pointee.rid, rec.pointee.pos >= previous.pointee.pos {
            work = min(L, Int(rec.pointee.pos - previous.pointee.pos))
        }
        let nAllele = Int(rec.pointee.n_allele)
        guard nAllele >= 2, let alleles = rec.pointee.d.allele, let ref = alleles[0] else { return work }
        let refIsBase = ref[0] != 0 && ref[1] == 0
        for a in 1..<nAllele {
            if let alt = alleles[a], refIsBase && alt[0] != 0 && alt[1] == 0 { continue }
            work += L
        }
        return work
    }

    /// The error text for a VCF whose chromosome names are not the genome's.
    static func namesDiffer(vcf: [String], genome: [String], genomePath: String) -> String {
        let v = vcf.prefix(5).joined(separator: ", "), g = genome.prefix(5).joined(separator: ", ")
        var hint = ""
        if vcf.contains(where: { genome.contains("chr" + $0) }) { hint = " (the genome names them with a 'chr' prefix)" }
        else if vcf.contains(where: { $0.hasPrefix("chr") && genome.contains(String($0.dropFirst(3))) }) {
            hint = " (the genome names them without the 'chr' prefix)"
        }
        return "no chromosome of the VCF is in the genome \(genomePath)\(hint): VCF has \(v); genome has \(g)"
    }

    /// The scorer's view of a record (nil when there is no ALT allele) and its chromosome.
    static func query(_ rec: UnsafeMutablePointer<bcf1_t>, header: UnsafeMutablePointer<bcf_hdr_t>, genome: Genome,
                      length L: Int) -> (VariantQuery?, String) {
        let chrom = String(cString: bcf_seqname(header, rec))
        let nAllele = Int(rec.pointee.n_allele)
        guard nAllele >= 2, let alleles = rec.pointee.d.allele else { return (nil, chrom) }
        func codes(_ p: UnsafeMutablePointer<CChar>) -> [UInt8]? {
            var out: [UInt8] = []
            var s = UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self)
            while s.pointee != 0 {
                switch s.pointee {
                case UInt8(ascii: "A"), UInt8(ascii: "a"): out.append(0)
                case UInt8(ascii: "C"), UInt8(ascii: "c"): out.append(1)
                case UInt8(ascii: "G"), UInt8(ascii: "g"): out.append(2)
                case UInt8(ascii: "T"), UInt8(ascii: "t"): out.append(3)
                case UInt8(ascii: "N"), UInt8(ascii: "n"): out.append(4)
                default: return nil
                }
                s += 1
            }
            return out.isEmpty ? nil : out
        }
        let ref = codes(alleles[0]!)
        let chromLength = genome.length(of: chrom)
        let pos0 = Int(rec.pointee.pos)
        var list: [VariantAllele] = []
        for a in 1..<nAllele {
            var allele = VariantAllele(codes: codes(alleles[a]!) ?? [], skip: nil)
            if ref == nil || allele.codes.isEmpty { allele.skip = .symbolic }
            else if chromLength == nil { allele.skip = .noChromosome }
            else if !VariantWindow.refFits(refLength: ref!.count, length: L) { allele.skip = .refTooLong }
            else if VariantWindow.start(pos0: pos0, length: L) < 0 || pos0 >= chromLength!   // (a POS near 2^63 overflowed `end`)
                        || VariantWindow.end(pos0: pos0, refLength: ref!.count, altLength: allele.codes.count, length: L) > chromLength! {
                allele.skip = .offEnd
            }
            list.append(allele)
        }
        return (VariantQuery(pos0: pos0, ref: ref ?? [], alleles: list, length: L), chrom)
    }

    /// Prepares a batch on the calling thread: groups overlapping windows into stretches of one
    /// chromosome, reads each stretch once (faidx is not thread-safe), checks REF and N. The
    /// returned batch is scored on the scorers' threads (`VariantBatchWork`).
    private func prepareBatch(queries: inout [VariantQuery?], chroms: [String], lines: [Int], genome: Genome,
                              capacity: Int, tasks: Int, L: Int) throws -> VariantBatch {
        let order = queries.indices.filter { queries[$0]?.scorable ?? false }.sorted {
            chroms[$0] != chroms[$1] ? chroms[$0] < chroms[$1] : queries[$0]!.start < queries[$1]!.start
        }
        // Stretches: consecutive windows that overlap, at most `capacity` bases.
        var stretches: [(chrom: String, start: Int, end: Int, members: Range<Int>)] = []
        var i = 0
        while i < order.count {
            let first = queries[order[i]]!
            var end = first.end
            var j = i + 1
            while j < order.count, chroms[order[j]] == chroms[order[i]] {
                let q = queries[order[j]]!
                guard q.start < end, max(end, q.end) - first.start <= capacity else { break }
                end = max(end, q.end); j += 1
            }
            stretches.append((chroms[order[i]], first.start, end, i..<j))
            i = j
        }
        // Read the stretches (faidx is not thread-safe), check REF alleles and N content.
        let total = stretches.reduce(0) { $0 + $1.end - $1.start }
        var codes = [UInt8](repeating: 4, count: max(total, 1))
        var codeStart: [Int] = []
        var at = 0
        for s in stretches {
            codeStart.append(at)
            let offset = at
            try genome.fetch(GenomicRegion(chrom: s.chrom, start: s.start, end: s.end)) { ascii in
                codes.withUnsafeMutableBufferPointer { encodeBases(ascii, into: $0.baseAddress! + offset) }
            }
            // Running count of N, to test each window in O(1).
            var nCount = [Int32](repeating: 0, count: s.end - s.start + 1)
            for p in 0..<(s.end - s.start) { nCount[p + 1] = nCount[p] + (codes[offset + p] > 3 ? 1 : 0) }
            for k in s.members {
                let r = order[k]
                var q = queries[r]!
                let rel = q.pos0 - s.start
                var problem: VariantSkip?
                if q.ref.indices.contains(where: { codes[offset + rel + $0] != q.ref[$0] }) {
                    if strict {
                        let genomeRef = String(decoding: q.ref.indices.map { Array("ACGTN".utf8)[Int(min(codes[offset + rel + $0], 4))] }, as: UTF8.self)
                        throw DragonnError(file: vcfPath, line: lines[r] > 0 ? lines[r] : nil,
                                           "REF does not match the genome at \(s.chrom):\(q.pos0 + 1) (genome has \(genomeRef)); drop --strict to score the others")
                    }
                    problem = .refMismatch
                } else {
                    let w = q.start - s.start
                    if Double(nCount[w + L] - nCount[w]) > maxN * Double(L) { problem = .tooManyN }
                }
                if let problem {
                    for a in q.alleles.indices where q.alleles[a].skip == nil { q.alleles[a].skip = problem }
                    queries[r] = q
                }
            }
            at += s.end - s.start
        }
        let ordered = order.map { queries[$0]! }
        var altOffset: [Int] = [], nAlt = 0
        for q in ordered { altOffset.append(nAlt); nAlt += q.alleles.count }
        return VariantBatch(order: order, ordered: ordered, stretches: stretches.map { ($0.start, $0.end, $0.members) },
                            codes: codes, codeStart: codeStart, altOffset: altOffset, nAlt: nAlt, tasks: tasks)
    }

    private static let missing = Float(bitPattern: 0x7F80_0001)

    /// Sets the INFO fields of one record (removes stale ones when nothing was scored) and writes it.
    private func setInfo(_ rec: UnsafeMutablePointer<bcf1_t>, header: UnsafeMutablePointer<bcf_hdr_t>, query: VariantQuery?,
                         values: AlleleLogits?, keys: [[String]], tasks: Int, input: VCFReader, writer: VCFWriter) throws {
        try writer.adopt(rec, input: input)
        let nAlt = max(0, Int(rec.pointee.n_allele) - 1)
        if let query, let values, nAlt == query.alleles.count {
            // On the stack: three arrays per record were a measurable share of the writing thread.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 3 * nAlt) { buffer in
                let refP = buffer.baseAddress!, altP = refP + nAlt, delta = altP + nAlt
                for t in 0..<tasks {
                    for a in 0..<nAlt {
                        if query.alleles[a].skip != nil { refP[a] = Self.missing; altP[a] = Self.missing; delta[a] = Self.missing; continue }
                        let zr = values[t], za = values[tasks + a * tasks + t]
                        refP[a] = SigmoidCrossEntropy.sigmoid(zr); altP[a] = SigmoidCrossEntropy.sigmoid(za); delta[a] = za - zr
                    }
                    bcf_update_info(header, rec, keys[0][t], refP, Int32(nAlt), BCF_HT_REAL)
                    bcf_update_info(header, rec, keys[1][t], altP, Int32(nAlt), BCF_HT_REAL)
                    bcf_update_info(header, rec, keys[2][t], delta, Int32(nAlt), BCF_HT_REAL)
                }
            }
        } else {
            for t in 0..<tasks { for f in 0..<3 { bcf_update_info(header, rec, keys[f][t], nil, 0, BCF_HT_REAL) } }
        }
        if let query, query.alleles.contains(where: { $0.skip != nil }) {
            let text = query.alleles.map { $0.skip?.rawValue ?? "." }.joined(separator: ",")
            bcf_update_info(header, rec, "DRAGONN_UNSCORED", text, 1, BCF_HT_STR)
        } else {
            bcf_update_info(header, rec, "DRAGONN_UNSCORED", nil, 0, BCF_HT_STR)
        }
        try writer.write(rec)
    }

    /// One TSV row per ALT allele: chrom, pos, id, ref, alt, per task ref/alt/delta, status.
    private func writeRow(_ file: OutputFile, rec: UnsafeMutablePointer<bcf1_t>, header: UnsafeMutablePointer<bcf_hdr_t>,
                          query: VariantQuery?, values: AlleleLogits?, tasks: Int) throws {
        let chrom = String(cString: bcf_seqname(header, rec))
        let id = rec.pointee.d.id.map { String(cString: $0) } ?? "."
        let nAllele = Int(rec.pointee.n_allele)
        let ref = String(cString: rec.pointee.d.allele[0]!)
        for a in 1..<max(nAllele, 2) {
            let alt = a < nAllele ? String(cString: rec.pointee.d.allele[a]!) : "."
            let skip = query.map { $0.alleles[a - 1].skip } ?? .symbolic
            if dropUnscored && skip != nil { continue }
            var line = "\(chrom)\t\(rec.pointee.pos + 1)\t\(id)\t\(ref)\t\(alt)"
            for t in 0..<tasks {
                if skip == nil, let values {
                    let zr = values[t], za = values[tasks + (a - 1) * tasks + t]
                    line += "\t\(SigmoidCrossEntropy.sigmoid(zr))\t\(SigmoidCrossEntropy.sigmoid(za))\t\(za - zr)"
                } else {
                    line += "\tNA\tNA\tNA"
                }
            }
            line += "\t\(skip?.rawValue ?? "scored")\n"
            try file.write(line)
        }
    }
}


/// A prepared batch: its stretches' base codes and the scores its work fills in.
final class VariantBatch: @unchecked Sendable {
    let order: [Int]
    let ordered: [VariantQuery]
    let stretches: [(start: Int, end: Int, members: Range<Int>)]
    var codes: [UInt8]
    let codeStart: [Int]
    let altOffset: [Int]
    let tasks: Int
    var refOut: [Float]
    var altOut: [Float]

    init(order: [Int], ordered: [VariantQuery], stretches: [(start: Int, end: Int, members: Range<Int>)], codes: [UInt8],
         codeStart: [Int], altOffset: [Int], nAlt: Int, tasks: Int) {
        self.order = order; self.ordered = ordered; self.stretches = stretches; self.codes = codes
        self.codeStart = codeStart; self.altOffset = altOffset; self.tasks = tasks
        refOut = [Float](repeating: 0, count: max(1, order.count * tasks))
        altOut = [Float](repeating: 0, count: max(1, nAlt * tasks))
    }

    /// Scores the stretches on the scorers' threads (one scorer per thread).
    func score(_ scorers: [VariantScorer]) {
        let tasks = self.tasks, ordered = self.ordered, stretches = self.stretches, codeStart = self.codeStart
        let altOffset = self.altOffset
        refOut.withUnsafeMutableBufferPointer { refBuf in
        altOut.withUnsafeMutableBufferPointer { altBuf in
        codes.withUnsafeMutableBufferPointer { codeBuf in
            let refPtrs = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: max(1, ordered.count))
            let altPtrs = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: max(1, ordered.count))
            defer { refPtrs.deallocate(); altPtrs.deallocate() }
            for k in ordered.indices {
                refPtrs[k] = refBuf.baseAddress! + k * tasks
                altPtrs[k] = altBuf.baseAddress! + altOffset[k] * tasks
            }
            let codeBase = codeBuf.baseAddress!
            // Each thread takes the next stretch when it is done with one: the job's own thread
            // (reading and writing) takes a core from one of them part of the time, and a fixed
            // split would leave the other waiting at the end of every batch.
            parallelPieces(count: stretches.count, threads: scorers.count, grain: 1) { t, pieces in
                for si in pieces {
                    let s = stretches[si]
                    scorers[t].score(codes: codeBase + codeStart[si], count: s.end - s.start, stretchStart: s.start,
                                     queries: ordered[s.members], ref: refPtrs + s.members.lowerBound,
                                     alt: altPtrs + s.members.lowerBound)
                }
            }
        } } }
    }

    /// Per record nil (nothing scored) or a view of its logits: [REF (tasks)] + [ALT (alleles ×
    /// tasks)], read in place (no array per record).
    func results(queries: [VariantQuery?], tasks: Int) -> [AlleleLogits?] {
        var result = [AlleleLogits?](repeating: nil, count: queries.count)
        for (k, r) in order.enumerated() where queries[r]!.scorable {
            result[r] = AlleleLogits(batch: self, ref: k * tasks, alt: altOffset[k] * tasks)
        }
        return result
    }
}

/// One record's logits inside its batch: index i < tasks is the REF logit of task i, tasks +
/// a·tasks + t the ALT logit of allele a, task t.
struct AlleleLogits {
    let batch: VariantBatch
    let ref: Int, alt: Int

    subscript(i: Int) -> Float {
        i < batch.tasks ? batch.refOut[ref + i] : batch.altOut[alt + i - batch.tasks]
    }
}

/// A batch and the scorers that score it, handed to a worker thread while the job's own thread
/// writes the batch before and reads the one after (the scorers work on one batch at a time).
struct VariantBatchWork: @unchecked Sendable {
    let batch: VariantBatch
    let scorers: [VariantScorer]
    func run() { batch.score(scorers) }
}
