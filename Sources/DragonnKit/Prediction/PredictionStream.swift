import Dispatch
import Foundation

/// Runs a model over sequences batch by batch, so any number of them is predicted in bounded
/// memory: each batch is scored and written while the next is read (at most two in memory).
public struct PredictionStream {
    public let model: SequenceDNN
    /// Sequences per batch (the memory bound: two batches, the one scored and the one read ahead,
    /// of batchSize × length bytes of codes each).
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
    /// given). Throws when lengths differ from the model's or labels are needed but absent.
    public mutating func run(_ reader: SequenceBatchReader, output: OutputFile?) throws {
        let arch = model.architecture
        let L = arch.seqLength, T = arch.numTasks
        // The next batch is read and parsed on another thread while this one is scored: reading
        // is serial and would otherwise leave the other cores idle between batches.
        // The first batch is small: nothing else runs while it is read.
        let ahead = BatchPrefetch(reader: reader)
        defer { ahead.finish() }
        ahead.start(maxCount: min(batchSize, 256))
        while let batch = try ahead.take() {
            ahead.start(maxCount: batchSize)
            guard batch.length == L else {
                throw DragonnError(file: reader.path, "sequences have \(batch.length) bases but the model was trained on \(L)")
            }
            let z = model.logits(codes: batch.codes, count: batch.count, threads: threads)
            if collect {
                try LabeledInput.requireLabels(batch, what: reader.path, tasks: T)
                collectedLabels += batch.labels!
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

/// Reads the next batch of a reader on a worker thread. `start` and `take` alternate (one read
/// in flight at most), so the reader is only ever used by one thread at a time; the semaphore
/// orders its writes before `take`'s reads.
private final class BatchPrefetch: @unchecked Sendable {
    let reader: SequenceBatchReader
    private var result: Result<SequenceSet?, Error>?
    private let done = DispatchSemaphore(value: 0)
    private var inFlight = false

    init(reader: SequenceBatchReader) { self.reader = reader }

    /// Starts reading the next batch of at most `maxCount` sequences.
    func start(maxCount: Int) {
        inFlight = true
        DispatchQueue.global().async {
            self.result = Result { try self.reader.next(maxCount: maxCount) }
            self.done.signal()
        }
    }

    /// The batch the last `start` read (nil at the end); rethrows its error.
    func take() throws -> SequenceSet? {
        finish()
        defer { result = nil }
        return try result!.get()
    }

    /// Waits for a read in flight (before the reader is used or released elsewhere).
    func finish() {
        if inFlight { done.wait(); inFlight = false }
    }
}

/// One region's score for a bedGraph track.
public struct RegionScore: Sendable {
    public var region: GenomicRegion
    public var value: Float
    public init(region: GenomicRegion, value: Float) { self.region = region; self.value = value }
}
