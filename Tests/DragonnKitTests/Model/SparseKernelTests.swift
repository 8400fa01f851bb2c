import XCTest
@testable import DragonnKit
@testable import DragonnKernels

/// The sparse paths of the backward pass against dense naive references: the max-pool's routed
/// rows (training gradients and DeepLIFT multipliers) over random windows with ties, the
/// input-side convolution (`ScatterConv`) over inputs with many zeros, and the per-reference
/// multiplier at the reference's own base (`OneHotInput.backwardAtCodes`).
final class SparseKernelTests: XCTestCase {
    var random = RandomSource(seed: 1414)

    /// n floats; with `levels`, drawn from {0, 0.5, 1, ...} so that windows hold ties.
    func floats(_ n: Int, levels: Int = 0, zeroEvery: Int = 0) -> [Float] {
        (0..<n).map { _ in
            if zeroEvery > 0 && random.int(below: zeroEvery) == 0 { return 0 }
            return levels > 0 ? Float(random.int(below: levels)) / 2 : Float(random.normal())
        }
    }

    func assertClose(_ a: [Float], _ b: [Float], magnitude: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        XCTAssertTrue(b.contains { $0 != 0 }, "\(what): reference all zero", file: file, line: line)
        for i in b.indices where !(abs(a[i] - b[i]) <= 1e-5 * magnitude[i] + 1e-30) {
            return XCTFail("\(what): [\(i)] \(a[i]) vs \(b[i])", file: file, line: line)
        }
    }

    /// Runs `body` with mutable pointers to copies of the arrays and returns the copies.
    func with(_ arrays: [[Float]], _ body: ([UnsafeMutablePointer<Float>]) -> Void) -> [[Float]] {
        let buffers = arrays.map { a -> UnsafeMutablePointer<Float> in
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(a.count, 1) + 16)
            p.initialize(repeating: 0, count: max(a.count, 1) + 16)
            p.update(from: a, count: a.count)
            return p
        }
        defer { buffers.forEach { $0.deallocate() } }
        body(buffers)
        return zip(arrays, buffers).map { Array(UnsafeBufferPointer(start: $1, count: $0.count)) }
    }

    /// A random layer below a max-pool: input channels, filters, width, pool width, output
    /// length (at least one window, usually a remainder after the last).
    func randomLayer() -> (Int, Int, Int, Int, Int) {
        let inChannels = random.int(in: 1...20), filters = random.int(in: 1...20)
        let width = random.int(in: 1...10), poolWidth = random.int(in: 1...12)
        return (inChannels, filters, width, poolWidth, poolWidth * random.int(in: 1...5) + random.int(below: poolWidth))
    }

    func testScatterConvMatchesNaive() {
        var shapes = [(15, 15, 10, 60, 0), (1, 1, 1, 1, 0), (40, 33, 15, 7, 16), (16, 16, 5, 3, 0), (3, 17, 12, 20, 0)]
        for _ in 0..<40 {
            shapes.append((random.int(in: 1...40), random.int(in: 1...40), random.int(in: 1...15), random.int(in: 1...40),
                           random.int(below: 4) == 0 ? 16 : 0))
        }
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: 64)
        defer { scratch.deallocate() }
        var scattered = 0, dense = 0
        defer { XCTAssertGreaterThan(scattered, 20); XCTAssertGreaterThan(dense, 5) }   // both paths taken
        for (n, (filters, nIn, width, outLength, extra)) in shapes.enumerated() {
            let outStride = paddedChannels(filters), xStride = paddedChannels(nIn) + extra, wRows = xStride
            let inLength = outLength + width - 1
            // Three inputs in four zero, some rows entirely: the scatter (below `denseAbove`);
            // or (every fourth shape) all nonzero: the dense kernel it hands over to.
            let sparse = n % 4 != 3
            var x = floats(inLength * xStride)
            for i in x.indices where sparse && random.int(below: 4) != 0 { x[i] = 0 }
            for q in Swift.stride(from: 0, to: inLength, by: 3) where sparse { for c in 0..<xStride { x[q * xStride + c] = 0 } }
            let live = (0..<inLength).flatMap { q in x[(q * xStride)..<(q * xStride + nIn)] }.filter { $0 != 0 }.count
            if Double(live) <= ScatterConv.denseAbove * Double(nIn * inLength) { scattered += 1 } else { dense += 1 }
            let w = floats(width * wRows * outStride)
            let bias: [Float]? = n % 3 == 2 ? nil : floats(outStride)
            func run(_ x: [Float], _ w: [Float], _ bias: [Float]?, naive: Bool) -> [Float] {
                with([[Float](repeating: .nan, count: outLength * outStride), x, w, bias ?? []]) { p in
                    let b: UnsafePointer<Float>? = bias == nil ? nil : UnsafePointer(p[3])
                    if naive {
                        Conv1D.forwardNaive(y: p[0], outStride: outStride, outLength: outLength, x: p[1], xStride: xStride,
                                            nIn: nIn, w: p[2], wRows: wRows, width: width, bias: b)
                    } else {
                        ScatterConv.forward(y: p[0], outStride: outStride, outLength: outLength, x: p[1], xStride: xStride,
                                            nIn: nIn, w: p[2], wRows: wRows, width: width, bias: b, nonzero: scratch)
                    }
                }[0]
            }
            let magnitude = run(x.map(abs), w.map(abs), bias?.map(abs), naive: true)
            assertClose(run(x, w, bias, naive: false), run(x, w, bias, naive: true), magnitude: magnitude,
                        "scatter conv \(filters)/\(nIn)/\(width)/\(outLength)")
        }
    }

    /// The deepest layer below the max-pool: activations with ties in every window, the gradient
    /// routed to each window's first arg-max. The sparse path (scatter from the routed rows,
    /// weight sums over the rows that hold anything) against the dense one (every row looks up
    /// whether it is its window's arg-max; sums and the transposed convolution over all rows).
    func testSparseMaxPoolBackwardEqualsDense() {
        for trial in 0..<30 {
            let (inChannels, filters, width, poolWidth, outLength) = randomLayer()
            let inStride = paddedChannels(inChannels), outStride = paddedChannels(filters)
            let inLength = outLength + width - 1, pooledLength = outLength / poolWidth
            // Layer input (a ReLU output) and the layer's output after its ReLU: few levels, many ties.
            var x = floats(inLength * inStride, levels: 4)
            for q in 0..<inLength { for c in inChannels..<inStride { x[q * inStride + c] = 0 } }
            var y = floats(outLength * outStride, levels: trial % 2 == 0 ? 3 : 2)
            for p in 0..<outLength { for f in filters..<outStride { y[p * outStride + f] = 0 } }
            var w = [Float](repeating: 0, count: width * inStride * outStride)
            for k in 0..<width { for c in 0..<inChannels { for f in 0..<filters { w[(k * inStride + c) * outStride + f] = Float(random.normal()) } } }
            let dPooled = floats(pooledLength * outStride)
            var pooled = [Float](repeating: 0, count: pooledLength * outStride)
            var argmax = [Int32](repeating: 0, count: pooledLength * outStride)
            MaxPool.forward(x: y, stride: outStride, pooledLength: pooledLength, width: poolWidth, pooled: &pooled, argmax: &argmax)
            let dW0 = floats(width * inStride * outStride), dB0 = floats(outStride)
            let padRows = width - 1
            var flipped = [Float](repeating: 0, count: width * outStride * inStride)
            Conv1D.flipTranspose(w: w, wRows: inStride, outStride: outStride, width: width, inChannels: inChannels,
                                 outChannels: filters, into: &flipped, inStride: inStride)

            // Dense: the gradient at every row, ReLU, sums over every row, the full transposed convolution.
            let dense = with([[Float](repeating: .nan, count: outLength * outStride), dW0, dB0,
                              [Float](repeating: .nan, count: inLength * inStride)]) { p in
                MaxPool.backwardNaive(dPooled: dPooled, argmax: argmax, stride: outStride, pooledLength: pooledLength,
                                      width: poolWidth, dX: p[0], length: outLength)
                ReLUDropout.backwardNaive(dY: p[0], y: y, count: outLength * outStride, scale: 1)
                Conv1D.backwardWeightsNaive(dW: p[1], dB: p[2], dY: p[0], outStride: outStride, outLength: outLength, x: x,
                                            xStride: inStride, rows: inStride, wRows: inStride, width: width)
                Conv1D.backwardInputNaive(dX: p[3], inStride: inStride, inChannels: inChannels, dY: p[0], outStride: outStride,
                                          outLength: outLength, outChannels: filters, w: w, wRows: inStride, width: width)
            }
            let magnitude = with([[Float](repeating: .nan, count: outLength * outStride), dW0.map(abs), dB0.map(abs),
                                  [Float](repeating: .nan, count: inLength * inStride)]) { p in
                MaxPool.backwardNaive(dPooled: dPooled.map(abs), argmax: argmax, stride: outStride, pooledLength: pooledLength,
                                      width: poolWidth, dX: p[0], length: outLength)
                ReLUDropout.backwardNaive(dY: p[0], y: y, count: outLength * outStride, scale: 1)
                Conv1D.backwardWeightsNaive(dW: p[1], dB: p[2], dY: p[0], outStride: outStride, outLength: outLength,
                                            x: x.map(abs), xStride: inStride, rows: inStride, wRows: inStride, width: width)
                Conv1D.backwardInputNaive(dX: p[3], inStride: inStride, inChannels: inChannels, dY: p[0], outStride: outStride,
                                          outLength: outLength, outChannels: filters, w: w.map(abs), wRows: inStride, width: width)
            }
            // The sparse path; p[4], p[5]: the engine's sums over all rows, which the sparse ones equal bit for bit.
            var routed: [[Float]] = []
            let sparse = with([[Float](repeating: .nan, count: (outLength + 2 * padRows) * outStride), dW0, dB0,
                               [Float](repeating: .nan, count: inLength * inStride), dW0, dB0]) { p in
                let dY = p[0] + padRows * outStride
                MaxPool.backward(dPooled: dPooled, argmax: argmax, stride: outStride, pooledLength: pooledLength,
                                 dX: dY, length: outLength)
                ReLUDropout.backward(dY: dY, y: y, count: outLength * outStride, scale: 1)
                let rows = UnsafeMutablePointer<Int32>.allocate(capacity: outLength)
                defer { rows.deallocate() }
                let n = NonzeroRows.find(dY, stride: outStride, length: outLength, into: rows)
                XCTAssertLessThanOrEqual(n, pooledLength * filters)
                Conv1D.backwardWeights(dW: p[1], dB: p[2], dY: dY, outStride: outStride, outLength: outLength, x: x,
                                       xStride: inStride, rows: inStride, wRows: inStride, width: width,
                                       positions: rows, positionCount: n)
                Conv1D.backwardWeights(dW: p[4], dB: p[5], dY: dY, outStride: outStride, outLength: outLength, x: x,
                                       xStride: inStride, rows: inStride, wRows: inStride, width: width)
                RoutedConv.backwardInput(dX: p[3], inStride: inStride, inLength: inLength, dY: dY, outStride: outStride,
                                         route: argmax, pooledLength: pooledLength, filters: filters, wf: flipped, width: width)
                routed = [Array(UnsafeBufferPointer(start: dY, count: outLength * outStride))]
            }
            let what = "trial \(trial): \(inChannels)->\(filters), width \(width), pool \(poolWidth), length \(outLength)"
            XCTAssertEqual(routed[0], dense[0], "routed output gradient, \(what)")
            XCTAssertEqual(sparse[1], sparse[4], "weight gradient, sparse rows vs all rows, \(what)")
            XCTAssertEqual(sparse[2], sparse[5], "bias gradient, sparse rows vs all rows, \(what)")
            if dense[0].contains(where: { $0 != 0 }) {
                assertClose(sparse[1], dense[1], magnitude: magnitude[1], "weight gradient, \(what)")
                assertClose(sparse[3], dense[3], magnitude: magnitude[3], "input gradient, \(what)")
            }
        }
    }

    /// The training path's max-pool + ReLU backward from the routed elements only
    /// (`MaxPool.backwardThroughReLU`) against the dense kernels it replaces: `MaxPool.backward`,
    /// `ReLUDropout.backward` and `NonzeroRows.find`, over random windows with ties, inactive
    /// units and zero multipliers, called repeatedly on one buffer (cleared row by row in
    /// between, as the workspace does) so leftovers from an earlier call would show.
    func testMaxPoolBackwardThroughReLUEqualsDense() {
        for trial in 0..<40 {
            let (_, filters, _, poolWidth, length) = randomLayer()
            let stride = paddedChannels(filters), pooledLength = length / poolWidth
            var dX = [Float](repeating: 0, count: length * stride)
            var rows = [Int32](repeating: -1, count: length), written = 0
            var flags = [UInt8](repeating: 0, count: length)
            for call in 0..<3 {
                // ReLU outputs (ties, zeros) and the multipliers, some exactly zero.
                let y = floats(length * stride, levels: 3)
                var pooled = [Float](repeating: 0, count: pooledLength * stride)
                var argmax = [Int32](repeating: 0, count: pooledLength * stride)
                MaxPool.forward(x: y, stride: stride, pooledLength: pooledLength, width: poolWidth, pooled: &pooled, argmax: &argmax)
                // Multipliers of the padded channels are zero, as the dense layer's backward leaves them.
                var dPooled = floats(pooledLength * stride, zeroEvery: 4)
                for q in 0..<pooledLength { for c in filters..<stride { dPooled[q * stride + c] = 0 } }
                let scale: Float = call == 1 ? 1.25 : 1
                var dense = [Float](repeating: .nan, count: length * stride)
                MaxPool.backward(dPooled: dPooled, argmax: argmax, stride: stride, pooledLength: pooledLength, dX: &dense, length: length)
                ReLUDropout.backward(dY: &dense, y: y, count: length * stride, scale: scale)
                var denseRows = [Int32](repeating: -1, count: length)
                let nDense = NonzeroRows.find(dense, stride: stride, length: length, into: &denseRows)
                for j in 0..<written { for c in 0..<stride { dX[Int(rows[j]) * stride + c] = 0 } }
                written = MaxPool.backwardThroughReLU(dPooled: dPooled, argmax: argmax, y: y, scale: scale, stride: stride,
                                                      channels: filters, pooledLength: pooledLength, width: poolWidth, dX: &dX,
                                                      rows: &rows, flags: &flags)
                let what = "trial \(trial), call \(call): \(filters) filters, pool \(poolWidth), length \(length)"
                XCTAssertEqual(dX, dense, what)
                XCTAssertEqual(Array(rows[0..<written]), Array(denseRows[0..<nDense]), what)
                XCTAssertEqual(flags, [UInt8](repeating: 0, count: length), "scratch flags left set, \(what)")
            }
        }
    }

    /// DeepLIFT's max-pool rule: the routed multipliers taken through the layer by the scatter
    /// from the routed rows equal a dense reference (every row's multiplier, then the full
    /// transposed convolution), with ties inside windows and between input and reference.
    func testSparseRescaleMaxPoolEqualsDense() {
        for trial in 0..<30 {
            let (inChannels, filters, width, poolWidth, outLength) = randomLayer()
            let inStride = paddedChannels(inChannels), outStride = paddedChannels(filters)
            let inLength = outLength + width - 1, pooledLength = outLength / poolWidth
            var x = floats(outLength * outStride, levels: 3), r = floats(outLength * outStride, levels: 3)
            for i in Swift.stride(from: 0, to: x.count, by: 4) { r[i] = x[i] }
            for p in 0..<outLength { for f in filters..<outStride { x[p * outStride + f] = 0; r[p * outStride + f] = 0 } }
            var w = [Float](repeating: 0, count: width * inStride * outStride)
            for k in 0..<width { for c in 0..<inChannels { for f in 0..<filters { w[(k * inStride + c) * outStride + f] = Float(random.normal()) } } }
            var flipped = [Float](repeating: 0, count: width * outStride * inStride)
            Conv1D.flipTranspose(w: w, wRows: inStride, outStride: outStride, width: width, inChannels: inChannels,
                                 outChannels: filters, into: &flipped, inStride: inStride)
            let dPooled = floats(pooledLength * outStride)
            var naiveRoute = [Int32](repeating: 0, count: max(1, pooledLength * outStride)), route = naiveRoute
            // Dense reference: every row of every window gets its multiplier (zero off the arg-max).
            func denseRun(_ w: [Float], _ dPooled: [Float]) -> [[Float]] {
                with([[Float](repeating: .nan, count: outLength * outStride), [Float](repeating: .nan, count: inLength * inStride)]) { p in
                    RescaleRule.maxPoolNaive(dPooled: dPooled, x: x, reference: r, stride: outStride, pooledLength: pooledLength,
                                             width: poolWidth, dX: p[0], length: outLength, route: &naiveRoute)
                    Conv1D.backwardInputNaive(dX: p[1], inStride: inStride, inChannels: inChannels, dY: p[0], outStride: outStride,
                                              outLength: outLength, outChannels: filters, w: w, wRows: inStride, width: width)
                }
            }
            let dense = denseRun(w, dPooled)
            let padRows = width - 1
            let sparse = with([[Float](repeating: .nan, count: (outLength + 2 * padRows) * outStride),
                               [Float](repeating: .nan, count: inLength * inStride)]) { p in
                let dY = p[0] + padRows * outStride
                RescaleRule.maxPool(dPooled: dPooled, x: x, reference: r, stride: outStride, pooledLength: pooledLength,
                                    width: poolWidth, dX: dY, length: outLength, route: &route)
                RoutedConv.backwardInput(dX: p[1], inStride: inStride, inLength: inLength, dY: dY, outStride: outStride,
                                         route: route, pooledLength: pooledLength, filters: filters, wf: flipped, width: width)
            }
            XCTAssertEqual(route, naiveRoute, "trial \(trial): routes")
            XCTAssertEqual(Array(sparse[0][(padRows * outStride)..<((padRows + outLength) * outStride)]), dense[0],
                           "trial \(trial): max-pool multipliers")
            if dense[0].contains(where: { $0 != 0 }) {
                // Magnitude of each sum: the same dense run on absolute values (multipliers are
                // linear in dPooled, so |dPooled| bounds the per-row values).
                let magnitude = with([dense[0].map(abs), [Float](repeating: .nan, count: inLength * inStride)]) { p in
                    Conv1D.backwardInputNaive(dX: p[1], inStride: inStride, inChannels: inChannels, dY: p[0], outStride: outStride,
                                              outLength: outLength, outChannels: filters, w: w.map(abs), wRows: inStride, width: width)
                }
                assertClose(sparse[1], dense[1], magnitude: magnitude[1], "trial \(trial): input multipliers")
            }
        }
    }

    /// Layer 0 right below the max-pool (one-layer models): its table gradient summed over the
    /// routed rows equals, bit for bit, the sum over every row.
    func testFirstLayerWeightGradientOverRoutedRows() {
        for trial in 0..<20 {
            let (_, filters, width, poolWidth, outLength) = randomLayer()
            let outStride = paddedChannels(filters), pooledLength = outLength / poolWidth
            let codes = (0..<(outLength + width - 1)).map { _ in UInt8(random.int(below: 6)) }
            var y = floats(outLength * outStride, levels: 3)
            for p in 0..<outLength { for f in filters..<outStride { y[p * outStride + f] = 0 } }
            var pooled = [Float](repeating: 0, count: pooledLength * outStride)
            var argmax = [Int32](repeating: 0, count: pooledLength * outStride)
            MaxPool.forward(x: y, stride: outStride, pooledLength: pooledLength, width: poolWidth, pooled: &pooled, argmax: &argmax)
            let dPooled = floats(pooledLength * outStride)
            let tableSize = width * Conv1DCodes.rows * outStride
            let dW0 = floats(tableSize), dB0 = floats(outStride)
            let r = with([[Float](repeating: .nan, count: outLength * outStride), dW0, dB0, dW0, dB0]) { p in
                MaxPool.backward(dPooled: dPooled, argmax: argmax, stride: outStride, pooledLength: pooledLength, dX: p[0], length: outLength)
                ReLUDropout.backward(dY: p[0], y: y, count: outLength * outStride, scale: 1)
                let rows = UnsafeMutablePointer<Int32>.allocate(capacity: outLength)
                defer { rows.deallocate() }
                let n = NonzeroRows.find(p[0], stride: outStride, length: outLength, into: rows)
                Conv1DCodes.backwardWeights(dW: p[1], dB: p[2], dY: p[0], outStride: outStride, outLength: outLength,
                                            codes: codes, width: width, positions: rows, positionCount: n)
                Conv1DCodes.backwardWeights(dW: p[3], dB: p[4], dY: p[0], outStride: outStride, outLength: outLength,
                                            codes: codes, width: width)
            }
            XCTAssertEqual(r[1], r[3], "trial \(trial): table gradient")
            XCTAssertEqual(r[2], r[4], "trial \(trial): bias gradient")
            XCTAssertNotEqual(r[1], dW0, "trial \(trial): something was added")
        }
    }

    func testBackwardAtCodesMatchesNaive() {
        // Widths from 4 share row loads across four positions (its ramps at both ends); narrower
        // ones and the last length % 4 positions go one at a time.
        for (filters, width, length) in [(15, 10, 60), (20, 3, 9), (1, 1, 4), (33, 15, 20), (16, 4, 11), (5, 5, 5)] {
            let outStride = paddedChannels(filters), outLength = length - width + 1
            var w = [Float](repeating: 0, count: width * Conv1DCodes.rows * outStride)
            for k in 0..<width { for b in 0..<4 { for f in 0..<filters { w[(k * Conv1DCodes.rows + b) * outStride + f] = Float(random.normal()) } } }
            var padded = [Float](repeating: 0, count: (outLength + 2 * (width - 1)) * outStride)
            for p in 0..<outLength { for f in 0..<filters { padded[(p + width - 1) * outStride + f] = Float(random.normal()) } }
            let codes = (0..<length).map { _ in UInt8(random.int(below: 6)) }   // 4 and 5: N and out of range
            let start = floats(length)
            let results = with([[Float](repeating: .nan, count: 4 * length), start, w.map(abs), padded.map(abs),
                                [Float](repeating: .nan, count: 4 * length)]) { p in
                OneHotInput.backwardNaive(dX: p[0], inLength: length, dYPadded: padded, outStride: outStride, w: w, width: width)
                OneHotInput.backwardAtCodes(shift: p[1], inLength: length, codes: codes, dYPadded: padded, outStride: outStride,
                                            w: w, width: width)
                OneHotInput.backwardNaive(dX: p[4], inLength: length, dYPadded: p[3], outStride: outStride, w: p[2], width: width)
            }
            var expected = start, magnitude = start.map(abs)
            for q in 0..<length where codes[q] < 4 {
                let i = 4 * q + Int(codes[q])
                expected[q] += results[0][i]
                magnitude[q] += results[4][i]
            }
            assertClose(results[1], expected, magnitude: magnitude, "at codes \(filters)/\(width)/\(length)")
        }
    }
}
