import ArgumentParser
import DragonnCLI
import DragonnKit

@main
struct DragonnSim: DragonnTool {
    static let configuration = CommandConfiguration(
        commandName: "dragonn-sim",
        abstract: "Simulate DNA sequences with embedded transcription-factor motifs (DragoNN's six simulations).",
        discussion: """
        Writes FASTA (one sequence per line, headers '>NAME labels=1,0,...'), optionally the embedded \
        motif instances as BED6 (--bed; chrom = sequence name, 0-based half-open, strand + or -; lines in \
        the FASTA's order, then by start: bedtools sort -faidx order) and a labels TSV (--labels). \
        Backgrounds are i.i.d. with the given GC fraction; each motif instance is sampled from its PWM \
        (ENCODE motifs, pseudocount 0.001) and reverse-complemented with probability 0.5; instances never \
        overlap. The same --seed gives the same bytes.

        Examples:
          dragonn-sim motif-density-localization -o train.fa --bed embeddings.bed
          dragonn-sim heterodimer-grammar --seq-length 500 -s 7 -o grammar.fa.gz
          dragonn-sim motifs TAL1
          dragonn-sim single-motif-detection --motifs my.jaspar --motif MA0004.1 | head -2
        """,
        version: DragonnVersion.string,
        subcommands: [ListMotifs.self, SimulateGenome.self, SingleMotifDetection.self, MotifCounting.self,
                      MotifDensityLocalization.self, MultiMotifEmbedding.self,
                      DifferentialAccessibility.self, HeterodimerGrammar.self])
}

/// `--motifs FILE` and `--no-bundled-motifs`.
struct MotifSourceOptions: ParsableArguments {
    @Option(name: .customLong("motifs"), help: ArgumentHelp(
        "Motif file (ENCODE, HOMER, MEME or JASPAR; plain or gzip); adds to the bundled ENCODE motifs, same names replace them. Repeatable.",
        valueName: "file"), completion: .file())
    var files: [String] = []

    @Flag(name: .customLong("no-bundled-motifs"), help: "Use only the --motifs files, not the bundled ENCODE collection.")
    var noBundled = false

    func collection() throws -> MotifCollection {
        try MotifCollection.load(files: files, replaceBundled: noBundled)
    }
}

/// Output, seed and side files shared by the six simulations.
struct SimulationOutputOptions: ParsableArguments {
    @OptionGroup var output: OutputOption
    @OptionGroup var seed: SeedOption

    @Option(name: .customLong("bed"), help: ArgumentHelp(
        "Write the embedded motif instances as BED6 (chrom = sequence name; .gz = BGZF).", valueName: "file"), completion: .file())
    var bed: String?

    @Option(name: .customLong("labels"), help: ArgumentHelp(
        "Write the labels as TSV: header 'name<TAB>task...', one row per sequence.", valueName: "file"), completion: .file())
    var labels: String?

    @Option(name: .customLong("gc-fraction"), help: ArgumentHelp("GC fraction of the background.", valueName: "f"))
    var gcFraction: Double = 0.4

    @Flag(name: [.customShort("q"), .long], help: "Do not print the summary line to stderr.")
    var quiet = false

    /// Runs `simulation`; `motifs` are the motif files read (never overwritten).
    func run(_ simulation: Simulation, motifs: MotifSourceOptions) throws {
        try SimulationJob.run(simulation, seed: seed.seed, output: output.output, bed: bed, labels: labels,
                              inputs: motifs.files, quiet: quiet)
    }
}

/// A `MIN,MAX` pair of counts.
struct CountRange: ExpressibleByArgument, CustomStringConvertible {
    var min: Int
    var max: Int
    init(_ min: Int, _ max: Int) { self.min = min; self.max = max }
    init?(argument: String) {
        let parts = argument.split(whereSeparator: { $0 == "," || $0 == ":" }).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let a = parts[0], let b = parts[1] else { return nil }
        min = a; max = b
    }
    var description: String { "\(min),\(max)" }
    var defaultValueDescription: String { description }
}

/// Splits comma-separated or repeated motif-name options.
func motifList(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        .filter { !$0.isEmpty }
}

struct ListMotifs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motifs",
        abstract: "List the motifs (name, length, consensus; tab-separated) or export them in MEME format.",
        discussion: """
        Each PATTERN is a motif name (exactly that motif), else a case-insensitive substring, or a \
        shell glob when it contains * ? or [; no PATTERN selects every motif. --meme writes the \
        selected motifs in MEME minimal format (probabilities as the simulator uses them, \
        pseudocount 0.001 included; uniform background), for FIMO, Tomtom or memelite; the listing \
        then goes to stdout only when --meme is a file.

        Examples:
          dragonn-sim motifs TAL1
          dragonn-sim motifs 'CTCF_*'
          dragonn-sim motifs TAL1_known4 GATA_known6 --meme tal1-gata.meme
          dragonn-sim motifs --motifs HOCOMOCOv10.motif.gz --no-bundled-motifs | wc -l
        """)
    @OptionGroup var motifs: MotifSourceOptions
    @OptionGroup var output: OutputOption
    @Option(name: .long, help: ArgumentHelp("Also write the selected motifs in MEME format ('-' = stdout, instead of the listing).", valueName: "file"),
            completion: .file())
    var meme: String?
    @Argument(help: ArgumentHelp("Motif names or patterns (default: all).", valueName: "pattern"), completion: motifNameCompletion)
    var patterns: [String] = []

    func run() throws {
        try MotifListing.write(try motifs.collection(), patterns: patterns,
                               output: meme == "-" && output.output == "-" ? nil : output.output,
                               meme: meme, inputs: motifs.files)
    }
}

struct SingleMotifDetection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "single-motif-detection",
        abstract: "Positives hold one instance of a motif anywhere; negatives are background only.",
        discussion: """
        Example:
          dragonn-sim single-motif-detection --motif TAL1_known4 --seq-length 500 -o single.fa --bed single.bed
        """)
    @OptionGroup var motifs: MotifSourceOptions
    @Option(name: [.customLong("motif-name"), .customLong("motif")], help: "Motif to embed.", completion: motifNameCompletion)
    var motifName = "TAL1_known4"
    @Option(name: .customLong("seq-length"), help: "Sequence length in bp.") var seqLength = 500
    @Option(name: .customLong("num-pos"), help: "Number of positive sequences.") var numPos = 3000
    @Option(name: .customLong("num-neg"), help: "Number of negative sequences.") var numNeg = 3000
    @OptionGroup var common: SimulationOutputOptions

    func run() throws {
        let motif = try motifs.collection().motif(named: motifName)
        try common.run(try Simulations.singleMotifDetection(
            motif: motif, seqLength: seqLength, numPos: numPos, numNeg: numNeg, gcFraction: common.gcFraction), motifs: motifs)
    }
}

struct MotifCounting: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motif-counting",
        abstract: "Positives hold --pos-counts instances of a motif, negatives --neg-counts, anywhere.",
        discussion: """
        Counts are drawn uniformly from MIN,MAX (inclusive).

        Example:
          dragonn-sim motif-counting --pos-counts 3,5 --neg-counts 0,2 -o counting.fa
        """)
    @OptionGroup var motifs: MotifSourceOptions
    @Option(name: [.customLong("motif-name"), .customLong("motif")], help: "Motif to embed.", completion: motifNameCompletion)
    var motifName = "TAL1_known4"
    @Option(name: .customLong("seq-length"), help: "Sequence length in bp.") var seqLength = 1000
    @Option(name: .customLong("pos-counts"), help: ArgumentHelp("Instances per positive: MIN,MAX.", valueName: "min,max"))
    var posCounts = CountRange(3, 5)
    @Option(name: .customLong("neg-counts"), help: ArgumentHelp("Instances per negative: MIN,MAX.", valueName: "min,max"))
    var negCounts = CountRange(0, 2)
    @Option(name: .customLong("num-pos"), help: "Number of positive sequences.") var numPos = 3000
    @Option(name: .customLong("num-neg"), help: "Number of negative sequences.") var numNeg = 3000
    @OptionGroup var common: SimulationOutputOptions

    func run() throws {
        let motif = try motifs.collection().motif(named: motifName)
        try common.run(try Simulations.motifCounting(
            motif: motif, seqLength: seqLength, posCounts: (posCounts.min, posCounts.max),
            negCounts: (negCounts.min, negCounts.max), numPos: numPos, numNeg: numNeg, gcFraction: common.gcFraction), motifs: motifs)
    }
}

struct MotifDensityLocalization: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motif-density-localization",
        abstract: "Positives hold motif instances inside the central --center-size bp; negatives anywhere.",
        discussion: """
        The defaults give the DragoNN tutorial's data set: TAL1_known4, 1000 bp, centre 150 bp, 2-4 \
        instances, 3000 positives and 3000 negatives, GC 0.4.

        Examples:
          dragonn-sim motif-density-localization -s 1 -o tutorial.fa --bed tutorial.bed --labels tutorial.tsv
          dragonn-sim motif-density-localization --num-pos 10 --num-neg 10 | head -2
        """)
    @OptionGroup var motifs: MotifSourceOptions
    @Option(name: [.customLong("motif-name"), .customLong("motif")], help: "Motif to embed.", completion: motifNameCompletion)
    var motifName = "TAL1_known4"
    @Option(name: .customLong("seq-length"), help: "Sequence length in bp.") var seqLength = 1000
    @Option(name: .customLong("center-size"), help: "Central region (bp) that holds the positives' instances.")
    var centerSize = 150
    @Option(name: .customLong("min-motif-counts"), help: "Fewest instances per sequence.") var minMotifCounts = 2
    @Option(name: .customLong("max-motif-counts"), help: "Most instances per sequence.") var maxMotifCounts = 4
    @Option(name: .customLong("num-pos"), help: "Number of positive sequences.") var numPos = 3000
    @Option(name: .customLong("num-neg"), help: "Number of negative sequences.") var numNeg = 3000
    @OptionGroup var common: SimulationOutputOptions

    func run() throws {
        let motif = try motifs.collection().motif(named: motifName)
        try common.run(try Simulations.motifDensityLocalization(
            motif: motif, seqLength: seqLength, centerSize: centerSize, minMotifCounts: minMotifCounts,
            maxMotifCounts: maxMotifCounts, numPos: numPos, numNeg: numNeg, gcFraction: common.gcFraction), motifs: motifs)
    }
}

struct MultiMotifEmbedding: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "multi-motif-embedding",
        abstract: "Each sequence holds a random subset of the motifs; one task per motif says which are present.",
        discussion: """
        The subset size is uniform in [--min-num-motifs, --max-num-motifs]; each chosen motif is embedded once.

        Example:
          dragonn-sim multi-motif-embedding --motif-names CTCF_known1,ZNF143_known2,SIX5_known1 --labels multi.tsv -o multi.fa
        """)
    @OptionGroup var motifs: MotifSourceOptions
    @Option(name: .customLong("motif-names"), parsing: .singleValue,
            help: ArgumentHelp("Motifs (comma-separated or repeated).", valueName: "names"), completion: motifNameCompletion)
    var motifNames: [String] = ["CTCF_known1", "ZNF143_known2", "SIX5_known1"]
    @Option(name: .customLong("seq-length"), help: "Sequence length in bp.") var seqLength = 500
    @Option(name: .customLong("min-num-motifs"), help: "Fewest motifs per sequence.") var minNumMotifs = 0
    @Option(name: .customLong("max-num-motifs"), help: "Most motifs per sequence.") var maxNumMotifs = 3
    @Option(name: .customLong("num-seqs"), help: "Number of sequences.") var numSeqs = 6000
    @OptionGroup var common: SimulationOutputOptions

    func run() throws {
        let collection = try motifs.collection()
        let pwms = try motifList(motifNames).map { try collection.motif(named: $0) }
        try common.run(try Simulations.multiMotifEmbedding(
            motifs: pwms, seqLength: seqLength, minNumMotifs: minNumMotifs, maxNumMotifs: maxNumMotifs,
            numSeqs: numSeqs, gcFraction: common.gcFraction), motifs: motifs)
    }
}

struct DifferentialAccessibility: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "differential-accessibility",
        abstract: "Positives hold a random subset of --pos-motif-names, negatives of --neg-motif-names.",
        discussion: """
        Subset sizes are uniform in [--min-num-motifs, --max-num-motifs]; each chosen motif is embedded once.

        Example:
          dragonn-sim differential-accessibility --pos-motif-names CTCF_known1 --neg-motif-names SPI1_known4 \\
            --min-num-motifs 1 --max-num-motifs 1 -o diff.fa
        """)
    @OptionGroup var motifs: MotifSourceOptions
    @Option(name: .customLong("pos-motif-names"), parsing: .singleValue,
            help: ArgumentHelp("Motifs of the positives (comma-separated or repeated).", valueName: "names"), completion: motifNameCompletion)
    var posMotifNames: [String] = ["CTCF_known1", "ZNF143_known2"]
    @Option(name: .customLong("neg-motif-names"), parsing: .singleValue,
            help: ArgumentHelp("Motifs of the negatives (comma-separated or repeated).", valueName: "names"), completion: motifNameCompletion)
    var negMotifNames: [String] = ["SIX5_known1", "SPI1_known4"]
    @Option(name: .customLong("seq-length"), help: "Sequence length in bp.") var seqLength = 500
    @Option(name: .customLong("min-num-motifs"), help: "Fewest motifs per sequence.") var minNumMotifs = 1
    @Option(name: .customLong("max-num-motifs"), help: "Most motifs per sequence.") var maxNumMotifs = 2
    @Option(name: .customLong("num-pos"), help: "Number of positive sequences.") var numPos = 3000
    @Option(name: .customLong("num-neg"), help: "Number of negative sequences.") var numNeg = 3000
    @OptionGroup var common: SimulationOutputOptions

    func run() throws {
        let collection = try motifs.collection()
        let pos = try motifList(posMotifNames).map { try collection.motif(named: $0) }
        let neg = try motifList(negMotifNames).map { try collection.motif(named: $0) }
        try common.run(try Simulations.differentialAccessibility(
            posMotifs: pos, negMotifs: neg, seqLength: seqLength, minNumMotifs: minNumMotifs,
            maxNumMotifs: maxNumMotifs, numPos: numPos, numNeg: numNeg, gcFraction: common.gcFraction), motifs: motifs)
    }
}

struct HeterodimerGrammar: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heterodimer-grammar",
        abstract: "Positives hold motif1, a gap, then motif2; negatives hold both placed independently.",
        discussion: """
        The gap between the end of motif1 and the start of motif2 is uniform in [--min-spacing, --max-spacing]; \
        each motif's strand is drawn independently.

        Example:
          dragonn-sim heterodimer-grammar --motif1 SPI1_known4 --motif2 IRF_known20 --min-spacing 2 --max-spacing 5 -o grammar.fa
        """)
    @OptionGroup var motifs: MotifSourceOptions
    @Option(name: .customLong("motif1"), help: "Left motif of the pair.", completion: motifNameCompletion) var motif1 = "SPI1_known4"
    @Option(name: .customLong("motif2"), help: "Right motif of the pair.", completion: motifNameCompletion) var motif2 = "IRF_known20"
    @Option(name: .customLong("seq-length"), help: "Sequence length in bp.") var seqLength = 500
    @Option(name: .customLong("min-spacing"), help: "Smallest gap (bp) between the motifs.") var minSpacing = 2
    @Option(name: .customLong("max-spacing"), help: "Largest gap (bp) between the motifs.") var maxSpacing = 5
    @Option(name: .customLong("num-pos"), help: "Number of positive sequences.") var numPos = 3000
    @Option(name: .customLong("num-neg"), help: "Number of negative sequences.") var numNeg = 3000
    @OptionGroup var common: SimulationOutputOptions

    func run() throws {
        let collection = try motifs.collection()
        try common.run(try Simulations.heterodimerGrammar(
            motif1: try collection.motif(named: motif1), motif2: try collection.motif(named: motif2),
            seqLength: seqLength, minSpacing: minSpacing, maxSpacing: maxSpacing,
            numPos: numPos, numNeg: numNeg, gcFraction: common.gcFraction), motifs: motifs)
    }
}
