// The backward steps attribution adds to the layers' own: DeepLIFT's rescale rule for ReLU and
// max-pool, the deepest convolution's input gradient from its routed rows only (the max-pool
// leaves every other row at zero), and layer 0's gradient with respect to the one-hot input.
// Layouts are the engine's: activations [position][stride], stride a multiple of 16. Each fast
// kernel has a plain scalar `…Naive` reference beside it, which the tests compare it with.

/// Lane-wise max(a, b) as one compare and blend (the standard `pointwiseMax` goes lane by lane
/// for its NaN rules, which costs several times more in the hot loops here).
@inline(__always) func laneMax(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    a.replacing(with: b, where: b .> a)
}

/// True when every lane is zero, as one vector compare (`==` on SIMD vectors goes lane by lane).
@inline(__always) func allZero(_ v: SIMD16<Float>) -> Bool { !any(v .!= 0) }

/// Thresholds below which a difference from the reference counts as none and the rule falls
/// back to the gradient (DeepLIFT's and tangermeme's 1e-6).
let rescaleEpsilon: Float = 1e-6

/// The ReLU's rescale multiplier for pre-activations a (input) and b (reference), lane by lane:
/// (relu(a) − relu(b)) / (a − b), or the gradient at a (1 where a > 0) when |a − b| < 1e-6.
@inline(__always) func reluRescaleMultiplier(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    let zero = SIMD16<Float>(repeating: 0), one = SIMD16<Float>(repeating: 1)
    let eps = SIMD16<Float>(repeating: rescaleEpsilon)
    let d = a - b
    let small = (d .< eps) .& (d .> -eps)
    let secant = (laneMax(a, zero) - laneMax(b, zero)) / d.replacing(with: one, where: small)
    return secant.replacing(with: zero.replacing(with: one, where: a .> zero), where: small)
}

public enum RescaleRule {
    /// dY[i] *= m(x[i], r[i]) for i < count (a multiple of 16), with x and r the pre-activations
    /// of the input and the reference and m the ReLU's rescale multiplier
    /// (relu(x) − relu(r)) / (x − r), or its gradient at x (1 where x > 0) when |x − r| < 1e-6.
    /// Vectors of dY that are all zero are skipped (most of them, below the max-pool).
    public static func relu(dY: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, reference r: UnsafePointer<Float>,
                     count: Int) {
        var i = 0
        while i < count {
            let g = load16(dY + i)
            if !allZero(g) { store16(g * reluRescaleMultiplier(load16(x + i), load16(r + i)), dY + i) }
            i += 16
        }
    }

    /// Reference for `relu`: one unit at a time.
    static func reluNaive(dY: UnsafeMutablePointer<Float>, x: UnsafePointer<Float>, reference r: UnsafePointer<Float>,
                          count: Int) {
        for i in 0..<count {
            let a = x[i], b = r[i]
            let m: Float = abs(a - b) < rescaleEpsilon ? (a > 0 ? 1 : 0) : (max(a, 0) - max(b, 0)) / (a - b)
            dY[i] *= m
        }
    }

    /// Max-pool (window = stride = `width`) under the rescale rule, for every channel c < stride
    /// and window q < pooledLength: the window's multiplier dPooled[q][c] goes to p, the first
    /// position of the largest max(x[p][c], r[p][c]) in the window, scaled there by
    /// (max x − max r) / (x[p][c] − r[p][c]), or unscaled when that difference is below 1e-6;
    /// route[q][c] = p. dX ([length][stride]) is zero elsewhere; x and r are the layer's
    /// outputs (after the ReLU) for the input and the reference; dPooled and route are
    /// [pooledLength][stride].
    public static func maxPool(dPooled: UnsafePointer<Float>, x: UnsafePointer<Float>, reference r: UnsafePointer<Float>,
                        stride: Int, pooledLength: Int, width: Int, dX: UnsafeMutablePointer<Float>, length: Int,
                        route: UnsafeMutablePointer<Int32>) {
        dX.update(repeating: 0, count: length * stride)
        let one = SIMD16<Float>(repeating: 1), eps = SIMD16<Float>(repeating: rescaleEpsilon)
        for g in 0..<(stride / 16) {
            for q in 0..<pooledLength {
                let start = q * width
                var xAtBest = load16(x + start * stride + 16 * g), rAtBest = load16(r + start * stride + 16 * g)
                var maxX = xAtBest, maxR = rAtBest, best = laneMax(xAtBest, rAtBest)
                var index = SIMD16<Int32>(repeating: Int32(start))
                for p in (start + 1)..<(start + width) {
                    let a = load16(x + p * stride + 16 * g), b = load16(r + p * stride + 16 * g)
                    maxX = laneMax(maxX, a)
                    maxR = laneMax(maxR, b)
                    let v = laneMax(a, b), better = v .> best
                    best.replace(with: v, where: better)
                    index.replace(with: SIMD16(repeating: Int32(p)), where: better)
                    xAtBest.replace(with: a, where: better)
                    rAtBest.replace(with: b, where: better)
                }
                let m = load16(dPooled + q * stride + 16 * g)
                let d = xAtBest - rAtBest
                let small = (d .< eps) .& (d .> -eps)
                let routed = (m * (maxX - maxR) / d.replacing(with: one, where: small)).replacing(with: m, where: small)
                UnsafeMutableRawPointer(route + q * stride + 16 * g).storeBytes(of: index, as: SIMD16<Int32>.self)
                for lane in 0..<16 { dX[Int(index[lane]) * stride + 16 * g + lane] = routed[lane] }
            }
        }
    }

    /// Reference for `maxPool`: one channel and window at a time.
    static func maxPoolNaive(dPooled: UnsafePointer<Float>, x: UnsafePointer<Float>, reference r: UnsafePointer<Float>,
                             stride: Int, pooledLength: Int, width: Int, dX: UnsafeMutablePointer<Float>, length: Int,
                             route: UnsafeMutablePointer<Int32>) {
        dX.update(repeating: 0, count: length * stride)
        for c in 0..<stride {
            for q in 0..<pooledLength {
                var best = q * width, maxX = -Float.infinity, maxR = -Float.infinity
                for p in (q * width)..<((q + 1) * width) {
                    let a = x[p * stride + c], b = r[p * stride + c]
                    maxX = max(maxX, a); maxR = max(maxR, b)
                    if max(a, b) > max(x[best * stride + c], r[best * stride + c]) { best = p }
                }
                let m = dPooled[q * stride + c], d = x[best * stride + c] - r[best * stride + c]
                dX[best * stride + c] = abs(d) < rescaleEpsilon ? m : m * (maxX - maxR) / d
                route[q * stride + c] = Int32(best)
            }
        }
    }
}

extension RescaleRule {
    /// The deepest layer's max-pool and ReLU under the rescale rule, from the pre-activations
    /// alone and only at the routed elements: for every window q < pooledLength and channel
    /// c < stride, with p = route[q][c] the window's element `maxPool` routes to (x, r there being
    /// max(xPre, 0) and max(rPre, 0)), values[q][c] = (what `maxPool` writes to dX[p][c]) ·
    /// m(xPre[p][c], rPre[p][c]), m the ReLU's rescale multiplier (`relu`). Equals `maxPool`
    /// followed by `relu` over dX, read at the routes (windows are disjoint, so no element is
    /// routed twice). xPre and rPre are [length][stride]; dPooled, values, route
    /// [pooledLength][stride].
    public static func maxPoolThroughReLU(dPooled: UnsafePointer<Float>, xPre: UnsafePointer<Float>, rPre: UnsafePointer<Float>,
                                          stride: Int, pooledLength: Int, width: Int,
                                          values: UnsafeMutablePointer<Float>, route: UnsafeMutablePointer<Int32>) {
        let zero = SIMD16<Float>(repeating: 0), one = SIMD16<Float>(repeating: 1), eps = SIMD16<Float>(repeating: rescaleEpsilon)
        for g in 0..<(stride / 16) {
            for q in 0..<pooledLength {
                let start = q * width
                var preX = load16(xPre + start * stride + 16 * g), preR = load16(rPre + start * stride + 16 * g)
                var xAtBest = laneMax(preX, zero), rAtBest = laneMax(preR, zero)
                var maxX = xAtBest, maxR = rAtBest, best = laneMax(xAtBest, rAtBest)
                var index = SIMD16<Int32>(repeating: Int32(start))
                for p in (start + 1)..<(start + width) {
                    let u = load16(xPre + p * stride + 16 * g), v = load16(rPre + p * stride + 16 * g)
                    let a = laneMax(u, zero), b = laneMax(v, zero)
                    maxX = laneMax(maxX, a)
                    maxR = laneMax(maxR, b)
                    let top = laneMax(a, b), better = top .> best
                    best.replace(with: top, where: better)
                    index.replace(with: SIMD16(repeating: Int32(p)), where: better)
                    xAtBest.replace(with: a, where: better)
                    rAtBest.replace(with: b, where: better)
                    preX.replace(with: u, where: better)
                    preR.replace(with: v, where: better)
                }
                let m = load16(dPooled + q * stride + 16 * g)
                let d = xAtBest - rAtBest
                let small = (d .< eps) .& (d .> -eps)
                let routed = (m * (maxX - maxR) / d.replacing(with: one, where: small)).replacing(with: m, where: small)
                store16(routed * reluRescaleMultiplier(preX, preR), values + q * stride + 16 * g)
                UnsafeMutableRawPointer(route + q * stride + 16 * g).storeBytes(of: index, as: SIMD16<Int32>.self)
            }
        }
    }

    /// Reference for `maxPoolThroughReLU`: `maxPoolNaive` and `reluNaive` over a whole layer,
    /// read at the routes.
    static func maxPoolThroughReLUNaive(dPooled: UnsafePointer<Float>, xPre: UnsafePointer<Float>, rPre: UnsafePointer<Float>,
                                        stride: Int, pooledLength: Int, width: Int,
                                        values: UnsafeMutablePointer<Float>, route: UnsafeMutablePointer<Int32>) {
        let length = pooledLength * width, count = length * stride
        let x = UnsafeMutablePointer<Float>.allocate(capacity: count), r = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let dX = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { x.deallocate(); r.deallocate(); dX.deallocate() }
        for i in 0..<count { x[i] = max(xPre[i], 0); r[i] = max(rPre[i], 0) }
        maxPoolNaive(dPooled: dPooled, x: x, reference: r, stride: stride, pooledLength: pooledLength, width: width,
                     dX: dX, length: length, route: route)
        reluNaive(dY: dX, x: xPre, reference: rPre, count: count)
        for q in 0..<pooledLength { for c in 0..<stride { values[q * stride + c] = dX[Int(route[q * stride + c]) * stride + c] } }
    }
}

/// The input gradient of a convolution whose output gradient dY is zero except at the rows a
/// max-pool routed to: each routed value is scattered through the weights instead of running
/// the whole transposed convolution (1 row in `poolWidth` carries anything).
public enum RoutedConv {
    /// dX = 0 over inLength rows of inStride, then for each window q < pooledLength and filter
    /// f < filters, with p = route[q][f] and v = dY[p][f]:
    /// dX[p + k][:] += v · wf[width − 1 − k][f][:] for k < width. wf is `Conv1D.flipTranspose`'s
    /// [width][outStride][inStride]; dY is [outLength][outStride], route [pooledLength][outStride].
    public static func backwardInput(dX: UnsafeMutablePointer<Float>, inStride: Int, inLength: Int,
                              dY: UnsafePointer<Float>, outStride: Int, route: UnsafePointer<Int32>,
                              pooledLength: Int, filters: Int, wf: UnsafePointer<Float>, width: Int) {
        scatter(dX: dX, inStride: inStride, inLength: inLength, outStride: outStride, route: route, pooledLength: pooledLength,
                filters: filters, wf: wf, width: width) { _, p, f in dY[p * outStride + f] }
    }

    /// `backwardInput` with the routed values given per window: v = values[q][f] (e.g.
    /// `RescaleRule.maxPoolThroughReLU`'s) instead of dY[route[q][f]][f]; values and route are
    /// [pooledLength][outStride].
    public static func backwardInput(dX: UnsafeMutablePointer<Float>, inStride: Int, inLength: Int,
                                     values: UnsafePointer<Float>, outStride: Int, route: UnsafePointer<Int32>,
                                     pooledLength: Int, filters: Int, wf: UnsafePointer<Float>, width: Int) {
        scatter(dX: dX, inStride: inStride, inLength: inLength, outStride: outStride, route: route, pooledLength: pooledLength,
                filters: filters, wf: wf, width: width) { q, _, f in values[q * outStride + f] }
    }

    /// `backwardInput(values:)` followed by the ReLU rescale of the layer below
    /// (`RescaleRule.relu` with its pre-activations xPre and rPre, [inLength][inStride]) over the
    /// rows the windows reach: each window's rows are rescaled as soon as no later window writes
    /// them (still in cache), and zeroed just before the first window that reaches them (rather
    /// than all of dX up front, long evicted by the time the scatter reads it back). Windows are
    /// `poolWidth` rows apart. dX rows from pooledLength·poolWidth + width − 1 on are 0.
    public static func backwardInputRescaled(dX: UnsafeMutablePointer<Float>, inStride: Int, inLength: Int,
                                             values: UnsafePointer<Float>, outStride: Int, route: UnsafePointer<Int32>,
                                             pooledLength: Int, poolWidth: Int, filters: Int, wf: UnsafePointer<Float>,
                                             width: Int, xPre: UnsafePointer<Float>, rPre: UnsafePointer<Float>) {
        let groups = inStride / 16
        var zeroedTo = 0   // rows below are zeroed (or already written)
        func zero(to row: Int) {
            let end = min(row, inLength)
            if end > zeroedTo { (dX + zeroedTo * inStride).update(repeating: 0, count: (end - zeroedTo) * inStride); zeroedTo = end }
        }
        func rescale(_ from: Int, _ to: Int) {
            var i = from * inStride
            while i < to * inStride {
                let g = load16(dX + i)
                if !allZero(g) { store16(g * reluRescaleMultiplier(load16(xPre + i), load16(rPre + i)), dX + i) }
                i += 16
            }
        }
        for q in 0..<pooledLength {
            let v = values + q * outStride, r = route + q * outStride
            zero(to: (q + 1) * poolWidth + width - 1)   // the rows window q's routes reach
            // Filter by filter, each tap on the next row (consecutive updates never wait on each other).
            for f in 0..<filters where v[f] != 0 {
                let scale = SIMD16<Float>(repeating: v[f]), p = Int(r[f])
                if groups == 1 {   // 16 channels or fewer (the tutorial's 15): no group loop
                    for k in 0..<width {
                        let row = dX + (p + k) * 16
                        store16(load16(row).addingProduct(scale, load16(wf + ((width - 1 - k) * outStride + f) * 16)), row)
                    }
                    continue
                }
                for k in 0..<width {
                    let row = dX + (p + k) * inStride, w = wf + ((width - 1 - k) * outStride + f) * inStride
                    for g in 0..<groups { store16(load16(row + 16 * g).addingProduct(scale, load16(w + 16 * g)), row + 16 * g) }
                }
            }
            rescale(q * poolWidth, (q + 1) * poolWidth)
        }
        zero(to: pooledLength * poolWidth + width - 1)
        rescale(pooledLength * poolWidth, min(inLength, pooledLength * poolWidth + width - 1))
        zero(to: inLength)
    }

    /// The scatter both `backwardInput`s run; value(q, p, f) is what window q routes to row p, filter f.
    @inline(__always)
    static func scatter(dX: UnsafeMutablePointer<Float>, inStride: Int, inLength: Int, outStride: Int,
                        route: UnsafePointer<Int32>, pooledLength: Int, filters: Int, wf: UnsafePointer<Float>, width: Int,
                        value: (Int, Int, Int) -> Float) {
        dX.update(repeating: 0, count: inLength * inStride)
        let groups = inStride / 16
        for q in 0..<pooledLength {
            for f in 0..<filters {
                let p = Int(route[q * outStride + f])
                let v = value(q, p, f)
                if v == 0 { continue }
                let scale = SIMD16<Float>(repeating: v)
                for k in 0..<width {
                    let row = dX + (p + k) * inStride, w = wf + ((width - 1 - k) * outStride + f) * inStride
                    for g in 0..<groups { store16(load16(row + 16 * g).addingProduct(scale, load16(w + 16 * g)), row + 16 * g) }
                }
            }
        }
    }

    /// Reference for `backwardInput`: the same sums one float at a time.
    static func backwardInputNaive(dX: UnsafeMutablePointer<Float>, inStride: Int, inLength: Int,
                                   dY: UnsafePointer<Float>, outStride: Int, route: UnsafePointer<Int32>,
                                   pooledLength: Int, filters: Int, wf: UnsafePointer<Float>, width: Int) {
        dX.update(repeating: 0, count: inLength * inStride)
        for q in 0..<pooledLength {
            for f in 0..<filters {
                let p = Int(route[q * outStride + f])
                for k in 0..<width {
                    for c in 0..<inStride {
                        dX[(p + k) * inStride + c] += dY[p * outStride + f] * wf[((width - 1 - k) * outStride + f) * inStride + c]
                    }
                }
            }
        }
    }
}

/// Layer 0's backward to the one-hot input, read straight from its base-code weight table.
public enum OneHotInput {
    /// dX[q][b] = Σ_k Σ_f dY[q − k][f] · w[k][b][f] for q < inLength and b < 4 (A, C, G, T): the
    /// gradient of layer 0's outputs with respect to its one-hot input. w is the layer's
    /// `Conv1DCodes` table [width][5][outStride]; dYPadded is its output gradient with width − 1
    /// zero rows before and after (the workspace's `grads[0]`); dX is [inLength][4].
    public static func backward(dX: UnsafeMutablePointer<Float>, inLength: Int, dYPadded: UnsafePointer<Float>,
                         outStride: Int, w: UnsafePointer<Float>, width: Int) {
        let tap = Conv1DCodes.rows * outStride
        for q in 0..<inLength {
            var a = SIMD16<Float>(repeating: 0), c = a, g = a, t = a
            // Taps k = 0, 1, ... read output rows q, q − 1, ... (row q − k sits at q − k + width − 1).
            var row = dYPadded + (q + width - 1) * outStride, wk = w
            for _ in 0..<width {
                var j = 0
                repeat {
                    let d = load16(row + j), wj = wk + j
                    a = a.addingProduct(d, load16(wj))
                    c = c.addingProduct(d, load16(wj + outStride))
                    g = g.addingProduct(d, load16(wj + 2 * outStride))
                    t = t.addingProduct(d, load16(wj + 3 * outStride))
                    j += 16
                } while j < outStride
                row -= outStride
                wk += tap
            }
            UnsafeMutableRawPointer(dX + 4 * q).storeBytes(of: sums(a, c, g, t), as: SIMD4<Float>.self)
        }
    }

    /// shift[q] += Σ_k Σ_f dY[q − k][f] · w[k][code[q]][f] for q < inLength: the multiplier of
    /// the base `codes` has at each position (0 for N, whose table row is zero), i.e. one column
    /// of `backward`'s dX per position. Same layouts as `backward`; codes [inLength].
    public static func backwardAtCodes(shift: UnsafeMutablePointer<Float>, inLength: Int, codes: UnsafePointer<UInt8>,
                                       dYPadded: UnsafePointer<Float>, outStride: Int, w: UnsafePointer<Float>, width: Int) {
        let tap = Conv1DCodes.rows * outStride
        // Four positions at a time: four independent FMA chains (one position's chain alone is
        // latency-bound), whose lane sums come out of one reduction tree. Padded row q + t holds
        // output row q + t − width + 1, tap k = i + width − 1 − t of position q + i: each row is
        // loaded once for the positions it reaches (width + 3 row loads per block, not 4·width).
        var q = 0
        while q + 4 <= inLength && width >= 4 {
            var a = SIMD16<Float>(repeating: 0), b = a, c = a, d = a
            let rows = dYPadded + q * outStride
            let w0 = w + Int(min(codes[q], 4)) * outStride, w1 = w + Int(min(codes[q + 1], 4)) * outStride
            let w2 = w + Int(min(codes[q + 2], 4)) * outStride, w3 = w + Int(min(codes[q + 3], 4)) * outStride
            @inline(__always) func weight(_ wi: UnsafePointer<Float>, _ i: Int, _ t: Int, _ j: Int) -> SIMD16<Float> {
                load16(wi + (i + width - 1 - t) * tap + j)
            }
            var j = 0
            repeat {
                // Rows 0, 1, 2 reach the first positions only; rows width ..< width + 3 the last.
                var v = load16(rows + j)
                a = a.addingProduct(v, weight(w0, 0, 0, j))
                v = load16(rows + outStride + j)
                a = a.addingProduct(v, weight(w0, 0, 1, j)); b = b.addingProduct(v, weight(w1, 1, 1, j))
                v = load16(rows + 2 * outStride + j)
                a = a.addingProduct(v, weight(w0, 0, 2, j)); b = b.addingProduct(v, weight(w1, 1, 2, j))
                c = c.addingProduct(v, weight(w2, 2, 2, j))
                for t in 3..<width {
                    v = load16(rows + t * outStride + j)
                    a = a.addingProduct(v, weight(w0, 0, t, j)); b = b.addingProduct(v, weight(w1, 1, t, j))
                    c = c.addingProduct(v, weight(w2, 2, t, j)); d = d.addingProduct(v, weight(w3, 3, t, j))
                }
                v = load16(rows + width * outStride + j)
                b = b.addingProduct(v, weight(w1, 1, width, j)); c = c.addingProduct(v, weight(w2, 2, width, j))
                d = d.addingProduct(v, weight(w3, 3, width, j))
                v = load16(rows + (width + 1) * outStride + j)
                c = c.addingProduct(v, weight(w2, 2, width + 1, j)); d = d.addingProduct(v, weight(w3, 3, width + 1, j))
                v = load16(rows + (width + 2) * outStride + j)
                d = d.addingProduct(v, weight(w3, 3, width + 2, j))
                j += 16
            } while j < outStride
            let s = UnsafeMutableRawPointer(shift + q)
            s.storeBytes(of: s.loadUnaligned(as: SIMD4<Float>.self) + sums(a, b, c, d), as: SIMD4<Float>.self)
            q += 4
        }
        while q < inLength {
            var a = SIMD16<Float>(repeating: 0)
            var row = dYPadded + (q + width - 1) * outStride, wk = w + Int(min(codes[q], 4)) * outStride
            for _ in 0..<width {
                var j = 0
                repeat { a = a.addingProduct(load16(row + j), load16(wk + j)); j += 16 } while j < outStride
                row -= outStride
                wk += tap
            }
            let h = a.lowHalf + a.highHalf, h4 = h.lowHalf + h.highHalf
            shift[q] += (h4.lowHalf + h4.highHalf).sum()
            q += 1
        }
    }

    /// The lane sums of four vectors, as a tree of vector adds (`sum()` adds the 16 lanes one
    /// after another, a chain several times longer).
    @inline(__always) static func sums(_ a: SIMD16<Float>, _ c: SIMD16<Float>, _ g: SIMD16<Float>,
                                       _ t: SIMD16<Float>) -> SIMD4<Float> {
        func quarter(_ v: SIMD16<Float>) -> SIMD4<Float> { let h = v.lowHalf + v.highHalf; return h.lowHalf + h.highHalf }
        let ac = SIMD8(lowHalf: quarter(a), highHalf: quarter(c)), gt = SIMD8(lowHalf: quarter(g), highHalf: quarter(t))
        let pairs = SIMD8(lowHalf: ac.evenHalf + ac.oddHalf, highHalf: gt.evenHalf + gt.oddHalf)
        return pairs.evenHalf + pairs.oddHalf
    }

    /// Reference for `backward`: scalar loops, only the taps that land inside the output.
    static func backwardNaive(dX: UnsafeMutablePointer<Float>, inLength: Int, dYPadded: UnsafePointer<Float>,
                              outStride: Int, w: UnsafePointer<Float>, width: Int) {
        let outLength = inLength - width + 1
        for q in 0..<inLength {
            for b in 0..<4 {
                var s: Float = 0
                for k in 0..<width where q - k >= 0 && q - k < outLength {
                    for f in 0..<outStride {
                        s += dYPadded[(q - k + width - 1) * outStride + f] * w[(k * Conv1DCodes.rows + b) * outStride + f]
                    }
                }
                dX[4 * q + b] = s
            }
        }
    }
}
