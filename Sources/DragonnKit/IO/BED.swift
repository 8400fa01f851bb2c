/// One BED line: the region (0-based half-open), the optional name column and the line number.
public struct BEDRecord: Sendable, Equatable {
    public var region: GenomicRegion
    /// Fourth column when present.
    public var name: String?
    /// All columns as written (BED3+: extra columns are kept, not interpreted).
    public var fields: [String]
    /// 1-based line number in the file.
    public var line: Int
}

/// Streaming BED reader (BED3 and more columns; tab-separated, or white-space-separated when a
/// line has no tab). Blank lines, `#` comments and `track`/`browser` lines are skipped.
/// Errors name the file and line.
public final class BEDReader {
    public let path: String
    private let lines: LineReader

    /// Opens `path` (plain, gzip, BGZF, or `-`).
    public init(path: String) throws {
        self.path = path
        lines = try LineReader(path: path)
    }

    /// The next region, or nil at the end of the file.
    public func next() throws -> BEDRecord? {
        while let line = try lines.next() {
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("track") || line.hasPrefix("browser") {
                continue
            }
            // Byte-level tests and tab splitting (a tab never joins a grapheme, so the fields are
            // the same as splitting by Character, without the grapheme work).
            if line.utf8.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
            let fields: [String] = line.utf8.contains(9)
                ? line.utf8.split(separator: 9, omittingEmptySubsequences: false).map { String(Substring($0)) }
                : line.split(whereSeparator: { $0 == " " }).map(String.init)
            let n = lines.lineNumber
            guard fields.count >= 3 else {
                throw DragonnError(file: path, line: n, "malformed BED line: expected at least 3 columns (chrom, start, end), found \(fields.count)")
            }
            guard !fields[0].isEmpty else { throw DragonnError(file: path, line: n, "malformed BED line: empty chromosome name") }
            guard let start = Int(fields[1]), start >= 0 else {
                throw DragonnError(file: path, line: n, "malformed BED line: start '\(fields[1])' is not a non-negative integer")
            }
            guard let end = Int(fields[2]) else {
                throw DragonnError(file: path, line: n, "malformed BED line: end '\(fields[2])' is not an integer")
            }
            guard end >= start else {
                throw DragonnError(file: path, line: n, "malformed BED line: end \(end) is before start \(start)")
            }
            return BEDRecord(region: GenomicRegion(chrom: fields[0], start: start, end: end),
                             name: fields.count > 3 ? fields[3] : nil, fields: fields, line: n)
        }
        return nil
    }

    /// Reads every remaining region.
    public func readAll() throws -> [BEDRecord] {
        var out: [BEDRecord] = []
        while let r = try next() { out.append(r) }
        return out
    }
}
