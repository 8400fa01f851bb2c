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

    /// Runs `script` with python3; it must exit 0 and print "ok ...".
    private func assertPythonSaysOK(_ script: String, line: UInt = #line) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let pipe = Pipe(), errPipe = Pipe()
        p.standardOutput = pipe; p.standardError = errPipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, out + err, line: line)
        XCTAssertTrue(out.hasPrefix("ok"), out + err, line: line)
    }

    /// Random intervals on several chromosomes (two of them empty, one with enough blocks for a
    /// two-level R-tree): back-to-back runs of one span (fixed-step blocks) mixed with irregular
    /// intervals and gaps (bedGraph blocks).
    func testRandomIntervalsReadBackByPyBigWig() throws {
        // `make test` installs pyBigWig (make deps): its absence is a failure, not a skip.
        guard hasPyBigWig else { return XCTFail("python3 with pyBigWig is needed (make deps installs it)") }
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
        try assertPythonSaysOK(script)
    }

    /// Values handed over a chunk at a time (`TrackWriter.add(chrom:first:step:end:values:)`, NaN
    /// gaps, runs of equal values, a clipped last step, a run continued across chunks) give the
    /// intervals that per-interval `add` gives; data blocks stored (deflate level 0, the default)
    /// and deflated (level 6) read back the same through pyBigWig, every block a zlib stream
    /// (uncompressBufSize > 0: igv.js misdraws uncompressed blocks), level 6 smaller.
    func testValueChunksEqualPerIntervalAddsAtAnyDeflateLevel() throws {
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let chromosomes = [(name: "c1", length: 30_000), (name: "c2", length: 9_000)]
        // Per chromosome: step, first base, the end that clips the last step, the values.
        var tracks: [(chrom: String, step: Int, first: Int, end: Int, values: [Float])] = []
        for (c, step) in [("c1", 1), ("c2", 3)] {
            let first = 7 * step, end = c == "c1" ? 29_000 : 8_999
            let count = (end - 1 - first) / step + 1
            var values: [Float] = []
            var v: Float = 0.5
            for _ in 0..<count {
                switch next(10) {
                case 0: values.append(.nan)
                case 1, 2: values.append(v)   // repeats the last value: merged with it
                default: v = Float(next(1000)) / 7; values.append(v)
                }
            }
            tracks.append((c, step, first, end, values))
        }
        var paths: [String] = []
        for (kind, level) in [("chunks-stored", 0), ("chunks-level6", 6), ("single", 0)] {
            let path = dir.appendingPathComponent("\(kind).bw").path
            let t = try OutputTransaction()
            let w = try TrackWriter(path: path, in: t, chromosomes: chromosomes, bigWigLevel: level)
            for track in tracks {
                if kind == "single" {
                    for (i, v) in track.values.enumerated() where !v.isNaN {
                        let s = track.first + i * track.step
                        try w.add(chrom: track.chrom, start: s, end: min(s + track.step, track.end), value: v)
                    }
                } else {
                    // Uneven chunks, so merged runs and the batch limit cross chunk boundaries.
                    var i = 0
                    while i < track.values.count {
                        let n = min(track.values.count - i, 1 + next(5000))
                        try track.values[i..<(i + n)].withUnsafeBufferPointer {
                            try w.add(chrom: track.chrom, first: track.first + i * track.step, step: track.step, end: track.end, values: $0)
                        }
                        i += n
                    }
                }
            }
            try w.finish()
            try t.commit()
            paths.append(path)
        }
        let expected = tracks.map { t in
            "\(t.chrom)\t\(t.step)\t\(t.first)\t\(t.end)\t\(t.values.map { $0.isNaN ? "nan" : "\($0)" }.joined(separator: ","))\n"
        }.joined()
        let expectedPath = IOFixture.write(expected, "values.tsv", in: dir)
        let script = """
        import pyBigWig, struct, math
        tracks = []
        for l in open('\(expectedPath)'):
            c, step, first, end, vs = l.rstrip('\\n').split('\\t')
            tracks.append((c, int(step), int(first), int(end), [None if x == 'nan' else float(x) for x in vs.split(',')]))
        got = []
        for p in [\(paths.map { "'\($0)'" }.joined(separator: ", "))]:
            with open(p, 'rb') as f: head = f.read(64)
            got.append((struct.unpack('<I', head[52:56])[0], pyBigWig.open(p)))
        import os
        assert all(g[0] > 0 for g in got), [g[0] for g in got]
        sizes = [os.path.getsize(p) for p in [\(paths.map { "'\($0)'" }.joined(separator: ", "))]]
        assert sizes[1] < sizes[0] and sizes[0] == sizes[2], sizes
        n = 0
        for c, step, first, end, values in tracks:
            # The intervals per-value adds give: one per value, equal neighbours merged.
            want = []
            for i, v in enumerate(values):
                if v is None: continue
                s = first + i * step; e = min(s + step, end)
                if want and want[-1][1] == s and want[-1][2] == v: want[-1] = (want[-1][0], e, v)
                else: want.append((s, e, v))
            for _, bw in got:
                ivs = [(s, e, v) for (s, e, v) in bw.intervals(c)]
                assert len(ivs) == len(want), (c, len(ivs), len(want))
                for a, b in zip(ivs, want): assert a[0] == b[0] and a[1] == b[1] and abs(a[2] - b[2]) <= 1e-6 * abs(b[2]), (c, a, b)
                for kind in ['mean', 'max', 'coverage']:
                    z = bw.stats(c, 0, 8960, type=kind, nBins=56)
                    x = bw.stats(c, 0, 8960, type=kind, nBins=56, exact=True)
                    assert all((a is None and b is None) or abs(a - b) <= 1e-3 * max(1, abs(b)) for a, b in zip(z, x)), (c, kind)
            n += len(want)
        print('ok', n)
        """
        try assertPythonSaysOK(script)
    }
}
