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

    /// A job training on `input` with `configuration`, writing the files of `prefix`.
    public init(configuration: TrainingConfiguration, input: SequenceInput, prefix: String) {
        self.configuration = configuration
        self.input = input
        self.prefix = prefix
    }

    /// Trains; `log` receives the report lines, `progress` (when given) the per-batch line.
    public func run(log: @escaping (String) -> Void, progress: ((String) -> Void)? = nil) throws {
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
        try OutputTransaction.checkDistinct(inputs: ([input] + [validInput, testInput].compactMap { $0 }).flatMap(\.paths),
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
        training.log = log
        training.progress = progress
        try training.run(resume: resume)
    }
}
