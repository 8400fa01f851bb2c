import XCTest
import DragonnKit

final class RandomSourceTests: XCTestCase {
    func testSameSeedSameStreamAndDifferentSeedsDiffer() {
        var a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
        let sa = (0..<100).map { _ in a.next() }, sb = (0..<100).map { _ in b.next() }
        let sc = (0..<100).map { _ in c.next() }
        XCTAssertEqual(sa, sb)
        XCTAssertNotEqual(sa, sc)
    }

    func testUniformMomentsAndIntegerRange() {
        var r = RandomSource(seed: 7)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0
        var counts = [Int](repeating: 0, count: 6)
        for _ in 0..<n {
            let u = r.uniform()
            XCTAssert(u >= 0 && u < 1)
            sum += u; sumSq += u * u
            counts[r.int(below: 6)] += 1
        }
        // Mean 1/2 (sd of the mean ~0.00065), variance 1/12.
        XCTAssertEqual(sum / Double(n), 0.5, accuracy: 0.004)
        XCTAssertEqual(sumSq / Double(n) - pow(sum / Double(n), 2), 1.0 / 12, accuracy: 0.002)
        // Chi-square with 5 degrees of freedom: 20.5 is its 0.999 quantile.
        let expected = Double(n) / 6
        let chi2 = counts.reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        XCTAssertLessThan(chi2, 20.5)
        for _ in 0..<1000 { XCTAssert((3...5).contains(r.int(in: 3...5))) }
    }

    func testNormalMoments() {
        var r = RandomSource(seed: 11)
        let n = 100_000
        let xs = (0..<n).map { _ in r.normal() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        XCTAssertEqual(mean, 0, accuracy: 0.015)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
    }

    func testSplitStreamsAreDeterministicAndIndependent() {
        let parent = RandomSource(seed: 5)
        var x = parent.split(1), y = parent.split(1), z = parent.split(2)
        let vx = x.next(), vy = y.next(), vz = z.next()
        XCTAssertEqual(vx, vy)
        XCTAssertNotEqual(vx, vz)
    }

    func testShuffleIsAPermutation() {
        var r = RandomSource(seed: 3)
        var a = Array(0..<50)
        r.shuffle(&a)
        XCTAssertEqual(a.sorted(), Array(0..<50))
        XCTAssertNotEqual(a, Array(0..<50))
    }
}
