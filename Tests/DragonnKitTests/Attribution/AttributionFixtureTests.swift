import DragonnKit
import XCTest

final class AttributionFixtureTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipUnless(Fixture.available, "shared fixture not present")
    }

    /// The forward pass on dense inputs (references like gc:F) agrees with the fixture's logits
    /// when given the sequences' one-hot columns.
    func testDenseInputLogitsMatchFixture() {
        var dense = [Float](repeating: 0, count: Fixture.codes.count * 4)
        for (i, c) in Fixture.codes.enumerated() where c < 4 { dense[4 * i + Int(c)] = 1 }
        let got = Fixture.model.logits(dense: dense, count: 6)
        Fixture.assertClose(got, Fixture.flat(Fixture.expected["logits"]!), "logits of one-hot dense inputs")
    }

    func testFastISMMatchesFixture() {
        let got = inSilicoMutagenesis(model: Fixture.model, codes: Fixture.codes, count: 6, tasks: [0], threads: 2)
        let want = Fixture.flat((Fixture.expected["ism_task0"] as! [String: Any])["values"]!)
        Fixture.assertClose(got, want, "ism_task0")
    }

    func testFastISMEqualsNaiveISM() {
        let model = Fixture.model
        let fast = inSilicoMutagenesis(model: model, codes: Fixture.codes, count: 6, tasks: [0, 1], threads: 1)
        let naive = Fixture.naiveISM(model: model, codes: Fixture.codes, count: 6, tasks: [0, 1])
        XCTAssertEqual(fast.count, naive.count)
        var worst: Float = 0
        for (a, b) in zip(fast, naive) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThan(worst, 1e-5)
        XCTAssertGreaterThan(naive.map(abs).max()!, 1e-3, "ISM must not be all zero")
    }

    func testInputGradientMatchesFixture() {
        let got = inputGradient(model: Fixture.model, codes: Fixture.codes, count: 6, tasks: [0])
        Fixture.assertClose(got, Fixture.flat(Fixture.expected["input_gradient_task0"]!), "input_gradient_task0")
    }

    func testDeepLIFTMatchesFixtureAndSumsToDelta() {
        let entry = Fixture.expected["deeplift_task0"] as! [String: Any]
        let indices = entry["sequences"] as! [Int]
        let allRefs = entry["references"] as! [Any]
        let model = Fixture.model, length = model.architecture.seqLength
        for (i, s) in indices.enumerated() {
            let sequence = Array(Fixture.codes[(s * length)..<((s + 1) * length)])
            let refs = (allRefs[i] as! [Any]).map { r -> ReferenceInput in
                let v = Fixture.flat(r)   // [4][L]
                var dense = [Float](repeating: 0, count: length * 4)
                for c in 0..<4 { for p in 0..<length { dense[p * 4 + c] = Float(v[c * length + p]) } }
                return .dense(dense)
            }
            let hyp = deepLift(model: model, sequence: sequence, references: refs, tasks: [0])
            Fixture.assertClose(hyp, Fixture.flat((entry["hypothetical_contributions"] as! [Any])[i]), "hypothetical \(s)")
            var contributions = [Float](repeating: 0, count: 4 * length)
            for p in 0..<length where sequence[p] < 4 { contributions[Int(sequence[p]) * length + p] = hyp[Int(sequence[p]) * length + p] }
            Fixture.assertClose(contributions, Fixture.flat((entry["contributions"] as! [Any])[i]), "contributions \(s)")
            // Summation to delta: Σ contributions = logit(x) − mean logit(references).
            let logitX = model.logits(codes: sequence, count: 1)[0]
            let meanRef = refs.map { model.logits(reference: $0)[0] }.reduce(0, +) / Float(refs.count)
            XCTAssertEqual(contributions.reduce(0, +), logitX - meanRef, accuracy: 1e-5)
        }
    }
    func testDeepLIFTSumsToDeltaForExpectationAndShuffleReferences() throws {
        let model = Fixture.model, length = model.architecture.seqLength
        for s in [0, 3, 4] {
            let sequence = Array(Fixture.codes[(s * length)..<((s + 1) * length)])
            for reference in [AttributionReference.zeros, .gc(0.4)] {
                var rng = RandomSource(seed: 1)
                let refs = reference.inputs(for: sequence, rng: &rng)
                let hyp = deepLift(model: model, sequence: sequence, references: refs, tasks: [0, 1])
                for task in 0..<2 {
                    var total: Float = 0
                    for p in 0..<length { total += hyp[(task * 4 + Int(sequence[p])) * length + p] }
                    let delta = model.logits(codes: sequence, count: 1)[task] - model.logits(reference: refs[0])[task]
                    XCTAssertEqual(total, delta, accuracy: 1e-5, "\(reference) task \(task)")
                }
            }
            // Dinucleotide shuffles: the same seed gives the same attributions, summing to the delta.
            var rng = RandomSource(seed: 9)
            let refs = AttributionReference.shuffles(4).inputs(for: sequence, rng: &rng)
            let hyp = deepLift(model: model, sequence: sequence, references: refs, tasks: [0])
            var total: Float = 0
            for p in 0..<length { total += hyp[Int(sequence[p]) * length + p] }
            let meanRef = refs.map { model.logits(reference: $0)[0] }.reduce(0, +) / 4
            XCTAssertEqual(total, model.logits(codes: sequence, count: 1)[0] - meanRef, accuracy: 1e-5)
        }
        let a = deepLift(model: model, codes: Fixture.codes, count: 6, tasks: [0], reference: .shuffles(3), seed: 5, threads: 2)
        let b = deepLift(model: model, codes: Fixture.codes, count: 6, tasks: [0], reference: .shuffles(3), seed: 5, threads: 1)
        let c = deepLift(model: model, codes: Fixture.codes, count: 6, tasks: [0], reference: .shuffles(3), seed: 6, threads: 1)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        // In two batches (firstIndex keeps each sequence's shuffle stream): the same values.
        let half = 3 * length
        let first = deepLift(model: model, codes: Array(Fixture.codes[..<half]), count: 3, tasks: [0], reference: .shuffles(3), seed: 5)
        let second = deepLift(model: model, codes: Array(Fixture.codes[half...]), count: 3, tasks: [0], reference: .shuffles(3),
                              seed: 5, firstIndex: 3)
        XCTAssertEqual(first + second, a)
    }

    func testFastISMEqualsNaiveOnDeeperWiderRandomNetwork() throws {
        // Three layers, 17 filters in the middle (two 16-lane groups), pool 7 with a remainder.
        var rng = RandomSource(seed: 11)
        let length = 120
        let arch = Architecture(seqLength: length, numFilters: [5, 17, 3], convWidth: [5, 4, 3], poolWidth: 7, numTasks: 2)
        let model = try SequenceDNN(architecture: arch, seed: 1)
        for (name, shape) in model.tensorShapes {
            let scale = name.hasPrefix("dense.weight") ? 1 : name.hasSuffix("bias") ? 0.1 : 0.5
            try model.setTensor(name, (0..<shape.reduce(1, *)).map { _ in Float(rng.normal() * scale) })
        }
        var codes = (0..<(3 * length)).map { _ in UInt8(rng.int(below: 4)) }
        codes[5] = 4; codes[length + 60] = 4
        let positions = Array(Swift.stride(from: 0, to: length, by: 3)) + [5, 60, length - 1]   // N at 5 and 60
        let fast = Fixture.only(positions, of: inSilicoMutagenesis(model: model, codes: codes, count: 3, tasks: [1, 0], threads: 2),
                                length: length)
        let naive = Fixture.naiveISM(model: model, codes: codes, count: 3, tasks: [1, 0], positions: positions)
        var worst: Float = 0
        for (a, b) in zip(fast, naive) { worst = max(worst, abs(a - b)) }
        XCTAssertLessThan(worst, 1e-4)
        XCTAssertGreaterThan(naive.map(abs).max()!, 0.01)
    }
}
