import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An anonymous temporary file that is written once and read back in order (e.g. reverse
/// complements kept aside until the forward sequences are out, or a `.npy` bound for stdout).
/// The file is unlinked at once, so it disappears whatever happens.
public final class Spool {
    private let fd: Int32
    private let label: String

    /// Creates the spool in `$TMPDIR` (or the folder given).
    public init(in directory: String? = nil, label: String = "spool") throws {
        let dir = directory ?? (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        var template = Array((dir + "/.dragonn-spool-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw DragonnError(file: dir, "cannot create a temporary file: \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
        self.label = label
    }

    deinit { close(fd) }

    /// The file descriptor (for writers that seek, such as `NpyWriter`).
    var descriptor: Int32 { fd }

    /// Bytes in the spool.
    func size() throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DragonnError("temporary \(label) file: stat failed") }
        return Int(info.st_size)
    }

    /// Appends everything readable from `input` (a pipe, a FIFO) until its end.
    func copy(from input: Int32, source: String) throws {
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: 1 << 18, alignment: 64)
        defer { chunk.deallocate() }
        while true {
            let n = read(input, chunk, 1 << 18)
            if n < 0 {
                if errno == EINTR { continue }
                throw DragonnError(file: source, "read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return }
            try write(UnsafeRawBufferPointer(start: chunk, count: n))
        }
    }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw DragonnError("temporary \(label) file: write failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    /// Reads everything written from the start, in chunks, passing each to `body`.
    public func replay(chunkSize: Int = 1 << 18, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw DragonnError("temporary \(label) file: seek failed") }
        let chunk = UnsafeMutableRawPointer.allocate(byteCount: chunkSize, alignment: 64)
        defer { chunk.deallocate() }
        while true {
            let n = read(fd, chunk, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw DragonnError("temporary \(label) file: read failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            try body(UnsafeRawBufferPointer(start: chunk, count: n))
        }
    }
}
