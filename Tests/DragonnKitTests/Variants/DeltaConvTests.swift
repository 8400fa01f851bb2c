import XCTest
@testable import DragonnKit
@testable import DragonnKernels

/// The variant cone's convolution of input changes (`DeltaConv`) against its float64 reference,
/// over changes that are mostly zero (whole rows and single channels), with output rows that
/// reach before the first and past the last input row.
final class DeltaConvTests: XCTestCase {
    func testDeltaConvMatchesNaive() {
        var random = RandomSource(seed: 2024)
        var shapes = [(15, 15, 10, 10, -9), (1, 1, 1, 1, 0), (20, 33, 7, 4, -3), (16, 16, 5, 12, 2)]
        for _ in 0..<30 {
            shapes.append((random.int(in: 1...24), random.int(in: 1...40), random.int(in: 1...12), random.int(in: 1...20),
                           random.int(in: -12...3)))
        }
        for (filters, nIn, width, rows, first) in shapes {
            let outStride = paddedChannels(filters), xStride = paddedChannels(nIn), wRows = xStride
            let outLength = max(1, rows - first - width + 1 + random.int(below: 2 * width))
            var dx = [Float](repeating: 0, count: rows * xStride)
            for q in 0..<rows where random.int(below: 4) != 0 {
                for c in 0..<nIn where random.int(below: 2) == 0 { dx[q * xStride + c] = Float(random.normal()) }
            }
            var w = [Float](repeating: 0, count: width * wRows * outStride)
            for k in 0..<width { for c in 0..<nIn { for f in 0..<filters { w[(k * wRows + c) * outStride + f] = Float(random.normal()) } } }
            var fast = [Float](repeating: .nan, count: outLength * outStride), naive = fast, magnitude = fast
            var counts = [Int32](repeating: -1, count: rows), channels = [Int32](repeating: -1, count: rows * xStride)
            let total = DeltaConv.nonzero(dx, xStride: xStride, nIn: nIn, rows: rows, counts: &counts, channels: &channels)
            XCTAssertEqual(total, dx.filter { $0 != 0 }.count)
            for q in 0..<rows {
                let listed = channels[(q * xStride)..<(q * xStride + Int(counts[q]))].map(Int.init)
                XCTAssertEqual(listed, (0..<nIn).filter { dx[q * xStride + $0] != 0 }, "row \(q)")
            }
            DeltaConv.forward(dz: &fast, outStride: outStride, outLength: outLength, dx: dx, xStride: xStride, rows: rows,
                              first: first, counts: counts, channels: channels, w: w, wRows: wRows, width: width)
            DeltaConv.forwardNaive(dz: &naive, outStride: outStride, outLength: outLength, dx: dx, xStride: xStride, nIn: nIn,
                                   rows: rows, first: first, w: w, wRows: wRows, width: width)
            DeltaConv.forwardNaive(dz: &magnitude, outStride: outStride, outLength: outLength, dx: dx.map(abs), xStride: xStride,
                                   nIn: nIn, rows: rows, first: first, w: w.map(abs), wRows: wRows, width: width)
            for i in naive.indices where !(abs(fast[i] - naive[i]) <= 1e-5 * magnitude[i] + 1e-30) {
                XCTFail("\(filters)/\(nIn)/\(width)/\(rows)/\(first): [\(i)] \(fast[i]) vs \(naive[i])")
                break
            }
        }
    }
}
