import Foundation

/// PWM log-odds scanning (FIMO-style): per-base motif-score tracks and, with `MotifPValues`,
/// hits with exact p-values.
///
/// Conventions, shared by every function here:
/// - Scores are log2 odds (bits): Σ_k log2(p_motif(k, b_k) / p_background(b_k)).
/// - The score at position `p` is the score of the window `p..<p+width` (the motif's start
///   position), on the `+` strand the motif as given, on the `-` strand its reverse complement over
///   the same bases. A track holds the larger of the two (the best strand).
/// - A non-ACGT base (N) adds 0 to a window's score, as a zero one-hot column does in a
///   convolution; bases past the end of the sequence count as N, so the last `width - 1`
///   positions of a track hold the scores of the motif's first columns only.
public enum MotifScan {
    /// Background probabilities `[A, C, G, T]` of an i.i.d. sequence with GC fraction `gc`
    /// (strand-symmetric: A = T, C = G), as the simulations draw them.
    public static func background(gcFraction gc: Double) -> [Double] {
        [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    }

    /// The GC fraction of the ACGT bases among `codes` (N and other codes ignored); 0.5 when
    /// there are none. Clamped to [0.01, 0.99] so that no background probability is zero.
    public static func gcFraction(of codes: some Sequence<UInt8>) -> Double {
        var counts = [Int](repeating: 0, count: 5)
        for c in codes { counts[Int(min(c, 4))] += 1 }
        let acgt = counts[0] + counts[1] + counts[2] + counts[3]
        guard acgt > 0 else { return 0.5 }
        return min(0.99, max(0.01, Double(counts[1] + counts[2]) / Double(acgt)))
    }

    /// The motif-score track of one sequence: for every base `p` of `codes` (0...3 = A, C, G, T,
    /// anything else N), the best-strand log2-odds score of `pwm` against `background`
    /// (`[A, C, G, T]` probabilities) of the window starting at `p` (see `MotifScan` for the
    /// conventions). One value per base, `codes.count` values.
    public static func scoreTrack(pwm: PWM, codes: [UInt8], background: [Double]) -> [Float] {
        MotifScorer(pwm: pwm, background: background).track(codes: codes[...])
    }

    /// Motif-score tracks of `count` sequences of `length` bases held back to back in `codes`
    /// (`[sequence][position]`): `[sequence][position]` best-strand scores, as `scoreTrack`.
    public static func scoreTracks(pwm: PWM, codes: [UInt8], count: Int, length: Int, background: [Double]) -> [Float] {
        precondition(codes.count == count * length)
        let scorer = MotifScorer(pwm: pwm, background: background)
        var out = [Float](repeating: 0, count: count * length)
        var index = [UInt16](repeating: 0, count: length)
        var other = [Float](repeating: 0, count: length)
        out.withUnsafeMutableBufferPointer { o in
            for s in 0..<count {
                let seq = codes[(s * length)..<((s + 1) * length)]
                MotifScorer.fillIndex(seq, into: &index)
                let row = UnsafeMutableBufferPointer(rebasing: o[(s * length)..<((s + 1) * length)])
                scorer.strandScores(index: index, blocks: scorer.forward, into: row)
                other.withUnsafeMutableBufferPointer { r in
                    scorer.strandScores(index: index, blocks: scorer.reverse, into: r)
                    for p in 0..<length where r[p] > row[p] { row[p] = r[p] }
                }
            }
        }
        return out
    }
}

/// A PWM prepared for fast scanning against one background: log2-odds matrices of both strands
/// and, per strand, lookup tables that add up five columns at once.
///
/// The tables are indexed by the code of five consecutive bases in base 5 (A C G T N), computed
/// once per sequence (`fillIndex`) and shared by every motif; a window's score is then
/// ⌈width / 5⌉ lookups instead of `width` additions.
public struct MotifScorer: Sendable {
    /// Motif width.
    public let width: Int
    /// Log2 odds `[position][A, C, G, T]` of the motif as given (the `+` strand).
    public let logOdds: [Double]
    /// Five-column lookup tables of the `+` and `-` strand, `[block][5^5]`.
    let forward: [[Float]]
    let reverse: [[Float]]

    /// Letters per lookup and the table size (5 letters: A C G T and N).
    static let q = 5
    static let tableSize = 3125

    /// Prepares `pwm` against `background` (`[A, C, G, T]` probabilities).
    public init(pwm: PWM, background: [Double]) {
        precondition(background.count == 4 && background.allSatisfy { $0 > 0 })
        width = pwm.length
        let lo = Self.logOdds(pwm: pwm, background: background)
        logOdds = lo
        var rc = [Double](repeating: 0, count: width * 4)
        for k in 0..<width { for b in 0..<4 { rc[(width - 1 - k) * 4 + (3 - b)] = lo[k * 4 + b] } }
        forward = Self.blocks(lo, width: width)
        reverse = Self.blocks(rc, width: width)
    }

    /// Log2 odds `[position][A, C, G, T]` of `pwm` against `background`.
    static func logOdds(pwm: PWM, background: [Double]) -> [Double] {
        var lo = [Double](repeating: 0, count: pwm.length * 4)
        for k in 0..<pwm.length { for b in 0..<4 { lo[k * 4 + b] = log2(pwm.probability(at: k, base: b) / background[b]) } }
        return lo
    }

    /// Log2 odds `[position][A, C, G, T]` of the reverse complement (the `-` strand).
    public var reverseLogOdds: [Double] {
        var rc = [Double](repeating: 0, count: width * 4)
        for k in 0..<width { for b in 0..<4 { rc[(width - 1 - k) * 4 + (3 - b)] = logOdds[k * 4 + b] } }
        return rc
    }

    static func blocks(_ lo: [Double], width: Int) -> [[Float]] {
        stride(from: 0, to: width, by: q).map { first in
            var table = [Float](repeating: 0, count: tableSize)
            for code in 0..<tableSize {
                var rest = code, sum = 0.0
                // Letter t of the code is digit q-1-t (the first base is the most significant).
                for t in stride(from: q - 1, through: 0, by: -1) {
                    let b = rest % 5; rest /= 5
                    if b < 4 && first + t < width { sum += lo[(first + t) * 4 + b] }
                }
                table[code] = Float(sum)
            }
            return table
        }
    }

    /// `index[p]` = base-5 code of the five bases from `p` (non-ACGT and past-the-end bases = 4).
    static func fillIndex(_ codes: ArraySlice<UInt8>, into index: inout [UInt16]) {
        let n = codes.count
        if index.count != n { index = [UInt16](repeating: 0, count: n) }
        guard n > 0 else { return }
        let start = codes.startIndex
        @inline(__always) func letter(_ i: Int) -> UInt32 { i < n ? UInt32(min(codes[start + i], 4)) : 4 }
        var code: UInt32 = 0
        for i in 0..<q { code = code * 5 + letter(i) }
        index[0] = UInt16(code)
        for p in 1..<n {
            code = (code % 625) * 5 + letter(p + q - 1)
            index[p] = UInt16(code)
        }
    }

    /// Scores of every window start on one strand, written to `out` (`index.count` values).
    func strandScores(index: [UInt16], blocks: [[Float]], into out: UnsafeMutableBufferPointer<Float>) {
        let n = index.count
        for p in 0..<n { out[p] = 0 }
        index.withUnsafeBufferPointer { idx in
            for (j, table) in blocks.enumerated() {
                let shift = j * Self.q
                guard shift < n else { break }
                table.withUnsafeBufferPointer { t in
                    // Past the end every letter is N: the table's all-N entry.
                    let tail = t[Self.tableSize - 1]
                    for p in 0..<(n - shift) { out[p] += t[Int(idx[p + shift])] }
                    for p in (n - shift)..<n { out[p] += tail }
                }
            }
        }
    }

    /// The best-strand score track of one sequence (see `MotifScan.scoreTrack`).
    public func track(codes: ArraySlice<UInt8>) -> [Float] {
        var index: [UInt16] = []
        Self.fillIndex(codes, into: &index)
        var best = [Float](repeating: 0, count: codes.count)
        var other = best
        best.withUnsafeMutableBufferPointer { strandScores(index: index, blocks: forward, into: $0) }
        other.withUnsafeMutableBufferPointer { strandScores(index: index, blocks: reverse, into: $0) }
        for p in 0..<best.count where other[p] > best[p] { best[p] = other[p] }
        return best
    }
}
