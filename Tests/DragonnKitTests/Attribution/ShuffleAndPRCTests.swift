@testable import DragonnKit
import XCTest

final class DinucleotideShuffleTests: XCTestCase {
    private func dinucleotides(_ s: [UInt8]) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for i in 0..<(s.count - 1) { counts[Int(s[i]) * 256 + Int(s[i + 1]), default: 0] += 1 }
        return counts
    }

    func testPreservesDinucleotideCountsAndEnds() {
        var rng = RandomSource(seed: 7)
        for length in [3, 10, 57, 1000] {
            for _ in 0..<20 {
                // Skewed composition, some N, so the tree step has work to do.
                let s = (0..<length).map { _ -> UInt8 in
                    let u = rng.uniform()
                    return u < 0.5 ? 0 : u < 0.7 ? 2 : u < 0.97 ? 3 : 4
                }
                let t = dinucleotideShuffle(s, using: &rng)
                XCTAssertEqual(dinucleotides(t), dinucleotides(s))
                XCTAssertEqual(t.first, s.first)
                XCTAssertEqual(t.last, s.last)
            }
        }
    }

    /// The flat-array implementation draws exactly what the first one (an array per symbol,
    /// the standard library's shuffle; kept below as the reference) drew: the same sequences.
    func testSameSequencesAsTheReferenceImplementation() {
        var source = RandomSource(seed: 3)
        for length in [3, 4, 10, 57, 1000] {
            for trial in 0..<20 {
                let s = (0..<length).map { _ -> UInt8 in
                    trial % 2 == 0 ? UInt8(source.int(below: 4)) : (source.uniform() < 0.8 ? 0 : UInt8(source.int(below: 6)))
                }
                var a = RandomSource(seed: UInt64(trial)), b = a
                XCTAssertEqual(dinucleotideShuffle(s, using: &a), dinucleotideShuffleReference(s, using: &b), "length \(length)")
                XCTAssertEqual(a.next(), b.next(), "the same number of draws")
            }
        }
    }

    /// One shuffler reused across lengths and alphabets (its tables reset between calls) draws
    /// what the reference implementation draws.
    func testReusedShufflerMatchesTheReference() {
        let shuffler = DinucleotideShuffler()
        var source = RandomSource(seed: 11)
        for (trial, length) in [1000, 3, 57, 1000, 10, 2, 400].enumerated() {
            let s = (0..<length).map { _ in trial % 3 == 0 ? UInt8(source.int(below: 4)) : UInt8(source.int(below: 3) * 70) }
            var a = RandomSource(seed: UInt64(trial)), b = a
            var out = [UInt8](repeating: 9, count: length)
            s.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { shuffler.shuffle(c.baseAddress!, count: length, into: $0.baseAddress!, using: &a) }
            }
            XCTAssertEqual(out, dinucleotideShuffleReference(s, using: &b), "length \(length)")
            XCTAssertEqual(a.next(), b.next(), "the same number of draws")
        }
    }

    /// Many shuffles of one prepared sequence (DeepLIFT's references), one rng drawn through:
    /// the sequences the reference implementation draws one after another, including after a
    /// shorter sequence with another alphabet was prepared in between.
    func testPreparedShufflesMatchTheReference() {
        let shuffler = DinucleotideShuffler()
        var source = RandomSource(seed: 5)
        for (trial, length) in [1000, 7, 2, 300].enumerated() {
            let s = (0..<length).map { _ in trial == 1 ? UInt8(source.int(below: 3) * 90) : UInt8(source.int(below: 5)) }
            var a = RandomSource(seed: UInt64(100 + trial)), b = a
            s.withUnsafeBufferPointer { shuffler.prepare($0.baseAddress!, count: length) }
            for draw in 0..<6 {
                var out = [UInt8](repeating: 9, count: length)
                out.withUnsafeMutableBufferPointer { shuffler.shufflePrepared(into: $0.baseAddress!, using: &a) }
                XCTAssertEqual(out, dinucleotideShuffleReference(s, using: &b), "length \(length), shuffle \(draw)")
            }
            XCTAssertEqual(a.next(), b.next(), "the same number of draws")
        }
    }

    func testShufflesAndIsSeeded() {
        var source = RandomSource(seed: 1)
        let s = (0..<500).map { _ in UInt8(source.int(below: 4)) }
        var a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
        let x = dinucleotideShuffle(s, using: &a), y = dinucleotideShuffle(s, using: &b), z = dinucleotideShuffle(s, using: &c)
        XCTAssertEqual(x, y)
        XCTAssertNotEqual(x, z)
        XCTAssertNotEqual(x, s)
        // A real shuffle moves most positions.
        XCTAssertGreaterThan(zip(x, s).filter { $0 != $1 }.count, 250)
    }

    func testReferenceParsing() throws {
        XCTAssertEqual(try AttributionReference(parsing: "shuffle:20"), .shuffles(20))
        XCTAssertEqual(try AttributionReference(parsing: "zeros"), .zeros)
        XCTAssertEqual(try AttributionReference(parsing: "gc:0.4"), .gc(0.4))
        for bad in ["shuffle:0", "gc:2", "ones", "zeros:1", "shuffle:x"] {
            XCTAssertThrowsError(try AttributionReference(parsing: bad), bad)
        }
    }
}

final class PositionalPRCTests: XCTestCase {
    func testPerfectScoresGiveOneAndAmbiguousWindowsAreLeftOut() throws {
        let length = 50
        var scores = [Float](repeating: 0.01, count: 2 * length)
        for p in 0..<length { scores[p] = Float(p % 7) * 0.001; scores[length + p] = Float(p % 5) * 0.001 }
        for p in 20..<30 { scores[p] = 1 }   // instance on s0 at [20, 30)
        let truth = [MotifInstance(sequence: "s0", start: 20, end: 30, motif: "M")]
        let r = try positionalPRC(scores: scores, names: ["s0", "s1"], length: length, truth: truth)
        XCTAssertEqual(r.count, 1)
        XCTAssertEqual(r[0].auPRC, 1, accuracy: 1e-12)
        // Windows of 10 at 41 offsets per sequence. On s0, starts 18..22 cover ≥ 8 bases (positive),
        // starts 11..17 and 23..29 overlap less (ambiguous).
        XCTAssertEqual(r[0].positives, 5)
        XCTAssertEqual(r[0].windows, 2 * 41 - 14)
    }

    func testUninformativeScoresScoreLow() throws {
        let length = 200, n = 20
        var rng = RandomSource(seed: 5)
        let scores = (0..<(n * length)).map { _ in rng.uniformFloat() }
        let truth = (0..<n).map { MotifInstance(sequence: "s\($0)", start: 50 + $0, end: 62 + $0, motif: "M") }
        let r = try positionalPRC(scores: scores, names: (0..<n).map { "s\($0)" }, length: length, truth: truth)
        XCTAssertLessThan(r[0].auPRC, 0.2)
    }

    func testTruthNamingUnknownSequenceThrows() {
        XCTAssertThrowsError(try positionalPRC(scores: [Float](repeating: 0, count: 10), names: ["a"], length: 10,
                                               truth: [MotifInstance(sequence: "b", start: 0, end: 3, motif: "M")]))
    }
}

/// The first implementation (an array of exits per symbol), the reference for the flat one.
func dinucleotideShuffleReference<R: RandomNumberGenerator>(_ codes: [UInt8], using rng: inout R) -> [UInt8] {
    let n = codes.count
    guard n > 2 else { return codes }
    // Distinct symbols in order of first appearance, renumbered 0..<m.
    var symbols: [UInt8] = []
    for c in codes where !symbols.contains(c) { symbols.append(c) }
    let m = symbols.count
    var index = [Int](repeating: -1, count: 256)
    for (i, c) in symbols.enumerated() { index[Int(c)] = i }
    // Exits of each symbol, in sequence order: the symbol that follows each occurrence.
    var exits = [[Int]](repeating: [], count: m)
    for i in 0..<(n - 1) { exits[index[Int(codes[i])]].append(index[Int(codes[i + 1])]) }
    let last = index[Int(codes[n - 1])]
    // Pick the last exit of every other symbol until they form a tree rooted at `last`.
    var lastExit = [Int](repeating: -1, count: m)
    while true {
        for v in 0..<m where v != last && !exits[v].isEmpty {
            lastExit[v] = Int.random(in: 0..<exits[v].count, using: &rng)
        }
        var reaches = [Bool](repeating: false, count: m)
        reaches[last] = true
        var tree = true
        for v in 0..<m where !exits[v].isEmpty || v == last {
            // Follow last exits from v; a cycle (more than m steps) means not a tree.
            var u = v, steps = 0
            while !reaches[u] && steps <= m {
                u = exits[u][lastExit[u]]
                steps += 1
            }
            if !reaches[u] { tree = false; break }
            var w = v
            while !reaches[w] { reaches[w] = true; w = exits[w][lastExit[w]] }
        }
        if tree { break }
    }
    // Shuffle all exits but the chosen last one, which goes at the end.
    for v in 0..<m where !exits[v].isEmpty {
        if v != last {
            exits[v].swapAt(lastExit[v], exits[v].count - 1)
            exits[v][0..<(exits[v].count - 1)].shuffle(using: &rng)
        } else {
            exits[v].shuffle(using: &rng)
        }
    }
    var next = [Int](repeating: 0, count: m)
    var out = [UInt8](repeating: 0, count: n)
    var u = index[Int(codes[0])]
    out[0] = symbols[u]
    for i in 1..<n {
        let v = exits[u][next[u]]
        next[u] += 1
        u = v
        out[i] = symbols[u]
    }
    return out
}
