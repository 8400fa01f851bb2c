import XCTest
import DragonnKit

/// The fast paths agree with the plain ones: layer 0 through the tap-pair table (used by
/// `logits` and training) against a dense convolution over one-hot columns (`logits(dense:)`,
/// what expectation references run through), for odd and even widths, several filter groups and
/// N bases (all-zero columns); and logits do not depend on the thread count.
final class LayerConsistencyTests: XCTestCase {
    func testPairedFirstLayerMatchesPlainGather() throws {
        var r = RandomSource(seed: 5)
        for width in 1...7 {
            for filters in [1, 15, 17] {
                let arch = Architecture(seqLength: 40, numFilters: [filters, 3], convWidth: [width, 2], poolWidth: 3, numTasks: 2)
                let model = try SequenceDNN(architecture: arch, seed: UInt64(width * 100 + filters))
                try model.setTensor("conv.0.bias", (0..<filters).map { _ in Float(r.normal()) })
                let n = 5
                let codes = (0..<(n * 40)).map { _ in r.int(below: 10) == 0 ? UInt8(4) : UInt8(r.int(below: 4)) }
                let fast = model.logits(codes: codes, count: n, threads: 1)
                XCTAssertEqual(model.logits(codes: codes, count: n, threads: 3), fast)
                var oneHot = [Float](repeating: 0, count: codes.count * 4)
                for (i, c) in codes.enumerated() where c < 4 { oneHot[4 * i + Int(c)] = 1 }
                let plain = model.logits(dense: oneHot, count: n)
                for i in 0..<(n * 2) {
                    XCTAssertEqual(fast[i], plain[i], accuracy: 1e-5 * max(1, abs(plain[i])),
                                   "width \(width), \(filters) filters, sequence \(i / 2)")
                }
            }
        }
    }
}
