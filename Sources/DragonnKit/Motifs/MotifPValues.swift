import Foundation

/// Exact p-values of PWM scores, as FIMO defines them: the log2-odds matrix is scaled to integers
/// (`round(logOdds / binSize)` per cell), and the distribution of a window's integer score under
/// the i.i.d. background is computed exactly by dynamic programming over the columns. The
/// p-value of a score s is P(S ≥ s) for S the integer score of a random background window.
///
/// A strand-symmetric background (A = T, C = G, as every GC-fraction background is) gives both
/// strands the same distribution, so one table serves both.
public struct MotifPValues: Sendable {
    /// Bits per integer score unit.
    public let binSize: Double
    /// Motif width.
    public let width: Int
    /// Integer scores `[position][A, C, G, T]` of the `+` strand.
    public let integerMatrix: [Int32]
    /// The smallest integer score a window can have.
    public let minimumScore: Int
    /// `survival[i]` = P(S ≥ minimumScore + i); one past the largest score is 0.
    let survival: [Double]

    /// The default resolution: 0.01 bit, finer than FIMO's (its matrix range spread over 1000
    /// steps) and memelite's (0.1 bit), still a table of at most ~w × 1,300 entries.
    public static let defaultBinSize = 0.01

    /// Builds the score distribution of `logOdds` (`[position][A, C, G, T]` log2 odds, e.g.
    /// `MotifScorer.logOdds`) under `background` (`[A, C, G, T]` probabilities).
    public init(logOdds: [Double], background: [Double], binSize: Double = MotifPValues.defaultBinSize) {
        precondition(logOdds.count % 4 == 0 && background.count == 4 && binSize > 0)
        self.binSize = binSize
        width = logOdds.count / 4
        let m = logOdds.map { Int32(($0 / binSize).rounded()) }
        integerMatrix = m
        // Probability of each reachable integer sum, offset by the running minimum.
        var low = 0
        var pdf: [Double] = [1]
        for k in 0..<width {
            let column = (0..<4).map { Int(m[k * 4 + $0]) }
            let cmin = column.min()!, cmax = column.max()!
            var next = [Double](repeating: 0, count: pdf.count + cmax - cmin)
            for b in 0..<4 {
                let shift = column[b] - cmin, pb = background[b]
                pdf.withUnsafeBufferPointer { src in
                    next.withUnsafeMutableBufferPointer { dst in
                        for i in 0..<src.count { dst[i + shift] += src[i] * pb }
                    }
                }
            }
            pdf = next
            low += cmin
        }
        minimumScore = low
        var sf = [Double](repeating: 0, count: pdf.count + 1)
        for i in stride(from: pdf.count - 1, through: 0, by: -1) { sf[i] = sf[i + 1] + pdf[i] }
        survival = sf
    }

    /// The largest integer score a window can have.
    public var maximumScore: Int { minimumScore + survival.count - 2 }

    /// P(S ≥ `score`) for an integer score.
    public func pValue(integerScore score: Int) -> Double {
        if score <= minimumScore { return 1 }
        let i = score - minimumScore
        return i < survival.count ? min(1, survival[i]) : 0
    }

    /// The smallest integer score whose p-value is at most `p` (`maximumScore + 1` when none is).
    public func threshold(pValue p: Double) -> Int {
        // survival is non-increasing: binary search for the first index with survival ≤ p.
        var lo = 0, hi = survival.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if survival[mid] <= p { hi = mid } else { lo = mid + 1 }
        }
        return minimumScore + lo
    }

    /// Integer score of the window `codes[start..<start+width]` (ACGT only) on `strand`.
    public func integerScore(_ codes: ArraySlice<UInt8>, start: Int, reverse: Bool) -> Int {
        var s = 0
        for k in 0..<width {
            let c = Int(codes[start + k])
            s += reverse ? Int(integerMatrix[(width - 1 - k) * 4 + 3 - c]) : Int(integerMatrix[k * 4 + c])
        }
        return s
    }
}

/// The top of `MotifPValues`' distribution, enough for one p-value threshold: the same DP,
/// but only over the partial sums that can still reach the lowest score kept. A partial sum
/// that cannot reach it only feeds sums that cannot either, so every kept probability is the
/// same float64 sum, added in the same order, as in the full table: p-values of scores at or
/// above the threshold and the threshold itself are identical to `MotifPValues`'.
struct MotifPValueTail {
    let width: Int
    let integerMatrix: [Int32]
    /// The largest and smallest integer scores a window can have.
    let maximumScore: Int, minimumScore: Int
    /// The lowest score whose p-value is held; `survival[i]` = P(S ≥ lowest + i).
    let lowest: Int
    let survival: [Double]
    /// The smallest integer score whose p-value is at most the threshold (as `MotifPValues.threshold`).
    let cut: Int

    init(logOdds: [Double], background: [Double], binSize: Double, threshold p: Double) {
        width = logOdds.count / 4
        let m = logOdds.map { Int32(($0 / binSize).rounded()) }
        integerMatrix = m
        var cmin = [Int](repeating: 0, count: width), cmax = cmin
        for k in 0..<width {
            cmin[k] = Int(min(min(m[k * 4], m[k * 4 + 1]), min(m[k * 4 + 2], m[k * 4 + 3])))
            cmax[k] = Int(max(max(m[k * 4], m[k * 4 + 1]), max(m[k * 4 + 2], m[k * 4 + 3])))
        }
        let top = cmax.reduce(0, +), bottom = cmin.reduce(0, +)
        maximumScore = top; minimumScore = bottom
        // Keep scores within `span` of the top; widen until the threshold falls inside.
        var span = 1200
        while true {
            let floor = max(bottom, top - span)
            let sf = Self.survival(m, cmin: cmin, cmax: cmax, background: background, from: floor)
            if sf[0] > p || floor == bottom {
                var lo = 0, hi = sf.count - 1
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if sf[mid] <= p { hi = mid } else { lo = mid + 1 }
                }
                lowest = floor; survival = sf; cut = floor + lo
                return
            }
            span *= 2
        }
    }

    /// Survival `[P(S ≥ floor + i)]` for i in 0...(top - floor + 1).
    static func survival(_ m: [Int32], cmin: [Int], cmax: [Int], background: [Double], from floor: Int) -> [Double] {
        let width = cmin.count
        var restMax = [Int](repeating: 0, count: width + 1)   // restMax[k]: most columns k..< can add
        for k in stride(from: width - 1, through: 0, by: -1) { restMax[k] = restMax[k + 1] + cmax[k] }
        // pdf[i] = P(partial sum = low + i) over the kept partial sums (those ≥ floor - restMax).
        var low = 0, pdf: [Double] = [1], next: [Double] = []
        var prefixMin = 0, prefixMax = 0
        for k in 0..<width {
            prefixMin += cmin[k]; prefixMax += cmax[k]
            let newLow = max(prefixMin, floor - restMax[k + 1])
            let count = prefixMax - newLow + 1
            next.removeAll(keepingCapacity: true)
            next.append(contentsOf: repeatElement(0, count: count))
            pdf.withUnsafeBufferPointer { src in
                next.withUnsafeMutableBufferPointer { dst in
                    for b in 0..<4 {
                        // dst[j] (score newLow + j) += src[i] (score low + i) with newLow + j = low + i + c.
                        let offset = low + Int(m[k * 4 + b]) - newLow, pb = background[b]
                        let i0 = max(0, -offset), i1 = min(src.count, count - offset)
                        if i0 < i1 { for i in i0..<i1 { dst[i + offset] += src[i] * pb } }
                    }
                }
            }
            swap(&pdf, &next)
            low = newLow
        }
        // low == max(bottom, floor) == floor here.
        var sf = [Double](repeating: 0, count: pdf.count + 1)
        for i in stride(from: pdf.count - 1, through: 0, by: -1) { sf[i] = sf[i + 1] + pdf[i] }
        return sf
    }

    /// P(S ≥ `score`) for an integer score at or above `lowest`.
    func pValue(integerScore score: Int) -> Double {
        if score <= minimumScore { return 1 }
        let i = score - lowest
        return i < survival.count ? min(1, survival[i]) : 0
    }
}

/// Benjamini–Hochberg q-values of `pValues`, the smallest p-values of `tests` tests in all (the
/// tests not listed have larger p-values, so the ranks of the listed ones are exact): q of the
/// i-th smallest = min over j ≥ i of p_(j) · tests / j, capped at 1. Returned in the input order.
public func benjaminiHochberg(_ pValues: [Double], tests: Int) -> [Double] {
    let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
    var q = [Double](repeating: 1, count: pValues.count)
    var running = 1.0
    for (rank, i) in order.enumerated().reversed() {
        running = min(running, pValues[i] * Double(max(tests, pValues.count)) / Double(rank + 1))
        q[i] = min(1, running)
    }
    return q
}
