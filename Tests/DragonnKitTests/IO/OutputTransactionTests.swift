import DragonnKit
import Foundation
import XCTest

final class OutputTransactionTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = IOFixture.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
    private func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() }
    private func text(_ name: String) -> String? { try? String(contentsOfFile: path(name), encoding: .utf8) }

    func testOutputsAppearTogetherAtCommitAndNotBefore() throws {
        let t = try OutputTransaction()
        let a = try t.open(path("a.txt")), b = try t.open(path("b.txt"))
        try a.write("hello ")
        try a.write([UInt8]("world\n".utf8))
        try b.write(String(repeating: "x", count: 3_000_000))   // more than the buffer
        XCTAssertEqual(files().filter { !$0.hasPrefix(".") }, [], "nothing at the final paths before commit")
        XCTAssertEqual(files().filter { $0.hasPrefix(".a.txt.tmp-") || $0.hasPrefix(".b.txt.tmp-") }.count, 2, "hidden temporaries beside")
        try t.commit()
        XCTAssertEqual(text("a.txt"), "hello world\n")
        XCTAssertEqual(text("b.txt")?.count, 3_000_000)
        XCTAssertEqual(files(), ["a.txt", "b.txt"])
    }

    func testDiscardOrReleaseLeavesNothingAndKeepsWhatWasThere() throws {
        try "old\n".write(toFile: path("keep.txt"), atomically: false, encoding: .utf8)
        do {
            let t = try OutputTransaction()
            try t.open(path("keep.txt")).write("new\n")
            try t.open(path("c.txt")).write("c\n")
            _ = try t.openNpy(path("d.npy"), dtype: .uint8, rowShape: [4])
            t.discard()
        }
        do {
            let t = try OutputTransaction()
            try t.open(path("e.txt")).write(String(repeating: "e", count: 2_000_000))
            // released without commit (an error unwinding)
        }
        XCTAssertEqual(files(), ["keep.txt"])
        XCTAssertEqual(text("keep.txt"), "old\n")
    }

    func testAFailingOutputCommitsNoneOfTheRun() throws {
        let t = try OutputTransaction()
        try t.open(path("ok.txt")).write("fine\n")
        // Unsorted: tabix cannot index it, so finishing this track fails.
        try t.openTrack(path("bad.bedGraph.gz")).write("chr1\t100\t200\t1\nchr1\t5\t10\t1\n")
        XCTAssertThrowsError(try t.commit()) { XCTAssertTrue("\($0)".contains("bad.bedGraph.gz: cannot build the tabix index"), "\($0)") }
        XCTAssertEqual(files(), [], "no output of the failed run, no temporary")
    }

    func testGzipPathIsBGZFThatGzipReads() throws {
        let text = (0..<50_000).map { "line \($0)\n" }.joined()
        try OutputTransaction.write(path("c.txt.gz")) { try $0.write(text) }
        let raw = try Data(contentsOf: URL(fileURLWithPath: path("c.txt.gz")))
        // BGZF: gzip magic plus the 'BC' extra subfield.
        XCTAssertEqual(Array(raw.prefix(4)), [0x1f, 0x8b, 0x08, 0x04])
        XCTAssertEqual(Array(raw[12...13]), [0x42, 0x43])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc '\(path("c.txt.gz"))'"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let decoded = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(String(decoding: decoded, as: UTF8.self), text)
    }

    func testSameFileAsAnInputOrAnotherOutputIsRefusedBeforeWork() throws {
        try ">a\nACGT\n".write(toFile: path("in.fa"), atomically: false, encoding: .utf8)
        XCTAssertEqual(symlink(path("in.fa"), path("link.fa")), 0)
        XCTAssertEqual(link(path("in.fa"), path("hard.fa")), 0)
        try FileManager.default.createDirectory(atPath: path("sub"), withIntermediateDirectories: false)
        let cases: [([String], [String], String)] = [
            ([path("in.fa")], [path("in.fa")], "the output is the same file as the input"),
            ([path("in.fa")], [dir.path + "/sub/../in.fa"], "the output is the same file as the input"),
            ([path("in.fa")], [path("link.fa")], "the output is the same file as the input"),
            ([path("in.fa")], [path("hard.fa")], "the output is the same file as the input"),
            ([path("link.fa")], [path("in.fa")], "the output is the same file as the input"),
            ([], [path("x.txt"), path("x.txt")], "named as two outputs"),
            ([], [path("x.txt"), dir.path + "/sub/../x.txt"], "the output is the same file as the output"),
            ([], ["-", "-"], "only one output can go to stdout"),
            ([], [path("sub")], "is a folder"),
        ]
        for (inputs, outputs, message) in cases {
            XCTAssertThrowsError(try OutputTransaction(inputs: inputs, outputs: outputs), "\(inputs) \(outputs)") { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        // Devices may take any number of outputs; stdin as an input is no file.
        XCTAssertNoThrow(try OutputTransaction(inputs: ["-", "/dev/null"], outputs: ["/dev/null", "/dev/null", "-"]))
        // Opening one path twice is refused too.
        let t = try OutputTransaction()
        _ = try t.open(path("y.txt"))
        XCTAssertThrowsError(try t.open(path("y.txt")))
        XCTAssertEqual(text("in.fa"), ">a\nACGT\n")
    }

    func testReplacingAFileKeepsItsPermissionBits() throws {
        for mode: mode_t in [0o600, 0o640, 0o755] {
            let p = path("m\(mode).txt")
            try "before\n".write(toFile: p, atomically: false, encoding: .utf8)
            XCTAssertEqual(chmod(p, mode), 0)
            try OutputTransaction.write(p) { try $0.write("after\n") }
            var info = stat()
            XCTAssertEqual(stat(p, &info), 0)
            XCTAssertEqual(info.st_mode & 0o7777, mode)
            XCTAssertEqual(text("m\(mode).txt"), "after\n")
        }
        // A new file gets 0666 less the umask, as other tools' outputs do.
        let mask = umask(0o022); umask(mask)
        try OutputTransaction.write(path("new.txt")) { try $0.write("n\n") }
        var info = stat()
        XCTAssertEqual(stat(path("new.txt"), &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o666 & ~mask)
    }

    /// A library writing by name gets a temporary for a regular file (renamed at commit, with
    /// the replaced file's mode, after its finish), the path itself for stdout and devices, and
    /// an error for those when its format cannot be streamed.
    func testExternalWritersGetATemporaryOrThePathItself() throws {
        let p = path("lib.out")
        try "before\n".write(toFile: p, atomically: false, encoding: .utf8)
        XCTAssertEqual(chmod(p, 0o640), 0)
        let t = try OutputTransaction()
        var finished: [String] = []
        let name = try t.openExternal(p, finish: { finished.append("lib") })
        XCTAssertNotEqual(name, p)
        XCTAssertEqual(try t.openExternal("/dev/null", finish: { finished.append("null") }), "/dev/null")
        _ = try t.openExternal(path("never.idx"), optional: true)   // may stay unwritten
        try "after\n".write(toFile: name, atomically: false, encoding: .utf8)
        XCTAssertEqual(text("lib.out"), "before\n", "replaced only at commit")
        try t.commit()
        XCTAssertEqual(finished, ["lib", "null"])
        XCTAssertEqual(text("lib.out"), "after\n")
        var info = stat()
        XCTAssertEqual(stat(p, &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o640)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("never.idx")))
        let refusing = try OutputTransaction()
        for special in ["-", "/dev/null"] {
            XCTAssertThrowsError(try refusing.openExternal(special, requiresFile: "a bigWig track")) {
                XCTAssertTrue("\($0)".hasSuffix(": a bigWig track needs a regular file path (it cannot be streamed)"), "\($0)")
            }
        }
    }

    func testDevicesAreWrittenInPlaceNeverReplaced() throws {
        let t = try OutputTransaction()
        try t.open("/dev/null").write("text\n")
        let npy = try t.openNpy("/dev/null", dtype: .uint8, rowShape: [2])
        try [UInt8]([1, 2]).withUnsafeBytes { try npy.append($0) }
        npy.addRows(1)
        try t.commit()
        var info = stat()
        XCTAssertEqual(stat("/dev/null", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/null is still a character device")
    }

    /// A FIFO is written in place: the reader gets the bytes and the FIFO stays a FIFO.
    func testFifoIsWrittenInPlaceAndStaysAFifo() throws {
        let fifo = path("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for kind in ["text", "npy"] {
            let reader = Process()
            reader.executableURL = URL(fileURLWithPath: "/bin/cat")
            reader.arguments = [fifo]
            let pipe = Pipe()
            reader.standardOutput = pipe
            try reader.run()
            let t = try OutputTransaction()
            if kind == "text" {
                try t.open(fifo).write("hello fifo\n")
            } else {
                let w = try t.openNpy(fifo, dtype: .uint8, rowShape: [3])
                try [UInt8]([7, 8, 9]).withUnsafeBytes { try w.append($0) }
                w.addRows(1)
            }
            try t.commit()
            let got = pipe.fileHandleForReading.readDataToEndOfFile()
            reader.waitUntilExit()
            if kind == "text" {
                XCTAssertEqual(String(decoding: got, as: UTF8.self), "hello fifo\n")
            } else {
                // A complete .npy: header with the final shape, then the row.
                XCTAssertTrue(String(decoding: got.prefix(128), as: UTF8.self).contains("'shape': (1, 3)"))
                XCTAssertEqual(Array(got.suffix(3)), [7, 8, 9])
            }
            var info = stat()
            XCTAssertEqual(stat(fifo, &info), 0)
            XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "still a FIFO")
        }
        XCTAssertEqual(files(), ["pipe"], "no temporary left")
    }

    func testUnwritableFolderIsAClearError() {
        XCTAssertThrowsError(try OutputTransaction.write("/nonexistent-dir/x.txt") { _ in }) { error in
            XCTAssertTrue("\(error)".hasPrefix("/nonexistent-dir/x.txt: cannot create"), "\(error)")
        }
    }

    func testNpyOutputIsPatchedWithItsFinalShape() throws {
        let t = try OutputTransaction()
        let w = try t.openNpy(path("x.npy"), dtype: .float32, rowShape: [2], bufferSize: 16)
        for r in 0..<5 {
            try [Float(r), Float(-r)].withUnsafeBytes { try w.append($0) }
            w.addRows(1)
        }
        try t.commit()
        let (shape, values) = try readNpyFloat(path: path("x.npy"))
        XCTAssertEqual(shape, [5, 2])
        XCTAssertEqual(values, [0, -0, 1, -1, 2, -2, 3, -3, 4, -4])
    }
}
