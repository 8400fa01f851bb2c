import DragonnKit
import Foundation
import XCTest

/// Writing to a device or FIFO must write in place, never rename a temporary over it
/// (`-o /dev/null` run as root would otherwise replace /dev/null with a regular file).
final class OutputFileDeviceTests: XCTestCase {
    func testFifoIsWrittenInPlaceAndStaysAFifo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dragonn-fifo-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("pipe").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        final class Box: @unchecked Sendable { var data = Data() }
        let received = Box()
        let done = expectation(description: "reader")
        Thread.detachNewThread {
            if let handle = FileHandle(forReadingAtPath: fifo) {
                received.data = handle.readDataToEndOfFile()
                try? handle.close()
            }
            done.fulfill()
        }
        let out = try OutputFile(path: fifo)
        try out.write("hello fifo\n")
        try out.commit()
        wait(for: [done], timeout: 10)
        XCTAssertEqual(String(decoding: received.data, as: UTF8.self), "hello fifo\n")
        var info = stat()
        XCTAssertEqual(stat(fifo, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFIFO, "still a FIFO")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["pipe"], "no temporary left")
    }
}
