/// `dragonn-sim motifs`: one line per motif, `name<TAB>length<TAB>consensus`.
public enum MotifListing {
    /// The listing lines for the motifs of `collection` matching `pattern` (see
    /// `MotifCollection.matching`); an error when nothing matches.
    public static func lines(_ collection: MotifCollection, pattern: String?) throws -> [String] {
        let found = collection.matching(pattern)
        if found.isEmpty, let pattern {
            let close = collection.closestNames(to: pattern, limit: 5)
            throw DragonnError("no motif matches '\(pattern)'" + (close.isEmpty ? "" : "; closest: " + close.joined(separator: ", ")))
        }
        return found.map { "\($0.name)\t\($0.length)\t\($0.consensus)" }
    }

    /// Writes the listing to `output` (`-` = stdout), which may not be one of `inputs`.
    public static func write(_ collection: MotifCollection, pattern: String?, output: String, inputs: [String] = []) throws {
        try OutputTransaction.write(output, inputs: inputs) { file in
            for line in try lines(collection, pattern: pattern) { try file.write(line + "\n") }
        }
    }
}
