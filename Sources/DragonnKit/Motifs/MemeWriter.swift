import Foundation

/// Writes motifs in the MEME minimal text format (version 4), which FIMO, Tomtom, memelite and
/// `MotifReader` read.
public enum MemeWriter {
    /// One motif to write: `probabilities` is `[position][A, C, G, T]`, each row summing to 1;
    /// `sites` is the number of sites the matrix was counted from (the header's `nsites=`).
    public struct Motif: Sendable {
        public var name: String
        public var alternateName: String?
        public var probabilities: [Double]
        public var sites: Int
        public init(name: String, alternateName: String? = nil, probabilities: [Double], sites: Int) {
            self.name = name; self.alternateName = alternateName
            self.probabilities = probabilities; self.sites = sites
        }
        /// A PWM of a collection (its probabilities as stored, pseudocount included).
        public init(_ pwm: PWM, sites: Int = 20) {
            self.init(name: pwm.name, alternateName: pwm.alternateName, probabilities: pwm.probabilities, sites: sites)
        }
    }

    /// The MEME text of `motifs` with `background` (`[A, C, G, T]`) as the background letter
    /// frequencies; names with whitespace have it replaced by `_` (MEME identifiers are one word).
    public static func text(_ motifs: [Motif], background: [Double] = [0.25, 0.25, 0.25, 0.25]) -> String {
        func word(_ s: String) -> String { String(s.map { $0 == " " || $0 == "\t" ? "_" : $0 }) }
        let bg = zip(["A", "C", "G", "T"], background).map { "\($0) \(String(format: "%.6f", $1))" }.joined(separator: " ")
        var out = "MEME version 4\n\nALPHABET= ACGT\n\nstrands: + -\n\nBackground letter frequencies\n\(bg)\n\n"
        for m in motifs {
            let width = m.probabilities.count / 4
            out += "MOTIF \(word(m.name))" + (m.alternateName.map { " " + word($0) } ?? "") + "\n"
            out += "letter-probability matrix: alength= 4 w= \(width) nsites= \(m.sites) E= 0\n"
            for k in 0..<width {
                out += (0..<4).map { String(format: "%.6f", m.probabilities[k * 4 + $0]) }.joined(separator: " ") + "\n"
            }
            out += "\n"
        }
        return out
    }
}
