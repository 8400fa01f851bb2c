/// Where a tool's sequences come from, and how they are fitted to one length: the one place that
/// decides which combinations make sense (every tool that reads sequences goes through it).
///
/// - a FASTA/FASTQ file (plain, gzip, BGZF; `-` = stdin), labels from `labels=` header tags or a
///   labels TSV; `length` trims longer sequences (`trim`) and, with `pad`, pads shorter ones;
/// - a one-hot `.npy` (`[N,4,L]` or `[N,L,4]`), labels from a labels `.npy`;
/// - the regions of a BED file cut from a genome, recentred to `length` (or the length the
///   caller gives, e.g. a model's), labels from a TSV keyed by `chrom:start-end` or the name column;
/// - DragoNN's pair of positive and negative FASTA files: one task, labels 1 and 0.
public struct SequenceInput: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case file(String)
        case regions(bed: String, genome: String)
        case pair(positives: String, negatives: String)
    }

    public var source: Source
    /// Labels TSV (`name<TAB>task...`, header row).
    public var labels: String?
    /// Labels `.npy` (`[N]` or `[N, tasks]`) for a `.npy` input.
    public var labelsNpy: String?
    public var length: Int?
    /// Which bases a longer sequence keeps (default: the centre).
    public var trim: TrimMode?
    public var pad: Bool

    /// An input read from `source`, with the labels and length settings given.
    public init(_ source: Source, labels: String? = nil, labelsNpy: String? = nil, length: Int? = nil,
                trim: TrimMode? = nil, pad: Bool = false) {
        self.source = source; self.labels = labels; self.labelsNpy = labelsNpy
        self.length = length; self.trim = trim; self.pad = pad
    }

    /// True for a `.npy` file (by its suffix).
    public var isNpy: Bool {
        if case .file(let path) = source { return path.hasSuffix(".npy") }
        return false
    }

    /// The file that errors about the sequences name (the BED for regions, the positives of a pair).
    public var name: String {
        switch source {
        case .file(let path): return path
        case .regions(let bed, _): return bed
        case .pair(let positives, _): return positives
        }
    }

    /// Every file read (for the check that no output overwrites an input).
    public var paths: [String] {
        var out: [String]
        switch source {
        case .file(let path): out = [path]
        case .regions(let bed, let genome): out = [bed, genome, genome + ".fai", genome + ".gzi"]
        case .pair(let positives, let negatives): out = [positives, negatives]
        }
        return out + [labels, labelsNpy].compactMap { $0 }
    }

    /// Throws a one-line message for combinations that do not apply.
    public func validate() throws {
        if let length, length <= 0 { throw DragonnError("--length must be positive") }
        if pad && length == nil { throw DragonnError("--pad needs --length") }
        if trim != nil && length == nil { throw DragonnError("--trim needs --length") }
        switch source {
        case .file(let path) where isNpy:
            if length != nil || pad || trim != nil { throw DragonnError(file: path, "--length, --trim and --pad do not apply to a .npy input") }
            if labels != nil { throw DragonnError(file: path, "a .npy input takes its labels from --labels-npy, not a labels TSV") }
        case .file(let path):
            if labelsNpy != nil { throw DragonnError(file: path, "--labels-npy goes with a .npy input; FASTA input takes labels= tags or --labels") }
        case .regions:
            if pad { throw DragonnError("--pad does not apply to --regions: regions are recentred to --length") }
            if trim != nil { throw DragonnError("--trim does not apply to --regions: regions are recentred to --length") }
            if labelsNpy != nil { throw DragonnError("--labels-npy goes with a .npy input, not --regions") }
        case .pair:
            if labels != nil || labelsNpy != nil {
                throw DragonnError("--pos-sequences/--neg-sequences are labelled 1 and 0; --labels and --labels-npy do not apply")
            }
        }
    }

    /// A reader over the sequences; regions are recentred to `length`, or to `regionLength` when
    /// no length was given (a model's sequence length).
    public func reader(regionLength: Int? = nil) throws -> SequenceBatchReader {
        try validate()
        let fixed = length.map { FixedLength(length: $0, trim: trim ?? .center, pad: pad) }
        switch source {
        case .file(let path) where isNpy:
            return try SequenceBatchReader(npy: path, labelsPath: labelsNpy)
        case .file(let path):
            return try SequenceBatchReader(fasta: path, labelsPath: labels, fixedLength: fixed)
        case .regions(let bed, let genome):
            return try SequenceBatchReader(regions: bed, genome: genome, length: length ?? regionLength, labelsPath: labels)
        case .pair(let positives, let negatives):
            return try SequenceBatchReader(positives: positives, negatives: negatives, fixedLength: fixed)
        }
    }

    /// Every sequence (see `reader`).
    public func readAll(regionLength: Int? = nil) throws -> SequenceSet {
        try reader(regionLength: regionLength).readAll()
    }
}
