import Foundation

/// One motif instance found by a scan: the window `start..<start+width` of sequence `sequence`.
public struct MotifHit: Equatable, Sendable {
    /// Index of the sequence in the scanned set.
    public var sequence: Int
    /// 0-based start of the window in the sequence; the window is `width` bases long.
    public var start: Int
    public var width: Int
    /// Index of the motif in the scanned list.
    public var motif: Int
    /// `+` for the motif as given, `-` for its reverse complement.
    public var strand: Character
    /// Log2-odds score (bits) of the window, computed in float64.
    public var score: Double
    /// P(S ≥ score) under the background, from the integer-scaled score (`MotifPValues`).
    public var pValue: Double
    /// Benjamini–Hochberg q-value over every window of this motif tested (both strands).
    public var qValue: Double
}

/// What every motif's hit scan of one sequence set shares: the five-base lookup codes of every
/// position and a running count of non-ACGT bases, computed once.
public struct MotifScanInput: Sendable {
    public let codes: [UInt8]
    public let count: Int
    public let length: Int
    /// `[sequence][position]` base-5 codes of the five bases from each position (`MotifScorer`).
    let index: [UInt16]
    /// `[sequence][length + 1]`: number of non-ACGT bases before each position.
    let nPrefix: [Int32]

    /// `count` sequences of `length` bases (`codes`, `[sequence][position]`).
    public init(codes: [UInt8], count: Int, length: Int) {
        precondition(codes.count == count * length)
        self.codes = codes; self.count = count; self.length = length
        var index = [UInt16](repeating: 0, count: count * length)
        var nPrefix = [Int32](repeating: 0, count: count * (length + 1))
        var row: [UInt16] = []
        for s in 0..<count {
            MotifScorer.fillIndex(codes[(s * length)..<((s + 1) * length)], into: &row)
            index.replaceSubrange((s * length)..<((s + 1) * length), with: row)
            var n: Int32 = 0
            for p in 0..<length {
                nPrefix[s * (length + 1) + p] = n
                if codes[s * length + p] > 3 { n += 1 }
            }
            nPrefix[s * (length + 1) + length] = n
        }
        self.index = index; self.nPrefix = nPrefix
    }
}

/// Finds motif hits: windows whose exact p-value is at most a threshold, FIMO's definition.
public enum MotifHits {
    /// Hits of `pwm` in `count` sequences of `length` bases (`codes`, `[sequence][position]`,
    /// 0...3 = A, C, G, T) against `background`, on both strands, with p-value ≤ `threshold`.
    /// Windows holding a non-ACGT base or running past a sequence's end are not tested. The hits
    /// come sorted by sequence, start, then strand (`+` first); `motif` is set to `motifIndex`.
    public static func find(pwm: PWM, motifIndex: Int = 0, codes: [UInt8], count: Int, length: Int,
                            background: [Double], threshold: Double,
                            binSize: Double = MotifPValues.defaultBinSize) -> [MotifHit] {
        find(pwm: pwm, motifIndex: motifIndex, in: MotifScanInput(codes: codes, count: count, length: length),
             background: background, threshold: threshold, binSize: binSize)
    }

    /// `find` over a prepared input (shared by every motif of a scan).
    ///
    /// The scan adds up the integer score matrix (`MotifPValues`) five columns per lookup, so a
    /// window's sum is its exact integer score and no window is re-scored. Both strands share
    /// one pass over the lookup codes. Most windows are dropped after two lookups per strand:
    /// their partial score plus the largest the remaining columns can add is below the cut.
    public static func find(pwm: PWM, motifIndex: Int = 0, in input: MotifScanInput, background: [Double],
                            threshold: Double, binSize: Double = MotifPValues.defaultBinSize) -> [MotifHit] {
        let w = pwm.length, length = input.length
        let logOdds = MotifScorer.logOdds(pwm: pwm, background: background)
        let table = MotifPValueTail(logOdds: logOdds, background: background, binSize: binSize, threshold: threshold)
        let cut = table.cut
        guard cut <= table.maximumScore, length >= w else { return [] }
        var reverseLogOdds = [Double](repeating: 0, count: w * 4)
        var reverseMatrix = [Int32](repeating: 0, count: w * 4)
        for k in 0..<w {
            for b in 0..<4 {
                reverseLogOdds[(w - 1 - k) * 4 + (3 - b)] = logOdds[k * 4 + b]
                reverseMatrix[(w - 1 - k) * 4 + (3 - b)] = table.integerMatrix[k * 4 + b]
            }
        }
        var tests = 0
        let windows = length - w + 1
        for s in 0..<input.count {
            let nRow = s * (length + 1)
            // A sequence without N (the usual case) has every window tested.
            if input.nPrefix[nRow + length] == 0 { tests += 2 * windows; continue }
            for p in 0..<windows where input.nPrefix[nRow + p + w] == input.nPrefix[nRow + p] { tests += 2 }
        }
        let forward = integerBlocks(table.integerMatrix, width: w)
        let reverse = integerBlocks(reverseMatrix, width: w)
        let all = forward + reverse
        let fits = all.allSatisfy { $0 >= Int32(Int16.min) && $0 <= Int32(Int16.max) }
        var raw: [(Int, Int, Bool, Int)] = []   // sequence, start, reverse, integer score
        let blocks = forward.count / MotifScorer.tableSize
        if blocks >= 2, let packed = packedScan(forward, reverse, width: w, cut: cut, input: input,
                                                 first: bestPair(table.integerMatrix, reverseMatrix, background)) {
            raw = packed
        } else if fits {
            raw = scan(forward.map { Int16($0) }, reverse.map { Int16($0) }, width: w, cut: cut, input: input)
        } else {
            raw = scan(forward, reverse, width: w, cut: cut, input: input)
        }
        var hits: [MotifHit] = []
        hits.reserveCapacity(raw.count)
        input.codes.withUnsafeBufferPointer { codes in
            for (s, p, isReverse, exact) in raw {
                let matrix = isReverse ? reverseLogOdds : logOdds
                let at = s * length + p
                var score = 0.0
                for k in 0..<w { score += matrix[k * 4 + Int(codes[at + k])] }
                hits.append(MotifHit(sequence: s, start: p, width: w, motif: motifIndex, strand: isReverse ? "-" : "+",
                                     score: score, pValue: table.pValue(integerScore: exact), qValue: 1))
            }
        }
        // One pass yields them by sequence, start, then + before -.
        let q = benjaminiHochberg(hits.map(\.pValue), tests: tests)
        for i in hits.indices { hits[i].qValue = q[i] }
        return hits
    }

    /// Five-column lookup tables of an integer matrix (`[position][A, C, G, T]`), back to back,
    /// `[block][5^5]`, indexed like `MotifScorer`'s (N and columns past the motif add 0).
    static func integerBlocks(_ m: [Int32], width: Int) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(((width + 4) / 5) * MotifScorer.tableSize)
        var partial: [Int32] = [], next: [Int32] = []
        for first in stride(from: 0, to: width, by: MotifScorer.q) {
            partial = [0]
            // The first letter is the most significant digit: append letters one at a time.
            for t in 0..<MotifScorer.q {
                next.removeAll(keepingCapacity: true)
                for v in partial {
                    for b in 0..<5 { next.append(b < 4 && first + t < width ? v + m[(first + t) * 4 + b] : v) }
                }
                swap(&partial, &next)
            }
            out += partial
        }
        return out
    }

    /// The two blocks that best tell a window from the motif (the largest expected shortfall
    /// from their maximum under the background, both strands together): they are looked up first.
    static func bestPair(_ forward: [Int32], _ reverse: [Int32], _ background: [Double]) -> (Int, Int) {
        let w = forward.count / 4, q = MotifScorer.q
        func shortfall(_ m: [Int32], _ j: Int) -> Double {
            var s = 0.0
            for k in (j * q)..<min(w, (j + 1) * q) {
                var mean = 0.0, top = Int32.min
                for b in 0..<4 { mean += background[b] * Double(m[k * 4 + b]); top = max(top, m[k * 4 + b]) }
                s += Double(top) - mean
            }
            return s
        }
        let blocks = (w + q - 1) / q
        var score: [Double] = []
        for j in 0..<blocks { score.append(shortfall(forward, j) + shortfall(reverse, j)) }
        // Stable: ties go to the earlier block.
        let order = (0..<blocks).sorted { (a: Int, b: Int) -> Bool in score[a] > score[b] || (score[a] == score[b] && a < b) }
        return (order[0], order[1])
    }

    /// `scan` with both strands of the two first-looked-up blocks packed into one 32-bit entry
    /// (two biased 16-bit lanes that cannot carry into each other): two lookups per window for
    /// both strands. Nil when a block value does not fit a lane (the plain scan then runs).
    static func packedScan(_ forward: [Int32], _ reverse: [Int32], width w: Int, cut: Int, input: MotifScanInput,
                           first: (Int, Int)) -> [(Int, Int, Bool, Int)]? {
        let size = MotifScorer.tableSize, q = MotifScorer.q, bias: Int32 = 16384
        let blocks = forward.count / size
        let (j0, j1) = first
        var packed = [UInt32](repeating: 0, count: 2 * size)
        for (slot, j) in [j0, j1].enumerated() {
            for c in 0..<size {
                let f = forward[j * size + c], r = reverse[j * size + c]
                guard f >= -bias, f < bias, r >= -bias, r < bias else { return nil }
                packed[slot * size + c] = UInt32(f + bias) | (UInt32(r + bias) << 16)
            }
        }
        let others = (0..<blocks).filter { $0 != j0 && $0 != j1 }
        func blockMax(_ t: [Int32], _ j: Int) -> Int { Int(t[(j * size)..<((j + 1) * size)].max()!) }
        let restF = others.reduce(0) { $0 + blockMax(forward, $1) }
        let restR = others.reduce(0) { $0 + blockMax(reverse, $1) }
        // A lane below its limit cannot reach the cut; limits clamped to the lanes' range.
        let limitF = UInt32(clamping: min(65536, max(0, cut - restF + 2 * Int(bias))))
        let limitR = UInt32(clamping: min(65536, max(0, cut - restR + 2 * Int(bias))))
        let cut32 = Int32(clamping: cut), twoBias = 2 * bias
        let length = input.length, windows = length - w + 1
        let o0 = j0 * q, o1 = j1 * q
        var out: [(Int, Int, Bool, Int)] = []
        packed.withUnsafeBufferPointer { t in
            forward.withUnsafeBufferPointer { tf in
                reverse.withUnsafeBufferPointer { tr in
                    others.withUnsafeBufferPointer { others in
                        input.index.withUnsafeBufferPointer { index in
                            input.nPrefix.withUnsafeBufferPointer { nPrefix in
                                // The rare window that passes the first two lookups: the rest of its score.
                                func finish(_ s: Int, _ p: Int, _ v: UInt32) {
                                    let i = s * length + p, nRow = s * (length + 1)
                                    var f = Int32(v & 0xFFFF) - twoBias, r = Int32(v >> 16) - twoBias
                                    for j in others {
                                        let c = Int(index[i + j * q])
                                        f += tf[j * size + c]; r += tr[j * size + c]
                                    }
                                    guard f >= cut32 || r >= cut32, nPrefix[nRow + p + w] == nPrefix[nRow + p] else { return }
                                    if f >= cut32 { out.append((s, p, false, Int(f))) }
                                    if r >= cut32 { out.append((s, p, true, Int(r))) }
                                }
                                let i0 = index.baseAddress! + o0, i1 = index.baseAddress! + o1
                                let t0 = t.baseAddress!, t1 = t.baseAddress! + size
                                for s in 0..<input.count {
                                    let a = i0 + s * length, b = i1 + s * length
                                    var p = 0
                                    while p < windows {
                                        let v = t0[Int(a[p])] &+ t1[Int(b[p])]
                                        if v & 0xFFFF >= limitF || v >> 16 >= limitR { finish(s, p, v) }
                                        p &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Windows of `input` whose integer score (sum of the blocks' lookups) reaches `cut` on
    /// either strand, free of non-ACGT bases: `(sequence, start, reverse, score)`, by sequence,
    /// start, `+` first.
    static func scan<T: FixedWidthInteger & SignedInteger>(_ forward: [T], _ reverse: [T], width w: Int, cut: Int,
                                                           input: MotifScanInput) -> [(Int, Int, Bool, Int)] {
        let size = MotifScorer.tableSize, q = MotifScorer.q
        let blocks = forward.count / size
        let length = input.length, windows = length - w + 1
        func blockMax(_ t: [T], _ j: Int) -> Int { Int(t[(j * size)..<((j + 1) * size)].max()!) }
        // The most the blocks after the first two can add, per strand.
        let restF = (min(2, blocks)..<blocks).reduce(0) { $0 + blockMax(forward, $1) }
        let restR = (min(2, blocks)..<blocks).reduce(0) { $0 + blockMax(reverse, $1) }
        let boundF = Int32(clamping: cut - restF), boundR = Int32(clamping: cut - restR)
        let cut32 = Int32(clamping: cut)
        var out: [(Int, Int, Bool, Int)] = []
        forward.withUnsafeBufferPointer { tf in
            reverse.withUnsafeBufferPointer { tr in
                input.index.withUnsafeBufferPointer { index in
                    input.nPrefix.withUnsafeBufferPointer { nPrefix in
                        // One block (w ≤ 5): the block at +5 is absent and adds nothing.
                        let second = blocks > 1 ? size : 0, secondShift = blocks > 1 ? q : 0
                        let secondMask: T = blocks > 1 ? -1 : 0
                        for s in 0..<input.count {
                            let row = s * length, nRow = s * (length + 1)
                            for p in 0..<windows {
                                let i = row + p
                                let a = Int(index[i]), b = Int(index[i + secondShift])
                                var f = Int32(tf[a]) + Int32(tf[second + b] & secondMask)
                                var r = Int32(tr[a]) + Int32(tr[second + b] & secondMask)
                                if f < boundF && r < boundR { continue }
                                var j = 2
                                while j < blocks {
                                    let c = Int(index[i + j * q])
                                    f += Int32(tf[j * size + c]); r += Int32(tr[j * size + c])
                                    j += 1
                                }
                                guard f >= cut32 || r >= cut32, nPrefix[nRow + p + w] == nPrefix[nRow + p] else { continue }
                                if f >= cut32 { out.append((s, p, false, Int(f))) }
                                if r >= cut32 { out.append((s, p, true, Int(r))) }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
