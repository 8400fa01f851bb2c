import Foundation

/// A named set of PWMs: the bundled ENCODE collection, optionally extended or replaced by the
/// user's motif files. Later motifs replace earlier ones of the same name.
public struct MotifCollection: Sendable {
    /// The motifs in file order.
    public private(set) var motifs: [PWM] = []
    private var byName: [String: Int] = [:]
    private var byAlternateName: [String: Int] = [:]

    /// An empty collection.
    public init() {}

    /// A collection holding `motifs` (later duplicates replace earlier ones).
    public init(_ motifs: [PWM]) { add(motifs) }

    /// The ENCODE motif collection bundled with dragonn (see `BundledData`), with the
    /// simulator's pseudocount 0.001.
    public static func bundled() throws -> MotifCollection {
        MotifCollection(try MotifReader.read(path: try BundledData.path(of: BundledData.encodeMotifs)))
    }

    /// The collection a tool uses: the bundled one (unless `replaceBundled`) plus every file in `files`.
    public static func load(files: [String], replaceBundled: Bool = false) throws -> MotifCollection {
        if replaceBundled && files.isEmpty {
            throw DragonnError("--no-bundled-motifs needs at least one --motifs FILE")
        }
        var collection = replaceBundled ? MotifCollection() : try bundled()
        for file in files { collection.add(try MotifReader.read(path: file)) }
        return collection
    }

    /// Adds `newMotifs`, replacing motifs of the same name.
    public mutating func add(_ newMotifs: [PWM]) {
        for m in newMotifs {
            if let i = byName[m.name] { motifs[i] = m } else { byName[m.name] = motifs.count; motifs.append(m) }
        }
        byAlternateName = [:]
        for (i, m) in motifs.enumerated() {
            if let alt = m.alternateName, byName[alt] == nil { byAlternateName[alt] = i }
        }
    }

    /// Number of motifs.
    public var count: Int { motifs.count }

    /// The motif called `name` (its name, or its alternate name such as a JASPAR id), or nil.
    public subscript(name: String) -> PWM? {
        if let i = byName[name] ?? byAlternateName[name] { return motifs[i] }
        return nil
    }

    /// The motif called `name`; an unknown name throws an error naming the closest known names.
    public func motif(named name: String) throws -> PWM {
        if let m = self[name] { return m }
        let close = closestNames(to: name, limit: 5)
        let hint = close.isEmpty ? "" : "; closest: " + close.joined(separator: ", ")
        throw DragonnError("unknown motif '\(name)'\(hint) (list them with: dragonn-sim motifs)")
    }

    /// Up to `limit` names nearest to `query`: names containing it (case-insensitive) first,
    /// then by edit distance.
    public func closestNames(to query: String, limit: Int) -> [String] {
        let q = Array(query.lowercased().utf8)
        guard !q.isEmpty else { return [] }
        let scored = motifs.map { m -> (Int, Int, String) in
            let n = Array(m.name.lowercased().utf8)
            let contains = m.name.lowercased().contains(query.lowercased())
            return (contains ? 0 : 1, editDistance(q, n), m.name)
        }
        return scored.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.prefix(limit).map(\.2)
    }

    /// Motifs whose name (or alternate name) matches `pattern`: a shell glob when it holds
    /// `*`, `?` or `[`, else a case-insensitive substring. No pattern matches all.
    public func matching(_ pattern: String?) -> [PWM] {
        guard let pattern, !pattern.isEmpty else { return motifs }
        if pattern.contains(where: { "*?[".contains($0) }) {
            return motifs.filter { m in
                let names: [String] = [m.name] + (m.alternateName.map { [$0] } ?? [])
                return names.contains { (n: String) -> Bool in
                    fnmatch(pattern, n, 1 << 4 /* GNU FNM_CASEFOLD */) == 0
                }
            }
        }
        let p = pattern.lowercased()
        return motifs.filter { $0.name.lowercased().contains(p) || ($0.alternateName?.lowercased().contains(p) ?? false) }
    }
}

/// Levenshtein distance between two byte strings.
func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
