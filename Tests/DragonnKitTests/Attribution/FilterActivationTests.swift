import DragonnKit
import Foundation
import XCTest

final class FilterActivationTests: XCTestCase {
    /// Activation PWMs against a plain float64 count: every window's activation computed
    /// directly, sites = windows at or above half the largest, bases counted per position.
    func testActivationPWMsEqualDirectCount() {
        var rng = RandomSource(seed: 9)
        let filters = 3, width = 6, count = 20, length = 80
        // Integer weights and biases: activations are exact in float32 and float64 alike.
        let weights = (0..<(filters * 4 * width)).map { _ in Float(rng.int(in: -3...3)) }
        let bias: [Float] = [0, -2, 1]
        var codes = (0..<(count * length)).map { _ in UInt8(rng.int(below: 4)) }
        for i in stride(from: 5, to: codes.count, by: 97) { codes[i] = 4 }   // some N
        let pwms = FilterMotifs.activationPWMs(weights: weights, bias: bias, filters: filters, width: width,
                                               codes: codes, count: count, length: length)
        for f in 0..<filters {
            var activation: [Double] = []
            for s in 0..<count {
                for p in 0...(length - width) {
                    var a = Double(bias[f])
                    for k in 0..<width where codes[s * length + p + k] < 4 {
                        a += Double(weights[(f * 4 + Int(codes[s * length + p + k])) * width + k])
                    }
                    activation.append(a)
                }
            }
            let top = activation.max()!
            var counts = [Double](repeating: 0, count: 4 * width), sites = 0
            for (i, a) in activation.enumerated() where top > 0 && a >= top / 2 {
                sites += 1
                let s = i / (length - width + 1), p = i % (length - width + 1)
                for k in 0..<width where codes[s * length + p + k] < 4 { counts[k * 4 + Int(codes[s * length + p + k])] += 1 }
            }
            XCTAssertEqual(Double(pwms[f].maxActivation), top)
            XCTAssertEqual(pwms[f].sites, sites)
            XCTAssertGreaterThan(sites, 0)
            XCTAssertEqual(pwms[f].counts, counts)
            for k in 0..<width {
                XCTAssertEqual(pwms[f].probabilities[(k * 4)..<(k * 4 + 4)].reduce(0, +), 1, accuracy: 1e-12)
            }
        }
        let meme = FilterMotifs.memeText(pwms)
        XCTAssertTrue(meme.contains("MOTIF filter0\nletter-probability matrix: alength= 4 w= 6 nsites= \(pwms[0].sites) E= 0\n"))
        XCTAssertEqual(try MotifReader.parse(text: meme).count, filters)
    }

    /// A motif found inside a longer filter at its offset and on its strand, with a tiny p-value;
    /// unrelated random matrices are not called significant more often than chance allows.
    func testBestAlignmentFindsOffsetStrandAndCalibratedPValue() {
        var rng = RandomSource(seed: 4)
        func randomColumns(_ n: Int) -> [[Double]] {
            (0..<n).map { _ in
                let v = (0..<4).map { _ in rng.uniform() + 0.05 }
                let s = v.reduce(0, +)
                return v.map { $0 / s }
            }
        }
        let motif = randomColumns(6)
        var filter = randomColumns(12)
        let rc = motif.reversed().map { [$0[3], $0[2], $0[1], $0[0]] }
        for j in 0..<6 { filter[4 + j] = rc[j] }
        let a = FilterMotifs.bestAlignment(filter: filter, motif: motif)
        XCTAssertEqual(a.strand, "-")
        XCTAssertEqual(a.offset, 4)
        XCTAssertEqual(a.overlap, 6)
        XCTAssertEqual(a.correlation, 1, accuracy: 1e-9)
        XCTAssertLessThan(a.pValue, 1e-6)
        var significant = 0
        for _ in 0..<200 where FilterMotifs.bestAlignment(filter: randomColumns(10), motif: randomColumns(8)).pValue < 0.05 {
            significant += 1
        }
        XCTAssertLessThan(significant, 30, "about 10 of 200 expected under the null")
    }
}
