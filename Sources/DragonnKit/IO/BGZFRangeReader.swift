import CLibdeflate
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads stretches of the uncompressed stream of a BGZF file that has a `.gzi` index, block by
/// block with libdeflate (each block's CRC-32 and length checked, as htslib checks them), and
/// hands every decompressed block to the caller while it is still in the cache. A long stretch
/// is split at a block boundary and read on two threads.
///
/// Why not `bgzf_read`: it copies every block out of its own buffer, and a caller that wants the
/// bases without line ends then moves them again and scans them a third time; on a machine
/// whose memory moves ~1-2 GB/s each pass over a genome costs tens of milliseconds.
final class BGZFRangeReader: @unchecked Sendable {
    private let fd: Int32
    /// Starts of blocks: compressed and uncompressed offsets, beginning with (0, 0).
    private let starts: [(compressed: Int, uncompressed: Int)]

    /// Opens `path` and its `path.gzi`; nil when either is missing or the index is malformed
    /// (callers then read another way).
    init?(path: String) {
        guard let index = FileManager.default.contents(atPath: path + ".gzi"), index.count >= 8 else { return nil }
        let entries: [(compressed: Int, uncompressed: Int)]? = index.withUnsafeBytes { raw in
            let n = Int(UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)))
            guard n >= 0, n <= (raw.count - 8) / 16, raw.count == 8 + 16 * n else { return nil }
            var out: [(compressed: Int, uncompressed: Int)] = [(0, 0)]
            out.reserveCapacity(n + 1)
            for i in 0..<n {
                let c = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 + 16 * i, as: UInt64.self))
                let u = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16 + 16 * i, as: UInt64.self))
                guard c < 1 << 62, u < 1 << 62, Int(c) > out.last!.compressed, Int(u) > out.last!.uncompressed else { return nil }
                out.append((Int(c), Int(u)))
            }
            return out
        }
        guard let entries else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.fd = fd
        starts = entries
    }

    deinit { close(fd) }

    /// An upper bound on the length of the uncompressed stream: the last indexed block's start
    /// plus one whole block.
    var uncompressedBound: Int { starts.last!.uncompressed + (1 << 16) }

    /// Calls `sink(offset, bytes)` for the uncompressed bytes `[from, to)`, in pieces of at most
    /// one block (`offset`: where the piece starts in the uncompressed stream). Pieces of the
    /// first and second half may come from two threads at once, each half in order. False when
    /// the data is not BGZF as indexed, is corrupt or ends early, or `sink` returns false.
    func read(from: Int, to: Int, _ sink: (Int, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard from >= 0, from <= to else { return false }
        if from == to { return true }
        let first = entry(atOrBefore: from)
        let middle = entry(atOrBefore: from + (to - from) / 2)
        // Two halves when the middle falls in another block than the start (and the stretch is
        // long enough to pay for a second thread).
        guard middle > first, to - from >= 1 << 22 else { return readPart(entry: first, from: from, to: to, sink) }
        let split = starts[middle].uncompressed
        let ok = UnsafeMutablePointer<Bool>.allocate(capacity: 2)
        defer { ok.deallocate() }
        ok.initialize(repeating: false, count: 2)
        parallelChunks(count: 2, threads: 2) { part, _ in
            ok[part] = part == 0 ? readPart(entry: first, from: from, to: split, sink)
                                 : readPart(entry: middle, from: split, to: to, sink)
        }
        return ok[0] && ok[1]
    }

    /// The last index entry starting at or before uncompressed offset `u`.
    private func entry(atOrBefore u: Int) -> Int {
        var lo = 0, hi = starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid].uncompressed <= u { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Reads the blocks from index entry `entry` on, handing on the bytes within `[from, to)`.
    private func readPart(entry: Int, from: Int, to: Int, _ sink: (Int, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard let decompressor = libdeflate_alloc_decompressor() else { return false }
        defer { libdeflate_free_decompressor(decompressor) }
        let chunk = 1 << 20, maxBlock = 1 << 16
        // Compressed bytes read ahead (a chunk plus room for a block cut at its end), and one block out.
        let input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk + maxBlock)
        let output = UnsafeMutablePointer<UInt8>.allocate(capacity: maxBlock)
        defer { input.deallocate(); output.deallocate() }
        var fileOffset = starts[entry].compressed   // of input[0]
        var have = 0, at = 0                          // bytes in `input`, parse position
        var u = starts[entry].uncompressed
        while u < to {
            // At least one whole block in the buffer: refill from the file when not.
            if have - at < 18 || have - at < Self.blockSize(input + at, have - at) ?? Int.max {
                fileOffset += at
                if at < have { input.update(from: input + at, count: have - at) }
                have -= at; at = 0
                let got = pread(fd, input + have, chunk + maxBlock - have, off_t(fileOffset + have))
                guard got > 0 else { return false }
                have += got
                continue
            }
            guard let size = Self.blockSize(input + at, have - at), size <= have - at else { return false }
            let block = input + at
            let headerLength = 12 + (Int(block[10]) | Int(block[11]) << 8)
            // The size must leave room for the header and the CRC and length after the data
            // before either is read (a crafted BSIZE can be smaller than the header).
            guard size - 8 > headerLength else { return false }
            let crc = Self.le32(block + size - 8), length = Int(Self.le32(block + size - 4))
            guard length > 0, length <= maxBlock else { return false }   // 0: end-of-file block
            var produced = 0
            let result = libdeflate_deflate_decompress(decompressor, block + headerLength, size - 8 - headerLength,
                                                       output, maxBlock, &produced)
            guard result == LIBDEFLATE_SUCCESS, produced == length,
                  libdeflate_crc32(0, output, produced) == crc else { return false }
            let lo = max(from, u), hi = min(to, u + produced)
            if lo < hi, !sink(lo, UnsafeBufferPointer(start: output + (lo - u), count: hi - lo)) { return false }
            u += produced
            at += size
        }
        return true
    }

    /// The total size of the BGZF block at `p` (its 'BC' extra field + 1), nil when the header is
    /// not a BGZF block header or is cut off within `available` bytes.
    private static func blockSize(_ p: UnsafeMutablePointer<UInt8>, _ available: Int) -> Int? {
        guard available >= 18, p[0] == 0x1F, p[1] == 0x8B, p[2] == 8, p[3] & 4 != 0 else { return nil }
        let xlen = Int(p[10]) | Int(p[11]) << 8
        guard available >= 12 + xlen else { return nil }
        var k = 12
        while k + 4 <= 12 + xlen {
            let slen = Int(p[k + 2]) | Int(p[k + 3]) << 8
            if p[k] == 0x42, p[k + 1] == 0x43, slen == 2, k + 6 <= 12 + xlen {
                return (Int(p[k + 4]) | Int(p[k + 5]) << 8) + 1
            }
            k += 4 + slen
        }
        return nil
    }

    private static func le32(_ p: UnsafeMutablePointer<UInt8>) -> UInt32 {
        UInt32(p[0]) | UInt32(p[1]) << 8 | UInt32(p[2]) << 16 | UInt32(p[3]) << 24
    }
}
