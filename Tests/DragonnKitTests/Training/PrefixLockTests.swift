import Foundation
import XCTest
@testable import DragonnKit

final class PrefixLockTests: XCTestCase {
    func testSecondHolderIsRefusedNamingTheFirstAndLockIsFreedOnRelease() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)").path
        let first = try PrefixLock(prefix: prefix)
        XCTAssertTrue(FileManager.default.fileExists(atPath: prefix + ".lock"))
        XCTAssertThrowsError(try PrefixLock(prefix: prefix)) { error in
            XCTAssertTrue("\(error)".contains("process \(getpid())"), "\(error)")
        }
        first.release()
        XCTAssertFalse(FileManager.default.fileExists(atPath: prefix + ".lock"))
        let again = try PrefixLock(prefix: prefix)
        again.release()
    }

    func testLockFileLeftByADeadRunDoesNotBlock() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)").path
        try "99999999\n".write(toFile: prefix + ".lock", atomically: false, encoding: .utf8)
        let lock = try PrefixLock(prefix: prefix)
        lock.release()
    }
}
