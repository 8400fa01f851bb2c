import XCTest
import DragonnKit

/// Checks every parameter gradient of the engine (so every layer's backward: conv on codes,
/// conv on activations, ReLU, dropout masks, max-pool, dense, weighted BCE, L1) against central
/// finite differences of an independent, plain float64 forward pass written here from the
/// definitions (PyTorch layouts).
final class GradientCheckTests: XCTestCase {
    func randomCodes(_ n: Int, _ seed: UInt64) -> [UInt8] {
        var r = RandomSource(seed: seed)
        return (0..<n).map { _ in r.int(below: 20) == 0 ? 4 : UInt8(r.int(below: 4)) }
    }

    /// Mean weighted BCE + L1 · Σ|conv params| in float64, evaluation mode.
    func referenceObjective(_ a: Architecture, _ t: [String: [Double]], codes: [UInt8], labels: [Float],
                            weights: [Float]?, count n: Int) -> Double {
        let L = a.seqLength, T = a.numTasks
        var total = 0.0
        for s in 0..<n {
            // One-hot [4][L].
            var x = [Double](repeating: 0, count: 4 * L)
            for p in 0..<L where codes[s * L + p] < 4 { x[Int(codes[s * L + p]) * L + p] = 1 }
            var channels = 4, length = L
            for i in 0..<a.numLayers {
                let f = a.numFilters[i], w = a.convWidth[i], out = length - w + 1
                let wt = t["conv.\(i).weight"]!, b = t["conv.\(i).bias"]!
                var y = [Double](repeating: 0, count: f * out)
                for fo in 0..<f { for p in 0..<out {
                    var acc = b[fo]
                    for c in 0..<channels { for k in 0..<w { acc += wt[(fo * channels + c) * w + k] * x[c * length + p + k] } }
                    y[fo * out + p] = max(acc, 0)
                } }
                x = y; channels = f; length = out
            }
            let P = length / a.poolWidth
            var pooled = [Double](repeating: 0, count: channels * P)
            for c in 0..<channels { for q in 0..<P {
                pooled[c * P + q] = (0..<a.poolWidth).map { x[c * length + q * a.poolWidth + $0] }.max()!
            } }
            let dw = t["dense.weight"]!, db = t["dense.bias"]!
            for k in 0..<T {
                var z = db[k]
                for i in 0..<(channels * P) { z += dw[k * channels * P + i] * pooled[i] }
                let y = Double(labels[s * T + k])
                let wgt = weights.map { Double($0[s]) } ?? 1
                total += wgt * (max(z, 0) - z * y + log1p(exp(-abs(z))))
            }
        }
        var l1 = 0.0
        for i in 0..<a.numLayers { l1 += (t["conv.\(i).weight"]! + t["conv.\(i).bias"]!).reduce(0) { $0 + abs($1) } }
        return total / Double(n * T) + a.L1 * l1
    }

    func check(_ arch: Architecture, weighted: Bool, file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try SequenceDNN(architecture: arch, seed: 7)
        var r = RandomSource(seed: 99)
        for (name, shape) in model.tensorShapes where name.hasSuffix("bias") {
            try model.setTensor(name, (0..<shape[0]).map { _ in Float(r.normal() * 0.1) })
        }
        let n = 5, T = arch.numTasks
        let codes = randomCodes(n * arch.seqLength, 3)
        let labels = (0..<(n * T)).map { _ in Float(r.int(below: 2)) }
        let weights: [Float]? = weighted ? (0..<n).map { _ in Float(0.5 + r.uniform()) } : nil
        let trainer = Trainer(model: model, seed: 11, threads: 2)
        let loss = codes.withUnsafeBufferPointer { c in labels.withUnsafeBufferPointer { l in
            if let weights {
                return weights.withUnsafeBufferPointer { trainer.computeGradient(codes: c, labels: l, weights: $0, count: n, training: false) }
            }
            return trainer.computeGradient(codes: c, labels: l, weights: nil, count: n, training: false)
        } }
        var params: [String: [Double]] = [:]
        for (name, _) in model.tensorShapes { params[name] = model.tensor(name).map(Double.init) }
        let reference = referenceObjective(arch, params, codes: codes, labels: labels, weights: weights, count: n)
        XCTAssertEqual(loss, reference, accuracy: 1e-5 * abs(reference), "objective", file: file, line: line)
        for (name, _) in model.tensorShapes {
            let analytic = trainer.gradient(name)
            let scale = Double(analytic.map(abs).max()!)
            XCTAssertGreaterThan(scale, 0, "\(name) gradient is all zero", file: file, line: line)
            var worst = 0.0
            for i in 0..<analytic.count {
                var p = params
                let h = 1e-6
                p[name]![i] += h
                let up = referenceObjective(arch, p, codes: codes, labels: labels, weights: weights, count: n)
                p[name]![i] -= 2 * h
                let down = referenceObjective(arch, p, codes: codes, labels: labels, weights: weights, count: n)
                let numeric = (up - down) / (2 * h)
                worst = max(worst, abs(numeric - Double(analytic[i])) / (abs(numeric) + 1e-3 * scale))
            }
            XCTAssertLessThan(worst, 1e-3, "\(name): finite differences disagree (worst relative \(worst))", file: file, line: line)
        }
    }

    func testTwoLayersTwoTasks() throws {
        try check(Architecture(seqLength: 24, numFilters: [3, 2], convWidth: [4, 3], poolWidth: 3, numTasks: 2, L1: 0.01),
                  weighted: false)
    }

    func testThreeLayersWeighted() throws {
        try check(Architecture(seqLength: 30, numFilters: [4, 3, 18], convWidth: [3, 2, 3], poolWidth: 4, numTasks: 1, L1: 0.001),
                  weighted: true)
    }

    /// 20 input channels exercise every row-block path of the weight-gradient kernel (6, 4, 1)
    /// and two 16-lane groups of padding.
    func testWideLayers() throws {
        try check(Architecture(seqLength: 26, numFilters: [20, 7], convWidth: [3, 2], poolWidth: 5, numTasks: 1, L1: 0.001),
                  weighted: false)
    }

    /// With dropout, the gradient is that of the masked network: dropped units contribute
    /// nothing and kept ones are scaled by 1/(1 − rate). Checked through the dense gradient of a
    /// one-layer model with a 1×1 "identity" convolution, where it equals the masked activations.
    func testDropoutGradientUsesTheMask() throws {
        let arch = Architecture(seqLength: 64, numFilters: [16], convWidth: [1], poolWidth: 1, numTasks: 1, dropout: 0.5)
        let model = try SequenceDNN(architecture: arch, seed: 1)
        try model.setTensor("conv.0.weight", [Float](repeating: 0.5, count: 64))
        try model.setTensor("dense.weight", [Float](repeating: 0.001, count: 16 * 64))
        let codes = [UInt8](repeating: 2, count: 64)
        let trainer = Trainer(model: model, seed: 3)
        _ = codes.withUnsafeBufferPointer { c in [Float(0)].withUnsafeBufferPointer { l in
            trainer.computeGradient(codes: c, labels: l, weights: nil, count: 1, training: true) } }
        let dense = trainer.gradient("dense.weight")
        let g = trainer.gradient("conv.0.bias")
        // dL/dz = σ(z); dense grad = σ(z) · unit; conv bias grad = σ(z) · 0.001 · Σ_kept 2.
        let sigma = dense.max()! / (0.5 * 2)
        let kept = dense.filter { $0 > 0 }.count
        XCTAssertGreaterThan(kept, 300); XCTAssertLessThan(kept, 724)
        for v in dense where v > 0 { XCTAssertEqual(v, sigma, accuracy: 1e-6) }
        for f in 0..<16 {
            let keptF = (0..<64).filter { dense[f * 64 + $0] > 0 }.count
            XCTAssertEqual(g[f], sigma * 0.001 * 2 * Float(keptF), accuracy: 1e-6)
        }
    }
}
