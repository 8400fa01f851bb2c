/// Writes FASTA records (`>name comment`, then the sequence on one line) to an `OutputFile`,
/// formatting straight into its buffer so large simulations do not allocate per record.
public final class FastaWriter {
    /// Where the records go.
    public let output: OutputFile
    private var scratch: [UInt8] = []
    /// Records larger than this are staged in a scratch buffer instead of the output's buffer.
    private let directLimit = 1 << 19

    /// A writer appending to `output` (which the caller commits).
    public init(output: OutputFile) { self.output = output }

    /// Writes one record; `comment` (if any) follows the name after a space.
    public func write(name: String, comment: String? = nil, sequence: UnsafeBufferPointer<UInt8>) throws {
        var header = ">" + name
        if let comment, !comment.isEmpty { header += " " + comment }
        header += "\n"
        var h = header
        try h.withUTF8 { hb in
            try writeRecord(header: UnsafeRawBufferPointer(hb), length: sequence.count) { dest in
                if let base = sequence.baseAddress { dest.update(from: base, count: sequence.count) }
            }
        }
    }

    /// Writes one record whose header line (`>`, name, comment and the newline) is `header`
    /// and whose `length` sequence bytes `fill` writes in place.
    @inline(__always)
    public func writeRecord(header: UnsafeRawBufferPointer, length: Int,
                            fill: (UnsafeMutablePointer<UInt8>) throws -> Void) throws {
        let total = header.count + length + 1
        if total <= directLimit {
            try output.withReservedBytes(total) { dest in
                UnsafeMutableRawPointer(dest).copyMemory(from: header.baseAddress!, byteCount: header.count)
                try fill(dest + header.count)
                dest[total - 1] = 10
                return total
            }
        } else {
            try output.write(header)
            if scratch.count < length + 1 { scratch = [UInt8](repeating: 0, count: length + 1) }
            try scratch.withUnsafeMutableBufferPointer { buf in
                try fill(buf.baseAddress!)
                buf[length] = 10
                try output.write(UnsafeRawBufferPointer(start: buf.baseAddress!, count: length + 1))
            }
        }
    }
}

/// Writes the decimal digits of `value` (non-negative) at `destination`; returns how many.
@inline(__always)
func writeDecimal(_ value: Int, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    var digits = (UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0),
                  UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0), UInt8(0))
    return withUnsafeMutableBytes(of: &digits) { d in
        var v = UInt(max(0, value)), n = 0
        repeat { d[n] = UInt8(48 + v % 10); v /= 10; n += 1 } while v > 0
        for i in 0..<n { destination[i] = d[n - 1 - i] }
        return n
    }
}

/// Writes `value` zero-padded to at least `width` digits; returns how many bytes.
@inline(__always)
func writeDecimal(_ value: Int, width: Int, to destination: UnsafeMutablePointer<UInt8>) -> Int {
    var digits = 1, v = value
    while v >= 10 { v /= 10; digits += 1 }
    var n = 0
    while n < width - digits { destination[n] = 48; n += 1 }
    return n + writeDecimal(value, to: destination + n)
}
