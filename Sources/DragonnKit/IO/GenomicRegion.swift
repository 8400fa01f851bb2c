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
        guard let colon = name.lastIndex(of: ":") else { return nil }
        let chrom = name[..<colon]
        let span = name[name.index(after: colon)...]
        guard !chrom.isEmpty, let dash = span.firstIndex(of: "-") else { return nil }
        let a = span[..<dash], b = span[span.index(after: dash)...]
        guard !a.isEmpty, !b.isEmpty, a.allSatisfy({ $0.isASCII && $0.isNumber }),
              b.allSatisfy({ $0.isASCII && $0.isNumber }),
              let s = Int(a), let e = Int(b), s <= e else { return nil }
        self.init(chrom: String(chrom), start: s, end: e)
    }

    /// Number of bases.
    public var length: Int { end - start }

    /// `chrom:start-end`.
    public var description: String { "\(chrom):\(start)-\(end)" }

    /// The region of `length` bases centred on this region's midpoint (`(start+end)/2`, rounded
    /// down); the new start is `mid - length/2`. It may start before 0: callers check.
    public func recentred(length: Int) -> GenomicRegion {
        let mid = (start + end) / 2
        let s = mid - length / 2
        return GenomicRegion(chrom: chrom, start: s, end: s + length)
    }
}
