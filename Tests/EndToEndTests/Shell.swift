import Foundation
import XCTest

/// Runs shell pipelines against the built tools: the build folder is put first on PATH, so a test
/// writes `dragonn-sim ... | dragonn-encode -` exactly as a user would.
enum Shell {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The folder holding the built executables (the test bundle sits beside them).
    static let binDirectory: URL = {
        if let dir = ProcessInfo.processInfo.environment["DRAGONN_BIN"] { return URL(fileURLWithPath: dir) }
        var url = Bundle.main.bundleURL
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("dragonn-sim").path),
              url.path != "/" {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// The repository root (for testdata/, man/, completions/).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The fixture folder `sequence-dnn-small` (model.safetensors, inputs.fa, expected.json): the
    /// repository's copy, else the shared one; nil when neither exists.
    static let fixture: URL? = {
        let candidates = [repoRoot.appendingPathComponent("testdata/fixtures/sequence-dnn-small"),
                          repoRoot.appendingPathComponent("../shared/fixtures/sequence-dnn-small"),
                          URL(fileURLWithPath: "/work/shared/fixtures/sequence-dnn-small")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("model.safetensors").path) }
    }()

    /// A fresh scratch folder, removed when the process ends is not guaranteed: tests clean up.
    static func scratch(_ name: String = #function) -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("dragonn-tests-\(getpid())-\(safe)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `command` with bash (`set -o pipefail`), in `directory`, with the tools on PATH.
    @discardableResult
    static func run(_ command: String, in directory: URL? = nil, stdin: Data? = nil) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -o pipefail; " + command]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = binDirectory.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        do { try process.run() } catch { return Result(status: -1, stdout: "", stderr: "\(error)") }
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty stderr cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Base of the end-to-end tests that run the tools on the fixture model: each test gets a fresh
/// scratch folder `dir` (removed after it) and the fixture's paths; a missing fixture fails the test.
class FixtureTestCase: XCTestCase {
    /// The running test's scratch folder.
    var dir: URL!
    /// The fixture model (60 bp, two tasks) and its six input sequences.
    var model = "", inputs = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        let fixture = try XCTUnwrap(Shell.fixture, "fixture model not found")
        model = fixture.appendingPathComponent("model.safetensors").path
        inputs = fixture.appendingPathComponent("inputs.fa").path
        dir = Shell.scratch(name)
    }

    override func tearDown() {
        if let dir { try? FileManager.default.removeItem(at: dir) }
        super.tearDown()
    }
}
