import Foundation
import XCTest

/// dragonn-train and dragonn-predict run as a user runs them, on data from dragonn-sim.
final class TrainPredictEndToEndTests: XCTestCase {
    var dir: URL!
    override func setUp() { dir = Shell.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func read(_ name: String) -> String {
        (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
    func bytes(_ name: String) -> Data {
        (try? Data(contentsOf: dir.appendingPathComponent(name))) ?? Data()
    }
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) }
    func tsv(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
    /// The auroc column of a `--evaluate` TSV.
    func auROC(_ text: String, row: Int = 1) -> Double? {
        let t = tsv(text)
        guard let c = t.first?.firstIndex(of: "auroc"), t.count > row else { return nil }
        return Double(t[row][c])
    }
    /// Runs a python3 script (numpy available) in the scratch folder.
    func python(_ script: String) -> Shell.Result {
        Shell.run("python3 - <<'PYEOF'\n\(script)\nPYEOF", in: dir)
    }

    /// A 1-layer model sees the motif anywhere (pool over the whole sequence): learns in seconds.
    let quick = "--num-filters 10 --conv-width 10 --pool-width 191 --dropout 0 --learning-rate 0.01 -@ 2"

    func simulate(_ name: String, seed: Int, n: Int = 1000, length: Int = 200) {
        let r = Shell.run("dragonn-sim single-motif-detection --seq-length \(length) --num-pos \(n) --num-neg \(n) -s \(seed) -q -o \(name)", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testLearnsPlantedMotifAndScoresHeldOutData() throws {
        simulate("train.fa", seed: 1)
        simulate("heldout.fa", seed: 2, n: 300)
        let t = Shell.run("dragonn-train train.fa -o m \(quick) --epochs 20 --test heldout.fa", in: dir)
        XCTAssertEqual(t.status, 0, t.stderr)
        XCTAssertTrue(t.stderr.contains("Epoch 1:"), t.stderr)
        XCTAssertTrue(t.stderr.contains(" *\n"), "best epoch marked")
        XCTAssertTrue(t.stderr.contains("Training on 1600 sequences of 200 bp, validating on 400"), "80/20 seeded split: \(t.stderr)")
        XCTAssertTrue(t.stderr.contains("  test  Loss:"), t.stderr)
        for f in ["m.safetensors", "m.metrics.tsv", "m.learning-curve.svg", "m.checkpoint.safetensors"] {
            XCTAssertTrue(exists(f), f)
        }
        // Metrics table: one row per epoch and split, then the test row on the best epoch.
        let rows = tsv(read("m.metrics.tsv"))
        XCTAssertEqual(Array(rows[0].prefix(4)), ["epoch", "split", "task", "loss"])
        XCTAssertTrue(rows.allSatisfy { $0.count == rows[0].count })
        let epochs = rows.dropFirst().filter { $0[1] == "train" }.count
        XCTAssertEqual(rows.count, 1 + 2 * epochs + 1)
        XCTAssertEqual(rows.last![1], "test")
        let best = rows.last![0]
        XCTAssertTrue(rows.contains { $0[0] == best && $0[1] == "valid" && $0.last == "1" })
        // The held-out data, scored by dragonn-predict --evaluate.
        let e = Shell.run("dragonn-predict -m m.safetensors heldout.fa --evaluate", in: dir)
        XCTAssertEqual(e.status, 0, e.stderr)
        let auc = try XCTUnwrap(auROC(e.stdout), e.stdout)
        XCTAssertGreaterThan(auc, 0.9, "held-out auROC")
        XCTAssertTrue(e.stderr.contains("auROC:"), e.stderr)
        // The same figure as the training run's test row.
        let testAuc = try XCTUnwrap(Double(rows.last![rows[0].firstIndex(of: "auroc")!]))
        XCTAssertEqual(testAuc, auc, accuracy: 1e-6)
        // Predictions: header, one row per sequence, probabilities in (0, 1); logits agree.
        let p = Shell.run("dragonn-predict -m m.safetensors heldout.fa -o p.tsv && dragonn-predict -m m.safetensors --logits - < heldout.fa", in: dir)
        XCTAssertEqual(p.status, 0, p.stderr)
        // Batches of 7 on one thread (streaming) give the same bytes as the default batches.
        let small = Shell.run("dragonn-predict -m m.safetensors heldout.fa --batch-size 7 -@ 1", in: dir)
        XCTAssertEqual(small.stdout, read("p.tsv"))
        let probs = tsv(read("p.tsv")), logits = tsv(p.stdout)
        XCTAssertEqual(probs[0], ["name", "task0"])
        XCTAssertEqual(probs.count, 601)
        XCTAssertEqual(probs[1][0], "pos_000001")
        for i in 1..<probs.count {
            let prob = Double(probs[i][1])!, z = Double(logits[i][1])!
            XCTAssertTrue(prob > 0 && prob < 1)
            XCTAssertEqual(prob, 1 / (1 + exp(-z)), accuracy: 1e-6)
        }
        // The learning curve is well-formed SVG.
        let svg = python("""
            import xml.etree.ElementTree as ET
            r = ET.parse('m.learning-curve.svg').getroot()
            print(r.tag, len(r.findall('{http://www.w3.org/2000/svg}polyline')))
            """)
        XCTAssertEqual(svg.stdout, "{http://www.w3.org/2000/svg}svg 4\n", svg.stderr)
    }

    func testResumeGivesTheModelOfAnUninterruptedRun() {
        simulate("train.fa", seed: 3, n: 600)
        let opts = "--num-filters 8 8 --conv-width 6 4 --pool-width 20 --dropout 0.2 -s 5 -@ 2 --patience 100"
        let r = Shell.run("""
            dragonn-train train.fa -o whole \(opts) --epochs 6 2>/dev/null
            dragonn-train train.fa -o part \(opts) --epochs 3 2>/dev/null
            dragonn-train train.fa -o part \(opts) --epochs 6 --resume
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Resuming after epoch 3"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Epoch 3:"), "epochs 1-3 are not trained again: \(r.stderr)")
        XCTAssertEqual(bytes("whole.safetensors"), bytes("part.safetensors"))
        XCTAssertFalse(bytes("whole.safetensors").isEmpty)
        // Same table, apart from the timing column.
        func withoutSeconds(_ s: String) -> [[String]] { tsv(s).map { $0.enumerated().filter { $0.offset != 12 }.map(\.element) } }
        XCTAssertEqual(withoutSeconds(read("whole.metrics.tsv")), withoutSeconds(read("part.metrics.tsv")))
        XCTAssertEqual(tsv(read("part.metrics.tsv")).count, 1 + 2 * 6)

        // A run killed mid-way (SIGKILL, no clean-up) and resumed ends the same.
        let k = Shell.run("""
            dragonn-train train.fa -o killed \(opts) --epochs 6 2>/dev/null & pid=$!
            while [ ! -e killed.checkpoint.safetensors ] && kill -0 $pid 2>/dev/null; do sleep 0.01; done
            kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
            dragonn-train train.fa -o killed \(opts) --epochs 6 --resume 2> resumed.log
            head -1 resumed.log
            """, in: dir)
        XCTAssertEqual(k.status, 0, k.stderr)
        XCTAssertTrue(k.stdout.hasPrefix("Resuming after epoch"), k.stdout)
        XCTAssertEqual(bytes("whole.safetensors"), bytes("killed.safetensors"))

        // Resuming on other data or with another architecture is refused.
        simulate("other.fa", seed: 4, n: 600)
        let bad = Shell.run("dragonn-train other.fa -o part \(opts) --epochs 8 --resume", in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("other training or validation data"), bad.stderr)
        let arch = Shell.run("dragonn-train train.fa -o part --num-filters 9 9 --conv-width 6 4 --pool-width 20 -s 5 --epochs 8 --resume", in: dir)
        XCTAssertNotEqual(arch.status, 0)
        XCTAssertTrue(arch.stderr.contains("other settings"), arch.stderr)
    }

    /// The model file holds PyTorch's Conv1d/Linear layouts: a numpy forward pass written from the
    /// file alone (conv, ReLU, max-pool, channel-major flatten, dense) gives dragonn-predict's logits.
    func testModelFileLoadsIntoAnIndependentForwardPass() {
        simulate("train.fa", seed: 6, n: 200, length: 120)
        let t = Shell.run("""
            dragonn-train train.fa -o m --num-filters 5 3 --conv-width 7 4 --pool-width 9 --dropout 0.2 --epochs 2 -s 2 2>/dev/null
            head -40 train.fa > few.fa
            dragonn-predict -m m.safetensors few.fa --logits -o logits.tsv
            """, in: dir)
        XCTAssertEqual(t.status, 0, t.stderr)
        let r = python("""
            import json, struct, numpy as np
            raw = open('m.safetensors', 'rb').read()
            n = struct.unpack('<Q', raw[:8])[0]
            header = json.loads(raw[8:8 + n])
            meta = header.pop('__metadata__')
            assert meta['format'] == 'dragonn.sequence-dnn' and meta['format_version'] == '1', meta
            import subprocess
            version = subprocess.run(['dragonn-train', '--version'], capture_output=True, text=True).stdout.strip()
            assert meta['dragonn_version'] == version and version, (meta, version)
            arch = json.loads(meta['architecture'])
            assert arch['num_filters'] == [5, 3] and arch['conv_width'] == [7, 4] and arch['pool_width'] == 9, arch
            assert arch['seq_length'] == 120 and arch['num_tasks'] == 1 and arch['alphabet'] == 'ACGT', arch
            assert abs(arch['dropout'] - 0.2) < 1e-12 and arch['L1'] == 0 and arch['task_names'] == ['task0'], arch
            T = {}
            for name, h in header.items():
                assert h['dtype'] == 'F32', h
                a, b = h['data_offsets']
                T[name] = np.frombuffer(raw[8 + n + a: 8 + n + b], '<f4').reshape(h['shape']).astype(np.float64)
            assert sorted(T) == ['conv.0.bias', 'conv.0.weight', 'conv.1.bias', 'conv.1.weight', 'dense.bias', 'dense.weight'], sorted(T)
            assert T['conv.0.weight'].shape == (5, 4, 7) and T['conv.1.weight'].shape == (3, 5, 4)
            pooled = (120 - 6 - 3) // 9
            assert T['dense.weight'].shape == (1, 3 * pooled) and T['dense.bias'].shape == (1,)
            lines = open('few.fa').read().split()
            seqs = [l for l in lines if not l.startswith('>') and '=' not in l]
            got = [float(l.split('\\t')[1]) for l in open('logits.tsv').read().splitlines()[1:]]
            worst = 0
            for s, g in zip(seqs, got):
                x = np.zeros((4, len(s)))
                for i, c in enumerate(s):
                    if c in 'ACGT': x[('ACGT').index(c), i] = 1
                for l in range(2):
                    w, b = T['conv.%d.weight' % l], T['conv.%d.bias' % l]
                    L = x.shape[1] - w.shape[2] + 1
                    x = np.maximum(0, np.stack([sum((w[f] * x[:, p:p + w.shape[2]]).sum() for _ in [0]) + b[f] for f in range(w.shape[0]) for p in range(L)]).reshape(w.shape[0], L))
                P = x.shape[1] // 9
                x = x[:, :P * 9].reshape(x.shape[0], P, 9).max(axis=2).reshape(-1)
                z = T['dense.weight'] @ x + T['dense.bias']
                worst = max(worst, abs(z[0] - g) / max(1, abs(z[0])))
            print(len(got), 'ok' if worst < 1e-4 else 'max error %g' % worst)
            """)
        XCTAssertEqual(r.stdout, "20 ok\n", r.stderr)
    }

    func testInputForms() {
        simulate("train.fa", seed: 7, n: 100, length: 100)
        // DragoNN's positive and negative files; a two-task labels TSV; a one-hot .npy with labels.
        let r = Shell.run("""
            awk 'NR % 2 == 1 { keep = ($2 == "labels=1") } keep' train.fa > pos.fa
            awk 'NR % 2 == 1 { keep = ($2 == "labels=0") } keep' train.fa > neg.fa
            dragonn-train --pos-sequences pos.fa --neg-sequences neg.fa -o pn --num-filters 4 --conv-width 5 --pool-width 10 --epochs 1 -@ 1
            dragonn-predict -m pn.safetensors --pos-sequences pos.fa --neg-sequences neg.fa --evaluate > pn.eval
            awk 'BEGIN { print "name\\tbound\\trandom" } NR % 2 == 1 { sub(">", "", $1); split($2, l, "="); print $1 "\\t" l[2] "\\t" (NR % 4 == 1) }' train.fa > two.tsv
            sed 's/ labels=.*//' train.fa > plain.fa
            dragonn-train plain.fa --labels two.tsv -o two --num-filters 4 --conv-width 5 --pool-width 10 --epochs 1 2>/dev/null
            dragonn-predict -m two.safetensors plain.fa | head -2 > two.pred
            dragonn-predict -m two.safetensors plain.fa --labels two.tsv --evaluate > two.eval 2>/dev/null
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("Training on 160 sequences of 100 bp, validating on 40"), r.stderr)
        XCTAssertTrue(read("pn.eval").contains("task0\t"), read("pn.eval"))
        XCTAssertEqual(tsv(read("pn.eval"))[1].suffix(2), ["100", "100"])
        XCTAssertEqual(tsv(read("two.pred"))[0], ["name", "bound", "random"])
        XCTAssertEqual(tsv(read("two.eval")).map { $0[0] }, ["task", "bound", "random"])
        XCTAssertTrue(read("two.metrics.tsv").contains("\tvalid\trandom\t"), read("two.metrics.tsv"))

        let npy = python("""
            import numpy as np
            lines = open('train.fa').read().splitlines()
            seqs = lines[1::2]; labels = [float(h.split('labels=')[1]) for h in lines[0::2]]
            x = np.zeros((len(seqs), 4, len(seqs[0])), np.uint8)
            for i, s in enumerate(seqs):
                for j, c in enumerate(s):
                    if c in 'ACGT': x[i, 'ACGT'.index(c), j] = 1
            np.save('x.npy', x); np.save('y.npy', np.array(labels, np.float32))
            np.save('bad.npy', np.array(labels, np.float32) * 2)
            """)
        XCTAssertEqual(npy.status, 0, npy.stderr)
        let n = Shell.run("""
            dragonn-train x.npy --labels-npy y.npy -o fromnpy --num-filters 4 --conv-width 5 --pool-width 10 --epochs 2 -s 3 2>/dev/null
            dragonn-train train.fa -o fromfa --num-filters 4 --conv-width 5 --pool-width 10 --epochs 2 -s 3 2>/dev/null
            gzip -c train.fa | dragonn-train - -o fromstdin --num-filters 4 --conv-width 5 --pool-width 10 --epochs 2 -s 3 2>/dev/null
            dragonn-predict -m fromnpy.safetensors x.npy --labels-npy y.npy --evaluate
            """, in: dir)
        XCTAssertEqual(n.status, 0, n.stderr)
        XCTAssertEqual(bytes("fromnpy.safetensors"), bytes("fromfa.safetensors"), "same data as FASTA or .npy, same model")
        XCTAssertEqual(bytes("fromstdin.safetensors"), bytes("fromfa.safetensors"), "gzip on stdin, same model")
        XCTAssertFalse(bytes("fromfa.safetensors").isEmpty)
        XCTAssertNotNil(auROC(n.stdout), n.stdout)
        let bad = Shell.run("dragonn-train x.npy --labels-npy bad.npy -o b --epochs 1", in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("not 0 or 1"), bad.stderr)
    }

    func testRegionsOfAGenomeGiveAGenomicBedGraph() {
        simulate("train.fa", seed: 8, n: 100, length: 100)
        let r = Shell.run("""
            dragonn-train train.fa -o m --num-filters 4 --conv-width 5 --pool-width 10 --epochs 1 2>/dev/null
            awk 'NR == 2 || NR == 4 { s = s $0 } END { print ">chr2"; print s; print ">chr1"; print s s }' train.fa > genome.fa
            printf 'chr1\\t300\\t340\\tpeakA\\nchr2\\t0\\t100\\tpeakB\\nchr1\\t10\\t110\\tpeakC\\nchr1\\t50\\t150\\tpeakD\\n' > peaks.bed
            dragonn-predict -m m.safetensors --regions peaks.bed --genome genome.fa --bedgraph track.bedGraph --track-line -o regions.tsv
            dragonn-predict -m m.safetensors --regions peaks.bed --genome genome.fa --bedgraph track.bedGraph.gz > /dev/null
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let rows = tsv(read("regions.tsv"))
        XCTAssertEqual(rows.map { $0[0] }, ["name", "chr1:270-370", "chr2:0-100", "chr1:10-110", "chr1:50-150"])
        let track = read("track.bedGraph").split(separator: "\n")
        XCTAssertTrue(track[0].hasPrefix("track type=bedGraph"))
        let p = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0[1]) })
        // Sorted in the genome's order (chr2, chr1); overlaps by the nearest centre: chr1:10-110
        // (centre 60) and chr1:50-150 (centre 100) share 50..<110 and split it at 80.
        XCTAssertEqual(track.dropFirst().map(String.init), [
            "chr2\t0\t100\t\(p["chr2:0-100"]!)",
            "chr1\t10\t80\t\(p["chr1:10-110"]!)",
            "chr1\t80\t150\t\(p["chr1:50-150"]!)",
            "chr1\t270\t370\t\(p["chr1:270-370"]!)",
        ])
        XCTAssertTrue(exists("track.bedGraph.gz.tbi"))
        let q = Shell.run("tabix track.bedGraph.gz chr1:300-301", in: dir)
        XCTAssertEqual(q.stdout, "chr1\t270\t370\t\(p["chr1:270-370"]!)\n", q.stderr)
    }

    func testBadInputGivesOneLineErrorsAndNoPartialFiles() {
        simulate("train.fa", seed: 9, n: 100, length: 100)
        simulate("long.fa", seed: 9, n: 5, length: 120)
        let setup = Shell.run("""
            dragonn-train train.fa -o m --num-filters 4 --conv-width 5 --pool-width 10 --epochs 2 --learning-rate 0.01 2>/dev/null
            cp m.safetensors m.before
            echo 'not a model' > text.safetensors
            sed 's/labels=1/labels=2/' train.fa > badlabels.fa
            """, in: dir)
        XCTAssertEqual(setup.status, 0, setup.stderr)
        let fix = python("""
            import json, struct
            raw = open('m.safetensors', 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]
            h = json.loads(raw[8:8 + n]); body = raw[8 + n:]
            def write(name, h):
                s = json.dumps(h).encode(); s += b' ' * (-len(s) % 8)
                open(name, 'wb').write(struct.pack('<Q', len(s)) + s + body)
            g = json.loads(json.dumps(h)); g['__metadata__']['format'] = 'something.else'; write('tag.safetensors', g)
            g = json.loads(json.dumps(h)); del g['dense.bias']; write('missing.safetensors', g)
            """)
        XCTAssertEqual(fix.status, 0, fix.stderr)
        let cases: [(String, String)] = [
            ("dragonn-predict -m m.safetensors long.fa -o out.tsv", "the model was trained on 100"),
            ("dragonn-predict -m text.safetensors train.fa -o out.tsv", "text.safetensors"),
            ("dragonn-predict -m tag.safetensors train.fa -o out.tsv", "wrong format tag"),
            ("dragonn-predict -m missing.safetensors train.fa -o out.tsv", "dense.bias"),
            ("dragonn-predict -m nothere.safetensors train.fa -o out.tsv", "nothere.safetensors"),
            ("sed 's/ labels=.*//' train.fa | dragonn-predict -m m.safetensors - --evaluate -o out.tsv", "no labels"),
            ("dragonn-train badlabels.fa -o out", "not 0 or 1"),
            ("sed 's/ labels=.*//' train.fa | dragonn-train - -o out", "no labels"),
            ("dragonn-train train.fa --valid long.fa -o out", "120 bases"),
            ("dragonn-train --pos-sequences train.fa -o out", "go together"),
            ("dragonn-train train.fa -o out --num-filters 4 4 --conv-width 5", "2 filter counts but 1"),
            ("dragonn-train train.fa -o out --pool-width 500", "too short"),
            ("dragonn-train train.fa -o out --resume", "no checkpoint"),
        ]
        for (command, message) in cases {
            let r = Shell.run(command, in: dir)
            XCTAssertNotEqual(r.status, 0, command)
            XCTAssertTrue(r.stderr.contains(message), "\(command): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertTrue(lines.first?.hasPrefix(command.contains("dragonn-train") ? "dragonn-train: " : "dragonn-predict: ") ?? false, r.stderr)
            // One line; usage errors (exit 64) add ArgumentParser's usage hint.
            if r.status == 64 { XCTAssertTrue(lines.dropFirst().first?.hasPrefix("Usage:") ?? false, r.stderr) }
            else { XCTAssertEqual(lines.count, 1, "\(command): \(r.stderr)") }
            XCTAssertFalse(exists("out.tsv") || exists("out.safetensors"), command)
        }
        // Divergence: a huge learning rate on resume makes the loss NaN; the run stops naming the
        // epoch and batch, and the checkpoint and best model of the last good epoch stay.
        let nan = Shell.run("dragonn-train train.fa -o m --num-filters 4 --conv-width 5 --pool-width 10 --epochs 4 --learning-rate 1e30 --resume", in: dir)
        XCTAssertNotEqual(nan.status, 0)
        XCTAssertTrue(nan.stderr.contains("at epoch 3, batch "), nan.stderr)
        XCTAssertEqual(bytes("m.safetensors"), bytes("m.before"))
        let again = Shell.run("dragonn-train train.fa -o m --num-filters 4 --conv-width 5 --pool-width 10 --epochs 3 --learning-rate 0.01 --resume", in: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("Resuming after epoch 2"), again.stderr)
    }
}

final class TrainProgressTests: XCTestCase {
    /// A progress line (epoch, batch, loss, sequences/s) is drawn only when stderr is a terminal.
    func testProgressLineOnlyOnATerminal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { throw XCTSkip("no script(1) to make a terminal") }
        let dir = Shell.scratch(name)
        defer { try? FileManager.default.removeItem(at: dir) }
        let opts = "--num-filters 4 --conv-width 5 --pool-width 10 --epochs 1 --batch-size 16"
        let r = Shell.run("""
            dragonn-sim single-motif-detection --seq-length 100 --num-pos 50 --num-neg 50 -q -o t.fa
            script -qec "dragonn-train t.fa -o tty \(opts) 2>&1 >/dev/null" /dev/null > tty.log
            dragonn-train t.fa -o pipe \(opts) 2> pipe.log
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let tty = try String(contentsOf: dir.appendingPathComponent("tty.log"), encoding: .utf8)
        let pipe = try String(contentsOf: dir.appendingPathComponent("pipe.log"), encoding: .utf8)
        XCTAssertTrue(tty.contains("\r\u{1B}[Kepoch 1/1  batch 5/5  training loss "), tty)
        XCTAssertTrue(tty.contains(" seq/s"), tty)
        XCTAssertFalse(pipe.contains("\r"), pipe)
        XCTAssertTrue(pipe.contains("Epoch 1:"), pipe)
    }
}
