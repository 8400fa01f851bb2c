import XCTest
@testable import DragonnKit
@testable import DragonnKernels

/// Channel-major inference: the kernels against scalar references and against the position-major
/// kernels they stand in for (same summation order, so the same bits), and whole networks'
/// logits against the position-major forward pass.
final class ChannelMajorTests: XCTestCase {
    private func normals(_ n: Int, _ r: inout RandomSource) -> [Float] { (0..<n).map { _ in Float(r.normal()) } }

    /// Channel-major rows y[c·yRow + p] = x[p·xStride + c] (rows past `channels`, up to `rows`, hold NaN).
    private func channelMajor(_ x: [Float], xStride: Int, length: Int, channels: Int, rows: Int, yRow: Int) -> [Float] {
        var y = [Float](repeating: .nan, count: rows * yRow)
        for c in 0..<channels { for p in 0..<length { y[c * yRow + p] = x[p * xStride + c] } }
        return y
    }

    func testConvolutionMatchesNaiveAndPositionMajorBits() {
        var r = RandomSource(seed: 21)
        for (filters, nIn, width, outLength) in [(1, 1, 1, 1), (2, 4, 3, 31), (3, 15, 10, 32), (4, 7, 5, 33), (15, 15, 10, 982),
                                                 (16, 16, 4, 100), (17, 3, 2, 65), (5, 1, 9, 7)] {
            let inLength = outLength + width - 1
            let outStride = paddedChannels(filters), inStride = paddedChannels(nIn)
            // Position-major input [inLength][inStride] (padding 0) and its channel-major copy.
            var xPM = [Float](repeating: 0, count: inLength * inStride)
            for p in 0..<inLength { for c in 0..<nIn { xPM[p * inStride + c] = Float(r.normal()) } }
            let xRow = ChannelMajorConv.rowLength(inLength)
            var xCM = channelMajor(xPM, xStride: inStride, length: inLength, channels: nIn, rows: nIn, yRow: xRow)
            for c in 0..<nIn { for p in inLength..<xRow { xCM[c * xRow + p] = .infinity } }   // scratch: never read into valid outputs
            var w = [Float](repeating: 0, count: width * inStride * outStride)
            for k in 0..<width { for c in 0..<nIn { for f in 0..<filters { w[(k * inStride + c) * outStride + f] = Float(r.normal()) } } }
            var bias = [Float](repeating: 0, count: outStride)
            for f in 0..<filters { bias[f] = Float(r.normal()) }
            var packed = [Float](repeating: .nan, count: ChannelMajorConv.packedCount(filters: filters, nIn: nIn, width: width))
            ChannelMajorConv.pack(w: w, wRows: inStride, outStride: outStride, bias: bias, filters: filters, nIn: nIn, width: width, into: &packed)
            XCTAssertFalse(packed.contains { $0.isNaN }, "pack left values unwritten")
            let yRow = ChannelMajorConv.rowLength(outLength)
            for relu in [false, true] {
                var y = [Float](repeating: .nan, count: ChannelMajorConv.paddedFilters(filters) * yRow)
                ChannelMajorConv.forward(y: &y, yRow: yRow, filters: filters, outLength: outLength, x: xCM, xRow: xRow, nIn: nIn,
                                         packed: packed, width: width, relu: relu)
                var naive = [Float](repeating: 0, count: filters * yRow)
                ChannelMajorConv.forwardNaive(y: &naive, yRow: yRow, filters: filters, outLength: outLength, x: xCM, xRow: xRow, nIn: nIn,
                                              w: w, wRows: inStride, outStride: outStride, bias: bias, width: width, relu: relu)
                var pm = [Float](repeating: 0, count: outLength * outStride)
                Conv1D.forward(y: &pm, outStride: outStride, outLength: outLength, x: xPM, xStride: inStride, nIn: nIn,
                               w: w, wRows: inStride, width: width, bias: bias, relu: relu)
                var worst: Float = 0
                for f in 0..<filters {
                    for p in 0..<outLength {
                        let v = y[f * yRow + p]
                        XCTAssertEqual(v.bitPattern, pm[p * outStride + f].bitPattern,
                                       "filters \(filters) nIn \(nIn) width \(width) length \(outLength): f \(f) p \(p) differs from Conv1D")
                        worst = max(worst, abs(v - naive[f * yRow + p]))
                    }
                }
                XCTAssertLessThan(worst, 1e-4, "filters \(filters) nIn \(nIn) width \(width) length \(outLength): far from the naive sum")
            }
        }
    }

    func testRowsHoldTheKernelsBlocksAndAnOddNumberOfCacheLines() {
        for length in 1...2100 {
            let row = ChannelMajorConv.rowLength(length)
            let blocks = (length + ChannelMajorConv.blockPositions - 1) / ChannelMajorConv.blockPositions * ChannelMajorConv.blockPositions
            XCTAssertGreaterThanOrEqual(row, blocks + ChannelMajorConv.blockPositions, "length \(length)")
            XCTAssertEqual(row % 32, 16, "length \(length): \(row) floats is not an odd number of 64-byte lines")
        }
    }

    func testTransposeMovesEveryValue() {
        var r = RandomSource(seed: 24)
        for (channels, length, stride) in [(1, 1, 16), (15, 991, 16), (8, 8, 16), (17, 13, 32), (16, 7, 16), (3, 100, 16), (9, 23, 16)] {
            let x = normals(length * stride, &r)
            let row = ChannelMajorConv.rowLength(length)
            var y = [Float](repeating: .nan, count: (channels + 7) / 8 * 8 * row)
            ChannelMajorConv.transpose(x: x, xStride: stride, length: length, channels: channels, y: &y, yRow: row)
            for c in 0..<channels {
                for p in 0..<length where y[c * row + p] != x[p * stride + c] {
                    XCTFail("channels \(channels) length \(length): y[\(c)][\(p)] = \(y[c * row + p]), want \(x[p * stride + c])")
                    return
                }
            }
        }
    }

    func testMaxPoolMatchesPositionMajorPool() {
        var r = RandomSource(seed: 22)
        for (channels, length, width) in [(1, 1, 1), (15, 973, 35), (3, 40, 8), (4, 50, 7), (17, 100, 9), (2, 64, 16), (8, 70, 35),
                                          (16, 33, 11), (9, 24, 8)] {
            let stride = paddedChannels(channels)
            var xPM = [Float](repeating: 0, count: length * stride)
            for p in 0..<length { for c in 0..<channels { xPM[p * stride + c] = Float(r.normal()) } }
            let row = ChannelMajorConv.rowLength(length)
            // Rows past `channels` (read by the pool's groups of 8) hold NaN, which must reach no output.
            let xCM = channelMajor(xPM, xStride: stride, length: length, channels: channels, rows: (channels + 7) / 8 * 8, yRow: row)
            let pooledLength = length / width
            var expected = [Float](repeating: 0, count: pooledLength * stride)
            var argmax = [Int32](repeating: 0, count: pooledLength * stride)
            MaxPool.forward(x: xPM, stride: stride, pooledLength: pooledLength, width: width, pooled: &expected, argmax: &argmax)
            var pooled = [Float](repeating: 0, count: pooledLength * stride)   // lanes past `channels` stay 0, as in `expected`
            ChannelMajorConv.maxPool(x: xCM, xRow: row, channels: channels, pooledLength: pooledLength, width: width,
                                     pooled: &pooled, stride: stride)
            XCTAssertEqual(pooled, expected, "channels \(channels) length \(length) width \(width)")
        }
    }

    func testLogitsEqualPositionMajorForwardBits() throws {
        var r = RandomSource(seed: 23)
        for (filters, widths, length, pool) in [([15, 15, 15], [10, 10, 10], 300, 35), ([5, 7], [5, 4], 50, 7), ([4, 17], [3, 6], 80, 9),
                                                ([8, 3, 2], [2, 1, 5], 64, 4)] {
            let arch = Architecture(seqLength: length, numFilters: filters, convWidth: widths, poolWidth: pool, numTasks: 2)
            let net = try SequenceDNN(architecture: arch, seed: 5)
            for i in filters.indices { try net.setTensor("conv.\(i).bias", normals(filters[i], &r).map { $0 * 0.3 }) }
            XCTAssertTrue(net.shape.prefersChannelMajor, "\(filters): the channel-major path is not taken")
            let count = 37
            var codes = (0..<(count * length)).map { _ in UInt8(r.int(below: 4)) }
            for i in stride(from: 5, to: codes.count, by: 97) { codes[i] = 4 }   // some N
            let z = net.logits(codes: codes, count: count, threads: 2)
            let ws = Workspace(net.shape)
            let pairs = net.shape.pairTable(net.params.base)
            for n in 0..<count {
                codes.withUnsafeBufferPointer { ws.forward(codes: $0.baseAddress! + n * length, params: net.params.base, dropout: 0, random: nil, pairs: pairs) }
                for t in 0..<2 {
                    XCTAssertEqual(z[n * 2 + t].bitPattern, ws.logits.base[t].bitPattern, "\(filters): sequence \(n) task \(t)")
                }
            }
        }
        // Filters that fill whole SIMD16 rows stay position-major.
        let full = ModelShape(Architecture(seqLength: 100, numFilters: [16, 16], convWidth: [5, 5], poolWidth: 10))
        XCTAssertFalse(full.prefersChannelMajor)
        XCTAssertFalse(ModelShape(Architecture(seqLength: 100, numFilters: [15], convWidth: [5], poolWidth: 10)).prefersChannelMajor)
    }
}
