import DragonnKit
import XCTest

/// Helpers shared by the simulation tests: base codes, strand handling and statistics.
enum SimCheck {
    static let motifs: MotifCollection = try! MotifCollection.bundled()

    static func code(_ ascii: UInt8) -> UInt8 {
        switch ascii {
        case UInt8(ascii: "A"): return 0
        case UInt8(ascii: "C"): return 1
        case UInt8(ascii: "G"): return 2
        case UInt8(ascii: "T"): return 3
        default: return 4
        }
    }

    /// Base codes of `bases[start..<end]`, read on the instance's strand.
    static func instanceCodes(_ bases: [UInt8], _ p: PlacedInstance) -> [UInt8] {
        let codes = bases[p.start..<p.end].map(code)
        return p.reverse ? codes.reversed().map { $0 < 4 ? 3 - $0 : 4 } : codes
    }

    /// Fraction of G/C among bases not covered by an instance.
    static func backgroundGC(_ seqs: [SimulatedSequence]) -> (gc: Double, n: Int, aMinusT: Int, cMinusG: Int) {
        var gc = 0, n = 0, a = 0, t = 0, c = 0, g = 0
        for s in seqs {
            var covered = [Bool](repeating: false, count: s.bases.count)
            for p in s.instances { for i in p.start..<p.end { covered[i] = true } }
            for (i, b) in s.bases.enumerated() where !covered[i] {
                n += 1
                switch b {
                case UInt8(ascii: "A"): a += 1
                case UInt8(ascii: "C"): c += 1; gc += 1
                case UInt8(ascii: "G"): g += 1; gc += 1
                case UInt8(ascii: "T"): t += 1
                default: XCTFail("unexpected base \(b)")
                }
            }
        }
        return (Double(gc) / Double(n), n, a - t, c - g)
    }

    /// Asserts a binomial proportion `k/n` is within `z` standard errors of `p`.
    static func assertProportion(_ k: Int, _ n: Int, _ p: Double, z: Double = 4.5, _ what: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
        let sd = (p * (1 - p) / Double(n)).squareRoot()
        let observed = Double(k) / Double(n)
        XCTAssertLessThanOrEqual(abs(observed - p), z * sd + 1e-12,
                                 "\(what): \(k)/\(n) = \(observed), expected \(p) ± \(z * sd)", file: file, line: line)
    }

    /// Checks that no two instances of a sequence overlap and all lie inside the sequence.
    static func assertNoOverlaps(_ seqs: [SimulatedSequence], file: StaticString = #filePath, line: UInt = #line) {
        for s in seqs {
            let sorted = s.instances.sorted { $0.start < $1.start }
            for p in sorted {
                XCTAssertGreaterThanOrEqual(p.start, 0, file: file, line: line)
                XCTAssertLessThanOrEqual(p.end, s.bases.count, file: file, line: line)
            }
            for (x, y) in zip(sorted, sorted.dropFirst()) {
                XCTAssertLessThanOrEqual(x.end, y.start, "\(s.name): overlapping instances", file: file, line: line)
            }
        }
    }

    /// Checks that each instance, read on its strand, scores as a PWM sample (log-odds against
    /// the background above 0 for nearly all, and above the opposite strand on average), and that
    /// the minus-strand share is near 0.5.
    static func assertInstancesAreMotifSamples(_ seqs: [SimulatedSequence], motifs: [PWM], gc: Double,
                                               file: StaticString = #filePath, line: UInt = #line) {
        let bg = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
        var n = 0, positive = 0, reverse = 0
        var sumOwn = 0.0, sumOther = 0.0
        for s in seqs {
            for p in s.instances {
                let m = motifs[p.motif]
                XCTAssertEqual(p.length, m.length, file: file, line: line)
                let own = instanceCodes(s.bases, p)
                var flipped = p; flipped.reverse.toggle()
                let other = instanceCodes(s.bases, flipped)
                let score = m.logOdds(codes: own, background: bg)
                n += 1
                if score > 0 { positive += 1 }
                if p.reverse { reverse += 1 }
                sumOwn += score
                sumOther += m.logOdds(codes: other, background: bg)
            }
        }
        XCTAssertGreaterThan(n, 0, file: file, line: line)
        XCTAssertGreaterThanOrEqual(Double(positive) / Double(n), 0.97, "instances with positive log-odds", file: file, line: line)
        XCTAssertGreaterThan(sumOwn / Double(n), sumOther / Double(n) + 3, "own strand vs opposite strand", file: file, line: line)
        assertProportion(reverse, n, 0.5, "reverse-complement share", file: file, line: line)
    }
}
