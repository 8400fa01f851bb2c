import DragonnKit
import Foundation
import XCTest

/// The native bigWig writer read back by pyBigWig (libBigWig's reader, independent of the writer):
/// chromosomes, intervals, values, header and total summary, and zoom-level summaries against
/// exact statistics.
final class BigWigWriterTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = IOFixture.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private var hasPyBigWig: Bool {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import pyBigWig"]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    /// Random intervals on several chromosomes (two of them empty, one with enough blocks for a
    /// two-level R-tree): back-to-back runs of one span (fixed-step blocks) mixed with irregular
    /// intervals and gaps (bedGraph blocks).
    func testRandomIntervalsReadBackByPyBigWig() throws {
        try XCTSkipUnless(hasPyBigWig, "python3 with pyBigWig is needed")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let chromosomes = [("chrA", 1_024_000), ("chrEmpty1", 5000), ("chrB", 2_048_000), ("chrEmpty2", 77), ("chrC", 900)]
        var expected: [(String, Int, Int, Float)] = []
        var serial: Float = 0
        for (name, length) in chromosomes where !name.hasPrefix("chrEmpty") {
            var p = next(50)
            while p < length {
                // Distinct values, so the track writer merges nothing.
                if next(3) == 0 {
                    let span = 1 + next(3), count = 1 + next(6000)
                    for _ in 0..<count where p + span <= length {
                        serial += 1; expected.append((name, p, p + span, serial * 0.25 - 1000)); p += span
                    }
                } else {
                    let span = 1 + next(40)
                    if p + span <= length { serial += 1; expected.append((name, p, p + span, serial * 0.25 - 1000)) }
                    p += span + next(3) * next(20)
                }
            }
        }
        let path = dir.appendingPathComponent("t.bw").path
        let t = try OutputTransaction()
        let w = try TrackWriter(path: path, in: t, chromosomes: chromosomes.map { (name: $0.0, length: $0.1) })
        for (c, s, e, v) in expected { try w.add(chrom: c, start: s, end: e, value: v) }
        try w.finish()
        try t.commit()
        let tsv = expected.map { "\($0.0)\t\($0.1)\t\($0.2)\t\($0.3)" }.joined(separator: "\n") + "\n"
        let expectedPath = IOFixture.write(tsv, "expected.tsv", in: dir)
        let script = """
        import pyBigWig, random, math
        bw = pyBigWig.open('\(path)')
        assert bw.isBigWig()
        chroms = [\(chromosomes.map { "('\($0.0)', \($0.1))" }.joined(separator: ", "))]
        assert list(bw.chroms().items()) == chroms, bw.chroms()
        rows = {}
        for l in open('\(expectedPath)'):
            c, s, e, v = l.split('\\t'); rows.setdefault(c, []).append((int(s), int(e), float(v)))
        for c, n in chroms:
            got = bw.intervals(c) or ()
            want = rows.get(c, [])
            assert len(got) == len(want), (c, len(got), len(want))
            for g, x in zip(got, want):
                assert g == x, (c, g, x)
        h = bw.header()
        allv = [(e - s, v) for c in rows for (s, e, v) in rows[c]]
        cov = sum(n for n, v in allv)
        assert h['nBasesCovered'] == cov, (h, cov)
        # pyBigWig's header() truncates the summary to integers.
        assert abs(h['minVal'] - min(v for n, v in allv)) < 1 and abs(h['maxVal'] - max(v for n, v in allv)) < 1, h
        assert abs(h['sumData'] - sum(n * v for n, v in allv)) < 1e-6 * abs(sum(n * abs(v) for n, v in allv)), h
        assert h['nLevels'] >= 5, h
        random.seed(1)
        for c, n in chroms:
            if c not in rows: assert bw.values(c, 0, n, numpy=False) and all(math.isnan(x) for x in bw.values(c, 0, n)); continue
            base = {}
            for s, e, v in rows[c][:2000]:
                for p in range(s, e): base[p] = v
            top = rows[c][min(1999, len(rows[c]) - 1)][1]
            vs = bw.values(c, 0, top)
            for p in range(top):
                x = vs[p]
                assert (math.isnan(x) and p not in base) or x == base.get(p), (c, p, x, base.get(p))
        # Zoom levels: bins that are multiples of a zoom level's reduction agree with exact statistics.
        for c, n, bins in [('chrA', 1024000, 100), ('chrA', 1024000, 25), ('chrB', 2048000, 50)]:
            for kind in ['mean', 'min', 'max', 'coverage']:
                z = bw.stats(c, 0, n, type=kind, nBins=bins)
                x = bw.stats(c, 0, n, type=kind, nBins=bins, exact=True)
                for a, b in zip(z, x):
                    assert (a is None and b is None) or abs(a - b) <= 1e-3 * max(1, abs(b)), (c, kind, bins, a, b)
        print('ok', sum(len(r) for r in rows.values()))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let pipe = Pipe(), errPipe = Pipe()
        p.standardOutput = pipe; p.standardError = errPipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, out + err)
        XCTAssertTrue(out.hasPrefix("ok"), out + err)
    }
}
