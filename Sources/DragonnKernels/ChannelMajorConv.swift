// Inference convolutions with positions in the SIMD lanes: channel-major activations, a row per
// channel, x [nIn][xRow] → y [filters][yRow]. Position-major `Conv1D` puts the filters in the
// lanes, so 15 filters leave one lane of 16 idle in every multiply-add; here the lanes are 8
// consecutive positions and only a row's end is padding. Weights are repacked (`pack`) into
// blocks of 5 filters, wp[block][k][c][i] = w[k][c][5·block + i], so a step's five broadcasts
// are adjacent; a block of 5 filters × 16 positions keeps 10 accumulators in registers.
//   y[f][p] = b[f] + Σ_k Σ_c x[c][p+k] · w[k][c][f]
// Each output is the bias followed by one fused multiply-add per (k, c), k outer, c inner: the
// order of `Conv1D.forward`, so both layouts give the same bits.
// Rows are computed in whole blocks of 16 positions: a row holds `rowLength(length)` floats, and
// what lies past `length` is scratch that no valid output reads.

public enum ChannelMajorConv {
    /// Filters per weight block.
    public static let blockFilters = 5
    /// Positions per block: two vectors of 8.
    public static let blockPositions = 16

    /// Floats per activation row for `length` positions: whole blocks plus one block, so that
    /// the next layer's last block (of at most the same length) reads inside the row.
    public static func rowLength(_ length: Int) -> Int { (length + blockPositions - 1) / blockPositions * blockPositions + blockPositions }

    /// Rows (filters rounded up to whole blocks) of a layer's channel-major output.
    public static func paddedFilters(_ filters: Int) -> Int { (filters + blockFilters - 1) / blockFilters * blockFilters }

    /// Floats `pack` writes for a layer: paddedFilters × width × nIn weights, then paddedFilters biases.
    public static func packedCount(filters: Int, nIn: Int, width: Int) -> Int {
        paddedFilters(filters) * (width * nIn + 1)
    }

    /// Repacks `Conv1D`'s weights w [width][wRows][outStride] and bias [outStride] for
    /// `forward`: wp[block][k][c][i] = w[k][c][5·block + i] (0 past `filters`), then the biases
    /// padded the same way.
    public static func pack(w: UnsafePointer<Float>, wRows: Int, outStride: Int, bias: UnsafePointer<Float>,
                            filters: Int, nIn: Int, width: Int, into wp: UnsafeMutablePointer<Float>) {
        let padded = paddedFilters(filters)
        var o = 0
        for block in 0..<(padded / blockFilters) {
            for k in 0..<width {
                for c in 0..<nIn {
                    for i in 0..<blockFilters {
                        let f = blockFilters * block + i
                        wp[o] = f < filters ? w[(k * wRows + c) * outStride + f] : 0
                        o += 1
                    }
                }
            }
        }
        for f in 0..<padded { wp[o + f] = f < filters ? bias[f] : 0 }
    }

    /// y[f][p] = b[f] + Σ_k Σ_{c<nIn} x[c·xRow + p + k] · w[k][c][f] for f < paddedFilters(filters)
    /// and p < outLength rounded up to 16 (rows past `filters` and positions past outLength are
    /// scratch), from `pack`ed weights; with `relu`, max(y, 0) is stored. x rows must hold
    /// outLength rounded up to 16, plus width − 1, floats.
    public static func forward(y: UnsafeMutablePointer<Float>, yRow: Int, filters: Int, outLength: Int,
                               x: UnsafePointer<Float>, xRow: Int, nIn: Int,
                               packed: UnsafePointer<Float>, width: Int, relu: Bool) {
        let blocks = paddedFilters(filters) / blockFilters
        let blockWeights = width * nIn * blockFilters
        let biases = packed + blocks * blockWeights
        for p in stride(from: 0, to: outLength, by: blockPositions) {
            for block in 0..<blocks {
                let bp = biases + blockFilters * block
                var a00 = SIMD8<Float>(repeating: bp[0]), a01 = a00
                var a10 = SIMD8<Float>(repeating: bp[1]), a11 = a10
                var a20 = SIMD8<Float>(repeating: bp[2]), a21 = a20
                var a30 = SIMD8<Float>(repeating: bp[3]), a31 = a30
                var a40 = SIMD8<Float>(repeating: bp[4]), a41 = a40
                var wp = packed + block * blockWeights
                for k in 0..<width {
                    var xp = x + p + k
                    for _ in 0..<nIn {
                        // Ten accumulators (the FMA latency times two pipes), two input vectors
                        // and one broadcast at a time: 13 of AVX2's 16 registers, no spills.
                        let v0 = load8(xp), v1 = load8(xp + 8)
                        var w = SIMD8<Float>(repeating: wp[0])
                        a00 = a00.addingProduct(v0, w); a01 = a01.addingProduct(v1, w)
                        w = SIMD8<Float>(repeating: wp[1])
                        a10 = a10.addingProduct(v0, w); a11 = a11.addingProduct(v1, w)
                        w = SIMD8<Float>(repeating: wp[2])
                        a20 = a20.addingProduct(v0, w); a21 = a21.addingProduct(v1, w)
                        w = SIMD8<Float>(repeating: wp[3])
                        a30 = a30.addingProduct(v0, w); a31 = a31.addingProduct(v1, w)
                        w = SIMD8<Float>(repeating: wp[4])
                        a40 = a40.addingProduct(v0, w); a41 = a41.addingProduct(v1, w)
                        xp += xRow
                        wp += blockFilters
                    }
                }
                @inline(__always) func put(_ v: SIMD8<Float>, _ row: Int, _ j: Int) {
                    // The ReLU as Conv1D's fused store does it: 0 where y < 0, y otherwise.
                    store8(relu ? v.replacing(with: 0, where: v .< 0) : v, y + (blockFilters * block + row) * yRow + p + 8 * j)
                }
                put(a00, 0, 0); put(a01, 0, 1); put(a10, 1, 0); put(a11, 1, 1); put(a20, 2, 0)
                put(a21, 2, 1); put(a30, 3, 0); put(a31, 3, 1); put(a40, 4, 0); put(a41, 4, 1)
            }
        }
    }

    /// Reference for `forward` in plain scalar loops over Conv1D's weight layout (separate
    /// multiply and add: equal to `forward` up to rounding), for f < filters, p < outLength.
    static func forwardNaive(y: UnsafeMutablePointer<Float>, yRow: Int, filters: Int, outLength: Int,
                             x: UnsafePointer<Float>, xRow: Int, nIn: Int,
                             w: UnsafePointer<Float>, wRows: Int, outStride: Int, bias: UnsafePointer<Float>,
                             width: Int, relu: Bool) {
        for f in 0..<filters {
            for p in 0..<outLength {
                var acc = bias[f]
                for k in 0..<width {
                    for c in 0..<nIn { acc += x[c * xRow + p + k] * w[(k * wRows + c) * outStride + f] }
                }
                y[f * yRow + p] = relu ? max(acc, 0) : acc
            }
        }
    }

    /// Channel-major copy of position-major activations: y[c·yRow + p] = x[p·xStride + c] for
    /// c < channels rounded up to 8 (so y needs that many rows), p < length.
    public static func transpose(x: UnsafePointer<Float>, xStride: Int, length: Int, channels: Int,
                                 y: UnsafeMutablePointer<Float>, yRow: Int) {
        let groups = (channels + 7) / 8
        var p = 0
        // Blocks of 8 positions × 8 channels through registers (unpack, shuffle, lane swap:
        // 24 shuffles per 64 values instead of 64 scalar loads and stores).
        while p + 8 <= length {
            for g in 0..<groups {
                let xb = x + p * xStride + 8 * g
                let out = transpose8x8(load8(xb), load8(xb + xStride), load8(xb + 2 * xStride), load8(xb + 3 * xStride),
                                       load8(xb + 4 * xStride), load8(xb + 5 * xStride), load8(xb + 6 * xStride), load8(xb + 7 * xStride))
                let yb = y + 8 * g * yRow + p
                store8(out.0, yb); store8(out.1, yb + yRow); store8(out.2, yb + 2 * yRow); store8(out.3, yb + 3 * yRow)
                store8(out.4, yb + 4 * yRow); store8(out.5, yb + 5 * yRow); store8(out.6, yb + 6 * yRow); store8(out.7, yb + 7 * yRow)
            }
            p += 8
        }
        while p < length {
            for c in 0..<(8 * groups) { y[c * yRow + p] = x[p * xStride + c] }
            p += 1
        }
    }

    /// Max-pool of channel-major rows into Conv1D's pooled layout: pooled[q·stride + c] =
    /// max(x[c·xRow + q·width ..< c·xRow + (q + 1)·width]) for c < channels, q < pooledLength
    /// (the lanes from `channels` to `stride` are left as they are).
    public static func maxPool(x: UnsafePointer<Float>, xRow: Int, channels: Int, pooledLength: Int, width: Int,
                               pooled: UnsafeMutablePointer<Float>, stride: Int) {
        @inline(__always) func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .> a) }
        @inline(__always) func larger(_ a: SIMD4<Float>, _ b: SIMD4<Float>) -> SIMD4<Float> { a.replacing(with: b, where: b .> a) }
        @inline(__always) func larger(_ a: SIMD2<Float>, _ b: SIMD2<Float>) -> SIMD2<Float> { a.replacing(with: b, where: b .> a) }
        for c in 0..<channels {
            let xc = x + c * xRow
            for q in 0..<pooledLength {
                let w0 = xc + q * width
                var t = 0
                var m: Float
                if width >= 8 {
                    var v = load8(w0)
                    t = 8
                    while t + 8 <= width { v = larger(v, load8(w0 + t)); t += 8 }
                    // The rest as the window's last 8 values: overlapping values change no maximum
                    // and need no data-dependent branches.
                    if t < width { v = larger(v, load8(w0 + width - 8)); t = width }
                    let v4 = larger(v.lowHalf, v.highHalf), v2 = larger(v4.lowHalf, v4.highHalf)
                    m = v2[1] > v2[0] ? v2[1] : v2[0]
                } else {
                    m = w0[0]
                    t = 1
                }
                while t < width { if w0[t] > m { m = w0[t] }; t += 1 }
                pooled[q * stride + c] = m
            }
        }
    }
}

/// The transpose of the 8 × 8 block whose rows are r0 ... r7: column i becomes row i.
@inline(__always) func transpose8x8(_ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>,
                                    _ r4: SIMD8<Float>, _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    // Interleave pairs of rows within each 128-bit half (unpcklps / unpckhps).
    @inline(__always) func lo(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }
    @inline(__always) func hi(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }
    // Pairs of pairs within each half (shufps).
    @inline(__always) func even(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }
    @inline(__always) func odd(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }
    // Low halves and high halves of two rows (vperm2f128).
    @inline(__always) func low(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(lowHalf: a.lowHalf, highHalf: b.lowHalf) }
    @inline(__always) func high(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(lowHalf: a.highHalf, highHalf: b.highHalf) }
    let t0 = lo(r0, r1), t1 = hi(r0, r1), t2 = lo(r2, r3), t3 = hi(r2, r3)
    let t4 = lo(r4, r5), t5 = hi(r4, r5), t6 = lo(r6, r7), t7 = hi(r6, r7)
    let u0 = even(t0, t2), u1 = odd(t0, t2), u2 = even(t1, t3), u3 = odd(t1, t3)
    let u4 = even(t4, t6), u5 = odd(t4, t6), u6 = even(t5, t7), u7 = odd(t5, t7)
    return (low(u0, u4), low(u1, u5), low(u2, u6), low(u3, u7), high(u0, u4), high(u1, u5), high(u2, u6), high(u3, u7))
}

/// The 8 floats at p (any alignment).
@inlinable @inline(__always) func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Writes v to the 8 floats at p (any alignment).
@inlinable @inline(__always) func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
