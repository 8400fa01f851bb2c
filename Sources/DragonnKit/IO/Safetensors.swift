import Foundation

/// A safetensors file (https://huggingface.co/docs/safetensors): 8-byte little-endian header
/// length, a JSON header mapping tensor names to `dtype`, `shape`, `data_offsets` (plus a
/// `__metadata__` string map), then the raw little-endian tensor bytes. Float32 only.
public struct SafetensorsFile {
    /// String metadata (`__metadata__`).
    public var metadata: [String: String]
    /// Tensors by name.
    public var tensors: [String: Tensor]
    /// Names in the order they are written (tensors not listed are written after, sorted).
    public var order: [String]

    public init(metadata: [String: String] = [:], tensors: [String: Tensor] = [:], order: [String] = []) {
        self.metadata = metadata
        self.tensors = tensors
        self.order = order
    }

    /// Parses safetensors bytes; `source` names the file in errors.
    public init(bytes: [UInt8], source: String) throws {
        func bad(_ why: String) -> DragonnError { DragonnError(file: source, "not a safetensors file: \(why)") }
        guard bytes.count >= 8 else { throw bad("shorter than 8 bytes") }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard headerLength >= 2, headerLength <= UInt64(bytes.count - 8) else { throw bad("header length \(headerLength) does not fit the file") }
        let headerEnd = 8 + Int(headerLength)
        guard bytes[8] == UInt8(ascii: "{"),
              let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])),
              let header = json as? [String: Any] else { throw bad("header is not a JSON object") }
        let dataCount = bytes.count - headerEnd
        metadata = [:]
        tensors = [:]
        var starts: [(Int, String)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (k, v) in m {
                    guard let s = v as? String else { throw bad("metadata '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int],
                  offsets.count == 2 else { throw bad("tensor '\(name)' lacks dtype, shape or data_offsets") }
            guard dtype == "F32" else {
                throw DragonnError(file: source, "tensor '\(name)' has dtype \(dtype); only F32 is supported")
            }
            // Sizes the file declares: overflow-checked, and within the file before anything is allocated.
            var byteCount = 4
            for d in shape {
                let (p, overflow) = byteCount.multipliedReportingOverflow(by: d)
                guard d >= 0, !overflow else { throw bad("tensor '\(name)': shape \(shape) is negative or too large") }
                byteCount = p
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataCount else {
                throw bad("tensor '\(name)': data_offsets \(offsets) lie outside the \(dataCount) data bytes")
            }
            guard offsets[1] - offsets[0] == byteCount else {
                throw bad("tensor '\(name)': data_offsets \(offsets) do not match shape \(shape)")
            }
            let n = byteCount / 4
            var values = [Float](repeating: 0, count: n)
            values.withUnsafeMutableBytes { dst in
                bytes.withUnsafeBytes { src in
                    dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + offsets[0])..<(headerEnd + offsets[1])]))
                }
            }
            #if _endian(big)
            values = values.map { Float(bitPattern: $0.bitPattern.byteSwapped) }
            #endif
            tensors[name] = Tensor(shape: shape, values: values)
            starts.append((offsets[0], name))
        }
        order = starts.sorted { $0.0 < $1.0 }.map { $0.1 }
    }

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws -> SafetensorsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DragonnError(file: path, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file")
        }
        return try SafetensorsFile(bytes: [UInt8](data), source: path)
    }

    /// The file's bytes: header padded with spaces to a multiple of 8 bytes, tensors in `order`.
    public func serialized() -> [UInt8] {
        let names = order.filter { tensors[$0] != nil } + tensors.keys.filter { !order.contains($0) }.sorted()
        func quote(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
        var parts: [String] = []
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(quote($0)):\(quote(metadata[$0]!))" }.joined(separator: ",")
            parts.append("\"__metadata__\":{\(m)}")
        }
        var offset = 0
        for name in names {
            let t = tensors[name]!
            let end = offset + 4 * t.values.count
            parts.append("\(quote(name)):{\"dtype\":\"F32\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        let n = UInt64(header.count)
        for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
        out += header
        for name in names {
            for v in tensors[name]!.values {
                let b = v.bitPattern.littleEndian
                out.append(UInt8(truncatingIfNeeded: b)); out.append(UInt8(truncatingIfNeeded: b >> 8))
                out.append(UInt8(truncatingIfNeeded: b >> 16)); out.append(UInt8(truncatingIfNeeded: b >> 24))
            }
        }
        return out
    }

    /// Writes the file as one output of `outputs` (never compressed, whatever the suffix).
    public func write(path: String, in outputs: OutputTransaction) throws {
        try outputs.open(path, compression: .none).write(serialized())
    }

    /// Writes the file on its own (a transaction of one output).
    public func write(path: String) throws {
        try OutputTransaction.write(path, compression: .none) { try $0.write(serialized()) }
    }
}
