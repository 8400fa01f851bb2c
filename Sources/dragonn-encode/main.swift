import ArgumentParser
import DragonnCLI
import DragonnKit

/// What dragonn-encode reads: FASTA/FASTQ with labels (tags or TSV), regions of a genome, or a
/// positive and a negative file; lengths fitted with --length/--trim/--pad.
enum EncodeInput: SequenceInputProfile {
    static let tool = "dragonn-encode"
    static let features: InputFeatures = [.labels, .regions, .pair, .fit, .genomeAlone]
    static let inputHelp = "FASTA/FASTQ input (plain, gzip or BGZF; '-' or none = stdin)."
}

@main
struct DragonnEncode: DragonnTool {
    static let configuration = CommandConfiguration(
        commandName: "dragonn-encode",
        abstract: "One-hot encode DNA from FASTA/FASTQ or from BED regions of a genome into a NumPy .npy.",
        discussion: """
        Channels are A, C, G, T; N and every other code give an all-zero column; lower case is \
        accepted. The array is uint8 by default (--dtype float32 for PyTorch), shaped [N, 4, L] \
        (PyTorch layout) or [N, L, 4] with --layout nlc. Input is FASTA or FASTQ, plain, gzip or \
        BGZF, or '-' for stdin. All sequences must have one length, unless --length fixes it \
        (longer ones are trimmed, shorter ones need --pad). Writing to a file streams in bounded \
        memory; the outputs appear together when all is written, and nothing is left behind when \
        the input is bad.

        Examples:
          dragonn-encode seqs.fa.gz -o X.npy --labels-out y.npy --names-out names.txt
          zcat seqs.fa.gz | dragonn-encode - --layout nlc --dtype float32 -o X.npy
          dragonn-encode --regions peaks.bed --genome hg38.fa --length 1000 -o X.npy --names-out names.txt
          dragonn-encode reads.fq --length 100 --trim left --pad -o X.npy
          dragonn-encode --pos-sequences pos.fa --neg-sequences neg.fa -o X.npy --labels-out y.npy
          dragonn-encode --genome g.fa.gz --peaks tal1=tal1.narrowPeak --peaks gata=gata.bed.gz --length 1000 \\
            --valid-chroms chr8 --test-chroms chr9 -s 1 --split-prefix sets/g
          dragonn-train sets/g.train.fa.gz --valid sets/g.valid.fa.gz --test sets/g.test.fa.gz -o model

        Training sets from peaks (--genome with --peaks): one window of --length bp (default 1000) per \
        peak, centred on its summit (narrowPeak column 10, else the peak's centre); windows that fall off \
        a chromosome end, or touch the --exclude blacklist, are dropped and counted; windows at one place \
        are written once. Label rule: a window is positive for a task when a summit of that task's peaks \
        lies in its central --center-bp bp (from start + length/2 - center/2); negatives overlap no peak \
        of any task and are 0 for every task. Chromosomes of --valid-chroms and --test-chroms form those \
        splits, every other chromosome the training split, so no window is shared or overlaps across \
        splits; a split without listed chromosomes is not written. Negatives are found per split: \
        --neg-ratio times its positives. Records are '>chr:start-end labels=1,0' (0-based BED \
        coordinates, task order as the --peaks options), in genome order, one record a line; \
        shuffles are named 'chr:start-end_shuffleN'. The genome must be plain FASTA or BGZF (bgzip) with \
        its .fai (built when missing). The same --seed gives the same bytes; the summary on stderr gives \
        the counts per split and task and the mean GC of positives and negatives.
        """,
        version: DragonnVersion.string)

    @OptionGroup var sequences: SequenceInputOptions<EncodeInput>

    @OptionGroup var output: OutputOption

    @OptionGroup var peakOptions: PeakOptions

    @Option(name: .long, help: ArgumentHelp("Tensor layout: ncl = [N, 4, L], nlc = [N, L, 4].", valueName: "layout"))
    var layout: OneHotLayout = .ncl

    @Option(name: .long, help: ArgumentHelp("Element type: uint8 (default) or float32 (PyTorch's Conv1d refuses uint8 input: --dtype float32).", valueName: "type"))
    var dtype: NpyDType = .uint8

    @Option(name: .long, help: ArgumentHelp("Write the labels as a float32 [N, T] .npy.", valueName: "file"), completion: .file(extensions: ["npy"]))
    var labelsOut: String?

    @Option(name: .long, help: ArgumentHelp("Write the sequence names, one a line, in tensor order.", valueName: "file"), completion: .file())
    var namesOut: String?

    @Flag(name: .long, help: "Append the reverse complement of every sequence after all forward ones (names get _rc).")
    var reverseComplement = false

    func validate() throws {
        if peakOptions.isPeakMode {
            guard let genome = sequences.genome, !genome.isEmpty else { throw ValidationError("--peaks needs --genome.") }
            guard peakOptions.splitPrefix != nil else { throw ValidationError("--peaks needs --split-prefix (the outputs are PREFIX.SPLIT.fa.gz).") }
            let others: [(Bool, String)] = [
                (sequences.input != nil, "an INPUT file"), (sequences.labels != nil, "--labels"),
                (sequences.posSequences != nil || sequences.negSequences != nil, "--pos-sequences/--neg-sequences"),
                (sequences.trim != nil, "--trim"), (sequences.pad, "--pad"), (output.output != "-", "-o/--output"),
                (labelsOut != nil, "--labels-out"), (namesOut != nil, "--names-out"), (reverseComplement, "--reverse-complement"),
                (layout != .ncl, "--layout"), (dtype != .uint8, "--dtype"),
            ]
            if let other = others.first(where: { $0.0 }) { throw ValidationError("\(other.1) does not apply with --peaks.") }
            do { try peakOptions.spec(genome: genome, length: sequences.length).validate() } catch let e as DragonnError {
                throw ValidationError(e.description)
            }
            return
        }
        if sequences.genome != nil && sequences.regions == nil { throw ValidationError("--genome needs --regions or --peaks.") }
        if peakOptions.splitPrefix != nil { throw ValidationError("--split-prefix goes with --peaks.") }
        guard dtype == .uint8 || dtype == .float32 else { throw ValidationError("--dtype must be uint8 or float32.") }
        if output.output.hasSuffix(".gz") {
            throw ValidationError("the .npy output cannot be compressed; write it plain (numpy.load reads .npy files).")
        }
    }

    func run() throws {
        if peakOptions.isPeakMode {
            try TrainingSetJob.run(peakOptions.spec(genome: sequences.genome!, length: sequences.length), quiet: peakOptions.quiet)
            return
        }
        let input = try sequences.sequenceInput()
        var export = OneHotExport(output: output.output)
        export.layout = layout
        export.dtype = dtype
        export.labelsOutput = labelsOut
        export.namesOutput = namesOut
        export.reverseComplement = reverseComplement
        try export.run(input)
    }
}
