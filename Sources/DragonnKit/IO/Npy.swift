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
    /// Number of elements (product of the shape; `parseNpyHeader` checks it fits with its bytes).
    public var count: Int { shape.reduce(1, *) }
    /// Bytes of data the header declares.
    public var dataBytes: Int { count * dtype.size }
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

/// Where an `.npy` header ends, from the first 12 bytes (magic, version, header length); nil
/// when they are not an `.npy` preamble.
func npyHeaderEnd(_ preamble: [UInt8]) -> Int? {
    guard preamble.count >= 10, preamble[0] == 0x93, Array(preamble[1..<6]) == Array("NUMPY".utf8) else { return nil }
    switch preamble[6] {
    case 1: return 10 + (Int(preamble[8]) | Int(preamble[9]) << 8)
    case 2, 3:
        guard preamble.count >= 12 else { return nil }
        return 12 + (0..<4).reduce(0) { $0 | Int(preamble[8 + $1]) << (8 * $1) }
    default: return nil
    }
}

/// Parses an `.npy` header from the first bytes of a file (`prefix` must hold the whole header).
/// The element count and byte size of the shape are checked to fit an `Int` (no overflow).
public func parseNpyHeader(_ prefix: [UInt8], file: String) throws -> NpyHeader {
    guard prefix.count >= 6, prefix[0] == 0x93, Array(prefix[1..<6]) == Array("NUMPY".utf8) else {
        throw DragonnError(file: file, "not a NumPy .npy file (bad magic)")
    }
    guard prefix.count >= 10 else { throw DragonnError(file: file, "truncated .npy header") }
    let major = prefix[6]
    guard major >= 1 && major <= 3 else { throw DragonnError(file: file, ".npy format version \(major) is not supported") }
    guard let headerEnd = npyHeaderEnd(prefix), prefix.count >= headerEnd else {
        throw DragonnError(file: file, "truncated .npy header")
    }
    let start = major == 1 ? 10 : 12
    let dict = String(decoding: prefix[start..<headerEnd], as: UTF8.self)
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
    var bytes = dtype.size
    for part in s[s.index(after: s.startIndex)..<end].split(separator: ",") {
        let t = part.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { continue }
        guard let v = Int(t), v >= 0 else { throw DragonnError(file: file, "malformed .npy shape '\(s[...end])'") }
        let (product, overflow) = bytes.multipliedReportingOverflow(by: v)
        guard !overflow else { throw DragonnError(file: file, ".npy shape \(s[...end]) is too large (its size overflows)") }
        bytes = product
        shape.append(v)
    }
    return NpyHeader(dtype: dtype, shape: shape, dataOffset: headerEnd)
}

/// Sequential reader of an `.npy` file's rows (first-axis slices). The sizes the header declares
/// are checked against the file's real size before anything is allocated; a pipe or FIFO is first
/// copied into an anonymous temporary file, so its size is known too.
public final class NpyReader {
    public let path: String
    public let header: NpyHeader
    /// Bytes of one row (product of all but the first dimension times the element size).
    public let rowBytes: Int
    /// Rows read so far.
    public private(set) var rowsRead = 0
    private let fd: Int32
    private let spool: Spool?

    /// Opens `path` and reads its header.
    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DragonnError(file: path, String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else {
            close(fd)
            throw DragonnError(file: path, "is a folder, not a .npy file")
        }
        var source = fd, spool: Spool? = nil, size = Int(info.st_size)
        if info.st_mode & S_IFMT != S_IFREG {
            do {
                let copy = try Spool(label: path)
                try copy.copy(from: fd, source: path)
                spool = copy
                source = copy.descriptor
                size = try copy.size()
                close(fd)
            } catch { close(fd); throw error }
        }
        self.fd = source
        self.spool = spool
        do {
            let preamble = try Self.read(source, path: path, at: 0, count: min(12, size))
            guard let headerEnd = npyHeaderEnd(preamble) else {
                _ = try parseNpyHeader(preamble, file: path)   // names the problem (magic, version)
                throw DragonnError(file: path, "truncated .npy header")
            }
            guard headerEnd <= size else {
                throw DragonnError(file: path, "truncated .npy header: it declares \(headerEnd) bytes, the file has \(size)")
            }
            header = try parseNpyHeader(try Self.read(source, path: path, at: 0, count: headerEnd), file: path)
            guard !header.shape.isEmpty else { throw DragonnError(file: path, ".npy array has no dimensions") }
            let (end, overflow) = header.dataOffset.addingReportingOverflow(header.dataBytes)
            guard !overflow, end <= size else {
                throw DragonnError(file: path, "truncated .npy data: the header declares \(header.dataBytes) bytes of data, the file holds \(size - header.dataOffset)")
            }
            // (A shape such as (0, 2^62, 4) holds no data but its rows would overflow.)
            var row = header.dtype.size
            for d in header.shape.dropFirst() {
                let (p, overflow) = row.multipliedReportingOverflow(by: d)
                guard !overflow else { throw DragonnError(file: path, ".npy shape \(header.shape) is too large (its size overflows)") }
                row = p
            }
            rowBytes = row
        } catch {
            if spool == nil { close(source) }
            throw error
        }
    }

    deinit { if spool == nil { close(fd) } }

    /// Number of rows (first dimension).
    public var rowCount: Int { header.shape[0] }

    /// Reads up to `maxRows` rows into `buffer` (raw little-endian bytes); returns the rows read.
    public func read(maxRows: Int, into buffer: UnsafeMutableRawPointer) throws -> Int {
        let rows = min(maxRows, rowCount - rowsRead)
        guard rows > 0 else { return 0 }
        let want = rows * rowBytes
        try Self.read(fd, path: path, at: header.dataOffset + rowsRead * rowBytes, count: want, into: buffer)
        rowsRead += rows
        return rows
    }

    /// Reads all remaining data converted to Float (any supported element type).
    public func readAllFloat() throws -> [Float] {
        let rows = rowCount - rowsRead
        var raw = [UInt8](repeating: 0, count: rows * rowBytes)
        _ = try raw.withUnsafeMutableBytes { try read(maxRows: rows, into: $0.baseAddress!) }
        return raw.withUnsafeBytes { npyConvertToFloat($0, dtype: header.dtype, count: raw.count / header.dtype.size) }
    }

    private static func read(_ fd: Int32, path: String, at offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try read(fd, path: path, at: offset, count: count, into: $0.baseAddress!) }
        return bytes
    }

    private static func read(_ fd: Int32, path: String, at offset: Int, count: Int, into buffer: UnsafeMutableRawPointer?) throws {
        var done = 0
        while done < count {
            let n = pread(fd, buffer! + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw DragonnError(file: path, "read failed: \(String(cString: strerror(errno)))")
            }
            guard n > 0 else { throw DragonnError(file: path, "truncated .npy data") }
            done += n
        }
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
/// and patches the first dimension in `finish()`. `OutputTransaction.openNpy` makes one (on a
/// temporary, or a spool for stdout) and finishes it at commit.
public final class NpyWriter {
    /// The output path (errors name it).
    public let path: String
    public let dtype: NpyDType
    /// All dimensions but the first.
    public let rowShape: [Int]
    /// Rows written so far.
    public private(set) var rows = 0
    private let fd: Int32
    private var buffer: UnsafeMutableRawPointer
    /// Size of the write buffer (`withSpace` takes at most this many bytes).
    public let bufferCapacity: Int
    private var buffered = 0
    private var bytesWritten = 0
    private var finished = false
    private static let headerSize = 256

    /// Writes through `fd` (not owned) and reserves the header.
    init(fd: Int32, name: String, dtype: NpyDType, rowShape: [Int], bufferSize: Int = 1 << 18) throws {
        self.path = name; self.dtype = dtype; self.rowShape = rowShape; self.fd = fd
        bufferCapacity = bufferSize
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
        let placeholder = npyHeaderBytes(dtype: dtype, shape: [0] + rowShape, totalSize: Self.headerSize)
        try placeholder.withUnsafeBytes { try append($0) }
        rows = 0
    }

    deinit { buffer.deallocate() }

    /// Space for `bytes` bytes at the end of the write buffer, filled by `body`; use for rows
    /// built in place. `bytes` must not exceed the buffer size.
    public func withSpace(_ bytes: Int, _ body: (UnsafeMutableRawPointer) -> Void) throws {
        precondition(bytes <= bufferCapacity)
        if bytes > bufferCapacity - buffered { try flush() }
        body(buffer + buffered)
        buffered += bytes
    }

    /// Appends raw bytes (whole rows; callers count them with `addRows`).
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count > bufferCapacity - buffered { try flush() }
        if bytes.count >= bufferCapacity {
            try writeAll(bytes)
        } else if bytes.count > 0 {
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
        guard !finished else { throw DragonnError(file: path, "write after the output was finished") }
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

    /// Writes the buffered data and patches the shape to `[rows] + rowShape` (the transaction
    /// calls it at commit).
    func finish() throws {
        guard !finished else { return }
        try flush()
        finished = true
        let header = npyHeaderBytes(dtype: dtype, shape: [rows] + rowShape, totalSize: Self.headerSize)
        let n = header.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
        guard n == header.count else { throw DragonnError(file: path, "write failed: \(String(cString: strerror(errno)))") }
        let expected = Self.headerSize + rows * rowShape.reduce(1, *) * dtype.size
        guard bytesWritten == expected else {
            throw DragonnError(file: path, "internal: \(bytesWritten) bytes written for \(rows) rows, \(expected) expected")
        }
    }
}

/// Writes a whole array as an `.npy` (`values.count` must equal the product of `shape`) as one
/// output of `outputs`.
public func writeNpy(path: String, shape: [Int], float32 values: [Float], in outputs: OutputTransaction) throws {
    precondition(values.count == shape.reduce(1, *), "values do not match the shape")
    try values.withUnsafeBytes { try writeWholeNpy(path: path, dtype: .float32, shape: shape, bytes: $0, in: outputs) }
}

/// Writes a whole uint8 array as an `.npy` (see `writeNpy(path:shape:float32:in:)`).
public func writeNpy(path: String, shape: [Int], uint8 values: [UInt8], in outputs: OutputTransaction) throws {
    precondition(values.count == shape.reduce(1, *), "values do not match the shape")
    try values.withUnsafeBytes { try writeWholeNpy(path: path, dtype: .uint8, shape: shape, bytes: $0, in: outputs) }
}

private func writeWholeNpy(path: String, dtype: NpyDType, shape: [Int], bytes: UnsafeRawBufferPointer,
                           in outputs: OutputTransaction) throws {
    let w = try outputs.openNpy(path, dtype: dtype, rowShape: Array(shape.dropFirst()))
    try w.append(bytes)
    w.addRows(shape.first ?? 0)
}
