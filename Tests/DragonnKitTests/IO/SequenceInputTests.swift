import DragonnKit
import Foundation
import XCTest

final class SequenceInputTests: XCTestCase {
    func testCombinationsThatDoNotApplyAreErrors() {
        let cases: [(SequenceInput, String)] = [
            (SequenceInput(.file("a.fa"), length: 0), "--length must be positive"),
            (SequenceInput(.file("a.fa"), pad: true), "--pad needs --length"),
            (SequenceInput(.file("a.fa"), trim: .left), "--trim needs --length"),
            (SequenceInput(.file("x.npy"), length: 10), "x.npy: --length, --trim and --pad do not apply to a .npy input"),
            (SequenceInput(.file("x.npy"), labels: "l.tsv"), "x.npy: a .npy input takes its labels from --labels-npy"),
            (SequenceInput(.file("a.fa"), labelsNpy: "y.npy"), "a.fa: --labels-npy goes with a .npy input"),
            (SequenceInput(.regions(bed: "r.bed", genome: "g.fa"), length: 10, pad: true), "--pad does not apply to --regions"),
            (SequenceInput(.regions(bed: "r.bed", genome: "g.fa"), length: 10, trim: .left), "--trim does not apply to --regions"),
            (SequenceInput(.pair(positives: "p.fa", negatives: "n.fa"), labels: "l.tsv"), "labelled 1 and 0"),
        ]
        for (input, message) in cases {
            XCTAssertThrowsMessage(try input.validate(), message)
        }
        XCTAssertNoThrow(try SequenceInput(.file("x.npy"), labelsNpy: "y.npy").validate())
        XCTAssertNoThrow(try SequenceInput(.file("a.fa"), labels: "l.tsv", length: 5, trim: .left, pad: true).validate())
        XCTAssertEqual(SequenceInput(.regions(bed: "r.bed", genome: "g.fa"), labels: "l.tsv").paths,
                       ["r.bed", "g.fa", "g.fa.fai", "g.fa.gzi", "l.tsv"])
    }

    /// DragoNN's positive and negative files: one reader, one task, labels 1 then 0, errors naming
    /// the file being read.
    func testPositiveAndNegativeFilesReadAsOneLabelledInput() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pos = IOFixture.write(">p1 labels=0\nACGTA\n>p2\nCCGTA\n", "p.fa", in: dir)
        let neg = IOFixture.write(">n1\nTTGTA\n", "n.fa", in: dir)
        let reader = try SequenceInput(.pair(positives: pos, negatives: neg)).reader()
        var names: [String] = [], labels: [Float] = []
        while let batch = try reader.next(maxCount: 2) {
            names += batch.names
            labels += batch.labels ?? []
            XCTAssertEqual(batch.taskNames, ["task0"])
        }
        XCTAssertEqual(names, ["p1", "p2", "n1"])
        XCTAssertEqual(labels, [1, 1, 0], "tags in the files are ignored")
        let short = IOFixture.write(">n1\nTTG\n", "short.fa", in: dir)
        XCTAssertThrowsMessage(try SequenceInput(.pair(positives: pos, negatives: short)).readAll(), "short.fa: line 1", "'n1' has 3 bases")
        let trimmed = try SequenceInput(.pair(positives: pos, negatives: short), length: 3).readAll()
        XCTAssertEqual(trimmed.codes, baseCodes("CGTCGTTTG"))
    }

    func testRegionsCarryTheGenomeChromosomeOrder() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let genome = IOFixture.write(">chrB\nACGTACGTAC\n>chrA\nGGGGCCCCAA\n", "g.fa", in: dir)
        let bed = IOFixture.write("chrA\t0\t4\nchrB\t2\t6\n", "r.bed", in: dir)
        let reader = try SequenceInput(.regions(bed: bed, genome: genome)).reader()
        let set = try reader.readAll()
        XCTAssertEqual(reader.chromosomeOrder, ["chrB", "chrA"])
        XCTAssertEqual(set.names, ["chrA:0-4", "chrB:2-6"])
        // Recentred to the length the caller gives (a model's) when no length is set.
        let recentred = try SequenceInput(.regions(bed: bed, genome: genome)).readAll(regionLength: 2)
        XCTAssertEqual(recentred.names, ["chrA:1-3", "chrB:3-5"])
    }
}
