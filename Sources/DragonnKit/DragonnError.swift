import Foundation

/// An error a user can act on: one line that names the file, the record and the problem.
///
/// Tools let it propagate out of `run()`; the tool's main prints `TOOL: <description>` on stderr
/// and exits 1 (samtools and seqkit style).
public struct DragonnError: Error, CustomStringConvertible, Equatable {
    public let description: String

    /// `message` made safe to print: on one line (line breaks become spaces), other control
    /// characters shown as `\xHH` (a FASTA name with escape sequences must not drive the
    /// terminal), and at most `maxLength` characters (a 10 MB name is cut in the middle).
    public init(_ message: String) { description = Self.printable(message) }

    /// `FILE: line N: problem` (or `FILE: problem` without a line); `-` is named `<stdin>`.
    public init(file: String, line: Int? = nil, _ problem: String) {
        let where_ = file == "-" ? "<stdin>" : file
        if let line { self.init("\(where_): line \(line): \(problem)") }
        else { self.init("\(where_): \(problem)") }
    }

    /// The longest message kept whole; longer ones keep their start and end.
    public static let maxLength = 1000

    private static func printable(_ text: String) -> String {
        let needsEscape = text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) }
        var out = text
        if needsEscape {
            out = ""
            // A CRLF line end is one break, one space (as a lone CR or LF).
            for u in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
                switch u.value {
                case 0x0A, 0x0D, 0x09: out.unicodeScalars.append(" ")
                case 0..<0x20, 0x7F, 0x80..<0xA0: out += "\\x" + String(format: "%02X", u.value)
                default: out.unicodeScalars.append(u)
                }
            }
        }
        guard out.count > maxLength else { return out }
        let cut = out.count - (maxLength - 100)
        return String(out.prefix(maxLength - 300)) + " …(\(cut) characters cut)… " + String(out.suffix(200))
    }
}
