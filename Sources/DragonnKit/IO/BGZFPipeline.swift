import CLibdeflate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A BGZF stream compressed on worker threads, byte for byte what htslib's `bgzf_write` (built
/// with libdeflate, as Debian's is) writes at the same level: the stream is cut into blocks of
/// 0xff00 bytes, each deflated alone behind the 18-byte BGZF header and followed by its CRC-32
/// and length; `flush` ends the current block early, `finish` adds the 28-byte end-of-file block.
///
/// Why not htslib's own threads: they take one 64 KiB block per job, so a large output is
/// thousands of wake-ups and a copy per block, and every block allocates a compressor. Here the
/// caller fills batches of several blocks in place, each worker keeps its compressor, and the
/// worker that finishes the next batch in order writes it, so no thread waits for another.
final class BGZFPipeline: @unchecked Sendable {
    static let blockSize = 0xff00
    /// Largest compressed block (the BGZF header stores size − 1 in 16 bits).
    static let maxBlock = 0x10000
    static let blocksPerBatch = 4
    static let batchBytes = blockSize * blocksPerBatch
    /// Room past a batch's blocks for one reservation (`reserve`): a record written in place may
    /// run past the batch; what runs over moves to the next batch.
    static let slack = 1 << 20

    /// Uncompressed bytes of one batch (whole blocks, but the last batch of a flush) and their
    /// compressed blocks.
    private final class Batch {
        let input: UnsafeMutablePointer<UInt8>
        let output: UnsafeMutablePointer<UInt8>
        var used = 0, compressed = 0, sequence = 0
        init(input: UnsafeMutablePointer<UInt8>, output: UnsafeMutablePointer<UInt8>) { self.input = input; self.output = output }
    }

    private let fd: Int32
    private let level: Int32
    private let memory: MappedBuffer
    /// Guards everything below.
    private let condition = NSCondition()
    private var idle: [Batch] = []
    private var queued: [Batch] = []
    private var queueHead = 0
    /// Compressed batches waiting for their turn, by sequence number.
    private var compressed: [Int: Batch] = [:]
    private var submitted = 0, written = 0
    private var writerBusy = false
    /// errno of the first failed write (or ENOMEM for a compressor that could not be made).
    private var failure: Int32?
    private var stopping = false
    private var running = 0
    /// The batch the caller fills (owned by the caller's thread, outside the lock).
    private var current: Batch

    /// Compresses at `level` (1...9, as htslib's levels) to `fd` (which the caller closes after
    /// `finish`) on `threads` worker threads.
    init(fd: Int32, level: Int, threads: Int) {
        self.fd = fd
        // htslib hands its levels to libdeflate through this table (libdeflate goes up to 12).
        let libdeflateLevels: [Int32] = [0, 1, 2, 3, 5, 6, 7, 8, 10, 12]
        self.level = libdeflateLevels[min(9, max(1, level))]
        let workers = max(1, threads)
        let count = 2 * workers + 1   // enough that the caller rarely waits for a free batch
        let inBytes = Self.batchBytes + Self.slack, outBytes = Self.blocksPerBatch * Self.maxBlock
        // Small pages: most of each batch's slack is never touched, and fresh memory costs its
        // clearing (~1 ms per MB here); batches are reused, so ~2.5 MB is ever touched.
        memory = MappedBuffer(count: count * (inBytes + outBytes), hugePages: false)
        var batches: [Batch] = []
        for i in 0..<count {
            let base = memory.base + i * (inBytes + outBytes)
            batches.append(Batch(input: base, output: base + inBytes))
        }
        current = batches.removeLast()
        idle = batches
        running = workers
        for _ in 0..<workers {
            let thread = Thread { [self] in work() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    deinit {
        stop()   // only reached once stopped: the workers hold the pipeline while they run
    }

    /// Appends `count` bytes.
    func write(_ bytes: UnsafeRawPointer, _ count: Int) throws {
        var from = bytes, left = count
        while left > 0 {
            let k = min(left, Self.batchBytes - current.used)
            (current.input + current.used).update(from: from.assumingMemoryBound(to: UInt8.self), count: k)
            current.used += k; from += k; left -= k
            if current.used == Self.batchBytes { try submitCurrent() }
        }
    }

    /// Where the caller may write up to `slack` bytes in place; `commit(n)` appends the first `n`.
    func reserve() -> UnsafeMutablePointer<UInt8> { current.input + current.used }

    /// Appends the first `n` bytes written at `reserve()`.
    func commit(_ n: Int) throws {
        precondition(n >= 0 && n <= Self.slack, "BGZFPipeline: commit past the reservation")
        current.used += n
        while current.used >= Self.batchBytes {
            let full = current, over = full.used - Self.batchBytes
            full.used = Self.batchBytes
            try submitCurrent()
            // The overrun starts the next batch (which may be this one again, once written: the
            // copy may overlap, which `update` allows).
            if over > 0 { current.input.update(from: full.input + Self.batchBytes, count: over) }
            current.used = over
        }
    }

    /// Compresses and writes everything appended so far (the last block may be short, as after
    /// `bgzf_flush`); returns when it is written.
    func flush() throws {
        if current.used > 0 { try submitCurrent() }
        condition.lock()
        defer { condition.unlock() }
        while written < submitted && failure == nil { condition.wait() }
        if let failure { throw POSIXError(failure) }
    }

    /// Flushes, writes the end-of-file block and stops the workers.
    func finish() throws {
        defer { stop() }
        try flush()
        let eof: [UInt8] = [0x1F, 0x8B, 8, 4, 0, 0, 0, 0, 0, 0xFF, 6, 0, 0x42, 0x43, 2, 0, 0x1B, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        if let errno = eof.withUnsafeBytes({ writeAll(fd, $0.baseAddress!, $0.count) }) { throw POSIXError(errno) }
    }

    /// Stops the workers (what is queued and not yet written is dropped) and waits for them.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    /// A write failure as htslib would report it: the errno of the failed `write`.
    struct POSIXError: Error { let code: Int32; init(_ code: Int32) { self.code = code } }

    private func submitCurrent() throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw POSIXError(failure) }
        current.sequence = submitted
        submitted += 1
        queued.append(current)
        condition.signal()
        while idle.isEmpty && failure == nil { condition.wait() }
        if let failure { throw POSIXError(failure) }
        current = idle.removeLast()
        current.used = 0
    }

    private func work() {
        let compressor = libdeflate_alloc_compressor(level)
        condition.lock()
        if compressor == nil && failure == nil { failure = ENOMEM; condition.broadcast() }
        while true {
            while queueHead == queued.count && !stopping { condition.wait() }
            if stopping || compressor == nil { break }
            let batch = queued[queueHead]
            queueHead += 1
            if queueHead == queued.count { queued.removeAll(keepingCapacity: true); queueHead = 0 }
            condition.unlock()
            batch.compressed = Self.compress(batch.input, batch.used, into: batch.output, with: compressor!)
            condition.lock()
            if batch.compressed < 0 && failure == nil { failure = EIO }
            compressed[batch.sequence] = batch
            // Whoever holds the next batch in order writes it and the run that follows it.
            while !writerBusy, let next = compressed.removeValue(forKey: written) {
                writerBusy = true
                let failed = failure != nil   // after a failure the rest is dropped, not written
                condition.unlock()
                let error = failed ? nil : writeAll(fd, next.output, next.compressed)
                condition.lock()
                writerBusy = false
                if let error, failure == nil { failure = error }
                written += 1
                idle.append(next)
                condition.broadcast()
            }
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
        if let compressor { libdeflate_free_compressor(compressor) }
    }

    /// Deflates `count` bytes at `input` as BGZF blocks of `blockSize` (the last one shorter)
    /// into `output`; returns the bytes written there (-1: a block did not fit).
    private static func compress(_ input: UnsafeMutablePointer<UInt8>, _ count: Int, into output: UnsafeMutablePointer<UInt8>,
                                 with compressor: OpaquePointer) -> Int {
        var from = 0, to = 0
        while from < count {
            let n = min(blockSize, count - from)
            let dst = output + to
            let body = libdeflate_deflate_compress(compressor, input + from, n, dst + 18, maxBlock - 26)
            // A block of 0xff00 bytes always fits (stored blocks add 5 bytes per 64 KiB); were it
            // not to, the write fails rather than the file being wrong.
            guard body > 0 else { return -1 }
            let size = body + 26
            // gzip magic, deflate, FEXTRA, no time, OS unknown; extra field 'BC' of 2 bytes: size − 1.
            dst[0] = 0x1F; dst[1] = 0x8B; dst[2] = 8; dst[3] = 4
            dst[4] = 0; dst[5] = 0; dst[6] = 0; dst[7] = 0; dst[8] = 0; dst[9] = 0xFF
            dst[10] = 6; dst[11] = 0; dst[12] = 0x42; dst[13] = 0x43; dst[14] = 2; dst[15] = 0
            dst[16] = UInt8(truncatingIfNeeded: size - 1); dst[17] = UInt8(truncatingIfNeeded: (size - 1) >> 8)
            let crc = libdeflate_crc32(0, input + from, n)
            for i in 0..<4 {
                dst[size - 8 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i)))
                dst[size - 4 + i] = UInt8(truncatingIfNeeded: UInt32(n) >> (8 * UInt32(i)))
            }
            from += n; to += size
        }
        return to
    }
}
