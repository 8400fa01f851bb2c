/// A stretch of a chromosome, 0-based half-open (BED coordinates). Its name form is
/// `chrom:start-end` with the same BED coordinates, e.g. `chr1:1000-2000` is 1000 bases.
public struct GenomicRegion: Hashable, Sendable, CustomStringConvertible {
    public var chrom: String
    public var start: Int
    public var end: Int

    public init(chrom: String, start: Int, end: Int) {
        self.chrom = chrom; self.start = start; self.end = end
    }

    /// Parses `chrom:start-end` (split at the last `:`, so chromosome names may contain `:`);
    /// nil unless both coordinates are integers with 0 ≤ start ≤ end.
    public init?(name: String) {
        var text = name
        guard let (chromEnd, s, e) = text.withUTF8({ b -> (Int, Int, Int)? in
            guard let colon = b.lastIndex(of: 0x3A), colon > 0 else { return nil }
            func number(_ from: Int, _ to: Int) -> Int? {
                guard to > from, to - from <= 18 else { return nil }
                var v = 0
                for i in from..<to {
                    let d = Int(b[i]) - 48
                    guard d >= 0 && d <= 9 else { return nil }
                    v = v * 10 + d
                }
                return v
            }
            guard let dash = b[(colon + 1)...].firstIndex(of: 0x2D),
                  let s = number(colon + 1, dash), let e = number(dash + 1, b.count), s <= e else { return nil }
            return (colon, s, e)
        }) else { return nil }
        let chrom = String(decoding: name.utf8.prefix(chromEnd), as: UTF8.self)
        self.init(chrom: chrom, start: s, end: e)
    }

    /// Number of bases.
    public var length: Int { end - start }

    /// `chrom:start-end`.
    public var description: String { "\(chrom):\(start)-\(end)" }

    /// The region of `length` bases centred on this region's midpoint (`(start+end)/2`, rounded
    /// down); the new start is `mid - length/2`. It may start before 0 (callers check); its end
    /// stops at `Int.max` for coordinates near it (from a damaged BED), which no genome reaches.
    public func recentred(length: Int) -> GenomicRegion {
        let mid = start + (end - start) / 2   // (start + end) / 2 without overflow (0 <= start <= end)
        let s = mid - length / 2
        let (e, overflow) = s.addingReportingOverflow(length)
        return GenomicRegion(chrom: chrom, start: s, end: overflow ? Int.max : e)
    }
}
