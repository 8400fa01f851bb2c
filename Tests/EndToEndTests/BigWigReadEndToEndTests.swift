import Foundation
import XCTest

/// `dragonn-predict --merge-tracks` and `--score-track` on corrupted bigWig tracks (the mutation
/// test that made libBigWig segfault): every run ends in success or one line
/// `dragonn-predict: FILE: problem` with status 1, never a signal.
final class BigWigReadEndToEndTests: FixtureTestCase {
    func testCorruptedTracksGiveOneLineErrors() throws {
        let r = Shell.run("""
            python3 -c "
            import random
            random.seed(3)
            with open('g.fa', 'w') as f:
                for name, n in [('chr1', 4000), ('chr2', 900)]:
                    f.write('>' + name + '\\n' + ''.join(random.choice('ACGT') for _ in range(n)) + '\\n')
            " && dragonn-predict -m \(model) --genome g.fa --track t.bw 2>/dev/null && \
            printf 'chr1\\t100\\t400\\nchr2\\t0\\t50\\n' > t.bed && \
            dragonn-predict --score-track t.bw --truth t.bed && \
            python3 -c "
            import random, subprocess
            random.seed(7)
            data = open('t.bw', 'rb').read()
            runs = errors = 0
            for k in range(60):
                d = bytearray(data)
                for _ in range(random.randint(1, 4)):
                    d[random.randrange(min(2048, len(d)))] ^= random.randint(1, 255)
                open('fz.bw', 'wb').write(bytes(d))
                for cmd in [['dragonn-predict', '--merge-tracks', 'fz.bw', '-o', 'out.bw'],
                            ['dragonn-predict', '--score-track', 'fz.bw', '--truth', 't.bed']]:
                    p = subprocess.run(cmd, capture_output=True, text=True, errors='replace')
                    runs += 1
                    assert p.returncode in (0, 1), (k, cmd, p.returncode, p.stderr)
                    if p.returncode == 1:
                        errors += 1
                        lines = p.stderr.strip().split('\\n')
                        assert len(lines) == 1 and lines[0].startswith('dragonn-predict: fz.bw: '), (k, p.stderr)
            print('runs', runs, 'errors', errors)
            "
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        // The intact track scores (a TSV header and one row); most mutants are caught.
        XCTAssertTrue(r.stdout.hasPrefix("track\ttruth\tpositives\tnegatives\tauPRC"), r.stdout)
        let counts = r.stdout.split(separator: "\n").last?.split(separator: " ").compactMap { Int($0) } ?? []
        XCTAssertEqual(counts.first, 120, r.stdout)
        XCTAssertGreaterThan(counts.last ?? 0, 30, r.stdout)
    }
}
