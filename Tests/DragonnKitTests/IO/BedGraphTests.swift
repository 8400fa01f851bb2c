import DragonnKit
import Foundation
import XCTest

final class BedGraphTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = IOFixture.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func write(_ name: String, _ intervals: [TrackInterval], _ values: [Float], order: [String]? = nil,
                       trackLine: String? = nil) throws -> [String] {
        let path = dir.appendingPathComponent(name).path
        let t = try OutputTransaction()
        try writeBedGraph(path: path, in: t, intervals: intervals, values: values, chromosomeOrder: order, trackLine: trackLine)
        try t.commit()
        if name.hasSuffix(".gz") { return [] }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testSortedByChromosomeOrderThenStartWithoutOverlaps() throws {
        // Sequences of 4 bases, out of order, overlapping on chr2 (from 10 and from 12).
        let iv = [TrackInterval(chrom: "chr2", start: 12, end: 16, valueIndex: 0, perBase: true),
                  TrackInterval(chrom: "chr1", start: 0, end: 4, valueIndex: 4, perBase: true),
                  TrackInterval(chrom: "chr2", start: 10, end: 14, valueIndex: 8, perBase: true)]
        let values: [Float] = [5, 6, 7, 8, 1, 1, 2, 3, 9, 10, 11, 12]
        // No genome: chromosomes in the order they first appear (chr2 first). Bases 12 and 13 are
        // in both chr2 windows (centres 12 and 14): base 12 (centre 12.5) is nearer the first,
        // base 13 the second.
        XCTAssertEqual(try write("a.bedGraph", iv, values),
                       ["chr2\t10\t11\t9.0", "chr2\t11\t12\t10.0", "chr2\t12\t13\t11.0", "chr2\t13\t14\t6.0",
                        "chr2\t14\t15\t7.0", "chr2\t15\t16\t8.0", "chr1\t0\t2\t1.0", "chr1\t2\t3\t2.0", "chr1\t3\t4\t3.0"])
        // The genome's order, and a track line only when asked for.
        XCTAssertEqual(try write("b.bedGraph", iv, values, order: ["chrM", "chr1", "chr2"], trackLine: "track type=bedGraph").prefix(3),
                       ["track type=bedGraph", "chr1\t0\t2\t1.0", "chr1\t2\t3\t2.0"])
        XCTAssertEqual((try FileManager.default.contentsOfDirectory(atPath: dir.path)).sorted(), ["a.bedGraph", "b.bedGraph"])
    }

    /// Lines are formatted in the output's buffer: each value as Swift's shortest round-trip text
    /// (exponents, negatives), zero and minus zero as `0`, large coordinates, and a chromosome
    /// name too long for the buffer's fast path, all as string interpolation would write them.
    func testValueTextAndLongNames() throws {
        let long = String(repeating: "chrUn_", count: 20_000)
        let values: [Float] = [-1.5e-7, 0, -0.0, 3.4028235e38, 0.1, -2, 1e-45]
        let iv = [TrackInterval(chrom: "chr1", start: 2_000_000_000, end: 2_000_000_007, valueIndex: 0, perBase: true),
                  TrackInterval(chrom: long, start: 5, end: 6, valueIndex: 4, perBase: false)]
        let lines = try write("v.bedGraph", iv, values)
        let expected = ["chr1\t2000000000\t2000000001\t-1.5e-07", "chr1\t2000000001\t2000000003\t0",
                        "chr1\t2000000003\t2000000004\t3.4028235e+38", "chr1\t2000000004\t2000000005\t0.1",
                        "chr1\t2000000005\t2000000006\t-2.0", "chr1\t2000000006\t2000000007\t1e-45", "\(long)\t5\t6\t0.1"]
        XCTAssertEqual(lines, expected)
        for (line, v) in zip(lines.prefix(6), [values[0], 0, values[3], values[4], values[5], values[6]]) {
            XCTAssertEqual(Float(line.split(separator: "\t")[3]), v, "reads back: \(line)")
        }
    }

    /// Random intervals, per-base and whole-region values, written and read back base by base, against
    /// a plain reference: each base takes the value of the covering interval whose centre is nearest
    /// (in Double), ties to the smaller start, then the earlier interval; nothing else is written.
    func testAgainstAPerBaseReference() throws {
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        for round in 0..<40 {
            var intervals: [TrackInterval] = [], values: [Float] = []
            for _ in 0..<(1 + next(12)) {
                let chrom = ["chrA", "chrB", "chrC"][next(3)]
                let start = next(60), length = 1 + next(15), perBase = next(2) == 0
                intervals.append(TrackInterval(chrom: chrom, start: start, end: start + length, valueIndex: values.count, perBase: perBase))
                // Few distinct values, so equal neighbours get merged.
                for _ in 0..<(perBase ? length : 1) { values.append(Float(next(3))) }
            }
            var expected: [String: [Int: Float]] = [:]
            for chrom in Set(intervals.map(\.chrom)) {
                for p in 0..<80 {
                    let covering = intervals.indices.filter { intervals[$0].chrom == chrom && intervals[$0].start <= p && p < intervals[$0].end }
                    guard let i = covering.min(by: {
                        let a = intervals[$0], b = intervals[$1]
                        let da = abs(Double(p) + 0.5 - Double(a.start + a.end) / 2), db = abs(Double(p) + 0.5 - Double(b.start + b.end) / 2)
                        return (da, a.start, $0) < (db, b.start, $1)
                    }) else { continue }
                    let iv = intervals[i]
                    expected[chrom, default: [:]][p] = values[iv.valueIndex + (iv.perBase ? p - iv.start : 0)]
                }
            }
            let lines = try write("r\(round).bedGraph", intervals, values, order: ["chrC", "chrB", "chrA"])
            var got: [String: [Int: Float]] = [:]
            var last: (String, Int, Float)? = nil
            var chromosomes: [String] = []
            for line in lines {
                let f = line.split(separator: "\t")
                let chrom = String(f[0]), start = Int(f[1])!, end = Int(f[2])!, value = Float(f[3])!
                XCTAssertLessThan(start, end)
                if chromosomes.last != chrom { XCTAssertFalse(chromosomes.contains(chrom), "chromosome split"); chromosomes.append(chrom) }
                if let (c, e, v) = last, c == chrom {
                    XCTAssertLessThanOrEqual(e, start, "overlap or unsorted")
                    XCTAssertFalse(e == start && v == value, "equal neighbours not merged")
                }
                for p in start..<end {
                    XCTAssertNil(got[chrom]?[p], "base written twice")
                    got[chrom, default: [:]][p] = value
                }
                last = (chrom, end, value)
            }
            XCTAssertEqual(got, expected, "round \(round)")
            XCTAssertEqual(chromosomes, ["chrC", "chrB", "chrA"].filter { expected[$0] != nil })
        }
    }

    private func tabix(_ args: [String]) throws -> String {
        let tabix = ["/usr/bin/tabix", "/usr/local/bin/tabix"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try XCTSkipIf(tabix == nil, "tabix not installed")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tabix!)
        process.arguments = args
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }

    func testBgzfWithTabixIndexAnswersQueries() throws {
        let path = dir.appendingPathComponent("a.bedGraph.gz").path
        let iv = [TrackInterval(chrom: "chr1", start: 1000, end: 1100, valueIndex: 0, perBase: true),
                  TrackInterval(chrom: "chr3", start: 50, end: 150, valueIndex: 100, perBase: true)]
        _ = try write("a.bedGraph.gz", iv, (0..<200).map { Float($0) }, trackLine: "track type=bedGraph")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".tbi"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".csi"))
        // 1-based query: bases 1010 and 1011.
        XCTAssertEqual(try tabix([path, "chr1:1011-1012"]), "chr1\t1010\t1011\t10.0\nchr1\t1011\t1012\t11.0\n")
    }

    /// Past 2^29 a tabix (.tbi) index cannot address positions: the index is CSI, and a stale
    /// .tbi of the file it replaces goes.
    func testPositionsBeyond2To29GetACSIIndex() throws {
        let path = dir.appendingPathComponent("big.bedGraph.gz").path
        try Data("stale".utf8).write(to: URL(fileURLWithPath: path + ".tbi"))
        let far = 600_000_000
        let iv = [TrackInterval(chrom: "chr1", start: 10, end: 20, valueIndex: 0, perBase: false),
                  TrackInterval(chrom: "chr1", start: far, end: far + 5, valueIndex: 1, perBase: false)]
        _ = try write("big.bedGraph.gz", iv, [1.5, 2.5])
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".csi"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tbi"), "stale .tbi removed")
        XCTAssertEqual(try tabix([path, "chr1:\(far + 2)-\(far + 3)"]), "chr1\t\(far)\t\(far + 5)\t2.5\n")
    }
}
