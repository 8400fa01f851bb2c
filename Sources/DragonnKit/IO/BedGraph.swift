import CHTSlib
import Foundation

/// Where one sequence's values go in a bedGraph: chromosome and the coordinate of its first base.
public struct TrackPlacement: Equatable, Sendable {
    public var chrom: String
    public var origin: Int
    public init(chrom: String, origin: Int) { self.chrom = chrom; self.origin = origin }

    /// Genomic placement from a `chr:start-end` sequence name of a sequence of `length` bases:
    /// 1-based inclusive (samtools style, end − start + 1 = length) or 0-based half-open
    /// (end − start = length). Otherwise the sequence's own name at position 0.
    public static func fromName(_ name: String, length: Int) -> TrackPlacement {
        if let colon = name.lastIndex(of: ":") {
            let chrom = String(name[..<colon])
            let range = name[name.index(after: colon)...].split(separator: "-", maxSplits: 1)
            if !chrom.isEmpty, range.count == 2,
               let s = Int(range[0].filter { $0 != "," }), let e = Int(range[1].filter { $0 != "," }) {
                if e - s + 1 == length, s >= 1 { return TrackPlacement(chrom: chrom, origin: s - 1) }
                if e - s == length, s >= 0 { return TrackPlacement(chrom: chrom, origin: s) }
            }
        }
        return TrackPlacement(chrom: name, origin: 0)
    }
}

/// Writes per-base values as a bedGraph: 0-based half-open, sorted by chromosome (byte order) then
/// start, no overlaps (where placed sequences overlap, the first one in sorted order keeps the
/// bases), adjacent bases with equal values merged, an optional `track` line first. A path ending
/// in `.gz` is written BGZF and indexed with tabix (`PATH.tbi`, bedGraph columns, the track line
/// skipped). Nothing is left behind on error.
///
/// `values` is `[sequence][position]`, `length` values per sequence; `include` (optional,
/// per value) leaves positions out (e.g. N bases) when false.
public func writeBedGraph(path: String, values: [Float], length: Int, placements: [TrackPlacement],
                          trackLine: String? = nil) throws {
    precondition(values.count == placements.count * length)
    let order = placements.indices.sorted {
        let a = placements[$0], b = placements[$1]
        if a.chrom != b.chrom { return a.chrom.utf8.lexicographicallyPrecedes(b.chrom.utf8) }
        return a.origin != b.origin ? a.origin < b.origin : $0 < $1
    }
    let out = try OutputFile(path: path)
    if let trackLine { try out.write(trackLine + "\n") }
    var text = ""
    text.reserveCapacity(1 << 20)
    var chrom = "", covered = Int.min / 2
    for s in order {
        let place = placements[s]
        if place.chrom != chrom { chrom = place.chrom; covered = Int.min / 2 }
        var p = max(0, covered - place.origin)
        while p < length {
            let v = values[s * length + p]
            var q = p + 1
            while q < length && values[s * length + q] == v { q += 1 }
            text += place.chrom; text += "\t"
            text += String(place.origin + p); text += "\t"
            text += String(place.origin + q); text += "\t"
            text += v == 0 ? "0" : "\(v)"; text += "\n"
            p = q
        }
        covered = max(covered, place.origin + length)
        if text.utf8.count > (1 << 20) - 4096 { try out.write(text); text.removeAll(keepingCapacity: true) }
    }
    try out.write(text)
    try out.commit()
    if path != "-" && path.hasSuffix(".gz") {
        do { try buildTabixIndex(path: path, skipLines: trackLine == nil ? 0 : 1) } catch {
            unlink(path)
            throw error
        }
    }
}

/// Builds `PATH.tbi` for a BGZF bedGraph/BED file (columns chrom, start, end; 0-based), written to a
/// temporary name and renamed into place.
public func buildTabixIndex(path: String, skipLines: Int = 0) throws {
    var conf = tbx_conf_bed
    conf.line_skip = Int32(skipLines)
    let index = path + ".tbi"
    let tmp = AtomicFile.temporaryPath(for: index)
    guard tbx_index_build2(path, tmp, 0, &conf) == 0 else {
        unlink(tmp)
        throw DragonnError(file: path, "cannot build the tabix index")
    }
    guard rename(tmp, index) == 0 else {
        unlink(tmp)
        throw DragonnError(file: index, "cannot write: \(String(cString: strerror(errno)))")
    }
}
