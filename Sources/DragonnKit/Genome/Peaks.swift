/// Sorted, merged intervals of one chromosome (0-based half-open), for "does this window touch
/// any of them" queries in O(1): a bucket index gives, per stretch of 2^shift bases, the first
/// interval ending after the stretch's start, so a query scans about one interval.
public struct IntervalSet: Sendable {
    /// Interval i's start at 2i and end at 2i + 1: a look-up reads both from one cache line.
    private var bounds: [Int] = []
    private var count = 0
    /// Bucket b covers bases [b << shift, (b + 1) << shift); `firstEnding[b]` is the first
    /// interval whose end lies after b << shift.
    private var shift = 0
    private var firstEnding: [Int32] = []

    /// The union of `intervals` (any order, overlaps allowed).
    public init(_ intervals: [(start: Int, end: Int)]) {
        for iv in intervals.sorted(by: { $0.start < $1.start }) where iv.end > iv.start {
            if count > 0, iv.start <= bounds[2 * count - 1] {
                bounds[2 * count - 1] = max(bounds[2 * count - 1], iv.end)
            } else {
                bounds.append(iv.start); bounds.append(iv.end); count += 1
            }
        }
        guard count > 0, bounds[2 * count - 1] > 0 else { return }
        let last = bounds[2 * count - 1]
        // Buckets about as wide as the mean spacing of the intervals: ~1 interval per bucket.
        let spacing = max(1, last / count)
        shift = Int.bitWidth - 1 - spacing.leadingZeroBitCount
        let buckets = (last - 1) >> shift + 1
        firstEnding = [Int32](repeating: 0, count: buckets)
        var i = 0
        for b in 0..<buckets {
            while i < count && bounds[2 * i + 1] <= b << shift { i += 1 }
            firstEnding[b] = Int32(i)
        }
    }

    /// True when `[start, end)` shares at least one base with an interval.
    @inline(__always)
    public func overlaps(_ start: Int, _ end: Int) -> Bool {
        // The first interval that ends after `start`; it overlaps when it begins before `end`.
        let b = max(0, start) >> shift
        guard b < firstEnding.count else { return false }   // past the last interval's end
        var i = Int(firstEnding[b])
        while i < count && bounds[2 * i + 1] <= start { i += 1 }
        return i < count && bounds[2 * i] < end
    }

    public var isEmpty: Bool { count == 0 }
}

/// The peaks of one task, read from a BED or narrowPeak file: per chromosome of the genome, the
/// sorted summits (narrowPeak column 10 when it is ≥ 0, else the region's centre `(start+end)/2`)
/// and the peak intervals.
public struct TaskPeaks: Sendable {
    /// Task name (`TASK=` of `--peaks TASK=FILE`, else the file name without its extensions).
    public var name: String
    public var path: String
    /// Summits per chromosome (genome index), sorted.
    public var summits: [[Int]]
    /// Peak intervals per chromosome (genome index).
    public var intervals: [[(start: Int, end: Int)]]
    /// Peaks read.
    public var count: Int
    /// Peaks on chromosomes absent from the genome, skipped (`skipMissing`).
    public var skipped: Int

    /// Parses `[TASK=]FILE`: a prefix before the first `=` that holds no `/` is the task name.
    public static func parseArgument(_ text: String) -> (task: String, path: String) {
        if let eq = text.firstIndex(of: "="), eq != text.startIndex, !text[..<eq].contains("/") {
            return (String(text[..<eq]), String(text[text.index(after: eq)...]))
        }
        var name = String(text.split(separator: "/").last ?? Substring(text))
        for suffix in [".gz", ".narrowPeak", ".broadPeak", ".bed", ".txt"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name.removeLast(suffix.count)
        }
        return (name, text)
    }

    /// Reads `path` against the genome's chromosomes (`index[name]` = genome index, `lengths` by
    /// index). A peak on a chromosome the genome lacks is an error naming the file and line, or
    /// counted and skipped with `skipMissing`; a peak past its chromosome's end or a summit
    /// outside its peak is an error; a file without peaks is an error.
    public init(task: String, path: String, index: [String: Int], lengths: [Int], skipMissing: Bool) throws {
        name = task
        self.path = path
        summits = [[Int]](repeating: [], count: lengths.count)
        intervals = [[(start: Int, end: Int)]](repeating: [], count: lengths.count)
        count = 0
        skipped = 0
        let reader = try BEDReader(path: path)
        while let r = try reader.next() {
            guard let c = index[r.region.chrom] else {
                if skipMissing { skipped += 1; continue }
                throw DragonnError(file: path, line: r.line,
                                   "chromosome '\(r.region.chrom)' is not in the genome (--skip-missing skips such peaks)")
            }
            guard r.region.end <= lengths[c] else {
                throw DragonnError(file: path, line: r.line,
                                   "peak \(r.region) runs past the end of \(r.region.chrom) (length \(lengths[c])): is it the genome the peaks were called on?")
            }
            var summit = r.region.start + (r.region.end - r.region.start) / 2
            if r.fields.count >= 10, let offset = Int(r.fields[9]), offset >= 0 {
                guard offset < max(1, r.region.length) else {
                    throw DragonnError(file: path, line: r.line, "summit offset \(offset) lies outside the peak \(r.region)")
                }
                summit = r.region.start + offset
            }
            summits[c].append(summit)
            intervals[c].append((r.region.start, max(r.region.end, r.region.start + 1)))
            count += 1
        }
        guard count > 0 else {
            throw DragonnError(file: path, skipped > 0 ? "none of its \(skipped) peaks is on a chromosome of the genome" : "no peaks in the file")
        }
        for c in summits.indices { summits[c].sort() }
    }

    /// True when a summit of this task lies in `[lo, hi)` of chromosome `chrom`.
    public func hasSummit(chrom: Int, in lo: Int, _ hi: Int) -> Bool {
        let s = summits[chrom]
        var a = 0, b = s.count
        while a < b { let mid = (a + b) / 2; if s[mid] < lo { a = mid + 1 } else { b = mid } }
        return a < s.count && s[a] < hi
    }
}
