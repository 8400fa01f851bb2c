@testable import DragonnKit
import XCTest
@testable import DragonnKernels

/// DeepLIFT's fused kernels (RescaleConv.swift, `RescaleRule.maxPoolThroughReLU`, the routed
/// scatter from per-window values) against the naive kernels they fuse.
final class RescaleConvTests: XCTestCase {
    var random = RandomSource(seed: 47)

    func values(_ n: Int) -> FloatBuffer {
        let b = FloatBuffer(n)
        for i in 0..<n { b.base[i] = Float(random.normal()) }
        return b
    }

    func assertClose(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, _ what: String, tolerance: Float = 1e-5) {
        var scale: Float = 0
        for i in 0..<count { scale = max(scale, abs(b[i])) }
        XCTAssertGreaterThan(scale, 1e-6, "\(what): all zero")
        for i in 0..<count where abs(a[i] - b[i]) > tolerance * scale {
            XCTFail("\(what): [\(i)] \(a[i]) vs \(b[i])"); return
        }
    }

    /// Weights [width][wRows][outStride], zero outside the real channels (as the engine keeps them).
    func weights(width: Int, wRows: Int, nIn: Int, outStride: Int, filters: Int) -> FloatBuffer {
        let w = FloatBuffer(width * wRows * outStride)
        for k in 0..<width { for c in 0..<nIn { for f in 0..<filters { w.base[(k * wRows + c) * outStride + f] = Float(random.normal()) } } }
        return w
    }

    func testForwardKeepingPreMatchesNaive() {
        for (nIn, filters, width, outLength) in [(15, 15, 10, 37), (4, 20, 3, 11), (17, 3, 1, 5), (15, 15, 10, 2)] {
            let xStride = paddedChannels(nIn), outStride = paddedChannels(filters), inLength = outLength + width - 1
            let x = values(inLength * xStride), w = weights(width: width, wRows: xStride, nIn: nIn, outStride: outStride, filters: filters)
            let bias = values(outStride)
            let pre = FloatBuffer(outLength * outStride), act = FloatBuffer(outLength * outStride), naive = FloatBuffer(outLength * outStride)
            RescaleConv.forwardKeepingPre(pre: pre.base, act: act.base, outStride: outStride, outLength: outLength, x: x.base,
                                          xStride: xStride, nIn: nIn, w: w.base, wRows: xStride, width: width, bias: bias.base)
            Conv1D.forwardNaive(y: naive.base, outStride: outStride, outLength: outLength, x: x.base, xStride: xStride, nIn: nIn,
                                w: w.base, wRows: xStride, width: width, bias: bias.base)
            assertClose(pre.base, naive.base, count: pre.count, "pre \(nIn)/\(filters)/\(width)/\(outLength)")
            for i in 0..<naive.count { naive.base[i] = max(naive.base[i], 0) }
            assertClose(act.base, naive.base, count: act.count, "act \(nIn)/\(filters)/\(width)/\(outLength)")
            for i in 0..<act.count { XCTAssertEqual(act.base[i], max(pre.base[i], 0)) }
            // The plain forward through the same loop: the same sums as Conv1D.forward's.
            let plain = FloatBuffer(outLength * outStride), engine = FloatBuffer(outLength * outStride)
            RescaleConv.forward(y: plain.base, outStride: outStride, outLength: outLength, x: x.base, xStride: xStride, nIn: nIn,
                                w: w.base, wRows: xStride, width: width, bias: bias.base)
            Conv1D.forward(y: engine.base, outStride: outStride, outLength: outLength, x: x.base, xStride: xStride, nIn: nIn,
                           w: w.base, wRows: xStride, width: width, bias: bias.base)
            for i in 0..<plain.count { XCTAssertEqual(plain.base[i], engine.base[i]); XCTAssertEqual(plain.base[i], pre.base[i]) }
        }
    }

    /// The transposed convolution with layer 0's rescale and the sum over references fused in:
    /// against `Conv1D.backwardInputNaive`, `RescaleRule.reluNaive` and a plain sum.
    func testBackwardInputRescaledMatchesNaive() {
        for (inChannels, filters, width, outLength, cut) in [(15, 15, 10, 40, 30), (4, 20, 3, 9, 100), (17, 3, 1, 6, 2)] {
            let inStride = paddedChannels(inChannels), outStride = paddedChannels(filters), inLength = outLength + width - 1
            let w = weights(width: width, wRows: inStride, nIn: inChannels, outStride: outStride, filters: filters)
            let wf = FloatBuffer(width * outStride * inStride)
            Conv1D.flipTranspose(w: w.base, wRows: inStride, outStride: outStride, width: width, inChannels: inChannels,
                                 outChannels: filters, into: wf.base, inStride: inStride)
            // The output multipliers, padded, zero from row `cut` on (the rows past the routes' reach).
            let padded = FloatBuffer((outLength + 2 * (width - 1)) * outStride), dY = padded.base + (width - 1) * outStride
            for p in 0..<min(cut, outLength) { for f in 0..<filters { dY[p * outStride + f] = Float(random.normal()) } }
            let xPre = values(inLength * inStride), rPre = values(inLength * inStride)
            for i in stride(from: 0, to: xPre.count, by: 9) { rPre.base[i] = xPre.base[i] }   // the gradient fallback
            let sum = values(inLength * inStride), expectedSum = FloatBuffer(sum.count)
            expectedSum.base.update(from: sum.base, count: sum.count)
            let y = values(inLength * inStride), naive = FloatBuffer(inLength * inStride)
            RescaleConv.backwardInputRescaled(y: y.base, sum: sum.base, outStride: inStride, outLength: inLength,
                                              rows: min(cut + width - 1, inLength), g: padded.base, gStride: outStride, nIn: filters,
                                              wf: wf.base, wRows: outStride, width: width, xPre: xPre.base, rPre: rPre.base)
            Conv1D.backwardInputNaive(dX: naive.base, inStride: inStride, inChannels: inChannels, dY: dY, outStride: outStride,
                                      outLength: outLength, outChannels: filters, w: w.base, wRows: inStride, width: width)
            RescaleRule.reluNaive(dY: naive.base, x: xPre.base, reference: rPre.base, count: naive.count)
            for i in 0..<naive.count { expectedSum.base[i] += naive.base[i] }
            assertClose(y.base, naive.base, count: y.count, "multipliers \(inChannels)/\(filters)/\(width)")
            assertClose(sum.base, expectedSum.base, count: sum.count, "sum \(inChannels)/\(filters)/\(width)")
        }
    }

    /// The max-pool and ReLU rescale at the routed elements, then the scatter from those values:
    /// against `maxPoolNaive` + `reluNaive` over the whole layer and `RoutedConv.backwardInputNaive`.
    func testMaxPoolThroughReLUAndRoutedScatterMatchNaive() {
        for (stride, width, pooledLength, filters, inChannels, convWidth) in [(16, 35, 5, 15, 15, 10), (32, 3, 7, 20, 4, 3), (16, 1, 6, 1, 17, 1)] {
            let length = pooledLength * width + width / 2   // a remainder the pool drops
            let xPre = values(length * stride), rPre = values(length * stride)
            for i in Swift.stride(from: 0, to: xPre.count, by: 7) { rPre.base[i] = xPre.base[i] }          // ties between x and r
            for i in Swift.stride(from: 3, to: xPre.count, by: 13) { rPre.base[i] = xPre.base[i] + 4e-7 }  // below epsilon
            for c in filters..<stride { for p in 0..<length { xPre.base[p * stride + c] = 0; rPre.base[p * stride + c] = 0 } }
            let dPooled = values(pooledLength * stride)
            for q in 0..<pooledLength { for c in filters..<stride { dPooled.base[q * stride + c] = 0 } }
            let fast = values(pooledLength * stride), naive = values(pooledLength * stride)
            let fastRoute = UnsafeMutablePointer<Int32>.allocate(capacity: pooledLength * stride)
            let naiveRoute = UnsafeMutablePointer<Int32>.allocate(capacity: pooledLength * stride)
            defer { fastRoute.deallocate(); naiveRoute.deallocate() }
            RescaleRule.maxPoolThroughReLU(dPooled: dPooled.base, xPre: xPre.base, rPre: rPre.base, stride: stride,
                                           pooledLength: pooledLength, width: width, values: fast.base, route: fastRoute)
            RescaleRule.maxPoolThroughReLUNaive(dPooled: dPooled.base, xPre: xPre.base, rPre: rPre.base, stride: stride,
                                                pooledLength: pooledLength, width: width, values: naive.base, route: naiveRoute)
            assertClose(fast.base, naive.base, count: fast.count, "values \(stride)/\(width)", tolerance: 0)
            for i in 0..<(pooledLength * stride) { XCTAssertEqual(fastRoute[i], naiveRoute[i]) }

            // The scatter from per-window values equals the one reading a [length][stride] gradient.
            let inStride = paddedChannels(inChannels), inLength = length + convWidth - 1
            let w = weights(width: convWidth, wRows: inStride, nIn: inChannels, outStride: stride, filters: filters)
            let wf = FloatBuffer(convWidth * stride * inStride)
            Conv1D.flipTranspose(w: w.base, wRows: inStride, outStride: stride, width: convWidth, inChannels: inChannels,
                                 outChannels: filters, into: wf.base, inStride: inStride)
            let dY = FloatBuffer(length * stride)
            for q in 0..<pooledLength { for c in 0..<stride { dY.base[Int(naiveRoute[q * stride + c]) * stride + c] = naive.base[q * stride + c] } }
            let scattered = values(inLength * inStride), reference = values(inLength * inStride)
            RoutedConv.backwardInput(dX: scattered.base, inStride: inStride, inLength: inLength, values: fast.base, outStride: stride,
                                     route: fastRoute, pooledLength: pooledLength, filters: filters, wf: wf.base, width: convWidth)
            RoutedConv.backwardInputNaive(dX: reference.base, inStride: inStride, inLength: inLength, dY: dY.base, outStride: stride,
                                          route: naiveRoute, pooledLength: pooledLength, filters: filters, wf: wf.base, width: convWidth)
            assertClose(scattered.base, reference.base, count: scattered.count, "scatter \(stride)/\(width)")

            // Through the ReLU of the layer below as well: the naive scatter, then `reluNaive`.
            let belowX = values(inLength * inStride), belowR = values(inLength * inStride)
            for i in Swift.stride(from: 0, to: belowX.count, by: 5) { belowR.base[i] = belowX.base[i] }
            let rescaled = values(inLength * inStride)
            RoutedConv.backwardInputRescaled(dX: rescaled.base, inStride: inStride, inLength: inLength, values: fast.base,
                                             outStride: stride, route: fastRoute, pooledLength: pooledLength, poolWidth: width,
                                             filters: filters, wf: wf.base, width: convWidth, xPre: belowX.base, rPre: belowR.base)
            RescaleRule.reluNaive(dY: reference.base, x: belowX.base, reference: belowR.base, count: reference.count)
            assertClose(rescaled.base, reference.base, count: rescaled.count, "scatter through the ReLU \(stride)/\(width)")
        }
    }
}
