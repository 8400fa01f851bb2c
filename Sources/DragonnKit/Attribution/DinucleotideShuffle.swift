/// A random sequence with exactly the dinucleotide counts of `codes` (and the same first and last
/// symbol), drawn uniformly among such sequences by the Euler-path method of Altschul & Erickson
/// (1985) as Kandel et al. (1996) describe it: every symbol but the last picks a random "last exit"
/// so the last exits form a tree towards the final symbol; the other exits are shuffled; the walk
/// from the first symbol then uses each exit once. Works on any byte alphabet (N stays where
/// the walk puts it, counted like a fifth base). Same draws, same result as
/// `DinucleotideShuffler.shuffle`, which reuses its buffers.
public func dinucleotideShuffle<R: RandomNumberGenerator>(_ codes: [UInt8], using rng: inout R) -> [UInt8] {
    guard codes.count > 2 else { return codes }
    let shuffler = DinucleotideShuffler()
    var out = [UInt8](repeating: 0, count: codes.count)
    codes.withUnsafeBufferPointer { c in
        out.withUnsafeMutableBufferPointer { shuffler.shuffle(c.baseAddress!, count: c.count, into: $0.baseAddress!, using: &rng) }
    }
    return out
}

/// `dinucleotideShuffle` with its tables kept between calls (DeepLIFT draws 20 shuffles per
/// sequence: no allocation per shuffle once the longest sequence has been seen). One per thread.
public final class DinucleotideShuffler {
    /// Symbol → its number 0..<m, or −1; the prepared sequence's entries are reset by the next `prepare`.
    private let index = UnsafeMutablePointer<Int32>.allocate(capacity: 256)
    private let symbols = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    /// Per symbol (257 entries): start of its exits, fill/next cursor, chosen last exit, tree mark.
    private let start = UnsafeMutablePointer<Int>.allocate(capacity: 257)
    private let cursor = UnsafeMutablePointer<Int>.allocate(capacity: 257)
    private let lastExit = UnsafeMutablePointer<Int>.allocate(capacity: 256)
    private let reaches = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
    private var exits = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private var capacity = 1

    public init() { index.initialize(repeating: -1, count: 256) }

    deinit {
        index.deallocate(); symbols.deallocate(); start.deallocate(); cursor.deallocate()
        lastExit.deallocate(); reaches.deallocate(); exits.deallocate(); sequenceExits.deallocate()
    }

    /// The prepared sequence's exits in sequence order (`prepare`), copied before each shuffle.
    private var sequenceExits = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    /// The prepared sequence: its length, number of distinct symbols, first and last symbol (a
    /// sequence of up to 2 symbols is kept in `symbols`, with m = 0).
    private var n = 0, m = 0, first = 0, last = 0

    /// Writes to `out` a dinucleotide shuffle of codes[0..<count] (see `dinucleotideShuffle`),
    /// drawing from `rng` exactly as it does; out may not overlap codes.
    public func shuffle<R: RandomNumberGenerator>(_ codes: UnsafePointer<UInt8>, count n: Int, into out: UnsafeMutablePointer<UInt8>,
                                                  using rng: inout R) {
        prepare(codes, count: n)
        shufflePrepared(into: out, using: &rng)
    }

    /// Counts the symbols and exits of codes[0..<count] for `shufflePrepared`: what every shuffle
    /// of one sequence shares, done once for all of them. (Up to 2 symbols, the only shuffle is
    /// the sequence itself: it is kept as it is.)
    public func prepare(_ codes: UnsafePointer<UInt8>, count n: Int) {
        for v in 0..<self.m { index[Int(symbols[v])] = -1 }
        guard n > 2 else {
            for i in 0..<n { symbols[i] = codes[i] }
            self.n = n; m = 0
            return
        }
        if capacity < n - 1 {
            exits.deallocate(); sequenceExits.deallocate()
            exits = .allocate(capacity: n - 1)
            sequenceExits = .allocate(capacity: n - 1)
            capacity = n - 1
        }
        // Distinct symbols, renumbered 0..<m in order of first appearance.
        var m = 0
        for i in 0..<n where index[Int(codes[i])] < 0 {
            index[Int(codes[i])] = Int32(m)
            symbols[m] = codes[i]
            m += 1
        }
        // Exits of each symbol in sequence order (the symbol that follows each occurrence):
        // symbol v's are exits[start[v] ..< start[v + 1]].
        start.update(repeating: 0, count: m + 1)
        var u = Int(index[Int(codes[0])])
        for i in 0..<(n - 1) {
            let v = Int(index[Int(codes[i + 1])])
            start[u + 1] += 1
            u = v
        }
        for v in 0..<m { start[v + 1] += start[v] }
        cursor.update(from: start, count: m + 1)
        u = Int(index[Int(codes[0])])
        for i in 0..<(n - 1) {
            let v = Int32(index[Int(codes[i + 1])])
            sequenceExits[cursor[u]] = v
            cursor[u] += 1
            u = Int(v)
        }
        self.n = n; self.m = m
        first = Int(index[Int(codes[0])])
        last = Int(index[Int(codes[n - 1])])
    }

    /// Writes to `out` (the prepared length) one dinucleotide shuffle of the sequence last given
    /// to `prepare`, drawing from `rng` what `shuffle` of that sequence draws.
    public func shufflePrepared<R: RandomNumberGenerator>(into out: UnsafeMutablePointer<UInt8>, using rng: inout R) {
        guard n > 2 else { out.update(from: symbols, count: n); return }
        let n = self.n, m = self.m, last = self.last
        exits.update(from: sequenceExits, count: n - 1)
        @inline(__always) func exitCount(_ v: Int) -> Int { start[v + 1] - start[v] }
        // Pick the last exit of every other symbol until they form a tree rooted at `last`.
        lastExit.update(repeating: -1, count: m)
        while true {
            for v in 0..<m where v != last && exitCount(v) > 0 {
                lastExit[v] = Int.random(in: 0..<exitCount(v), using: &rng)
            }
            reaches.update(repeating: false, count: m)
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
        let e = exits
        func swapAt(_ i: Int, _ j: Int) { let t = e[i]; e[i] = e[j]; e[j] = t }
        func shuffle(_ lo: Int, _ count: Int) {
            var amount = count, current = lo
            while amount > 1 {
                let r = Int.random(in: 0..<amount, using: &rng)
                amount -= 1
                swapAt(current, current + r)
                current += 1
            }
        }
        for v in 0..<m where exitCount(v) > 0 {
            if v != last {
                swapAt(start[v] + lastExit[v], start[v + 1] - 1)
                shuffle(start[v], exitCount(v) - 1)
            } else {
                shuffle(start[v], exitCount(v))
            }
        }
        // The walk: each symbol's exits in their shuffled order.
        cursor.update(from: start, count: m + 1)
        var u = first
        out[0] = symbols[u]
        for i in 1..<n {
            let v = Int(e[cursor[u]])
            cursor[u] += 1
            u = v
            out[i] = symbols[u]
        }
    }
}
