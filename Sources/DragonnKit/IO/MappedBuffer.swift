#if canImport(Glibc)
import Glibc
#endif

/// Bytes in anonymous memory mapped for this buffer alone, backed by 2 MiB pages where the
/// kernel allows it (transparent huge pages in `madvise` mode): a 100 Mbp genome is then ~50
/// page faults instead of ~25,000, which were most of the training-set job's system time.
/// Buffers under 1 MiB come from the heap instead. Freed when the buffer goes away.
final class MappedBuffer: @unchecked Sendable {
    /// The first byte; `count` bytes are usable.
    let base: UnsafeMutablePointer<UInt8>
    private(set) var count: Int
    private let region: UnsafeMutableRawPointer?
    private let mappedBytes: Int

    static let hugePage = 1 << 21

    /// A buffer of `count` bytes: all zero with `zeroed` (fresh mappings are zero already, so
    /// this costs nothing for large buffers), otherwise undefined until written. `hugePages`:
    /// false for buffers used only in part (a 2 MiB page is cleared whole at its first touch).
    init(count: Int, zeroed: Bool = false, hugePages: Bool = true) {
        self.count = count
        let page = Self.hugePage
        // Room to start on a 2 MiB boundary, so every whole 2 MiB of the buffer can be one page.
        let rounded = (max(1, count) + page - 1) / page * page
        let length = rounded + page
        if count >= 1 << 20, let p = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED {
            let start = (Int(bitPattern: p) + page - 1) / page * page
            let aligned = UnsafeMutableRawPointer(bitPattern: start)!
            if hugePages { _ = madvise(aligned, rounded, MADV_HUGEPAGE) }   // advice only: without THP, 4 KiB pages
            region = p
            mappedBytes = length
            base = aligned.assumingMemoryBound(to: UInt8.self)
        } else {
            region = nil
            mappedBytes = 0
            base = .allocate(capacity: max(1, count))
            if zeroed { base.initialize(repeating: 0, count: max(1, count)) }
        }
    }

    deinit {
        if let region { munmap(region, mappedBytes) } else { base.deallocate() }
    }

    /// Keeps only the first `n` bytes (`n` ≤ `count`) usable; the memory stays allocated.
    func shrink(to n: Int) {
        precondition(n <= count, "MappedBuffer can only shrink")
        count = n
    }

    /// The bytes as a buffer.
    var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
