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
    private let lines: LineScanner
    /// Field boundaries of the current line (offsets of each field's first byte and end).
    private var cuts: [(Int, Int)] = []

    /// Opens `path` (plain, gzip, BGZF, or `-`).
    public init(path: String) throws {
        self.path = path
        lines = try LineScanner(path: path, blockSize: 1 << 16)
    }

    /// The next region, or nil at the end of the file.
    public func next() throws -> BEDRecord? {
        while let (p, count) = try lines.nextLine() {
            let line = UnsafeBufferPointer(start: p, count: count)
            if count == 0 || line.starts(with: Self.hash) || line.starts(with: Self.track) || line.starts(with: Self.browser) {
                continue
            }
            // Fields are cut on the bytes: a tab never joins a grapheme, so they are the fields
            // of splitting the decoded line by Character, without building the line first.
            var hasTab = false, blank = true
            for b in line {
                if b == 9 { hasTab = true } else if b != 32 { blank = false }
            }
            if blank { continue }
            let fields: [String]
            if hasTab {
                cuts.removeAll(keepingCapacity: true)
                var from = 0
                for i in 0..<count where p[i] == 9 { cuts.append((from, i)); from = i + 1 }
                cuts.append((from, count))
                fields = cuts.map { String(decoding: UnsafeBufferPointer(start: p + $0.0, count: $0.1 - $0.0), as: UTF8.self) }
            } else {
                // Space-separated (rare): split the decoded line by Character, as written.
                fields = String(decoding: line, as: UTF8.self).split(whereSeparator: { $0 == " " }).map(String.init)
            }
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

    private static let hash = Array("#".utf8), track = Array("track".utf8), browser = Array("browser".utf8)

    /// Reads every remaining region.
    public func readAll() throws -> [BEDRecord] {
        var out: [BEDRecord] = []
        while let r = try next() { out.append(r) }
        return out
    }
}
