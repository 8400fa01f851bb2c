import XCTest
import DragonnKit

/// Finite-difference checks of every parameter gradient (so every layer's backward: conv on
/// codes, conv on activations, ReLU, dropout, max-pool, dense, weighted BCE, L1).
final class GradientCheckTests: XCTestCase {
    func randomCodes(_ n: Int, _ seed: UInt64, withN: Bool = true) -> [UInt8] {
        var r = RandomSource(seed: seed)
        return (0..<n).map { _ in withN && r.int(below: 20) == 0 ? 4 : UInt8(r.int(below: 4)) }
    }

    func check(_ arch: Architecture, weighted: Bool, training: Bool, hScale: Float = 1e-3, file: StaticString = #filePath, line: UInt = #line) throws {
        let model = try SequenceDNN(architecture: arch, seed: 7)
        // Non-zero biases so every parameter matters.
        var r = RandomSource(seed: 99)
        for (name, shape) in model.tensorShapes where name.hasSuffix("bias") {
            try model.setTensor(name, (0..<shape[0]).map { _ in Float(r.normal() * 0.1) })
        }
        let n = 6, T = arch.numTasks
        let codes = randomCodes(n * arch.seqLength, 3)
        let labels = (0..<(n * T)).map { _ in Float(r.int(below: 2)) }
        let weights: [Float]? = weighted ? (0..<n).map { _ in Float(0.5 + r.uniform()) } : nil
        let trainer = Trainer(model: model, seed: 11, threads: 1)
        func objective() -> Double {
            codes.withUnsafeBufferPointer { c in labels.withUnsafeBufferPointer { l in
                if let weights {
                    return weights.withUnsafeBufferPointer { trainer.computeGradient(codes: c, labels: l, weights: $0, count: n, training: training) }
                }
                return trainer.computeGradient(codes: c, labels: l, weights: nil, count: n, training: training)
            } }
        }
        _ = objective()
        for (name, _) in model.tensorShapes {
            let analytic = trainer.gradient(name)
            var values = model.tensor(name)
            let scale = analytic.map(abs).max()!
            XCTAssertGreaterThan(scale, 0, "\(name) gradient is all zero", file: file, line: line)
            var worst = 0.0
            for i in 0..<values.count {
                let old = values[i]
                let h = max(abs(old) * hScale, hScale * 0.1)
                values[i] = old + h; try model.setTensor(name, values); let up = objective()
                values[i] = old - h; try model.setTensor(name, values); let down = objective()
                values[i] = old; try model.setTensor(name, values)
                let numeric = (up - down) / (2 * Double(h))
                let err = abs(numeric - Double(analytic[i])) / (Double(scale) * 0.05 + abs(numeric))
                worst = max(worst, err)
            }
            XCTAssertLessThan(worst, 0.02, "\(name): finite differences disagree (worst \(worst))", file: file, line: line)
        }
    }

    func testTwoLayersTwoTasks() throws {
        try check(Architecture(seqLength: 24, numFilters: [3, 2], convWidth: [4, 3], poolWidth: 3, numTasks: 2, L1: 0.01),
                  weighted: false, training: false)
    }

    func testThreeLayersWeightedWithDropout() throws {
        try check(Architecture(seqLength: 30, numFilters: [4, 3, 18], convWidth: [3, 2, 3], poolWidth: 4, numTasks: 1,
                               dropout: 0.3, L1: 0.001),
                  weighted: true, training: true)
    }
}
