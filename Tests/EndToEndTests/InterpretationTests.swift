import Foundation
import XCTest

/// Issue 12's interpretation pieces as users run them: ISM at N bases, the interpretation figure,
/// and dragonn-train's defaults, --quiet, --stop-on and --init.
final class InterpretationTests: FixtureTestCase {
    private func python(_ script: String) -> Shell.Result {
        try? script.write(to: dir.appendingPathComponent("check.py"), atomically: true, encoding: .utf8)
        return Shell.run("python3 check.py", in: dir)
    }

    /// At an N every base is a real substitution: --npy holds logit(N replaced by b) − logit(sequence),
    /// centred over the four bases like every other position, each recomputed here by a plain
    /// dragonn-predict run on the substituted sequence; the bedGraph value there stays 0.
    func testISMAtAnNHoldsTheFourSubstitutionEffects() throws {
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
    private func simulate(_ name: String, seed: Int, n: Int, length: Int = 120) {
        let r = Shell.run("dragonn-sim single-motif-detection --seq-length \(length) --num-pos \(n) --num-neg \(n) -s \(seed) -q -o \(name)", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// The architecture a model file records, as "filters|widths|pool|dropout".
    private func architecture(_ model: String) -> String {
        python("""
            import json, struct
            raw = open('\(model)', 'rb').read()
            meta = json.loads(raw[8:8 + struct.unpack('<Q', raw[:8])[0]])['__metadata__']
            a = json.loads(meta['architecture'])
            print(a['num_filters'], a['conv_width'], a['pool_width'], a['dropout'], sep='|')
            """).stdout
    }

    /// SequenceDNN's defaults as the tutorial documents them (one layer of 15 filters of width 15,
    /// pool 35, dropout 0), and --num-filters alone giving each layer the default width.
    func testTrainingDefaultsFollowSequenceDNN() {
        simulate("train.fa", seed: 1, n: 60)
        let r = Shell.run("""
            dragonn-train train.fa -o d --epochs 1 -@ 1 2>/dev/null &&
            dragonn-train train.fa -o one --num-filters 1 --epochs 1 -@ 1 2>/dev/null &&
            dragonn-train train.fa -o two --num-filters 4 3 --epochs 1 -@ 1 2>/dev/null
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(architecture("d.safetensors"), "[15]|[15]|35|0\n")
        XCTAssertEqual(architecture("one.safetensors"), "[1]|[15]|35|0\n")
        XCTAssertEqual(architecture("two.safetensors"), "[4, 3]|[15, 15]|35|0\n")
    }

    /// -q keeps the first and last lines only; --stop-on auroc keeps the epoch of the highest
    /// validation auROC (a later tie wins, as for loss), read back from the metrics TSV.
    func testQuietAndStopOn() throws {
        simulate("train.fa", seed: 2, n: 150)
        let opts = "--num-filters 4 --conv-width 6 --pool-width 10 --epochs 6 --patience 2 -s 3 -@ 1 --learning-rate 0.01"
        let loud = Shell.run("dragonn-train train.fa -o loud \(opts)", in: dir)
        XCTAssertEqual(loud.status, 0, loud.stderr)
        XCTAssertTrue(loud.stderr.contains("Epoch 1:") && loud.stderr.contains("  valid  "), loud.stderr)
        let quiet = Shell.run("dragonn-train train.fa -o quiet \(opts) -q --stop-on auroc", in: dir)
        XCTAssertEqual(quiet.status, 0, quiet.stderr)
        XCTAssertTrue(quiet.stderr.hasPrefix("Training on "), quiet.stderr)
        XCTAssertFalse(quiet.stderr.contains("Epoch ") || quiet.stderr.contains("  valid  "), quiet.stderr)
        try quiet.stderr.write(to: dir.appendingPathComponent("log.txt"), atomically: true, encoding: .utf8)
        let check = python("""
            import re
            rows = [l.rstrip('\\n').split('\\t') for l in open('quiet.metrics.tsv')]
            h = rows[0]; rows = [dict(zip(h, r)) for r in rows[1:] if r[1] == 'valid']
            best, best_epoch, since = None, None, 0
            for r in rows:
                v = float(r['auroc'])
                if best is None or v >= best: best, best_epoch, since = v, int(r['epoch']), 0
                else: since += 1
            marked = [int(r['epoch']) for r in rows if r['best'] == '1']
            log = open('log.txt').read()
            assert re.search('Best epoch %d: validation auROC' % best_epoch, log), (best_epoch, log)
            print(best_epoch in marked, since >= 2 or len(rows) == 6)
            """)
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stdout, "True True\n")
        let curve = try String(contentsOf: dir.appendingPathComponent("quiet.learning-curve.svg"), encoding: .utf8)
        XCTAssertTrue(curve.contains("highest validation auROC"), "the curve's legend names the watched metric")
        let bad = Shell.run("dragonn-train train.fa -o bad --stop-on accuracy", in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--stop-on"), bad.stderr)
    }

    /// --init starts from a saved model: its architecture (and dropout) carried over, its
    /// parameters the starting point (a learning rate of 1e-9 leaves them as they were, where a
    /// fresh start is far from them), and clear errors when options or data disagree.
    func testInitWarmStartsFromASavedModel() {
        simulate("train.fa", seed: 4, n: 80)
        simulate("new.fa", seed: 5, n: 80)
        simulate("short.fa", seed: 6, n: 20, length: 100)
        let r = Shell.run("""
            dragonn-train train.fa -o base --num-filters 3 --conv-width 5 --pool-width 10 --dropout 0.2 --epochs 2 -s 1 -@ 1 -q 2>/dev/null &&
            dragonn-train new.fa -o tuned --init base.safetensors --epochs 1 --learning-rate 1e-9 -s 2 -@ 1 -q 2>/dev/null &&
            dragonn-train new.fa -o fresh --num-filters 3 --conv-width 5 --pool-width 10 --epochs 1 --learning-rate 1e-9 -s 2 -@ 1 -q 2>/dev/null
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(architecture("tuned.safetensors"), "[3]|[5]|10|0.2\n")
        let compare = python("""
            import json, struct, numpy as np
            def tensors(path):
                raw = open(path, 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]
                h = json.loads(raw[8:8 + n]); h.pop('__metadata__')
                return {k: np.frombuffer(raw[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]], '<f4') for k, v in h.items()}
            a, b, c = tensors('base.safetensors'), tensors('tuned.safetensors'), tensors('fresh.safetensors')
            near = max(float(abs(a[k] - b[k]).max()) for k in a)
            far = max(float(abs(a[k] - c[k]).max()) for k in a)
            print(near < 1e-5, far > 1e-2)
            """)
        XCTAssertEqual(compare.stdout, "True True\n", compare.stderr)
        let cases: [(String, String)] = [
            ("--init base.safetensors --num-filters 4", "dragonn-train: base.safetensors: the initial model has --num-filters 3 but 4 was given\n"),
            ("--init base.safetensors --conv-width 5 --pool-width 11", "dragonn-train: base.safetensors: the initial model has --pool-width 10 but 11 was given\n"),
        ]
        for (options, message) in cases {
            let e = Shell.run("dragonn-train new.fa -o e \(options) --epochs 1", in: dir)
            XCTAssertNotEqual(e.status, 0, options)
            XCTAssertEqual(e.stderr, message, options)
        }
        let short = Shell.run("dragonn-train short.fa -o e --init base.safetensors --epochs 1", in: dir)
        XCTAssertNotEqual(short.status, 0)
        XCTAssertTrue(short.stderr.hasPrefix("dragonn-train: base.safetensors: the initial model takes 120 bp sequences"), short.stderr)
        let same = Shell.run("dragonn-train new.fa -o base --init base.safetensors --epochs 1", in: dir)
        XCTAssertNotEqual(same.status, 0, "the initial model must not be overwritten")
    }
}
