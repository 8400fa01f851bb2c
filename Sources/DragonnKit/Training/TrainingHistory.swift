import Foundation

/// What one epoch of training measured.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    /// Wall time of the epoch's optimisation steps (evaluation excluded).
    public var seconds: Double
    public var train: [TaskMetrics]
    public var valid: [TaskMetrics]

    public init(epoch: Int, seconds: Double, train: [TaskMetrics], valid: [TaskMetrics]) {
        self.epoch = epoch; self.seconds = seconds; self.train = train; self.valid = valid
    }
}

/// The epochs trained so far, the test results of the best model, and the files derived from them.
public struct TrainingHistory: Codable, Equatable, Sendable {
    public var epochs: [EpochRecord] = []
    public var test: [TaskMetrics]?
    public var bestEpoch: Int?

    public init() {}

    /// `PREFIX.metrics.tsv`: one row per epoch, split and task (the test split, if any, last,
    /// on the best epoch's model); `best` is 1 on the best epoch's rows. `measured_on` says which
    /// model gave a row's metrics: `epoch-passes` (train rows: the epoch's own forward passes,
    /// dropout on, the model changing batch by batch, as Keras reports them), `epoch-end`
    /// (valid rows: the model after the epoch) or `best-model` (the test row).
    public func metricsTSV() -> String {
        var out = "epoch\tsplit\ttask\t\(TaskMetrics.tsvHeader)\tseconds\tmeasured_on\tbest\n"
        for record in epochs {
            let best = record.epoch == bestEpoch ? 1 : 0
            for (split, metrics, source) in [("train", record.train, "epoch-passes"), ("valid", record.valid, "epoch-end")] {
                for m in metrics {
                    out += "\(record.epoch)\t\(split)\t\(m.task)\t\(m.tsvFields)\t\(String(format: "%.3f", record.seconds))\t\(source)\t\(best)\n"
                }
            }
        }
        if let test, let bestEpoch {
            for m in test { out += "\(bestEpoch)\ttest\t\(m.task)\t\(m.tsvFields)\tnan\tbest-model\t1\n" }
        }
        return out
    }

    /// The learning curve (task-averaged loss and auROC by epoch).
    public func learningCurve(title: String) -> LearningCurve {
        LearningCurve(epochs: epochs.map(\.epoch),
                      trainLoss: epochs.map { $0.train.meanLoss }, validLoss: epochs.map { $0.valid.meanLoss },
                      trainAuROC: epochs.map { $0.train.meanAuROC }, validAuROC: epochs.map { $0.valid.meanAuROC },
                      bestEpoch: bestEpoch, title: title)
    }

    /// JSON for a checkpoint (NaN and infinities spelled as strings, which JSON lacks).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(self)
    }

    /// Reads what `jsonData` wrote.
    public static func from(json: Data) throws -> TrainingHistory {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(TrainingHistory.self, from: json)
    }
}
