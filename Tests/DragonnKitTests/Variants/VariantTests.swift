import CHTSlib
@testable import DragonnKit
import XCTest

/// A small genome, VCF and model written into a scratch folder for variant scoring.
private struct VariantFixture {
    let dir: URL
    let genome: [String: [UInt8]]   // ASCII
    let genomePath: String

    init(_ name: String = #function, chromosomes: [(String, Int)] = [("chr1", 4000), ("chr2", 900)], seed: UInt64 = 3) {
        dir = IOFixture.scratch(name)
        var random = RandomSource(seed: seed)
        var g: [String: [UInt8]] = [:]
        var fasta = ""
        for (c, n) in chromosomes {
            let s = (0..<n).map { _ in Array("ACGT".utf8)[Int(random.next() % 4)] }
            g[c] = s
            fasta += ">\(c)\n"
            for i in stride(from: 0, to: n, by: 70) { fasta += String(decoding: s[i..<min(n, i + 70)], as: UTF8.self) + "\n" }
        }
        genome = g
        genomePath = IOFixture.write(fasta, "genome.fa", in: dir)
    }

    func bases(_ chrom: String, _ start: Int, _ end: Int) -> String {
        String(decoding: genome[chrom]![start..<end], as: UTF8.self)
    }

    /// Writes a VCF of `records` (CHROM, POS, ID, REF, ALT) with contig lines.
    func vcf(_ records: [(String, Int, String, String, String)], name: String = "in.vcf") -> String {
        var text = "##fileformat=VCFv4.2\n"
        for c in genome.keys.sorted() { text += "##contig=<ID=\(c),length=\(genome[c]!.count)>\n" }
        text += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
        for r in records { text += "\(r.0)\t\(r.1)\t\(r.2)\t\(r.3)\t\(r.4)\t.\tPASS\t.\n" }
        return IOFixture.write(text, name, in: dir)
    }

    /// REF and ALT windows of a variant by the documented rule, built from strings.
    func windows(_ chrom: String, pos: Int, ref: String, alt: String, length L: Int) -> (String, String) {
        let p0 = pos - 1, s = p0 - L / 2
        let g = genome[chrom]!
        let refWindow = String(decoding: g[s..<(s + L)], as: UTF8.self)
        let hap = String(decoding: g[s..<p0], as: UTF8.self) + alt + String(decoding: g[(p0 + ref.count)...], as: UTF8.self)
        return (refWindow, String(hap.prefix(L)))
    }
}

/// Reads a TSV written by `VariantJob` into rows of fields (header dropped).
private func tsvRows(_ path: String) throws -> [[String]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map {
        $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    }
}

private func logit(_ p: Double) -> Double { log(p / (1 - p)) }

final class VariantTests: XCTestCase {
    /// A 3-layer model small enough for debug builds, with a receptive field of 13 bases.
    private func model(length: Int, seed: UInt64 = 7) throws -> SequenceDNN {
        try SequenceDNN(architecture: Architecture(seqLength: length, numFilters: [8, 8, 8], convWidth: [5, 5, 5],
                                                   poolWidth: 7, numTasks: 2, taskNames: ["a", "b"]), seed: seed)
    }

    func testAlternateWindowFollowsTheCentringRule() {
        let genome = Array("ACGTACGTTTGGCCAA".utf8).map { oneHotCodes[Int($0)] }
        for (L, refLength, alt) in [(8, 1, "G"), (8, 3, "A"), (9, 1, "ACGTAC"), (9, 2, "TT"), (7, 1, "CCCCCCCCC")] {
            var out = [UInt8](repeating: 9, count: L)
            VariantWindow.alternate(genome: genome, refLength: refLength, alt: baseCodes(alt), length: L, into: &out)
            // Naive: left flank of L/2, the ALT allele, the rest of the genome after REF, cut to L.
            let expected = Array((Array(genome[0..<(L / 2)]) + baseCodes(alt) + Array(genome[(L / 2 + refLength)...])).prefix(L))
            XCTAssertEqual(out, expected, "L \(L) ref \(refLength) alt \(alt)")
        }
        XCTAssertEqual(VariantWindow.start(pos0: 100, length: 1000), -400)
        XCTAssertEqual(VariantWindow.start(pos0: 100, length: 999), -399)
        XCTAssertEqual(VariantWindow.end(pos0: 10, refLength: 4, altLength: 1, length: 8), 17)   // deletion reads 3 more
        XCTAssertEqual(VariantWindow.end(pos0: 10, refLength: 1, altLength: 3, length: 8), 14)
        XCTAssertTrue(VariantWindow.refFits(refLength: 4, length: 8))
        XCTAssertFalse(VariantWindow.refFits(refLength: 5, length: 9 - 1))
    }

    /// Every effect equals the difference of two plain predictions of the windows built by the
    /// documented rule (SNVs through the cone and shared convolutions; indels, MNVs plainly),
    /// for an even and an odd model length, for windows that share a sliding max-pool and windows
    /// pooled alone, across batch boundaries and threads; the plain
    /// predictions agree with a float64 network.
    func testEffectsEqualPlainPredictions() throws {
        for L in [60, 61] {
            let fx = VariantFixture(#function + "\(L)")
            defer { try? FileManager.default.removeItem(at: fx.dir) }
            let net = try model(length: L)
            let modelPath = fx.dir.appendingPathComponent("m.safetensors").path
            try net.save(path: modelPath)
            var random = RandomSource(seed: 11)
            var records: [(String, Int, String, String, String)] = []
            // Dense SNVs (windows overlap), some multi-allelic; indels and MNVs between them.
            var pos = 100
            while pos < 1500 {
                let ref = fx.bases("chr1", pos - 1, pos)
                let others = "ACGT".filter { String($0) != ref }.map(String.init)
                switch records.count % 6 {
                case 0: records.append(("chr1", pos, "m\(pos)", ref, others.joined(separator: ",")))
                case 1: records.append(("chr1", pos, "d\(pos)", fx.bases("chr1", pos - 1, pos + 3), ref))
                case 2: records.append(("chr1", pos, "i\(pos)", ref, ref + "GATTACA"))
                case 3: records.append(("chr1", pos, "n\(pos)", fx.bases("chr1", pos - 1, pos + 1), "TA"))
                default: records.append(("chr1", pos, "s\(pos)", ref, others[Int(random.next() % 3)]))
                }
                pos += 7 + Int(random.next() % 60)
            }
            records.append(("chr2", 450, "far", fx.bases("chr2", 449, 450), "N"))
            // SNVs whose windows overlap no other's: each window pooled on its own, not by the sliding max.
            for p in [2500, 3200] {
                let ref = fx.bases("chr1", p - 1, p)
                records.append(("chr1", p, "lone\(p)", ref, "ACGT".filter { String($0) != ref }.map(String.init).joined(separator: ",")))
            }
            let vcf = fx.vcf(records)
            let out = fx.dir.appendingPathComponent("out.tsv").path
            for threads in L == 60 ? [1, 2] : [2] {
                var job = VariantJob(modelPath: modelPath, genomePath: fx.genomePath, vcfPath: vcf)
                job.output = out; job.tsv = true; job.threads = threads; job.batchSize = 17
                let summary = try job.run(note: { _ in })
                XCTAssertEqual(summary.scored, summary.alleles)
                let rows = try tsvRows(out)
                XCTAssertEqual(rows.count, summary.alleles)
                // Plain predictions of every REF and ALT window.
                var windows: [UInt8] = []
                for r in rows {
                    let (rw, aw) = fx.windows(r[0], pos: Int(r[1])!, ref: r[3], alt: r[4], length: L)
                    windows += baseCodes(rw) + baseCodes(aw)
                }
                let z = net.logits(codes: windows, count: 2 * rows.count, threads: 2)
                for (i, r) in rows.enumerated() {
                    XCTAssertEqual(r.last, "scored")
                    for t in 0..<2 {
                        let zr = Double(z[2 * i * 2 + t]), za = Double(z[(2 * i + 1) * 2 + t])
                        let delta = Double(r[5 + 3 * t + 2])!
                        XCTAssertEqual(logit(Double(r[5 + 3 * t])!), zr, accuracy: 1e-3, "\(r)")
                        XCTAssertEqual(logit(Double(r[6 + 3 * t])!), za, accuracy: 1e-3, "\(r)")
                        XCTAssertEqual(delta, za - zr, accuracy: 1e-4 + 1e-4 * abs(za - zr), "\(r) task \(t)")
                    }
                }
                // The plain path itself against float64 for a few windows.
                let plain = PlainNetwork(net)
                for i in [0, 1, 7] {
                    let codes = Array(windows[(i * L)..<((i + 1) * L)])
                    let ref = plain.forward(PlainNetwork.oneHot(codes)).logits
                    for t in 0..<2 { XCTAssertEqual(Double(z[i * 2 + t]), ref[t], accuracy: 1e-4 * max(1, abs(ref[t]))) }
                }
            }
        }
    }

    /// Records that cannot be scored pass through flagged and counted; --strict makes a REF
    /// mismatch an error naming the line; --drop-unscored leaves them out.
    func testUnscorableRecordsAreFlaggedAndCounted() throws {
        let fx = VariantFixture()
        defer { try? FileManager.default.removeItem(at: fx.dir) }
        let L = 100
        let modelPath = fx.dir.appendingPathComponent("m.safetensors").path
        try model(length: L).save(path: modelPath)
        // A stretch of N in chr1 for too_many_n.
        var g = fx.genome["chr1"]!
        for i in 2000..<2030 { g[i] = UInt8(ascii: "N") }
        let fasta = ">chr1\n" + String(decoding: g, as: UTF8.self) + "\n>chr2\n" + String(decoding: fx.genome["chr2"]!, as: UTF8.self) + "\n"
        let genomePath = IOFixture.write(fasta, "n.fa", in: fx.dir)
        let ref = { (p: Int) in fx.bases("chr1", p - 1, p) }
        let wrong = { (p: Int) in "ACGT".first { String($0) != ref(p) }.map(String.init)! }
        let vcf = fx.vcf([
            ("chr1", 500, "ok", ref(500), wrong(500)),
            ("chr1", 600, "mismatch", wrong(600), "A"),
            ("chrX", 100, "nochrom", "A", "C"),
            ("chr1", 700, "sym", ref(700), "<DEL>"),
            ("chr1", 710, "star", ref(710), "*," + wrong(710)),
            ("chr1", 20, "offend", ref(20), wrong(20)),
            ("chr2", 880, "offend2", fx.bases("chr2", 879, 880), "T"),
            ("chr1", 2010, "manyn", "N", "A"),
            ("chr1", 1000, "toolong", fx.bases("chr1", 999, 1051), ref(1000)),
        ])
        let out = fx.dir.appendingPathComponent("out.tsv").path
        var job = VariantJob(modelPath: modelPath, genomePath: genomePath, vcfPath: vcf)
        job.output = out; job.tsv = true
        let summary = try job.run(note: { _ in })
        XCTAssertEqual(summary.records, 9)
        XCTAssertEqual(summary.alleles, 10)
        XCTAssertEqual(summary.scored, 2)
        XCTAssertEqual(summary.skipped, [.refMismatch: 1, .noChromosome: 1, .symbolic: 2, .offEnd: 2, .tooManyN: 1, .refTooLong: 1])
        let status = try tsvRows(out).map { "\($0[2]):\($0.last!)" }
        XCTAssertEqual(status, ["ok:scored", "mismatch:ref_mismatch", "nochrom:no_chrom", "sym:symbolic", "star:symbolic",
                                "star:scored", "offend:off_end", "offend2:off_end", "manyn:too_many_n", "toolong:ref_too_long"])
        job.dropUnscored = true
        let dropped = try job.run(note: { _ in })
        XCTAssertEqual(dropped.dropped, 7)
        XCTAssertEqual(try tsvRows(out).map { $0[2] }, ["ok", "star"])
        job.strict = true
        job.dropUnscored = false
        XCTAssertThrowsMessage(try job.run(note: { _ in }), "in.vcf: line 6:", "REF does not match the genome at chr1:600")
    }

    /// The VCF output read back through htslib: the header declares the INFO fields (Number=A),
    /// multi-allelic records carry one value per ALT allele, missing for an unscored one; BGZF
    /// and BCF outputs are indexed.
    func testVCFOutputReadsBackThroughHtslib() throws {
        let fx = VariantFixture()
        defer { try? FileManager.default.removeItem(at: fx.dir) }
        let modelPath = fx.dir.appendingPathComponent("m.safetensors").path
        try model(length: 100).save(path: modelPath)
        let r = fx.bases("chr1", 299, 300)
        let alts = "ACGT".filter { String($0) != r }.map(String.init)
        let vcf = fx.vcf([("chr1", 300, "multi", r, alts.joined(separator: ",") + ",<INS>"),
                          ("chr1", 400, "one", fx.bases("chr1", 399, 400), alts[0] == "A" ? "C" : "A")])
        let tsv = fx.dir.appendingPathComponent("ref.tsv").path
        var job = VariantJob(modelPath: modelPath, genomePath: fx.genomePath, vcfPath: vcf)
        job.output = tsv; job.tsv = true
        try job.run(note: { _ in })
        let expected = try tsvRows(tsv).filter { $0.last == "scored" }.map { Float($0[7])! }   // a_delta
        for name in ["out.vcf", "out.vcf.gz", "out.bcf"] {
            let path = fx.dir.appendingPathComponent(name).path
            job.output = path; job.tsv = false
            try job.run(note: { _ in })
            if name != "out.vcf" {
                XCTAssertTrue(FileManager.default.fileExists(atPath: path + (name.hasSuffix(".bcf") ? ".csi" : ".tbi")), name)
            }
            let reader = try VCFReader(path: path)
            let id = bcf_hdr_id2int(reader.header, Int32(BCF_DT_ID), "DRAGONN_DELTA_a")
            XCTAssertGreaterThanOrEqual(id, 0)
            // bcf_hdr_id2length(hdr, BCF_HL_INFO, id): the Number of the INFO field.
            XCTAssertEqual(Int((reader.header.pointee.id.0![Int(id)].val.pointee.info.1 >> 8) & 0xf), Int(BCF_VL_A), "Number=A")
            let rec = bcf_init()!
            defer { bcf_destroy(rec) }
            var got: [Float] = []
            var missing = 0
            while try reader.read(into: rec) {
                var dst: UnsafeMutableRawPointer?
                var n: Int32 = 0
                let count = bcf_get_info_values(reader.header, rec, "DRAGONN_DELTA_a", &dst, &n, BCF_HT_REAL)
                XCTAssertEqual(Int(count), Int(rec.pointee.n_allele) - 1, name)
                let values = dst!.assumingMemoryBound(to: Float.self)
                for i in 0..<Int(count) {
                    if values[i].bitPattern == 0x7F80_0001 { missing += 1 } else { got.append(values[i]) }
                }
                free(dst)
            }
            // VCF text holds 6 significant digits (htslib's %g), BCF the float itself.
            XCTAssertEqual(got.count, expected.count, name)
            for (a, b) in zip(got, expected) { XCTAssertEqual(a, b, accuracy: name.hasSuffix(".bcf") ? 0 : 1e-5 * max(1, abs(b)), name) }
            XCTAssertEqual(missing, 1, name)
        }
    }

    /// A variant that destroys a planted motif lowers the score; one whose window holds no motif
    /// changes nothing. The model is built by hand: a first-layer filter that matches GATAAG
    /// (and nothing less than a full match passes its bias), max-pooled into one positive logit.
    func testDestroyingAPlantedMotifLowersTheScore() throws {
        let fx = VariantFixture(chromosomes: [("chr1", 3000)])
        defer { try? FileManager.default.removeItem(at: fx.dir) }
        let L = 100, motif = Array("GATAAG".utf8)
        var g = fx.genome["chr1"]!
        // Remove accidental matches, then plant the motif at 1000 and 2000.
        for i in 0..<(g.count - 6) where Array(g[i..<(i + 6)]) == motif { g[i] = UInt8(ascii: "C") }
        for at in [1000, 2000] { g.replaceSubrange(at..<(at + 6), with: motif) }
        let genomePath = IOFixture.write(">chr1\n" + String(decoding: g, as: UTF8.self) + "\n", "m.fa", in: fx.dir)
        let arch = Architecture(seqLength: L, numFilters: [1, 1], convWidth: [6, 1], poolWidth: 95, numTasks: 1,
                                taskNames: ["gata"])
        let net = try SequenceDNN(architecture: arch, seed: 1)
        var w = [Float](repeating: -1, count: 4 * 6)   // [1][4][6]
        for (k, b) in motif.enumerated() { w[Int(oneHotCodes[Int(b)]) * 6 + k] = 1 }
        try net.setTensor("conv.0.weight", w)
        try net.setTensor("conv.0.bias", [-5])          // a full match scores 6 - 5 = 1, one mismatch 0
        try net.setTensor("conv.1.weight", [1])
        try net.setTensor("conv.1.bias", [0])
        try net.setTensor("dense.weight", [4])
        try net.setTensor("dense.bias", [-2])
        let modelPath = fx.dir.appendingPathComponent("m.safetensors").path
        try net.save(path: modelPath)
        let c = { (p: Int) in String(decoding: [g[p - 1]], as: UTF8.self) }
        let vcf = fx.vcf([("chr1", 1003, "inmotif", c(1003), c(1003) == "T" ? "C" : "T"),   // GATAAG -> GA?AAG
                          ("chr1", 2030, "nearmotif", c(2030), c(2030) == "A" ? "G" : "A"),
                          ("chr1", 1500, "far", c(1500), c(1500) == "A" ? "G" : "A")])
        let out = fx.dir.appendingPathComponent("out.tsv").path
        var job = VariantJob(modelPath: modelPath, genomePath: genomePath, vcfPath: vcf)
        job.output = out; job.tsv = true
        try job.run(note: { _ in })
        let rows = try tsvRows(out)
        XCTAssertEqual(rows.map { $0[2] }, ["inmotif", "nearmotif", "far"])
        XCTAssertEqual(Double(rows[0][7])!, -4, accuracy: 1e-5)   // the match (1) times the dense weight, gone
        XCTAssertGreaterThan(Double(rows[0][5])!, Double(rows[0][6])!)
        XCTAssertEqual(Double(rows[1][7])!, 0)                     // motif in the window, untouched
        XCTAssertEqual(Double(rows[2][7])!, 0)                     // no motif in the window at all
        XCTAssertEqual(Double(rows[2][5])!, 1 / (1 + exp(2)), accuracy: 1e-6)
    }
}
