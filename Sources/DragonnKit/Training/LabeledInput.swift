/// Labels a tool needs (train, predict --evaluate); where sequences come from is `SequenceInput`.
public enum LabeledInput {
    /// Throws unless `set` has labels for `tasks` tasks (when given), all of them 0 or 1, and at
    /// least one sequence. `what` names the input in the message.
    public static func requireLabels(_ set: SequenceSet, what: String, tasks: Int? = nil) throws {
        guard set.count > 0 else { throw DragonnError(file: what, "no sequences") }
        guard let labels = set.labels, set.taskCount > 0 else {
            throw DragonnError(file: what, "no labels (give labels= tags, --labels TSV, --labels-npy, or --pos-sequences/--neg-sequences)")
        }
        if let tasks, tasks != set.taskCount {
            throw DragonnError(file: what, "\(set.taskCount) tasks, but the model has \(tasks)")
        }
        if let bad = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw DragonnError(file: what, "sequence '\(set.names[bad / set.taskCount])': label \(labels[bad]) is not 0 or 1")
        }
    }
}

extension SequenceSet {
    /// The sequences at `indices`, in that order.
    public func subset(_ indices: [Int]) -> SequenceSet {
        let L = length, T = taskCount
        var codes = [UInt8]()
        codes.reserveCapacity(indices.count * L)
        var picked: [Float]? = labels == nil ? nil : []
        for i in indices {
            codes += self.codes[(i * L)..<((i + 1) * L)]
            if let labels { picked! += labels[(i * T)..<((i + 1) * T)] }
        }
        return SequenceSet(names: indices.map { names[$0] }, length: L, codes: codes, labels: picked,
                           taskNames: taskNames, regions: indices.map { regions[$0] })
    }
}
