import ArgumentParser
import DragonnCLI
import DragonnKit

extension DenseInit: ExpressibleByArgument {}

/// dragonn-train reads every form of sequence input (labels are required).
enum TrainInput: SequenceInputProfile {
    static let tool = "dragonn-train"
    static let features = InputFeatures.all
    static let inputHelp = "Training sequences: FASTA/FASTQ (plain, gzip or BGZF), a one-hot .npy, or '-' (or none) for stdin."
}

@main
struct DragonnTrain: DragonnTool {
    static let configuration = CommandConfiguration(
        commandName: "dragonn-train",
        abstract: "Train a SequenceDNN (DragoNN's convolutional model) on labelled DNA sequences.",
        discussion: """
        Input is FASTA/FASTQ (plain, gzip or BGZF; '-' or no INPUT reads stdin) whose headers carry \
        labels=1,0,... tags (as dragonn-sim writes them) or whose labels come from a --labels TSV \
        (name<TAB>task..., header row naming the tasks); a one-hot .npy from dragonn-encode with \
        --labels-npy; or DragoNN's --pos-sequences/--neg-sequences pair (one task). All sequences \
        must have the same length.

        Validation data come from --valid FILE (same forms) or a seeded random --valid-fraction of \
        the input. After every epoch the training and validation metrics are printed on stderr \
        (loss, balanced accuracy, auROC, auPRC, recall at 5/10/20% FDR, counts; per task), the \
        best epoch marked with '*' (-q prints only the first and last lines). Training stops \
        after --patience epochs without a better validation metric (--stop-on: loss, lower is \
        better, as in DragoNN; or auroc / auprc, higher is better, averaged over tasks); the best \
        model is the one kept.

        Architecture: SequenceDNN's defaults as DragoNN's tutorial documents them, one convolution \
        layer of 15 filters of width 15, max-pool 35, dropout 0. --num-filters alone gives every \
        layer width 15. --init MODEL starts from a saved model's parameters (fine tuning on new \
        data; a new run, unlike --resume): the architecture comes from that file, and any \
        --num-filters, --conv-width or --pool-width given must agree with it; --dropout and --L1 \
        default to the file's.

        Outputs: PREFIX.safetensors (the best model; loads into PyTorch, see the model-file \
        layout), PREFIX.metrics.tsv (one row per epoch, split and task), PREFIX.learning-curve.svg, \
        and PREFIX.checkpoint.safetensors, written after every epoch: --resume continues an \
        interrupted run and ends with the same model an uninterrupted run gives.

        Put INPUT before the list options (--num-filters 15 15 15 takes every number after it).

        Examples:
          dragonn-sim motif-density-localization | dragonn-train - -o tal1
          dragonn-train train.fa --valid valid.fa --test test.fa -o model --num-filters 15 --conv-width 10
          dragonn-train --pos-sequences pos.fa --neg-sequences neg.fa -o model --dropout 0.2
          dragonn-encode train.fa -o x.npy --labels-out y.npy && dragonn-train x.npy --labels-npy y.npy -o model
          dragonn-train train.fa -o model --resume
          dragonn-train new.fa -o tuned --init model.safetensors --learning-rate 1e-4 -q
        """,
        version: DragonnVersion.string)

    @OptionGroup var sequences: SequenceInputOptions<TrainInput>

    @Option(name: [.customShort("o"), .customLong("output"), .customLong("prefix")],
            help: ArgumentHelp("Prefix of the output files (PREFIX.safetensors, .metrics.tsv, .learning-curve.svg, .checkpoint.safetensors).", valueName: "prefix"), completion: .file())
    var prefix: String

    @Option(help: ArgumentHelp("Validation sequences (same forms as INPUT); otherwise --valid-fraction of INPUT is held out.", valueName: "file"), completion: .file())
    var valid: String?

    @Option(name: .customLong("valid-labels-npy"), help: ArgumentHelp("Labels .npy for a .npy --valid file.", valueName: "file"), completion: .file(extensions: ["npy"]))
    var validLabelsNpy: String?

    @Option(name: .customLong("valid-fraction"), help: ArgumentHelp("Fraction of INPUT held out for validation when --valid is not given (seeded).", valueName: "f"))
    var validFraction: Double = 0.2

    @Option(help: ArgumentHelp("Test sequences: the best model's metrics on them are printed and added to the metrics TSV.", valueName: "file"), completion: .file())
    var test: String?

    @Option(name: .customLong("test-labels-npy"), help: ArgumentHelp("Labels .npy for a .npy --test file.", valueName: "file"), completion: .file(extensions: ["npy"]))
    var testLabelsNpy: String?

    @Option(name: .customLong("num-filters"), parsing: .upToNextOption,
            help: ArgumentHelp("Filters of each convolution layer, one number per layer (default: 15, one layer).", valueName: "n"))
    var numFilters: [Int] = []

    @Option(name: .customLong("conv-width"), parsing: .upToNextOption,
            help: ArgumentHelp("Width of each convolution layer's filters (default: 15 for every layer).", valueName: "w"))
    var convWidth: [Int] = []

    @Option(name: .customLong("pool-width"), help: ArgumentHelp("Max-pool window (= stride) after the last convolution (default: 35).", valueName: "w"))
    var poolWidth: Int?

    @Option(help: ArgumentHelp("Dropout rate after each convolution, training only (default: 0).", valueName: "p"))
    var dropout: Double?

    @Option(name: .customLong("L1"), help: ArgumentHelp("L1 penalty on the convolution weights and biases (default: 0).", valueName: "x"))
    var l1: Double?

    @Option(help: ArgumentHelp("Maximum number of epochs.", valueName: "n"))
    var epochs: Int = 100

    @Option(help: ArgumentHelp("Stop after this many epochs without a lower validation loss.", valueName: "n"))
    var patience: Int = 5

    @Option(name: .customLong("dense-init"), help: ArgumentHelp("Dense-layer weights at the start: pytorch (uniform ±1/√inputs, the default: reaches a given validation auROC in fewer epochs) or he (He-normal, DragoNN's scale).", valueName: "he|pytorch"))
    var denseInit: DenseInit = .trainingDefault

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Sequences per Adam step.", valueName: "n"))
    var batchSize: Int = 128

    @Option(name: .customLong("learning-rate"), help: ArgumentHelp("Adam learning rate.", valueName: "x"))
    var learningRate: Double = 1e-3

    @Option(name: .customLong("stop-on"), help: ArgumentHelp("Validation metric early stopping watches: loss (lower is better), auroc or auprc (higher is better).", valueName: "metric"))
    var stopOn: StopMetric = .loss

    @Flag(help: "Continue the run whose checkpoint is PREFIX.checkpoint.safetensors (same data and settings; --epochs may grow).")
    var resume = false

    @Option(name: .customLong("init"), help: ArgumentHelp("Start from this model's parameters and architecture (fine tuning), not a random initialisation.", valueName: "model"))
    var initModel: String?

    @Flag(name: [.customShort("q"), .long], help: "Print only the first and last lines, not each epoch's metrics nor the progress line.")
    var quiet = false

    @OptionGroup var seed: SeedOption
    @OptionGroup var threads: ThreadsOption

    func run() throws {
        var config = TrainingConfiguration()
        config.epochs = epochs
        config.patience = patience
        config.batchSize = batchSize
        config.denseInit = denseInit
        config.learningRate = learningRate
        config.seed = seed.seed
        config.threads = threads.resolved
        config.stopOn = stopOn == .loss ? nil : stopOn

        var job = TrainingJob(configuration: config, input: try sequences.sequenceInput(), prefix: prefix)
        job.valid = valid
        job.validLabelsNpy = validLabelsNpy
        job.test = test
        job.testLabelsNpy = testLabelsNpy
        job.validFraction = validFraction
        job.resume = resume
        job.quiet = quiet
        job.initialModel = initModel
        job.architecture = ArchitectureOptions(numFilters: numFilters.isEmpty ? nil : numFilters,
                                               convWidth: convWidth.isEmpty ? nil : convWidth,
                                               poolWidth: poolWidth, dropout: dropout, L1: l1)
        // The progress line is redrawn in place on a terminal; report lines replace it.
        let line = ProgressLine(enabled: !quiet)
        try job.run(log: line.report, progress: line.isActive ? line.show : nil)
    }
}

extension StopMetric: ExpressibleByArgument {}
