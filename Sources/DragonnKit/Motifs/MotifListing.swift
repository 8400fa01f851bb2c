/// `dragonn-sim motifs`: one line per motif, `name<TAB>length<TAB>consensus`, and the MEME export.
public enum MotifListing {
    /// The motifs `patterns` name, in the order given without repeats: a pattern equal to a name
    /// (or alternate name) selects that motif; otherwise it selects the motifs it matches (see
    /// `MotifCollection.matching`). No pattern selects all. An error when a pattern matches nothing.
    public static func select(_ collection: MotifCollection, patterns: [String]) throws -> [PWM] {
        if patterns.isEmpty { return collection.motifs }
        var chosen: [PWM] = [], seen = Set<String>()
        for pattern in patterns {
            let found = collection[pattern].map { [$0] } ?? collection.matching(pattern)
            if found.isEmpty {
                let close = collection.closestNames(to: pattern, limit: 5)
                throw DragonnError("no motif matches '\(pattern)'" + (close.isEmpty ? "" : "; closest: " + close.joined(separator: ", ")))
            }
            for m in found where seen.insert(m.name).inserted { chosen.append(m) }
        }
        return chosen
    }

    /// The listing lines for the motifs of `collection` matching `pattern` (see `select`).
    public static func lines(_ collection: MotifCollection, pattern: String?) throws -> [String] {
        try select(collection, patterns: pattern.map { [$0] } ?? []).map { "\($0.name)\t\($0.length)\t\($0.consensus)" }
    }

    /// Writes the listing of the motifs `patterns` select to `output` (`-` = stdout; nil = none)
    /// and, with `meme`, the same motifs in MEME format (probabilities as stored, pseudocount
    /// included; uniform background). Neither may be one of `inputs`.
    public static func write(_ collection: MotifCollection, patterns: [String], output: String?, meme: String? = nil,
                             inputs: [String] = []) throws {
        let motifs = try select(collection, patterns: patterns)
        let outputs = try OutputTransaction(inputs: inputs, outputs: [output, meme].compactMap { $0 })
        if let output {
            try outputs.open(output).write(motifs.map { "\($0.name)\t\($0.length)\t\($0.consensus)\n" }.joined())
        }
        if let meme { try outputs.open(meme).write(MemeWriter.text(motifs.map { MemeWriter.Motif($0) })) }
        try outputs.commit()
    }
}
