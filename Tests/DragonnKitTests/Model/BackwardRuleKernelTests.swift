@testable import DragonnKit
import XCTest
@testable import DragonnKernels

/// The attribution backward kernels (BackwardRules.swift) against their naive references, on
/// random shapes with padded channels, near-equal input/reference values and zero multipliers.
final class BackwardRuleKernelTests: XCTestCase {
    var random = RandomSource(seed: 31)

    func values(_ n: Int, zeroEvery: Int = 0) -> FloatBuffer {
        let b = FloatBuffer(n)
        for i in 0..<n { b.base[i] = zeroEvery > 0 && random.int(below: zeroEvery) == 0 ? 0 : Float(random.normal()) }
        return b
    }

    func assertClose(_ a: FloatBuffer, _ b: FloatBuffer, _ what: String, tolerance: Float = 1e-5) {
        XCTAssertEqual(a.count, b.count)
        let scale = max((0..<b.count).map { abs(b.base[$0]) }.max() ?? 0, 1e-12)
        XCTAssertGreaterThan(scale, 1e-6, "\(what): all zero")
        for i in 0..<a.count where abs(a.base[i] - b.base[i]) > tolerance * scale {
            XCTFail("\(what): [\(i)] \(a.base[i]) vs \(b.base[i])"); return
        }
    }

    func testRescaleReLUMatchesNaive() {
        for rows in [1, 7, 40] {
            let count = rows * 32
            let x = values(count), r = values(count)
            // Reference equal or within 1e-6 of the input here and there: the gradient fallback.
            for i in stride(from: 0, to: count, by: 5) { r.base[i] = x.base[i] + (i % 10 == 0 ? 0 : 4e-7) }
            let g = values(count), fast = FloatBuffer(count), naive = FloatBuffer(count)
            for i in stride(from: 0, to: count, by: 48) { for j in i..<min(i + 16, count) { g.base[j] = 0 } }   // whole zero vectors
            fast.base.update(from: g.base, count: count)
            naive.base.update(from: g.base, count: count)
            RescaleRule.relu(dY: fast.base, x: x.base, reference: r.base, count: count)
            RescaleRule.reluNaive(dY: naive.base, x: x.base, reference: r.base, count: count)
            assertClose(fast, naive, "relu \(rows) rows", tolerance: 0)
        }
    }

    func testRescaleMaxPoolMatchesNaive() {
        for (stride, width, length) in [(16, 3, 10), (32, 35, 223), (16, 1, 5)] {
            let pooledLength = length / width
            let x = values(length * stride), r = values(length * stride)
            for i in Swift.stride(from: 0, to: length * stride, by: 7) { r.base[i] = x.base[i] }   // ties between x and r
            for i in Swift.stride(from: 0, to: length * stride, by: 11) { x.base[i] = 0; r.base[i] = 0 }   // ReLU zeros
            let dPooled = values(pooledLength * stride)
            let fast = values(length * stride), naive = values(length * stride)   // overwritten entirely
            let fastRoute = UnsafeMutablePointer<Int32>.allocate(capacity: pooledLength * stride)
            let naiveRoute = UnsafeMutablePointer<Int32>.allocate(capacity: pooledLength * stride)
            defer { fastRoute.deallocate(); naiveRoute.deallocate() }
            RescaleRule.maxPool(dPooled: dPooled.base, x: x.base, reference: r.base, stride: stride, pooledLength: pooledLength,
                                width: width, dX: fast.base, length: length, route: fastRoute)
            RescaleRule.maxPoolNaive(dPooled: dPooled.base, x: x.base, reference: r.base, stride: stride,
                                     pooledLength: pooledLength, width: width, dX: naive.base, length: length, route: naiveRoute)
            assertClose(fast, naive, "max-pool \(stride)/\(width)/\(length)", tolerance: 0)
            for i in 0..<(pooledLength * stride) { XCTAssertEqual(fastRoute[i], naiveRoute[i]) }
        }
    }

    /// The routed scatter against its naive loop and against the engine's full transposed
    /// convolution (`Conv1D.forward` over the padded gradient with flipped weights).
    func testRoutedConvMatchesNaiveAndFullTransposedConvolution() {
        for (inChannels, filters, width, length, poolWidth) in [(15, 15, 10, 80, 35), (17, 3, 4, 30, 7), (5, 20, 1, 12, 3)] {
            let inStride = paddedChannels(inChannels), outStride = paddedChannels(filters)
            let outLength = length - width + 1, pooledLength = outLength / poolWidth
            let w = FloatBuffer(width * inStride * outStride)
            for k in 0..<width { for c in 0..<inChannels { for f in 0..<filters {
                w.base[(k * inStride + c) * outStride + f] = Float(random.normal())
            } } }
            let wf = FloatBuffer(width * outStride * inStride)
            Conv1D.flipTranspose(w: w.base, wRows: inStride, outStride: outStride, width: width, inChannels: inChannels,
                                 outChannels: filters, into: wf.base, inStride: inStride)
            // Gradient only at one routed row per window and filter (some routed values zero).
            let padded = FloatBuffer((outLength + 2 * (width - 1)) * outStride)
            let dY = padded.base + (width - 1) * outStride
            let route = UnsafeMutablePointer<Int32>.allocate(capacity: pooledLength * outStride)
            defer { route.deallocate() }
            for q in 0..<pooledLength { for f in 0..<outStride {
                let p = q * poolWidth + random.int(below: poolWidth)
                route[q * outStride + f] = Int32(p)
                if f < filters && random.int(below: 5) > 0 { dY[p * outStride + f] = Float(random.normal()) }
            } }
            let fast = values(length * inStride), naive = values(length * inStride), full = FloatBuffer(length * inStride)
            RoutedConv.backwardInput(dX: fast.base, inStride: inStride, inLength: length, dY: dY, outStride: outStride,
                                     route: route, pooledLength: pooledLength, filters: filters, wf: wf.base, width: width)
            RoutedConv.backwardInputNaive(dX: naive.base, inStride: inStride, inLength: length, dY: dY, outStride: outStride,
                                          route: route, pooledLength: pooledLength, filters: filters, wf: wf.base, width: width)
            Conv1D.forward(y: full.base, outStride: inStride, outLength: length, x: padded.base, xStride: outStride,
                           nIn: filters, w: wf.base, wRows: outStride, width: width, bias: nil)
            assertClose(fast, naive, "routed \(inChannels)/\(filters)/\(width)")
            assertClose(fast, full, "routed vs full \(inChannels)/\(filters)/\(width)")
        }
    }

    func testOneHotInputMatchesNaive() {
        for (filters, width, length) in [(15, 10, 60), (20, 3, 9), (1, 1, 4)] {
            let outStride = paddedChannels(filters), outLength = length - width + 1
            let w = FloatBuffer(width * Conv1DCodes.rows * outStride)
            for k in 0..<width { for b in 0..<4 { for f in 0..<filters {
                w.base[(k * Conv1DCodes.rows + b) * outStride + f] = Float(random.normal())
            } } }
            let padded = FloatBuffer((outLength + 2 * (width - 1)) * outStride)
            for p in 0..<outLength { for f in 0..<filters { padded.base[(p + width - 1) * outStride + f] = Float(random.normal()) } }
            let fast = values(length * 4), naive = values(length * 4)
            OneHotInput.backward(dX: fast.base, inLength: length, dYPadded: padded.base, outStride: outStride, w: w.base, width: width)
            OneHotInput.backwardNaive(dX: naive.base, inLength: length, dYPadded: padded.base, outStride: outStride,
                                      w: w.base, width: width)
            assertClose(fast, naive, "one-hot input \(filters)/\(width)/\(length)")
        }
    }
}
