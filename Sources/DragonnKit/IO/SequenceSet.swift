/// A batch of equal-length sequences as base codes, with optional labels and genomic origins:
/// what train, predict and attrib take as input.
public struct SequenceSet: Sendable {
    /// Sequence names, in tensor order.
    public var names: [String]
    /// Bases per sequence (L).
    public var length: Int
    /// Base codes (A0 C1 G2 T3, other 4), `[N][L]` row-major.
    public var codes: [UInt8]
    /// 0/1 labels `[N][T]` row-major, or nil when the input had none.
    public var labels: [Float]?
    /// Task names (T of them; empty without labels).
    public var taskNames: [String]
    /// Genomic coordinates of each sequence's columns 0..<L when known (regions of a genome or
    /// `chrom:start-end` names), else nil.
    public var regions: [GenomicRegion?]

    public init(names: [String], length: Int, codes: [UInt8], labels: [Float]? = nil,
                taskNames: [String] = [], regions: [GenomicRegion?]? = nil) {
        precondition(codes.count == names.count * length, "codes must hold N*L values")
        precondition(labels == nil || labels!.count == names.count * taskNames.count, "labels must hold N*T values")
        self.names = names; self.length = length; self.codes = codes
        self.labels = labels; self.taskNames = taskNames
        self.regions = regions ?? Array(repeating: nil, count: names.count)
    }

    /// An empty set of sequences of `length` bases.
    public init(length: Int, taskNames: [String] = [], hasLabels: Bool = false) {
        self.init(names: [], length: length, codes: [], labels: hasLabels ? [] : nil, taskNames: taskNames)
    }

    /// Number of sequences (N).
    public var count: Int { names.count }
    /// Number of tasks (T).
    public var taskCount: Int { taskNames.count }

    /// Base codes of sequence `i`.
    public func codes(at i: Int) -> ArraySlice<UInt8> { codes[(i * length)..<((i + 1) * length)] }

    /// Labels of sequence `i` (nil without labels).
    public func labels(at i: Int) -> ArraySlice<Float>? {
        labels.map { $0[(i * taskCount)..<((i + 1) * taskCount)] }
    }

    /// Appends the sequences of `other` (same length and tasks).
    public mutating func append(_ other: SequenceSet) {
        precondition(other.length == length || other.count == 0, "appending sequences of another length")
        names += other.names
        codes += other.codes
        regions += other.regions
        if labels != nil, let more = other.labels { labels! += more }
    }

    /// This set followed by the reverse complement of every sequence (names get `_rc`, labels and
    /// regions are repeated): DragoNN's strand augmentation.
    public func appendingReverseComplements() -> SequenceSet {
        var out = self
        out.names += names.map { $0 + "_rc" }
        out.codes.reserveCapacity(codes.count * 2)
        var rc = [UInt8](repeating: 0, count: codes.count)
        codes.withUnsafeBufferPointer { src in
            rc.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    reverseComplementCodes(UnsafeBufferPointer(rebasing: src[(i * length)..<((i + 1) * length)]),
                                           into: dst.baseAddress! + i * length)
                }
            }
        }
        out.codes += rc
        out.regions += regions
        if let labels { out.labels = labels + labels }
        return out
    }

    /// One-hot float tensor `[N][4][L]` (`ncl`) or `[N][L][4]` (`nlc`).
    public func oneHotFloat(layout: OneHotLayout = .ncl) -> [Float] {
        var out = [Float](repeating: 0, count: count * 4 * length)
        let L = length
        codes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    oneHot(UnsafeBufferPointer(rebasing: src[(i * L)..<((i + 1) * L)]), layout: layout,
                           into: dst.baseAddress! + i * 4 * L)
                }
            }
        }
        return out
    }

    // MARK: loaders

    /// Loads every sequence of a FASTA/FASTQ file (`-` = stdin), labels from `labels=` tags or from
    /// the TSV at `labelsPath`; `fixedLength` trims/pads to one length, otherwise all sequences
    /// must have the same length.
    public static func load(fasta path: String, labelsPath: String? = nil,
                            fixedLength: FixedLength? = nil) throws -> SequenceSet {
        try SequenceBatchReader(fasta: path, labelsPath: labelsPath, fixedLength: fixedLength).readAll()
    }

    /// Loads a one-hot `.npy` (`[N,4,L]` or `[N,L,4]`, uint8 or float32), labels from a `[N,T]`
    /// (or `[N]`) `.npy`, names from a text file (one a line) or `seq0`, `seq1`, ...
    public static func load(npy path: String, layout: OneHotLayout? = nil, labelsPath: String? = nil,
                            namesPath: String? = nil) throws -> SequenceSet {
        try SequenceBatchReader(npy: path, layout: layout, labelsPath: labelsPath, namesPath: namesPath).readAll()
    }

    /// Loads the regions of a BED file from a genome (faidx), recentred to `length` when given;
    /// names are `chrom:start-end`. Labels from a TSV keyed by that name or by the BED name column.
    public static func load(regions bedPath: String, genome genomePath: String, length: Int? = nil,
                            labelsPath: String? = nil) throws -> SequenceSet {
        try SequenceBatchReader(regions: bedPath, genome: genomePath, length: length, labelsPath: labelsPath).readAll()
    }
}

/// How sequences of other lengths are fitted to one length L.
public enum TrimMode: String, CaseIterable, Sendable {
    /// Keep the central L bases (pad equally on both sides).
    case center
    /// Keep the first L bases (pad on the right).
    case left
}

/// A fixed sequence length and how to reach it: longer sequences are trimmed; shorter ones are
/// padded with all-zero columns only when `pad` is set, otherwise they are an error.
public struct FixedLength: Sendable, Equatable {
    public var length: Int
    public var trim: TrimMode
    public var pad: Bool
    public init(length: Int, trim: TrimMode = .center, pad: Bool = false) {
        self.length = length; self.trim = trim; self.pad = pad
    }
}
