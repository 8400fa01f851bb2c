/// Where a tool's sequences (and their labels) come from, in the forms train and predict accept:
/// FASTA/FASTQ with `labels=` tags or a `--labels` TSV, a one-hot `.npy` with a labels `.npy`,
/// or DragoNN's pair of positive and negative FASTA files.
public enum LabeledInput {
    /// True when `path` names a NumPy array (by its `.npy` suffix).
    public static func isNpy(_ path: String) -> Bool { path.hasSuffix(".npy") }

    /// A batch reader for `path` (`-` = stdin, always read as FASTA/FASTQ).
    public static func reader(path: String, labelsTSV: String? = nil, labelsNpy: String? = nil) throws -> SequenceBatchReader {
        if isNpy(path) {
            if labelsTSV != nil {
                throw DragonnError(file: path, "a .npy input takes its labels from --labels-npy, not a labels TSV")
            }
            return try SequenceBatchReader(npy: path, labelsPath: labelsNpy)
        }
        if labelsNpy != nil {
            throw DragonnError(file: path, "--labels-npy goes with a .npy input; FASTA input takes labels= tags or --labels")
        }
        return try SequenceBatchReader(fasta: path, labelsPath: labelsTSV)
    }

    /// Every sequence of `path` (see `reader`).
    public static func load(path: String, labelsTSV: String? = nil, labelsNpy: String? = nil) throws -> SequenceSet {
        try reader(path: path, labelsTSV: labelsTSV, labelsNpy: labelsNpy).readAll()
    }

    /// DragoNN's `--pos-sequences/--neg-sequences`: one task (`task0`), label 1 for every
    /// sequence of `positives`, 0 for every sequence of `negatives` (tags in them are ignored).
    public static func load(positives: String, negatives: String) throws -> SequenceSet {
        let pos = try SequenceBatchReader(fasta: positives).readAll()
        let neg = try SequenceBatchReader(fasta: negatives).readAll()
        if pos.count > 0 && neg.count > 0 && pos.length != neg.length {
            throw DragonnError(file: negatives, "sequences have \(neg.length) bases but those of \(positives) have \(pos.length)")
        }
        let length = pos.count > 0 ? pos.length : neg.length
        return SequenceSet(names: pos.names + neg.names, length: length, codes: pos.codes + neg.codes,
                           labels: [Float](repeating: 1, count: pos.count) + [Float](repeating: 0, count: neg.count),
                           taskNames: defaultTaskNames(1), regions: pos.regions + neg.regions)
    }

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
