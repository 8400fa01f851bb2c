/// An error a user can act on: one line that names the file, the record and the problem.
///
/// Tools let it propagate out of `run()`; the tool's main prints `TOOL: <description>` on stderr
/// and exits 1 (samtools and seqkit style).
public struct DragonnError: Error, CustomStringConvertible, Equatable {
    public let description: String

    /// `message` on one line (line breaks, e.g. from a file name or record, become spaces).
    public init(_ message: String) { description = Self.oneLine(message) }

    /// `FILE: line N: problem` (or `FILE: problem` without a line); `-` is named `<stdin>`.
    public init(file: String, line: Int? = nil, _ problem: String) {
        let where_ = file == "-" ? "<stdin>" : file
        if let line { self.init("\(where_): line \(line): \(problem)") }
        else { self.init("\(where_): \(problem)") }
    }

    private static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 10 || $0 == 13 }) else { return text }
        return String(text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
    }
}
