import XCTest
import DragonnKit

final class DragonnErrorTests: XCTestCase {
    func testNamesFileAndLine() {
        XCTAssertEqual(DragonnError(file: "x.fa", line: 3, "empty sequence").description,
                       "x.fa: line 3: empty sequence")
        XCTAssertEqual(DragonnError(file: "-", "truncated").description, "<stdin>: truncated")
    }

    func testControlCharactersAreEscapedAndLongNamesCut() {
        let hostile = "\u{1B}]0;TITLE\u{07}\u{1B}[2J"
        let e = DragonnError(file: "x.fa", line: 2, "record '\(hostile)' has no sequence")
        XCTAssertEqual(e.description, "x.fa: line 2: record '\\x1B]0;TITLE\\x07\\x1B[2J' has no sequence")
        XCTAssertFalse(e.description.unicodeScalars.contains { $0.value < 0x20 })
        let long = DragonnError(file: "x.fa", "record '" + String(repeating: "N", count: 10_000_000) + "' is bad")
        XCTAssertLessThanOrEqual(long.description.count, DragonnError.maxLength)
        XCTAssertTrue(long.description.hasPrefix("x.fa: record 'NNN"))
        XCTAssertTrue(long.description.hasSuffix("NNN' is bad"))
        XCTAssertTrue(long.description.contains("characters cut"))
    }
}
