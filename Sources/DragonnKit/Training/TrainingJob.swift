/// The architecture options of `dragonn-train` as given on the command line (nil = not given),
/// resolved against DragoNN's defaults or against the model of `--init`.
public struct ArchitectureOptions: Sendable {
    public var numFilters: [Int]?
    public var convWidth: [Int]?
    public var poolWidth: Int?
    public var dropout: Double?
    public var L1: Double?

    public init(numFilters: [Int]? = nil, convWidth: [Int]? = nil, poolWidth: Int? = nil, dropout: Double? = nil, L1: Double? = nil) {
        self.numFilters = numFilters
        self.convWidth = convWidth
        self.poolWidth = poolWidth
        self.dropout = dropout
        self.L1 = L1
    }

    /// Width of every layer whose width is not given (SequenceDNN's default).
    public static let defaultConvWidth = 15

    /// Sets the architecture fields of `config`: given values, else (with no initial model)
    /// SequenceDNN's defaults (one layer of 15 filters; width 15 for each layer when only
    /// --num-filters is given; pool 35; dropout 0; L1 0), else the initial model's. Filters,
    /// widths and pool must agree with the initial model's (`source` names it in the error);
    /// dropout and L1 are training settings and may differ.
    public func apply(to config: inout TrainingConfiguration, initial: Architecture? = nil, source: String = "model") throws {
        if let initial {
            func agree<T: Equatable & CustomStringConvertible>(_ given: T?, _ has: T, _ option: String) throws {
                if let given, given != has {
                    throw DragonnError(file: source, "the initial model has \(option) \(has) but \(given) was given")
                }
            }
            try agree(numFilters.map(Self.spelled), Self.spelled(initial.numFilters), "--num-filters")
            try agree(convWidth.map(Self.spelled), Self.spelled(initial.convWidth), "--conv-width")
            try agree(poolWidth, initial.poolWidth, "--pool-width")
            config.numFilters = initial.numFilters
            config.convWidth = initial.convWidth
            config.poolWidth = initial.poolWidth
            config.dropout = dropout ?? initial.dropout
            config.L1 = L1 ?? initial.L1
        } else {
            let filters = numFilters ?? [15]
            config.numFilters = filters
            config.convWidth = convWidth ?? Array(repeating: Self.defaultConvWidth, count: filters.count)
            config.poolWidth = poolWidth ?? 35
            config.dropout = dropout ?? 0
            config.L1 = L1 ?? 0
        }
    }

    private static func spelled(_ values: [Int]) -> String { values.map(String.init).joined(separator: " ") }
}

/// Everything `dragonn-train` does: read the training data (and validation and test data, or a
/// seeded hold-out of the training data), then train (or resume) a `TrainingRun` writing
/// PREFIX.safetensors, .metrics.tsv, .learning-curve.svg and .checkpoint.safetensors.
public struct TrainingJob {
    public var configuration: TrainingConfiguration
    public var input: SequenceInput
    /// Validation and test files, read like `input` (its labels TSV and length settings).
    public var valid: String?
    public var validLabelsNpy: String?
    public var test: String?
    public var testLabelsNpy: String?
    /// Share of the input held out for validation when `valid` is nil (seeded).
    public var validFraction = 0.2
    public var prefix: String
    public var resume = false
    /// Only the run's first and last lines, not each epoch's report nor progress.
    public var quiet = false
    /// Warm start (`--init`): a model file whose parameters training starts from; the run takes
    /// its architecture (see `ArchitectureOptions.apply`).
    public var initialModel: String?
    /// Architecture options as the user gave them; nil = `configuration`'s fields as they are
    /// (then an initial model must have that architecture).
    public var architecture: ArchitectureOptions?

    /// A job training on `input` with `configuration`, writing the files of `prefix`.
    public init(configuration: TrainingConfiguration, input: SequenceInput, prefix: String) {
        self.configuration = configuration
        self.input = input
        self.prefix = prefix
    }

    /// Trains; `log` receives the report lines, `progress` (when given) the per-batch line.
    public func run(log: @escaping (String) -> Void, progress: ((String) -> Void)? = nil) throws {
        let initial = try initialModel.map { try SequenceDNN.load(path: $0) }
        var configuration = self.configuration
        try (architecture ?? ArchitectureOptions(numFilters: configuration.numFilters, convWidth: configuration.convWidth,
                                                 poolWidth: configuration.poolWidth, dropout: configuration.dropout, L1: configuration.L1))
            .apply(to: &configuration, initial: initial?.architecture, source: initialModel ?? "model")
        try configuration.validate()
        func alike(_ path: String, labelsNpy: String?) -> SequenceInput {
            var other = input
            other.source = .file(path)
            other.labelsNpy = labelsNpy
            return other
        }
        let validInput = valid.map { alike($0, labelsNpy: validLabelsNpy) }
        let testInput = test.map { alike($0, labelsNpy: testLabelsNpy) }
        // The checkpoint is read on --resume and rewritten: it is no input here.
        try OutputTransaction.checkDistinct(inputs: ([input] + [validInput, testInput].compactMap { $0 }).flatMap(\.paths)
                                                + [initialModel].compactMap { $0 },
                                            outputs: TrainingRun.outputs(prefix: prefix))
        var data = try input.readAll()
        try LabeledInput.requireLabels(data, what: input.name)

        let validSet: SequenceSet
        if let validInput {
            validSet = try validInput.readAll()
            try LabeledInput.requireLabels(validSet, what: validInput.name, tasks: data.taskCount)
        } else {
            guard validFraction > 0, validFraction < 1 else { throw DragonnError("--valid-fraction must be between 0 and 1 (or give --valid FILE)") }
            guard data.count >= 2 else { throw DragonnError(file: input.name, "too few sequences (\(data.count)) to hold some out for validation") }
            let split = DataSplit.holdOut(count: data.count, fraction: validFraction, seed: configuration.seed)
            validSet = data.subset(split.heldOut)
            data = data.subset(split.train)
        }
        let testSet = try testInput.map { try $0.readAll() }
        if let testInput, let testSet { try LabeledInput.requireLabels(testSet, what: testInput.name, tasks: data.taskCount) }

        let training = try TrainingRun(configuration: configuration, train: data, valid: validSet, test: testSet, prefix: prefix)
        if let initial, let initialModel {
            // Same layers, possibly other task names, dropout or L1: the run's architecture, the file's tensors.
            let a = initial.architecture
            guard a.seqLength == data.length else {
                throw DragonnError(file: initialModel, "the initial model takes \(a.seqLength) bp sequences but the training sequences are \(data.length) bp")
            }
            guard a.numTasks == data.taskCount else {
                throw DragonnError(file: initialModel, "the initial model has \(a.numTasks) task(s) but the training data have \(data.taskCount)")
            }
            training.initialModel = try SequenceDNN(architecture: training.architecture, tensors: initial.tensors(), source: initialModel)
        }
        training.quiet = quiet
        training.log = log
        training.progress = progress
        try training.run(resume: resume)
    }
}
