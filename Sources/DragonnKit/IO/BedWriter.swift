/// Writes BED6 lines (`chrom start end name score strand`, 0-based half-open) to an `OutputFile`.
public final class BedWriter {
    /// Where the lines go.
    public let output: OutputFile

    /// A writer appending to `output` (which the caller commits).
    public init(output: OutputFile) { self.output = output }

    /// Writes one BED6 line; `strand` is `+`, `-` or `.`.
    public func write(chrom: String, start: Int, end: Int, name: String, score: Int = 0, strand: Character) throws {
        var c = chrom, n = name
        try c.withUTF8 { cb in
            try n.withUTF8 { nb in
                try write(chrom: UnsafeRawBufferPointer(cb), start: start, end: end,
                          name: UnsafeRawBufferPointer(nb), score: score, strand: strand.asciiValue ?? 46)
            }
        }
    }

    /// Writes one BED6 line from raw name bytes (no allocation); `strand` is an ASCII byte.
    @inline(__always)
    public func write(chrom: UnsafeRawBufferPointer, start: Int, end: Int, name: UnsafeRawBufferPointer,
                      score: Int, strand: UInt8) throws {
        let maximum = chrom.count + name.count + 3 * 21 + 6
        try output.withReservedBytes(maximum) { dest in
            var n = writeIntervalFields(chrom: chrom, start: start, end: end, to: dest)
            if name.count > 0 { UnsafeMutableRawPointer(dest + n).copyMemory(from: name.baseAddress!, byteCount: name.count) }
            n += name.count
            dest[n] = 9; n += 1
            n += writeDecimal(score, to: dest + n)
            dest[n] = 9; n += 1
            dest[n] = strand; n += 1
            dest[n] = 10; n += 1
            return n
        }
    }
}

/// Writes `chrom<TAB>start<TAB>end<TAB>`, the fields BED and bedGraph lines begin with, to `dest`
/// (room for chrom.count + 43 bytes; start and end not negative); returns how many bytes.
@inline(__always)
func writeIntervalFields(chrom: UnsafeRawBufferPointer, start: Int, end: Int, to dest: UnsafeMutablePointer<UInt8>) -> Int {
    var n = 0
    if chrom.count > 0 { UnsafeMutableRawPointer(dest).copyMemory(from: chrom.baseAddress!, byteCount: chrom.count) }
    n += chrom.count
    dest[n] = 9; n += 1
    n += writeDecimal(start, to: dest + n)
    dest[n] = 9; n += 1
    n += writeDecimal(end, to: dest + n)
    dest[n] = 9; n += 1
    return n
}
