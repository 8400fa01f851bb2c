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
}
