import ArgumentParser
import DragonnKit

/// dragonn-predict's options for scoring a VCF (`--vcf VCF --genome FA`); here because a tool's
/// module holds only its main.swift.
public struct VariantOptions: ParsableArguments {
    public init() {}

    @Flag(help: ArgumentHelp("With --vcf: write a TSV (chrom, pos, id, ref, alt, per task ref/alt/delta, status; one row per ALT allele) instead of a VCF."))
    public var tsv = false

    @Flag(help: ArgumentHelp("With --vcf: a REF allele that differs from the genome is an error (default: the allele is left unscored, flagged ref_mismatch)."))
    public var strict = false

    @Flag(name: .customLong("drop-unscored"), help: ArgumentHelp("With --vcf: leave out records with no scored ALT allele (default: passed through, flagged DRAGONN_UNSCORED)."))
    public var dropUnscored = false

    @Option(name: .customLong("max-n"), help: ArgumentHelp("With --vcf: largest fraction of N bases in a REF window that is still scored.", valueName: "fraction"))
    public var maxN: Double = 0.1

    public func validate() throws {
        if !(0...1).contains(maxN) { throw ValidationError("--max-n must be between 0 and 1.") }
    }

    /// Scores `vcf` against `genome`: the VCF (or TSV) goes to `output`, notes to stderr.
    public func run(model: String, vcf: String, genome: String, output: String, batchSize: Int, threads: Int) throws {
        var job = VariantJob(modelPath: model, genomePath: genome, vcfPath: vcf)
        job.output = output
        job.tsv = tsv
        job.strict = strict
        job.dropUnscored = dropUnscored
        job.maxN = maxN
        job.batchSize = batchSize
        job.threads = threads
        let line = ProgressLine(prefix: "dragonn-predict: ")
        if line.isActive {
            // The job sends "\r..." to redraw the line and "\n" to end it.
            job.progress = { $0.hasPrefix("\r") ? line.show(String($0.dropFirst())) : line.finish() }
        }
        try job.run(note: { ToolEnvironment.printError("dragonn-predict: note: \($0)\n") })
    }
}
