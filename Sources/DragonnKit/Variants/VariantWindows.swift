// The centring rule of variant windows and the reasons a variant is left unscored.

/// Why an ALT allele was not scored (the value of the INFO field `DRAGONN_UNSCORED`).
public enum VariantSkip: String, CaseIterable, Sendable {
    /// The chromosome is not in the genome.
    case noChromosome = "no_chrom"
    /// The window (REF or ALT) runs off a chromosome end.
    case offEnd = "off_end"
    /// A symbolic (`<DEL>`), breakend, `*` or missing (`.`) ALT allele, or bases other than ACGTN.
    case symbolic = "symbolic"
    /// More N (or other non-ACGT) bases in the REF window than the threshold allows.
    case tooManyN = "too_many_n"
    /// The REF allele differs from the genome.
    case refMismatch = "ref_mismatch"
    /// The REF allele does not fit in the window right of its start (longer than L − L/2).
    case refTooLong = "ref_too_long"

    /// What the reason means, for the header's description and the summary.
    public var meaning: String {
        switch self {
        case .noChromosome: "chromosome not in the genome"
        case .offEnd: "window runs off a chromosome end"
        case .symbolic: "symbolic, breakend, * or missing ALT allele"
        case .tooManyN: "too many N bases in the window"
        case .refMismatch: "REF differs from the genome"
        case .refTooLong: "REF longer than the window right of its start"
        }
    }
}

/// The centring rule shared with whole-chromosome tracks and tangermeme's peer script.
///
/// A variant at 0-based position `pos0` (VCF POS − 1) is scored in the window of the model's
/// length L starting at `pos0 − L/2` (integer division): the variant's first base sits at offset
/// L/2 of the window, for odd and even L alike. The ALT window has the same start: the same left
/// flank, then the ALT allele, then the genome right of the REF allele, cut to L bases. A
/// deletion therefore pulls `|REF| − |ALT|` more bases of right flank in, an insertion pushes
/// `|ALT| − |REF|` bases of right flank out (and an ALT allele longer than L − L/2 is itself cut).
public enum VariantWindow {
    /// 0-based genomic start of the window of length `length` around a variant at `pos0`.
    @inlinable
    public static func start(pos0: Int, length: Int) -> Int { pos0 - length / 2 }

    /// One past the last genomic base either window reads: the REF window's end, or further
    /// right for a deletion, whose ALT window reads right flank past it.
    @inlinable
    public static func end(pos0: Int, refLength: Int, altLength: Int, length: Int) -> Int {
        let right = length - length / 2
        return max(pos0 + right, pos0 + refLength + max(0, right - altLength))
    }

    /// True when the REF allele fits in the window from its own start (|REF| ≤ L − L/2).
    @inlinable
    public static func refFits(refLength: Int, length: Int) -> Bool { refLength <= length - length / 2 }

    /// Writes the ALT window's `length` base codes into `out`. `genome` points at the window's
    /// start (pos0 − L/2) in base codes and must hold `end − start` codes (see `end`); `alt` is
    /// the ALT allele in base codes.
    public static func alternate(genome: UnsafePointer<UInt8>, refLength: Int, alt: [UInt8], length: Int,
                                 into out: UnsafeMutablePointer<UInt8>) {
        let left = length / 2
        out.update(from: genome, count: left)
        let a = min(alt.count, length - left)
        for i in 0..<a { out[left + i] = alt[i] }
        let rest = length - left - a
        if rest > 0 { (out + left + a).update(from: genome + left + refLength, count: rest) }
    }
}
