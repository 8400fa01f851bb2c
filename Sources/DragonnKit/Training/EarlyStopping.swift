/// The validation metric early stopping watches (`dragonn-train --stop-on`).
public enum StopMetric: String, Codable, CaseIterable, Sendable {
    /// Mean validation loss over tasks, lower is better (DragoNN's choice, the default).
    case loss
    /// Mean validation auROC over tasks, higher is better.
    case auroc
    /// Mean validation auPRC over tasks, higher is better.
    case auprc

    /// The watched value of an epoch's validation metrics (NaN when undefined).
    public func value(of metrics: [TaskMetrics]) -> Double {
        switch self {
        case .loss: return metrics.meanLoss
        case .auroc: return metrics.meanAuROC
        case .auprc: return metrics.isEmpty ? .nan : metrics.reduce(0) { $0 + $1.auPRC } / Double(metrics.count)
        }
    }

    /// Its name in report lines: loss, auROC, auPRC.
    public var label: String {
        switch self {
        case .loss: return "loss"
        case .auroc: return "auROC"
        case .auprc: return "auPRC"
        }
    }

    /// What counts as progress, for report lines: "lower validation loss", "higher validation auROC".
    public var improvement: String { (self == .loss ? "lower" : "higher") + " validation " + label }
}

/// Early stopping as DragoNN does it, on validation loss by default: an epoch whose watched
/// metric is at least as good as the best so far becomes the best (its model is the one kept);
/// training stops once `patience` epochs in a row have not improved on it.
public struct EarlyStopping: Codable, Equatable, Sendable {
    public let patience: Int
    /// The metric watched; nil in checkpoints written before `--stop-on` existed, which watched loss.
    private let watched: StopMetric?
    /// Best value of the watched metric so far (nil before the first finite one). The JSON key
    /// stays `bestLoss` so that older checkpoints still resume.
    public private(set) var best: Double?
    public private(set) var bestEpoch: Int?
    public private(set) var epochsWithoutImprovement = 0

    enum CodingKeys: String, CodingKey {
        case patience, watched = "metric", best = "bestLoss", bestEpoch, epochsWithoutImprovement
    }

    public init(patience: Int, metric: StopMetric = .loss) {
        self.patience = patience
        watched = metric
    }

    /// The metric watched.
    public var metric: StopMetric { watched ?? .loss }

    /// Records epoch `epoch`'s validation metric value; returns true when it is the new best
    /// (ties count as improvements, as DragoNN's `<=` on loss). A NaN never improves.
    public mutating func record(epoch: Int, value: Double) -> Bool {
        if value.isFinite, best.map({ metric == .loss ? value <= $0 : value >= $0 }) ?? true {
            best = value
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            return true
        }
        epochsWithoutImprovement += 1
        return false
    }

    /// Records an epoch's validation metrics (the watched one is taken from them).
    public mutating func record(epoch: Int, validation metrics: [TaskMetrics]) -> Bool {
        record(epoch: epoch, value: metric.value(of: metrics))
    }

    /// True once `patience` epochs have passed without a new best.
    public var shouldStop: Bool { epochsWithoutImprovement >= patience }
}

extension EarlyStopping {
    /// The state of `previous` with a (possibly different) patience, for resumed runs.
    public init(patience: Int, continuing previous: EarlyStopping) {
        self.init(patience: patience, metric: previous.metric)
        best = previous.best
        bestEpoch = previous.bestEpoch
        epochsWithoutImprovement = previous.epochsWithoutImprovement
    }
}
