/// Task labels: 0/1 per task, from `labels=1,0,...` header tags (dragonn-sim FASTA) or from a
/// `--labels` TSV (`name<TAB>task1<TAB>task2...` with a header row naming the tasks).

/// Default task names when the labels come from header tags: `task0`, `task1`, ...
public func defaultTaskNames(_ count: Int) -> [String] {
    (0..<count).map { "task\($0)" }
}

/// Parses one label value: exactly 0 or 1 (written `0`, `1`, `0.0`, `1.0`).
@inlinable
public func parseLabelValue<S: StringProtocol>(_ text: S) -> Float? {
    guard let v = Float(text), v == 0 || v == 1 else { return nil }
    return v
}

/// The values of the `labels=` tag in a FASTA header comment, or nil when there is none.
/// Throws (naming `file` and `line`) when a value is not 0 or 1. Scans bytes: it runs per record.
public func labelsTag(in comment: String, file: String, line: Int) throws -> [Float]? {
    guard !comment.isEmpty else { return nil }
    var text = comment
    return try text.withUTF8 { b -> [Float]? in
        let key: [UInt8] = Array("labels=".utf8)
        let n = b.count, k = key.count
        var i = 0
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
        while i + k <= n {
            if (i == 0 || isSpace(b[i - 1])) && b[i] == key[0] && (0..<k).allSatisfy({ b[i + $0] == key[$0] }) {
                var values: [Float] = []
                var j = i + k
                while true {
                    let start = j
                    while j < n && b[j] != 0x2C && !isSpace(b[j]) { j += 1 }
                    if j - start == 1 && (b[start] == 0x30 || b[start] == 0x31) {
                        values.append(b[start] == 0x31 ? 1 : 0)
                    } else {
                        let field = String(decoding: UnsafeBufferPointer(rebasing: b[start..<j]), as: UTF8.self)
                        guard let v = parseLabelValue(field) else {
                            throw DragonnError(file: file, line: line, "label '\(field)' in the labels= tag is not 0 or 1")
                        }
                        values.append(v)
                    }
                    if j < n && b[j] == 0x2C { j += 1 } else { break }
                }
                return values
            }
            i += 1
        }
        return nil
    }
}

/// A labels table read from a TSV: header row `name<TAB>task...`, then one row per sequence.
public struct LabelTable: Sendable {
    /// The file it was read from.
    public let path: String
    /// Task names from the header row (columns after the first).
    public let taskNames: [String]
    private var rows: [String: [Float]] = [:]

    /// Number of sequences with labels.
    public var count: Int { rows.count }

    /// Reads and validates the table: every row has one 0/1 value per task, names are unique.
    public init(path: String) throws {
        self.path = path
        let reader = try LineReader(path: path)
        var header: [String]?
        while let line = try reader.next() {
            if line.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard let tasks = header else {
                guard fields.count >= 2 else {
                    throw DragonnError(file: path, line: reader.lineNumber,
                                       "header row needs a name column and at least one task column, separated by tabs")
                }
                header = fields.dropFirst().map(String.init)
                continue
            }
            guard fields.count == tasks.count + 1 else {
                throw DragonnError(file: path, line: reader.lineNumber,
                                   "expected \(tasks.count + 1) tab-separated fields (name and \(tasks.count) tasks), found \(fields.count)")
            }
            let name = String(fields[0])
            var values: [Float] = []
            values.reserveCapacity(tasks.count)
            for (k, field) in fields.dropFirst().enumerated() {
                guard let v = parseLabelValue(field) else {
                    throw DragonnError(file: path, line: reader.lineNumber,
                                       "label '\(field)' of '\(name)' for task '\(tasks[k])' is not 0 or 1")
                }
                values.append(v)
            }
            if rows.updateValue(values, forKey: name) != nil {
                throw DragonnError(file: path, line: reader.lineNumber, "sequence '\(name)' is listed twice")
            }
        }
        guard let tasks = header else { throw DragonnError(file: path, "empty labels file (no header row)") }
        taskNames = tasks
    }

    /// Labels of sequence `name`, or nil when the table has no row for it.
    public func labels(for name: String) -> [Float]? { rows[name] }
}
