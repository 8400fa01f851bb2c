import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Text format of a sequence file, detected from its first record.
public enum SequenceFormat: String, Sendable {
    case fasta, fastq
}

/// One FASTA/FASTQ record: the header's first word, the rest of the header, the bases.
public struct SequenceRecord: Sendable, Equatable {
    /// Header text up to the first space or tab (without `>`/`@`).
    public var name: String
    /// Rest of the header line after the name and its separating white space ("" when none).
    public var comment: String
    /// Sequence bytes as written in the file (line breaks removed, case kept).
    public var sequence: [UInt8]
    /// FASTQ quality bytes (nil for FASTA).
    public var quality: [UInt8]?
    /// 1-based line number of the header in the file.
    public var line: Int

    public init(name: String, comment: String = "", sequence: [UInt8], quality: [UInt8]? = nil, line: Int = 0) {
        self.name = name; self.comment = comment; self.sequence = sequence; self.quality = quality; self.line = line
    }
}

/// Streaming FASTA/FASTQ reader of plain text, gzip and BGZF alike (`ByteInput`; `-` = stdin).
/// It reads large blocks and scans them for line ends, so the cost per base is a
/// copy; multi-line FASTA, multi-line FASTQ and CRLF line ends are accepted.
///
/// Fast use: `while try reader.advance() { reader.sequence ... }` (the buffers stay valid until
/// the next `advance()`); simple use: `while let record = try reader.next() { ... }`.
public final class SequenceReader {
    /// The path as given (`-` for stdin); errors name it.
    public let path: String
    /// Format of the file, known once the first record has been read.
    public private(set) var format: SequenceFormat?

    /// Name of the current record.
    public private(set) var name = ""
    /// Header text after the name of the current record.
    public private(set) var comment = ""
    /// 1-based header line of the current record.
    public private(set) var recordLine = 0

    private let lines: LineScanner
    private var lineNumber: Int { lines.lineNumber }

    private var seqBuffer: UnsafeMutablePointer<UInt8>
    private var seqCapacity: Int
    private var seqCount = 0
    private var qualBuffer: UnsafeMutablePointer<UInt8>
    private var qualCapacity: Int
    private var qualCount = 0

    // A FASTA header met while reading the previous record's sequence lines.
    private var pendingHeader: (name: String, comment: String, line: Int)?

    /// Opens `path` (`-` = stdin); plain, gzip and BGZF are detected from the content.
    public init(path: String, blockSize: Int = 1 << 18) throws {
        self.path = path
        lines = try LineScanner(path: path, blockSize: blockSize)
        seqCapacity = 1 << 16
        seqBuffer = .allocate(capacity: seqCapacity)
        qualCapacity = 1 << 10
        qualBuffer = .allocate(capacity: qualCapacity)
    }

    deinit {
        seqBuffer.deallocate(); qualBuffer.deallocate()
    }

    /// Bases of the current record (valid until the next `advance()`).
    public var sequence: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: seqBuffer, count: seqCount) }
    /// Quality bytes of the current FASTQ record (empty for FASTA).
    public var quality: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: qualBuffer, count: qualCount) }

    /// Reads the next record and returns it as a value, or nil at the end of the file.
    public func next() throws -> SequenceRecord? {
        guard try advance() else { return nil }
        return SequenceRecord(name: name, comment: comment, sequence: Array(sequence),
                              quality: format == .fastq ? Array(quality) : nil, line: recordLine)
    }

    /// Reads every remaining record.
    public func readAll() throws -> [SequenceRecord] {
        var records: [SequenceRecord] = []
        while let r = try next() { records.append(r) }
        return records
    }

    /// Moves to the next record; false at the end of the file.
    public func advance() throws -> Bool {
        seqCount = 0; qualCount = 0
        if format == nil {
            // Detect the format from the first non-blank line.
            while true {
                guard let (p, n) = try nextLine() else { return false }
                if n == 0 { continue }
                if p[0] == UInt8(ascii: ">") { format = .fasta }
                else if p[0] == UInt8(ascii: "@") { format = .fastq }
                else {
                    throw DragonnError(file: path, line: lineNumber,
                                       "not FASTA or FASTQ: expected a line starting with '>' or '@'")
                }
                pendingHeader = parseHeader(p, n)
                break
            }
        }
        return format == .fasta ? try advanceFASTA() : try advanceFASTQ()
    }

    // MARK: FASTA

    /// Takes the pending header, or reads the next non-blank line, which must start with
    /// `marker`; false at the end of the file.
    private func readHeader(marker: UInt8, problem: String) throws -> Bool {
        if let h = pendingHeader {
            pendingHeader = nil
            (name, comment, recordLine) = h
        } else {
            while true {
                guard let (p, n) = try nextLine() else { return false }
                if n == 0 { continue }
                guard p[0] == marker else { throw DragonnError(file: path, line: lineNumber, problem) }
                (name, comment, recordLine) = parseHeader(p, n)
                break
            }
        }
        return true
    }

    private func advanceFASTA() throws -> Bool {
        guard try readHeader(marker: UInt8(ascii: ">"), problem: "expected a FASTA header starting with '>'") else { return false }
        while let (p, n) = try nextLine() {
            if n == 0 { continue }
            if p[0] == UInt8(ascii: ">") { pendingHeader = parseHeader(p, n); break }
            try appendSequence(p, n)
        }
        if seqCount == 0 {
            throw DragonnError(file: path, line: recordLine, "record '\(name)' has no sequence")
        }
        return true
    }

    // MARK: FASTQ

    private func advanceFASTQ() throws -> Bool {
        guard try readHeader(marker: UInt8(ascii: "@"), problem: "malformed FASTQ: expected a header starting with '@'") else { return false }
        var sawPlus = false
        while let (p, n) = try nextLine() {
            if n > 0 && p[0] == UInt8(ascii: "+") { sawPlus = true; break }
            try appendSequence(p, n)
        }
        guard sawPlus else {
            throw DragonnError(file: path, line: lineNumber,
                               "malformed FASTQ: record '\(name)' ends before its '+' line")
        }
        if seqCount == 0 {
            throw DragonnError(file: path, line: recordLine, "record '\(name)' has no sequence")
        }
        while qualCount < seqCount {
            guard let (p, n) = try nextLine() else {
                throw DragonnError(file: path, line: lineNumber,
                                   "malformed FASTQ: record '\(name)' has \(qualCount) quality values for \(seqCount) bases")
            }
            try appendQuality(p, n)
        }
        if qualCount != seqCount {
            throw DragonnError(file: path, line: lineNumber,
                               "malformed FASTQ: record '\(name)' has \(qualCount) quality values for \(seqCount) bases")
        }
        return true
    }

    // MARK: lines

    private func parseHeader(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) -> (String, String, Int) {
        var i = 1
        while i < n && p[i] != 0x20 && p[i] != 0x09 { i += 1 }
        let name = String(decoding: UnsafeBufferPointer(start: p + 1, count: i - 1), as: UTF8.self)
        while i < n && (p[i] == 0x20 || p[i] == 0x09) { i += 1 }
        let comment = i < n ? String(decoding: UnsafeBufferPointer(start: p + i, count: n - i), as: UTF8.self) : ""
        return (name, comment, lineNumber)
    }

    @inline(__always)
    private func appendSequence(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws {
        // Trailing blanks (hand-edited files) are not bases.
        var n = n
        while n > 0 && (p[n - 1] == 0x20 || p[n - 1] == 0x09) { n -= 1 }
        try checkRecordLength(seqCount + n)
        Self.append(p, n, to: &seqBuffer, count: &seqCount, capacity: &seqCapacity)
    }

    private func appendQuality(_ p: UnsafeMutablePointer<UInt8>, _ n: Int) throws {
        try checkRecordLength(qualCount + n)
        Self.append(p, n, to: &qualBuffer, count: &qualCount, capacity: &qualCapacity)
    }

    /// The longest record accepted, in bases (1 GiB held in memory); whole genomes are read
    /// region by region through faidx instead.
    public static let maxRecordLength = 1 << 30

    @inline(__always)
    private func checkRecordLength(_ n: Int) throws {
        guard n <= Self.maxRecordLength else {
            throw DragonnError(file: path, line: recordLine, "record '\(name)' is longer than \(Self.maxRecordLength) bases")
        }
    }

    /// Appends `n` bytes to a growable buffer, doubling its capacity when needed.
    @inline(__always)
    private static func append(_ p: UnsafeMutablePointer<UInt8>, _ n: Int, to buffer: inout UnsafeMutablePointer<UInt8>,
                               count: inout Int, capacity: inout Int) {
        if count + n > capacity {
            var cap = capacity
            while cap < count + n { cap *= 2 }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
            grown.update(from: buffer, count: count)
            buffer.deallocate()
            buffer = grown; capacity = cap
        }
        (buffer + count).update(from: p, count: n)
        count += n
    }

    @inline(__always)
    private func nextLine() throws -> (UnsafeMutablePointer<UInt8>, Int)? { try lines.nextLine() }
}
