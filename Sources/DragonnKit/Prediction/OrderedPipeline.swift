import Foundation

/// Work items 0..<count computed by several threads in any order and written strictly in order,
/// with at most `slots` items computed but not yet written (item i lives in slot i % slots).
///
/// Each thread loops `take` → compute into slot → `complete`. There is no writer thread and no
/// round that waits for its slowest thread: the thread that completes the item next in order
/// writes it, and every completed item after it, while the others go on computing. Writing is
/// done by one thread at a time, and the lock orders each item's computation before its write.
final class OrderedPipeline: @unchecked Sendable {
    private let condition = NSCondition()
    private let count: Int, slots: Int
    private var next = 0, written = 0
    /// Per slot: the item in it is computed and waits to be written.
    private var computed: [Bool]
    private var writing = false
    private var failure: Error?

    /// A pipeline over items 0..<count with `slots` (at least 1) items in flight at most.
    init(count: Int, slots: Int) {
        precondition(slots >= 1, "OrderedPipeline: no slots")
        self.count = count
        self.slots = slots
        computed = [Bool](repeating: false, count: slots)
    }

    /// The next item to compute, waiting while every slot holds an item not yet written; nil when
    /// every item is taken or the run has failed.
    func take() -> Int? {
        condition.lock(); defer { condition.unlock() }
        while failure == nil && next < count && next >= written + slots { condition.wait() }
        guard failure == nil, next < count else { return nil }
        next += 1
        return next - 1
    }

    /// Marks item `i` computed. Unless another thread is writing, this one then calls `write` (outside
    /// the lock) for each computed item next in order, until it meets one still being computed; a
    /// `write` that throws fails the run.
    func complete(_ i: Int, write: (Int) throws -> Void) {
        condition.lock(); defer { condition.unlock() }
        computed[i % slots] = true
        guard !writing else { return }
        writing = true
        while failure == nil && written < count && computed[written % slots] {
            let w = written
            condition.unlock()
            var error: Error?
            do { try write(w) } catch let e { error = e }
            condition.lock()
            if let error { failure = error; break }
            computed[w % slots] = false
            written += 1
            condition.broadcast()
        }
        writing = false
        condition.broadcast()
    }

    /// Fails the run with `error` (the first failure is kept): `take` returns nil from now on.
    func fail(_ error: Error) {
        condition.lock(); defer { condition.unlock() }
        if failure == nil { failure = error }
        condition.broadcast()
    }

    /// Throws the run's failure; otherwise checks that every item was written (call after every
    /// thread has stopped).
    func check() throws {
        condition.lock(); defer { condition.unlock() }
        if let failure { throw failure }
        precondition(written == count, "OrderedPipeline: \(count - written) items never written")
    }
}
