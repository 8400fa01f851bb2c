import ArgumentParser
import DragonnKit
import Foundation

@main
struct DragonnPredict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dragonn-predict",
        abstract: "Score DNA sequences with a trained SequenceDNN model.",
        discussion: """
        Writes a TSV with a header row 'name<TAB>task...' and one row per sequence holding the \
        sigmoid probability of each task (--logits: the logits). Input is FASTA/FASTQ (plain, gzip \
        or BGZF; '-' or no INPUT reads stdin), a one-hot .npy from dragonn-encode, or the regions \
        of a BED file cut from a reference genome (--regions BED --genome FA; regions are \
        recentred to the model's sequence length and named chrom:start-end). Sequences are read, \
        scored and written in batches, so memory stays bounded whatever the input size. Every \
        sequence must have the model's length.

        --bedgraph FILE also writes the task-0 probability of each region as a bedGraph track in \
        genomic coordinates (from --regions, or from chrom:start-end sequence names); a .gz path \
        is BGZF-compressed with a tabix index.

        --evaluate (DragoNN's test command) needs labels (labels= tags, --labels TSV, --labels-npy, \
        or --pos-sequences/--neg-sequences): it prints the metrics of every task (loss, balanced \
        accuracy, auROC, auPRC, recall at 5/10/20% FDR, counts) on stderr and writes them as a \
        TSV to the output instead of the predictions.

        Examples:
          dragonn-predict -m model.safetensors test.fa > predictions.tsv
          dragonn-sim motif-density-localization -s 7 | dragonn-predict -m model.safetensors - --evaluate
          dragonn-predict -m model.safetensors --pos-sequences pos.fa --neg-sequences neg.fa --evaluate
          dragonn-predict -m model.safetensors --regions peaks.bed --genome hg38.fa --bedgraph peaks.bedGraph.gz -o peaks.tsv
        """)

    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Model file (safetensors) written by dragonn-train.", valueName: "file"))
    var model: String

    @Argument(help: ArgumentHelp("Sequences: FASTA/FASTQ, .npy, or '-' for stdin.", valueName: "input"))
    var input: String?

    @OptionGroup var output: OutputOption

    @Flag(help: "Write logits (before the sigmoid) instead of probabilities.")
    var logits = false

    @Option(help: ArgumentHelp("BED regions to score (with --genome).", valueName: "bed"))
    var regions: String?

    @Option(help: ArgumentHelp("Reference genome FASTA (faidx-indexed or indexable) for --regions.", valueName: "fasta"))
    var genome: String?

    @Option(help: ArgumentHelp("Also write the task-0 probability per region as a bedGraph (genomic coordinates).", valueName: "file"))
    var bedgraph: String?

    @Flag(help: "Compare predictions with the labels and print DragoNN's metrics instead of the predictions.")
    var evaluate = false

    @OptionGroup var labelSource: LabelSourceOptions

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Sequences scored per batch (bounds memory).", valueName: "n"))
    var batchSize: Int = 4096

    @OptionGroup var threads: ThreadsOption

    func run() throws {
        ToolEnvironment.prepare()
        guard batchSize >= 1 else { throw DragonnError("--batch-size must be at least 1") }
        let net = try SequenceDNN.load(path: model)
        let arch = net.architecture

        // Inputs: one reader, or DragoNN's positive and negative files with fixed labels.
        var readers: [(SequenceBatchReader, Float?)] = []
        switch (labelSource.posSequences, labelSource.negSequences, regions) {
        case let (pos?, neg?, nil):
            if input != nil { throw DragonnError("give either INPUT or --pos-sequences/--neg-sequences, not both") }
            readers = [(try SequenceBatchReader(fasta: pos), 1), (try SequenceBatchReader(fasta: neg), 0)]
        case (nil, nil, let bed?):
            if input != nil { throw DragonnError("give either INPUT or --regions, not both") }
            guard let genome else { throw DragonnError("--regions needs --genome FA") }
            readers = [(try SequenceBatchReader(regions: bed, genome: genome, length: arch.seqLength, labelsPath: labelSource.labels), nil)]
        case (nil, nil, nil):
            if genome != nil { throw DragonnError("--genome goes with --regions BED") }
            let path = input ?? "-"
            if path == "-" && isatty(0) != 0 { throw DragonnError("no input: give a FASTA/.npy file, '-' with data on stdin, --regions or --pos-sequences/--neg-sequences") }
            readers = [(try LabeledInput.reader(path: path, labelsTSV: labelSource.labels, labelsNpy: labelSource.labelsNpy), nil)]
        case (_?, nil, nil), (nil, _?, nil):
            throw DragonnError("--pos-sequences and --neg-sequences go together")
        default:
            throw DragonnError("--regions cannot be combined with --pos-sequences/--neg-sequences")
        }

        var stream = PredictionStream(model: net)
        stream.batchSize = batchSize
        stream.threads = threads.resolved
        stream.logits = logits
        stream.collect = evaluate
        stream.collectRegions = bedgraph != nil

        let out = try OutputFile(path: output.output)
        if !evaluate { try out.write(stream.header) }
        for (reader, fixed) in readers {
            try stream.run(reader, output: evaluate ? nil : out, fixedLabel: fixed)
        }
        if evaluate {
            guard stream.count > 0 else { throw DragonnError(file: input ?? labelSource.posSequences ?? "-", "no sequences") }
            let metrics = TaskMetrics.evaluate(labels: stream.collectedLabels, logits: stream.collectedLogits,
                                               taskNames: arch.taskNames)
            try out.write("task\t\(TaskMetrics.tsvHeader)\n")
            for m in metrics {
                try out.write("\(m.task)\t\(m.tsvFields)\n")
                FileHandle.standardError.write(Data("\(metrics.count > 1 ? m.task + "  " : "")\(m.summary)\n".utf8))
            }
        }
        if let bedgraph {
            let name = arch.taskNames.first ?? "task0"
            try writeRegionBedGraph(path: bedgraph, scores: stream.regionScores, trackName: "dragonn-predict \(name)")
        }
        try out.commit()
    }
}
