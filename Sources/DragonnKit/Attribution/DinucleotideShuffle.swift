/// A random sequence with exactly the dinucleotide counts of `codes` (and the same first and last
/// symbol), drawn uniformly among such sequences by the Euler-path method of Altschul & Erickson
/// (1985) as Kandel et al. (1996) describe it: every symbol but the last picks a random "last exit"
/// so the last exits form a tree towards the final symbol; the other exits are shuffled; the walk
/// from the first symbol then uses each exit once. Works on any byte alphabet (N stays where
/// the walk puts it, counted like a fifth base).
public func dinucleotideShuffle<R: RandomNumberGenerator>(_ codes: [UInt8], using rng: inout R) -> [UInt8] {
    let n = codes.count
    guard n > 2 else { return codes }
    // Distinct symbols, renumbered 0..<m.
    var index = [Int](repeating: -1, count: 256)
    var symbols: [UInt8] = []
    for c in codes where index[Int(c)] < 0 {
        index[Int(c)] = symbols.count
        symbols.append(c)
    }
    let m = symbols.count
    // Exits of each symbol, in sequence order: the symbol that follows each occurrence.
    var exits = [[Int]](repeating: [], count: m)
    for i in 0..<(n - 1) { exits[index[Int(codes[i])]].append(index[Int(codes[i + 1])]) }
    let last = index[Int(codes[n - 1])]
    // Pick the last exit of every other symbol until they form a tree rooted at `last`.
    var lastExit = [Int](repeating: -1, count: m)
    while true {
        for v in 0..<m where v != last && !exits[v].isEmpty {
            lastExit[v] = Int.random(in: 0..<exits[v].count, using: &rng)
        }
        var reaches = [Bool](repeating: false, count: m)
        reaches[last] = true
        var tree = true
        for v in 0..<m where !exits[v].isEmpty || v == last {
            // Follow last exits from v; a cycle (more than m steps) means not a tree.
            var u = v, steps = 0
            while !reaches[u] && steps <= m {
                u = exits[u][lastExit[u]]
                steps += 1
            }
            if !reaches[u] { tree = false; break }
            var w = v
            while !reaches[w] { reaches[w] = true; w = exits[w][lastExit[w]] }
        }
        if tree { break }
    }
    // Shuffle all exits but the chosen last one, which goes at the end.
    for v in 0..<m where !exits[v].isEmpty {
        if v != last {
            exits[v].swapAt(lastExit[v], exits[v].count - 1)
            exits[v][0..<(exits[v].count - 1)].shuffle(using: &rng)
        } else {
            exits[v].shuffle(using: &rng)
        }
    }
    var next = [Int](repeating: 0, count: m)
    var out = [UInt8](repeating: 0, count: n)
    var u = index[Int(codes[0])]
    out[0] = symbols[u]
    for i in 1..<n {
        let v = exits[u][next[u]]
        next[u] += 1
        u = v
        out[i] = symbols[u]
    }
    return out
}
