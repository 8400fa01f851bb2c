import XCTest
import DragonnKit

final class DragonnErrorTests: XCTestCase {
    func testNamesFileAndLine() {
        XCTAssertEqual(DragonnError(file: "x.fa", line: 3, "empty sequence").description,
                       "x.fa: line 3: empty sequence")
        XCTAssertEqual(DragonnError(file: "-", "truncated").description, "<stdin>: truncated")
    }
}
