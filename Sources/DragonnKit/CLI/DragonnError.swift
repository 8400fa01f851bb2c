/// An error a user can act on: one line that names the file, the record and the problem.
///
/// Tools let it propagate out of `run()`; ArgumentParser prints `Error: <description>` and
/// exits non-zero.
public struct DragonnError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ message: String) { description = message }

    /// `FILE: line N: problem` (or `FILE: problem` without a line).
    public init(file: String, line: Int? = nil, _ problem: String) {
        let where_ = file == "-" ? "<stdin>" : file
        if let line { description = "\(where_): line \(line): \(problem)" }
        else { description = "\(where_): \(problem)" }
    }
}
