import ArgumentParser
import DragonnCLI
import DragonnKit

/// A `--gc-fraction` value: a fraction, or `auto` (estimated from the input).
struct GCFraction: ExpressibleByArgument {
    var value: Double?
    init?(argument: String) {
        if argument == "auto" { value = nil; return }
        guard let v = Double(argument), v > 0, v < 1 else { return nil }
        value = v
    }
    init(_ v: Double) { value = v }
    var defaultValueDescription: String { value.map { String($0) } ?? "auto" }
}

struct Motifs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motifs",
        abstract: "Motif scores and motif hits: PWM log-odds scan of named motifs, both strands (FIMO-style).",
        discussion: """
        Scores are log2 odds (bits) against an i.i.d. background of the given GC fraction: \
        sum over the motif's columns of log2(p_motif / p_background). The track value at a base is \
        the score of the window that starts there (the motif's first base), the better of the two \
        strands; an N adds 0, and the last width-1 bases of a sequence score the motif's first \
        columns only. Tracks are written like the attribution tracks (bedGraph, BGZF + tabix for \
        .gz, genomic coordinates for regions of a genome, sorted in the reference's chromosome \
        order); several motifs give one file per motif (NAME.MOTIF.bedGraph). Without -o, the track \
        goes to stdout only when neither --hits, --npy nor --truth is given.

        --hits writes the windows whose p-value is at most --threshold as BED6+ columns chrom, start, \
        end, motif, score (bits), strand, p-value, q-value, sorted like the tracks. The p-value is \
        FIMO's: the log2-odds matrix is rounded to steps of 0.01 bit and the exact distribution of \
        the rounded score of a background window is computed by dynamic programming over the \
        columns; p = P(S >= s). Windows holding an N or running past the end are not tested. The \
        q-value is Benjamini-Hochberg over all windows of that motif tested (both strands).

        --truth scores each motif track against the embedded motifs (dragonn-sim --bed) with the \
        positional auPRC of the attribution methods, on the track's positive part (max(score, 0)): TSV rows method=motif-score, task=the scanned \
        motif, then the truth motif, auPRC and windows.

        Examples:
          dragonn-attrib motifs --motif TAL1_known4 test.fa -o tal1.bedGraph.gz
          dragonn-attrib motifs --motif TAL1_known4 test.fa --hits tal1.hits.bed
          dragonn-attrib motifs --motif all --gc-fraction auto chr1.fa --hits all.hits.bed
          dragonn-attrib motifs --motif TAL1_known4 test.fa --truth truth.bed
        """)

    @Option(name: .customLong("motif"), parsing: .singleValue, help: ArgumentHelp(
        "Motif to scan (comma-separated or repeated); 'all' scans every motif of the collection.", valueName: "name"),
        completion: .shellCommand("dragonn-sim motifs 2>/dev/null | cut -f1"))
    var motif: [String] = []

    @OptionGroup var sequences: SequenceInputOptions<AttribInput>

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Motif-score track(s): bedGraph, .gz = BGZF + tabix, '-' = stdout (one motif).", valueName: "file"), completion: .file())
    var output: String?

    @OptionGroup var trackLine: TrackLineOption

    @Option(name: .long, help: ArgumentHelp("Write the scores as float32 .npy [sequences, motifs, length].", valueName: "file"),
            completion: .file())
    var npy: String?

    @Option(name: .long, help: ArgumentHelp("Write the hits as BED6+ (chrom start end motif score strand p q); '-' = stdout.",
                                            valueName: "file"), completion: .file())
    var hits: String?

    @Option(name: .long, help: ArgumentHelp("Largest p-value of a hit.", valueName: "p"))
    var threshold: Double = 1e-4

    @Option(name: .customLong("gc-fraction"), help: ArgumentHelp(
        "GC fraction of the background, or 'auto' to estimate it from the input.", valueName: "f"))
    var gcFraction = GCFraction(0.4)

    @Option(name: .long, help: ArgumentHelp("Embedded motifs BED (dragonn-sim --bed): print the positional auPRC of each track as TSV on stdout.",
                                            valueName: "bed"), completion: .file())
    var truth: String?

    @Option(name: .customLong("motifs"), help: ArgumentHelp("Extra motif file (ENCODE, HOMER, MEME or JASPAR); repeatable.", valueName: "file"),
            completion: .file())
    var motifFiles: [String] = []

    @Flag(name: .customLong("no-bundled-motifs"), help: "Use only the --motifs files, not the bundled ENCODE collection.")
    var noBundledMotifs = false

    @OptionGroup var threads: ThreadsOption

    func validate() throws {
        if motif.isEmpty { throw ValidationError("name a motif with --motif (or --motif all).") }
        if !(threshold > 0 && threshold <= 1) { throw ValidationError("--threshold must be a p-value in (0, 1].") }
    }

    func run() throws {
        var job = MotifScanJob()
        job.motifNames = motif.flatMap { $0.split(separator: ",").map(String.init) }
        job.motifFiles = motifFiles; job.noBundledMotifs = noBundledMotifs
        job.input = try sequences.sequenceInput()
        job.gcFraction = gcFraction.value
        job.output = output ?? (hits == nil && npy == nil && truth == nil ? "-" : nil)
        job.trackLine = trackLine.trackLine; job.npy = npy; job.hits = hits
        job.threshold = threshold; job.truth = truth; job.threads = threads.resolved
        try job.run(note: note)
    }
}
