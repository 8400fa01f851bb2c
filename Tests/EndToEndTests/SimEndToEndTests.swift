import Foundation
import XCTest

/// dragonn-sim run as a user runs it: through bash pipelines, with files checked afterwards.
final class SimEndToEndTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = Shell.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func read(_ name: String) -> String {
        (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }
    var motifsDir: String { Shell.repoRoot.appendingPathComponent("testdata/motifs").path }

    func testTutorialRunWritesFastaBedLabels() {
        let r = Shell.run("dragonn-sim motif-density-localization --num-pos 40 --num-neg 30 -s 3 "
                          + "-o out.fa --bed emb.bed --labels labels.tsv", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let summary = r.stderr.split(separator: "\n")
        XCTAssertEqual(summary.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("70 sequences of 1000 bp (40 pos, 30 neg)"), r.stderr)
        let fasta = read("out.fa").split(separator: "\n")
        XCTAssertEqual(fasta.count, 140)
        XCTAssertEqual(fasta[0], ">pos_000001 labels=1")
        XCTAssertEqual(fasta[80], ">neg_000001 labels=0")
        XCTAssertEqual(fasta[1].count, 1000)
        let names = stride(from: 0, to: fasta.count, by: 2).map { String(fasta[$0].dropFirst().split(separator: " ")[0]) }
        XCTAssertEqual(Set(names).count, 70, "unique names")
        var sequences = [String: Substring]()
        for k in stride(from: 0, to: fasta.count, by: 2) { sequences[names[k / 2]] = fasta[k + 1] }
        // BED6: chrom = sequence name, the interval holds the instance, positives inside the centre.
        let bed = read("emb.bed").split(separator: "\n").map { $0.split(separator: "\t") }
        XCTAssertTrue(r.stderr.contains("\(bed.count) motif instances"), r.stderr)
        XCTAssertGreaterThanOrEqual(bed.count, 140)
        for f in bed {
            XCTAssertEqual(f.count, 6)
            let start = Int(f[1])!, end = Int(f[2])!
            XCTAssertEqual(end - start, 10)
            XCTAssertEqual(f[3], "TAL1_known4")
            XCTAssertEqual(f[4], "0")
            XCTAssertTrue(f[5] == "+" || f[5] == "-")
            XCTAssertNotNil(sequences[String(f[0])])
            if f[0].hasPrefix("pos") { XCTAssertTrue(start >= 425 && end <= 575, "\(f)") }
        }
        let labels = read("labels.tsv").split(separator: "\n")
        XCTAssertEqual(labels.count, 71)
        XCTAssertEqual(labels[0], "name\tTAL1_known4_localized")
        XCTAssertEqual(labels[1], "pos_000001\t1")
        XCTAssertEqual(labels[41], "neg_000001\t0")
        XCTAssertEqual(files(), ["emb.bed", "labels.tsv", "out.fa"], "no temporaries left")
    }

    func testSameSeedSameBytesAndGzipIsBGZF() throws {
        let r = Shell.run("""
            dragonn-sim heterodimer-grammar --num-pos 20 --num-neg 20 -s 9 > a.fa
            dragonn-sim heterodimer-grammar --num-pos 20 --num-neg 20 --seed 9 -o b.fa.gz --bed b.bed.gz
            dragonn-sim heterodimer-grammar --num-pos 20 --num-neg 20 -s 10 -q > c.fa
            cmp a.fa <(gzip -dc b.fa.gz) && echo same
            cmp -s a.fa c.fa || echo differs
            od -An -tx1 -N16 b.fa.gz | tr -d ' \\n'; echo
            gzip -dc b.bed.gz | wc -l
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "same")
        XCTAssertEqual(lines.dropFirst().first, "differs")
        // gzip member with FEXTRA and the 'BC' subfield: BGZF.
        XCTAssertTrue(lines[2].hasPrefix("1f8b0804") && lines[2].dropFirst(24).hasPrefix("4243"), String(lines[2]))
        XCTAssertEqual(lines[3].trimmingCharacters(in: .whitespaces), "80")
    }

    func testAllSixSimulationsRunInPipes() {
        for (cmd, nseq) in [("single-motif-detection --num-pos 5 --num-neg 5", 10),
                            ("motif-counting --num-pos 5 --num-neg 5 --pos-counts 3,5 --neg-counts 0,2", 10),
                            ("motif-density-localization --num-pos 5 --num-neg 5", 10),
                            ("multi-motif-embedding --num-seqs 10 --motif-names CTCF_known1 --motif-names ZNF143_known2,SIX5_known1", 10),
                            ("differential-accessibility --num-pos 5 --num-neg 5", 10),
                            ("heterodimer-grammar --num-pos 5 --num-neg 5", 10)] {
            let r = Shell.run("dragonn-sim \(cmd) -s 2 | grep -c '^>'", in: dir)
            XCTAssertEqual(r.status, 0, "\(cmd): \(r.stderr)")
            XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "\(nseq)", cmd)
        }
        let multi = Shell.run("dragonn-sim multi-motif-embedding --num-seqs 3 --motif-names CTCF_known1,SIX5_known1 --max-num-motifs 2 -q | head -1", in: dir)
        XCTAssertTrue(multi.stdout.hasPrefix(">seq_000001 labels="), multi.stdout)
        XCTAssertEqual(multi.stdout.split(separator: "=").last?.split(separator: ",").count, 2)
    }

    func testHeadClosesThePipeQuietly() {
        // Default SIGPIPE: the producer ends silently; the pipeline's status is head's.
        var r = Shell.run("set +o pipefail; dragonn-sim motif-density-localization --num-pos 200000 --num-neg 0 | head -2", in: dir)
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 2)
        XCTAssertTrue(r.stdout.hasPrefix(">pos_000001 labels=1\n"))
        XCTAssertEqual(r.stderr, "", "no error message")
        // SIGPIPE ignored by the calling shell: still quiet, and not a failure of the producer.
        r = Shell.run("trap '' PIPE; dragonn-sim motif-density-localization --num-pos 200000 --num-neg 0 | head -2 >/dev/null; echo ${PIPESTATUS[0]}", in: dir)
        XCTAssertEqual(r.stderr, "", "no error message")
        XCTAssertTrue(["0", "141"].contains(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), r.stdout)
    }

    func assertFails(_ args: String, mentions: [String], file: StaticString = #filePath, line: UInt = #line) {
        let r = Shell.run("dragonn-sim \(args) -o out.fa --bed out.bed --labels out.tsv", in: dir)
        XCTAssertNotEqual(r.status, 0, args, file: file, line: line)
        let errorLines = r.stderr.split(separator: "\n").filter { !$0.isEmpty }
        XCTAssertTrue(errorLines.first?.hasPrefix("dragonn-sim: ") ?? false, r.stderr, file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "\(args): \(r.stderr)", file: file, line: line) }
        XCTAssertEqual(files(), [], "no output left behind: \(args)", file: file, line: line)
    }

    func testBadInputFailsCleanly() {
        assertFails("motif-density-localization --motif TAL1_knwn4", mentions: ["unknown motif 'TAL1_knwn4'", "TAL1_known4"])
        assertFails("motif-density-localization --min-motif-counts 5 --max-motif-counts 3",
                    mentions: ["--min-motif-counts (5) is greater than --max-motif-counts (3)"])
        assertFails("motif-density-localization --center-size 8", mentions: ["longer than the centre"])
        assertFails("single-motif-detection --seq-length 6", mentions: ["longer than the sequence"])
        assertFails("motif-density-localization --max-motif-counts 20", mentions: ["cannot fit without overlap"])
        // Fits only when packed edge to edge: random placement cannot get there, so the run fails
        // after the sequence's retries, leaving nothing behind.
        assertFails("motif-density-localization --min-motif-counts 15 --max-motif-counts 15",
                    mentions: ["could not place the motifs without overlap"])
        assertFails("single-motif-detection --gc-fraction 1.5", mentions: ["--gc-fraction must be between 0 and 1"])
        assertFails("heterodimer-grammar --min-spacing 9 --max-spacing 3", mentions: ["--min-spacing (9)"])
        assertFails("motif-counting --pos-counts 5,3", mentions: ["--pos-counts"])
        assertFails("single-motif-detection --motifs \(motifsDir)/bad.encode.txt", mentions: ["bad.encode.txt: line 5:"])
        assertFails("single-motif-detection --motifs \(motifsDir)/missing.motif", mentions: ["missing.motif: cannot open"])
    }

    func testMotifListingAndUserMotifFiles() {
        var r = Shell.run("dragonn-sim motifs TAL1_known4", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let f = r.stdout.split(separator: "\t")
        XCTAssertEqual(f.count, 3)
        XCTAssertEqual(f[0], "TAL1_known4")
        XCTAssertEqual(f[1], "10")
        XCTAssertEqual(f[2].trimmingCharacters(in: .newlines).count, 10)
        r = Shell.run("dragonn-sim motifs | wc -l", in: dir)
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2067")
        for file in ["two.encode.txt", "two.homer.motif.gz", "two.meme", "two.jaspar"] {
            r = Shell.run("dragonn-sim motifs --no-bundled-motifs --motifs \(motifsDir)/\(file)", in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            let lines = r.stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, 2, file)
            XCTAssertTrue(lines[0].hasSuffix("\t4\tGATA"), "\(file): \(lines)")
            XCTAssertTrue(lines[1].hasSuffix("\t3\tCAA"), "\(file): \(lines)")
        }
        // A user motif (by JASPAR id) embedded next to the bundled collection.
        r = Shell.run("dragonn-sim single-motif-detection --motifs \(motifsDir)/two.jaspar --motif MA9001.1 "
                      + "--num-pos 3 --num-neg 0 --seq-length 50 --bed /dev/stdout -o /dev/null -q", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 3)
        XCTAssertTrue(r.stdout.contains("\tGATA_jaspar\t0\t"), r.stdout)
    }

    func testBundledDataFoundAfterInstallAndThroughDragonnData() throws {
        // The install layout: PREFIX/bin/dragonn-sim and PREFIX/share/dragonn/encode_motifs.txt.gz.
        // A stand-in collection there proves the installed copy is the one read.
        let prefix = dir.appendingPathComponent("prefix")
        let r = Shell.run("""
            mkdir -p prefix/bin prefix/share/dragonn data
            cp "$(command -v dragonn-sim)" prefix/bin/
            gzip -c \(motifsDir)/two.encode.txt > prefix/share/dragonn/encode_motifs.txt.gz
            cp \(motifsDir)/two.jaspar data/encode_motifs.txt.gz
            prefix/bin/dragonn-sim motifs | cut -f1 | paste -sd,
            DRAGONN_DATA=$PWD/data dragonn-sim motifs | cut -f1 | paste -sd,
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "GATA_test1,EBOX_test2\nGATA_jaspar,EBOX_jaspar\n")
        _ = prefix
    }
}
