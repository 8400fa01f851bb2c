import Foundation
import XCTest

/// Scratch folders and files for IO tests.
enum IOFixture {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let encodeData = repoRoot.appendingPathComponent("testdata/encode")

    static func scratch(_ name: String = #function) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("dragonn-io-\(getpid())-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(6))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @discardableResult
    static func write(_ text: String, _ name: String, in dir: URL) -> String {
        let path = dir.appendingPathComponent(name).path
        try! text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    /// Runs a program (e.g. gzip) and waits.
    static func run(_ exe: String, _ args: [String]) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        try! p.run(); p.waitUntilExit()
    }
}

/// Asserts that `body` throws a DragonnError whose message contains every fragment.
func XCTAssertThrowsMessage<T>(_ body: @autoclosure () throws -> T, _ fragments: String...,
                               file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an error containing \(fragments)", file: file, line: line)
    } catch {
        let text = "\(error)"
        for f in fragments where !text.contains(f) {
            XCTFail("error '\(text)' lacks '\(f)'", file: file, line: line)
        }
    }
}
