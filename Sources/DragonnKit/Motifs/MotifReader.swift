#if canImport(Glibc)
import Glibc
#endif

/// Reads motif files in any of the four supported formats (see `MotifFormat`), plain or gzip,
/// detecting the format from the content.
public enum MotifReader {
    /// Reads every motif in `path` (`-` = stdin). Weights are normalised per position and
    /// smoothed with `pseudocount` (see `PWM.init`). Errors name the file and line.
    public static func read(path: String, pseudocount: Double = PWM.defaultPseudocount) throws -> [PWM] {
        try parse(TextLines(path: path), pseudocount: pseudocount)
    }

    /// Parses motif text held in memory; `path` only labels error messages.
    public static func parse(text: String, path: String = "<text>",
                             pseudocount: Double = PWM.defaultPseudocount) throws -> [PWM] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        return try parse(TextLines(path: path, lines: lines), pseudocount: pseudocount)
    }

    /// The format `path` is in, or nil when it is none of the four.
    public static func detectFormat(path: String) throws -> MotifFormat? {
        MotifFormat.detect(try TextLines(path: path).lines)
    }

    static func parse(_ text: TextLines, pseudocount: Double) throws -> [PWM] {
        guard let format = MotifFormat.detect(text.lines) else {
            throw DragonnError(file: text.path, line: firstContentLine(text.lines),
                               "not a motif file (expected ENCODE, HOMER, MEME or JASPAR format)")
        }
        let parser = MotifParser(text: text, pseudocount: pseudocount)
        let motifs: [PWM]
        switch format {
        case .encode: motifs = try parser.encode()
        case .homer: motifs = try parser.homer()
        case .meme: motifs = try parser.meme()
        case .jaspar: motifs = try parser.jaspar()
        }
        guard !motifs.isEmpty else { throw DragonnError(file: text.path, "no motifs found") }
        return motifs
    }

    private static func firstContentLine(_ lines: [String]) -> Int? {
        lines.firstIndex { !$0.trimmedSpace.isEmpty }.map { $0 + 1 }
    }
}

/// The line-by-line parsers, one method per format. Line numbers in errors are 1-based.
struct MotifParser {
    let text: TextLines
    let pseudocount: Double

    private func fail(_ index: Int, _ problem: String) -> DragonnError {
        DragonnError(file: text.path, line: index + 1, problem)
    }

    private func numbers(_ fields: some Collection<Substring>, line index: Int) throws -> [Double] {
        try fields.map { f in
            guard let v = Double(f), v.isFinite else { throw fail(index, "'\(f)' is not a number") }
            guard v >= 0 else { throw fail(index, "negative weight \(f)") }
            return v
        }
    }

    private func makePWM(name: String, alternateName: String? = nil, weights: [Double], headerLine: Int) throws -> PWM {
        guard !weights.isEmpty else { throw fail(headerLine, "motif \(name) has no positions") }
        do {
            return try PWM(name: name, alternateName: alternateName, weights: weights, pseudocount: pseudocount)
        } catch let e as DragonnError {
            throw fail(headerLine, e.description)
        }
    }

    /// `>NAME ...` then `<letter> pA pC pG pT` per position.
    func encode() throws -> [PWM] {
        var motifs: [PWM] = []
        var name: String? = nil, header = 0, weights: [Double] = []
        for (i, line) in text.lines.enumerated() {
            // The usual row, `<letter> pA pC pG pT` in plain decimals, read straight from the bytes.
            var line = line
            if name != nil, let row = line.withUTF8({ Self.encodeRow($0) }) {
                weights.append(contentsOf: row)
                continue
            }
            let t = line.trimmedSpace
            if t.isEmpty || t.hasPrefix("#") { continue }
            if t.hasPrefix(">") {
                if let name { motifs.append(try makePWM(name: name, weights: weights, headerLine: header)) }
                guard let n = String(t.dropFirst()).fields.first else { throw fail(i, "motif header without a name") }
                name = String(n); header = i; weights = []
                continue
            }
            guard name != nil else { throw fail(i, "expected a '>' motif header") }
            let f = line.fields
            guard f.count == 5 else { throw fail(i, "expected a letter and four probabilities (A C G T), found \(f.count) fields") }
            weights += try numbers(f.dropFirst(), line: i)
        }
        if let name { motifs.append(try makePWM(name: name, weights: weights, headerLine: header)) }
        return motifs
    }

    /// The four weights of an ENCODE row `<letter> pA pC pG pT` (fields separated by spaces or
    /// tabs, weights in plain decimal notation, finite and non-negative), or nil for any other
    /// line (the general path then reads it, or reports it). Numbers go through `strtod`, as
    /// `Double(_:)` does, so the values are the same.
    static func encodeRow(_ bytes: UnsafeBufferPointer<UInt8>) -> [Double]? {
        var starts: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0), ends = starts
        var count = 0, i = 0
        let n = bytes.count
        while i < n {
            while i < n, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
            if i == n { break }
            let start = i
            while i < n, bytes[i] != 32, bytes[i] != 9 { i += 1 }
            switch count {
            case 0: starts.0 = start; ends.0 = i
            case 1: starts.1 = start; ends.1 = i
            case 2: starts.2 = start; ends.2 = i
            case 3: starts.3 = start; ends.3 = i
            case 4: starts.4 = start; ends.4 = i
            default: return nil
            }
            count += 1
        }
        guard count == 5 else { return nil }
        // The letter field must not look like a number or a header/comment.
        let first = bytes[starts.0]
        guard first != UInt8(ascii: ">"), first != UInt8(ascii: "#") else { return nil }
        var buffer = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return withUnsafeMutableBytes(of: &buffer) { raw -> [Double]? in
            let c = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            func number(_ a: Int, _ b: Int) -> Double? {
                guard b - a < 63, bytes[a] != 45 else { return nil }
                var sawDigit = false
                for j in a..<b {
                    let x = bytes[j]
                    if x >= 48 && x <= 57 { sawDigit = true } else if x != 46 && x != 101 && x != 69 && x != 43 && x != 45 { return nil }
                    c[j - a] = CChar(bitPattern: x)
                }
                c[b - a] = 0
                guard sawDigit else { return nil }
                var end: UnsafeMutablePointer<CChar>? = nil
                let v = strtod(c, &end)
                guard end == c + (b - a), v.isFinite, v >= 0 else { return nil }
                return v
            }
            guard let w0 = number(starts.1, ends.1), let w1 = number(starts.2, ends.2),
                  let w2 = number(starts.3, ends.3), let w3 = number(starts.4, ends.4) else { return nil }
            return [w0, w1, w2, w3]
        }
    }

    /// `>CONSENSUS<TAB>NAME<TAB>...` then `pA pC pG pT` per position.
    func homer() throws -> [PWM] {
        var motifs: [PWM] = []
        var name: String? = nil, header = 0, weights: [Double] = []
        for (i, line) in text.lines.enumerated() {
            let t = line.trimmedSpace
            if t.isEmpty || t.hasPrefix("#") { continue }
            if t.hasPrefix(">") {
                if let name { motifs.append(try makePWM(name: name, weights: weights, headerLine: header)) }
                let body = String(t.dropFirst())
                let tabbed = body.split(separator: "\t", omittingEmptySubsequences: false)
                let f = tabbed.count >= 2 ? tabbed : body.fields
                guard f.count >= 2, !f[1].isEmpty else { throw fail(i, "HOMER header needs a consensus and a name") }
                name = String(f[1]); header = i; weights = []
                continue
            }
            guard name != nil else { throw fail(i, "expected a '>' motif header") }
            let f = line.fields
            guard f.count == 4 else { throw fail(i, "expected four numbers (A C G T), found \(f.count) fields") }
            weights += try numbers(f, line: i)
        }
        if let name { motifs.append(try makePWM(name: name, weights: weights, headerLine: header)) }
        return motifs
    }

    /// MEME minimal text format: `MOTIF id [alt]`, `letter-probability matrix: alength= 4 w= N`, N rows.
    func meme() throws -> [PWM] {
        var motifs: [PWM] = []
        var id: String? = nil, alt: String? = nil, header = 0
        var i = 0
        let lines = text.lines
        while i < lines.count {
            let t = lines[i].trimmedSpace
            if t.hasPrefix("ALPHABET") {
                let value = t.drop { $0 != "=" }.dropFirst().trimmingSpace
                if !value.hasPrefix("ACGT") { throw fail(i, "only the DNA alphabet ACGT is supported, found '\(value)'") }
            } else if t.hasPrefix("MOTIF") {
                let f = String(t).fields
                guard f.count >= 2 else { throw fail(i, "MOTIF line without an identifier") }
                id = String(f[1]); alt = f.count >= 3 ? String(f[2]) : nil; header = i
            } else if t.hasPrefix("letter-probability matrix") {
                guard let motifId = id else { throw fail(i, "matrix before any MOTIF line") }
                let f = String(t).fields
                var width: Int? = nil
                if let w = f.firstIndex(where: { $0 == "w=" }), w + 1 < f.count { width = Int(f[w + 1]) }
                if let a = f.firstIndex(where: { $0 == "alength=" }), a + 1 < f.count, f[a + 1] != "4" {
                    throw fail(i, "alength must be 4 (DNA), found \(f[a + 1])")
                }
                var weights: [Double] = []
                var j = i + 1
                while j < lines.count {
                    let row = lines[j].fields
                    if row.isEmpty { if width == nil || weights.count / 4 >= width! { break } else { j += 1; continue } }
                    guard Double(row[0]) != nil else { break }
                    guard row.count == 4 else { throw fail(j, "expected four probabilities (A C G T), found \(row.count) fields") }
                    weights += try numbers(row, line: j)
                    j += 1
                    if let width, weights.count / 4 == width { break }
                }
                if let width, weights.count / 4 != width {
                    throw fail(i, "matrix declares w= \(width) but has \(weights.count / 4) rows")
                }
                // MEME users look motifs up by the id; the alternate name is kept for lookups too.
                motifs.append(try makePWM(name: motifId, alternateName: alt, weights: weights, headerLine: header))
                id = nil
                i = j
                continue
            }
            i += 1
        }
        return motifs
    }

    /// `>ID NAME` then four rows (A, C, G, T), each with one count per position, optionally as
    /// `A [ 1 2 3 ]`.
    func jaspar() throws -> [PWM] {
        var motifs: [PWM] = []
        let lines = text.lines
        var i = 0
        while i < lines.count {
            let t = lines[i].trimmedSpace
            if t.isEmpty || t.hasPrefix("#") { i += 1; continue }
            guard t.hasPrefix(">") else { throw fail(i, "expected a '>' motif header") }
            let f = String(t.dropFirst()).fields
            guard let id = f.first else { throw fail(i, "motif header without a name") }
            let header = i
            var rows: [[Double]] = [[], [], [], []]
            var seen = 0
            i += 1
            while i < lines.count, seen < 4 {
                let rowText = lines[i].replacingBrackets
                let rf = rowText.fields
                if rf.isEmpty { i += 1; continue }
                if rowText.trimmedSpace.hasPrefix(">") { break }
                var slot = seen
                var values = rf[...]
                if Double(rf[0]) == nil {
                    guard let k = ["A", "C", "G", "T"].firstIndex(of: rf[0].uppercased()) else {
                        throw fail(i, "row label must be A, C, G or T, found '\(rf[0])'")
                    }
                    slot = k
                    values = rf.dropFirst()
                }
                guard rows[slot].isEmpty else { throw fail(i, "row \(["A", "C", "G", "T"][slot]) given twice") }
                rows[slot] = try numbers(values, line: i)
                seen += 1
                i += 1
            }
            guard seen == 4 else { throw fail(header, "JASPAR motif needs four rows (A, C, G, T), found \(seen)") }
            let width = rows[0].count
            guard rows.allSatisfy({ $0.count == width }) else {
                throw fail(header, "JASPAR rows have different lengths (\(rows.map(\.count)))")
            }
            var weights = [Double](repeating: 0, count: width * 4)
            for p in 0..<width { for b in 0..<4 { weights[p * 4 + b] = rows[b][p] } }
            let name = f.count >= 2 ? String(f[1]) : String(id)
            motifs.append(try makePWM(name: name, alternateName: f.count >= 2 ? String(id) : nil,
                                      weights: weights, headerLine: header))
        }
        return motifs
    }
}

private extension String {
    var replacingBrackets: String {
        String(map { $0 == "[" || $0 == "]" ? " " : $0 })
    }
}

private extension Substring {
    var trimmingSpace: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return s
    }
}
