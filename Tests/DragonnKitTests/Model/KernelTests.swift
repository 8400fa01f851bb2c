import XCTest
@testable import DragonnKit
@testable import DragonnKernels

/// Every fast kernel against the plain scalar reference beside it (same file, same layouts),
/// and every block schedule against every other, over random shapes with the edge cases the
/// blocks make: fewer positions or rows than one block, each remainder, 1..40 channels, widths
/// 1..15, N and out-of-range base codes, strides wider than the channels. Schedules must agree
/// exactly (each output is summed in the same order); a kernel whose summation order differs
/// from its reference must agree within 1e-5 of the magnitude Σ|terms| of each output, which
/// the reference computes from absolute values.
final class KernelTests: XCTestCase {
    /// A case: filters (→ outStride), input channels, width, output length, stride padding.
    struct ConvShape: CustomStringConvertible {
        var filters: Int, nIn: Int, width: Int, outLength: Int, extraStride: Int
        var outStride: Int { paddedChannels(filters) }
        var xStride: Int { paddedChannels(nIn) + extraStride }
        var inLength: Int { outLength + width - 1 }
        var description: String {
            "filters \(filters), nIn \(nIn), width \(width), outLength \(outLength), xStride \(xStride)"
        }
    }

    /// Fixed edge cases (outLength and nIn 1...17: every remainder of the 8- and 6-blocks; one
    /// position, one channel, widths 1 and 15, 40 channels) followed by random shapes.
    func convShapes(random count: Int, seed: UInt64) -> [ConvShape] {
        var shapes = (1...17).map { ConvShape(filters: 15, nIn: $0, width: 3, outLength: $0, extraStride: 0) }
        shapes += [ConvShape(filters: 1, nIn: 1, width: 1, outLength: 1, extraStride: 0),
                   ConvShape(filters: 40, nIn: 40, width: 15, outLength: 2, extraStride: 16),
                   ConvShape(filters: 33, nIn: 15, width: 10, outLength: 23, extraStride: 0),
                   ConvShape(filters: 16, nIn: 16, width: 15, outLength: 7, extraStride: 0)]
        var r = RandomSource(seed: seed)
        for _ in 0..<count {
            shapes.append(ConvShape(filters: r.int(in: 1...40), nIn: r.int(in: 1...40), width: r.int(in: 1...15),
                                    outLength: r.int(in: 1...40), extraStride: r.int(below: 4) == 0 ? 16 : 0))
        }
        return shapes
    }

    func randomFloats(_ n: Int, _ r: inout RandomSource) -> [Float] { (0..<n).map { _ in Float(r.normal()) } }

    /// |fast − reference| ≤ 1e-5 · magnitude (+ a denormal floor) element by element.
    func assertClose(_ fast: [Float], _ reference: [Float], magnitude: [Float], _ what: @autoclosure () -> String,
                     file: StaticString = #filePath, line: UInt = #line) {
        guard fast.count == reference.count else {
            return XCTFail("\(what()): \(fast.count) vs \(reference.count) elements", file: file, line: line)
        }
        for i in reference.indices where !(abs(fast[i] - reference[i]) <= 1e-5 * magnitude[i] + 1e-30) {
            XCTFail("\(what()): element \(i): \(fast[i]) vs reference \(reference[i]) (magnitude \(magnitude[i]))",
                    file: file, line: line)
            return
        }
    }

    /// a == b element by element; a failure names the first element that differs.
    func assertIdentical<T: Equatable>(_ a: [T], _ b: [T], _ what: @autoclosure () -> String,
                                       file: StaticString = #filePath, line: UInt = #line) {
        guard a.count == b.count else { return XCTFail("\(what()): \(a.count) vs \(b.count) elements", file: file, line: line) }
        if let i = a.indices.first(where: { a[$0] != b[$0] }) {
            XCTFail("\(what()): element \(i): \(a[i]) vs \(b[i])", file: file, line: line)
        }
    }

    // MARK: Conv1D

    func convForward(_ s: ConvShape, x: [Float], w: [Float], bias: [Float]?,
                     _ kernel: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?) -> Void) -> [Float] {
        var y = [Float](repeating: .nan, count: s.outLength * s.outStride)
        y.withUnsafeMutableBufferPointer { yb in
            x.withUnsafeBufferPointer { xb in
                w.withUnsafeBufferPointer { wb in
                    if let bias {
                        bias.withUnsafeBufferPointer { kernel(yb.baseAddress!, xb.baseAddress!, wb.baseAddress!, $0.baseAddress!) }
                    } else {
                        kernel(yb.baseAddress!, xb.baseAddress!, wb.baseAddress!, nil)
                    }
                }
            }
        }
        return y
    }

    /// The default schedule is the one the build's registers suit (the Makefile defines
    /// DRAGONN_AVX512 for AVX-512 targets).
    func testNativeScheduleFollowsBuild() {
        #if DRAGONN_AVX512
        XCTAssertEqual(BlockSchedule.native, .by8)
        #else
        XCTAssertEqual(BlockSchedule.native, .by6)
        #endif
        XCTAssertEqual([Block1.size, Block2.size, Block4.size, Block6.size, Block8.size], [1, 2, 4, 6, 8])
    }

    func testConv1DForwardEverySchedule() {
        var r = RandomSource(seed: 11)
        for (n, s) in convShapes(random: 40, seed: 12).enumerated() {
            let wRows = s.nIn + r.int(below: s.xStride - s.nIn + 1)
            let x = randomFloats(s.inLength * s.xStride, &r)
            let w = randomFloats(s.width * wRows * s.outStride, &r)
            let bias: [Float]? = n % 5 == 4 ? nil : randomFloats(s.outStride, &r)
            func run(_ schedule: BlockSchedule?) -> [Float] {
                convForward(s, x: x, w: w, bias: bias) { y, x, w, b in
                    if let schedule {
                        Conv1D.forward(schedule: schedule, y: y, outStride: s.outStride, outLength: s.outLength, x: x,
                                       xStride: s.xStride, nIn: s.nIn, w: w, wRows: wRows, width: s.width, bias: b)
                    } else {
                        Conv1D.forward(y: y, outStride: s.outStride, outLength: s.outLength, x: x,
                                       xStride: s.xStride, nIn: s.nIn, w: w, wRows: wRows, width: s.width, bias: b)
                    }
                }
            }
            let native = run(nil)
            assertIdentical(native, run(.native), "\(s)")
            // The fused ReLU: every schedule's output through max(·, 0), bit for bit.
            for schedule in BlockSchedule.allCases {
                let fused = convForward(s, x: x, w: w, bias: bias) { y, x, w, b in
                    Conv1D.forward(schedule: schedule, y: y, outStride: s.outStride, outLength: s.outLength, x: x,
                                   xStride: s.xStride, nIn: s.nIn, w: w, wRows: wRows, width: s.width, bias: b, relu: true)
                }
                assertIdentical(fused, native.map { max($0, 0) }, "fused ReLU, \(schedule), \(s)")
            }
            for schedule in BlockSchedule.allCases { assertIdentical(run(schedule), native, "\(schedule), \(s)") }
            func naive(_ x: [Float], _ w: [Float], _ bias: [Float]?) -> [Float] {
                convForward(s, x: x, w: w, bias: bias) {
                    Conv1D.forwardNaive(y: $0, outStride: s.outStride, outLength: s.outLength, x: $1, xStride: s.xStride,
                                        nIn: s.nIn, w: $2, wRows: wRows, width: s.width, bias: $3)
                }
            }
            assertClose(native, naive(x, w, bias), magnitude: naive(x.map(abs), w.map(abs), bias?.map(abs)), "\(s)")
        }
    }

    func testConv1DBackwardWeightsEverySchedule() {
        var r = RandomSource(seed: 21)
        for (n, s) in convShapes(random: 40, seed: 22).enumerated() {
            // The fixed cases take every row count 1...17 (each remainder of the row blocks).
            let wRows = s.xStride, rows = n < 17 ? s.nIn : r.int(in: 1...s.xStride)
            let x = randomFloats(s.inLength * s.xStride, &r)
            let dY = randomFloats(s.outLength * s.outStride, &r)
            let dW0 = randomFloats(s.width * wRows * s.outStride, &r), dB0 = randomFloats(s.outStride, &r)
            // (dW, dB) after one call on copies of dW0, dB0.
            func run(_ x: [Float], _ dY: [Float], _ dW0: [Float], _ dB0: [Float],
                     _ kernel: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) -> Void) -> ([Float], [Float]) {
                var dW = dW0, dB = dB0
                dW.withUnsafeMutableBufferPointer { w in
                    dB.withUnsafeMutableBufferPointer { b in
                        dY.withUnsafeBufferPointer { d in
                            x.withUnsafeBufferPointer { kernel(w.baseAddress!, b.baseAddress!, d.baseAddress!, $0.baseAddress!) }
                        }
                    }
                }
                return (dW, dB)
            }
            let native = run(x, dY, dW0, dB0) {
                Conv1D.backwardWeights(dW: $0, dB: $1, dY: $2, outStride: s.outStride, outLength: s.outLength, x: $3,
                                       xStride: s.xStride, rows: rows, wRows: wRows, width: s.width)
            }
            for schedule in BlockSchedule.allCases {
                let other = run(x, dY, dW0, dB0) {
                    Conv1D.backwardWeights(schedule: schedule, dW: $0, dB: $1, dY: $2, outStride: s.outStride,
                                           outLength: s.outLength, x: $3, xStride: s.xStride, rows: rows, wRows: wRows,
                                           width: s.width)
                }
                assertIdentical(other.0, native.0, "\(schedule), rows \(rows), \(s)")
                assertIdentical(other.1, native.1, "\(schedule), rows \(rows), \(s)")
            }
            func naive(_ x: [Float], _ dY: [Float], _ dW0: [Float], _ dB0: [Float]) -> ([Float], [Float]) {
                run(x, dY, dW0, dB0) {
                    Conv1D.backwardWeightsNaive(dW: $0, dB: $1, dY: $2, outStride: s.outStride, outLength: s.outLength,
                                                x: $3, xStride: s.xStride, rows: rows, wRows: wRows, width: s.width)
                }
            }
            let reference = naive(x, dY, dW0, dB0)
            let magnitude = naive(x.map(abs), dY.map(abs), dW0.map(abs), dB0.map(abs))
            assertClose(native.0, reference.0, magnitude: magnitude.0, "dW, rows \(rows), \(s)")
            // The bias gradient is summed position by position in both: equal.
            assertIdentical(native.1, reference.1, "dB, \(s)")
            // Rows from `rows` on are not touched.
            for k in 0..<s.width {
                for c in rows..<wRows {
                    let i = (k * wRows + c) * s.outStride
                    assertIdentical(Array(native.0[i..<(i + s.outStride)]), Array(dW0[i..<(i + s.outStride)]), "row \(c), \(s)")
                }
            }
        }
    }

    /// The input gradient as the engine takes it: `forward` over the zero-padded output
    /// gradient with `flipTranspose`d weights, against the direct sum.
    func testConv1DInputGradientThroughFlippedWeights() {
        var r = RandomSource(seed: 31)
        for s in convShapes(random: 30, seed: 32) {
            let inChannels = s.nIn, inStride = s.xStride, wRows = inStride
            let w = randomFloats(s.width * wRows * s.outStride, &r)
            var dY = randomFloats(s.outLength * s.outStride, &r)
            for p in 0..<s.outLength { for f in s.filters..<s.outStride { dY[p * s.outStride + f] = 0 } }
            let pad = s.width - 1
            var padded = [Float](repeating: 0, count: (s.outLength + 2 * pad) * s.outStride)
            padded.replaceSubrange((pad * s.outStride)..<((pad + s.outLength) * s.outStride), with: dY)
            var flipped = [Float](repeating: .nan, count: s.width * s.outStride * inStride)
            w.withUnsafeBufferPointer { wb in
                flipped.withUnsafeMutableBufferPointer {
                    Conv1D.flipTranspose(w: wb.baseAddress!, wRows: wRows, outStride: s.outStride, width: s.width,
                                         inChannels: inChannels, outChannels: s.filters, into: $0.baseAddress!, inStride: inStride)
                }
            }
            var results: [[Float]] = []
            for schedule in BlockSchedule.allCases {
                var dX = [Float](repeating: .nan, count: s.inLength * inStride)
                dX.withUnsafeMutableBufferPointer { out in
                    padded.withUnsafeBufferPointer { xb in
                        flipped.withUnsafeBufferPointer {
                            Conv1D.forward(schedule: schedule, y: out.baseAddress!, outStride: inStride, outLength: s.inLength,
                                           x: xb.baseAddress!, xStride: s.outStride, nIn: s.filters,
                                           w: $0.baseAddress!, wRows: s.outStride, width: s.width, bias: nil)
                        }
                    }
                }
                results.append(dX)
            }
            for other in results.dropFirst() { assertIdentical(other, results[0], "\(s)") }
            func naive(_ dY: [Float], _ w: [Float]) -> [Float] {
                var dX = [Float](repeating: .nan, count: s.inLength * inStride)
                dX.withUnsafeMutableBufferPointer { out in
                    dY.withUnsafeBufferPointer { d in
                        w.withUnsafeBufferPointer {
                            Conv1D.backwardInputNaive(dX: out.baseAddress!, inStride: inStride, inChannels: inChannels,
                                                      dY: d.baseAddress!, outStride: s.outStride, outLength: s.outLength,
                                                      outChannels: s.filters, w: $0.baseAddress!, wRows: wRows, width: s.width)
                        }
                    }
                }
                return dX
            }
            assertClose(results[0], naive(dY, w), magnitude: naive(dY.map(abs), w.map(abs)), "\(s)")
        }
    }

    // MARK: Conv1DCodes

    /// Base codes with N (4) and out-of-range codes (which count as N) mixed in.
    func randomCodes(_ n: Int, _ r: inout RandomSource) -> [UInt8] {
        (0..<n).map { _ in
            switch r.int(below: 12) {
            case 0: 4
            case 1: UInt8(r.int(in: 5...255))
            default: UInt8(r.int(below: 4))
            }
        }
    }

    func testConv1DCodesForwardAndPaired() {
        var r = RandomSource(seed: 41)
        // Every width forwardPaired has its own specialisation for (10, 11, 14, 15), and others.
        let specialised = [10, 11, 14, 15, 9].map { ConvShape(filters: 15, nIn: 4, width: $0, outLength: 29, extraStride: 0) }
        for s in convShapes(random: 40, seed: 42) + specialised {
            let codes = randomCodes(s.inLength, &r)
            let w = randomFloats(s.width * Conv1DCodes.rows * s.outStride, &r)
            let bias = randomFloats(s.outStride, &r)
            func run(_ w: [Float], _ bias: [Float],
                     _ kernel: (UnsafeMutablePointer<Float>, UnsafePointer<UInt8>, UnsafePointer<Float>, UnsafePointer<Float>) -> Void) -> [Float] {
                var y = [Float](repeating: .nan, count: s.outLength * s.outStride)
                y.withUnsafeMutableBufferPointer { yb in
                    codes.withUnsafeBufferPointer { cb in
                        w.withUnsafeBufferPointer { wb in
                            bias.withUnsafeBufferPointer { kernel(yb.baseAddress!, cb.baseAddress!, wb.baseAddress!, $0.baseAddress!) }
                        }
                    }
                }
                return y
            }
            func naive(_ w: [Float], _ bias: [Float]) -> [Float] {
                run(w, bias) {
                    Conv1DCodes.forwardNaive(y: $0, outStride: s.outStride, outLength: s.outLength, codes: $1, w: $2,
                                             width: s.width, bias: $3)
                }
            }
            let reference = naive(w, bias)
            func runPaired(relu: Bool) -> [Float] {
                run(w, bias) { y, codes, w, b in
                    var pairs = [Float](repeating: .nan, count: max(1, s.width / 2) * 25 * s.outStride)
                    var offsets = [Int32](repeating: -1, count: 2 * s.inLength)
                    pairs.withUnsafeMutableBufferPointer { pb in
                        Conv1DCodes.pairTable(w: w, width: s.width, outStride: s.outStride, into: pb.baseAddress!)
                        offsets.withUnsafeMutableBufferPointer {
                            Conv1DCodes.forwardPaired(y: y, outStride: s.outStride, outLength: s.outLength, codes: codes, w: w,
                                                      pairs: pb.baseAddress!, width: s.width, bias: b, offsets: $0.baseAddress!,
                                                      relu: relu)
                        }
                    }
                }
            }
            let paired = runPaired(relu: false)
            assertClose(paired, reference, magnitude: naive(w.map(abs), bias.map(abs)), "forwardPaired, \(s)")
            let fused = runPaired(relu: true)
            assertIdentical(fused, paired.map { max($0, 0) }, "forwardPaired with the ReLU fused, \(s)")
        }
    }

    func testConv1DCodesBackwardWeights() {
        var r = RandomSource(seed: 51)
        for s in convShapes(random: 40, seed: 52) {
            let codes = randomCodes(s.inLength, &r)
            let dY = randomFloats(s.outLength * s.outStride, &r)
            let dW0 = randomFloats(s.width * Conv1DCodes.rows * s.outStride, &r), dB0 = randomFloats(s.outStride, &r)
            func run(_ kernel: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<UInt8>) -> Void) -> [Float] {
                var dW = dW0, dB = dB0
                dW.withUnsafeMutableBufferPointer { w in
                    dB.withUnsafeMutableBufferPointer { b in
                        dY.withUnsafeBufferPointer { d in
                            codes.withUnsafeBufferPointer { kernel(w.baseAddress!, b.baseAddress!, d.baseAddress!, $0.baseAddress!) }
                        }
                    }
                }
                return dW + dB
            }
            let fast = run {
                Conv1DCodes.backwardWeights(dW: $0, dB: $1, dY: $2, outStride: s.outStride, outLength: s.outLength,
                                            codes: $3, width: s.width)
            }
            let reference = run {
                Conv1DCodes.backwardWeightsNaive(dW: $0, dB: $1, dY: $2, outStride: s.outStride, outLength: s.outLength,
                                                 codes: $3, width: s.width)
            }
            assertIdentical(fast, reference, "\(s)")
            for k in 0..<s.width {
                let n = (k * Conv1DCodes.rows + 4) * s.outStride
                assertIdentical(Array(fast[n..<(n + s.outStride)]), [Float](repeating: 0, count: s.outStride), "N row, \(s)")
            }
        }
    }

    // MARK: MaxPool, Dense, ReLU + dropout

    func testMaxPoolForwardBackward() {
        var r = RandomSource(seed: 61)
        for n in 0..<60 {
            let stride = 16 * r.int(in: 1...3), width = r.int(in: 1...15)
            let length = n < 3 ? width * (n + 1) : r.int(in: width...(width * 6 + 14))
            let pooledLength = length / width
            // Few distinct values, so windows often hold ties (the first maximum wins).
            let x = (0..<(length * stride)).map { _ in Float(r.int(below: 5)) - 2 }
            func pool(_ kernel: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Int32>) -> Void) -> ([Float], [Int32]) {
                var pooled = [Float](repeating: .nan, count: pooledLength * stride)
                var argmax = [Int32](repeating: -1, count: pooledLength * stride)
                pooled.withUnsafeMutableBufferPointer { p in argmax.withUnsafeMutableBufferPointer { kernel(p.baseAddress!, $0.baseAddress!) } }
                return (pooled, argmax)
            }
            let what = "stride \(stride), width \(width), length \(length)"
            let fast = x.withUnsafeBufferPointer { xb in
                pool { MaxPool.forward(x: xb.baseAddress!, stride: stride, pooledLength: pooledLength, width: width, pooled: $0, argmax: $1) }
            }
            let reference = x.withUnsafeBufferPointer { xb in
                pool { MaxPool.forwardNaive(x: xb.baseAddress!, stride: stride, pooledLength: pooledLength, width: width, pooled: $0, argmax: $1) }
            }
            assertIdentical(fast.0, reference.0, what)
            assertIdentical(fast.1, reference.1, what)
            let dPooled = randomFloats(pooledLength * stride, &r)
            func unpool(_ kernel: (UnsafePointer<Float>, UnsafePointer<Int32>, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
                var dX = [Float](repeating: .nan, count: length * stride)
                dPooled.withUnsafeBufferPointer { d in
                    reference.1.withUnsafeBufferPointer { a in dX.withUnsafeMutableBufferPointer { kernel(d.baseAddress!, a.baseAddress!, $0.baseAddress!) } }
                }
                return dX
            }
            assertIdentical(unpool { MaxPool.backward(dPooled: $0, argmax: $1, stride: stride, pooledLength: pooledLength, dX: $2, length: length) },
                           unpool { MaxPool.backwardNaive(dPooled: $0, argmax: $1, stride: stride, pooledLength: pooledLength,
                                                          width: width, dX: $2, length: length) }, what)
        }
    }

    func testDenseForwardBackward() {
        var r = RandomSource(seed: 71)
        for n in 0..<60 {
            let tasks = r.int(in: 1...5), inputs = n < 40 ? n + 1 : r.int(in: 1...600)
            let x = randomFloats(inputs, &r), w = randomFloats(tasks * inputs, &r), b = randomFloats(tasks, &r)
            func forward(_ x: [Float], _ w: [Float], _ b: [Float], naive: Bool) -> [Float] {
                var z = [Float](repeating: .nan, count: tasks)
                x.withUnsafeBufferPointer { xb in w.withUnsafeBufferPointer { wb in b.withUnsafeBufferPointer { bb in
                    z.withUnsafeMutableBufferPointer {
                        (naive ? Dense.forwardNaive : Dense.forward)(xb.baseAddress!, inputs, wb.baseAddress!, bb.baseAddress!, tasks, $0.baseAddress!)
                    }
                } } }
                return z
            }
            let what = "tasks \(tasks), inputs \(inputs)"
            assertClose(forward(x, w, b, naive: false), forward(x, w, b, naive: true),
                        magnitude: forward(x.map(abs), w.map(abs), b.map(abs), naive: true), what)
            let g = randomFloats(tasks, &r), dW0 = randomFloats(tasks * inputs, &r), dB0 = randomFloats(tasks, &r)
            func backward(naive: Bool) -> [Float] {
                var dW = dW0, dB = dB0, dX = [Float](repeating: .nan, count: inputs)
                g.withUnsafeBufferPointer { gb in x.withUnsafeBufferPointer { xb in w.withUnsafeBufferPointer { wb in
                    dW.withUnsafeMutableBufferPointer { dw in dB.withUnsafeMutableBufferPointer { db in dX.withUnsafeMutableBufferPointer {
                        (naive ? Dense.backwardNaive : Dense.backward)(gb.baseAddress!, tasks, xb.baseAddress!, inputs, wb.baseAddress!,
                                                                        dw.baseAddress!, db.baseAddress!, $0.baseAddress!)
                    } } }
                } } }
                return dW + dB + dX
            }
            assertIdentical(backward(naive: false), backward(naive: true), what)
        }
    }

    func testReLUDropoutForwardBackward() {
        var r = RandomSource(seed: 81)
        for n in 0..<40 {
            let count = n < 20 ? 16 * (n % 4 + 1) + (n >= 10 ? n : 0) : r.int(in: 1...500)
            let y0 = randomFloats(count, &r)
            let what = "count \(count)"
            var fast = y0, reference = y0
            var unused = RandomSource(seed: 0)
            ReLUDropout.forward(&fast, count: count)
            ReLUDropout.forwardNaive(&reference, count: count, rate: 0, random: &unused)
            assertIdentical(fast, reference, what)
            assertIdentical(fast, y0.map { max($0, 0) }, what)
            if count % 16 == 0 {
                for rate in [0, 0.2, 0.5, 0.9] {
                    var a = RandomSource(seed: UInt64(n)), b = a
                    var dropped = y0, naive = y0
                    ReLUDropout.forwardTraining(&dropped, count: count, rate: rate, random: &a)
                    ReLUDropout.forwardNaive(&naive, count: count, rate: rate, random: &b)
                    assertIdentical(dropped, naive, "rate \(rate), \(what)")
                    // Every unit is either dropped or its ReLU scaled by 1/(1 − rate).
                    for i in 0..<count {
                        XCTAssert(dropped[i] == 0 || dropped[i] == max(y0[i], 0) * Float(1 / (1 - rate)), "unit \(i), rate \(rate)")
                    }
                }
            }
            let dY0 = randomFloats(count, &r)
            for scale: Float in [1, 1.25] {
                var a = dY0, b = dY0
                ReLUDropout.backward(dY: &a, y: fast, count: count, scale: scale)
                ReLUDropout.backwardNaive(dY: &b, y: fast, count: count, scale: scale)
                assertIdentical(a, b, "scale \(scale), \(what)")
            }
        }
    }
}
