import Foundation

/// First-layer filters read as motifs.
public enum FilterMotifs {
    /// Letter-probability matrix `[position][4]` of filter `f` of a first-layer weight tensor
    /// `[filters][4][width]`: a per-column softmax of the weights, p(b) = exp(w_b) / Σ exp(w).
    public static func probabilities(weights: [Float], filter f: Int, width: Int) -> [[Double]] {
        (0..<width).map { k in
            let w = (0..<4).map { Double(weights[(f * 4 + $0) * width + k]) }
            let top = w.max()!
            let e = w.map { exp($0 - top) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        }
    }

    /// The filters as MEME minimal-format motifs (`MOTIF filter<i>`), readable by Tomtom and the
    /// rest of the MEME suite.
    public static func memeText(weights: [Float], filters: Int, width: Int) -> String {
        var out = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\nA 0.25 C 0.25 G 0.25 T 0.25\n\n"
        for f in 0..<filters {
            out += "MOTIF filter\(f)\nletter-probability matrix: alength= 4 w= \(width) nsites= 20 E= 0\n"
            for column in probabilities(weights: weights, filter: f, width: width) {
                out += column.map { String(format: "%.6f", $0) }.joined(separator: "\t") + "\n"
            }
            out += "\n"
        }
        return out
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
    }

    /// Ranks filters by their best ungapped Pearson correlation with `motif` (`[position][4]`
    /// probabilities, compared as log2 odds against a uniform background) on either strand.
    /// Alignments must overlap by at least half the shorter of filter and motif.
    public static func compare(weights: [Float], filters: Int, width: Int, motif: [[Double]]) -> [Match] {
        let logOdds = motif.map { $0.map { log2(max($0, 1e-3) / 0.25) } }
        let reverse = logOdds.reversed().map { [$0[3], $0[2], $0[1], $0[0]] }
        let m = motif.count, minimum = max(1, (min(m, width) + 1) / 2)
        var matches: [Match] = []
        for f in 0..<filters {
            var best = Match(filter: f, correlation: -2, offset: 0, strand: "+")
            for (strand, matrix) in [("+" as Character, logOdds), ("-", Array(reverse))] {
                for offset in (-(m - minimum))...(width - minimum) {
                    var xs: [Double] = [], ys: [Double] = []
                    for j in 0..<m {
                        let k = offset + j
                        guard k >= 0 && k < width else { continue }
                        for b in 0..<4 { xs.append(Double(weights[(f * 4 + b) * width + k])); ys.append(matrix[j][b]) }
                    }
                    guard xs.count >= 4 * minimum else { continue }
                    let r = pearson(xs, ys)
                    if r > best.correlation { best = Match(filter: f, correlation: r, offset: offset, strand: strand) }
                }
            }
            matches.append(best)
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
