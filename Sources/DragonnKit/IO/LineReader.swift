import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file line by line through htslib BGZF (plain, gzip or BGZF; `-` = stdin),
/// keeping the 1-based line number for error messages. Line ends (`\n`, `\r\n`) are removed.
public final class LineReader {
    /// The path as given; errors name it.
    public let path: String
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0
    private var fp: UnsafeMutablePointer<BGZF>?
    private var line = kstring_t(l: 0, m: 0, s: nil)

    /// Opens `path` (`-` = stdin).
    public init(path: String) throws {
        self.path = path
        guard let fp = bgzf_open(path, "r") else {
            let reason = errno != 0 ? String(cString: strerror(errno)) : "cannot open"
            throw DragonnError(file: path, reason)
        }
        self.fp = fp
    }

    deinit {
        if let fp { bgzf_close(fp) }
        free(line.s)
    }

    /// The next line as a String, or nil at the end of the file.
    public func next() throws -> String? {
        let level = hts_get_log_level()
        hts_set_log_level(HTS_LOG_OFF)
        let r = bgzf_getline(fp, 0x0A, &line)
        hts_set_log_level(level)
        if r == -1 { return nil }
        if r < -1 {
            throw DragonnError(file: path, line: lineNumber + 1, "read error: truncated or corrupt compressed data")
        }
        lineNumber += 1
        var n = Int(line.l)
        if n > 0 && line.s[n - 1] == 0x0D { n -= 1 }
        return line.s.withMemoryRebound(to: UInt8.self, capacity: n) {
            String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
        }
    }
}
