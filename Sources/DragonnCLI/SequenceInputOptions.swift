import ArgumentParser
import DragonnKit
#if canImport(Glibc)
import Glibc
#endif

/// The ways of giving sequences that a tool accepts (see `SequenceInputOptions`).
public struct InputFeatures: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `--labels TSV`.
    public static let labels = InputFeatures(rawValue: 1)
    /// A one-hot `.npy` INPUT.
    public static let npy = InputFeatures(rawValue: 2)
    /// `--labels-npy` (with a `.npy` INPUT).
    public static let labelsNpy = InputFeatures(rawValue: 4)
    /// `--regions BED --genome FA`.
    public static let regions = InputFeatures(rawValue: 8)
    /// `--pos-sequences FA --neg-sequences FA`.
    public static let pair = InputFeatures(rawValue: 16)
    /// `--length`, `--trim`, `--pad`.
    public static let fit = InputFeatures(rawValue: 32)
    /// `--genome` alone (without `--regions`): the tool reads something else from it (peaks).
    public static let genomeAlone = InputFeatures(rawValue: 64)

    /// Modes that read no sequences (dragonn-predict --track, --merge-tracks): with no INPUT and
    /// no sequence option (or `--genome` alone), the group leaves the input check to the tool.
    public static let standalone = InputFeatures(rawValue: 128)

    /// `--vcf VCF --genome FA`: variants scored in windows of the genome.
    public static let variants = InputFeatures(rawValue: 64)

    /// Every way of giving sequences (not variants, which only some tools score).
    public static let all: InputFeatures = [.labels, .npy, .labelsNpy, .regions, .pair, .fit]
}

/// What one tool accepts of the sequence input options, and how its INPUT is described.
public protocol SequenceInputProfile {
    static var tool: String { get }
    static var features: InputFeatures { get }
    /// Help of the INPUT argument.
    static var inputHelp: String { get }
}

/// The one input option group of every tool that reads sequences: INPUT (FASTA/FASTQ, `.npy`,
/// `-` = stdin), `--labels`, `--labels-npy`, `--regions/--genome`, `--pos-sequences/--neg-sequences`
/// and `--length/--trim/--pad`. `Profile` says which of them the tool takes: the others are left
/// out of its help and refused with a usage error. Which combinations make sense is
/// `SequenceInput`'s to say; this group only maps options onto it.
public struct SequenceInputOptions<Profile: SequenceInputProfile>: ParsableArguments {
    @Argument(help: ArgumentHelp(Profile.inputHelp, valueName: "input"), completion: .file())
    public var input: String?

    @Option(name: .long, help: Self.help(.labels,
        "Labels table: TSV with a header row 'name<TAB>task...' and one 0/1 row per sequence (default: the labels= header tags).",
        valueName: "tsv"), completion: .file())
    public var labels: String?

    @Option(name: .customLong("labels-npy"), help: Self.help(.labelsNpy,
        "Labels .npy ([N] or [N, tasks], 0/1) for a .npy INPUT.", valueName: "file"), completion: .file(extensions: ["npy"]))
    public var labelsNpy: String?

    @Option(name: .long, help: Self.help(.regions,
        "BED file of regions to read from --genome (names become chrom:start-end, 0-based start as in BED and bedtools getfasta; samtools and IGV regions are 1-based).", valueName: "bed"), completion: .file())
    public var regions: String?

    @Option(name: .long, help: Self.help(.regions,
        "Reference genome FASTA (plain or bgzip); its .fai index is built when missing.", valueName: "fasta"), completion: .file())
    public var genome: String?

    @Option(name: .long, help: ArgumentHelp(
        "VCF/BCF of variants (plain, bgzip, BCF; '-' = stdin) to score in windows of --genome.",
        discussion: """
        Centring rule: a variant at VCF position POS is scored in the window of the model's \
        length L that starts at POS - 1 - L/2 (0-based, integer division), so its first base sits \
        at offset L/2, for odd and even L alike (the rule of the whole-chromosome tracks). The ALT \
        window starts at the same base: the same left flank, the ALT allele, then the genome right \
        of the REF allele, cut to L bases; a deletion pulls |REF|-|ALT| more bases of right flank \
        in, an insertion pushes |ALT|-|REF| out. A REF allele longer than L - L/2 is not scored.
        """,
        valueName: "vcf", visibility: Profile.features.contains(.variants) ? .default : .private))
    public var vcf: String?

    @Option(name: .customLong("pos-sequences"), help: Self.help(.pair,
        "FASTA of positive sequences (DragoNN's form, one task; with --neg-sequences).", valueName: "file"), completion: .file())
    public var posSequences: String?

    @Option(name: .customLong("neg-sequences"), help: Self.help(.pair,
        "FASTA of negative sequences.", valueName: "file"), completion: .file())
    public var negSequences: String?

    @Option(name: .long, help: Self.help(.fit,
        "Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.",
        valueName: "n"))
    public var length: Int?

    @Option(name: .long, help: Self.help(.fit,
        "Which bases a longer sequence keeps: center (default) or left (the first L).", valueName: "mode"))
    public var trim: TrimMode?

    @Flag(name: .long, help: Self.help(.fit,
        "Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing."))
    public var pad = false

    public init() {}

    /// Help for an input option: shown when `Profile` takes `feature`, otherwise left out.
    private static func help(_ feature: InputFeatures, _ text: String, valueName: String? = nil) -> ArgumentHelp {
        ArgumentHelp(text, valueName: valueName, visibility: Profile.features.contains(feature) ? .default : .private)
    }

    /// Refuses (usage error) options the tool does not take, options that exclude each other,
    /// combinations `SequenceInput` does not accept, and a terminal as the input.
    public func validate() throws {
        if let vcf {
            guard Profile.features.contains(.variants) else { throw ValidationError("--vcf does not apply to \(Profile.tool).") }
            guard genome != nil else { throw ValidationError("--vcf needs --genome (the reference the variants are on).") }
            let others: [(Bool, String)] = [(input != nil, "INPUT"), (regions != nil, "--regions"), (labels != nil, "--labels"),
                                            (labelsNpy != nil, "--labels-npy"), (posSequences != nil || negSequences != nil, "--pos-sequences/--neg-sequences"),
                                            (length != nil || trim != nil || pad, "--length/--trim/--pad")]
            if let other = others.first(where: { $0.0 }) { throw ValidationError("--vcf excludes \(other.1).") }
            if vcf == "-" && isatty(0) != 0 { throw ValidationError("no input: give a VCF file, or '-' with data on stdin.") }
            return
        }
        let given: [(Bool, InputFeatures, String)] = [
            (labels != nil, .labels, "--labels"), (labelsNpy != nil, .labelsNpy, "--labels-npy"),
            (regions != nil, .regions, "--regions"), (genome != nil, .regions, "--genome"),
            (posSequences != nil, .pair, "--pos-sequences"), (negSequences != nil, .pair, "--neg-sequences"),
            (length != nil, .fit, "--length"), (trim != nil, .fit, "--trim"), (pad, .fit, "--pad"),
            (input?.hasSuffix(".npy") ?? false, .npy, "a .npy INPUT"),
        ]
        for (isGiven, feature, option) in given where isGiven && !Profile.features.contains(feature) {
            throw ValidationError("\(option) does not apply to \(Profile.tool).")
        }
        // The tool checks this combination itself.
        if Profile.features.contains(.genomeAlone) && genome != nil && regions == nil { return }
        if Profile.features.contains(.standalone), input == nil, regions == nil, posSequences == nil, negSequences == nil {
            return
        }
        try validateInput()
    }

    /// Refuses (usage error) an input `SequenceInput` does not accept, and a terminal as the input.
    public func validateInput() throws {
        let input = try sequenceInput()
        do { try input.validate() } catch let e as DragonnError { throw ValidationError(e.description) }
        if input.source == .file("-") && isatty(0) != 0 {
            throw ValidationError("no input: give a file, or '-' with data on stdin.")
        }
    }

    /// The input these options name (usage errors for options that exclude each other).
    public func sequenceInput() throws -> SequenceInput {
        let source: SequenceInput.Source
        switch (regions, genome, posSequences, negSequences) {
        case (nil, nil, nil, nil):
            source = .file(input ?? "-")
        case let (bed?, fasta?, nil, nil):
            if let input, input != "-" { throw ValidationError("give either INPUT or --regions/--genome, not both.") }
            source = .regions(bed: bed, genome: fasta)
        case let (nil, nil, pos?, neg?):
            if let input, input != "-" { throw ValidationError("give either INPUT or --pos-sequences/--neg-sequences, not both.") }
            source = .pair(positives: pos, negatives: neg)
        case (_?, nil, nil, nil), (nil, _?, nil, nil):
            throw ValidationError("--regions and --genome go together.")
        case (nil, nil, _?, nil), (nil, nil, nil, _?):
            throw ValidationError("--pos-sequences and --neg-sequences go together.")
        default:
            throw ValidationError("--regions/--genome and --pos-sequences/--neg-sequences exclude each other.")
        }
        return SequenceInput(source, labels: labels, labelsNpy: labelsNpy, length: length, trim: trim, pad: pad)
    }
}

