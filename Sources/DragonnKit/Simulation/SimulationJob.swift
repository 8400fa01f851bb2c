#if canImport(Glibc)
import Glibc
#endif

/// Runs a simulation the way dragonn-sim does: validate everything first, write FASTA (plus the
/// optional embeddings BED and labels TSV) to temporaries, commit them only when all succeeded,
/// and print a one-line summary to stderr.
public enum SimulationJob {
    /// Generates `simulation` with `seed` to `output` (`-` = stdout, `.gz` = BGZF), `bed` and
    /// `labels` (optional paths), all committed together. `inputs` (motif files) may not be
    /// overwritten. Returns the summary line (also printed unless `quiet`).
    @discardableResult
    public static func run(_ simulation: Simulation, seed: UInt64, output: String, bed: String?, labels: String?,
                           inputs: [String] = [], quiet: Bool = false) throws -> String {
        let outputs = try OutputTransaction(inputs: inputs, outputs: [output, bed, labels].compactMap { $0 })
        let runner = try SimulationRunner(simulation: simulation, seed: seed)
        let fastaFile = try outputs.open(output)
        let bedFile = try bed.map { try outputs.open($0) }
        let labelsFile = try labels.map { try outputs.open($0) }
        let summary = try runner.write(fasta: FastaWriter(output: fastaFile),
                                       bed: bedFile.map(BedWriter.init), labels: labelsFile)
        try outputs.commit()
        let counts = zip(simulation.classes, summary.perClass).map { "\($1) \($0.prefix)" }.joined(separator: ", ")
        let line = "dragonn-sim \(simulation.name): \(summary.sequences) sequences of \(simulation.sequenceLength) bp"
            + " (\(counts)), \(summary.instances) motif instances, GC \(simulation.gcFraction), seed \(seed)"
            + " -> \(output == "-" ? "stdout" : output)"
        if !quiet { writeDiagnostic(line + "\n") }
        return line
    }
}
