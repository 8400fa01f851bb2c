import DragonnKit
import XCTest

final class ProgressLineTests: XCTestCase {
    /// A progress line over a recorded stderr.
    func line(terminal: Bool, enabled: Bool = true, prefix: String = "") -> (ProgressLine, () -> [String]) {
        final class Record { var writes: [String] = [] }
        let record = Record()
        let p = ProgressLine(prefix: prefix, enabled: enabled, terminal: terminal) { record.writes.append($0) }
        return (p, { record.writes })
    }

    func testOnATerminalProgressIsRedrawnAndReportsReplaceIt() {
        let (p, writes) = line(terminal: true, prefix: "tool: ")
        XCTAssertTrue(p.isActive)
        p.show("1 of 3")
        p.show("2 of 3")
        p.report("epoch 1 done")
        p.report("epoch 2 done")       // nothing to erase: no progress since the last report
        p.show("3 of 3")
        p.finish()
        p.finish()                      // already ended
        XCTAssertEqual(writes(), ["\r\u{1B}[Ktool: 1 of 3", "\r\u{1B}[Ktool: 2 of 3", "\r\u{1B}[Kepoch 1 done\n",
                                  "epoch 2 done\n", "\r\u{1B}[Ktool: 3 of 3", "\n"])
    }

    func testWithoutATerminalOnlyReportLinesAreWritten() {
        for (terminal, enabled) in [(false, true), (true, false)] {
            let (p, writes) = line(terminal: terminal, enabled: enabled)
            XCTAssertFalse(p.isActive)
            p.show("1 of 3")
            p.report("done")
            p.finish()
            XCTAssertEqual(writes(), ["done\n"])
        }
    }
}
