import Foundation
import XCTest

/// dragonn-attrib motifs and dragonn-sim motifs --meme, checked against memelite (PyPI), which
/// `make test` installs: these tests fail, not skip, when it is missing.
final class MotifScanEndToEndTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = Shell.scratch()
        let r = Shell.run("dragonn-sim motif-density-localization -s 4 --num-pos 60 --num-neg 60 --seq-length 500 -q -o m.fa --bed m.bed",
                          in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    override func tearDown() {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    /// Our hits and memelite's FIMO on the same motifs (exported by dragonn-sim; no extra eps), sequences and
    /// (uniform) background: the same windows, scores within 0.01 bit, p-values within 0.25 in
    /// log10 (memelite bins scores by 0.1 bit and truncates, we round to 0.01 bit).
    func testHitsAgreeWithMemeliteFIMO() throws {
        var r = Shell.run("dragonn-sim motifs TAL1_known4 GATA_known6 --meme m.meme -o /dev/null", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = Shell.run("dragonn-attrib motifs --motif TAL1_known4,GATA_known6 --gc-fraction 0.5 m.fa --hits ours.bed", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let script = """
        import math, sys
        import pandas as pd
        from memelite import fimo
        theirs = {}
        for df in fimo('m.meme', 'm.fa', threshold=1e-4, eps=0):
            for r in df.itertuples():
                theirs[(r.motif_name.split()[0], r.sequence_name, int(r.start), int(r.end), r.strand)] = (r.score, getattr(r, '_8'))
        ours = pd.read_csv('ours.bed', sep='\\t', header=None, names=['chrom', 'start', 'end', 'motif', 'score', 'strand', 'p', 'q'])
        mine = {(r.motif, r.chrom, int(r.start), int(r.end), r.strand): (r.score, r.p) for r in ours.itertuples()}
        assert len(theirs) > 50, len(theirs)
        for k, (s, p) in theirs.items():
            if p < 5e-5: assert k in mine, ('memelite only', k, p)
        for k, (s, p) in mine.items():
            if p < 5e-5: assert k in theirs, ('ours only', k, p)
        for k in set(theirs) & set(mine):
            assert abs(theirs[k][0] - mine[k][0]) < 0.01, (k, theirs[k], mine[k])
            assert abs(math.log10(theirs[k][1]) - math.log10(mine[k][1])) < 0.25, (k, theirs[k], mine[k])
        print(len(theirs), len(mine))
        """
        try script.write(to: dir.appendingPathComponent("cmp.py"), atomically: true, encoding: .utf8)
        r = Shell.run("python3 cmp.py", in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        // Sorted like the tracks: input order of the sequences (pos_* before neg_*), then start.
        let rows = try String(contentsOf: dir.appendingPathComponent("ours.bed"), encoding: .utf8).split(separator: "\n")
        let keys = rows.map { line -> (String, Int) in let f = line.split(separator: "\t"); return (String(f[0]), Int(f[1])!) }
        XCTAssertTrue(keys.first!.0.hasPrefix("pos_"))
        for (a, b) in zip(keys, keys.dropFirst()) where a.0 == b.0 { XCTAssertLessThanOrEqual(a.1, b.1) }
        XCTAssertEqual(Set(keys.map(\.0)).count, keys.map(\.0).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }.count,
                       "each sequence's hits are contiguous")
    }

    /// The MEME export read back by memelite and by our own reader gives the collection's matrices.
    func testMemeExportReadBack() throws {
        var r = Shell.run("dragonn-sim motifs TAL1_known4 'CTCF_known1' --meme - > all.meme && dragonn-sim motifs TAL1_known4 CTCF_known1", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let listing = r.stdout
        r = Shell.run("dragonn-sim motifs --no-bundled-motifs --motifs all.meme", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, listing)
        r = Shell.run("""
        python3 -c "
        from memelite.io import read_meme
        import gzip
        m = read_meme('all.meme')
        assert sorted(k.split()[0] for k in m) == ['CTCF_known1', 'TAL1_known4'], list(m)
        tal = m['TAL1_known4']
        assert tal.shape == (4, 10), tal.shape
        assert abs(tal[1, 1] - 0.99925) < 1e-6 and abs(tal[:, 0].sum() - 1) < 1e-5, tal[:, :2]
        "
        """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// Tracks: BGZF + tabix, one file per motif, the .npy shape, the truth's positional auPRC
    /// (the motif's own track finds its embedded instances, another motif's does not).
    func testTracksNpyAndTruth() throws {
        var r = Shell.run("dragonn-attrib motifs --motif TAL1_known4,CTCF_known1 m.fa -o s.bedGraph.gz --npy s.npy", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = Shell.run("tabix s.TAL1_known4.bedGraph.gz pos_000001:1-20 | head -3 && python3 -c \"import numpy; print(numpy.load('s.npy').shape)\"", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("pos_000001\t0\t1\t"), r.stdout)
        XCTAssertTrue(r.stdout.contains("(120, 2, 500)"), r.stdout)
        r = Shell.run("dragonn-attrib motifs --motif TAL1_known4,CTCF_known1 m.fa --truth m.bed", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = r.stdout.split(separator: "\n").map { $0.split(separator: "\t") }
        XCTAssertEqual(rows.first?.joined(separator: " "), "method task motif auPRC windows")
        let own = try XCTUnwrap(rows.first { $0[1] == "TAL1_known4" }), other = try XCTUnwrap(rows.first { $0[1] == "CTCF_known1" })
        XCTAssertGreaterThan(Double(own[3])!, 0.4)
        XCTAssertLessThan(Double(other[3])!, 0.2)
        // Several tracks on stdout are refused with a one-line error, and nothing is written.
        r = Shell.run("dragonn-attrib motifs --motif TAL1_known4,CTCF_known1 m.fa", in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.hasPrefix("dragonn-attrib: 2 motifs make 2 tracks"), r.stderr)
        r = Shell.run("dragonn-attrib motifs --motif NO_SUCH_MOTIF m.fa --hits h.bed", in: dir)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("unknown motif 'NO_SUCH_MOTIF'"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("h.bed").path))
    }
}
