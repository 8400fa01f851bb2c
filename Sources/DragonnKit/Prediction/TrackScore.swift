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
    public init(trackPath: String, truthPath: String, withinPath: String? = nil) throws {
        let track = try BigWigReader(path: trackPath)
        let truth = try TruthBED.intervals(path: truthPath)
        let within = try withinPath.map { try TruthBED.intervals(path: $0) }
        var labels: [Bool] = [], scores: [Double] = []
        for c in track.chromosomes {
            let keep = within.map { $0[c.name] ?? [] }
            if keep?.isEmpty == true { continue }
            let positive = truth[c.name] ?? []
            var ti = 0, wi = 0
            let cursor = try track.cursor(on: c.name, length: c.length)
            while let iv = cursor.current {
                for b in iv.start..<iv.end {
                    if let keep {
                        while wi < keep.count && keep[wi].upperBound <= b { wi += 1 }
                        guard wi < keep.count, keep[wi].contains(b) else { continue }
                    }
                    while ti < positive.count && positive[ti].upperBound <= b { ti += 1 }
                    let isPositive = ti < positive.count && positive[ti].contains(b)
                    labels.append(isPositive); scores.append(Double(iv.value))
                    if isPositive { positives += 1 } else { negatives += 1 }
                }
                try cursor.advance()
            }
        }
        if positives > 0 && negatives > 0 {
            auPRC = averagePrecision(labels: labels, scores: scores)
            auROC = areaUnderROC(labels: labels, scores: scores)
        }
    }

}
