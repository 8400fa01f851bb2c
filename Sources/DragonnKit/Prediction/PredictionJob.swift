import Foundation

/// Everything `dragonn-predict` does: score sequences with a model, streaming, and write the
/// predictions TSV (or, with `evaluate`, the metrics TSV) and optionally a bedGraph of the task-0
/// probability of each region, as one transaction.
public struct PredictionJob {
    public var modelPath: String
    /// The sequences; regions are recentred to the model's length unless a length is given.
    public var input: SequenceInput
    /// Predictions (or metrics) TSV; `-` = stdout.
    public var output = "-"
    /// Write logits instead of probabilities.
    public var logits = false
    /// Write DragoNN's metrics per task instead of the predictions (needs labels).
    public var evaluate = false
    /// bedGraph of the task-0 probability per region (genomic coordinates).
    public var bedGraph: String?
    /// Start the bedGraph with a `track` line.
    public var trackLine = false
    public var batchSize = 4096
    public var threads = 1

    /// A job scoring `input` with the model at `modelPath` (other settings at their defaults).
    public init(modelPath: String, input: SequenceInput) {
        self.modelPath = modelPath
        self.input = input
    }

    /// Runs the job; `report` receives the metric summary lines (stderr in the tool).
    public func run(report: (String) -> Void) throws {
        guard batchSize >= 1 else { throw DragonnError("--batch-size must be at least 1") }
        let outputs = try OutputTransaction(inputs: [modelPath] + input.paths, outputs: [output] + [bedGraph].compactMap { $0 })
        let net = try SequenceDNN.load(path: modelPath)
        let arch = net.architecture
        let reader = try input.reader(regionLength: arch.seqLength)

        var stream = PredictionStream(model: net)
        stream.batchSize = batchSize
        stream.threads = threads
        stream.logits = logits
        stream.collect = evaluate
        stream.collectRegions = bedGraph != nil

        let out = try outputs.open(output)
        if !evaluate { try out.write(stream.header) }
        try stream.run(reader, output: evaluate ? nil : out)
        if evaluate {
            guard stream.count > 0 else { throw DragonnError(file: input.name, "no sequences") }
            let metrics = TaskMetrics.evaluate(labels: stream.collectedLabels, logits: stream.collectedLogits,
                                               taskNames: arch.taskNames)
            try out.write("task\t\(TaskMetrics.tsvHeader)\n")
            for m in metrics {
                try out.write("\(m.task)\t\(m.tsvFields)\n")
                report("\(metrics.count > 1 ? m.task + "  " : "")\(m.summary)")
            }
        }
        if let bedGraph {
            let scores = stream.regionScores
            let name = arch.taskNames.first ?? "task0"
            try writeBedGraph(path: bedGraph, in: outputs,
                              intervals: scores.indices.map {
                                  TrackInterval(chrom: scores[$0].region.chrom, start: scores[$0].region.start,
                                                end: scores[$0].region.end, valueIndex: $0, perBase: false)
                              },
                              values: scores.map(\.value), chromosomeOrder: reader.chromosomeOrder,
                              trackLine: trackLine ? "track type=bedGraph name=\"dragonn-predict \(name)\"" : nil)
        }
        try outputs.commit()
    }
}
