import Foundation

/// Everything `dragonn-attrib figure` does: pick a positive and a negative sequence (by name, or
/// the most confident of each class), compute their motif scores, ISM, DeepLIFT and gradient ×
/// input on one task's logit, and write the `InterpretationFigure` SVG.
public struct FigureJob {
    public var modelPath: String
    public var input = SequenceInput(.file("-"))
    /// The SVG (`-` = stdout).
    public var output = "-"
    /// Task name or index; nil = the first task.
    public var task: String?
    /// Sequence names; nil = the labelled-positive sequence with the highest predicted
    /// probability, and the labelled-negative one with the lowest (any sequence when the input
    /// has no labels).
    public var positive: String?
    public var negative: String?
    /// Embedded motifs BED (dragonn-sim --bed): boxed on every row.
    public var truth: String?
    /// Motifs of the score row; nil = the motifs named in `truth`, else TAL1_known4 (the tutorial's).
    public var motifNames: [String]?
    /// Extra motif files besides the bundled collection.
    public var motifFiles: [String] = []
    /// GC fraction of the i.i.d. background the log-odds are taken against (the simulations' 0.4).
    public var gcFraction = 0.4
    public var reference: AttributionReference = .shuffles(20)
    public var logoWindow = 100
    public var seed: UInt64 = 1
    public var threads: Int = 1
    public init(modelPath: String) { self.modelPath = modelPath }

    /// Writes the figure; throws a one-line error (before writing anything) when inputs disagree.
    public func run() throws {
        let outputs = try OutputTransaction(inputs: [modelPath] + input.paths + [truth].compactMap { $0 } + motifFiles,
                                            outputs: [output])
        let model = try SequenceDNN.load(path: modelPath), arch = model.architecture
        let source = input.name
        let sequences = try input.reader(regionLength: arch.seqLength).readAll()
        guard sequences.count > 0 else { throw DragonnError(file: source, "no sequences") }
        guard sequences.length == arch.seqLength else {
            throw DragonnError(file: source, "sequences are \(sequences.length) bp but the model expects \(arch.seqLength) bp")
        }
        guard (1...100_000).contains(logoWindow) else { throw DragonnError("--logo-window must be between 1 and 100000") }
        guard gcFraction > 0, gcFraction < 1 else { throw DragonnError("--gc-fraction must be between 0 and 1") }
        let t = try arch.taskIndices(task ?? arch.taskNames[0])[0]
        let taskName = arch.taskNames[t], n = sequences.count, L = sequences.length
        let truthInstances = try truth.map { try TruthBED.instances(path: $0, names: sequences.names) } ?? []
        let names = motifNames ?? {
            var seen: [String] = []
            for m in truthInstances.map(\.motif) where !seen.contains(m) { seen.append(m) }
            return seen.isEmpty ? ["TAL1_known4"] : seen
        }()
        let collection = try MotifCollection.load(files: motifFiles)
        let pwms = try names.map { try collection.motif(named: $0) }

        let logits = model.logits(codes: sequences.codes, count: n, threads: threads)
        let probability = (0..<n).map { 1 / (1 + exp(-Double(logits[$0 * arch.numTasks + t]))) }
        let labels = sequences.labels.map { l in (0..<n).map { l[$0 * sequences.taskCount + t] } }
        func pick(_ name: String?, option: String, label: Float, best: (Double, Double) -> Bool) throws -> Int {
            if let name {
                guard let i = sequences.names.firstIndex(of: name) else {
                    throw DragonnError(file: source, "\(option) '\(name)' is not in the input")
                }
                return i
            }
            let candidates = (0..<n).filter { labels == nil || labels![$0] == label }
            guard var chosen = candidates.first else {
                throw DragonnError(file: source, "no sequence is labelled \(Int(label)) for task \(taskName); name one with \(option)")
            }
            for i in candidates where best(probability[i], probability[chosen]) { chosen = i }
            return chosen
        }
        let pos = try pick(positive, option: "--positive", label: 1, best: >)
        let neg = try pick(negative, option: "--negative", label: 0, best: <)
        guard pos != neg else {
            throw DragonnError(file: source, "the positive and the negative would be the same sequence '\(sequences.names[pos])'; name two with --positive and --negative")
        }

        let background = MotifScan.background(gcFraction: gcFraction)
        var columns: [FigureColumn] = []
        for (s, kind) in [(pos, "positive"), (neg, "negative")] {
            let codes = Array(sequences.codes(at: s))
            let caption = labels.map { "\(kind) (label \(Int($0[s])))" } ?? kind + " (by prediction)"
            // DeepLIFT seeded by the sequence's index, as `dragonn-attrib deeplift` seeds it.
            columns.append(FigureColumn(
                name: sequences.names[s], caption: caption, probability: probability[s], codes: codes,
                motifScores: zip(names, pwms).map { ($0, MotifScan.scoreTrack(pwm: $1, codes: codes, background: background)) },
                ism: inSilicoMutagenesis(model: model, codes: codes, count: 1, tasks: [t], threads: threads),
                deeplift: deepLift(model: model, codes: codes, count: 1, tasks: [t], reference: reference,
                                   seed: seed, threads: 1, firstIndex: s),
                gradient: inputGradient(model: model, codes: codes, count: 1, tasks: [t]),
                truth: truthInstances.filter { $0.sequence == sequences.names[s] }))
        }
        let modelName = ((modelPath as NSString).lastPathComponent as NSString).deletingPathExtension
        let figure = InterpretationFigure(title: "What \(modelName) learned: task \(taskName), \(L) bp",
                                          task: taskName, columns: columns, logoWindow: logoWindow)
        try outputs.open(output).write(figure.svg())
        try outputs.commit()
    }
}
