import Foundation
import XCTest

/// `dragonn-sim genome` and `dragonn-encode --genome --peaks` run as a user would, checked with
/// samtools, bedtools and Python, and the training sets fed to dragonn-train.
final class GenomeDataTests: XCTestCase {
    private var dir: URL!

    override func setUp() { dir = Shell.scratch() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    @discardableResult
    private func run(_ command: String, file: StaticString = #filePath, line: UInt = #line) -> Shell.Result {
        let r = Shell.run(command, in: dir)
        XCTAssertEqual(r.status, 0, "\(command)\n\(r.stderr)", file: file, line: line)
        return r
    }

    private func files() -> Set<String> { Set((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []) }

    private let simulate = "dragonn-sim genome --num-chroms 4 --chrom-length 300000 --enhancers-per-mbp 150 --false-peaks 10 "
        + "--peak-dropout 0.1 --summit-jitter 10 -s 4 -o g.fa.gz --peaks peaks.narrowPeak.gz --bed truth.bed --enhancers enh.bed"

    /// The genome is BGZF with .fai/.gzi that samtools reads; the truth BED is in the genome's
    /// order (bedtools sort -faidx) and its instances are the genome's bases; the peaks are
    /// 10-column narrowPeak around the enhancers that are marked as in the peaks.
    func testSimulatedGenomeIsReadableByStandardTools() {
        let r = run(simulate)
        XCTAssertTrue(r.stderr.hasPrefix("dragonn-sim genome: 4 chromosomes, 1200000 bp"), r.stderr)
        XCTAssertTrue(files().isSuperset(of: ["g.fa.gz", "g.fa.gz.fai", "g.fa.gz.gzi", "peaks.narrowPeak.gz", "truth.bed", "enh.bed"]))
        XCTAssertEqual(run("bgzip -t g.fa.gz && cut -f1,2 g.fa.gz.fai | tr '\\t' ' ' | tr '\\n' ';'").stdout,
                       "chr1 300000;chr2 300000;chr3 300000;chr4 300000;")
        run("bedtools sort -faidx g.fa.gz.fai -i truth.bed | cmp - truth.bed")
        // Instances read back with samtools match the TAL1 consensus (~8 of 10 bases; ~2.7 by chance),
        // better on their own strand (the CAGCTG core is palindromic, the flanks are not).
        let check = run("""
        head -50 truth.bed | awk '{print $1":"$2+1"-"$3}' | xargs samtools faidx g.fa.gz | grep -v '>' > inst.txt && \
        python3 -c '
        import gzip
        rows = [l.split("\\t") for l in open("truth.bed")]
        peaks = [l.rstrip("\\n").split("\\t") for l in gzip.open("peaks.narrowPeak.gz", "rt")]
        enh = [l.rstrip("\\n").split("\\t") for l in open("enh.bed")]
        assert all(len(p) == 10 for p in peaks)
        kept = {e[3] for e in enh if e[7] == "1"}
        assert {p[3] for p in peaks if not p[3].startswith("false_")} == kept
        assert sum(p[3].startswith("false_") for p in peaks) == 10
        for p in peaks: assert 0 <= int(p[9]) < int(p[2]) - int(p[1])
        assert sum(int(e[4]) for e in enh) == len(rows)
        cons = "TCCAGCTGCT"
        comp = {"A": "T", "C": "G", "G": "C", "T": "A"}
        seqs = [l.strip() for l in open("inst.txt")]
        own = other = 0
        for s, r in zip(seqs, rows):
            rc = "".join(comp[b] for b in reversed(s))
            f, b = (s, rc) if r[5].strip() == "+" else (rc, s)
            own += sum(x == y for x, y in zip(f, cons)); other += sum(x == y for x, y in zip(b, cons))
        assert len(seqs) == 50 and own > 6 * 50 and own > other, (own, other)
        print("ok", len(peaks))
        '
        """)
        XCTAssertTrue(check.stdout.hasPrefix("ok "), check.stdout + check.stderr)
        // Same seed, same bytes; to stdout the genome streams unindexed.
        run(simulate.replacingOccurrences(of: "g.fa.gz", with: "h.fa.gz").replacingOccurrences(of: "peaks.narrowPeak.gz", with: "p2.gz")
            .replacingOccurrences(of: "truth.bed", with: "t2.bed").replacingOccurrences(of: "enh.bed", with: "e2.bed")
            + " && cmp g.fa.gz h.fa.gz && cmp peaks.narrowPeak.gz p2.gz && cmp truth.bed t2.bed && cmp enh.bed e2.bed")
        XCTAssertEqual(run("dragonn-sim genome --num-chroms 2 --chrom-length 1000 --num-enhancers 1 -q | grep -c '>'").stdout, "2\n")
    }

    /// Peaks → train/valid/test sets with held-out chromosomes, no window shared or overlapping
    /// across splits, GC matched, the same bytes for the same seed, and dragonn-train reads them.
    func testTrainingSetsFromPeaksTrainAndHoldOut() {
        run(simulate + " && mkdir sets")
        let encode = "dragonn-encode --genome g.fa.gz --peaks tal1=peaks.narrowPeak.gz --length 500 --valid-chroms chr3 --test-chroms chr4 -s 2 --npy"
        let r = run(encode + " --split-prefix sets/a")
        XCTAssertTrue(r.stderr.hasPrefix("dragonn-encode: train "), r.stderr)
        XCTAssertTrue(r.stderr.contains("mean GC positives"), r.stderr)
        run(encode + " --split-prefix sets/b && for s in train valid test; do cmp sets/a.$s.fa.gz sets/b.$s.fa.gz && cmp sets/a.$s.npy sets/b.$s.npy; done")
        let check = run("""
        python3 -c '
        import gzip, numpy as np
        splits = {}
        for s in ["train", "valid", "test"]:
            lines = gzip.open(f"sets/a.{s}.fa.gz", "rt").read().split("\\n")
            recs = [(lines[i][1:].split(" "), lines[i + 1]) for i in range(0, len(lines) - 1, 2)]
            splits[s] = [(n.rsplit(":", 1)[0], int(n.rsplit(":", 1)[1].split("-")[0]), int(n.rsplit("-", 1)[1]), int(t[7:]), seq) for (n, t), seq in recs]
            x = np.load(f"sets/a.{s}.npy"); y = np.load(f"sets/a.{s}.labels.npy")
            assert x.shape == (len(recs), 4, 500) and y.shape == (len(recs), 1), (x.shape, y.shape)
            assert (y[:, 0] == [r[3] for r in splits[s]]).all()
            assert (x.argmax(1)[0] == ["ACGT".index(b) for b in splits[s][0][4].upper()]).all()
        assert {r[0] for r in splits["train"]} == {"chr1", "chr2"}
        assert {r[0] for r in splits["valid"]} == {"chr3"} and {r[0] for r in splits["test"]} == {"chr4"}
        names = ["train", "valid", "test"]
        for i in range(3):
            for j in range(i + 1, 3):
                for a in splits[names[i]]:
                    for b in splits[names[j]]:
                        assert not (a[0] == b[0] and a[1] < b[2] and b[1] < a[2]), (a[:3], b[:3])
        gc = lambda s: (s.count("G") + s.count("C")) / len(s)
        allr = sum(splits.values(), [])
        pos = [gc(r[4]) for r in allr if r[3] == 1]; neg = [gc(r[4]) for r in allr if r[3] == 0]
        assert len(pos) == len(neg) and abs(np.mean(pos) - np.mean(neg)) < 0.01, (np.mean(pos), np.mean(neg))
        print("ok", len(allr))
        '
        """)
        XCTAssertTrue(check.stdout.hasPrefix("ok "), check.stdout + check.stderr)
        let train = run("dragonn-train sets/a.train.fa.gz --valid sets/a.valid.fa.gz --test sets/a.test.fa.gz -o model "
                        + "--epochs 1 --num-filters 4 --conv-width 10 --pool-width 35")
        XCTAssertTrue(files().contains("model.safetensors"), train.stderr)
    }

    /// Bad input: one line `dragonn-encode: FILE: line N: problem`, exit 1, nothing written.
    func testBadPeaksAndGenomesFailWithoutOutput() {
        run("dragonn-sim genome --num-chroms 2 --chrom-length 20000 --num-enhancers 5 -s 1 -o g.fa.gz --peaks p.bed -q"
            + " && printf 'chr1\\t5000\\t5300\\nchrUn\\t5\\t9\\n' > missing.bed && : > empty.bed"
            + " && printf 'chr2\\t19900\\t20100\\n' > past.bed && zcat g.fa.gz | gzip > plain.fa.gz")
        let before = files()
        let cases: [(String, String, Int32)] = [
            ("--peaks missing.bed", "dragonn-encode: missing.bed: line 2: chromosome 'chrUn' is not in the genome", 1),
            ("--peaks past.bed", "dragonn-encode: past.bed: line 1: peak chr2:19900-20100 runs past the end of chr2", 1),
            ("--peaks empty.bed", "dragonn-encode: empty.bed: no peaks in the file", 1),
            ("--peaks p.bed --valid-chroms chr1 --test-chroms chr2,chr1", "dragonn-encode: chromosome chr1 is in both --valid-chroms and --test-chroms", 64),
        ]
        for (args, message, status) in cases {
            let r = Shell.run("dragonn-encode --genome g.fa.gz \(args) --split-prefix out", in: dir)
            XCTAssertEqual(r.status, status, args)
            XCTAssertTrue(r.stderr.hasPrefix(message), "\(args): \(r.stderr)")
            if status == 1 { XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr) }
        }
        let plain = Shell.run("dragonn-encode --genome plain.fa.gz --peaks p.bed --split-prefix out", in: dir)
        XCTAssertEqual(plain.status, 1)
        XCTAssertTrue(plain.stderr.contains("plain.fa.gz: genome is plain gzip, not BGZF") && plain.stderr.contains("bgzip"), plain.stderr)
        XCTAssertEqual(Shell.run("dragonn-encode --genome g.fa.gz --peaks p.bed", in: dir).status, 64)
        // A damaged BGZF genome (bytes flipped inside a block; a file cut in half) with a valid
        // index beside it: our one line, no htslib log line before it, and no track or split.
        run("python3 -c \"d = bytearray(open('g.fa.gz', 'rb').read()); d[3000:3040] = bytes(b ^ 0x5A for b in d[3000:3040]);"
            + " open('damaged.fa.gz', 'wb').write(d); open('cut.fa.gz', 'wb').write(d[:len(d) // 2])\""
            + " && for n in damaged cut; do cp g.fa.gz.fai $n.fa.gz.fai && cp g.fa.gz.gzi $n.fa.gz.gzi; done")
        let damaged = files()
        for name in ["damaged.fa.gz", "cut.fa.gz"] {
            for command in ["dragonn-encode --genome \(name) --peaks p.bed --split-prefix out",
                            "dragonn-encode --regions p.bed --genome \(name) --length 1000 -o out.npy"] {
                let r = Shell.run(command, in: dir)
                XCTAssertEqual(r.status, 1, command)
                XCTAssertTrue(r.stderr.hasPrefix("dragonn-encode: \(name): cannot read region chr1:")
                              && r.stderr.hasSuffix(" (truncated or corrupt genome?)\n"), "\(command): \(r.stderr)")
                XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, r.stderr)
                XCTAssertEqual(files(), damaged, "\(command): outputs left behind")
            }
        }
        run("rm damaged.fa.gz* cut.fa.gz*")
        XCTAssertEqual(files(), before, "outputs left behind")
        let skip = run("dragonn-encode --genome g.fa.gz --peaks missing.bed --skip-missing --split-prefix out")
        XCTAssertTrue(skip.stderr.contains("1 on chromosomes not in the genome"), skip.stderr)
        let bad = Shell.run("dragonn-sim genome --enhancer-class x:TAL1_known4:2-40:150 -o bad.fa", in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("dragonn-sim: enhancer class x: 40 motif instances"), bad.stderr)
        XCTAssertFalse(files().contains("bad.fa"))
    }
}
