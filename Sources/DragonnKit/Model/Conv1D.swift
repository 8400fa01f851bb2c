// Valid 1-D convolution on dense input (layers 2, 3, ...), forward and backward.
// Layout: input x [inLength][xStride], output y [outLength][outStride] (outStride = padded
// filters), weights w [width][wRows][outStride] — row (k, c) holds the weights from input
// channel c at tap k to every output filter, so one SIMD16 load serves 16 filters.
//   y[p][f] = b[f] + Σ_k Σ_c x[p+k][c] · w[k][c][f]
// The input gradient is the same kernel run over the zero-padded output gradient with the
// weights flipped in k and transposed in (c, f): see `flipTranspose`.

enum Conv1D {
    /// y[p][:] = bias + Σ_k Σ_{c<nIn} x[(p+k)·xStride + c] · w[(k·wRows + c)·outStride + :].
    /// Eight positions per step where the build targets AVX-512 (32 vector registers; the
    /// Makefile defines DRAGONN_AVX512), six otherwise (16 registers). Each output is summed in
    /// the same order either way, so results are identical.
    @inline(__always)
    static func forward(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                        x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                        w: UnsafePointer<Float>, wRows: Int, width: Int,
                        bias: UnsafePointer<Float>?) {
        #if DRAGONN_AVX512
        forward8(y: y, outStride: outStride, outLength: outLength, x: x, xStride: xStride, nIn: nIn,
                 w: w, wRows: wRows, width: width, bias: bias)
        #else
        forward6(y: y, outStride: outStride, outLength: outLength, x: x, xStride: xStride, nIn: nIn,
                 w: w, wRows: wRows, width: width, bias: bias)
        #endif
    }

    /// `forward` with six positions per step (6 × outStride/16 accumulators in registers).
    static func forward6(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                        x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                        w: UnsafePointer<Float>, wRows: Int, width: Int,
                        bias: UnsafePointer<Float>?) {
        let groups = outStride / 16
        let kStride = wRows * outStride
        for g in 0..<groups {
            let b = bias.map { load16($0 + 16 * g) } ?? SIMD16<Float>(repeating: 0)
            let wg = w + 16 * g
            var p = 0
            while p + 6 <= outLength {
                var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b
                for k in 0..<width {
                    let xr = x + (p + k) * xStride
                    let wk = wg + k * kStride
                    for c in 0..<nIn {
                        let wv = load16(wk + c * outStride)
                        a0 = a0.addingProduct(wv, SIMD16(repeating: xr[c]))
                        a1 = a1.addingProduct(wv, SIMD16(repeating: xr[xStride + c]))
                        a2 = a2.addingProduct(wv, SIMD16(repeating: xr[2 * xStride + c]))
                        a3 = a3.addingProduct(wv, SIMD16(repeating: xr[3 * xStride + c]))
                        a4 = a4.addingProduct(wv, SIMD16(repeating: xr[4 * xStride + c]))
                        a5 = a5.addingProduct(wv, SIMD16(repeating: xr[5 * xStride + c]))
                    }
                }
                let yp = y + p * outStride + 16 * g
                store16(a0, yp); store16(a1, yp + outStride); store16(a2, yp + 2 * outStride)
                store16(a3, yp + 3 * outStride); store16(a4, yp + 4 * outStride); store16(a5, yp + 5 * outStride)
                p += 6
            }
            while p < outLength {
                var a0 = b
                for k in 0..<width {
                    let xr = x + (p + k) * xStride
                    let wk = wg + k * kStride
                    for c in 0..<nIn { a0 = a0.addingProduct(load16(wk + c * outStride), SIMD16(repeating: xr[c])) }
                }
                store16(a0, y + p * outStride + 16 * g)
                p += 1
            }
        }
    }

    /// `forward` with eight positions per step (for targets with 32 vector registers).
    static func forward8(y: UnsafeMutablePointer<Float>, outStride: Int, outLength: Int,
                         x: UnsafePointer<Float>, xStride: Int, nIn: Int,
                         w: UnsafePointer<Float>, wRows: Int, width: Int,
                         bias: UnsafePointer<Float>?) {
        let groups = outStride / 16
        let kStride = wRows * outStride
        let main = outLength / 8 * 8
        for g in 0..<groups {
            let b = bias.map { load16($0 + 16 * g) } ?? SIMD16<Float>(repeating: 0)
            let wg = w + 16 * g
            var p = 0
            while p < main {
                var a0 = b, a1 = b, a2 = b, a3 = b, a4 = b, a5 = b, a6 = b, a7 = b
                for k in 0..<width {
                    let xr = x + (p + k) * xStride
                    let wk = wg + k * kStride
                    for c in 0..<nIn {
                        let wv = load16(wk + c * outStride)
                        a0 = a0.addingProduct(wv, SIMD16(repeating: xr[c]))
                        a1 = a1.addingProduct(wv, SIMD16(repeating: xr[xStride + c]))
                        a2 = a2.addingProduct(wv, SIMD16(repeating: xr[2 * xStride + c]))
                        a3 = a3.addingProduct(wv, SIMD16(repeating: xr[3 * xStride + c]))
                        a4 = a4.addingProduct(wv, SIMD16(repeating: xr[4 * xStride + c]))
                        a5 = a5.addingProduct(wv, SIMD16(repeating: xr[5 * xStride + c]))
                        a6 = a6.addingProduct(wv, SIMD16(repeating: xr[6 * xStride + c]))
                        a7 = a7.addingProduct(wv, SIMD16(repeating: xr[7 * xStride + c]))
                    }
                }
                let yp = y + p * outStride + 16 * g
                store16(a0, yp); store16(a1, yp + outStride); store16(a2, yp + 2 * outStride)
                store16(a3, yp + 3 * outStride); store16(a4, yp + 4 * outStride); store16(a5, yp + 5 * outStride)
                store16(a6, yp + 6 * outStride); store16(a7, yp + 7 * outStride)
                p += 8
            }
        }
        if main < outLength {
            forward6(y: y + main * outStride, outStride: outStride, outLength: outLength - main,
                    x: x + main * xStride, xStride: xStride, nIn: nIn, w: w, wRows: wRows, width: width, bias: bias)
        }
    }

    /// Accumulates the weight and bias gradients:
    /// dW[k][c][:] += Σ_p x[p+k][c] · dY[p][:] for c < rows, dB[:] += Σ_p dY[p][:].
    /// Rows go in blocks of eight (AVX-512 builds) or six (independent FMA chains), then four,
    /// then one at a time.
    static func backwardWeights(dW: UnsafeMutablePointer<Float>, dB: UnsafeMutablePointer<Float>,
                                dY: UnsafePointer<Float>, outStride: Int, outLength: Int,
                                x: UnsafePointer<Float>, xStride: Int, rows: Int, wRows: Int, width: Int) {
        let groups = outStride / 16
        for g in 0..<groups {
            var sb = SIMD16<Float>(repeating: 0)
            let dyg = dY + 16 * g
            for p in 0..<outLength { sb += load16(dyg + p * outStride) }
            store16(load16(dB + 16 * g) + sb, dB + 16 * g)
            for k in 0..<width {
                var c = 0
                #if DRAGONN_AVX512
                while c + 8 <= rows {
                    var a0 = SIMD16<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0
                    var xp = x + k * xStride + c
                    var dp = dyg
                    for _ in 0..<outLength {
                        let d = load16(dp)
                        a0 = a0.addingProduct(d, SIMD16(repeating: xp[0]))
                        a1 = a1.addingProduct(d, SIMD16(repeating: xp[1]))
                        a2 = a2.addingProduct(d, SIMD16(repeating: xp[2]))
                        a3 = a3.addingProduct(d, SIMD16(repeating: xp[3]))
                        a4 = a4.addingProduct(d, SIMD16(repeating: xp[4]))
                        a5 = a5.addingProduct(d, SIMD16(repeating: xp[5]))
                        a6 = a6.addingProduct(d, SIMD16(repeating: xp[6]))
                        a7 = a7.addingProduct(d, SIMD16(repeating: xp[7]))
                        xp += xStride
                        dp += outStride
                    }
                    let wp = dW + (k * wRows + c) * outStride + 16 * g
                    store16(load16(wp) + a0, wp)
                    store16(load16(wp + outStride) + a1, wp + outStride)
                    store16(load16(wp + 2 * outStride) + a2, wp + 2 * outStride)
                    store16(load16(wp + 3 * outStride) + a3, wp + 3 * outStride)
                    store16(load16(wp + 4 * outStride) + a4, wp + 4 * outStride)
                    store16(load16(wp + 5 * outStride) + a5, wp + 5 * outStride)
                    store16(load16(wp + 6 * outStride) + a6, wp + 6 * outStride)
                    store16(load16(wp + 7 * outStride) + a7, wp + 7 * outStride)
                    c += 8
                }
                #endif
                while c + 6 <= rows {
                    var a0 = SIMD16<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0
                    var xp = x + k * xStride + c
                    var dp = dyg
                    for _ in 0..<outLength {
                        let d = load16(dp)
                        a0 = a0.addingProduct(d, SIMD16(repeating: xp[0]))
                        a1 = a1.addingProduct(d, SIMD16(repeating: xp[1]))
                        a2 = a2.addingProduct(d, SIMD16(repeating: xp[2]))
                        a3 = a3.addingProduct(d, SIMD16(repeating: xp[3]))
                        a4 = a4.addingProduct(d, SIMD16(repeating: xp[4]))
                        a5 = a5.addingProduct(d, SIMD16(repeating: xp[5]))
                        xp += xStride
                        dp += outStride
                    }
                    let wp = dW + (k * wRows + c) * outStride + 16 * g
                    store16(load16(wp) + a0, wp)
                    store16(load16(wp + outStride) + a1, wp + outStride)
                    store16(load16(wp + 2 * outStride) + a2, wp + 2 * outStride)
                    store16(load16(wp + 3 * outStride) + a3, wp + 3 * outStride)
                    store16(load16(wp + 4 * outStride) + a4, wp + 4 * outStride)
                    store16(load16(wp + 5 * outStride) + a5, wp + 5 * outStride)
                    c += 6
                }
                while c + 4 <= rows {
                    var a0 = SIMD16<Float>(repeating: 0), a1 = a0, a2 = a0, a3 = a0
                    var xp = x + k * xStride + c
                    var dp = dyg
                    for _ in 0..<outLength {
                        let d = load16(dp)
                        a0 = a0.addingProduct(d, SIMD16(repeating: xp[0]))
                        a1 = a1.addingProduct(d, SIMD16(repeating: xp[1]))
                        a2 = a2.addingProduct(d, SIMD16(repeating: xp[2]))
                        a3 = a3.addingProduct(d, SIMD16(repeating: xp[3]))
                        xp += xStride
                        dp += outStride
                    }
                    let wp = dW + (k * wRows + c) * outStride + 16 * g
                    store16(load16(wp) + a0, wp)
                    store16(load16(wp + outStride) + a1, wp + outStride)
                    store16(load16(wp + 2 * outStride) + a2, wp + 2 * outStride)
                    store16(load16(wp + 3 * outStride) + a3, wp + 3 * outStride)
                    c += 4
                }
                while c < rows {
                    var a0 = SIMD16<Float>(repeating: 0)
                    var xp = x + k * xStride + c
                    var dp = dyg
                    for _ in 0..<outLength {
                        a0 = a0.addingProduct(load16(dp), SIMD16(repeating: xp[0]))
                        xp += xStride
                        dp += outStride
                    }
                    let wp = dW + (k * wRows + c) * outStride + 16 * g
                    store16(load16(wp) + a0, wp)
                    c += 1
                }
            }
        }
    }

    /// Weights for the input gradient: wf[j][f][c] = w[width−1−j][c][f], shaped
    /// [width][outStride rows][inStride]; rows/columns beyond the real channels are 0.
    static func flipTranspose(w: UnsafePointer<Float>, wRows: Int, outStride: Int, width: Int,
                              inChannels: Int, outChannels: Int,
                              into wf: UnsafeMutablePointer<Float>, inStride: Int) {
        wf.update(repeating: 0, count: width * outStride * inStride)
        for j in 0..<width {
            let k = width - 1 - j
            for f in 0..<outChannels {
                for c in 0..<inChannels {
                    wf[(j * outStride + f) * inStride + c] = w[(k * wRows + c) * outStride + f]
                }
            }
        }
    }
}
