import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// NumPy `.npy` files (format 1.0 written; 1.0–3.0 read), little-endian, C order.

/// Element types this project writes and reads.
public enum NpyDType: String, CaseIterable, Sendable {
    case uint8, float32, float64, int32, int64, bool

    /// NumPy `descr` string.
    public var descr: String {
        switch self {
        case .uint8: return "|u1"
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int32: return "<i4"
        case .int64: return "<i8"
        case .bool: return "|b1"
        }
    }

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .uint8, .bool: return 1
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }

    init?(descr: String) {
        switch descr {
        case "|u1", "<u1", "u1": self = .uint8
        case "<f4": self = .float32
        case "<f8": self = .float64
        case "<i4": self = .int32
        case "<i8": self = .int64
        case "|b1": self = .bool
        default: return nil
        }
    }
}

/// Shape and element type of an `.npy` file, and where its data starts.
public struct NpyHeader: Equatable, Sendable {
    public var dtype: NpyDType
    public var shape: [Int]
    public var dataOffset: Int
    /// Number of elements (product of the shape).
    public var count: Int { shape.reduce(1, *) }
}

/// The `.npy` header bytes for `shape` and `dtype`, padded with spaces to `totalSize` bytes
/// (a multiple of 64) when given, so a streaming writer can patch the final shape in place.
public func npyHeaderBytes(dtype: NpyDType, shape: [Int], totalSize: Int? = nil) -> [UInt8] {
    let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
    var dict = "{'descr': '\(dtype.descr)', 'fortran_order': False, 'shape': (\(dims)), }"
    let fixed = 10
    var total = totalSize ?? 0
    if total == 0 {
        total = (fixed + dict.utf8.count + 1 + 63) / 64 * 64
    }
    precondition(fixed + dict.utf8.count + 1 <= total && total % 64 == 0, "npy header does not fit")
    dict += String(repeating: " ", count: total - fixed - dict.utf8.count - 1) + "\n"
    let headerLength = total - fixed
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(headerLength & 0xFF), UInt8(headerLength >> 8)]
    bytes += Array(dict.utf8)
    return bytes
}

/// Parses an `.npy` header from the first bytes of a file (`prefix` must hold the whole header).
public func parseNpyHeader(_ prefix: [UInt8], file: String) throws -> NpyHeader {
    guard prefix.count >= 10, prefix[0] == 0x93, Array(prefix[1..<6]) == Array("NUMPY".utf8) else {
        throw DragonnError(file: file, "not a NumPy .npy file (bad magic)")
    }
    let major = prefix[6]
    let headerLength: Int, start: Int
    switch major {
    case 1:
        headerLength = Int(prefix[8]) | Int(prefix[9]) << 8; start = 10
    case 2, 3:
        guard prefix.count >= 12 else { throw DragonnError(file: file, "truncated .npy header") }
        headerLength = (0..<4).reduce(0) { $0 | Int(prefix[8 + $1]) << (8 * $1) }; start = 12
    default:
        throw DragonnError(file: file, ".npy format version \(major) is not supported")
    }
    guard prefix.count >= start + headerLength else { throw DragonnError(file: file, "truncated .npy header") }
    let dict = String(decoding: prefix[start..<(start + headerLength)], as: UTF8.self)
    func value(_ key: String) -> Substring? {
        guard let r = dict.range(of: "'\(key)':") else { return nil }
        return dict[r.upperBound...].drop(while: { $0 == " " })
    }
    guard let d = value("descr"), d.first == "'" || d.first == "\"",
          let close = d.dropFirst().firstIndex(of: d.first!) else {
        throw DragonnError(file: file, "malformed .npy header: no descr")
    }
    let descr = String(d[d.index(after: d.startIndex)..<close])
    guard let dtype = NpyDType(descr: descr) else {
        throw DragonnError(file: file, ".npy element type '\(descr)' is not supported (use uint8 or little-endian float32)")
    }
    if let f = value("fortran_order"), f.hasPrefix("True") {
        throw DragonnError(file: file, "Fortran-ordered .npy arrays are not supported (save with C order)")
    }
    guard let s = value("shape"), s.first == "(", let end = s.firstIndex(of: ")") else {
        throw DragonnError(file: file, "malformed .npy header: no shape")
    }
    var shape: [Int] = []
    for part in s[s.index(after: s.startIndex)..<end].split(separator: ",") {
        let t = part.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { continue }
        guard let v = Int(t), v >= 0 else { throw DragonnError(file: file, "malformed .npy shape '\(s[...end])'") }
        shape.append(v)
    }
    return NpyHeader(dtype: dtype, shape: shape, dataOffset: start + headerLength)
}

/// Sequential reader of an `.npy` file's rows (first-axis slices).
public final class NpyReader {
    public let path: String
    public let header: NpyHeader
    /// Bytes of one row (product of all but the first dimension times the element size).
    public let rowBytes: Int
    /// Rows read so far.
    public private(set) var rowsRead = 0
    private let file: UnsafeMutablePointer<FILE>

    /// Opens `path` and reads its header.
    public init(path: String) throws {
        self.path = path
        guard let f = fopen(path, "rb") else {
            throw DragonnError(file: path, String(cString: strerror(errno)))
        }
        file = f
        var prefix = [UInt8](repeating: 0, count: 12)
        let got = fread(&prefix, 1, 12, f)
        prefix.removeLast(12 - got)
        var header: NpyHeader
        if got >= 10, prefix[0] == 0x93, prefix[6] == 1 || got == 12 {
            let n = prefix[6] == 1 ? (Int(prefix[8]) | (Int(prefix[9]) << 8)) + 10
                                   : (0..<4).reduce(0) { $0 | Int(prefix[8 + $1]) << (8 * $1) } + 12
            // The declared header length is the file's word (up to 4 GiB): read in chunks, so
            // memory grows only with bytes that are really there.
            var chunk = [UInt8](repeating: 0, count: 1 << 12)
            while prefix.count < n {
                let more = fread(&chunk, 1, min(chunk.count, n - prefix.count), f)
                if more == 0 { break }
                prefix += chunk.prefix(more)
            }
        }
        do { header = try parseNpyHeader(prefix, file: path) } catch { fclose(f); throw error }
        guard !header.shape.isEmpty else { fclose(f); throw DragonnError(file: path, ".npy array has no dimensions") }
        // The shape is the file's word too: its byte count must not overflow and, for a regular
        // file, must fit in it, before any caller allocates rows.
        var row = header.dtype.size, overflow = false
        for d in header.shape.dropFirst() where !overflow { (row, overflow) = row.multipliedReportingOverflow(by: d) }
        let (total, overflowTotal) = row.multipliedReportingOverflow(by: header.shape[0])
        var st = stat()
        let size = fstat(fileno(f), &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG ? Int(st.st_size) : nil
        if overflow || overflowTotal || size.map({ total > $0 - header.dataOffset }) == true {
            fclose(f)
            throw DragonnError(file: path, "truncated .npy data: shape \(header.shape) needs more bytes than the file has")
        }
        self.header = header
        rowBytes = row
        fseek(f, header.dataOffset, SEEK_SET)
    }

    deinit { fclose(file) }

    /// Number of rows (first dimension).
    public var rowCount: Int { header.shape[0] }

    /// Reads up to `maxRows` rows into `buffer` (raw little-endian bytes); returns the rows read.
    public func read(maxRows: Int, into buffer: UnsafeMutableRawPointer) throws -> Int {
        let rows = min(maxRows, rowCount - rowsRead)
        guard rows > 0 else { return 0 }
        let want = rows * rowBytes
        if want > 0 {
            let got = fread(buffer, 1, want, file)
            guard got == want else {
                throw DragonnError(file: path, "truncated .npy data: expected \(rowCount) rows of \(rowBytes) bytes")
            }
        }
        rowsRead += rows
        return rows
    }

    /// Reads all remaining data converted to Float (any supported element type).
    public func readAllFloat() throws -> [Float] {
        let rows = rowCount - rowsRead
        let perRow = rowBytes / header.dtype.size
        var raw = [UInt8](repeating: 0, count: rows * rowBytes)
        _ = try raw.withUnsafeMutableBytes { try read(maxRows: rows, into: $0.baseAddress!) }
        return raw.withUnsafeBytes { npyConvertToFloat($0, dtype: header.dtype, count: rows * perRow) }
    }
}

/// Converts `count` little-endian elements of `dtype` to Float.
public func npyConvertToFloat(_ raw: UnsafeRawBufferPointer, dtype: NpyDType, count: Int) -> [Float] {
    switch dtype {
    case .uint8, .bool: return (0..<count).map { Float(raw[$0]) }
    case .float32: return (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    case .float64: return (0..<count).map { Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))) }
    case .int32: return (0..<count).map { Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
    case .int64: return (0..<count).map { Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
    }
}

/// Reads a whole `.npy` file as Float values with its shape.
public func readNpyFloat(path: String) throws -> (shape: [Int], values: [Float]) {
    let reader = try NpyReader(path: path)
    return (reader.header.shape, try reader.readAllFloat())
}

/// Streaming `.npy` writer: writes a header with room for the final shape, then rows as they come,
/// and patches the first dimension in `finish()`. It writes `path` directly, so callers give it a
/// temporary path and rename on success (`AtomicFile.replace`).
public final class NpyWriter {
    public let path: String
    public let dtype: NpyDType
    /// All dimensions but the first.
    public let rowShape: [Int]
    /// Rows written so far.
    public private(set) var rows = 0
    private var fd: Int32
    private var buffer: UnsafeMutableRawPointer
    /// Size of the write buffer (`withSpace` takes at most this many bytes).
    public let bufferCapacity: Int
    private var buffered = 0
    private var bytesWritten = 0
    private static let headerSize = 256

    /// Creates (truncates) `path` and reserves the header.
    public init(path: String, dtype: NpyDType, rowShape: [Int], bufferSize: Int = 1 << 18) throws {
        self.path = path; self.dtype = dtype; self.rowShape = rowShape
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw DragonnError(file: path, String(cString: strerror(errno))) }
        bufferCapacity = bufferSize
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
        let placeholder = npyHeaderBytes(dtype: dtype, shape: [0] + rowShape, totalSize: Self.headerSize)
        try placeholder.withUnsafeBytes { try append($0) }
        rows = 0
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// Space for `bytes` bytes at the end of the write buffer, filled by `body`; use for rows
    /// built in place. `bytes` must not exceed the buffer size.
    public func withSpace(_ bytes: Int, _ body: (UnsafeMutableRawPointer) -> Void) throws {
        if bytes > bufferCapacity - buffered { try flush() }
        precondition(bytes <= bufferCapacity)
        body(buffer + buffered)
        buffered += bytes
    }

    /// Appends raw bytes (whole rows; callers count them with `addRows`).
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count > bufferCapacity - buffered { try flush() }
        if bytes.count >= bufferCapacity {
            try writeAll(bytes)
        } else {
            (buffer + buffered).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            buffered += bytes.count
        }
    }

    /// Counts `n` rows as written (their bytes went through `append`/`withSpace`).
    public func addRows(_ n: Int) { rows += n }

    private func flush() throws {
        if buffered > 0 { try writeAll(UnsafeRawBufferPointer(start: buffer, count: buffered)) }
        buffered = 0
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw DragonnError(file: path, "write failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
        bytesWritten += bytes.count
    }

    /// Writes the buffered data, patches the shape to `[rows] + rowShape` and closes the file.
    public func finish() throws {
        try flush()
        let header = npyHeaderBytes(dtype: dtype, shape: [rows] + rowShape, totalSize: Self.headerSize)
        let n = header.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
        guard n == header.count else { throw DragonnError(file: path, "write failed: \(String(cString: strerror(errno)))") }
        let expected = Self.headerSize + rows * rowShape.reduce(1, *) * dtype.size
        precondition(bytesWritten == expected, "npy writer: \(bytesWritten) bytes written, \(expected) expected")
        guard close(fd) == 0 else { fd = -1; throw DragonnError(file: path, "close failed: \(String(cString: strerror(errno)))") }
        fd = -1
    }
}

/// Writes a whole array as an `.npy` (`values.count` must equal the product of `shape`), atomically:
/// a temporary beside `path` renamed into place.
public func writeNpy(path: String, shape: [Int], float32 values: [Float]) throws {
    precondition(values.count == shape.reduce(1, *), "values do not match the shape")
    try values.withUnsafeBytes { try writeWholeNpy(path: path, dtype: .float32, shape: shape, bytes: $0) }
}

/// Writes a whole uint8 array as an `.npy` atomically (see `writeNpy(path:shape:float32:)`).
public func writeNpy(path: String, shape: [Int], uint8 values: [UInt8]) throws {
    precondition(values.count == shape.reduce(1, *), "values do not match the shape")
    try values.withUnsafeBytes { try writeWholeNpy(path: path, dtype: .uint8, shape: shape, bytes: $0) }
}

private func writeWholeNpy(path: String, dtype: NpyDType, shape: [Int], bytes: UnsafeRawBufferPointer) throws {
    try AtomicFile.replace(path: path) { tmp in
        let w = try NpyWriter(path: tmp, dtype: dtype, rowShape: Array(shape.dropFirst()))
        try w.append(bytes)
        w.addRows(shape.first ?? 0)
        try w.finish()
    }
}
