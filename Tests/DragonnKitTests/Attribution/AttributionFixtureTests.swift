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
}
