import Foundation

/// Merges bigWig shard tracks (each a part of one genome-wide track, e.g. one chromosome each)
/// into one track at `output` (bigWig for `.bw`, else bedGraph): chromosomes in the first shard's
/// order (then those only later shards name), intervals in order. Shards must agree on
/// chromosome lengths and must not overlap: a base with values in two shards is refused, naming
/// both. Returns the number of intervals read.
public func mergeTracks(_ shards: [String], output: String) throws -> Int {
    guard !shards.isEmpty else { throw DragonnError("no shard tracks to merge") }
    let outputs = try OutputTransaction(inputs: shards, outputs: [output])
    let readers = try shards.map { try BigWigReader(path: $0) }
    var chromosomes: [(name: String, length: Int)] = []
    var length: [String: Int] = [:]
    for r in readers {
        for c in r.chromosomes {
            if let known = length[c.name] {
                guard known == c.length else {
                    throw DragonnError(file: r.path, "chromosome \(c.name) has length \(c.length), another shard says \(known)")
                }
            } else {
                length[c.name] = c.length
                chromosomes.append(c)
            }
        }
    }
    let writer = try TrackWriter(path: output, in: outputs, chromosomes: chromosomes)
    var count = 0
    for c in chromosomes {
        // A k-way merge by start over the shards' cursors: bounded memory, any interleaving.
        let cursors = try readers.enumerated().filter { $0.element.chromosomes.contains { $0.name == c.name } }
            .map { (shard: $0.offset, cursor: try $0.element.cursor(on: c.name, length: c.length)) }
        var last: (end: Int, shard: Int)? = nil
        while true {
            var best = -1, bestStart = Int.max
            for (k, c) in cursors.enumerated() { if let cur = c.cursor.current, cur.start < bestStart { best = k; bestStart = cur.start } }
            guard best >= 0 else { break }
            let next = cursors[best], p = next.cursor.current!
            if let l = last, p.start < l.end {
                throw DragonnError(file: shards[next.shard], "\(c.name):\(p.start)-\(p.end) overlaps the shard \(shards[l.shard]); shards must cover disjoint regions")
            }
            try writer.add(chrom: c.name, start: p.start, end: p.end, value: p.value)
            last = (p.end, next.shard)
            try next.cursor.advance()
            count += 1
        }
    }
    try writer.finish()
    try outputs.commit()
    return count
}
