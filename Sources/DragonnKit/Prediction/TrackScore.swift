import Foundation

/// How well a bigWig track separates the bases inside a truth BED (positives) from the other
/// bases (negatives): every base with a value counts once (a value covering n bases counts n
/// times), restricted to `within` regions when given. The workflow scores enhancer recovery
/// (prediction track vs planted enhancers) and positional auPRC (attribution track vs motif
/// instances, within the attributed peaks) with it.
public struct TrackScore: Sendable {
    public var positives = 0, negatives = 0
    /// Average precision (auPRC) and area under the ROC curve; NaN without both classes.
    public var auPRC = Double.nan, auROC = Double.nan
    /// auPRC of a random track: the fraction of positives.
    public var baseline: Double { positives + negatives == 0 ? .nan : Double(positives) / Double(positives + negatives) }

    /// TSV header of `tsvFields`.
    public static let tsvHeader = "positives\tnegatives\tauPRC\tauROC\tbaseline"
    /// positives, negatives, auPRC, auROC, baseline (tab-separated).
    public var tsvFields: String {
        func f(_ x: Double) -> String { String(format: "%.6g", x) }
        return "\(positives)\t\(negatives)\t\(f(auPRC))\t\(f(auROC))\t\(f(baseline))"
    }

    /// Scores the bigWig at `trackPath` against `truthPath` (BED), within `withinPath` (BED) when given.
    /// Memory grows with the track's intervals, not its bases: each interval adds its value once
    /// with the counts of its positive and negative bases, found by range arithmetic (a track
    /// whose one interval claims a whole chromosome costs one entry), and intervals of equal
    /// value are merged whenever the list doubles (a track of few values stays small).
    public init(trackPath: String, truthPath: String, withinPath: String? = nil) throws {
        let track = try BigWigReader(path: trackPath)
        let truth = try TruthBED.intervals(path: truthPath)
        let within = try withinPath.map { try TruthBED.intervals(path: $0) }
        var groups: [ScoreGroup] = [], mergeAt = 1 << 20
        for c in track.chromosomes {
            let keep = within.map { $0[c.name] ?? [] }
            if keep?.isEmpty == true { continue }
            let positive = truth[c.name] ?? []
            var ti = 0, wi = 0
            let cursor = try track.cursor(on: c.name, length: c.length)
            while let iv = cursor.current {
                var pos = 0, all = 0
                // The interval's pieces inside `within` (or the whole interval), then the truth inside each piece.
                func count(_ piece: Range<Int>) {
                    all += piece.count
                    while ti < positive.count && positive[ti].upperBound <= piece.lowerBound { ti += 1 }
                    var k = ti
                    while k < positive.count && positive[k].lowerBound < piece.upperBound {
                        pos += positive[k].clamped(to: piece).count
                        k += 1
                    }
                }
                let span = iv.start..<max(iv.start, iv.end)
                if let keep {
                    while wi < keep.count && keep[wi].upperBound <= span.lowerBound { wi += 1 }
                    var k = wi
                    while k < keep.count && keep[k].lowerBound < span.upperBound {
                        count(keep[k].clamped(to: span))
                        k += 1
                    }
                } else {
                    count(span)
                }
                if all > 0 {   // bigWig intervals are at most 2^32 − 1 bases
                    groups.append(ScoreGroup(score: iv.value, positives: UInt32(pos), negatives: UInt32(all - pos)))
                    if groups.count >= mergeAt {
                        groups = ScoreGroup.merged(groups)
                        mergeAt = max(mergeAt, 2 * groups.count)
                    }
                }
                positives += pos; negatives += all - pos
                try cursor.advance()
            }
        }
        if positives > 0 && negatives > 0 {
            let merged = ScoreGroup.merged(groups)
            auPRC = averagePrecision(groups: merged)
            auROC = areaUnderROC(groups: merged)
        }
    }
}
