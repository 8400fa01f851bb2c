import ArgumentParser
import DragonnCLI
import DragonnKit

/// `dragonn-sim genome`: a synthetic genome with planted enhancers, its peaks and its truth.
struct SimulateGenome: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genome",
        abstract: "Simulate a genome with planted enhancers: FASTA (indexed), peaks (narrowPeak) and the true motif instances (BED).",
        discussion: """
        Chromosomes come from --chrom-sizes (UCSC chrom.sizes: name<TAB>length, file order kept) or are \
        chr1..chrN of --chrom-length bp. The background is i.i.d. with --gc-fraction. Enhancers go to \
        chromosomes in proportion to their length and to uniformly random, non-overlapping places; each \
        picks an enhancer class uniformly. A class NAME:MOTIF[,MOTIF...]:MIN-MAX:SPAN is a cluster inside \
        SPAN bp: with one motif, MIN-MAX instances of it (motif-density-localization's rule); with \
        several, a random subset of MIN-MAX of them, one instance each (multi-motif-embedding's rule). \
        Default: one class, 2-4 TAL1_known4 within 150 bp (the tutorial's positives); --motif-names A,B \
        makes one such class per motif instead. Instances are sampled from their PWMs, reverse-complemented \
        with probability 0.5, and never overlap.

        Outputs: -o GENOME.fa (a .gz path is BGZF with .fai and .gzi beside it; a plain path gets .fai). \
        --peaks: narrowPeak, 10 columns, in genome order (the FASTA's chromosome order, then start): one \
        peak per enhancer, spanning it; column 4 = enhancer id CLASS_N (the class is the id before its \
        last '_'; false peaks are false_N); column 5 = score 1000 x instances / most instances of a class \
        (false peaks 100); column 7 = number of instances; columns 8-9 = -1; column 10 = summit offset \
        from the start: the middle of the motif cluster, moved by a uniform integer in \
        [-J, J] for --summit-jitter J (kept inside the peak). --peak-dropout leaves that fraction of \
        enhancers out of the peaks; --false-peaks adds peaks on plain background. --bed: every motif \
        instance, BED6 (name = motif, strand), genome order. --enhancers: every planted enhancer, BED6+2 \
        (name = id, score = instances, column 7 = class, column 8 = 1 when it is in the peaks file). \
        All outputs appear together or not at all; the same --seed gives the same bytes.

        Examples:
          dragonn-sim genome --num-chroms 4 --chrom-length 2000000 -s 1 -o genome.fa.gz --peaks peaks.narrowPeak --bed truth.bed
          dragonn-sim genome --chrom-sizes hg38.chrom.sizes --enhancers-per-mbp 2 --peak-dropout 0.1 --false-peaks 500 \\
            --summit-jitter 20 -o hg38sim.fa.gz --peaks peaks.narrowPeak.gz --enhancers enhancers.bed
          dragonn-sim genome --enhancer-class gata_tal:GATA_known1,TAL1_known4:2-2:100 --enhancer-class ctcf:CTCF_known1:1-1:60 -o g.fa
        """)

    @OptionGroup var motifs: MotifSourceOptions

    @Option(name: .customLong("chrom-sizes"), help: ArgumentHelp("UCSC chrom.sizes file (name<TAB>length).", valueName: "file"),
            completion: .file())
    var chromSizes: String?

    @Option(name: .customLong("num-chroms"), help: ArgumentHelp("Number of chromosomes chr1..chrN (without --chrom-sizes).", valueName: "n"))
    var numChroms: Int?

    @Option(name: .customLong("chrom-length"), help: ArgumentHelp("Length of each chromosome in bp (without --chrom-sizes).", valueName: "bp"))
    var chromLength: Int?

    @Option(name: .customLong("gc-fraction"), help: ArgumentHelp("GC fraction of the background.", valueName: "f"))
    var gcFraction: Double = 0.4

    @Option(name: .customLong("num-enhancers"), help: ArgumentHelp("Number of enhancers in the whole genome.", valueName: "n"))
    var numEnhancers: Int?

    @Option(name: .customLong("enhancers-per-mbp"), help: ArgumentHelp("Enhancers per million bp (default 10; rounded to the nearest count).", valueName: "x"))
    var enhancersPerMbp: Double?

    @Option(name: .customLong("motif-names"), parsing: .singleValue,
            help: ArgumentHelp("One tutorial-style class (2-4 instances within 150 bp) per motif (comma-separated or repeated).", valueName: "names"),
            completion: motifNameCompletion)
    var motifNames: [String] = []

    @Option(name: .customLong("enhancer-class"), parsing: .singleValue,
            help: ArgumentHelp("An enhancer class NAME:MOTIF[,MOTIF...]:MIN-MAX:SPAN (repeatable; replaces the default class).", valueName: "spec"))
    var enhancerClasses: [String] = []

    @Option(name: .customLong("peak-dropout"), help: ArgumentHelp("Fraction of enhancers left out of the peaks file.", valueName: "f"))
    var peakDropout: Double = 0

    @Option(name: .customLong("false-peaks"), help: ArgumentHelp("Number of peaks on plain background (as wide as the first class's span).", valueName: "n"))
    var falsePeaks: Int = 0

    @Option(name: .customLong("summit-jitter"), help: ArgumentHelp("Summits move by a uniform integer in [-bp, bp].", valueName: "bp"))
    var summitJitter: Int = 0

    @OptionGroup var seed: SeedOption

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Genome FASTA ('-' for stdout, unindexed; a .gz path is BGZF with .fai and .gzi, a plain path gets .fai).", valueName: "file"),
            completion: .file())
    var output: String = "-"

    @Option(name: .customLong("peaks"), help: ArgumentHelp("Write the peaks as narrowPeak (.gz = BGZF).", valueName: "file"), completion: .file())
    var peaks: String?

    @Option(name: .customLong("bed"), help: ArgumentHelp("Write every motif instance as BED6, genome coordinates (.gz = BGZF).", valueName: "file"),
            completion: .file())
    var bed: String?

    @Option(name: .customLong("enhancers"), help: ArgumentHelp("Write every planted enhancer as BED6+2, those left out of the peaks included.", valueName: "file"),
            completion: .file())
    var enhancers: String?

    @Flag(name: [.customShort("q"), .long], help: "Do not print the summary line to stderr.")
    var quiet = false

    func validate() throws {
        if chromSizes != nil && (numChroms != nil || chromLength != nil) {
            throw ValidationError("give either --chrom-sizes or --num-chroms/--chrom-length, not both.")
        }
        if let n = numChroms, n < 1 { throw ValidationError("--num-chroms must be at least 1.") }
        if let n = chromLength, n < 1 { throw ValidationError("--chrom-length must be at least 1.") }
        if numEnhancers != nil && enhancersPerMbp != nil {
            throw ValidationError("give either --num-enhancers or --enhancers-per-mbp, not both.")
        }
        if let x = enhancersPerMbp, !(x.isFinite && x >= 0) { throw ValidationError("--enhancers-per-mbp must be a non-negative number.") }
        if !motifNames.isEmpty && !enhancerClasses.isEmpty {
            throw ValidationError("give either --motif-names or --enhancer-class, not both.")
        }
    }

    func run() throws {
        let chromosomes = try chromSizes.map { try readChromSizes(path: $0) }
            ?? (1...(numChroms ?? 4)).map { ("chr\($0)", chromLength ?? 1_000_000) }
        let collection = try motifs.collection()
        var classes: [EnhancerClass]
        if !enhancerClasses.isEmpty {
            classes = try enhancerClasses.map { try parseClass($0, collection) }
        } else {
            let names = motifList(motifNames)
            classes = try (names.isEmpty ? ["TAL1_known4"] : names).map { EnhancerClass.tutorial(try collection.motif(named: $0)) }
        }
        let total = chromosomes.reduce(0) { $0 + $1.1 }
        let count = numEnhancers ?? Int((Double(total) / 1e6 * (enhancersPerMbp ?? 10)).rounded())
        var spec = SyntheticGenomeSpec(chromosomes: chromosomes.map { (name: $0.0, length: $0.1) }, enhancerCount: count, classes: classes)
        spec.gcFraction = gcFraction
        spec.peakDropout = peakDropout
        spec.falsePeaks = falsePeaks
        spec.summitJitter = summitJitter
        try SyntheticGenomeJob.run(spec, seed: seed.seed, output: output, peaks: peaks, truth: bed, enhancers: enhancers,
                                   inputs: motifs.files + [chromSizes].compactMap { $0 }, quiet: quiet)
    }

    /// `NAME:MOTIF[,MOTIF...]:MIN-MAX:SPAN` → a class (one-line errors naming the option).
    private func parseClass(_ text: String, _ collection: MotifCollection) throws -> EnhancerClass {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let range = parts.count == 4 ? parts[2].split(separator: "-").map { Int($0) } : []
        guard parts.count == 4, range.count == 2, let lo = range[0], let hi = range[1], lo <= hi, let span = Int(parts[3]) else {
            throw DragonnError("--enhancer-class '\(text)': expected NAME:MOTIF[,MOTIF...]:MIN-MAX:SPAN, e.g. tal1:TAL1_known4:2-4:150")
        }
        let pwms = try motifList([parts[1]]).map { try collection.motif(named: $0) }
        return EnhancerClass(name: parts[0], motifs: pwms, counts: lo...hi, span: span)
    }
}
