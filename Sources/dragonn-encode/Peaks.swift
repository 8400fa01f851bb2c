import ArgumentParser
import DragonnCLI
import DragonnKit

extension NegativeKind: ExpressibleByArgument {}

/// The options of `dragonn-encode --genome G --peaks FILE ... --split-prefix P`: training sets
/// (labelled FASTA, optionally .npy) from peak files, with chromosome hold-out.
struct PeakOptions: ParsableArguments {
    @Option(name: .customLong("peaks"), parsing: .singleValue, help: ArgumentHelp(
        "Peaks of one task: [TASK=]FILE, BED or narrowPeak (summit column 10), plain or gzip; repeat for more tasks. Needs --genome and --split-prefix.",
        valueName: "task=file"), completion: .file())
    var peaks: [String] = []

    @Option(name: .customLong("split-prefix"), help: ArgumentHelp(
        "With --peaks: write PREFIX.train.fa.gz, PREFIX.valid.fa.gz, PREFIX.test.fa.gz (BGZF, labelled FASTA).", valueName: "prefix"),
            completion: .file())
    var splitPrefix: String?

    @Option(name: .customLong("negatives"), help: ArgumentHelp(
        "With --peaks: gc-matched (random windows outside every peak, N-free, GC histogram matched to the positives), flank (windows 1-4 lengths beside the positives), or shuffle (dinucleotide shuffles of the positives).",
        valueName: "kind"))
    var negatives: NegativeKind = .gcMatched

    @Option(name: .customLong("neg-ratio"), help: ArgumentHelp("With --peaks: negatives per positive, per split.", valueName: "x"))
    var negRatio: Double = 1

    @Option(name: .customLong("center-bp"), help: ArgumentHelp(
        "With --peaks: a window is positive for a task when one of its summits lies in the central bp of the window.", valueName: "bp"))
    var centerBP: Int = 200

    @Option(name: .customLong("exclude"), help: ArgumentHelp(
        "With --peaks: blacklist BED; no window touches it (positives that do are dropped).", valueName: "bed"), completion: .file())
    var exclude: String?

    @Option(name: .customLong("valid-chroms"), parsing: .singleValue, help: ArgumentHelp(
        "With --peaks: chromosomes of the validation split (comma-separated or repeated).", valueName: "chroms"))
    var validChroms: [String] = []

    @Option(name: .customLong("test-chroms"), parsing: .singleValue, help: ArgumentHelp(
        "With --peaks: chromosomes of the test split (comma-separated or repeated).", valueName: "chroms"))
    var testChroms: [String] = []

    @Flag(name: .customLong("skip-missing"), help: "With --peaks: skip (and count) peaks on chromosomes the genome lacks instead of failing.")
    var skipMissing = false

    @Flag(name: .customLong("npy"), help: "With --peaks: also write PREFIX.SPLIT.npy (uint8 [N, 4, L]) and PREFIX.SPLIT.labels.npy (float32 [N, T]).")
    var npy = false

    @OptionGroup var seed: SeedOption

    @Flag(name: [.customShort("q"), .long], help: "With --peaks: do not print the summary line to stderr.")
    var quiet = false

    var isPeakMode: Bool { !peaks.isEmpty }

    /// Splits comma-separated or repeated chromosome lists.
    static func list(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    /// The training-set settings these options give, with the genome and length of the input group.
    func spec(genome: String, length: Int?) -> TrainingSetSpec {
        var spec = TrainingSetSpec(genome: genome, peaks: peaks, prefix: splitPrefix ?? "")
        spec.length = length ?? 1000
        spec.centerBP = centerBP
        spec.negatives = negatives
        spec.negRatio = negRatio
        spec.exclude = exclude
        spec.validChroms = Self.list(validChroms)
        spec.testChroms = Self.list(testChroms)
        spec.skipMissing = skipMissing
        spec.seed = seed.seed
        spec.npy = npy
        return spec
    }
}
