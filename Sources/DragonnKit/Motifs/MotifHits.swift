import Foundation

/// One motif instance found by a scan: the window `start..<start+width` of sequence `sequence`.
public struct MotifHit: Equatable, Sendable {
    /// Index of the sequence in the scanned set.
    public var sequence: Int
    /// 0-based start of the window in the sequence; the window is `width` bases long.
    public var start: Int
    public var width: Int
    /// Index of the motif in the scanned list.
    public var motif: Int
    /// `+` for the motif as given, `-` for its reverse complement.
    public var strand: Character
    /// Log2-odds score (bits) of the window, computed in float64.
    public var score: Double
    /// P(S ≥ score) under the background, from the integer-scaled score (`MotifPValues`).
    public var pValue: Double
    /// Benjamini–Hochberg q-value over every window of this motif tested (both strands).
    public var qValue: Double
}

/// Finds motif hits: windows whose exact p-value is at most a threshold, FIMO's definition.
public enum MotifHits {
    /// Hits of `pwm` in `count` sequences of `length` bases (`codes`, `[sequence][position]`,
    /// 0...3 = A, C, G, T) against `background`, on both strands, with p-value ≤ `threshold`.
    /// Windows holding a non-ACGT base or running past a sequence's end are not tested. The hits
    /// come sorted by sequence, start, then strand (`+` first); `motif` is set to `motifIndex`.
    ///
    /// The float scan (five-column lookups) only proposes candidates: a window's float score and
    /// its integer score times the bin size differ by at most width × bin / 2 plus rounding, so
    /// every window within that margin of the integer threshold is re-scored exactly.
    public static func find(pwm: PWM, motifIndex: Int = 0, codes: [UInt8], count: Int, length: Int,
                            background: [Double], threshold: Double,
                            binSize: Double = MotifPValues.defaultBinSize) -> [MotifHit] {
        precondition(codes.count == count * length)
        let scorer = MotifScorer(pwm: pwm, background: background)
        let table = MotifPValues(logOdds: scorer.logOdds, background: background, binSize: binSize)
        let w = scorer.width
        let cut = table.threshold(pValue: threshold)
        guard cut <= table.maximumScore, length >= w else { return [] }
        let largest = scorer.logOdds.map(abs).reduce(0, +)
        let floatCut = Float(Double(cut) * binSize - (Double(w) * binSize / 2 + 1e-3 + 1e-5 * largest))
        let reverseLogOdds = scorer.reverseLogOdds
        var hits: [MotifHit] = []
        var tests = 0
        var index: [UInt16] = []
        var fwd = [Float](repeating: 0, count: length), rev = fwd
        for s in 0..<count {
            let seq = codes[(s * length)..<((s + 1) * length)]
            MotifScorer.fillIndex(seq, into: &index)
            fwd.withUnsafeMutableBufferPointer { scorer.strandScores(index: index, blocks: scorer.forward, into: $0) }
            rev.withUnsafeMutableBufferPointer { scorer.strandScores(index: index, blocks: scorer.reverse, into: $0) }
            // Windows free of N: a running count of N over the window.
            var ns = 0
            for k in 0..<(w - 1) where seq[seq.startIndex + k] > 3 { ns += 1 }
            for p in 0...(length - w) {
                if seq[seq.startIndex + p + w - 1] > 3 { ns += 1 }
                defer { if seq[seq.startIndex + p] > 3 { ns -= 1 } }
                guard ns == 0 else { continue }
                tests += 2
                func check(_ reverse: Bool) {
                    let exact = table.integerScore(seq, start: seq.startIndex + p, reverse: reverse)
                    guard exact >= cut else { return }
                    let matrix = reverse ? reverseLogOdds : scorer.logOdds
                    var score = 0.0
                    for k in 0..<w { score += matrix[k * 4 + Int(seq[seq.startIndex + p + k])] }
                    hits.append(MotifHit(sequence: s, start: p, width: w, motif: motifIndex, strand: reverse ? "-" : "+",
                                         score: score, pValue: table.pValue(integerScore: exact), qValue: 1))
                }
                if fwd[p] >= floatCut { check(false) }
                if rev[p] >= floatCut { check(true) }
            }
        }
        let q = benjaminiHochberg(hits.map(\.pValue), tests: tests)
        for i in hits.indices { hits[i].qValue = q[i] }
        return hits
    }
}
