/// Early stopping on validation loss, as DragoNN does it: an epoch whose loss is at most the
/// best so far becomes the best (its model is the one kept); training stops once `patience`
/// epochs in a row have not improved on it.
public struct EarlyStopping: Codable, Equatable, Sendable {
    public let patience: Int
    /// Lowest validation loss so far (nil before the first finite one).
    public private(set) var bestLoss: Double?
    public private(set) var bestEpoch: Int?
    public private(set) var epochsWithoutImprovement = 0

    public init(patience: Int) { self.patience = patience }

    /// Records epoch `epoch`'s validation loss; returns true when it is the new best.
    /// A NaN loss never improves.
    public mutating func record(epoch: Int, validationLoss loss: Double) -> Bool {
        if loss.isFinite, bestLoss.map({ loss <= $0 }) ?? true {
            bestLoss = loss
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            return true
        }
        epochsWithoutImprovement += 1
        return false
    }

    /// True once `patience` epochs have passed without a new best.
    public var shouldStop: Bool { epochsWithoutImprovement >= patience }
}

extension EarlyStopping {
    /// The state of `previous` with a (possibly different) patience, for resumed runs.
    public init(patience: Int, continuing previous: EarlyStopping) {
        self.init(patience: patience)
        bestLoss = previous.bestLoss
        bestEpoch = previous.bestEpoch
        epochsWithoutImprovement = previous.epochsWithoutImprovement
    }
}
