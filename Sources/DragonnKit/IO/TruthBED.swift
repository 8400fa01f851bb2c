/// The one reader of truth BEDs: the motif instances `dragonn-sim --bed` writes (BED6, chrom =
/// sequence name, name = motif), and the planted enhancers or motif instances along a genome that
/// `dragonn-predict --score-track` scores a track against. Errors name the file and line.
public enum TruthBED {
    /// Every record of `path` as a motif instance (0-based half-open; motif `motif` when the name
    /// column is missing), in file order. With `names`, a record on a sequence not among them is
    /// an error.
    public static func instances(path: String, names: [String]? = nil) throws -> [MotifInstance] {
        let known = names.map(Set.init)
        let reader = try BEDReader(path: path)
        var out: [MotifInstance] = []
        while let record = try reader.next() {
            if let known, !known.contains(record.region.chrom) {
                throw DragonnError(file: path, line: record.line, "sequence '\(record.region.chrom)' is not in the input")
            }
            out.append(MotifInstance(sequence: record.region.chrom, start: record.region.start, end: record.region.end,
                                     motif: record.name ?? "motif"))
        }
        return out
    }

    /// The records of `path` per chromosome as sorted, unioned ranges (overlapping or touching
    /// records become one; empty records are dropped).
    public static func intervals(path: String) throws -> [String: [Range<Int>]] {
        var out: [String: [Range<Int>]] = [:]
        for i in try instances(path: path) where i.end > i.start {
            out[i.sequence, default: []].append(i.start..<i.end)
        }
        return out.mapValues(unionRanges)
    }
}
