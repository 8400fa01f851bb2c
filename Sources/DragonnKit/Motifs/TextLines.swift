import CHTSlib
#if canImport(Glibc)
import Glibc
#endif

/// All lines of a small text file, read through htslib so plain, gzip and BGZF files (and `-`
/// for stdin) all work. Motif files are small, so readers get the whole file at once and can
/// look ahead to detect the format.
struct TextLines {
    /// Lines without their terminator (`\r\n` or `\n`).
    let lines: [String]
    /// The path the lines came from, for error messages.
    let path: String

    init(path: String) throws {
        self.path = path
        guard let fp = bgzf_open(path, "r") else {
            throw DragonnError(file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { bgzf_close(fp) }
        var line = kstring_t(l: 0, m: 0, s: nil)
        defer { free(line.s) }
        var result: [String] = []
        while true {
            let n = bgzf_getline(fp, Int32(UInt8(ascii: "\n")), &line)
            if n == -1 { break }
            if n < -1 {
                throw DragonnError(file: path, line: result.count + 1, "read error (damaged or not a text/gzip file)")
            }
            var count = Int(line.l)
            let bytes = UnsafeRawPointer(line.s!).assumingMemoryBound(to: UInt8.self)
            if count > 0 && bytes[count - 1] == UInt8(ascii: "\r") { count -= 1 }
            result.append(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
        lines = result
    }

    init(path: String, lines: [String]) {
        self.path = path
        self.lines = lines
    }
}

extension String {
    /// Whitespace-separated fields (spaces and tabs).
    var fields: [Substring] { split(whereSeparator: { $0 == " " || $0 == "\t" }) }
    /// The string without leading and trailing spaces and tabs.
    var trimmedSpace: Substring {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
