/// Reads a text file line by line (plain, gzip or BGZF; `-` = stdin), keeping the 1-based line
/// number for error messages. Line ends (`\n`, `\r\n`) are removed.
public final class LineReader {
    /// The path as given; errors name it.
    public let path: String
    private let lines: LineScanner

    /// 1-based number of the line last returned.
    public var lineNumber: Int { lines.lineNumber }

    /// Opens `path` (`-` = stdin).
    public init(path: String) throws {
        self.path = path
        lines = try LineScanner(path: path, blockSize: 1 << 16)
    }

    /// The next line as a String, or nil at the end of the file.
    public func next() throws -> String? {
        guard let (p, n) = try lines.nextLine() else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}
