import Foundation

/// Runs a model over sequences batch by batch, so any number of them is predicted in bounded
/// memory: each batch is read, scored and written before the next is read.
public struct PredictionStream {
    public let model: SequenceDNN
    /// Sequences per batch (the memory bound: batchSize × length bytes of codes).
    public var batchSize: Int = 4096
    public var threads: Int = 1
    /// Write logits instead of probabilities.
    public var logits = false
    /// Keep labels and logits of every sequence (for `--evaluate`).
    public var collect = false

    /// Labels and logits kept when `collect` is set, `[sequence][task]`.
    public private(set) var collectedLabels: [Float] = []
    public private(set) var collectedLogits: [Float] = []
    /// The task-0 probability of every sequence with a genomic position (for a bedGraph).
    public private(set) var regionScores: [RegionScore] = []
    /// Whether to keep `regionScores`.
    public var collectRegions = false
    /// Sequences predicted so far.
    public private(set) var count = 0

    public init(model: SequenceDNN) { self.model = model }

    /// The TSV header: `name` and the model's task names.
    public var header: String { "name\t" + model.architecture.taskNames.joined(separator: "\t") + "\n" }

    /// Predicts every sequence of `reader`, writing `name<TAB>value...` rows to `output` (when
    /// given). `fixedLabels` overrides the input's labels (DragoNN's positive/negative files).
    /// Throws when lengths differ from the model's or labels are needed but absent.
    public mutating func run(_ reader: SequenceBatchReader, output: OutputFile?, fixedLabel: Float? = nil) throws {
        let arch = model.architecture
        let L = arch.seqLength, T = arch.numTasks
        while let batch = try reader.next(maxCount: batchSize) {
            guard batch.length == L else {
                throw DragonnError(file: reader.path, "sequences have \(batch.length) bases but the model was trained on \(L)")
            }
            let z = model.logits(codes: batch.codes, count: batch.count, threads: threads)
            if collect {
                if let fixedLabel {
                    collectedLabels += [Float](repeating: fixedLabel, count: batch.count * T)
                } else {
                    try LabeledInput.requireLabels(batch, what: reader.path, tasks: T)
                    collectedLabels += batch.labels!
                }
                collectedLogits += z
            }
            if collectRegions {
                for i in 0..<batch.count {
                    guard let r = batch.regions[i] else {
                        throw DragonnError(file: reader.path, "sequence '\(batch.names[i])' has no genomic position for the bedGraph (use --regions, or chrom:start-end names)")
                    }
                    regionScores.append(RegionScore(region: r, value: SigmoidCrossEntropy.sigmoid(z[i * T])))
                }
            }
            if let output {
                var text = ""
                text.reserveCapacity(batch.count * (16 + 12 * T))
                for i in 0..<batch.count {
                    text += batch.names[i]
                    for t in 0..<T {
                        let v = logits ? z[i * T + t] : SigmoidCrossEntropy.sigmoid(z[i * T + t])
                        text += "\t"
                        text += v.description
                    }
                    text += "\n"
                }
                try output.write(text)
            }
            count += batch.count
        }
    }
}

/// One region's score for a bedGraph track.
public struct RegionScore: Sendable {
    public var region: GenomicRegion
    public var value: Float
    public init(region: GenomicRegion, value: Float) { self.region = region; self.value = value }
}

/// Writes one value per region as a bedGraph: sorted by chromosome (byte order) then start,
/// overlaps removed (where regions overlap, the one that starts first keeps the shared bases),
/// a `track` line first. A `.gz` path is written BGZF with a tabix index beside it.
public func writeRegionBedGraph(path: String, scores: [RegionScore], trackName: String) throws {
    let order = scores.indices.sorted {
        let a = scores[$0].region, b = scores[$1].region
        if a.chrom != b.chrom { return a.chrom.utf8.lexicographicallyPrecedes(b.chrom.utf8) }
        return a.start != b.start ? a.start < b.start : $0 < $1
    }
    let out = try OutputFile(path: path)
    try out.write("track type=bedGraph name=\"\(trackName)\"\n")
    var text = "", chrom = "", covered = Int.min
    for i in order {
        let r = scores[i].region
        if r.chrom != chrom { chrom = r.chrom; covered = Int.min }
        let start = max(r.start, covered)
        guard start < r.end else { continue }
        text += "\(r.chrom)\t\(start)\t\(r.end)\t\(scores[i].value)\n"
        covered = r.end
        if text.utf8.count > 1 << 20 { try out.write(text); text = "" }
    }
    try out.write(text)
    try out.commit()
    if path != "-" && path.hasSuffix(".gz") {
        do { try buildTabixIndex(path: path, skipLines: 1) } catch { unlink(path); throw error }
    }
}
