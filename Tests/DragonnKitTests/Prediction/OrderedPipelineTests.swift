import XCTest
import Dispatch
@testable import DragonnKit

/// The track's pipeline: items computed by several threads in any order are written once each,
/// in order, never more than `slots` ahead of the writing; a failing write stops the run.
final class OrderedPipelineTests: XCTestCase {
    /// Runs `count` items on `threads` threads with uneven compute times; returns the order of
    /// the writes and the largest number of items seen computed-or-computing but unwritten.
    private func run(count: Int, slots: Int, threads: Int, failAt: Int? = nil) -> (order: [Int], ahead: Int, error: Error?) {
        let pipeline = OrderedPipeline(count: count, slots: slots)
        let lock = NSLock()
        var order: [Int] = [], inFlight = 0, ahead = 0
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            while let i = pipeline.take() {
                lock.withLock { inFlight += 1; ahead = max(ahead, inFlight) }
                usleep(UInt32((i * 7919 + t * 31) % 5) * 200)   // uneven: items finish out of order
                pipeline.complete(i) { w in
                    if w == failAt { throw DragonnError("write \(w) failed") }
                    lock.withLock { order.append(w); inFlight -= 1 }
                }
            }
        }
        var error: Error?
        do { try pipeline.check() } catch let e { error = e }
        return (order, ahead, error)
    }

    func testItemsAreWrittenOnceEachInOrder() {
        for (count, slots, threads) in [(0, 3, 2), (1, 1, 2), (50, 1, 3), (200, 6, 2), (300, 4, 4), (97, 10, 3)] {
            let r = run(count: count, slots: slots, threads: threads)
            XCTAssertNil(r.error)
            XCTAssertEqual(r.order, Array(0..<count), "count \(count), slots \(slots), threads \(threads)")
            XCTAssertLessThanOrEqual(r.ahead, slots, "more items in flight than slots")
        }
    }

    func testAFailedWriteStopsTheRun() {
        let r = run(count: 400, slots: 4, threads: 3, failAt: 57)
        XCTAssertEqual(r.order, Array(0..<57), "writes after the failure")
        XCTAssertEqual((r.error as? DragonnError)?.description, "write 57 failed")
    }
}
