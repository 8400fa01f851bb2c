import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes of an input file, decompressed: plain files are read straight through htslib's hFILE,
/// BGZF through htslib BGZF, and ordinary gzip (one or more members) through zlib, which checks
/// each member's CRC and length, so a truncated or corrupt `.gz` is an error, never a silent
/// short read. `-` is stdin. The kind is detected from the first bytes, not the file name.
public final class ByteInput {
    /// How the input is compressed.
    public enum Compression: Sendable { case none, gzip, bgzf }

    public let path: String
    public let compression: Compression
    private var hfile: UnsafeMutablePointer<hFILE>?   // plain and gzip
    private var bgzf: UnsafeMutablePointer<BGZF>?
    private var zstream = z_stream()
    private var zbuffer: UnsafeMutablePointer<UInt8>?
    private var zbufferSize = 1 << 18
    private var zinputDone = false
    private var zmemberEnded = false
    private var finished = false

    /// Opens `path` (`-` = stdin).
    public init(path: String) throws {
        self.path = path
        let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DragonnError(file: path, String(cString: strerror(errno))) }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw DragonnError(file: path, "is a directory")
        }
        guard let hf = hdopen(fd, "r") else {
            if fd > 0 { close(fd) }
            throw DragonnError(file: path, "cannot open: \(String(cString: strerror(errno)))")
        }
        var magic = [UInt8](repeating: 0, count: 16)
        let got = hpeek(hf, &magic, 16)
        if got >= 2 && magic[0] == 0x1F && magic[1] == 0x8B {
            // BGZF: gzip with FEXTRA holding a 'BC' subfield.
            let isBGZF = got >= 14 && magic[3] & 4 != 0 && magic[12] == 0x42 && magic[13] == 0x43
            if isBGZF {
                guard let fp = bgzf_hopen(hf, "r") else {
                    _ = hclose(hf)
                    throw DragonnError(file: path, "cannot read BGZF data")
                }
                bgzf = fp
                compression = .bgzf
            } else {
                hfile = hf
                compression = .gzip
                zbuffer = .allocate(capacity: zbufferSize)
                // 15 + 32: zlib reads the gzip header and checks the trailer.
                let rc = inflateInit2_(&zstream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
                guard rc == Z_OK else { throw DragonnError(file: path, "cannot start gzip decompression") }
            }
        } else {
            hfile = hf
            compression = .none
        }
    }

    deinit {
        if let bgzf { bgzf_close(bgzf) }
        if let hfile { _ = hclose(hfile) }
        if compression == .gzip { inflateEnd(&zstream) }
        zbuffer?.deallocate()
    }

    /// A read failure (truncated or corrupt data, I/O error); `LineScanner` names the line.
    public struct Failure: Error, Sendable { public let problem: String }
    private var deferred: Failure?

    /// Reads up to `count` bytes into `buffer`; 0 at the end. Bytes decoded before a failure are
    /// returned first, and the failure is thrown by the next call.
    public func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        if let deferred { throw deferred }
        if finished || count == 0 { return 0 }
        switch compression {
        case .none:
            let n = hread(hfile, buffer, count)
            if n < 0 { throw Failure(problem: "read error: \(String(cString: strerror(errno)))") }
            if n == 0 { finished = true }
            return n
        case .bgzf:
            // Our error names the file and line; htslib would print its own line first.
            let n = withHTSLogSilenced { bgzf_read(bgzf, buffer, count) }
            if n < 0 { throw Failure(problem: "read error: truncated or corrupt compressed data") }
            if n == 0 {
                finished = true
                // A BGZF file ends with an empty block; without it the file was cut short.
                if bgzf!.pointee.last_block_eof == 0 {
                    throw Failure(problem: "truncated BGZF data (no end-of-file block)")
                }
            }
            return n
        case .gzip:
            return try inflateSome(into: buffer, count: count)
        }
    }

    private func inflateSome(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        zstream.next_out = buffer
        zstream.avail_out = UInt32(min(count, Int(UInt32.max)))
        do {
            try inflateLoop()
        } catch let failure as Failure {
            let produced = count - Int(zstream.avail_out)
            if produced == 0 { throw failure }
            deferred = failure
        }
        return count - Int(zstream.avail_out)
    }

    private func inflateLoop() throws {
        while zstream.avail_out > 0 {
            if zstream.avail_in == 0 && !zinputDone {
                let n = hread(hfile, zbuffer, zbufferSize)
                if n < 0 { throw Failure(problem: "read error: \(String(cString: strerror(errno)))") }
                if n == 0 { zinputDone = true } else {
                    zstream.next_in = zbuffer
                    zstream.avail_in = UInt32(n)
                }
            }
            if zstream.avail_in == 0 && zinputDone {
                // Input exhausted: fine only right after a member's trailer.
                if !zmemberEnded {
                    throw Failure(problem: "truncated gzip data (the file ends inside a compressed block)")
                }
                finished = true
                break
            }
            if zmemberEnded {
                // Another gzip member follows (concatenated .gz files).
                inflateReset(&zstream)
                zmemberEnded = false
            }
            let rc = inflate(&zstream, Z_NO_FLUSH)
            if rc == Z_STREAM_END {
                zmemberEnded = true
            } else if rc != Z_OK && rc != Z_BUF_ERROR {
                throw Failure(problem: "corrupt gzip data (\(rc == Z_DATA_ERROR ? "bad data or checksum" : "zlib error \(rc)"))")
            }
        }
    }
}

/// Buffered raw lines of a `ByteInput`: large reads, line ends found with memchr, `\r\n` accepted.
public final class LineScanner {
    /// The longest line accepted (256 MiB: a whole human chromosome 1 on one line still fits).
    public static let maxLineLength = 1 << 28
    public let input: ByteInput
    /// 1-based number of the line last returned.
    public private(set) var lineNumber = 0
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0, end = 0
    private var atEOF = false

    public init(path: String, blockSize: Int = 1 << 18) throws {
        input = try ByteInput(path: path)
        capacity = max(blockSize, 16)
        buffer = .allocate(capacity: capacity)
    }

    deinit { buffer.deallocate() }

    /// The next line without its line end; the bytes stay valid until the next call. nil at the end.
    @inline(__always)
    public func nextLine() throws -> (UnsafeMutablePointer<UInt8>, Int)? {
        while true {
            let avail = end - start
            if avail > 0, let hit = memchr(buffer + start, 0x0A, avail) {
                let p = buffer + start
                var n = hit.assumingMemoryBound(to: UInt8.self) - p
                start += n + 1
                lineNumber += 1
                if n > 0 && p[n - 1] == 0x0D { n -= 1 }
                return (p, n)
            }
            if atEOF {
                guard avail > 0 else { return nil }
                let p = buffer + start
                var n = avail
                start = end
                lineNumber += 1
                if p[n - 1] == 0x0D { n -= 1 }
                return (p, n)
            }
            try refill()
        }
    }

    private func refill() throws {
        let avail = end - start
        if start > 0 {
            if avail > 0 { buffer.update(from: buffer + start, count: avail) }
            start = 0; end = avail
        }
        if end == capacity {
            // A line longer than the buffer: grow it, up to a bound (`/dev/zero` or a binary file
            // has no line ends; it must get a message, not all of memory).
            guard capacity < LineScanner.maxLineLength else {
                throw DragonnError(file: input.path, line: lineNumber + 1,
                                   "line longer than \(LineScanner.maxLineLength) bytes (is this a text file?)")
            }
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown; capacity *= 2
        }
        let got: Int
        do {
            got = try input.read(into: buffer + end, count: capacity - end)
        } catch let failure as ByteInput.Failure {
            // Lines before the damage were returned; name the line where the good data ends.
            let complete = (start..<end).reduce(0) { $0 + (buffer[$1] == 0x0A ? 1 : 0) }
            throw DragonnError(file: input.path, line: lineNumber + complete + 1, failure.problem)
        }
        if got == 0 { atEOF = true }
        end += got
    }
}
