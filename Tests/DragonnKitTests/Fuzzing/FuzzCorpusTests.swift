import DragonnKit
import XCTest

/// Replays the fuzz corpora (`testdata/fuzz/<parser>/`, seeds and the regression inputs of every
/// crash the fuzzers found) through their parsers in the ordinary test run, so a fixed crash stays
/// fixed without running libFuzzer. Files named `broken-*` (hand-made) or `crash-*`, `oom-*`,
/// `timeout-*` (found by fuzzing) must be rejected with a one-line error naming the file; every
/// other file is valid and must be accepted.
final class FuzzCorpusTests: XCTestCase {
    override class func tearDown() { FuzzParser.removeFuzzGenome() }

    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("testdata/fuzz")

    static let rejectedPrefixes = ["broken-", "crash-", "oom-", "timeout-"]

    func files(_ parser: FuzzParser) throws -> [String] {
        let folder = Self.corpus.appendingPathComponent(parser.rawValue)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .map { folder.appendingPathComponent($0).path }
    }

    func testEveryParserHasValidAndBrokenSeeds() throws {
        for parser in FuzzParser.allCases {
            let names = try files(parser).map { ($0 as NSString).lastPathComponent }
            XCTAssertTrue(names.contains { n in !Self.rejectedPrefixes.contains { n.hasPrefix($0) } },
                          "\(parser): no valid seed")
            XCTAssertTrue(names.contains { n in Self.rejectedPrefixes.contains { n.hasPrefix($0) } },
                          "\(parser): no broken seed")
        }
    }

    func testCorpusFilesAreAcceptedOrRejectedCleanly() throws {
        for parser in FuzzParser.allCases {
            for path in try files(parser) {
                // A trap here would end the test process: that is the failure this test guards.
                XCTAssertNil(parser.check(path: path), "\(parser): \(path)")
                let rejected = Self.rejectedPrefixes.contains { (path as NSString).lastPathComponent.hasPrefix($0) }
                do {
                    try parser.run(path: path)
                    XCTAssertFalse(rejected, "\(parser) accepted \(path), which is named as malformed")
                } catch {
                    XCTAssertTrue(rejected, "\(parser) rejected valid seed \(path): \(error)")
                }
            }
        }
    }
}
