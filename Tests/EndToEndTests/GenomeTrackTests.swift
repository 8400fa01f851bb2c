import Foundation
import XCTest

/// dragonn-predict --track over a genome, bigWig output read back by pyBigWig, shard merging,
/// bigWig from dragonn-attrib, and the bad inputs of the track mode.
final class GenomeTrackTests: FixtureTestCase {
    /// Writes g.fa: chr1 of `length` bases (N runs at 1000..1010 and 150000..150100 where they fit), chr2 of
    /// 5000 and chr3 of 40 (shorter than the model's 60: no value), seeded.
    private func makeGenome(length: Int) {
        let py = """
        import random
        random.seed(5)
        def chrom(n): return [random.choice('ACGT') for _ in range(n)]
        c1 = chrom(\(length))
        for a, b in [(1000, 1010), (150000, 150100)]:
            if b <= len(c1): c1[a:b] = ['N'] * (b - a)
        with open('g.fa', 'w') as f:
            for name, s in [('chr1', c1), ('chr2', chrom(5000)), ('chr3', chrom(40))]:
                s = ''.join(s)
                f.write('>' + name + '\\n' + '\\n'.join(s[i:i + 80] for i in range(0, len(s), 80)) + '\\n')
        """
        try! py.write(to: dir.appendingPathComponent("genome.py"), atomically: true, encoding: .utf8)
        let r = Shell.run("python3 genome.py", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// Thousands of random bases (and every base near the engine's chunk seams, the chromosome
    /// ends and the N runs): the track's value equals plain per-window dragonn-predict of the
    /// window starting at c - 30, and bases without a whole N-free window have no value.
    func testTrackEqualsPerWindowPredictionAtRandomBases() throws {
        makeGenome(length: 200_000)
        let t = Shell.run("dragonn-predict -m \(model) --genome g.fa --track all.bw --task task1 -@ 2", in: dir)
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stderr.contains("bases scored at step 1"), t.stderr)
        let py = """
        import random, subprocess, sys, pyBigWig
        seqs, name = {}, None
        for line in open('g.fa'):
            line = line.strip()
            if line.startswith('>'): name = line[1:]; seqs[name] = []
            else: seqs[name].append(line)
        seqs = {k: ''.join(v) for k, v in seqs.items()}
        random.seed(6)
        bases = [('chr1', random.randrange(200000)) for _ in range(3000)] + [('chr2', random.randrange(5000)) for _ in range(300)]
        # Seams: units of 2^15 window offsets per thread, rounds of two units (first centre 30).
        for seam in [30 + (1 << 15), 30 + (1 << 16), 30 + 5 * (1 << 15), 1000, 1010, 150000, 150100, 0, 200000 - 31]:
            bases += [('chr1', c) for c in range(seam - 40, seam + 40) if 0 <= c < 200000]
        bases += [('chr2', c) for c in list(range(0, 40)) + list(range(4960, 5000))] + [('chr3', c) for c in range(40)]
        bw = pyBigWig.open('all.bw')
        def value(c, p):
            v = bw.values(c, p, p + 1)[0] if c in bw.chroms() else float('nan')
            return None if v != v else v
        wanted = []
        with open('w.fa', 'w') as f:
            for c, p in bases:
                s = p - 30
                ok = s >= 0 and s + 60 <= len(seqs[c]) and 'N' not in seqs[c][s:s + 60]
                if not ok:
                    if value(c, p) is not None: sys.exit('%s:%d has a value without a whole window' % (c, p))
                    continue
                f.write('>%s_%d\\n%s\\n' % (c, p, seqs[c][s:s + 60]))
                wanted.append((c, p))
        out = subprocess.run(['dragonn-predict', '-m', sys.argv[1], 'w.fa'], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[1:]
        assert len(rows) == len(wanted), (len(rows), len(wanted))
        worst = 0
        for (c, p), row in zip(wanted, rows):
            got = value(c, p)
            if got is None: sys.exit('%s:%d has no value' % (c, p))
            worst = max(worst, abs(got - float(row.split('\\t')[2])))
        print(len(wanted), worst)
        sys.exit(0 if worst <= 1e-6 else 'worst difference %g' % worst)
        """
        try py.write(to: dir.appendingPathComponent("check.py"), atomically: true, encoding: .utf8)
        let r = Shell.run("python3 check.py \(model)", in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let checked = Int(r.stdout.split(separator: " ").first ?? "") ?? 0
        XCTAssertGreaterThan(checked, 3000, r.stdout)
    }

    /// bigWig and bedGraph of one track hold the same intervals; the bigWig has zoom levels whose
    /// summaries agree with the exact values; --step 10 covers every tenth base's 10 bases.
    func testBigWigHasZoomLevelsAndTheBedGraphsValues() throws {
        makeGenome(length: 60_000)
        let r = Shell.run("""
            dragonn-predict -m \(model) --genome g.fa --track t.bw --step 10 2>/dev/null && \
            dragonn-predict -m \(model) --genome g.fa --track t.bedGraph.gz --step 10 2>/dev/null && ls t.bedGraph.gz.tbi && \
            python3 -c "
            import gzip, pyBigWig
            bw = pyBigWig.open('t.bw')
            assert list(bw.chroms()) == ['chr1', 'chr2', 'chr3'], bw.chroms()
            assert bw.header()['nLevels'] >= 1, bw.header()
            rows = [l.split() for l in gzip.open('t.bedGraph.gz', 'rt')]
            ivs = [(c, s, e, v) for c in ['chr1', 'chr2'] for (s, e, v) in bw.intervals(c)]
            assert len(rows) == len(ivs), (len(rows), len(ivs))
            for (c, s, e, v), row in zip(ivs, rows):
                assert (c, s, e) == (row[0], int(row[1]), int(row[2])), (c, s, e, row)
                assert abs(v - float(row[3])) <= 1e-7, (v, row)
            assert all(s % 10 == 0 for c, s, e, v in ivs if e - s == 10)
            exact = bw.stats('chr1', 0, 60000, exact=True)[0]
            zoom = bw.stats('chr1', 0, 60000, exact=False)[0]
            assert abs(exact - zoom) < 1e-3, (exact, zoom)
            print('ok', len(ivs))
            "
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("ok"), r.stdout)
    }

    /// Per-chromosome shards merged into one bigWig equal the whole-genome track; overlapping
    /// shards are refused (one line naming both, no output).
    func testMergedShardsEqualTheWholeTrack() throws {
        makeGenome(length: 20_000)
        let r = Shell.run("""
            printf 'chr1\\t0\\t20000\\n' > s1.bed && printf 'chr2\\t0\\t2500\\n' > s2.bed && printf 'chr2\\t2500\\t5000\\nchr3\\t0\\t40\\n' > s3.bed && \
            for s in s1 s2 s3; do dragonn-predict -m \(model) --genome g.fa --regions $s.bed --track $s.bw 2>/dev/null || exit 1; done && \
            dragonn-predict --merge-tracks s3.bw s1.bw s2.bw -o merged.bw && \
            dragonn-predict -m \(model) --genome g.fa --track whole.bw 2>/dev/null && \
            python3 -c "
            import pyBigWig
            a, b = pyBigWig.open('merged.bw'), pyBigWig.open('whole.bw')
            assert a.chroms() == b.chroms()
            for c in ['chr1', 'chr2']:
                assert a.intervals(c) == b.intervals(c), c
            print('same')
            "
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("same"), r.stdout)
        let bad = Shell.run("dragonn-predict --merge-tracks s1.bw whole.bw -o bad.bw", in: dir)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("dragonn-predict: whole.bw: chr1:"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("overlaps the shard s1.bw"), bad.stderr)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("bad.bw").path))
    }

    /// dragonn-attrib -o x.bw writes the bedGraph's values as a bigWig.
    func testAttribWritesBigWig() throws {
        let r = Shell.run("""
            dragonn-attrib grad -m \(model) \(inputs) --task task0 -o a.bedGraph 2>/dev/null && \
            dragonn-attrib grad -m \(model) \(inputs) --task task0 -o a.bw 2>/dev/null && \
            python3 -c "
            import pyBigWig
            bw = pyBigWig.open('a.bw')
            rows = [l.split() for l in open('a.bedGraph')]
            ivs = [(c, s, e, v) for c in bw.chroms() for (s, e, v) in bw.intervals(c)]
            assert len(rows) == len(ivs) > 0, (len(rows), len(ivs))
            for (c, s, e, v), row in zip(ivs, rows):
                assert (c, s, e) == (row[0], int(row[1]), int(row[2])) and abs(v - float(row[3])) <= 1e-6 * max(1, abs(v)), (c, s, e, v, row)
            print('ok')
            "
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("ok"), r.stdout)
    }

    func testBadTrackInputsAreOneLineErrors() throws {
        makeGenome(length: 2_000)
        let cases: [(String, String)] = [
            ("--genome g.fa --track t.bw --step 0", "--step must be at least 1"),
            ("--genome g.fa.gz --track t.bw", "g.fa.gz: genome is plain gzip, not BGZF"),
            ("--genome g.fa --regions r.bed --track t.bw", "r.bed: line 2: chromosome 'chrZ' is not in the genome"),
            ("--track t.bw", "--track needs --genome"),
        ]
        // A bedGraph may stream to stdout (a bigWig cannot: it is written by seeking).
        let stdout = Shell.run("dragonn-predict -m \(model) --genome g.fa --track - --step 100 2>/dev/null | head -2", in: dir)
        XCTAssertEqual(stdout.stdout.split(separator: "\n").first?.split(separator: "\t").prefix(3), ["chr1", "100", "200"])
        Shell.run("gzip -c g.fa > g.fa.gz && printf 'chr1\\t0\\t100\\nchrZ\\t0\\t10\\n' > r.bed", in: dir)
        for (options, message) in cases {
            let r = Shell.run("dragonn-predict -m \(model) \(options)", in: dir)
            XCTAssertNotEqual(r.status, 0, options)
            XCTAssertTrue(r.stderr.hasPrefix("dragonn-predict: "), r.stderr)
            XCTAssertTrue(r.stderr.contains(message), "\(options): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("t.bw").path), options)
        }
    }
}
