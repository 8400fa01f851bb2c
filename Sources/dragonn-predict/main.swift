import ArgumentParser
import DragonnCLI
import DragonnKit

/// dragonn-predict reads every form of sequence input.
enum PredictInput: SequenceInputProfile {
    static let tool = "dragonn-predict"
    static let features = InputFeatures.all.union(.standalone).union(.variants)
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

        --track OUT (with --genome G, no sequence input) writes a whole-genome track of one task \
        (--task, default the first): the value at base c is the model's probability (--logits: \
        logit) for the window of the model's length L starting at c - L/2 (integer division), as \
        if that window were scored on its own. It is computed fully convolutionally (each \
        chromosome chunk's convolutions once, shared by every window) in bounded memory. Windows \
        that run off a chromosome end or hold an N give no value. --step N computes every N-th \
        base (c = 0 mod N), each value covering c..c+N-1. --regions BED limits the track to \
        those bases (overlapping regions are unioned: one value per base); a chromosome absent \
        from the genome is an error. OUT.bw is a bigWig with zoom levels (written by the suite itself, streaming; blocks \
        deflated on a background thread); \
        OUT.bedGraph(.gz) a bedGraph (BGZF + tabix for .gz); chromosomes in the genome's .fai order.

        --score-track T.bw --truth BED [--within BED] prints how well a track finds the truth: \
        every base with a value (inside --within regions) is positive when it lies in the truth \
        BED; the TSV gives the counts, auPRC, auROC and the chance auPRC (the positive fraction). \
        E.g. enhancer recovery of a genome track, or positional auPRC of attribution tracks.

        --merge-tracks SHARD.bw... -o ALL.bw merges bigWig tracks of disjoint regions (e.g. one \
        per chromosome, written by --track --regions) into one track; shards that overlap are \
        refused. bigWig files cannot be concatenated: this is the way to join them.

        --vcf VCF --genome FA scores every ALT allele of a VCF/BCF (window rule under --vcf) and \
        writes the VCF back with INFO fields, each Number=A, per task T: DRAGONN_REF_T and \
        DRAGONN_ALT_T (probability of the REF and the ALT window) and DRAGONN_DELTA_T \
        (logit(ALT) - logit(REF)); DRAGONN_UNSCORED names, per allele, why it was not scored \
        (no_chrom, off_end, symbolic, too_many_n, ref_mismatch, ref_too_long; '.' when scored). \
        Unscored records pass through and are counted on stderr. -o X.vcf.gz writes BGZF (level 1, \
        for speed; bcftools view -Oz recompresses smaller) with a tabix index, X.bcf BCF with a \
        CSI index (when the records are sorted), X.vcf and stdout plain VCF. SNVs are scored by recomputing only what the substitution reaches; windows \
        that overlap share their convolutions.

        Examples:
          dragonn-predict -m model.safetensors test.fa > predictions.tsv
          dragonn-sim motif-density-localization -s 7 | dragonn-predict -m model.safetensors - --evaluate
          dragonn-predict -m model.safetensors --pos-sequences pos.fa --neg-sequences neg.fa --evaluate
          dragonn-predict -m model.safetensors --regions peaks.bed --genome hg38.fa --bedgraph peaks.bedGraph.gz -o peaks.tsv
          dragonn-predict -m model.safetensors --genome hg38.fa --track genome.bw
          dragonn-predict -m model.safetensors --genome hg38.fa --regions chr8.bed --track chr8.bw --step 10
          dragonn-predict --merge-tracks chr8.bw chr9.bw -o held-out.bw
          dragonn-predict --score-track genome.bw --truth enhancers.bed
          dragonn-predict -m model.safetensors --genome hg38.fa --vcf gwas.vcf.gz -o gwas.scored.vcf.gz
        """,
        version: DragonnVersion.string)

    @Option(name: [.customShort("m"), .long], help: ArgumentHelp("Model file (safetensors) written by dragonn-train.", valueName: "file"), completion: modelFileCompletion)
    var model: String?

    @OptionGroup var sequences: SequenceInputOptions<PredictInput>

    @OptionGroup var output: OutputOption

    @Flag(help: "Write logits (before the sigmoid) instead of probabilities.")
    var logits = false

    @Option(help: ArgumentHelp("Also write the task-0 probability per region as a bedGraph (genomic coordinates).", valueName: "file"), completion: .file())
    var bedgraph: String?

    @Option(help: ArgumentHelp("Write a whole-genome track of one task over --genome (and --regions): .bw bigWig, else bedGraph.", valueName: "file"), completion: .file())
    var track: String?

    @Option(help: ArgumentHelp("With --track: score every n-th base (each value covers n bases).", valueName: "n"))
    var step: Int = 1

    @Option(help: ArgumentHelp("With --track: the task (name or index; default the first).", valueName: "task"))
    var task: String?

    @Option(name: .customLong("merge-tracks"), parsing: .upToNextOption,
            help: ArgumentHelp("Merge bigWig shard tracks of disjoint regions into one track (-o, .bw or bedGraph).", valueName: "shard.bw"), completion: .file(extensions: ["bw"]))
    var mergeTracks: [String] = []

    @Option(name: .customLong("score-track"), help: ArgumentHelp("Score a bigWig track against --truth BED (auPRC of bases inside vs outside); prints a TSV.", valueName: "track.bw"), completion: .file(extensions: ["bw"]))
    var scoreTrack: String?

    @Option(help: ArgumentHelp("With --score-track: the positive bases (e.g. planted enhancers or motif instances).", valueName: "bed"), completion: .file())
    var truth: String?

    @Option(help: ArgumentHelp("With --score-track: count only bases inside these regions.", valueName: "bed"), completion: .file())
    var within: String?

    @OptionGroup var trackLine: TrackLineOption

    @Flag(help: "Compare predictions with the labels and print DragoNN's metrics instead of the predictions.")
    var evaluate = false

    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Sequences scored per batch (bounds memory).", valueName: "n"))
    var batchSize: Int = 4096

    @OptionGroup var threads: ThreadsOption

    @OptionGroup(title: "Variant effects (--vcf)") var variants: VariantOptions

    func validate() throws {
        if batchSize < 1 { throw ValidationError("--batch-size must be at least 1.") }
        if step < 1 { throw ValidationError("--step must be at least 1.") }
        let s = sequences
        if (truth != nil || within != nil) && scoreTrack == nil { throw ValidationError("--truth and --within go with --score-track.") }
        if scoreTrack != nil {
            if truth == nil { throw ValidationError("--score-track needs --truth BED.") }
            if track != nil || model != nil || s.input != nil || s.genome != nil || !mergeTracks.isEmpty || evaluate || bedgraph != nil {
                throw ValidationError("--score-track takes only --truth, --within and -o.")
            }
            return
        }
        if !mergeTracks.isEmpty {
            if track != nil || model != nil || s.input != nil || s.genome != nil || s.regions != nil || evaluate || bedgraph != nil {
                throw ValidationError("--merge-tracks takes only shard tracks and -o.")
            }
            if output.output == "-" { throw ValidationError("--merge-tracks needs -o FILE (.bw or bedGraph).") }
            return
        }
        if model == nil { throw ValidationError("missing -m/--model.") }
        // --vcf is checked by the input options (it needs --genome and no sequence input).
        if s.vcf != nil {
            if track != nil || step != 1 || task != nil { throw ValidationError("--vcf excludes --track, --step and --task.") }
            return
        }
        if track != nil {
            if s.genome == nil { throw ValidationError("--track needs --genome.") }
            if s.input != nil || s.posSequences != nil || evaluate || bedgraph != nil || s.labels != nil || s.length != nil {
                throw ValidationError("--track reads the genome itself: give no INPUT, sequence or evaluation options.")
            }
            return
        }
        if step != 1 || task != nil { throw ValidationError("--step and --task go with --track.") }
        try s.validateInput()
    }

    func run() throws {
        if let scoreTrack, let truth {
            let score = try TrackScore(trackPath: scoreTrack, truthPath: truth, withinPath: within)
            try OutputTransaction.write(output.output, inputs: [scoreTrack, truth] + [within].compactMap { $0 }) {
                try $0.write("track\ttruth\t\(TrackScore.tsvHeader)\n\(scoreTrack)\t\(truth)\t\(score.tsvFields)\n")
            }
            return
        }
        if !mergeTracks.isEmpty {
            let n = try DragonnKit.mergeTracks(mergeTracks, output: output.output)
            ToolEnvironment.printError("merged \(n) intervals from \(mergeTracks.count) tracks\n")
            return
        }
        let model = model!
        if let track, let genome = sequences.genome {
            var job = GenomeTrackJob(modelPath: model, genomePath: genome, output: track)
            job.regionsPath = sequences.regions
            job.step = step
            job.task = task
            job.logits = logits
            job.threads = threads.resolved
            job.trackLine = trackLine.trackLine
            try job.run(report: { ToolEnvironment.printError($0 + "\n") })
            return
        }
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
