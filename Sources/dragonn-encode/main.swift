import ArgumentParser
import DragonnKit

extension NpyDType: ExpressibleByArgument {
    public static var allValueStrings: [String] { ["uint8", "float32"] }
}

@main
struct DragonnEncode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dragonn-encode",
        abstract: "One-hot encode DNA from FASTA/FASTQ or from BED regions of a genome into a NumPy .npy.",
        discussion: """
        Channels are A, C, G, T; N and every other code give an all-zero column; lower case is \
        accepted. The array is [N, 4, L] (PyTorch layout) or [N, L, 4] with --layout nlc. Input is \
        FASTA or FASTQ, plain, gzip or BGZF, or '-' for stdin. All sequences must have one length, \
        unless --length fixes it (longer ones are trimmed, shorter ones need --pad). Writing to a \
        file streams in bounded memory; nothing is left behind when the input is bad.

        Examples:
          dragonn-encode seqs.fa.gz -o X.npy --labels-out y.npy --names-out names.txt
          zcat seqs.fa.gz | dragonn-encode - --layout nlc --dtype float32 -o X.npy
          dragonn-encode --regions peaks.bed --genome hg38.fa --length 1000 -o X.npy --names-out names.txt
          dragonn-encode reads.fq --length 100 --trim left --pad -o X.npy
        """)

    @Argument(help: ArgumentHelp("FASTA/FASTQ input (plain, gzip or BGZF; '-' = stdin).", valueName: "input"))
    var input: String?

    @OptionGroup var output: OutputOption

    @Option(name: .long, help: ArgumentHelp("Tensor layout: ncl = [N, 4, L], nlc = [N, L, 4].", valueName: "layout"))
    var layout: OneHotLayout = .ncl

    @Option(name: .long, help: ArgumentHelp("Element type: uint8 or float32.", valueName: "type"))
    var dtype: NpyDType = .uint8

    @Option(name: .long, help: ArgumentHelp("Write the labels as a float32 [N, T] .npy.", valueName: "file"))
    var labelsOut: String?

    @Option(name: .long, help: ArgumentHelp("Write the sequence names, one a line, in tensor order.", valueName: "file"))
    var namesOut: String?

    @OptionGroup var sequences: SequenceInputOptions

    @Flag(name: .long, help: "Append the reverse complement of every sequence after all forward ones (names get _rc).")
    var reverseComplement = false

    func validate() throws {
        guard dtype == .uint8 || dtype == .float32 else { throw ValidationError("--dtype must be uint8 or float32.") }
        if output.output.hasSuffix(".gz") {
            throw ValidationError("the .npy output cannot be compressed; write it plain (numpy.load reads .npy files).")
        }
    }

    func run() throws {
        ToolEnvironment.prepare()
        if let input, input.hasSuffix(".npy") { throw DragonnError(file: input, "input is already a .npy; give FASTA/FASTQ") }
        let reader = try sequences.batchReader(input: input)
        var export = OneHotExport(output: output.output)
        export.layout = layout
        export.dtype = dtype
        export.labelsOutput = labelsOut
        export.namesOutput = namesOut
        export.reverseComplement = reverseComplement
        try export.run(reader)
    }
}
