import Foundation

/// First-layer filters read as motifs.
public enum FilterMotifs {
    /// Letter-probability matrix `[position][4]` of filter `f` of a first-layer weight tensor
    /// `[filters][4][width]`: a per-column softmax of the weights, p(b) = exp(w_b) / Σ exp(w).
    /// A view of the weights (the sheet's, and `--meme` without `--sequences`); too flat to match
    /// known motifs well, which `activationPWMs` does.
    public static func probabilities(weights: [Float], filter f: Int, width: Int) -> [[Double]] {
        (0..<width).map { k in
            let w = (0..<4).map { Double(weights[(f * 4 + $0) * width + k]) }
            let top = w.max()!
            let e = w.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        }
    }

    /// The filters' weight-softmax matrices (`probabilities`) as MEME minimal-format motifs
    /// (`MOTIF filter<i>`), readable by Tomtom and the rest of the MEME suite.
    public static func memeText(weights: [Float], filters: Int, width: Int) -> String {
        MemeWriter.text((0..<filters).map { f in
            MemeWriter.Motif(name: "filter\(f)", probabilities: probabilities(weights: weights, filter: f, width: width).flatMap { $0 }, sites: 20)
        })
    }

    /// A filter's PWM counted from the input windows that activate it strongly.
    public struct ActivationPWM: Equatable, Sendable {
        public var filter: Int
        /// Base counts `[position][A, C, G, T]` over the sites (N bases are not counted).
        public var counts: [Double]
        /// Number of windows counted.
        public var sites: Int
        /// The largest activation over all windows (pre-ReLU, bias included).
        public var maxActivation: Float
        /// Counts divided by each column's total (uniform where a column counted nothing).
        public var probabilities: [Double] {
            stride(from: 0, to: counts.count, by: 4).flatMap { i -> [Double] in
                let total = counts[i..<(i + 4)].reduce(0, +)
                return total > 0 ? counts[i..<(i + 4)].map { $0 / total } : [0.25, 0.25, 0.25, 0.25]
            }
        }
    }

    /// PWMs of the first-layer filters built the way motif comparisons expect (DeepBind, Basset):
    /// for each filter, its activation `bias + Σ_k w[base at p+k][k]` (N adds 0) at every window
    /// start `p` of `count` sequences of `length` bases (`codes`, `[sequence][position]`) is
    /// computed; the windows with activation ≥ `fraction` × the filter's largest activation (and
    /// > 0) are its sites, and their bases are counted per position. A filter with no positive
    /// activation gets no sites (all counts 0). `weights` is `[filters][4][width]`, `bias` `[filters]`.
    public static func activationPWMs(weights: [Float], bias: [Float], filters: Int, width: Int,
                                      codes: [UInt8], count: Int, length: Int, fraction: Double = 0.5) -> [ActivationPWM] {
        precondition(codes.count == count * length && weights.count == filters * 4 * width)
        guard length >= width else {
            return (0..<filters).map { ActivationPWM(filter: $0, counts: [Double](repeating: 0, count: 4 * width), sites: 0, maxActivation: 0) }
        }
        let windows = length - width + 1
        return (0..<filters).map { f in
            // Weights as [position][5] with a zero fifth entry for N, so the inner loop is a gather.
            var table = [Float](repeating: 0, count: width * 5)
            for k in 0..<width { for b in 0..<4 { table[k * 5 + b] = weights[(f * 4 + b) * width + k] } }
            var activation = [Float](repeating: 0, count: count * windows)
            codes.withUnsafeBufferPointer { c in
                table.withUnsafeBufferPointer { t in
                    activation.withUnsafeMutableBufferPointer { a in
                        for s in 0..<count {
                            let row = s * length
                            for p in 0..<windows {
                                var sum = bias[f]
                                for k in 0..<width { sum += t[k * 5 + Int(min(c[row + p + k], 4))] }
                                a[s * windows + p] = sum
                            }
                        }
                    }
                }
            }
            let top = activation.max() ?? 0
            var counts = [Double](repeating: 0, count: 4 * width)
            var sites = 0
            if top > 0 {
                let cut = Float(fraction) * top
                for s in 0..<count {
                    for p in 0..<windows where activation[s * windows + p] >= cut {
                        sites += 1
                        for k in 0..<width {
                            let b = Int(codes[s * length + p + k])
                            if b < 4 { counts[k * 4 + b] += 1 }
                        }
                    }
                }
            }
            return ActivationPWM(filter: f, counts: counts, sites: sites, maxActivation: top)
        }
    }

    /// The activation PWMs as MEME minimal-format motifs (`MOTIF filter<i>`, `nsites=` the number
    /// of sites); filters without sites are left out.
    public static func memeText(_ pwms: [ActivationPWM]) -> String {
        MemeWriter.text(pwms.filter { $0.sites > 0 }.map {
            MemeWriter.Motif(name: "filter\($0.filter)", probabilities: $0.probabilities, sites: $0.sites)
        })
    }

    /// One filter's best match to a motif.
    public struct Match: Equatable, Sendable {
        public var filter: Int
        /// Pearson correlation over the aligned columns (all four bases of each).
        public var correlation: Double
        /// Offset of the motif's first column relative to the filter's first column.
        public var offset: Int
        /// `+` for the motif as given, `-` for its reverse complement.
        public var strand: Character
        /// Number of aligned columns.
        public var overlap: Int = 0
        /// Probability that the best of the alignments tried reaches this correlation by chance
        /// (see `bestAlignment`).
        public var pValue: Double = 1
    }

    /// The best ungapped alignment of `motif` against `filter` (both `[position][A, C, G, T]`, in
    /// comparable units: weights vs log-odds, or probabilities vs probabilities), on either
    /// strand, Tomtom-like: every offset where the two overlap by at least half the shorter,
    /// scored by the Pearson correlation r over the aligned columns' 4 × overlap values.
    ///
    /// The p-value is analytic: under no association, Fisher's z = atanh(r) · √(n − 3) is
    /// standard normal, with n = 3 × overlap (a probability column has three free values), so one
    /// alignment's one-sided p is 1 − Φ(z); the best of the A alignments tried gets the Šidák
    /// correction 1 − (1 − p)^A. An approximation (neighbouring alignments share columns, which
    /// makes Šidák conservative); a unit test checks its calibration on random matrices.
    public static func bestAlignment(filter: [[Double]], motif: [[Double]]) -> (correlation: Double, offset: Int, strand: Character, overlap: Int, pValue: Double) {
        let width = filter.count, m = motif.count
        let reverse = motif.reversed().map { [$0[3], $0[2], $0[1], $0[0]] }
        let minimum = max(1, (min(m, width) + 1) / 2)
        var best: (correlation: Double, offset: Int, strand: Character, overlap: Int, z: Double) = (-2, 0, "+", 0, -.infinity)
        var tried = 0
        var xs: [Double] = [], ys: [Double] = []
        xs.reserveCapacity(4 * min(m, width)); ys.reserveCapacity(4 * min(m, width))
        for (strand, matrix) in [("+" as Character, motif), ("-", reverse)] {
            for offset in (-(m - minimum))...(width - minimum) {
                xs.removeAll(keepingCapacity: true); ys.removeAll(keepingCapacity: true)
                for j in max(0, -offset)..<min(m, width - offset) {
                    let k = offset + j
                    for b in 0..<4 { xs.append(filter[k][b]); ys.append(matrix[j][b]) }
                }
                guard xs.count >= 4 * minimum else { continue }
                tried += 1
                let r = pearson(xs, ys)
                let z = atanh(min(r, 1 - 1e-12)) * Double(max(3 * xs.count / 4 - 3, 1)).squareRoot()
                // The best alignment is the most significant one (longer overlaps weigh more).
                if z > best.z || (z == best.z && r > best.correlation) {
                    best = (r, offset, strand, xs.count / 4, z)
                }
            }
        }
        let single = 0.5 * erfc(best.z / 2.0.squareRoot())
        let p = tried > 0 ? -expm1(Double(tried) * log1p(-min(single, 1 - 1e-16))) : 1
        return (best.correlation, best.offset, best.strand, best.overlap, min(1, max(p, single)))
    }

    /// Ranks filters by their best ungapped Pearson correlation with `motif` (`[position][4]`
    /// probabilities, compared as log2 odds against a uniform background) on either strand
    /// (see `bestAlignment`; raw weights against log-odds).
    public static func compare(weights: [Float], filters: Int, width: Int, motif: [[Double]]) -> [Match] {
        let logOdds = motif.map { $0.map { log2(max($0, 1e-3) / 0.25) } }
        let matches = (0..<filters).map { f -> Match in
            let columns = (0..<width).map { k in (0..<4).map { Double(weights[(f * 4 + $0) * width + k]) } }
            let a = bestAlignment(filter: columns, motif: logOdds)
            return Match(filter: f, correlation: a.correlation, offset: a.offset, strand: a.strand, overlap: a.overlap, pValue: a.pValue)
        }
        return matches.sorted { $0.correlation != $1.correlation ? $0.correlation > $1.correlation : $0.filter < $1.filter }
    }

    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<x.count { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : 0
    }
}
