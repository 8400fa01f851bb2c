import DragonnKit
import XCTest

final class AttributionFixtureTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(Fixture.available, "shared fixture not present")
    }

    func testLogitsMatchFixture() {
        let got = Fixture.network.logits(codes: Fixture.codes, count: 6)
        Fixture.assertClose(got, Fixture.flat(Fixture.expected["logits"]!), "logits")
    }

    func testAttributionNetworkAgreesWithEngineForward() throws {
        let model = try SequenceDNN.load(path: Fixture.folder.appendingPathComponent("model.safetensors").path)
        let engine = model.logits(codes: Fixture.codes, count: 6)
        let ours = Fixture.network.logits(codes: Fixture.codes, count: 6)
        XCTAssertEqual(engine.count, ours.count)
        for (a, b) in zip(engine, ours) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testFastISMMatchesFixture() {
        let got = inSilicoMutagenesis(network: Fixture.network, codes: Fixture.codes, count: 6, tasks: [0], threads: 2)
        let want = Fixture.flat((Fixture.expected["ism_task0"] as! [String: Any])["values"]!)
        Fixture.assertClose(got, want, "ism_task0")
    }

    func testFastISMEqualsNaiveISM() {
        let net = Fixture.network
        let fast = inSilicoMutagenesis(network: net, codes: Fixture.codes, count: 6, tasks: [0, 1], threads: 1)
        let naive = naiveInSilicoMutagenesis(network: net, codes: Fixture.codes, count: 6, tasks: [0, 1])
        XCTAssertEqual(fast.count, naive.count)
        var worst: Float = 0
        for (a, b) in zip(fast, naive) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThan(worst, 1e-5)
        XCTAssertGreaterThan(naive.map(abs).max()!, 1e-3, "ISM must not be all zero")
    }

    func testInputGradientMatchesFixture() {
        let got = inputGradient(network: Fixture.network, codes: Fixture.codes, count: 6, tasks: [0])
        Fixture.assertClose(got, Fixture.flat(Fixture.expected["input_gradient_task0"]!), "input_gradient_task0")
    }

    func testDeepLIFTMatchesFixtureAndSumsToDelta() {
        let entry = Fixture.expected["deeplift_task0"] as! [String: Any]
        let indices = entry["sequences"] as! [Int]
        let allRefs = entry["references"] as! [Any]
        let net = Fixture.network, length = net.sequenceLength
        for (i, s) in indices.enumerated() {
            let sequence = Array(Fixture.codes[(s * length)..<((s + 1) * length)])
            let refs = (allRefs[i] as! [Any]).map { r -> ReferenceInput in
                let v = Fixture.flat(r)   // [4][L]
                var dense = [Float](repeating: 0, count: length * 4)
                for c in 0..<4 { for p in 0..<length { dense[p * 4 + c] = Float(v[c * length + p]) } }
                return .dense(dense)
            }
            let hyp = deepLift(network: net, sequence: sequence, references: refs, tasks: [0])
            Fixture.assertClose(hyp, Fixture.flat((entry["hypothetical_contributions"] as! [Any])[i]), "hypothetical \(s)")
            var contributions = [Float](repeating: 0, count: 4 * length)
            for p in 0..<length where sequence[p] < 4 { contributions[Int(sequence[p]) * length + p] = hyp[Int(sequence[p]) * length + p] }
            Fixture.assertClose(contributions, Fixture.flat((entry["contributions"] as! [Any])[i]), "contributions \(s)")
            // Summation to delta: Σ contributions = logit(x) − mean logit(references).
            let logitX = net.logits(codes: sequence, count: 1)[0]
            let meanRef = refs.map { net.logits(reference: $0)[0] }.reduce(0, +) / Float(refs.count)
            XCTAssertEqual(contributions.reduce(0, +), logitX - meanRef, accuracy: 1e-5)
        }
    }
    func testDeepLIFTSumsToDeltaForExpectationAndShuffleReferences() throws {
        let net = Fixture.network, length = net.sequenceLength
        for s in [0, 3, 4] {
            let sequence = Array(Fixture.codes[(s * length)..<((s + 1) * length)])
            for reference in [AttributionReference.zeros, .gc(0.4)] {
                var rng = RandomSource(seed: 1)
                let refs = reference.inputs(for: sequence, rng: &rng)
                let hyp = deepLift(network: net, sequence: sequence, references: refs, tasks: [0, 1])
                for task in 0..<2 {
                    var total: Float = 0
                    for p in 0..<length { total += hyp[(task * 4 + Int(sequence[p])) * length + p] }
                    let delta = net.logits(codes: sequence, count: 1)[task] - net.logits(reference: refs[0])[task]
                    XCTAssertEqual(total, delta, accuracy: 1e-5, "\(reference) task \(task)")
                }
            }
            // Dinucleotide shuffles: the same seed gives the same attributions, summing to the delta.
            var rng = RandomSource(seed: 9)
            let refs = AttributionReference.shuffles(4).inputs(for: sequence, rng: &rng)
            let hyp = deepLift(network: net, sequence: sequence, references: refs, tasks: [0])
            var total: Float = 0
            for p in 0..<length { total += hyp[Int(sequence[p]) * length + p] }
            let meanRef = refs.map { net.logits(reference: $0)[0] }.reduce(0, +) / 4
            XCTAssertEqual(total, net.logits(codes: sequence, count: 1)[0] - meanRef, accuracy: 1e-5)
        }
        let a = deepLift(network: net, codes: Fixture.codes, count: 6, tasks: [0], reference: .shuffles(3), seed: 5, threads: 2)
        let b = deepLift(network: net, codes: Fixture.codes, count: 6, tasks: [0], reference: .shuffles(3), seed: 5, threads: 1)
        let c = deepLift(network: net, codes: Fixture.codes, count: 6, tasks: [0], reference: .shuffles(3), seed: 6, threads: 1)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        // In two batches (firstIndex keeps each sequence's shuffle stream): the same values.
        let half = 3 * length
        let first = deepLift(network: net, codes: Array(Fixture.codes[..<half]), count: 3, tasks: [0], reference: .shuffles(3), seed: 5)
        let second = deepLift(network: net, codes: Array(Fixture.codes[half...]), count: 3, tasks: [0], reference: .shuffles(3),
                              seed: 5, firstIndex: 3)
        XCTAssertEqual(first + second, a)
    }

    func testFastISMEqualsNaiveOnDeeperWiderRandomNetwork() throws {
        // Three layers, 17 filters in the middle (two 16-lane chunks), pool 7 with a remainder.
        var rng = RandomSource(seed: 11)
        let shapes = [(5, 4, 5), (17, 5, 4), (3, 17, 3)]
        let layers = shapes.map { f, c, w in
            AttributionNetwork.ConvLayer(filters: f, inChannels: c, width: w,
                                         weight: (0..<(f * c * w)).map { _ in Float(rng.normal() * 0.5) },
                                         bias: (0..<f).map { _ in Float(rng.normal() * 0.1) })
        }
        let length = 120, pooled = (length - 9) / 7
        let net = try AttributionNetwork(sequenceLength: length, layers: layers, poolWidth: 7, taskNames: ["a", "b"],
                                         denseWeight: (0..<(2 * 3 * pooled)).map { _ in Float(rng.normal()) }, denseBias: [0.1, -0.2])
        var codes = (0..<(3 * length)).map { _ in UInt8(rng.int(below: 4)) }
        codes[5] = 4; codes[length + 60] = 4
        let fast = inSilicoMutagenesis(network: net, codes: codes, count: 3, tasks: [1, 0], threads: 2)
        let naive = naiveInSilicoMutagenesis(network: net, codes: codes, count: 3, tasks: [1, 0])
        var worst: Float = 0
        for (a, b) in zip(fast, naive) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThan(worst, 1e-4)
        XCTAssertGreaterThan(naive.map(abs).max()!, 0.01)
    }
}

/// Attribution on a three-layer network (the tutorial's shape, shorter), checked against the
/// engine's own backward pass and against summation to delta.
final class ThreeLayerAttributionTests: XCTestCase {
    func testGradientMatchesEngineAndDeepLIFTSumsToDelta() throws {
        let arch = Architecture(seqLength: 300, numFilters: [15, 15, 15], convWidth: [10, 10, 10], poolWidth: 35, numTasks: 2)
        let model = try SequenceDNN(architecture: arch, seed: 3)
        let net = try AttributionNetwork(model: model)
        var rng = RandomSource(seed: 4)
        let count = 3, length = 300
        let codes = (0..<(count * length)).map { _ in UInt8(rng.int(below: 4)) }
        let ours = inputGradient(network: net, codes: codes, count: count, tasks: [1], threads: 2)
        let engine = model.inputGradient(codes: codes, count: count, task: 1)
        let scale = engine.map(abs).max()!
        XCTAssertGreaterThan(scale, 0)
        for (a, b) in zip(ours, engine) { XCTAssertEqual(a, b, accuracy: 1e-4 * scale) }
        for s in 0..<count {
            let sequence = Array(codes[(s * length)..<((s + 1) * length)])
            var stream = RandomSource(seed: 8)
            let refs = AttributionReference.shuffles(5).inputs(for: sequence, rng: &stream) + [ReferenceInput.dense([Float](repeating: 0.25, count: 4 * length))]
            let hyp = deepLift(network: net, sequence: sequence, references: refs, tasks: [0, 1])
            for task in 0..<2 {
                var total: Float = 0
                for p in 0..<length { total += hyp[(task * 4 + Int(sequence[p])) * length + p] }
                let meanRef = refs.map { net.logits(reference: $0)[task] }.reduce(0, +) / Float(refs.count)
                let delta = net.logits(codes: sequence, count: 1)[task] - meanRef
                XCTAssertEqual(total, delta, accuracy: 1e-4 * max(1, abs(delta)))
            }
        }
    }
}
