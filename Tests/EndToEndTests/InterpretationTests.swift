import Foundation
import XCTest

/// Issue 12's interpretation pieces as users run them: ISM at N bases, the interpretation figure,
/// and dragonn-train's defaults, --quiet, --stop-on and --init.
final class InterpretationTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = Shell.scratch()
    }

    override func tearDown() {
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    private func python(_ script: String) -> Shell.Result {
        try? script.write(to: dir.appendingPathComponent("check.py"), atomically: true, encoding: .utf8)
        return Shell.run("python3 check.py", in: dir)
    }

    /// At an N every base is a real substitution: --npy holds logit(N replaced by b) − logit(sequence),
    /// centred over the four bases like every other position, each recomputed here by a plain
    /// dragonn-predict run on the substituted sequence; the bedGraph value there stays 0.
    func testISMAtAnNHoldsTheFourSubstitutionEffects() throws {
        let fixture = try XCTUnwrap(AttribEndToEndTests.fixture, "fixture model not found")
        let model = fixture.appendingPathComponent("model.safetensors").path
        let inputs = fixture.appendingPathComponent("inputs.fa").path
        let r = Shell.run("dragonn-attrib ism -m \(model) \(inputs) --task task1 --npy ism -o ism.bedGraph", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("--npy holds their four substitution effects"), r.stderr)
        // Every N replaced by each base in turn, one sequence per (N, base), plus the originals.
        let write = python("""
            seqs = []
            name = None
            for line in open('\(inputs)'):
                line = line.strip()
                if line.startswith('>'): name = line[1:].split()[0]
                elif line: seqs.append((name, line))
            with open('mutants.fa', 'w') as f:
                for i, (n, s) in enumerate(seqs):
                    f.write('>%s\\n%s\\n' % (n, s))
                    for p, c in enumerate(s):
                        if c == 'N':
                            for b in 'ACGT':
                                f.write('>%s_%d_%s\\n%s\\n' % (n, p, b, s[:p] + b + s[p + 1:]))
            """)
        XCTAssertEqual(write.status, 0, write.stderr)
        let p = Shell.run("dragonn-predict -m \(model) mutants.fa --logits -o mutants.tsv", in: dir)
        XCTAssertEqual(p.status, 0, p.stderr)
        let check = python("""
            import numpy as np
            a = np.load('ism.attr.npy')
            rows = [l.rstrip('\\n').split('\\t') for l in open('mutants.tsv')][1:]
            logit = {r[0]: float(r[2]) for r in rows}   # task1
            order = [l[1:].split()[0] for l in open('\(inputs)') if l.startswith('>')]
            checked = 0
            scale = max(abs(a).max(), 1e-6)
            for key in logit:
                if key.count('_') != 2: continue
                name, p, b = key.split('_'); p = int(p)
                effects = np.array([logit['%s_%d_%s' % (name, p, c)] - logit[name] for c in 'ACGT'])
                want = effects - effects.mean()
                got = a[order.index(name), :, p]
                assert np.abs(got - want).max() <= 1e-4 * scale + 1e-5, (key, got, want)
                assert np.abs(want).max() > 1e-5, (key, want)   # a real, non-zero effect
                checked += 1
            bg = [l.split('\\t') for l in open('ism.bedGraph')]
            at_n = {float(v) for c, s, e, v in bg if c == 's2' and int(s) < 23 and int(e) > 20}
            print(checked // 4, sorted(at_n))
            """)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "4 [0.0]\n")   // s1 has one N, s2 three
    }

    /// The figure: parses as XML; two columns, the most confident labelled positive and the least
    /// confident labelled negative (by dragonn-predict's probabilities), each titled with its
    /// probability and holding the six labelled rows; every row boxes each true motif of its
    /// sequence (the logo row those overlapping its window), counted against the BED.
    func testFigureHasSixRowsPerColumnAndTheTruthBoxes() throws {
        let fixture = try XCTUnwrap(AttribEndToEndTests.fixture, "fixture model not found")
        let model = fixture.appendingPathComponent("model.safetensors").path
        let inputs = fixture.appendingPathComponent("inputs.fa").path
        // The fixture's sequences, s0-s2 labelled positive for task1, s3-s5 negative.
        let setup = Shell.run("""
            awk '/^>/ { n = substr($1, 2); print ">" n " labels=0," (n < "s3" ? 1 : 0); next } { print }' \(inputs) > labelled.fa
            printf 's1\t10\t20\tTAL1_known4\t0\t+\ns1\t40\t50\tSP1_known1\t0\t-\ns4\t2\t12\tTAL1_known4\t0\t-\ns5\t30\t40\tTAL1_known4\t0\t+\ns5\t45\t55\tTAL1_known4\t0\t+\ns0\t0\t10\tTAL1_known4\t0\t+\ns2\t5\t15\tSP1_known1\t0\t+\ns3\t50\t60\tTAL1_known4\t0\t-\n' > truth.bed
            dragonn-predict -m \(model) labelled.fa -o p.tsv
            dragonn-attrib figure -m \(model) labelled.fa --task task1 --truth truth.bed -o default.svg --reference shuffle:3
            dragonn-attrib figure -m \(model) labelled.fa --task 1 --truth truth.bed -o named.svg --positive s1 --negative s5 --logo-window 20 --motif-names TAL1_known4
            """, in: dir)
        XCTAssertEqual(setup.status, 0, setup.stderr)
        let check = python("""
            import xml.etree.ElementTree as ET, re
            NS = '{http://www.w3.org/2000/svg}'
            prob = {l.split('\\t')[0]: float(l.split('\\t')[2]) for l in list(open('p.tsv'))[1:]}
            truth = {}
            for l in open('truth.bed'):
                c, s, e, m = l.split('\\t')[:4]
                truth.setdefault(c, []).append((int(s), int(e), m))
            keys = ['motif-scores', 'ism', 'ism-heatmap', 'deeplift', 'grad-input', 'deeplift-logo']
            def check(path, pos, neg, motifs):
                root = ET.parse(path).getroot()
                columns = [g for g in root.iter(NS + 'g') if g.get('class') == 'column']
                assert [c.get('data-sequence') for c in columns] == [pos, neg], [c.get('data-sequence') for c in columns]
                for c in columns:
                    name = c.get('data-sequence')
                    titles = [t.text for t in c.findall(NS + 'text') if t.text and 'P(task1) = ' in t.text]
                    assert len(titles) == 1 and titles[0].endswith('P(task1) = %.3f' % prob[name]), titles
                    rows = [g for g in c.findall(NS + 'g') if g.get('class') == 'row']
                    assert [r.get('data-row') for r in rows] == keys, [r.get('data-row') for r in rows]
                    for r in rows:
                        label = r.get('data-label')
                        assert label and any(t.text == label for t in r.iter(NS + 'text')), label
                        boxes = sorted(b.get('data-motif') for b in r.iter(NS + 'rect') if b.get('class') == 'truth')
                        lo, hi = int(r.get('data-start', 0)), int(r.get('data-end', 60))
                        want = sorted(m for s, e, m in truth.get(name, []) if s < hi and e > lo)
                        assert boxes == want, (path, name, r.get('data-row'), boxes, want)
                legend = [t.text for t in root.iter(NS + 'text')]
                assert [m for m in ['TAL1_known4', 'SP1_known1'] if m + ' score' in legend] == motifs, legend
                return columns
            pos = max(['s0', 's1', 's2'], key=lambda n: prob[n])
            neg = min(['s3', 's4', 's5'], key=lambda n: prob[n])
            check('default.svg', pos, neg, ['TAL1_known4', 'SP1_known1'])
            columns = check('named.svg', 's1', 's5', ['TAL1_known4'])
            logo = [r for r in columns[1].findall(NS + 'g') if r.get('data-row') == 'deeplift-logo'][0]
            assert int(logo.get('data-end')) - int(logo.get('data-start')) == 20, logo.attrib
            print('ok', pos, neg)
            """)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("ok"), check.stdout)
        let bad = Shell.run("dragonn-attrib figure -m \(model) labelled.fa --positive nope -o x.svg", in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertEqual(bad.stderr, "dragonn-attrib: labelled.fa: --positive 'nope' is not in the input\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.svg").path))
    }
}
