// Inference convolutions with positions in the SIMD lanes: channel-major activations, a row per
// channel, x [nIn][xRow] → y [filters][yRow]. Position-major `Conv1D` puts the filters in the
// lanes, so 15 filters leave one lane of 16 idle in every multiply-add; here the lanes are 8
// consecutive positions and only a row's end is padding. Weights are repacked (`pack`) into
// blocks of 3 filters, wp[block][k][c][i] = w[k][c][3·block + i], so a step's three broadcasts
// are adjacent; a block of 3 filters × 32 positions keeps 12 accumulators in registers.
//   y[f][p] = b[f] + Σ_k Σ_c x[c][p+k] · w[k][c][f]
// Each output is the bias followed by one fused multiply-add per (k, c), k outer, c inner: the
// order of `Conv1D.forward`, so both layouts give the same bits.
// Rows are computed in whole blocks of 32 positions: a row holds `rowLength(length)` floats, and
// what lies past `length` is scratch that no valid output reads.

import CDragonnSIMD

public enum ChannelMajorConv {
    /// Filters per weight block.
    public static let blockFilters = 3
    /// Positions per block: four vectors of 8.
    public static let blockPositions = 32

    /// Floats per activation row for `length` positions: whole blocks plus one block, so that
    /// the next layer's last block (of at most the same length) reads inside the row, plus 16
    /// floats when that makes an even number of 64-byte lines. An odd number of lines puts
    /// consecutive rows in different cache sets: rows a power of two apart (1024 floats, as a
    /// 1001 bp model's layer 0 of width 10 would have) all fall in one set, and the kernel, which reads
    /// every row at the same offset, ran at half speed from L2.
    public static func rowLength(_ length: Int) -> Int {
        let row = (length + blockPositions - 1) / blockPositions * blockPositions + blockPositions
        return (row / 16) % 2 == 0 ? row + 16 : row
    }

    /// Rows (filters rounded up to whole blocks) of a layer's channel-major output.
    public static func paddedFilters(_ filters: Int) -> Int { (filters + blockFilters - 1) / blockFilters * blockFilters }

    /// Floats `pack` writes for a layer: paddedFilters × width × nIn weights, then paddedFilters biases.
    public static func packedCount(filters: Int, nIn: Int, width: Int) -> Int {
        paddedFilters(filters) * (width * nIn + 1)
    }

    /// Repacks `Conv1D`'s weights w [width][wRows][outStride] and bias [outStride] for
    /// `forward`: wp[block][k][c][i] = w[k][c][3·block + i] (0 past `filters`), then the biases
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
    /// and p < outLength rounded up to 32 (rows past `filters` and positions past outLength are
    /// scratch), from `pack`ed weights; with `relu`, max(y, 0) is stored. x rows must hold
    /// outLength rounded up to 32, plus width − 1, floats.
    public static func forward(y: UnsafeMutablePointer<Float>, yRow: Int, filters: Int, outLength: Int,
                               x: UnsafePointer<Float>, xRow: Int, nIn: Int,
                               packed: UnsafePointer<Float>, width: Int, relu: Bool) {
        let blocks = paddedFilters(filters) / blockFilters
        let blockWeights = width * nIn * blockFilters
        let biases = packed + blocks * blockWeights
        for p in stride(from: 0, to: outLength, by: blockPositions) {
            for block in 0..<blocks {
                let bp = biases + blockFilters * block
                var a00 = SIMD8<Float>(repeating: bp[0]), a01 = a00, a02 = a00, a03 = a00
                var a10 = SIMD8<Float>(repeating: bp[1]), a11 = a10, a12 = a10, a13 = a10
                var a20 = SIMD8<Float>(repeating: bp[2]), a21 = a20, a22 = a20, a23 = a20
                var wp = packed + block * blockWeights
                for k in 0..<width {
                    var xp = x + p + k
                    for _ in 0..<nIn {
                        // Twelve accumulators (the FMA latency times two pipes, with room), three
                        // broadcasts and one input vector at a time: all 16 of AVX2's registers,
                        // and 7 loads per 12 multiply-adds (5 filters × 16 positions took 7 per 10).
                        let w0 = SIMD8<Float>(repeating: wp[0]), w1 = SIMD8<Float>(repeating: wp[1]), w2 = SIMD8<Float>(repeating: wp[2])
                        var v = load8(xp)
                        a00 = a00.addingProduct(v, w0); a10 = a10.addingProduct(v, w1); a20 = a20.addingProduct(v, w2)
                        v = load8(xp + 8)
                        a01 = a01.addingProduct(v, w0); a11 = a11.addingProduct(v, w1); a21 = a21.addingProduct(v, w2)
                        v = load8(xp + 16)
                        a02 = a02.addingProduct(v, w0); a12 = a12.addingProduct(v, w1); a22 = a22.addingProduct(v, w2)
                        v = load8(xp + 24)
                        a03 = a03.addingProduct(v, w0); a13 = a13.addingProduct(v, w1); a23 = a23.addingProduct(v, w2)
                        xp += xRow
                        wp += blockFilters
                    }
                }
                @inline(__always) func put(_ v: SIMD8<Float>, _ row: Int, _ j: Int) {
                    // The ReLU as Conv1D's fused store does it: 0 where y < 0, y otherwise.
                    store8(relu ? v.replacing(with: 0, where: v .< 0) : v, y + (blockFilters * block + row) * yRow + p + 8 * j)
                }
                put(a00, 0, 0); put(a01, 0, 1); put(a02, 0, 2); put(a03, 0, 3)
                put(a10, 1, 0); put(a11, 1, 1); put(a12, 1, 2); put(a13, 1, 3)
                put(a20, 2, 0); put(a21, 2, 1); put(a22, 2, 2); put(a23, 2, 3)
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
        // Blocks of 8 positions × 8 channels through registers (24 shuffles per 64 values
        // instead of 64 scalar loads and stores).
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
    /// (the lanes from `channels` to `stride` are left as they are). x needs channels rounded up
    /// to 8 rows: a group of 8 channels is pooled together (rows past `channels` are read, never
    /// stored).
    public static func maxPool(x: UnsafePointer<Float>, xRow: Int, channels: Int, pooledLength: Int, width: Int,
                               pooled: UnsafeMutablePointer<Float>, stride: Int) {
        @inline(__always) func larger(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a.replacing(with: b, where: b .> a) }
        guard width >= 8 else {
            for c in 0..<channels {
                for q in 0..<pooledLength {
                    let w0 = x + c * xRow + q * width
                    var m = w0[0]
                    for t in 1..<width where w0[t] > m { m = w0[t] }
                    pooled[q * stride + c] = m
                }
            }
            return
        }
        for c0 in Swift.stride(from: 0, to: channels, by: 8) {
            for q in 0..<pooledLength {
                // Each of 8 channels' window folded to 8 lanes; the rest as the window's last 8
                // values (overlapping values change no maximum and need no branches).
                @inline(__always) func folded(_ r: Int) -> SIMD8<Float> {
                    let w0 = x + (c0 + r) * xRow + q * width
                    var v = load8(w0), t = 8
                    while t + 8 <= width { v = larger(v, load8(w0 + t)); t += 8 }
                    if t < width { v = larger(v, load8(w0 + width - 8)) }
                    return v
                }
                // Transposed, lane i of every row belongs to channel c0 + i: the rows' lane-wise
                // maximum is the 8 channels' pooled values, one vector for the pooled layout.
                let t = transpose8x8(folded(0), folded(1), folded(2), folded(3), folded(4), folded(5), folded(6), folded(7))
                let m = larger(larger(larger(t.0, t.1), larger(t.2, t.3)), larger(larger(t.4, t.5), larger(t.6, t.7)))
                let out = pooled + q * stride + c0
                if c0 + 8 <= channels {
                    store8(m, out)
                } else {
                    for i in 0..<(channels - c0) { out[i] = m[i] }
                }
            }
        }
    }
}

/// The transpose of the 8 × 8 block whose rows are r0 ... r7: column i becomes row i, in 24
/// single-instruction shuffles (`CDragonnSIMD`).
@inline(__always) func transpose8x8(_ r0: SIMD8<Float>, _ r1: SIMD8<Float>, _ r2: SIMD8<Float>, _ r3: SIMD8<Float>,
                                    _ r4: SIMD8<Float>, _ r5: SIMD8<Float>, _ r6: SIMD8<Float>, _ r7: SIMD8<Float>)
    -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    // Pairs of rows interleaved within each 128-bit half, then pairs of pairs, then the halves
    // exchanged between rows four apart.
    let t0 = dragonn_interleave_low(r0, r1), t1 = dragonn_interleave_high(r0, r1)
    let t2 = dragonn_interleave_low(r2, r3), t3 = dragonn_interleave_high(r2, r3)
    let t4 = dragonn_interleave_low(r4, r5), t5 = dragonn_interleave_high(r4, r5)
    let t6 = dragonn_interleave_low(r6, r7), t7 = dragonn_interleave_high(r6, r7)
    let u0 = dragonn_pairs_low(t0, t2), u1 = dragonn_pairs_high(t0, t2), u2 = dragonn_pairs_low(t1, t3), u3 = dragonn_pairs_high(t1, t3)
    let u4 = dragonn_pairs_low(t4, t6), u5 = dragonn_pairs_high(t4, t6), u6 = dragonn_pairs_low(t5, t7), u7 = dragonn_pairs_high(t5, t7)
    return (dragonn_halves_low(u0, u4), dragonn_halves_low(u1, u5), dragonn_halves_low(u2, u6), dragonn_halves_low(u3, u7),
            dragonn_halves_high(u0, u4), dragonn_halves_high(u1, u5), dragonn_halves_high(u2, u6), dragonn_halves_high(u3, u7))
}

/// The 8 floats at p (any alignment).
@inlinable @inline(__always) func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// Writes v to the 8 floats at p (any alignment).
@inlinable @inline(__always) func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
