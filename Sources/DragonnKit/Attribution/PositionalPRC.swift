/// One embedded motif instance of the ground truth (a row of `dragonn-sim --bed`): 0-based
/// half-open `[start, end)` on sequence `sequence`.
public struct MotifInstance: Equatable, Sendable {
    public var sequence: String, start: Int, end: Int, motif: String
    public init(sequence: String, start: Int, end: Int, motif: String) {
        self.sequence = sequence; self.start = start; self.end = end; self.motif = motif
    }
}

/// Positional precision-recall of one motif: how well windows ranked by summed attribution find
/// the embedded instances.
public struct PositionalPRC: Equatable, Sendable {
    public var motif: String
    /// Area under the precision-recall curve (average precision, tied scores as one threshold).
    public var auPRC: Double
    /// Windows scored (positives + negatives; ambiguous windows are left out).
    public var windows: Int
    public var positives: Int
}

/// Positional PRC per motif, as DragoNN scored attributions against the truth.
///
/// For each motif, every window of the motif's length (the longest of its instances) at every
/// offset of every sequence is scored by the sum of `scores` (`[sequence][position]`, the
/// attribution of the observed base) over it. A window is positive when it covers at least 80% of
/// an instance of that motif in its sequence, ambiguous (left out) when it overlaps one less than
/// that, negative otherwise. Throws when the truth names a sequence not in `names`.
public func positionalPRC(scores: [Float], names: [String], length: Int,
                          truth: [MotifInstance]) throws -> [PositionalPRC] {
    var row: [String: Int] = [:]
    for (i, n) in names.enumerated() where row[n] == nil { row[n] = i }
    for t in truth where row[t.sequence] == nil {
        throw DragonnError("truth BED names sequence '\(t.sequence)', which is not in the input")
    }
    var motifs: [String] = []
    for t in truth where !motifs.contains(t.motif) { motifs.append(t.motif) }
    var results: [PositionalPRC] = []
    for motif in motifs {
        let instances = truth.filter { $0.motif == motif }
        let w = min(length, instances.map { $0.end - $0.start }.max() ?? 1)
        guard w > 0 else { continue }
        var bySequence = [[MotifInstance]](repeating: [], count: names.count)
        for t in instances { bySequence[row[t.sequence]!].append(t) }
        var labels: [Bool] = [], windowScores: [Double] = []
        labels.reserveCapacity(names.count * (length - w + 1))
        windowScores.reserveCapacity(names.count * (length - w + 1))
        for s in 0..<names.count {
            let base = s * length
            var sum: Float = 0
            for p in 0..<w { sum += scores[base + p] }
            for start in 0...(length - w) {
                if start > 0 { sum += scores[base + start + w - 1] - scores[base + start - 1] }
                var positive = false, ambiguous = false
                for t in bySequence[s] {
                    let overlap = min(start + w, t.end) - max(start, t.start)
                    if overlap <= 0 { continue }
                    if Double(overlap) >= 0.8 * Double(t.end - t.start) { positive = true } else { ambiguous = true }
                }
                if positive || !ambiguous { labels.append(positive); windowScores.append(Double(sum)) }
            }
        }
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        results.append(PositionalPRC(motif: motif, auPRC: averagePrecision(labels: labels, scores: windowScores),
                                     windows: labels.count, positives: positives))
    }
    return results
}
