import ArgumentParser

extension OneHotLayout: ExpressibleByArgument {}
extension TrimMode: ExpressibleByArgument {}

/// How tools that read sequences take them: FASTA/FASTQ (with `labels=` tags or `--labels`), a
/// one-hot `.npy`, or `--regions BED --genome FASTA`; `--length/--trim/--pad` fit lengths.
/// Tools add their own positional input and call `batchReader(input:)`.
public struct SequenceInputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Labels table: TSV with a header row 'name<TAB>task...' and one 0/1 row per sequence (default: the labels= header tags).",
        valueName: "tsv"))
    public var labels: String?

    @Option(name: .long, help: ArgumentHelp(
        "Fixed sequence length: longer sequences are trimmed (see --trim), regions are recentred on their midpoint.",
        valueName: "n"))
    public var length: Int?

    @Option(name: .long, help: ArgumentHelp("Which bases a longer sequence keeps: center or left (the first L).", valueName: "mode"))
    public var trim: TrimMode = .center

    @Flag(name: .long, help: "Pad sequences shorter than --length with all-zero columns (placed as --trim says) instead of failing.")
    public var pad = false

    @Option(name: .long, help: ArgumentHelp("BED file of regions to read from --genome (names become chrom:start-end).", valueName: "bed"))
    public var regions: String?

    @Option(name: .long, help: ArgumentHelp(
        "Reference genome FASTA (plain or bgzip); its .fai index is built when missing.", valueName: "fasta"))
    public var genome: String?

    public init() {}

    public func validate() throws {
        if let length, length <= 0 { throw ValidationError("--length must be positive.") }
        if (regions == nil) != (genome == nil) { throw ValidationError("--regions and --genome go together.") }
        if pad && length == nil { throw ValidationError("--pad needs --length.") }
        if pad && regions != nil { throw ValidationError("--pad does not apply to --regions: regions are recentred to --length.") }
    }

    /// A batch reader over `input` (FASTA/FASTQ path or `-`, or a `.npy`), or over the regions.
    public func batchReader(input: String?) throws -> SequenceBatchReader {
        if let regions, let genome {
            if let input, input != "-" {
                throw DragonnError("give either an input file or --regions/--genome, not both")
            }
            return try SequenceBatchReader(regions: regions, genome: genome, length: length, labelsPath: labels)
        }
        let path = input ?? "-"
        if path.hasSuffix(".npy") {
            if length != nil { throw DragonnError(file: path, "--length does not apply to a .npy input") }
            if labels != nil { throw DragonnError(file: path, "labels for a .npy input come from a labels .npy") }
            return try SequenceBatchReader(npy: path)
        }
        return try SequenceBatchReader(fasta: path, labelsPath: labels,
                                       fixedLength: length.map { FixedLength(length: $0, trim: trim, pad: pad) })
    }
}
