import DragonnKit
import Foundation
import XCTest

final class BedGraphTests: XCTestCase {
    private func scratch() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attrib-bg-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testPlacementFromNames() {
        XCTAssertEqual(TrackPlacement.fromName("chr1:101-110", length: 10), TrackPlacement(chrom: "chr1", origin: 100))
        XCTAssertEqual(TrackPlacement.fromName("chr1:100-110", length: 10), TrackPlacement(chrom: "chr1", origin: 100))
        XCTAssertEqual(TrackPlacement.fromName("seq7", length: 10), TrackPlacement(chrom: "seq7", origin: 0))
        XCTAssertEqual(TrackPlacement.fromName("chr1:5-9", length: 10), TrackPlacement(chrom: "chr1:5-9", origin: 0))
    }

    func testSortedNonOverlappingGenomicCoordinates() throws {
        let dir = scratch(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.bedGraph").path
        let length = 4
        // Out of order, overlapping on chr2: chr2 from 10 and from 12.
        let placements = [TrackPlacement(chrom: "chr2", origin: 12), TrackPlacement(chrom: "chr1", origin: 0),
                          TrackPlacement(chrom: "chr2", origin: 10)]
        let values: [Float] = [5, 6, 7, 8, 1, 1, 2, 3, 9, 10, 11, 12]
        try writeBedGraph(path: path, values: values, length: length, placements: placements,
                          trackLine: "track type=bedGraph name=\"t\"")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["track type=bedGraph name=\"t\"",
                               "chr1\t0\t2\t1.0", "chr1\t2\t3\t2.0", "chr1\t3\t4\t3.0",
                               "chr2\t10\t11\t9.0", "chr2\t11\t12\t10.0", "chr2\t12\t13\t11.0", "chr2\t13\t14\t12.0",
                               "chr2\t14\t15\t7.0", "chr2\t15\t16\t8.0"])
        // No temporary left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.bedGraph"])
    }

    func testBgzfWithTabixIndexAnswersQueries() throws {
        let tabix = ["/usr/bin/tabix", "/usr/local/bin/tabix"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try XCTSkipIf(tabix == nil, "tabix not installed")
        let dir = scratch(); defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.bedGraph.gz").path
        let length = 100
        let placements = [TrackPlacement(chrom: "chr1", origin: 1000), TrackPlacement(chrom: "chr3", origin: 50)]
        let values = (0..<(2 * length)).map { Float($0) }
        try writeBedGraph(path: path, values: values, length: length, placements: placements, trackLine: "track type=bedGraph")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + ".tbi"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tabix!)
        process.arguments = [path, "chr1:1011-1012"]   // 1-based: bases 1010 and 1011
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(String(decoding: data, as: UTF8.self), "chr1\t1010\t1011\t10.0\nchr1\t1011\t1012\t11.0\n")
    }
}
