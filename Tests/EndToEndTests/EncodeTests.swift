import Foundation
import XCTest

/// dragonn-encode run as a user would, outputs checked with numpy.
final class EncodeTests: XCTestCase {
    private var dir: URL!

    override func setUp() { dir = Shell.scratch() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func write(_ text: String, _ name: String) {
        try! text.write(to: dir.appendingPathComponent(name), atomically: false, encoding: .utf8)
    }

    /// Runs python with numpy in the scratch folder; returns stdout.
    private func python(_ code: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = Shell.run("python3 -c '\(code)'", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The expected one-hot, computed independently in numpy from the sequences.
    private let checker = """
    import numpy as np, sys
    def onehot(seqs, nlc):
        out = np.zeros((len(seqs), 4, len(seqs[0])), dtype=np.float64)
        for i, s in enumerate(seqs):
            for j, b in enumerate(s.upper()):
                if b in "ACGT": out[i, "ACGT".index(b), j] = 1
        return out.transpose(0, 2, 1) if nlc else out
    """

    func testRoundTripBothLayoutsAndDtypesWithLabelsAndNames() {
        let seqs = ["ACGTNACGTA", "ttgcaNNrya", "GGGGCCCCAT"]
        write(">s1 labels=1,0\nACGTN\nACGTA\n>s2 labels=0,1 other=x\nttgcaNNrya\n>s3 labels=1,1\nGGGGCCCCAT\n", "in.fa")
        for layout in ["ncl", "nlc"] {
            for dtype in ["uint8", "float32"] {
                let r = Shell.run("dragonn-encode in.fa -o X.npy --layout \(layout) --dtype \(dtype) --labels-out y.npy --names-out names.txt", in: dir)
                XCTAssertEqual(r.status, 0, r.stderr)
                let out = python(checker + """

                x = np.load("X.npy"); y = np.load("y.npy")
                assert x.dtype == np.dtype("\(dtype)"), x.dtype
                assert y.dtype == np.float32 and y.tolist() == [[1, 0], [0, 1], [1, 1]], y
                e = onehot(\(seqs), \(layout == "nlc" ? "True" : "False"))
                assert x.shape == e.shape, (x.shape, e.shape)
                assert (x == e).all()
                print(x.shape, int(x.sum()))
                """)
                XCTAssertEqual(out, layout == "ncl" ? "(3, 4, 10) 25" : "(3, 10, 4) 25")
                XCTAssertEqual(try? String(contentsOf: dir.appendingPathComponent("names.txt"), encoding: .utf8), "s1\ns2\ns3\n")
            }
        }
    }

    func testPipesGzipStdoutAndReverseComplement() {
        write(">a\nACGTT\n>b\nNNCCA\n", "in.fa")
        XCTAssertEqual(Shell.run("gzip -k in.fa && bgzip -c in.fa > in.bgz.fa.gz", in: dir).status, 0)
        let r = Shell.run("cat in.fa.gz | dragonn-encode - --reverse-complement --names-out n.txt | python3 -c 'import numpy as np, sys, io; x = np.load(io.BytesIO(sys.stdin.buffer.read())); print(x.shape, x[2].argmax(0).tolist(), x[3].sum(0).tolist())'", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        // a = ACGTT → rc AACGT; b = NNCCA → rc TGGNN.
        XCTAssertEqual(r.stdout, "(4, 4, 5) [0, 0, 1, 2, 3] [1, 1, 1, 0, 0]\n")
        XCTAssertEqual(try? String(contentsOf: dir.appendingPathComponent("n.txt"), encoding: .utf8), "a\nb\na_rc\nb_rc\n")
        let b = Shell.run("dragonn-encode in.bgz.fa.gz -o b.npy && dragonn-encode in.fa -o p.npy && cmp b.npy p.npy", in: dir)
        XCTAssertEqual(b.status, 0, b.stderr)
        // A special file is written to, never replaced.
        let d = Shell.run("dragonn-encode in.fa -o /dev/null && test -c /dev/null", in: dir)
        XCTAssertEqual(d.status, 0, d.stderr)
    }

    func testLengthsLabelsTableAndFastq() {
        write("@r1\nAACCGGTTAA\n+\nIIIIIIIIII\n@r2\nACG\n+\nIII\n", "in.fq")
        write("name\tTF1\nr1\t1\nr2\t0\n", "labels.tsv")
        let bad = Shell.run("dragonn-encode in.fq -o X.npy", in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("in.fq: line 5") && bad.stderr.contains("'r2' has 3 bases"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("X.npy").path))
        let r = Shell.run("dragonn-encode in.fq --length 5 --pad --labels labels.tsv --labels-out y.npy -o X.npy", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        // r1 centre 5 of 10 → offset 2: CCGGT; r2 padded: 1 left, 1 right: NACGN.
        XCTAssertEqual(python("import numpy as np; x = np.load(\"X.npy\"); print(x[0].argmax(0).tolist(), x[1].sum(0).tolist(), x[1].argmax(0).tolist(), np.load(\"y.npy\").ravel().tolist())"),
                       "[1, 1, 2, 2, 3] [0, 1, 1, 1, 0] [0, 0, 1, 2, 0] [1.0, 0.0]")
    }

    func testRegionsOfAGenome() throws {
        for f in ["mini.fa", "mini.fa.gz", "regions.bed", "expected-regions.tsv"] {
            try FileManager.default.copyItem(at: Shell.repoRoot.appendingPathComponent("testdata/encode/\(f)"),
                                             to: dir.appendingPathComponent(f))
        }
        for genome in ["mini.fa", "mini.fa.gz"] {
            let r = Shell.run("dragonn-encode --regions regions.bed --genome \(genome) -o R.npy --names-out names.txt", in: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            let out = python(checker + """

            rows = [l.split("\\t") for l in open("expected-regions.tsv").read().split("\\n") if l]
            assert open("names.txt").read().split() == [r[0] for r in rows]
            x = np.load("R.npy")
            assert (x == onehot([r[1] for r in rows], False)).all()
            print(x.shape)
            """)
            XCTAssertEqual(out, "(6, 4, 20)")
        }
        let c = Shell.run("dragonn-encode --regions regions.bed --genome mini.fa --length 8 --names-out - -o R8.npy", in: dir)
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertEqual(c.stdout.split(separator: "\n").first, "chr1:6-14")
    }

    func testBadInputsLeaveNothingBehind() throws {
        try FileManager.default.copyItem(at: Shell.repoRoot.appendingPathComponent("testdata/encode/mini.fa"),
                                         to: dir.appendingPathComponent("mini.fa"))
        write(">a\nACGT\n>b\n>c\nAAAA\n", "empty.fa")
        write("chr1\t0\t10\nchr2\t125\t140\n", "off.bed")
        write("chr1\t0\t10\nchrZ\t0\t10\n", "absent.bed")
        write("chr1\t0\t10\nchr1\t10\n", "short.bed")
        var big = ""
        for i in 0..<3000 { big += ">s\(i)\n" + String(repeating: "ACGTTGCAAC", count: 30) + "\n" }
        write(big, "big.fa")
        XCTAssertEqual(Shell.run("gzip big.fa && head -c $(( $(stat -c %s big.fa.gz) / 2 )) big.fa.gz > cut.fa.gz", in: dir).status, 0)
        let cases: [(String, [String])] = [
            ("dragonn-encode empty.fa -o X.npy --names-out n.txt", ["empty.fa: line 3", "'b' has no sequence"]),
            ("dragonn-encode --regions off.bed --genome mini.fa -o X.npy", ["off.bed: line 2", "runs off chromosome chr2"]),
            ("dragonn-encode --regions absent.bed --genome mini.fa -o X.npy", ["absent.bed: line 2", "'chrZ' is not in the genome"]),
            ("dragonn-encode --regions short.bed --genome mini.fa -o X.npy", ["short.bed: line 2", "malformed BED"]),
            ("dragonn-encode cut.fa.gz -o X.npy --names-out n.txt", ["cut.fa.gz: line ", "truncated gzip"]),
            ("dragonn-encode empty.fa --labels-out y.npy -o X.npy", ["empty.fa"]),
            ("dragonn-encode missing.fa -o X.npy", ["missing.fa"]),
        ]
        for (command, fragments) in cases {
            let r = Shell.run(command, in: dir)
            XCTAssertNotEqual(r.status, 0, command)
            for f in fragments { XCTAssertTrue(r.stderr.contains(f), "\(command): \(r.stderr)") }
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one-line error: \(r.stderr)")
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path)
                .filter { $0.hasSuffix(".npy") || $0.hasPrefix(".") || $0 == "n.txt" }
            XCTAssertEqual(left, [], command)
        }
        let nolabels = Shell.run("printf '>a\\nAC\\n' | dragonn-encode - --labels-out y.npy -o X.npy", in: dir)
        XCTAssertTrue(nolabels.stderr.contains("no labels"), nolabels.stderr)
    }

    /// 30,000 x 1000 bp (30 MB of FASTA) become a 120 MB array; the encoder's peak memory must stay
    /// far below it (it streams batches to the file).
    func testStreamsInBoundedMemory() throws {
        let gen = Shell.run("""
        python3 -c 'import numpy as np
        r = np.random.default_rng(3); b = np.frombuffer(b"ACGT", dtype=np.uint8)
        s = b[r.integers(0, 4, size=(30000, 1000))]
        with open("big.fa", "wb") as f:
            f.write(b"".join(b">s%d\\n" % i + s[i].tobytes() + b"\\n" for i in range(30000)))
        np.save("first.npy", s[[0, 29999]])'
        """, in: dir)
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let r = Shell.run("/usr/bin/time -o rss.txt -f %M dragonn-encode big.fa -o X.npy", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rssKB = Int((try? String(contentsOf: dir.appendingPathComponent("rss.txt"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? Int.max
        XCTAssertLessThan(rssKB, 80_000, "peak RSS \(rssKB) KB for a 120 MB output")
        XCTAssertEqual(python("""
        import numpy as np
        x = np.load("X.npy", mmap_mode="r"); f = np.load("first.npy")
        assert x.shape == (30000, 4, 1000), x.shape
        ok = all((np.frombuffer(b"ACGT", dtype=np.uint8)[x[i].argmax(0)] == f[k]).all() for k, i in enumerate([0, 29999]))
        print(ok)
        """), "True")
    }

    func testEmptyInputIsAnError() {
        let r = Shell.run("printf '' | dragonn-encode - -o X.npy", in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("no sequences"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("X.npy").path))
    }
}
