#if canImport(Glibc)
import Glibc
#endif

/// Runs a simulation the way dragonn-sim does: validate everything first, write FASTA (plus the
/// optional embeddings BED and labels TSV) to temporaries, commit them only when all succeeded,
/// and print a one-line summary to stderr.
public enum SimulationJob {
    /// Generates `simulation` with `seed` to `output` (`-` = stdout, `.gz` = BGZF), `bed` and
    /// `labels` (optional paths). Returns the summary line (also printed unless `quiet`).
    @discardableResult
    public static func run(_ simulation: Simulation, seed: UInt64, output: String, bed: String?, labels: String?,
                           quiet: Bool = false) throws -> String {
        // Devices such as /dev/null may be named more than once; files may not.
        let paths = [output, bed, labels].compactMap { $0 }.filter { p in
            var info = stat()
            return p != "-" && !(stat(p, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        }
        if Set(paths).count != paths.count {
            throw DragonnError("-o/--output, --bed and --labels must name different files")
        }
        if bed == "-" && output == "-" || labels == "-" && output == "-" || (bed == "-" && labels == "-") {
            throw DragonnError("only one of -o/--output, --bed and --labels can be '-' (stdout)")
        }
        let runner = try SimulationRunner(simulation: simulation, seed: seed)
        let fastaFile = try OutputFile(path: output)
        let bedFile = try bed.map { try OutputFile(path: $0) }
        let labelsFile = try labels.map { try OutputFile(path: $0) }
        let summary = try runner.write(fasta: FastaWriter(output: fastaFile),
                                       bed: bedFile.map(BedWriter.init), labels: labelsFile)
        try labelsFile?.commit()
        try bedFile?.commit()
        try fastaFile.commit()
        let counts = zip(simulation.classes, summary.perClass).map { "\($1) \($0.prefix)" }.joined(separator: ", ")
        let line = "dragonn-sim \(simulation.name): \(summary.sequences) sequences of \(simulation.sequenceLength) bp"
            + " (\(counts)), \(summary.instances) motif instances, GC \(simulation.gcFraction), seed \(seed)"
            + " -> \(output == "-" ? "stdout" : output)"
        if !quiet { fputs(line + "\n", stderr) }
        return line
    }
}
