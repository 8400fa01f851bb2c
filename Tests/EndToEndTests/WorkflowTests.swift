import Foundation
import XCTest

/// The Snakemake workflow (workflow/Snakefile) end to end on a small synthetic genome: every
/// rule runs with the built tools, and the summary holds the test metrics and the scores
/// against the planted truth. Snakemake is installed by `make test` (deps), so a missing one fails.
final class WorkflowTests: XCTestCase {
    func testSnakemakeRunsTheGenomeWorkflow() throws {
        let dir = Shell.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = """
        outdir: out
        bin: "\(Shell.binDirectory.path)"
        threads: 1
        num_chroms: 3
        chrom_length: 300000
        enhancers_per_mbp: 150
        length: 500
        valid_chroms: [chr2]
        test_chroms: [chr3]
        epochs: 2
        step: 5
        top_peaks: 5
        """
        try config.write(to: dir.appendingPathComponent("test.yaml"), atomically: true, encoding: .utf8)
        let snakefile = Shell.repoRoot.appendingPathComponent("workflow/Snakefile").path
        let r = Shell.run("snakemake -s \(snakefile) --configfile test.yaml --cores 2 --quiet 2>&1 | tail -40", in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let out = dir.appendingPathComponent("out")
        for chrom in ["chr1", "chr2", "chr3"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("tracks/\(chrom).bw").path), chrom)
        }
        let summary = try String(contentsOf: out.appendingPathComponent("summary.tsv"), encoding: .utf8)
        var values: [String: Double] = [:]
        for line in summary.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t")
            XCTAssertEqual(f.count, 3, String(line))
            values[String(f[0])] = Double(f[2])
        }
        for key in ["test_auroc", "test_auprc", "enhancer_recovery_auPRC", "enhancer_recovery_baseline", "positional_auPRC", "positional_baseline"] {
            XCTAssertNotNil(values[key], "\(key) missing from\n\(summary)")
        }
        XCTAssertGreaterThan(values["enhancer_recovery_positives"] ?? 0, 0, summary)
        // The merged track covers every chromosome the shards did.
        let check = Shell.run("python3 -c \"import pyBigWig; b = pyBigWig.open('out/genome.track.bw'); print(sorted(c for c in b.chroms() if b.intervals(c)))\"", in: dir)
        XCTAssertEqual(check.stdout, "['chr1', 'chr2', 'chr3']\n", check.stderr)
    }
}
