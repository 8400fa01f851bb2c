/// The two rules every tool that writes tracks (bedGraph, bigWig) follows, in one place:
///
/// - **Order**: chromosomes in the reference's order (the genome's `.fai`; without a genome, the
///   order in which chromosomes first appear in the input), then by start — what
///   `bedtools sort -faidx` and samtools produce, so `bedtools ... -sorted -g` and tabix agree.
/// - **Overlaps**: where windows (regions, tiles) overlap, a base takes the value of the window
///   whose centre is nearest to the base's centre; on a tie, the window that starts first (on equal
///   starts, the one given first). Every covered base is written exactly once.
public enum TrackLayout {
    /// One stretch of bases `start..<end` on chromosome `chrom` whose values come from
    /// `intervals[interval]` (the window that owns them).
    public struct Stretch: Equatable, Sendable {
        public var chrom: String
        public var start: Int
        public var end: Int
        /// Index into the intervals given to `stretches`.
        public var interval: Int

        /// Bases `start..<end` of `chrom`, owned by interval `interval`.
        public init(chrom: String, start: Int, end: Int, interval: Int) {
            self.chrom = chrom; self.start = start; self.end = end; self.interval = interval
        }
    }

    /// The chromosome ranks of the order rule: `reference` first (its order), then chromosomes
    /// not in it in the order they first appear in `chromosomes`.
    public static func chromosomeRanks<S: Sequence>(reference: [String]?, chromosomes: S) -> [String: Int] where S.Element == String {
        var rank: [String: Int] = [:]
        for c in reference ?? [] where rank[c] == nil { rank[c] = rank.count }
        for c in chromosomes where rank[c] == nil { rank[c] = rank.count }
        return rank
    }

    /// Which window owns base `position` among `candidates` (each `(start, end, order)`, every one
    /// covering the base): the nearest centre, ties to the smaller start, then the smaller order.
    /// Returns the index into `candidates`. Distances are compared doubled, in integers: base p's
    /// centre is p + 1/2, a window's is (start + end) / 2.
    @inline(__always)
    public static func owner(of position: Int, among candidates: [(start: Int, end: Int, order: Int)]) -> Int {
        var best = 0
        for k in 1..<max(1, candidates.count) {
            let a = candidates[k], b = candidates[best]
            let da = abs(2 * position + 1 - a.start - a.end), db = abs(2 * position + 1 - b.start - b.end)
            if (da, a.start, a.order) < (db, b.start, b.order) { best = k }
        }
        return best
    }

    /// The intervals cut into non-overlapping stretches, each owned by one interval (the overlap
    /// rule), sorted by the order rule (`reference` = the genome's chromosome order, or nil).
    /// Bases no interval covers are absent; adjacent stretches of one interval are merged.
    public static func stretches(_ intervals: [(chrom: String, start: Int, end: Int)], reference: [String]?) -> [Stretch] {
        let rank = chromosomeRanks(reference: reference, chromosomes: intervals.lazy.map(\.chrom))
        let order = intervals.indices.filter { intervals[$0].start < intervals[$0].end }.sorted {
            let a = intervals[$0], b = intervals[$1]
            if a.chrom != b.chrom { return rank[a.chrom]! < rank[b.chrom]! }
            return a.start != b.start ? a.start < b.start : $0 < $1
        }
        var out: [Stretch] = []
        out.reserveCapacity(order.count)
        func append(_ chrom: String, _ start: Int, _ end: Int, _ owner: Int) {
            if let last = out.last, last.interval == owner, last.end == start, last.chrom == chrom {
                out[out.count - 1].end = end
            } else {
                out.append(Stretch(chrom: chrom, start: start, end: end, interval: owner))
            }
        }
        // Sweep each chromosome from left to right over the windows covering the current base.
        var next = 0
        while next < order.count {
            let chrom = intervals[order[next]].chrom
            var active: [Int] = []   // indices into `intervals`, covering position p
            var p = intervals[order[next]].start
            while true {
                active.removeAll { intervals[$0].end <= p }
                while next < order.count, intervals[order[next]].chrom == chrom, intervals[order[next]].start <= p {
                    active.append(order[next]); next += 1
                }
                if active.isEmpty {
                    guard next < order.count, intervals[order[next]].chrom == chrom else { break }
                    p = intervals[order[next]].start
                    continue
                }
                // The active set holds until the next start or the first end.
                var segmentEnd = active.map { intervals[$0].end }.min()!
                if next < order.count, intervals[order[next]].chrom == chrom {
                    segmentEnd = min(segmentEnd, intervals[order[next]].start)
                }
                if active.count == 1 {
                    append(chrom, p, segmentEnd, active[0])
                } else {
                    // The owner changes only where the nearest centre does; per base is simple and
                    // overlaps are short next to the windows themselves.
                    let candidates = active.map { (start: intervals[$0].start, end: intervals[$0].end, order: $0) }
                    for q in p..<segmentEnd {
                        append(chrom, q, q + 1, active[owner(of: q, among: candidates)])
                    }
                }
                p = segmentEnd
            }
        }
        return out
    }

    /// Bases covered by more than one interval (each counted once): what the overlap rule decided.
    public static func overlappedBases(_ intervals: [(chrom: String, start: Int, end: Int)]) -> Int {
        var byChrom: [String: [(Int, Int)]] = [:]
        for i in intervals where i.start < i.end { byChrom[i.chrom, default: []].append((i.start, i.end)) }
        var total = 0
        for (_, list) in byChrom {
            // Events +1 at start, -1 at end; count bases where coverage is at least 2.
            let events = (list.map { ($0.0, 1) } + list.map { ($0.1, -1) }).sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var depth = 0, previous = 0
            for (position, delta) in events {
                if depth >= 2 { total += position - previous }
                depth += delta; previous = position
            }
        }
        return total
    }
}
