import DragonnKit
import Foundation
import XCTest

/// dragonn-predict --vcf as a user runs it: VCF in, VCF/BCF out that bcftools reads, and the
/// bad inputs the issue lists.
final class VariantEndToEndTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = Shell.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    func read(_ name: String) -> String { (try? String(contentsOfFile: path(name), encoding: .utf8)) ?? "" }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// chr1 (3000 bp) and chr2 (800 bp) of seeded random bases, a model of `length`, and
    /// records: two SNVs (one multi-allelic), a deletion, an insertion.
    var chr1: [Character] = []
    func setUpData(length: Int = 100) throws {
        var random = RandomSource(seed: 5)
        let bases = Array("ACGT")
        chr1 = (0..<3000).map { _ in bases[Int(random.next() % 4)] }
        let chr2 = (0..<800).map { _ in bases[Int(random.next() % 4)] }
        try (">chr1\n\(String(chr1))\n>chr2\n\(String(chr2))\n").write(toFile: path("g.fa"), atomically: false, encoding: .utf8)
        let arch = Architecture(seqLength: length, numFilters: [6, 6], convWidth: [5, 5], poolWidth: 10, numTasks: 1,
                                taskNames: ["tal1"])
        try SequenceDNN(architecture: arch, seed: 2).save(path: path("m.safetensors"))
    }

    func ref(_ pos: Int, _ n: Int = 1) -> String { String(chr1[(pos - 1)..<(pos - 1 + n)]) }
    func other(_ pos: Int) -> String { ref(pos) == "A" ? "C" : "A" }

    func vcf(_ records: [String], contigs: [String] = ["chr1", "chr2"]) -> String {
        "##fileformat=VCFv4.2\n" + contigs.map { "##contig=<ID=\($0)>\n" }.joined()
            + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n" + records.map { $0 + "\n" }.joined()
    }

    func records() -> [String] {
        let multi = "ACGT".filter { String($0) != ref(700) }.map(String.init).joined(separator: ",")
        return ["chr1\t500\tsnv\t\(ref(500))\t\(other(500))\t.\tPASS\tDP=3",
                "chr1\t700\tmulti\t\(ref(700))\t\(multi)\t.\tPASS\t.",
                "chr1\t900\tdel\t\(ref(900, 4))\t\(ref(900))\t.\tPASS\t.",
                "chr1\t1200\tins\t\(ref(1200))\t\(ref(1200))GGC\t.\tPASS\t.",
                "chr1\t1500\tsym\t\(ref(1500))\t<DUP>\t.\tPASS\t."]
    }

    func write(_ text: String, _ name: String) throws { try text.write(toFile: path(name), atomically: false, encoding: .utf8) }

    /// The output is read by bcftools (view, query, and a region through the index) and holds
    /// what the TSV holds; the genome's index is built when missing.
    func testBcftoolsReadsTheOutput() throws {
        try setUpData()
        try write(vcf(records()).replacingOccurrences(of: "##contig", with: "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"depth\">\n##contig", options: [], range: nil), "in.vcf")
        XCTAssertFalse(exists("g.fa.fai"))
        let tsv = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf in.vcf --tsv", in: dir)
        XCTAssertEqual(tsv.status, 0, tsv.stderr)
        XCTAssertTrue(exists("g.fa.fai"), "the genome's index is built")
        XCTAssertTrue(tsv.stderr.contains("1 of 7 ALT alleles not scored: 1 symbolic"), tsv.stderr)
        let deltas = tsv.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
            .filter { $0.last == "scored" }.map { Double($0[7])! }
        XCTAssertEqual(deltas.count, 6)
        for out in ["out.vcf.gz", "out.bcf"] {
            let r = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf in.vcf -o \(out) -@ 2", in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(exists(out + (out.hasSuffix("bcf") ? ".csi" : ".tbi")), out)
            let header = Shell.run("bcftools view -h \(out)", in: dir)
            XCTAssertEqual(header.status, 0, header.stderr)
            XCTAssertTrue(header.stdout.contains("##INFO=<ID=DRAGONN_DELTA_tal1,Number=A,Type=Float"), header.stdout)
            XCTAssertTrue(header.stdout.contains("##INFO=<ID=DP,Number=1"), "the input's header is kept")
            let q = Shell.run("bcftools query -f '%ID\\t%DP\\t%INFO/DRAGONN_DELTA_tal1\\t%INFO/DRAGONN_UNSCORED\\n' \(out)", in: dir)
            XCTAssertEqual(q.status, 0, q.stderr)
            let rows = q.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
            XCTAssertEqual(rows.map { $0[0] }, ["snv", "multi", "del", "ins", "sym"])
            XCTAssertEqual(rows[0][1], "3", "INFO fields of the input are kept")
            XCTAssertEqual(rows[4][2], ".")
            XCTAssertEqual(rows[4][3], "symbolic")
            let got = rows.dropLast().flatMap { $0[2].split(separator: ",").map { Double($0)! } }
            XCTAssertEqual(got.count, deltas.count)
            for (a, b) in zip(got, deltas) { XCTAssertEqual(a, b, accuracy: 1e-5 * max(1, abs(b))) }
            let region = Shell.run("bcftools view -H -r chr1:900-1000 \(out) | cut -f3", in: dir)
            XCTAssertEqual(region.stdout, "del\n", region.stderr)
        }
        // Threads do not change the result.
        let one = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf in.vcf -@ 1 | grep -v '^##'", in: dir)
        let two = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf in.vcf -@ 2 | grep -v '^##'", in: dir)
        XCTAssertEqual(one.stdout, two.stdout)
        XCTAssertTrue(one.stdout.contains("DRAGONN_REF_tal1="))
    }

    /// An unsorted VCF is scored in input order (output not indexed, with a note); odd and even
    /// model lengths follow the centring rule (checked against plain predictions of the windows).
    func testUnsortedInputAndOddLength() throws {
        for length in [100, 101] {
            try setUpData(length: length)
            let recs = records()
            try write(vcf([recs[3], recs[0], "chr2\t400\tother\tA\tC\t.\t.\t.", recs[2]]), "in.vcf")
            try? FileManager.default.removeItem(atPath: path("g.fa.fai"))
            let r = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf in.vcf -o out.vcf.gz", in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("not indexed: the records are not sorted"), r.stderr)
            XCTAssertFalse(exists("out.vcf.gz.tbi"))
            let ids = Shell.run("bcftools query -f '%ID\\n' out.vcf.gz", in: dir)
            XCTAssertEqual(ids.stdout, "ins\nsnv\nother\ndel\n")
            // The SNV's and the deletion's windows by the rule, predicted plainly.
            let L = length, s = 499 - L / 2, d = 899 - L / 2
            let snvRef = String(chr1[s..<(s + L)])
            var snvAlt = Array(snvRef); snvAlt[L / 2] = Character(other(500))
            let delAlt = String((String(chr1[d..<899]) + ref(900) + String(chr1[903...])).prefix(L))
            try write(">r\n\(snvRef)\n>a\n\(String(snvAlt))\n>dr\n\(String(chr1[d..<(d + L)]))\n>da\n\(delAlt)\n", "w.fa")
            let plain = Shell.run("dragonn-predict -m m.safetensors w.fa --logits", in: dir)
            let z = plain.stdout.split(separator: "\n").dropFirst().map { Double($0.split(separator: "\t")[1])! }
            let q = Shell.run("bcftools query -i 'ID=\"snv\" || ID=\"del\"' -f '%INFO/DRAGONN_DELTA_tal1\\n' out.vcf.gz", in: dir)
            let got = q.stdout.split(separator: "\n").map { Double($0)! }
            XCTAssertEqual(got.count, 2, q.stderr)
            XCTAssertEqual(got[0], z[1] - z[0], accuracy: 1e-4, "SNV, L = \(L)")
            XCTAssertEqual(got[1], z[3] - z[2], accuracy: 1e-4, "deletion, L = \(L)")
        }
    }

    /// Inputs that are not what they should be get one-line errors that name the file and line.
    func testBadInputs() throws {
        try setUpData()
        try write("chrom\tpos\n1\t2\n", "notvcf.vcf")
        var r = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf notvcf.vcf -o out.vcf", in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "dragonn-predict: notvcf.vcf: line 1: not a VCF or BCF file (a VCF starts with a ##fileformat=VCF line)\n")
        XCTAssertFalse(exists("out.vcf"), "no partial output")

        try write(vcf(["chr1\t500\tsnv\t\(ref(500))\t\(other(500))\t.\t.\t.", "chr1\tsix\tbad\tA\tC\t.\t.\t."]), "cut.vcf")
        r = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf cut.vcf -o out.vcf", in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasSuffix("dragonn-predict: cut.vcf: line 6: POS is not a position (a number from 1)\n"), r.stderr)

        try write(vcf(["1\t500\tsnv\tA\tC\t.\t.\t."], contigs: ["1", "2"]), "nochr.vcf")
        r = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf nochr.vcf", in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr, "dragonn-predict: nochr.vcf: no chromosome of the VCF is in the genome g.fa (the genome names them with a 'chr' prefix): VCF has 1, 2; genome has chr1, chr2\n")

        try write(vcf(["chr1\t500\tsnv\t\(other(500))\tG\t.\t.\t.", "chr1\t800\tlong\t\(ref(800, 60))\tA\t.\t.\t."]), "mismatch.vcf")
        r = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf mismatch.vcf --tsv", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: "\t").last!) },
                       ["ref_mismatch", "ref_too_long"])
        r = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf mismatch.vcf --strict -o out.vcf", in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("dragonn-predict: mismatch.vcf: line 5: REF does not match the genome at chr1:500"), r.stderr)

        r = Shell.run("dragonn-predict -m m.safetensors --vcf mismatch.vcf", in: dir)
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--vcf needs --genome"), r.stderr)
    }

    /// dragonn-attrib --vcf: the REF track of the top variant is the ISM track of its REF window
    /// (cut from the genome and attributed as a chr:start-end sequence); the ALT track of an SNV
    /// covers the same bases; delta = ALT - REF; one SVG per variant.
    func testAttribExplainsTheTopVariants() throws {
        try setUpData()
        try write(vcf(records()), "in.vcf")
        let r = Shell.run("dragonn-attrib ism -m m.safetensors --genome g.fa --vcf in.vcf --top 2 -o top.bedGraph --plot plots", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let svgs = (try? FileManager.default.contentsOfDirectory(atPath: path("plots"))) ?? []
        XCTAssertEqual(svgs.count, 2, "\(svgs)")
        XCTAssertTrue(svgs.allSatisfy { $0.hasSuffix(".svg") && read("plots/" + $0).contains(">ALT<") })
        func track(_ name: String) -> [String: Double] {
            var out: [String: Double] = [:]
            for line in read(name).split(separator: "\n") {
                let f = line.split(separator: "\t")
                for p in Int(f[1])!..<Int(f[2])! { out["\(f[0]):\(p)"] = Double(f[3])! }
            }
            return out
        }
        let ref = track("top.ref.bedGraph"), alt = track("top.alt.bedGraph"), delta = track("top.delta.bedGraph")
        XCTAssertGreaterThanOrEqual(ref.count, 100)
        for (k, v) in delta { XCTAssertEqual(v, alt[k]! - ref[k]!, accuracy: 1e-5) }
        // The top allele by |effect|, from dragonn-predict, and its REF window attributed on its own.
        let scored = Shell.run("dragonn-predict -m m.safetensors --genome g.fa --vcf in.vcf --tsv --drop-unscored", in: dir)
        let best = scored.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
            .max { abs(Double($0[7])!) < abs(Double($1[7])!) }!
        let start = Int(best[1])! - 1 - 50
        try write(">chr1:\(start)-\(start + 100)\n\(String(chr1[start..<(start + 100)]))\n", "w.fa")
        let plain = Shell.run("dragonn-attrib ism -m m.safetensors w.fa -o plain.bedGraph", in: dir)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        let expected = track("plain.bedGraph")
        XCTAssertEqual(expected.count, 100)
        for (k, v) in expected { XCTAssertEqual(ref[k] ?? .nan, v, accuracy: 1e-5, k) }
    }

    /// dragonn-attrib --vcf -o X.bw: three bigWigs (REF, ALT, delta) whose intervals and values,
    /// read back by pyBigWig, are the bedGraph output's, with the genome's chromosomes in the header.
    func testAttribWritesBigWigTracks() throws {
        try setUpData()
        try write(vcf(records()), "in.vcf")
        let r = Shell.run("""
            dragonn-attrib ism -m m.safetensors --genome g.fa --vcf in.vcf --top 3 -o top.bw 2>/dev/null && \
            dragonn-attrib ism -m m.safetensors --genome g.fa --vcf in.vcf --top 3 -o top.bedGraph 2>/dev/null && \
            python3 -c "
            import pyBigWig
            for name in ['ref', 'alt', 'delta']:
                bw = pyBigWig.open('top.' + name + '.bw')
                assert bw.chroms() == {'chr1': 3000, 'chr2': 800}, bw.chroms()
                rows = [l.split() for l in open('top.' + name + '.bedGraph')]
                ivs = [(c, s, e, v) for c in bw.chroms() for (s, e, v) in (bw.intervals(c) or [])]
                assert len(rows) == len(ivs) > 0, (name, len(rows), len(ivs))
                for (c, s, e, v), row in zip(ivs, rows):
                    assert (c, s, e) == (row[0], int(row[1]), int(row[2])), (name, c, s, e, row)
                    assert abs(v - float(row[3])) <= 1e-6 * max(1, abs(v)), (name, v, row)
                print('ok', name, len(ivs))
            "
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "ok ").count, 4, r.stdout)
    }
}
