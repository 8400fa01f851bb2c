import DragonnKit
import XCTest

final class TruthBEDTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dragonn-truth-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String) throws -> String {
        let path = folder.appendingPathComponent("truth.bed").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testInstancesInFileOrderWithTheirMotifs() throws {
        let path = try write("s1\t5\t15\tTAL1_known4\t0\t+\n# comment\ns0\t0\t3\ns1\t2\t2\tGATA\t0\t-\n")
        XCTAssertEqual(try TruthBED.instances(path: path, names: ["s0", "s1"]), [
            MotifInstance(sequence: "s1", start: 5, end: 15, motif: "TAL1_known4"),
            MotifInstance(sequence: "s0", start: 0, end: 3, motif: "motif"),
            MotifInstance(sequence: "s1", start: 2, end: 2, motif: "GATA")])
        XCTAssertEqual(try TruthBED.instances(path: path).count, 3)
        XCTAssertThrowsError(try TruthBED.instances(path: path, names: ["s1"])) {
            XCTAssertEqual("\($0)", "\(path): line 3: sequence 's0' is not in the input")
        }
    }

    func testIntervalsAreTheUnionOfTheRecordsPerChromosome() throws {
        // Random records against a per-base reference: the union covers exactly the bases some
        // record covers, sorted, with no two ranges overlapping or touching.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var text = "", covered: [String: Set<Int>] = [:]
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                let chrom = ["chr1", "chr2"].randomElement(using: &rng)!
                let start = Int.random(in: 0..<60, using: &rng), end = start + Int.random(in: 0..<10, using: &rng)
                text += "\(chrom)\t\(start)\t\(end)\n"
                covered[chrom, default: []].formUnion(start..<end)
            }
            let union = try TruthBED.intervals(path: try write(text))
            for (chrom, bases) in covered {
                let ranges = union[chrom] ?? []
                XCTAssertEqual(Set(ranges.flatMap { Array($0) }), bases, text)
                XCTAssertEqual(ranges.map(\.count).reduce(0, +), bases.count, text)
                for (a, b) in zip(ranges, ranges.dropFirst()) { XCTAssertLessThan(a.upperBound, b.lowerBound, text) }
            }
        }
    }
}
