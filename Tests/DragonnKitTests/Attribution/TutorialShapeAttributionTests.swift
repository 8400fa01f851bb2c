import DragonnKit
import XCTest

/// SequenceDNN in float64, written plainly from the definitions with the model file's PyTorch
/// layouts and none of the engine's code: the reference for DeepLIFT and the input gradient.
struct PlainNetwork {
    let arch: Architecture
    /// Per conv layer: weight [filters][inChannels][width], bias [filters].
    let weights: [[Double]], biases: [[Double]]
    /// [tasks][filters_last · pooled], flatten index c · P + q.
    let dense: [Double], denseBias: [Double]

    init(_ model: SequenceDNN) {
        arch = model.architecture
        weights = (0..<arch.numLayers).map { model.tensor("conv.\($0).weight").map(Double.init) }
        biases = (0..<arch.numLayers).map { model.tensor("conv.\($0).bias").map(Double.init) }
        dense = model.tensor("dense.weight").map(Double.init)
        denseBias = model.tensor("dense.bias").map(Double.init)
    }

    /// Every value of one forward pass; z and h are [channel][position] per conv layer.
    struct Trace {
        var z: [[Double]] = [], h: [[Double]] = [], lengths: [Int] = []
        var logits: [Double] = []
    }

    func channels(_ layer: Int) -> Int { layer == 0 ? 4 : arch.numFilters[layer - 1] }

    /// The one-hot input [4][L] of base codes (N: all zero).
    static func oneHot(_ codes: [UInt8]) -> [Double] {
        var x = [Double](repeating: 0, count: 4 * codes.count)
        for (p, c) in codes.enumerated() where c < 4 { x[Int(c) * codes.count + p] = 1 }
        return x
    }

    /// The dense input [4][L] of an engine reference ([L][4]).
    static func input(_ reference: ReferenceInput) -> [Double] {
        switch reference {
        case .codes(let c): return oneHot(c)
        case .dense(let d):
            let length = d.count / 4
            var x = [Double](repeating: 0, count: d.count)
            for p in 0..<length { for c in 0..<4 { x[c * length + p] = Double(d[4 * p + c]) } }
            return x
        }
    }

    /// Forward pass of x [4][L].
    func forward(_ input: [Double]) -> Trace {
        var t = Trace()
        var x = input, length = arch.seqLength
        for l in 0..<arch.numLayers {
            let f = arch.numFilters[l], c = channels(l), w = arch.convWidth[l], out = length - w + 1
            let wt = weights[l]
            var z = [Double](repeating: 0, count: f * out)
            for fo in 0..<f { for p in 0..<out {
                var s = biases[l][fo]
                for ci in 0..<c { for k in 0..<w { s += wt[(fo * c + ci) * w + k] * x[ci * length + p + k] } }
                z[fo * out + p] = s
            } }
            let h = z.map { max($0, 0) }
            t.z.append(z); t.h.append(h); t.lengths.append(out)
            x = h; length = out
        }
        let f = arch.numFilters.last!, pooled = length / arch.poolWidth
        var pool = [Double](repeating: 0, count: f * pooled)
        for c in 0..<f { for q in 0..<pooled {
            pool[c * pooled + q] = (0..<arch.poolWidth).map { x[c * length + q * arch.poolWidth + $0] }.max()!
        } }
        t.logits = (0..<arch.numTasks).map { task in
            zip(dense[(task * f * pooled)..<((task + 1) * f * pooled)], pool).reduce(denseBias[task]) { $0 + $1.0 * $1.1 }
        }
        return t
    }

    /// How often the rescale rule did something the gradient would not.
    struct RuleCounts { var switchedReLUs = 0, referenceWonPool = 0 }

    /// Multipliers [4][L] of logit `task` with respect to the input under DeepLIFT's rescale rule
    /// against the reference pass `r`: ReLU secant (relu(a) − relu(b)) / (a − b), the gradient when
    /// |a − b| < 1e-6; max-pool to the first arg-max of max(x, r) in the window, scaled by
    /// (max x − max r) / (x − r) there, unscaled when that is below 1e-6. With `r` = `x` this is
    /// the gradient.
    func multipliers(task: Int, x: Trace, r: Trace, counts: inout RuleCounts) -> [Double] {
        let last = arch.numLayers - 1, f = arch.numFilters[last], length = x.lengths[last]
        let width = arch.poolWidth, pooled = length / width
        var g = [Double](repeating: 0, count: f * length)
        for c in 0..<f { for q in 0..<pooled {
            var best = q * width, mx = -Double.infinity, mr = -Double.infinity
            for p in (q * width)..<((q + 1) * width) {
                let a = x.h[last][c * length + p], b = r.h[last][c * length + p]
                mx = max(mx, a); mr = max(mr, b)
                if max(a, b) > max(x.h[last][c * length + best], r.h[last][c * length + best]) { best = p }
            }
            let d = x.h[last][c * length + best] - r.h[last][c * length + best]
            let w = dense[(task * f + c) * pooled + q]
            g[c * length + best] = abs(d) < 1e-6 ? w : w * (mx - mr) / d
            if d < 0 { counts.referenceWonPool += 1 }
        } }
        for l in stride(from: last, through: 0, by: -1) {
            let fl = arch.numFilters[l], c = channels(l), w = arch.convWidth[l], out = x.lengths[l], inLength = out + w - 1
            var below = [Double](repeating: 0, count: c * inLength)
            for fo in 0..<fl { for p in 0..<out {
                let a = x.z[l][fo * out + p], b = r.z[l][fo * out + p]
                let m = abs(a - b) < 1e-6 ? (a > 0 ? 1 : 0) : (max(a, 0) - max(b, 0)) / (a - b)
                if abs(a - b) >= 1e-6 && (a > 0) != (b > 0) { counts.switchedReLUs += 1 }
                let gz = g[fo * out + p] * m
                if gz == 0 { continue }
                for ci in 0..<c { for k in 0..<w { below[ci * inLength + p + k] += weights[l][(fo * c + ci) * w + k] * gz } }
            } }
            g = below
        }
        return g
    }
}

/// The tutorial's middle layers (3 x 15 filters, width 10, pool 35; shorter sequences so a debug
/// build stays quick) with He-scale weights and biases that make ReLUs switch between a sequence
/// and its references, against `PlainNetwork`.
final class TutorialShapeAttributionTests: XCTestCase {
    let length = 250

    func tutorialModel() throws -> SequenceDNN {
        let arch = Architecture(seqLength: length, numFilters: [15, 15, 15], convWidth: [10, 10, 10], poolWidth: 35, numTasks: 2)
        let model = try SequenceDNN(architecture: arch, seed: 21)   // He-normal weights
        var r = RandomSource(seed: 22)
        for i in 0..<3 { try model.setTensor("conv.\(i).bias", (0..<15).map { _ in Float(r.normal() * 0.3) }) }
        try model.setTensor("dense.bias", [0.3, -0.2])
        return model
    }

    /// Random sequences; the first has an N (an all-zero column) at 17.
    func sequences(_ count: Int, seed: UInt64) -> [UInt8] {
        var r = RandomSource(seed: seed)
        var codes = (0..<(count * length)).map { _ in UInt8(r.int(below: 4)) }
        codes[17] = 4
        return codes
    }

    /// Largest error relative to the largest expected magnitude (entries near zero are judged on
    /// that scale).
    func worstError(_ got: [Float], _ want: [Double]) -> Double {
        let scale = max(want.map(abs).max()!, 1e-12)
        return zip(got, want).map { abs(Double($0) - $1) / max(abs($1), 1e-2 * scale) }.max()!
    }

    /// The batch entry with shuffled references (its own forward passes and fused kernels for
    /// two or more layers) gives what the per-sequence entry gives against the same shuffles
    /// (the workspace's forward and rescale pass), for three layers and for two.
    func testShuffleBatchPathMatchesPerSequencePath() throws {
        let three = try tutorialModel()
        let twoArch = Architecture(seqLength: length, numFilters: [15, 7], convWidth: [10, 5], poolWidth: 20, numTasks: 2)
        let two = try SequenceDNN(architecture: twoArch, seed: 25)
        var r = RandomSource(seed: 26)
        try two.setTensor("conv.0.bias", (0..<15).map { _ in Float(r.normal() * 0.3) })
        try two.setTensor("conv.1.bias", (0..<7).map { _ in Float(r.normal() * 0.3) })
        let codes = sequences(3, seed: 27)
        for model in [three, two] {
            let batch = deepLift(model: model, codes: codes, count: 3, tasks: [0, 1], reference: .shuffles(5), seed: 8, threads: 2)
            for s in 0..<3 {
                let sequence = Array(codes[(s * length)..<((s + 1) * length)])
                var stream = RandomSource(seed: 8).split(UInt64(s))
                let refs = AttributionReference.shuffles(5).inputs(for: sequence, rng: &stream)
                let want = deepLift(model: model, sequence: sequence, references: refs, tasks: [0, 1])
                let got = Array(batch[(s * want.count)..<((s + 1) * want.count)])
                XCTAssertLessThanOrEqual(worstError(got, want.map(Double.init)), 1e-4, "\(model.architecture.numFilters) sequence \(s)")
                XCTAssertGreaterThan(want.map(abs).max()!, 1e-3)
            }
        }
    }

    func testDeepLIFTMatchesFloat64ReferenceAndSumsToDelta() throws {
        let model = try tutorialModel(), plain = PlainNetwork(model)
        let codes = sequences(2, seed: 23)
        var counts = PlainNetwork.RuleCounts()
        for s in 0..<2 {
            let sequence = Array(codes[(s * length)..<((s + 1) * length)])
            var stream = RandomSource(seed: 24 + UInt64(s))
            for reference in [AttributionReference.shuffles(4), .gc(0.4)] {
                let refs = reference.inputs(for: sequence, rng: &stream)
                let got = deepLift(model: model, sequence: sequence, references: refs, tasks: [0, 1])
                let x = plain.forward(PlainNetwork.oneHot(sequence))
                var want = [Double](repeating: 0, count: 2 * 4 * length)
                // Summation to delta of the reference itself: Σ m · (x − r) = logit(x) − logit(r), averaged.
                var plainTotal = [0.0, 0.0], meanReferenceLogit = [0.0, 0.0]
                for ref in refs {
                    let input = PlainNetwork.input(ref), r = plain.forward(input)
                    for task in 0..<2 {
                        meanReferenceLogit[task] += r.logits[task] / Double(refs.count)
                        let m = plain.multipliers(task: task, x: x, r: r, counts: &counts)
                        let oneHot = PlainNetwork.oneHot(sequence)
                        for i in 0..<(4 * length) { plainTotal[task] += m[i] * (oneHot[i] - input[i]) / Double(refs.count) }
                        for p in 0..<length {
                            let shift = (0..<4).reduce(0.0) { $0 + m[$1 * length + p] * input[$1 * length + p] }
                            for b in 0..<4 { want[(task * 4 + b) * length + p] += (m[b * length + p] - shift) / Double(refs.count) }
                        }
                    }
                }
                XCTAssertLessThanOrEqual(worstError(got, want), 1e-4, "sequence \(s), \(reference)")
                for task in 0..<2 {
                    XCTAssertEqual(plainTotal[task], x.logits[task] - meanReferenceLogit[task], accuracy: 1e-9)
                    // In the engine, where every position has an observed base (an N column has no
                    // contribution of its own to read off the hypothetical values).
                    guard !sequence.contains(4) else { continue }
                    var total: Float = 0
                    for p in 0..<length { total += got[(task * 4 + Int(sequence[p])) * length + p] }
                    let delta = model.logits(codes: sequence, count: 1)[task]
                        - refs.map { model.logits(reference: $0)[task] }.reduce(0, +) / Float(refs.count)
                    XCTAssertEqual(total, delta, accuracy: 1e-4 * max(1, abs(delta)), "sequence \(s), \(reference), task \(task)")
                }
            }
        }
        // The rules were exercised, not only their gradient fallbacks.
        XCTAssertGreaterThan(counts.switchedReLUs, 100)
        XCTAssertGreaterThan(counts.referenceWonPool, 10)
    }

    func testInputGradientMatchesFloat64AndFiniteDifferences() throws {
        let model = try tutorialModel(), plain = PlainNetwork(model)
        let codes = sequences(2, seed: 25)
        let got = inputGradient(model: model, codes: codes, count: 2, tasks: [1, 0], threads: 2)
        var counts = PlainNetwork.RuleCounts()
        var r = RandomSource(seed: 26)
        for s in 0..<2 {
            let input = PlainNetwork.oneHot(Array(codes[(s * length)..<((s + 1) * length)]))
            let x = plain.forward(input)
            for (ti, task) in [1, 0].enumerated() {
                let want = plain.multipliers(task: task, x: x, r: x, counts: &counts)
                let row = Array(got[((s * 2 + ti) * 4 * length)..<((s * 2 + ti + 1) * 4 * length)])
                XCTAssertLessThanOrEqual(worstError(row, want), 1e-4, "sequence \(s), task \(task)")
                // The float64 gradient itself against central differences of the float64 forward pass.
                for _ in 0..<10 {
                    let i = r.int(below: 4 * length), h = 1e-6
                    var up = input, down = input
                    up[i] += h; down[i] -= h
                    let numeric = (plain.forward(up).logits[task] - plain.forward(down).logits[task]) / (2 * h)
                    XCTAssertEqual(numeric, want[i], accuracy: 1e-6 * max(1, abs(want[i])), "input \(i)")
                }
            }
        }
        XCTAssertEqual(counts.switchedReLUs + counts.referenceWonPool, 0, "with x as its own reference, the gradient")
        XCTAssertGreaterThan(got.map(abs).max()!, 1e-3)
    }

    func testISMMatchesFullForwardPerMutant() throws {
        let model = try tutorialModel()
        let codes = sequences(1, seed: 27)
        // The ends, the N and its neighbours, pool-window edges, and a spread of others (a debug
        // build runs each mutant's full forward pass slowly).
        let positions = [0, 1, 16, 17, 18, 34, 35, 69, 70, 133, 197, 222, 240, length - 2, length - 1]
        let fast = Fixture.only(positions, of: inSilicoMutagenesis(model: model, codes: codes, count: 1, tasks: [0, 1]),
                                length: length)
        let naive = Fixture.naiveISM(model: model, codes: codes, count: 1, tasks: [0, 1], positions: positions)
        let scale = naive.map(abs).max()!
        XCTAssertGreaterThan(scale, 1e-3)
        var worst: Float = 0
        for (a, b) in zip(fast, naive) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThanOrEqual(worst, 1e-4 * scale)
    }
}
