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
    // Exits of each symbol, in sequence order (the symbol that follows each occurrence), kept in
    // one flat array: symbol v's are exits[start[v] ..< start[v + 1]] (one allocation, not m).
    var start = [Int](repeating: 0, count: m + 1)
    for i in 0..<(n - 1) { start[index[Int(codes[i])] + 1] += 1 }
    for v in 0..<m { start[v + 1] += start[v] }
    var exits = [Int32](repeating: 0, count: n - 1)
    var fill = start
    for i in 0..<(n - 1) {
        let v = index[Int(codes[i])]
        exits[fill[v]] = Int32(index[Int(codes[i + 1])])
        fill[v] += 1
    }
    let last = index[Int(codes[n - 1])]
    @inline(__always) func exitCount(_ v: Int) -> Int { start[v + 1] - start[v] }
    // Pick the last exit of every other symbol until they form a tree rooted at `last`.
    var lastExit = [Int](repeating: -1, count: m)
    while true {
        for v in 0..<m where v != last && exitCount(v) > 0 {
            lastExit[v] = Int.random(in: 0..<exitCount(v), using: &rng)
        }
        var reaches = [Bool](repeating: false, count: m)
        reaches[last] = true
        var tree = true
        for v in 0..<m where exitCount(v) > 0 || v == last {
            // Follow last exits from v; a cycle (more than m steps) means not a tree.
            var u = v, steps = 0
            while !reaches[u] && steps <= m {
                u = Int(exits[start[u] + lastExit[u]])
                steps += 1
            }
            if !reaches[u] { tree = false; break }
            var w = v
            while !reaches[w] { reaches[w] = true; w = Int(exits[start[w] + lastExit[w]]) }
        }
        if tree { break }
    }
    // Shuffle all exits but the chosen last one, which goes at the end. Fisher-Yates as the
    // standard library's `shuffle(using:)` runs it (the same draws, so the same sequences).
    func shuffle(_ lo: Int, _ count: Int) {
        var amount = count, current = lo
        while amount > 1 {
            let r = Int.random(in: 0..<amount, using: &rng)
            amount -= 1
            exits.swapAt(current, current + r)
            current += 1
        }
    }
    for v in 0..<m where exitCount(v) > 0 {
        if v != last {
            exits.swapAt(start[v] + lastExit[v], start[v + 1] - 1)
            shuffle(start[v], exitCount(v) - 1)
        } else {
            shuffle(start[v], exitCount(v))
        }
    }
    var next = start
    var out = [UInt8](repeating: 0, count: n)
    var u = index[Int(codes[0])]
    out[0] = symbols[u]
    for i in 1..<n {
        let v = Int(exits[next[u]])
        next[u] += 1
        u = v
        out[i] = symbols[u]
    }
    return out
}
