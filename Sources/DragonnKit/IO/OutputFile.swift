import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A buffered output stream of an `OutputTransaction` (which opens, finishes and renames it).
///
/// Plain bytes go to a file descriptor; BGZF goes through htslib (so `tabix`, `bgzip -d` and
/// `zcat` read it), compressed on every core.
public final class OutputFile {
    /// The path the user named (`-` for stdout).
    public let path: String
    private var fd: Int32
    private let inPlace: Bool
    private var bgzf: UnsafeMutablePointer<BGZF>? = nil
    /// BGZF compressed on our own worker threads instead (same bytes as htslib's); see `init`.
    private var pipeline: BGZFPipeline? = nil
    private var buffer: UnsafeMutablePointer<UInt8>
    private var used = 0
    private let capacity = 1 << 20
    private var closed = false

    /// Writes through `fd`, which the file owns unless it is stdout; `inPlace` marks a stream
    /// target (stdout, a device, a FIFO) rather than a temporary; `level` is the BGZF
    /// compression level (nil: htslib's default). `pipelined`, with a level of 1...9: BGZF is
    /// compressed by a `BGZFPipeline` (the same bytes, less overhead for large outputs).
    init(path: String, fd: Int32, inPlace: Bool, bgzf compress: Bool, level: Int? = nil, pipelined: Bool = false) throws {
        self.path = path
        self.inPlace = inPlace
        buffer = .allocate(capacity: capacity)
        if compress, pipelined, let level, (1...9).contains(level), fd >= 0 {
            self.fd = fd
            pipeline = BGZFPipeline(fd: fd, level: level, threads: ProcessInfo.processInfo.activeProcessorCount)
            return
        }
        // htslib closes the descriptor it is given: stdout is handed over as a duplicate.
        self.fd = compress && fd <= 2 ? dup(fd) : fd
        if compress {
            guard self.fd >= 0, let handle = bgzf_dopen(self.fd, level.map { "w\($0)" } ?? "w") else {
                buffer.deallocate()
                throw DragonnError(file: path, "cannot create: \(String(cString: strerror(errno)))")
            }
            // Compress on every core: single-threaded deflate is far slower than the writers feeding it.
            let cores = Int32(ProcessInfo.processInfo.activeProcessorCount)
            if cores > 1 { _ = bgzf_mt(handle, cores, 256) }
            bgzf = handle
            self.fd = -1
        }
    }

    deinit {
        abandon()
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
        if pipeline != nil { try emit(bytes.baseAddress!, bytes.count); return }   // it buffers itself
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
        if let pipeline {   // straight into the batch the pipeline compresses: one copy less
            guard !closed else { throw DragonnError(file: path, "write after the output was closed") }
            let n = try body(pipeline.reserve())
            precondition(n >= 0 && n <= count, "wrote outside the reservation")
            try mapFailure { try pipeline.commit(n) }
            return
        }
        if used + count > capacity { try flushBuffer() }
        let n = try body(buffer + used)
        precondition(n >= 0 && n <= count, "wrote outside the reservation")
        used += n
    }

    /// Writes out everything buffered so far (stdout readers see it now).
    public func flush() throws {
        try flushBuffer()
        if let bgzf, bgzf_flush(bgzf) != 0 { throw writeError() }
        if let pipeline { try mapFailure { try pipeline.flush() } }
    }

    /// Flushes and closes (the transaction renames the temporary afterwards).
    func finish() throws {
        guard !closed else { return }
        try flushBuffer()
        closed = true
        if let pipeline {
            self.pipeline = nil
            do { try mapFailure { try pipeline.finish() } } catch {
                if fd > 2 { close(fd) }
                fd = -1
                throw error
            }
        }
        if let handle = bgzf {
            bgzf = nil
            if bgzf_close(handle) != 0 { throw writeError() }
        } else if fd > 2 {
            let rc = close(fd)
            fd = -1
            if rc != 0 { throw writeError() }
        }
    }

    /// Closes without writing what is buffered.
    func abandon() {
        guard !closed else { return }
        closed = true
        used = 0
        if let handle = bgzf { bgzf_close(handle); bgzf = nil }
        if let pipeline { pipeline.stop(); self.pipeline = nil }
        if fd > 2 { close(fd); fd = -1 }
    }

    private func flushBuffer() throws {
        guard used > 0 else { return }
        let n = used
        used = 0
        try emit(buffer, n)
    }

    private func emit(_ start: UnsafeRawPointer, _ count: Int) throws {
        guard !closed else { throw DragonnError(file: path, "write after the output was closed") }
        if let bgzf {
            if bgzf_write(bgzf, start, count) != count { throw writeError() }
            return
        }
        if let pipeline {
            try mapFailure { try pipeline.write(start, count) }
            return
        }
        if let failure = writeAll(fd, start, count) {
            errno = failure
            // The reader went away (`| head`): a filter stops quietly, as Unix tools do.
            if errno == EPIPE && inPlace { throw OutputClosed() }
            throw writeError()
        }
    }

    /// Runs `body`, turning a pipeline's failed write into this file's error (as `emit`'s own).
    private func mapFailure(_ body: () throws -> Void) throws {
        do { try body() } catch let failure as BGZFPipeline.POSIXError {
            if failure.code == EPIPE && inPlace { throw OutputClosed() }
            errno = failure.code
            throw writeError()
        }
    }

    private func writeError() -> DragonnError {
        DragonnError(file: path == "-" ? "<stdout>" : path, "write failed: \(String(cString: strerror(errno)))")
    }
}

/// Writes all `count` bytes at `start` to `fd` (retrying interrupted writes); the errno of a
/// failed write, or nil.
func writeAll(_ fd: Int32, _ start: UnsafeRawPointer, _ count: Int) -> Int32? {
    var offset = 0
    while offset < count {
        let n = Glibc.write(fd, start + offset, count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}
