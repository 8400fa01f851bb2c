import ArgumentParser
import DragonnCLI
import DragonnKit

/// dragonn-predict reads every form of sequence input.
enum PredictInput: SequenceInputProfile {
    static let tool = "dragonn-predict"
    static let features = InputFeatures.all.union(.variants)
    static let inputHelp = "Sequences: FASTA/FASTQ (plain, gzip or BGZF), a one-hot .npy, or '-' (or none) for stdin."
}

@main
struct DragonnPredict: DragonnTool {
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
        sequence must have the model's length (--length trims longer FASTA records to it).

        --bedgraph FILE also writes the task-0 probability of each region as a bedGraph track in \
        genomic coordinates (from --regions, or from chrom:start-end sequence names), sorted in \
        the genome's chromosome order; a .gz path is BGZF-compressed with a tabix index beside it.

        --evaluate (DragoNN's test command) needs labels (labels= tags, --labels TSV, --labels-npy, \
        or --pos-sequences/--neg-sequences): it prints the metrics of every task (loss, balanced \
        accuracy, auROC, auPRC, recall at 5/10/20% FDR, counts) on stderr and writes them as a \
        TSV to the output instead of the predictions.

        --vcf VCF --genome FA scores every ALT allele of a VCF/BCF (window rule under --vcf) and \
        writes the VCF back with INFO fields, each Number=A, per task T: DRAGONN_REF_T and \
        DRAGONN_ALT_T (probability of the REF and the ALT window) and DRAGONN_DELTA_T \
        (logit(ALT) - logit(REF)); DRAGONN_UNSCORED names, per allele, why it was not scored \
        (no_chrom, off_end, symbolic, too_many_n, ref_mismatch, ref_too_long; '.' when scored). \
        Unscored records pass through and are counted on stderr. -o X.vcf.gz writes BGZF with a \
        tabix index, X.bcf BCF with a CSI index (when the records are sorted), X.vcf and stdout \
        plain VCF. SNVs are scored by recomputing only what the substitution reaches; windows \
        that overlap share their convolutions.

        Examples:
          dragonn-predict -m model.safetensors test.fa > predictions.tsv
          dragonn-sim motif-density-localization -s 7 | dragonn-predict -m model.safetensors - --evaluate
          dragonn-predict -m model.safetensors --pos-sequences pos.fa --neg-sequences neg.fa --evaluate
          dragonn-predict -m model.safetensors --regions peaks.bed --genome hg38.fa --bedgraph peaks.bedGraph.gz -o peaks.tsv
          dragonn-predict -m model.safetensors --genome hg38.fa --vcf gwas.vcf.gz -o gwas.scored.vcf.gz
        """,
        version: DragonnVersion.string)

    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Model file (safetensors) written by dragonn-train.", valueName: "file"))
    var model: String

    @OptionGroup var sequences: SequenceInputOptions<PredictInput>

    @OptionGroup var output: OutputOption

    @Flag(help: "Write logits (before the sigmoid) instead of probabilities.")
    var logits = false

    @Option(help: ArgumentHelp("Also write the task-0 probability per region as a bedGraph (genomic coordinates).", valueName: "file"))
    var bedgraph: String?

    @OptionGroup var trackLine: TrackLineOption

    @Flag(help: "Compare predictions with the labels and print DragoNN's metrics instead of the predictions.")
    var evaluate = false

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Sequences scored per batch (bounds memory).", valueName: "n"))
    var batchSize: Int = 4096

    @OptionGroup var threads: ThreadsOption

    @OptionGroup(title: "Variant effects (--vcf)") var variants: VariantOptions

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1.") }
    }

    func run() throws {
        if let vcf = sequences.vcf, let genome = sequences.genome {
            if evaluate || logits || bedgraph != nil { throw ValidationError("--vcf excludes --evaluate, --logits and --bedgraph.") }
            return try variants.run(model: model, vcf: vcf, genome: genome, output: output.output, batchSize: batchSize, threads: threads.resolved)
        }
        var job = PredictionJob(modelPath: model, input: try sequences.sequenceInput())
        job.output = output.output
        job.logits = logits
        job.evaluate = evaluate
        job.bedGraph = bedgraph
        job.trackLine = trackLine.trackLine
        job.batchSize = batchSize
        job.threads = threads.resolved
        try job.run(report: { ToolEnvironment.printError($0 + "\n") })
    }
}
