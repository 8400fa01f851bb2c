import Foundation
import DragonnKernels

/// The settings of a training run (DragoNN's names on the command line).
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    // SequenceDNN's defaults as DragoNN's tutorial documents them: one layer, 15 filters of width 15.
    public var numFilters: [Int] = [15]
    public var convWidth: [Int] = [15]
    public var poolWidth: Int = 35
    public var dropout: Double = 0
    public var L1: Double = 0
    /// How the dense layer's weights start (nil: `DenseInit.trainingDefault`; older checkpoints lack it).
    public var denseInit: DenseInit?
    public var epochs: Int = 100
    public var patience: Int = 5
    public var batchSize: Int = 128
    public var learningRate: Double = 1e-3
    public var seed: UInt64 = 1
    public var threads: Int = 1
    /// The validation metric early stopping watches; nil = loss (DragoNN's; older checkpoints lack it).
    public var stopOn: StopMetric?

    public init() {}

    /// The most epochs a run (or a checkpoint) may count, so epoch arithmetic cannot overflow.
    public static let maxEpochs = 1_000_000

    /// Throws a one-line message for settings that cannot train.
    public func validate() throws {
        guard (1...Self.maxEpochs).contains(epochs) else { throw DragonnError("--epochs must be in 1...\(Self.maxEpochs)") }
        guard patience >= 1 else { throw DragonnError("--patience must be at least 1") }
        guard batchSize >= 1 else { throw DragonnError("--batch-size must be at least 1") }
        guard learningRate > 0, learningRate.isFinite else { throw DragonnError("--learning-rate must be positive") }
    }

    /// The settings that must not change when a run is resumed. The epoch budget, patience,
    /// learning rate (e.g. lowered after a divergence) and thread count may; an unchanged
    /// learning rate and thread count give exactly the model of an uninterrupted run.
    func sameRun(as other: TrainingConfiguration) -> Bool {
        var a = self, b = other
        for c in [\TrainingConfiguration.epochs, \.patience, \.threads] as [WritableKeyPath<TrainingConfiguration, Int>] {
            a[keyPath: c] = 0; b[keyPath: c] = 0
        }
        a.learningRate = 0; b.learningRate = 0
        a.stopOn = a.stopOn ?? .loss; b.stopOn = b.stopOn ?? .loss
        return a == b
    }
}

/// Trains a SequenceDNN as DragoNN does, epoch by epoch: shuffled batches with Adam, training
/// and validation metrics after each epoch, early stopping on validation loss, the best model
/// kept. Writes `PREFIX.safetensors` (best model), `PREFIX.metrics.tsv`,
/// `PREFIX.learning-curve.svg` and `PREFIX.checkpoint.safetensors` (after every epoch; `resume`
/// continues from it with nothing lost: the same final model as an uninterrupted run).
public final class TrainingRun {
    public let configuration: TrainingConfiguration
    public let train: SequenceSet
    public let valid: SequenceSet
    public let test: SequenceSet?
    public let prefix: String
    /// Receives the per-epoch report lines (stderr in the tool).
    public var log: (String) -> Void = { _ in }
    /// Receives the progress text after each batch (the tool redraws it with `ProgressLine`; nil = no progress).
    public var progress: ((String) -> Void)?
    /// Report only the run's start and end, not each epoch (`dragonn-train -q`).
    public var quiet = false
    /// Parameters to start from instead of a random initialisation (`--init`, fine tuning); must
    /// have this run's architecture. Ignored on resume, whose checkpoint holds the parameters.
    public var initialModel: SequenceDNN?

    public var modelPath: String { prefix + ".safetensors" }
    public var metricsPath: String { prefix + ".metrics.tsv" }
    public var curvePath: String { prefix + ".learning-curve.svg" }
    public var checkpointPath: String { prefix + ".checkpoint.safetensors" }

    /// The files a run with `prefix` writes: model, metrics TSV, learning curve, checkpoint.
    public static func outputs(prefix: String) -> [String] {
        ["safetensors", "metrics.tsv", "learning-curve.svg", "checkpoint.safetensors"].map { prefix + "." + $0 }
    }

    public init(configuration: TrainingConfiguration, train: SequenceSet, valid: SequenceSet,
                test: SequenceSet?, prefix: String) throws {
        try configuration.validate()
        try LabeledInput.requireLabels(train, what: "training data")
        try LabeledInput.requireLabels(valid, what: "validation data", tasks: train.taskCount)
        if let test { try LabeledInput.requireLabels(test, what: "test data", tasks: train.taskCount) }
        for (set, what) in [(valid, "validation"), (test, "test")] {
            if let set, set.length != train.length {
                throw DragonnError("\(what) sequences have \(set.length) bases, training sequences \(train.length)")
            }
        }
        self.configuration = configuration
        self.train = train
        self.valid = valid
        self.test = test
        self.prefix = prefix
    }

    /// The model's shape for this data.
    public var architecture: Architecture {
        Architecture(seqLength: train.length, numFilters: configuration.numFilters, convWidth: configuration.convWidth,
                     poolWidth: configuration.poolWidth, numTasks: train.taskCount, taskNames: train.taskNames,
                     dropout: configuration.dropout, L1: configuration.L1)
    }

    /// A hash of the training and validation sequences and labels: resuming on other data is refused.
    lazy var dataFingerprint: String = {
        var h = FNV1a()
        for set in [train, valid] {
            set.codes.withUnsafeBytes { h.mix($0) }
            (set.labels ?? []).withUnsafeBytes { h.mix($0) }
            withUnsafeBytes(of: set.count) { h.mix($0) }
        }
        return String(h.value, radix: 16)
    }()

    /// Runs (or, with `resume`, continues) training; returns the history (test metrics of the
    /// best model included when a test set was given).
    @discardableResult
    public func run(resume: Bool) throws -> TrainingHistory {
        let arch = architecture
        try arch.validate()
        let lock = try PrefixLock(prefix: prefix)
        defer { lock.release() }
        let config = configuration
        let settings = AdamSettings(learningRate: config.learningRate)
        var trainer: Trainer
        var best: SequenceDNN?
        var stopping = EarlyStopping(patience: config.patience, metric: config.stopOn ?? .loss)
        var history = TrainingHistory()
        var firstEpoch = 1
        if resume {
            guard FileManager.default.fileExists(atPath: checkpointPath) else {
                throw DragonnError(file: checkpointPath, "no checkpoint to resume from")
            }
            let restored = try RunCheckpoint.read(path: checkpointPath, threads: config.threads)
            let c = restored.checkpoint
            guard restored.trainer.model.architecture == arch, c.configuration.sameRun(as: config) else {
                throw DragonnError(file: checkpointPath, "the checkpoint was made with other settings (architecture, dropout, L1, seed or batch size); resume with the same ones")
            }
            guard c.dataFingerprint == dataFingerprint else {
                throw DragonnError(file: checkpointPath, "the checkpoint was made on other training or validation data")
            }
            trainer = restored.trainer
            trainer.settings = settings
            best = restored.best
            history = c.history
            // Patience may be changed on resume; the count of epochs without improvement carries over.
            stopping = EarlyStopping(patience: config.patience, continuing: c.stopping)
            firstEpoch = c.epochsDone + 1
            log("Resuming after epoch \(c.epochsDone) (best epoch \(c.stopping.bestEpoch.map(String.init) ?? "none"))")
            if stopping.shouldStop {
                log("Training had already stopped early; nothing to do beyond rewriting the outputs")
                firstEpoch = Int.max
            }
        } else if let initialModel {
            guard initialModel.architecture == arch else {
                throw DragonnError("the initial model's architecture differs from this run's")
            }
            trainer = Trainer(model: initialModel.copy(), seed: config.seed, threads: config.threads, settings: settings)
        } else {
            let model = try SequenceDNN(architecture: arch, seed: config.seed, denseInit: config.denseInit ?? .trainingDefault)
            trainer = Trainer(model: model, seed: config.seed, threads: config.threads, settings: settings)
        }

        let T = train.taskCount
        let weights: [Float]? = T == 1 ? SigmoidCrossEntropy.classWeights(labels: train.labels!) : nil
        let trainLabels = train.labels!
        if firstEpoch <= config.epochs && firstEpoch != Int.max {
            log("Training on \(train.count) sequences of \(train.length) bp, validating on \(valid.count)"
                + (quiet ? "" : " (* = new best: \(stopping.metric.improvement))"))
        }
        var epoch = firstEpoch
        while epoch <= config.epochs {
            let started = Date()
            var shown = -1.0
            // The training metrics come from the epoch's own forward passes (as Keras reports
            // them): a second pass over the training set cost about 40% of an epoch.
            let epochLogits = FloatBuffer(train.count * T)
            do {
                // The engine counts epochs from 0 (shuffle stream and messages).
                try trainer.trainEpoch(codes: train.codes, labels: trainLabels, weights: weights, count: train.count,
                                       epoch: epoch - 1, batchSize: config.batchSize, logits: epochLogits.base) { done, total, meanLoss, seen in
                    guard let progress = self.progress, !self.quiet else { return }
                    // At most ten updates a second (and the last batch): a terminal is slow.
                    let elapsed = Date().timeIntervalSince(started)
                    guard elapsed - shown >= 0.1 || done == total else { return }
                    shown = elapsed
                    let rate = Double(seen) / max(elapsed, 1e-9)
                    progress(String(format: "epoch %d/%d  batch %d/%d  training loss %.4f  %.0f seq/s",
                                    epoch, config.epochs, done, total, meanLoss, rate))
                }
            } catch let e as DragonnError {
                // A NaN/infinite loss: nothing of this epoch is saved.
                let kept = epoch > 1 ? "\(checkpointPath) still holds epoch \(epoch - 1)" : "no checkpoint was written"
                throw DragonnError("\(e.description.components(separatedBy: ";").first!); \(kept) (try a lower --learning-rate)")
            }
            let seconds = Date().timeIntervalSince(started)
            let trainMetrics = TaskMetrics.evaluate(labels: trainLabels, logits: epochLogits.array, taskNames: train.taskNames)
            let validMetrics = evaluate(trainer.model, on: valid)
            if trainer.model.tensors().values.contains(where: { $0.values.contains { !$0.isFinite } }) {
                throw DragonnError("training diverged: parameters became NaN or infinite at epoch \(epoch); the checkpoint \(checkpointPath) holds epoch \(epoch - 1) (try a lower --learning-rate)")
            }
            let improved = stopping.record(epoch: epoch, validation: validMetrics)
            history.epochs.append(EpochRecord(epoch: epoch, seconds: seconds, train: trainMetrics, valid: validMetrics))
            history.bestEpoch = stopping.bestEpoch
            report(epoch: epoch, seconds: seconds, train: trainMetrics, valid: validMetrics, improved: improved)
            // An epoch's files (best model, reports, checkpoint) are one transaction: a run
            // stopped at any moment leaves them all at the same epoch.
            let outputs = try OutputTransaction()
            if improved {
                best = trainer.model.copy()
                try best!.save(path: modelPath, in: outputs, metadata: modelMetadata(epoch: epoch))
            }
            let done = epoch == config.epochs || stopping.shouldStop
            try writeReports(history, in: outputs)
            try RunCheckpoint(configuration: config, dataFingerprint: dataFingerprint, epochsDone: epoch,
                              stopping: stopping, history: history, finished: done)
                .write(path: checkpointPath, in: outputs, trainer: trainer, best: best)
            try outputs.commit()
            if stopping.shouldStop {
                log("Stopping early: no \(stopping.metric.improvement) in \(config.patience) epochs")
                break
            }
            epoch += 1
        }
        guard let bestModel = best, let bestEpoch = stopping.bestEpoch else {
            throw DragonnError("no epoch gave a finite validation loss; no model written")
        }
        let outputs = try OutputTransaction()
        if !FileManager.default.fileExists(atPath: modelPath) {
            try bestModel.save(path: modelPath, in: outputs, metadata: modelMetadata(epoch: bestEpoch))
        }
        log("Best epoch \(bestEpoch): validation \(stopping.metric.label) \(TaskMetrics.fixed(stopping.best ?? .nan, 4)); model written to \(modelPath)")
        if let test {
            let testMetrics = evaluate(bestModel, on: test)
            history.test = testMetrics
            for m in testMetrics { log("  test  \(T > 1 ? m.task + "  " : "")\(m.summary)") }
        } else {
            history.test = nil
        }
        try writeReports(history, in: outputs)
        try outputs.commit()
        return history
    }

    /// Metrics of `model` on `set` (no dropout).
    func evaluate(_ model: SequenceDNN, on set: SequenceSet) -> [TaskMetrics] {
        let logits = model.logits(codes: set.codes, count: set.count, threads: configuration.threads)
        return TaskMetrics.evaluate(labels: set.labels!, logits: logits, taskNames: set.taskNames)
    }

    func modelMetadata(epoch: Int) -> [String: String] {
        ["trained_by": "dragonn-train", "epoch": String(epoch), "seed": String(configuration.seed)]
    }

    func report(epoch: Int, seconds: Double, train: [TaskMetrics], valid: [TaskMetrics], improved: Bool) {
        if quiet { return }
        let rate = Double(self.train.count) / max(seconds, 1e-9)
        log(String(format: "Epoch %d: %.2f s, %.0f seq/s", epoch, seconds, rate))
        let multi = train.count > 1
        for m in train { log("  train  \(multi ? m.task + "  " : "")\(m.summary)") }
        for (i, m) in valid.enumerated() {
            log("  valid  \(multi ? m.task + "  " : "")\(m.summary)\(improved && i == valid.count - 1 ? " *" : "")")
        }
    }

    func writeReports(_ history: TrainingHistory, in outputs: OutputTransaction) throws {
        try outputs.open(metricsPath, compression: .none).write(history.metricsTSV())
        let name = URL(fileURLWithPath: prefix).lastPathComponent
        var curve = history.learningCurve(title: "\(name): \(architectureSummary)")
        let watched = configuration.stopOn ?? .loss
        curve.bestCriterion = (watched == .loss ? "lowest" : "highest") + " validation " + watched.label
        try outputs.open(curvePath, compression: .none).write(curve.svg())
    }

    var architectureSummary: String {
        let c = configuration
        var s = "filters \(c.numFilters.map(String.init).joined(separator: ",")), widths \(c.convWidth.map(String.init).joined(separator: ",")), pool \(c.poolWidth)"
        if c.dropout > 0 { s += ", dropout \(c.dropout)" }
        if c.L1 > 0 { s += ", L1 \(c.L1)" }
        return s
    }
}
