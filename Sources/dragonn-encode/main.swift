import ArgumentParser
import DragonnCLI
import DragonnKit

/// What dragonn-encode reads: FASTA/FASTQ with labels (tags or TSV), regions of a genome, or a
/// positive and a negative file; lengths fitted with --length/--trim/--pad.
enum EncodeInput: SequenceInputProfile {
    static let tool = "dragonn-encode"
    static let features: InputFeatures = [.labels, .regions, .pair, .fit]
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
        """,
        version: DragonnVersion.string)

    @OptionGroup var sequences: SequenceInputOptions<EncodeInput>

    @OptionGroup var output: OutputOption

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
        guard dtype == .uint8 || dtype == .float32 else { throw ValidationError("--dtype must be uint8 or float32.") }
        if output.output.hasSuffix(".gz") {
            throw ValidationError("the .npy output cannot be compressed; write it plain (numpy.load reads .npy files).")
        }
    }

    func run() throws {
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
