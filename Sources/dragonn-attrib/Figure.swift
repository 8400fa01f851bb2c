import ArgumentParser
import DragonnCLI
import DragonnKit

/// `dragonn-attrib figure`: DragoNN's interpretation figure for a positive and a negative sequence.
struct Figure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "figure",
        abstract: "One SVG comparing a positive and a negative sequence: motif scores, ISM, DeepLIFT, gradient x input.",
        discussion: """
        The tutorial's interpretation figure: two columns (a positive sequence on the left, a \
        negative one on the right; by default the labelled positive with the highest predicted \
        probability and the labelled negative with the lowest, or the extremes of the prediction \
        when the input has no labels), each with six rows sharing the x axis and one scale per row \
        across the columns: motif scores (best-strand log2 odds of the window starting at each \
        base, against an i.i.d. background of --gc-fraction), ISM of the observed base (as the ism \
        track), ISM of every substitution as a 4 x L heatmap, DeepLIFT of the observed base, \
        gradient x input, and a DeepLIFT logo (contributions x one-hot). The logo shows the whole \
        sequence when it is at most --logo-window bases, otherwise the --logo-window bases with \
        the largest summed |DeepLIFT|, shaded on the rows above. --truth boxes the embedded motifs \
        on every row; the motifs scored default to those the BED names, else TAL1_known4. Each \
        column's title gives the predicted probability of --task (default the first).
        """)

    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Model file (safetensors, from dragonn-train).", valueName: "file"), completion: modelFileCompletion)
    var model: String

    @OptionGroup var sequences: SequenceInputOptions<AttribInput>

    @OptionGroup var output: OutputOption

    @Option(name: .long, help: ArgumentHelp("Task name or 0-based index (default: the first task).", valueName: "task"))
    var task: String?

    @Option(name: .long, help: ArgumentHelp("Name of the positive sequence (default: the most confident positive).", valueName: "name"))
    var positive: String?

    @Option(name: .long, help: ArgumentHelp("Name of the negative sequence (default: the most confident negative).", valueName: "name"))
    var negative: String?

    @Option(name: .long, help: ArgumentHelp("Embedded motifs BED (dragonn-sim --bed), boxed on every row.", valueName: "bed"), completion: .file())
    var truth: String?

    @Option(name: .customLong("motif-names"), parsing: .upToNextOption,
            help: ArgumentHelp("Motifs of the score row (default: those of --truth, else TAL1_known4).", valueName: "motif"))
    var motifNames: [String] = []

    @Option(name: .customLong("motifs"), help: ArgumentHelp("Extra motif file (ENCODE, HOMER, MEME or JASPAR); repeatable.", valueName: "file"), completion: .file())
    var motifs: [String] = []

    @Option(name: .customLong("gc-fraction"), help: ArgumentHelp("GC fraction of the background for the motif log-odds.", valueName: "f"))
    var gcFraction: Double = 0.4

    @Option(name: .long, help: ArgumentHelp("DeepLIFT reference: shuffle:N, zeros, or gc:F (as in deeplift).", valueName: "ref"))
    var reference: String = "shuffle:20"

    @Option(name: .customLong("logo-window"), help: ArgumentHelp("Bases of the DeepLIFT logo when the sequence is longer.", valueName: "bp"))
    var logoWindow: Int = 100

    @OptionGroup var seed: SeedOption
    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if logoWindow < 1 { throw ValidationError("--logo-window must be at least 1") }
        if !(gcFraction > 0 && gcFraction < 1) { throw ValidationError("--gc-fraction must be between 0 and 1") }
    }

    func run() throws {
        var job = FigureJob(modelPath: model)
        job.input = try sequences.sequenceInput(); job.output = output.output; job.task = task
        job.positive = positive; job.negative = negative; job.truth = truth
        job.motifNames = motifNames.isEmpty ? nil : motifNames; job.motifFiles = motifs
        job.gcFraction = gcFraction; job.reference = try AttributionReference(parsing: reference)
        job.logoWindow = logoWindow; job.seed = seed.seed; job.threads = threads.resolved
        try job.run()
    }
}
