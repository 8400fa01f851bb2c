import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A buffered output that never leaves a partial file behind.
///
/// `-` is standard output. A path ending in `.gz` is written BGZF-compressed through htslib (so
/// `tabix`, `bgzip -d` and `zcat` read it). Anything else is a plain file. Files are written to a
/// hidden temporary beside the target and renamed into place by `commit()`; an output that is
/// never committed (an error, a thrown exception) is removed when the object goes away.
public final class OutputFile {
    /// The path the user named (`-` for stdout).
    public let path: String
    private let temporaryPath: String?
    private var fd: Int32 = -1
    private var bgzf: UnsafeMutablePointer<BGZF>? = nil
    private var buffer: UnsafeMutablePointer<UInt8>
    private var used = 0
    private let capacity = 1 << 20
    private var finished = false

    /// Opens `path` for writing; `bgzf` overrides the choice made from the `.gz` suffix.
    public init(path: String, bgzf compress: Bool? = nil) throws {
        self.path = path
        buffer = .allocate(capacity: capacity)
        if path == "-" {
            temporaryPath = nil
            fd = 1
            return
        }
        // Devices, FIFOs and sockets (`/dev/null`, `/dev/stderr`, `<(...)`) are written in place:
        // renaming a temporary over them would replace the device with a regular file.
        let special = AtomicFile.isSpecialFile(path)
        let target = special ? path : AtomicFile.temporaryPath(for: path)
        temporaryPath = special ? nil : target
        if compress ?? path.hasSuffix(".gz") {
            // (A throw here still runs deinit, which frees the buffer.)
            guard let handle = bgzf_open(target, "w") else {
                throw DragonnError(file: path, "cannot create: \(String(cString: strerror(errno)))")
            }
            // Compress on every core: single-threaded deflate is far slower than the writers feeding it.
            let cores = Int32(ProcessInfo.processInfo.activeProcessorCount)
            if cores > 1 { _ = bgzf_mt(handle, cores, 256) }
            bgzf = handle
        } else {
            fd = open(target, special ? O_WRONLY | O_CLOEXEC : O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw DragonnError(file: path, "cannot create: \(String(cString: strerror(errno)))")
            }
        }
    }

    deinit {
        if !finished { abandon() }
        buffer.deallocate()
    }

    /// Appends UTF-8 text.
    public func write(_ string: String) throws {
        var s = string
        try s.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Appends raw bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        if used + bytes.count > capacity { try flushBuffer() }
        if bytes.count >= capacity {
            try emit(bytes.baseAddress!, bytes.count)
            return
        }
        (buffer + used).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        used += bytes.count
    }

    /// Gives direct access to at least `count` free bytes of the buffer; `body` fills some of them
    /// and returns how many. Saves a copy for writers that format straight into the output.
    public func withReservedBytes(_ count: Int, _ body: (UnsafeMutablePointer<UInt8>) throws -> Int) throws {
        precondition(count <= capacity, "reservation larger than the output buffer")
        if used + count > capacity { try flushBuffer() }
        used += try body(buffer + used)
    }

    /// Writes out everything buffered so far (stdout readers see it now).
    public func flush() throws {
        try flushBuffer()
        if let bgzf, bgzf_flush(bgzf) != 0 { throw writeError() }
    }

    /// Flushes, closes and renames the temporary into place. Nothing is visible at `path` before.
    public func commit() throws {
        guard !finished else { return }
        try flushBuffer()
        finished = true
        if let handle = bgzf {
            bgzf = nil
            if bgzf_close(handle) != 0 { removeTemporary(); throw writeError() }
        } else if fd > 2 {
            let rc = close(fd)
            fd = -1
            if rc != 0 { removeTemporary(); throw writeError() }
        }
        if let temporaryPath {
            guard rename(temporaryPath, path) == 0 else {
                let e = writeError()
                removeTemporary()
                throw e
            }
        }
    }

    private func abandon() {
        finished = true
        if let handle = bgzf { bgzf_close(handle); bgzf = nil }
        if fd > 2 { close(fd); fd = -1 }
        removeTemporary()
    }

    private func removeTemporary() {
        if let temporaryPath { unlink(temporaryPath) }
    }

    private func flushBuffer() throws {
        guard used > 0 else { return }
        let n = used
        used = 0
        try emit(buffer, n)
    }

    private func emit(_ start: UnsafeRawPointer, _ count: Int) throws {
        if let bgzf {
            if bgzf_write(bgzf, start, count) != count { throw writeError() }
            return
        }
        var offset = 0
        while offset < count {
            let n = Glibc.write(fd, start + offset, count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                // The reader went away (`| head`): a filter stops quietly, as Unix tools do.
                if errno == EPIPE && temporaryPath == nil { exit(0) }
                throw writeError()
            }
            offset += n
        }
    }

    fileprivate static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DragonnError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        return fd
    }

    private func writeError() -> DragonnError {
        DragonnError(file: path, "write failed: \(String(cString: strerror(errno)))")
    }
}

/// Temp-then-rename for writers that need to seek or patch (e.g. a `.npy` header written last).
public enum AtomicFile {
    /// A hidden temporary path in the same folder as `path` (so the final rename is atomic).
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-" + token
    }

    /// Calls `body` with a temporary path beside `path`, then renames it into place. If `body`
    /// throws, the temporary is removed and nothing appears at `path`. When `path` is `-`, a device,
    /// a FIFO or a socket, the finished temporary is copied into it instead (a rename would replace
    /// `/dev/null` with a regular file).
    public static func replace<T>(path: String, _ body: (String) throws -> T) throws -> T {
        let inPlace = path == "-" || isSpecialFile(path)
        let tmp = inPlace ? temporaryPath(for: FileManager.default.temporaryDirectory.path + "/dragonn")
                          : temporaryPath(for: path)
        defer { unlink(tmp) }
        let result = try body(tmp)
        if inPlace {
            try copy(tmp, to: path)
        } else if rename(tmp, path) != 0 {
            throw DragonnError(file: path, "cannot write: \(String(cString: strerror(errno)))")
        }
        return result
    }

    /// True when `path` exists and is neither a regular file nor a folder (symlinks followed).
    public static func isSpecialFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }

    private static func copy(_ source: String, to path: String) throws {
        let input = try OutputFile.openForReading(source)
        defer { close(input) }
        let out = try OutputFile(path: path)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 18, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = read(input, chunk.baseAddress, chunk.count)
            if n < 0 { if errno == EINTR { continue }; throw DragonnError(file: source, "read failed: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            try out.write(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
        try out.commit()
    }
}
