import Foundation
import XCTest
import DragonnKit

final class OutputFileTests: XCTestCase {
    private func tempDir() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dragonn-out-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func testNothingVisibleBeforeCommitAndContentAfter() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.txt").path
        let out = try OutputFile(path: path)
        try out.write("hello ")
        try out.write([UInt8]("world\n".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        try out.commit()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "hello world\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.txt"])
    }

    func testUncommittedOutputLeavesNothing() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            let out = try OutputFile(path: dir.appendingPathComponent("b.txt").path)
            try out.write(String(repeating: "x", count: 3_000_000))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testGzipPathIsBGZFThatGzipReads() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.txt.gz").path
        let out = try OutputFile(path: path)
        let text = (0..<50_000).map { "line \($0)\n" }.joined()
        try out.write(text)
        try out.commit()
        let raw = try Data(contentsOf: URL(fileURLWithPath: path))
        // BGZF: gzip magic plus the 'BC' extra subfield.
        XCTAssertEqual(Array(raw.prefix(4)), [0x1f, 0x8b, 0x08, 0x04])
        XCTAssertEqual(Array(raw[12...13]), [0x42, 0x43])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc '\(path)'"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let decoded = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(String(decoding: decoded, as: UTF8.self), text)
    }

    func testAtomicReplaceRemovesTemporaryOnError() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("d.npy").path
        XCTAssertThrowsError(try AtomicFile.replace(path: path) { tmp in
            FileManager.default.createFile(atPath: tmp, contents: Data([1, 2, 3]))
            throw DragonnError("boom")
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
        try AtomicFile.replace(path: path) { tmp in
            FileManager.default.createFile(atPath: tmp, contents: Data([9]))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data([9]))
    }

    func testUnwritableFolderIsAClearError() {
        XCTAssertThrowsError(try OutputFile(path: "/nonexistent-dir/x.txt")) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent-dir/x.txt: cannot create"), "\(error)")
        }
    }
}

final class AtomicFileSpecialTargetTests: XCTestCase {
    /// A rename over `/dev/null` would turn the device into a regular file (as root): the finished
    /// temporary must be copied into special files instead.
    func testReplaceWritesThroughToADevice() throws {
        try AtomicFile.replace(path: "/dev/null") { tmp in
            FileManager.default.createFile(atPath: tmp, contents: Data(repeating: 7, count: 1000))
        }
        var info = stat()
        XCTAssertEqual(stat("/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/null is no longer a character device")
    }

    func testReplaceWritesThroughToAFIFO() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dragonn-fifo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [fifo]
        let pipe = Pipe()
        reader.standardOutput = pipe
        try reader.run()
        try AtomicFile.replace(path: fifo) { tmp in
            FileManager.default.createFile(atPath: tmp, contents: Data("through the fifo\n".utf8))
        }
        let got = pipe.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        XCTAssertEqual(String(decoding: got, as: UTF8.self), "through the fifo\n")
        var info = stat()
        XCTAssertEqual(stat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO)
    }
}
