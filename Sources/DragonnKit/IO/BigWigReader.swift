import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A bigWig file read natively (UCSC bigWig, little-endian): the header, the chromosome B+ tree
/// and, per chromosome, its intervals in file order, walked through the data R-tree one block at
/// a time. Every offset, count and size is checked against the file and the block before use;
/// a malformed file ends in a one-line `DragonnError` naming it.
final class BigWigReader {
    let path: String
    /// Chromosomes in the file's order (by chromosome id) with their lengths.
    let chromosomes: [(name: String, length: Int)]
    private let file: RandomAccessFile
    private var chromId: [String: UInt32] = [:]
    private let indexRoot: UInt64
    /// Header `uncompressBufSize`: 0 when blocks are stored, else the largest inflated block.
    private let uncompressBufSize: Int

    static let magic: UInt32 = 0x888F_FC26
    static let chromTreeMagic: UInt32 = 0x78CA_8C91
    static let indexMagic: UInt32 = 0x2468_ACE0
    /// The most bytes one section can need: its header and 65535 bedGraph items.
    static let maxSectionBytes = 24 + 65535 * 12
    /// B+ tree and R-tree depth beyond which a file is refused (real trees are a few levels deep).
    static let maxDepth = 32

    /// Opens `path`; throws unless its header, chromosome tree and index header are sound.
    init(path: String) throws {
        self.path = path
        file = try RandomAccessFile(path: path)
        let h = try file.bytes(at: 0, count: 64, what: "header")
        let magic = h.u32(0)
        guard magic == Self.magic else {
            if magic == Self.magic.byteSwapped { throw DragonnError(file: path, "big-endian bigWig files are not supported") }
            throw DragonnError(file: path, "not a bigWig file (wrong magic number)")
        }
        let chromTree = h.u64(8), indexOffset = h.u64(24)
        uncompressBufSize = Int(h.u32(52))
        // Chromosome B+ tree header (32 bytes).
        let t = try file.bytes(at: chromTree, count: 32, what: "chromosome tree header")
        guard t.u32(0) == Self.chromTreeMagic else { throw DragonnError(file: path, "chromosome tree has a wrong magic number") }
        let keySize = Int(t.u32(8)), valSize = t.u32(12), itemCount = t.u64(16)
        guard keySize >= 1, keySize <= 1 << 16 else { throw DragonnError(file: path, "chromosome tree key size \(keySize) is out of range") }
        guard valSize == 8 else { throw DragonnError(file: path, "chromosome tree value size \(valSize) is not 8") }
        var found: [(id: UInt32, name: String, length: Int)] = []
        var budget = Int(file.size)
        try Self.readChromNode(file, at: chromTree + 32, keySize: keySize, depth: 0, budget: &budget, into: &found)
        guard UInt64(found.count) == itemCount else {
            throw DragonnError(file: path, "chromosome tree holds \(found.count) chromosomes, its header says \(itemCount)")
        }
        var ids = Set<UInt32>()
        for c in found {
            guard chromId[c.name] == nil else { throw DragonnError(file: path, "chromosome \(c.name) named twice") }
            guard ids.insert(c.id).inserted else { throw DragonnError(file: path, "chromosome id \(c.id) used twice") }
            chromId[c.name] = c.id
        }
        chromosomes = found.sorted { $0.id < $1.id }.map { ($0.name, $0.length) }
        // Data R-tree header (48 bytes); the root node follows it.
        let r = try file.bytes(at: indexOffset, count: 48, what: "index header")
        guard r.u32(0) == Self.indexMagic else { throw DragonnError(file: path, "data index has a wrong magic number") }
        indexRoot = indexOffset + 48
    }

    /// Reads the B+ tree node at `offset` and its children (depth-first, keys in tree order);
    /// `budget` (bytes of nodes still allowed) stops a tree whose nodes loop or share children.
    private static func readChromNode(_ file: RandomAccessFile, at offset: UInt64, keySize: Int, depth: Int,
                                      budget: inout Int, into found: inout [(id: UInt32, name: String, length: Int)]) throws {
        let path = file.path
        guard depth < maxDepth else { throw DragonnError(file: path, "chromosome tree is deeper than \(maxDepth) levels") }
        let head = try file.bytes(at: offset, count: 4, what: "chromosome tree node")
        let isLeaf = head.u8(0) != 0, count = Int(head.u16(2))
        let itemSize = keySize + 8
        budget -= 4 + count * itemSize
        guard budget >= 0 else { throw DragonnError(file: path, "chromosome tree nodes overlap or loop") }
        let items = try file.bytes(at: offset + 4, count: count * itemSize, what: "chromosome tree node")
        for i in 0..<count {
            let at = i * itemSize
            if isLeaf {
                let key = items.slice(at, keySize)
                let name = String(decoding: key.prefix { $0 != 0 }, as: UTF8.self)
                let id = items.u32(at + keySize), length = Int(items.u32(at + keySize + 4))
                guard !name.isEmpty else { throw DragonnError(file: path, "chromosome id \(id) has an empty name") }
                guard length > 0 else { throw DragonnError(file: path, "chromosome \(name) has length 0") }
                found.append((id, name, length))
            } else {
                try readChromNode(file, at: items.u64(at + keySize), keySize: keySize, depth: depth + 1, budget: &budget, into: &found)
            }
        }
    }

    /// The intervals on `chrom` that start before `length`, in file order, read a block at a
    /// time; throws when the file does not name `chrom`.
    func cursor(on chrom: String, length: Int) throws -> IntervalCursor {
        guard let id = chromId[chrom], let i = chromosomes.firstIndex(where: { $0.name == chrom }) else {
            throw DragonnError(file: path, "no chromosome \(chrom)")
        }
        return try IntervalCursor(file: file, root: indexRoot, chrom: id, name: chrom, chromLength: chromosomes[i].length,
                                  limit: length, uncompressBufSize: uncompressBufSize)
    }
}

/// Walks one chromosome's intervals (`current` is nil at the end): the R-tree's leaf items on
/// that chromosome in file order (an explicit stack of nodes, bounded depth, a byte budget that
/// stops looping trees), each block inflated or read raw, its section decoded and checked.
/// Intervals must be sorted, non-empty, non-overlapping and inside the chromosome.
final class IntervalCursor {
    private let file: RandomAccessFile
    private let chrom: UInt32, name: String, chromLength: Int, limit: Int, uncompressBufSize: Int
    /// Nodes being walked: where the node's items start, how many, the next, and leaf or not.
    private var stack: [(items: UInt64, count: Int, next: Int, leaf: Bool)] = []
    private var budget: Int
    /// The decoded block and the position in it.
    private var starts: [Int] = [], ends: [Int] = [], values: [Float] = []
    private var k = 0
    private var lastEnd = 0
    /// The inflated block (reused).
    private var block: [UInt8] = []
    private(set) var current: (start: Int, end: Int, value: Float)?

    fileprivate init(file: RandomAccessFile, root: UInt64, chrom: UInt32, name: String, chromLength: Int, limit: Int,
                     uncompressBufSize: Int) throws {
        self.file = file
        self.chrom = chrom; self.name = name; self.chromLength = chromLength; self.limit = limit
        self.uncompressBufSize = uncompressBufSize
        budget = Int(file.size)
        try push(root)
        try advance()
    }

    private func error(_ problem: String) -> DragonnError { DragonnError(file: file.path, problem) }

    /// Puts the R-tree node at `offset` on the stack.
    private func push(_ offset: UInt64) throws {
        guard stack.count < BigWigReader.maxDepth else { throw error("data index is deeper than \(BigWigReader.maxDepth) levels") }
        let head = try file.bytes(at: offset, count: 4, what: "index node")
        let leaf = head.u8(0) != 0, count = Int(head.u16(2))
        let size = 4 + count * (leaf ? 32 : 24)
        budget -= size
        guard budget >= 0 else { throw error("data index nodes overlap or loop") }
        guard offset <= file.size, UInt64(size) <= file.size - offset else { throw error("index node at offset \(offset) runs past the end of the file") }
        stack.append((offset + 4, count, 0, leaf))
    }

    /// The next leaf item on this chromosome: its block's offset and size; nil after the last.
    private func nextBlock() throws -> (offset: UInt64, size: UInt64, single: Bool)? {
        while let top = stack.last {
            if top.next >= top.count { stack.removeLast(); continue }
            stack[stack.count - 1].next += 1
            let itemSize = top.leaf ? 32 : 24
            let item = try file.bytes(at: top.items + UInt64(top.next * itemSize), count: itemSize, what: "index node")
            let startChrom = item.u32(0), endChrom = item.u32(8)
            guard startChrom <= chrom && chrom <= endChrom else { continue }
            if top.leaf { return (item.u64(16), item.u64(24), startChrom == endChrom) }
            try push(item.u64(16))
        }
        return nil
    }

    /// Moves to the next interval.
    func advance() throws {
        while true {
            if k < starts.count {
                let s = starts[k], e = ends[k], v = values[k]
                k += 1
                guard s < e else { throw error("\(name): empty or reversed interval \(s)-\(e)") }
                guard e <= chromLength else { throw error("\(name):\(s)-\(e) runs past the chromosome's end (\(chromLength))") }
                guard s >= lastEnd else { throw error("\(name):\(s)-\(e) overlaps or precedes the interval before it") }
                lastEnd = e
                if s >= limit { continue }
                current = (s, e, v)
                return
            }
            guard let b = try nextBlock() else { current = nil; return }
            try load(b.offset, b.size, single: b.single)
        }
    }

    /// Reads the block at `offset` (`size` bytes), inflating it when the file's blocks are
    /// compressed, and decodes its section into `starts`/`ends`/`values`.
    private func load(_ offset: UInt64, _ size: UInt64, single: Bool) throws {
        let cap = BigWigReader.maxSectionBytes
        // A deflated section is never much larger than the section itself.
        guard size >= 1, size <= UInt64(cap + cap / 8 + 1024) else { throw error("block at offset \(offset) has size \(size)") }
        let n = Int(size)
        let stored = try file.bytes(at: offset, count: n, what: "data block")
        if uncompressBufSize > 0 {
            let out = min(uncompressBufSize, cap)
            if block.count < out { block = [UInt8](repeating: 0, count: out) }
            let got = try stored.data.withUnsafeBufferPointer { src in
                try block.withUnsafeMutableBufferPointer { try inflateBlock(src, into: $0.baseAddress!, capacity: out, at: offset) }
            }
            try decode(FileBytes(data: block), count: got, at: offset, single: single)
        } else {
            try decode(stored, count: n, at: offset, single: single)
        }
        k = 0
    }

    /// Inflates one zlib stream into at most `capacity` bytes; the byte count. A stream that
    /// needs more room, is cut short or fails its checksum is an error.
    private func inflateBlock(_ source: UnsafeBufferPointer<UInt8>, into destination: UnsafeMutablePointer<UInt8>, capacity: Int,
                              at offset: UInt64) throws -> Int {
        var z = z_stream()
        guard inflateInit_(&z, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw error("cannot start zlib") }
        defer { inflateEnd(&z) }
        z.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
        z.avail_in = uInt(source.count)
        z.next_out = destination
        z.avail_out = uInt(capacity)
        let rc = inflate(&z, Z_FINISH)
        if rc == Z_STREAM_END { return Int(z.total_out) }
        if rc == Z_DATA_ERROR { throw error("block at offset \(offset) is corrupt (bad zlib data or checksum)") }
        if z.avail_out == 0 { throw error("block at offset \(offset) inflates to more than \(capacity) bytes") }
        throw error("block at offset \(offset) is truncated (zlib error \(rc))")
    }

    /// Decodes the section in the first `length` bytes of `sec` (bedGraph 1, varStep 2, fixedStep 3) into the block arrays;
    /// sections on other chromosomes are skipped unless the index placed the block on this one alone.
    private func decode(_ sec: FileBytes, count length: Int, at offset: UInt64, single: Bool) throws {
        starts.removeAll(keepingCapacity: true); ends.removeAll(keepingCapacity: true); values.removeAll(keepingCapacity: true)
        guard length >= 24 else { throw error("block at offset \(offset) is shorter than a section header") }
        let sectionChrom = sec.u32(0)
        guard sectionChrom == chrom else {
            if single { throw error("block at offset \(offset) holds chromosome id \(sectionChrom), its index entry says \(chrom)") }
            return
        }
        let start = Int(sec.u32(4)), step = Int(sec.u32(12)), span = Int(sec.u32(16))
        let type = sec.u8(20), count = Int(sec.u16(22))
        let itemSize: Int
        switch type {
        case 1: itemSize = 12
        case 2: itemSize = 8
        case 3: itemSize = 4
        default: throw error("block at offset \(offset) has unknown section type \(type)")
        }
        guard 24 + count * itemSize <= length else {
            throw error("block at offset \(offset) holds \(length) bytes, its section of \(count) items needs \(24 + count * itemSize)")
        }
        starts.reserveCapacity(count); ends.reserveCapacity(count); values.reserveCapacity(count)
        for i in 0..<count {
            let at = 24 + i * itemSize
            switch type {
            case 1:
                starts.append(Int(sec.u32(at))); ends.append(Int(sec.u32(at + 4))); values.append(Float(bitPattern: sec.u32(at + 8)))
            case 2:
                let s = Int(sec.u32(at))
                starts.append(s); ends.append(s + span); values.append(Float(bitPattern: sec.u32(at + 4)))
            default:
                let s = start + i * step
                starts.append(s); ends.append(s + span); values.append(Float(bitPattern: sec.u32(at)))
            }
        }
    }
}

/// Bytes read from a file (or a block): little-endian fields, bounds-checked by the array.
struct FileBytes {
    let data: [UInt8]
    func u8(_ at: Int) -> UInt8 { data[at] }
    func u16(_ at: Int) -> UInt16 { UInt16(data[at]) | UInt16(data[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 {
        UInt32(data[at]) | UInt32(data[at + 1]) << 8 | UInt32(data[at + 2]) << 16 | UInt32(data[at + 3]) << 24
    }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
    func slice(_ at: Int, _ count: Int) -> ArraySlice<UInt8> { data[at..<(at + count)] }
}

/// A file read at offsets (pread), through a 64 KiB window that the small reads of tree nodes
/// hit; reads beyond the file's end are errors naming what was being read.
final class RandomAccessFile {
    let path: String
    let size: UInt64
    private let fd: Int32
    private var window: [UInt8] = []
    private var windowStart: UInt64 = 0
    private static let windowSize = 1 << 16

    /// Opens `path` for reading; throws unless it is a regular file (its size is known).
    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw DragonnError(file: path, errno == ENOENT ? "no such file" : "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw DragonnError(file: path, "not a regular file (a bigWig is read at offsets)")
        }
        size = UInt64(st.st_size)
    }

    deinit { close(fd) }

    /// `count` bytes at `offset`; throws (naming `what`) when they run past the end of the file.
    func bytes(at offset: UInt64, count: Int, what: String) throws -> FileBytes {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else {
            throw DragonnError(file: path, "\(what) at offset \(offset) runs past the end of the file (\(size) bytes)")
        }
        if count <= Self.windowSize {
            if offset < windowStart || offset + UInt64(count) > windowStart + UInt64(window.count) {
                let n = Int(min(UInt64(Self.windowSize), size - offset))
                window = try read(at: offset, count: n)
                windowStart = offset
            }
            let from = Int(offset - windowStart)
            return FileBytes(data: Array(window[from..<(from + count)]))
        }
        return FileBytes(data: try read(at: offset, count: count))
    }

    private func read(at offset: UInt64, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) + off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw DragonnError(file: path, "cannot read at offset \(offset): \(n < 0 ? String(cString: strerror(errno)) : "file shrank")") }
            done += n
        }
        return out
    }
}
