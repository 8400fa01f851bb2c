import ArgumentParser
import DragonnCLI
import DragonnKit

/// dragonn-attrib reads sequences (FASTA/FASTQ, .npy, regions of a genome); labels do not apply.
enum AttribInput: SequenceInputProfile {
    static let tool = "dragonn-attrib"
    static let features: InputFeatures = [.npy, .regions, .fit, .variants]
    static let inputHelp = "Sequences: FASTA/FASTQ (plain, gzip, BGZF) or a one-hot .npy; '-' or none for stdin."
}

@main
struct DragonnAttrib: DragonnTool {
    static let configuration = CommandConfiguration(
        commandName: "dragonn-attrib",
        abstract: "Explain a SequenceDNN's predictions base by base (ISM, DeepLIFT, gradient x input), read its filters as motifs, scan motifs.",
        discussion: """
        Attributions are taken on the pre-sigmoid logit of each task. The default output is a \
        bedGraph of the attribution of the observed base at every position: 4 columns, 0-based \
        half-open, no track line (--track-line adds one). Coordinates are genomic when the \
        sequences came from --regions/--genome or are named chr:start-end (0-based start, as in \
        BED and as bedtools getfasta writes them; samtools and IGV regions are 1-based), otherwise \
        chrom = sequence name and positions 0..L. Lines are sorted by chromosome in the genome's \
        .fai order (without a genome, the order of the input), then by start: bedtools sort -faidx \
        order. Where windows overlap, a base takes the value of the window whose centre is nearest \
        (ties: the window starting first); stderr says how many bases that decided. A .gz output \
        is BGZF with a tabix index beside it. N bases get zero attribution (said once on stderr). \
        All outputs appear together at the end.

        Several tasks: -o NAME.bedGraph[.gz] writes one track per task, NAME.TASK.bedGraph[.gz] \
        (each with its index), and no NAME.bedGraph; stdout takes one track, so give --task there.

        Examples:
          dragonn-sim motif-density-localization -o test.fa --bed truth.bed
          dragonn-attrib deeplift -m model.safetensors test.fa -o deeplift.bedGraph.gz
          dragonn-attrib grad -m multitask.safetensors test.fa --task 0 | bgzip > task0.bedGraph.gz
          dragonn-attrib ism -m model.safetensors test.fa --truth truth.bed --plot plots/
          dragonn-attrib deeplift -m model.safetensors test.fa --npy modisco -o /dev/null
          dragonn-attrib filters -m model.safetensors -o filters.svg --meme filters.meme
          dragonn-attrib filters -m model.safetensors --compare TAL1_known4
          dragonn-attrib motifs --motif TAL1_known4 test.fa --hits tal1.hits.bed
          dragonn-attrib ism -m model.safetensors --genome hg38.fa --vcf gwas.vcf.gz --top 5 -o snps.bedGraph --plot snps/
        """,
        version: DragonnVersion.string,
        subcommands: [ISM.self, DeepLIFT.self, Grad.self, Filters.self, Figure.self, Motifs.self])
}

/// Options every attribution method takes.
struct AttributionOptions: ParsableArguments {
    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Model file (safetensors, from dragonn-train; not the .checkpoint.safetensors).", valueName: "file"), completion: modelFileCompletion)
    var model: String

    @OptionGroup var sequences: SequenceInputOptions<AttribInput>

    @Option(name: .long, help: ArgumentHelp("Task name or 0-based index (default: all tasks).", valueName: "task"))
    var task: String?

    @OptionGroup var output: OutputOption

    @OptionGroup var trackLine: TrackLineOption

    @Option(name: .long, help: ArgumentHelp("Also write PREFIX.ohe.npy and PREFIX.attr.npy (float32 [N,4,L], hypothetical contributions; PREFIX.TASK.attr.npy for several tasks) for TF-MoDISco.", valueName: "prefix"), completion: .file())
    var npy: String?

    @Option(name: .customLong("top-windows"), help: ArgumentHelp("Write the most important --window of each sequence (TSV: sequence, task, chrom, start, end, score, bases).", valueName: "file"), completion: .file())
    var topWindows: String?

    @Option(name: .long, help: ArgumentHelp("Window length for --top-windows and the plots' logo.", valueName: "bp"))
    var window: Int = 10

    @Option(name: .customLong("pos-threshold"), help: ArgumentHelp("--top-windows skips sequences whose predicted probability is below this.", valueName: "p"))
    var posThreshold: Double = 0.5

    @Option(name: .long, help: ArgumentHelp("Write one SVG per sequence (track, truth boxes, logo of the top window) into this folder.", valueName: "dir"), completion: .directory)
    var plot: String?

    @Option(name: .customLong("plot-max"), help: ArgumentHelp("Plot at most this many sequences.", valueName: "n"))
    var plotMax: Int = 10

    @Option(name: .long, help: ArgumentHelp("Embedded motifs BED (dragonn-sim --bed): print positional auPRC per motif as TSV (method, task, motif, auPRC, windows) on stdout; the bedGraph is then only written to an -o file.", valueName: "bed"), completion: .file())
    var truth: String?

    @Option(name: .long, help: ArgumentHelp("With --vcf: explain the N ALT alleles with the largest |logit(ALT) - logit(REF)| of --task (default: the first task). -o X.bedGraph writes X.ref, X.alt and X.delta (ALT - REF) tracks in genomic coordinates (-o X.bw: the three as bigWig, X.ref.bw etc.; a base in overlapping windows takes the higher-ranked variant's value; inserted bases have none); --plot draws one SVG per variant (REF and ALT rows, the variant marked, logos of the bases around it).", valueName: "n"))
    var top: Int = 10

    @OptionGroup var seed: SeedOption
    @OptionGroup var threads: ThreadsOption

    /// The --vcf job of `method`, or nil without --vcf.
    func variantJob(_ method: AttributionMethod, reference: AttributionReference? = nil) throws -> VariantAttributionJob? {
        guard let vcf = sequences.vcf, let genome = sequences.genome else { return nil }
        if npy != nil || topWindows != nil || truth != nil { throw ValidationError("--vcf excludes --npy, --top-windows and --truth.") }
        var job = VariantAttributionJob(method: method, modelPath: model, genomePath: genome, vcfPath: vcf)
        job.task = task; job.output = output.output; job.top = top; job.plotDirectory = plot
        job.seed = seed.seed; job.threads = threads.resolved
        if let reference { job.reference = reference }
        return job
    }

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if window < 1 { throw ValidationError("--window must be at least 1") }
        if plotMax < 0 { throw ValidationError("--plot-max must not be negative") }
        if !(0...1).contains(posThreshold) { throw ValidationError("--pos-threshold must be between 0 and 1") }
    }

    func job(_ method: AttributionMethod) throws -> AttributionJob {
        var job = AttributionJob(method: method, modelPath: model)
        job.input = try sequences.sequenceInput(); job.task = task
        job.output = output.output; job.trackLine = trackLine.trackLine; job.npyPrefix = npy; job.topWindows = topWindows; job.window = window
        job.positiveThreshold = posThreshold; job.plotDirectory = plot; job.plotMax = plotMax; job.truth = truth
        job.seed = seed.seed; job.threads = threads.resolved
        return job
    }
}

func note(_ message: String) {
    ToolEnvironment.printError("dragonn-attrib: note: \(message)\n")
}

struct ISM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ism",
        abstract: "In-silico mutagenesis: logit(mutant) - logit(sequence) for every position and base.",
        discussion: """
        Exact, computed by re-running only the part of the network a mutation reaches. Effects are \
        centred over the four bases at each position (effect minus the mean of the four): the \
        bedGraph value of the observed base is minus 3/4 of the mean effect of its three mutations \
        (positive = the base supports the logit), and --npy holds the centred effects of all four \
        bases (at an N, where the bedGraph holds 0, the four are real substitutions).
        """)
    @OptionGroup var options: AttributionOptions
    func run() throws {
        if let variants = try options.variantJob(.ism) { return try variants.run(note: note) }
        try options.job(.ism).run(note: note)
    }
}

struct DeepLIFT: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deeplift",
        abstract: "DeepLIFT (rescale rule) contributions, averaged over references.",
        discussion: """
        ReLU: secant multiplier (gradient when the input change is below 1e-6); max-pool: the \
        output change routed to the arg-max position and divided by the input change there. \
        Contributions of a sequence sum to logit(x) - mean logit(references). The bedGraph holds the \
        contribution of the observed base, --npy the hypothetical contributions of all four bases. \
        Shuffles are seeded per sequence (-s): the same seed gives the same output for any -@.
        """)
    @OptionGroup var options: AttributionOptions
    @Option(name: .long, help: ArgumentHelp("shuffle:N (N seeded dinucleotide shuffles of each sequence), zeros, or gc:F (background expectation with GC fraction F).", valueName: "ref"))
    var reference: String = "shuffle:20"
    func run() throws {
        if let variants = try options.variantJob(.deeplift, reference: try AttributionReference(parsing: reference)) {
            return try variants.run(note: note)
        }
        var job = try options.job(.deeplift)
        job.reference = try AttributionReference(parsing: reference)
        try job.run(note: note)
    }
}

struct Grad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grad",
        abstract: "Gradient x input (the --npy attributions are the gradients).")
    @OptionGroup var options: AttributionOptions
    func run() throws {
        if options.sequences.vcf != nil { throw ValidationError("--vcf takes ism or deeplift, not grad.") }
        try options.job(.grad).run(note: note)
    }
}

struct Filters: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filters",
        abstract: "First-layer filters as motifs: SVG sheet, MEME PWMs, Tomtom-like comparison with known motifs.",
        discussion: """
        The sheet draws each filter's weights as letter heights, positive up, negative down. With \
        --sequences, each filter's PWM is counted from the windows of those sequences that activate \
        it strongly (activation, bias included, at least half the filter's largest activation over \
        the set), as the field builds filter PWMs for Tomtom: counts become frequencies and the MEME \
        header's nsites is the number of windows; filters that never activate are left out. Without \
        --sequences, --meme writes the weights as a per-column softmax, p(b) = exp(w_b) / sum exp(w), \
        a view of the weights too flat to match known motifs well.

        --compare NAME... (or 'all', the whole collection) aligns each motif with each filter, \
        ungapped, on either strand, at every offset that overlaps at least half the shorter of the \
        two, and keeps the alignment with the best Fisher z of the Pearson correlation over the \
        aligned columns (all four bases): activation PWMs against the motif's probabilities, or \
        without --sequences raw weights against the motif's log2 odds. The p-value is analytic \
        (z = atanh(r) sqrt(3 overlap - 3) standard normal under no association, Sidak-corrected for \
        the alignments tried); e_value = p times the motifs compared. The TSV on stdout (columns \
        filter, rank, motif, pearson, strand, offset, overlap, p_value, e_value) ranks the filters \
        by p-value for one motif, and each filter's motifs for several; the sheet is then only \
        written to an -o file, and draws beside each filter its best motif with p <= 0.01, aligned \
        at the reported offset and strand.

        Examples:
          dragonn-attrib filters -m model.safetensors -o filters.svg --compare TAL1_known4
          dragonn-attrib filters -m model.safetensors --sequences test.fa --meme f.meme
          dragonn-attrib filters -m model.safetensors --compare all -o f.svg > rank.tsv
        """)
    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Model file.", valueName: "file"), completion: modelFileCompletion)
    var model: String
    @OptionGroup var output: OutputOption
    @Option(name: .long, help: ArgumentHelp("Write the filters as MEME minimal-format PWMs.", valueName: "file"), completion: .file())
    var meme: String?
    @Option(name: .long, help: ArgumentHelp("Build the filter PWMs from the windows of these sequences (FASTA) that activate each filter strongly.",
                                            valueName: "file"), completion: .file())
    var sequences: String?
    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp(
        "Compare the filters with these motifs (comma-separated or repeated; 'all' = the whole collection).", valueName: "motif"),
        completion: motifNameCompletion)
    var compare: [String] = []
    @Option(name: .customLong("motifs"), help: ArgumentHelp("Extra motif file (ENCODE, HOMER, MEME or JASPAR); repeatable.", valueName: "file"),
            completion: .file())
    var motifs: [String] = []
    @Flag(name: .customLong("no-bundled-motifs"), help: "Use only the --motifs files, not the bundled ENCODE collection.")
    var noBundledMotifs = false

    func run() throws {
        var job = FiltersJob(modelPath: model)
        job.output = output.output; job.meme = meme
        job.compare = compare.flatMap { $0.split(separator: ",").map(String.init) }
        job.sequences = sequences.map { SequenceInput(.file($0)) }
        job.motifFiles = motifs; job.noBundledMotifs = noBundledMotifs
        try job.run()
    }
}
