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

/// What every motif's hit scan of one sequence set shares: the five-base lookup codes of every
/// position and a running count of non-ACGT bases, computed once.
public struct MotifScanInput: Sendable {
    public let codes: [UInt8]
    public let count: Int
    public let length: Int
    /// `[sequence][position]` base-5 codes of the five bases from each position (`MotifScorer`).
    let index: [UInt16]
    /// `[sequence][length + 1]`: number of non-ACGT bases before each position.
    let nPrefix: [Int32]

    /// `count` sequences of `length` bases (`codes`, `[sequence][position]`).
    public init(codes: [UInt8], count: Int, length: Int) {
        precondition(codes.count == count * length)
        self.codes = codes; self.count = count; self.length = length
        var index = [UInt16](repeating: 0, count: count * length)
        var nPrefix = [Int32](repeating: 0, count: count * (length + 1))
        var row: [UInt16] = []
        for s in 0..<count {
            MotifScorer.fillIndex(codes[(s * length)..<((s + 1) * length)], into: &row)
            index.replaceSubrange((s * length)..<((s + 1) * length), with: row)
            var n: Int32 = 0
            for p in 0..<length {
                nPrefix[s * (length + 1) + p] = n
                if codes[s * length + p] > 3 { n += 1 }
            }
            nPrefix[s * (length + 1) + length] = n
        }
        self.index = index; self.nPrefix = nPrefix
    }
}

/// Finds motif hits: windows whose exact p-value is at most a threshold, FIMO's definition.
public enum MotifHits {
    /// Hits of `pwm` in `count` sequences of `length` bases (`codes`, `[sequence][position]`,
    /// 0...3 = A, C, G, T) against `background`, on both strands, with p-value ≤ `threshold`.
    /// Windows holding a non-ACGT base or running past a sequence's end are not tested. The hits
    /// come sorted by sequence, start, then strand (`+` first); `motif` is set to `motifIndex`.
    public static func find(pwm: PWM, motifIndex: Int = 0, codes: [UInt8], count: Int, length: Int,
                            background: [Double], threshold: Double,
                            binSize: Double = MotifPValues.defaultBinSize) -> [MotifHit] {
        find(pwm: pwm, motifIndex: motifIndex, in: MotifScanInput(codes: codes, count: count, length: length),
             background: background, threshold: threshold, binSize: binSize)
    }

    /// `find` over a prepared input (shared by every motif of a scan).
    ///
    /// The float scan (five-column lookups) only proposes candidates: a window's float score and
    /// its integer score times the bin size differ by at most width × bin / 2 plus rounding, so
    /// every window within that margin of the integer threshold is re-scored exactly. Most
    /// windows are dropped after two lookups: their partial score plus the largest the remaining
    /// columns can add is already below the cut.
    public static func find(pwm: PWM, motifIndex: Int = 0, in input: MotifScanInput, background: [Double],
                            threshold: Double, binSize: Double = MotifPValues.defaultBinSize) -> [MotifHit] {
        let scorer = MotifScorer(pwm: pwm, background: background)
        let table = MotifPValues(logOdds: scorer.logOdds, background: background, binSize: binSize)
        let w = scorer.width, length = input.length
        let cut = table.threshold(pValue: threshold)
        guard cut <= table.maximumScore, length >= w else { return [] }
        let largest = scorer.logOdds.map(abs).reduce(0, +)
        let floatCut = Float(Double(cut) * binSize - (Double(w) * binSize / 2 + 1e-3 + 1e-5 * largest))
        let reverseLogOdds = scorer.reverseLogOdds
        var hits: [MotifHit] = []
        var tests = 0
        let windows = length - w + 1
        for s in 0..<input.count {
            let nRow = s * (length + 1)
            // A sequence without N (the usual case) has every window tested.
            if input.nPrefix[nRow + length] == 0 { tests += 2 * windows; continue }
            for p in 0..<windows where input.nPrefix[nRow + p + w] == input.nPrefix[nRow + p] { tests += 2 }
        }
        for (reverse, blocks) in [(false, scorer.forward), (true, scorer.reverse)] {
            // The most the blocks after the first two can add.
            let rest = blocks.dropFirst(2).reduce(Float(0)) { $0 + ($1.max() ?? 0) }
            let bound = floatCut - rest
            let matrix = reverse ? reverseLogOdds : scorer.logOdds
            // The blocks after the first two, back to back, for the windows that pass the bound.
            let later = Array(blocks.dropFirst(2).joined())
            input.index.withUnsafeBufferPointer { index in
                input.nPrefix.withUnsafeBufferPointer { nPrefix in
                    let b0 = blocks[0], b1 = blocks.count > 1 ? blocks[1] : [Float](repeating: 0, count: MotifScorer.tableSize)
                    b0.withUnsafeBufferPointer { t0 in
                        b1.withUnsafeBufferPointer { t1 in
                            for s in 0..<input.count {
                                let row = s * length, nRow = s * (length + 1)
                                for p in 0..<windows {
                                    let i = row + p
                                    // Past the first block, idx[i + 5] is within the window when w > 5.
                                    var v = t0[Int(index[i])] + (w > MotifScorer.q ? t1[Int(index[i + MotifScorer.q])] : 0)
                                    guard v >= bound else { continue }
                                    later.withUnsafeBufferPointer { t in
                                        for j in 0..<(t.count / MotifScorer.tableSize) {
                                            v += t[j * MotifScorer.tableSize + Int(index[i + (j + 2) * MotifScorer.q])]
                                        }
                                    }
                                    guard v >= floatCut, nPrefix[nRow + p + w] == nPrefix[nRow + p] else { continue }
                                    let exact = table.integerScore(input.codes[row..<(row + length)], start: row + p, reverse: reverse)
                                    guard exact >= cut else { continue }
                                    var score = 0.0
                                    for k in 0..<w { score += matrix[k * 4 + Int(input.codes[row + p + k])] }
                                    hits.append(MotifHit(sequence: s, start: p, width: w, motif: motifIndex, strand: reverse ? "-" : "+",
                                                         score: score, pValue: table.pValue(integerScore: exact), qValue: 1))
                                }
                            }
                        }
                    }
                }
            }
        }
        hits.sort { ($0.sequence, $0.start, $0.strand == "+" ? 0 : 1) < ($1.sequence, $1.start, $1.strand == "+" ? 0 : 1) }
        let q = benjaminiHochberg(hits.map(\.pValue), tests: tests)
        for i in hits.indices { hits[i].qValue = q[i] }
        return hits
    }
}
