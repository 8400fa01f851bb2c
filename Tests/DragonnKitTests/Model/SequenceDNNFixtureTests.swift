import Foundation
import XCTest
import DragonnKit

/// The engine against PyTorch float64 reference values (testdata/fixtures/*/expected.json).
final class SequenceDNNFixtureTests: XCTestCase {
    func testFixturesExist() throws {
        XCTAssertFalse(try ModelFixture.all().isEmpty)
    }

    func testLogitsAndProbabilities() throws {
        for fx in try ModelFixture.all() {
            let model = try SequenceDNN.load(path: fx.folder + "/model.safetensors")
            let n = fx.names.count
            for threads in [1, 2, 4] {
                let z = model.logits(codes: fx.codes, count: n, threads: threads)
                assertClose(z, ModelFixture.flat(fx.value("logits")), "\(fx.name) logits, \(threads) threads")
            }
            let p = model.probabilities(codes: fx.codes, count: n)
            assertClose(p, ModelFixture.flat(fx.value("probabilities")), "\(fx.name) probabilities")
        }
    }

    func testLossGradientsAndAdamStep() throws {
        for fx in try ModelFixture.all() {
            let model = try SequenceDNN.load(path: fx.folder + "/model.safetensors")
            let n = fx.names.count
            let labels = ModelFixture.flat(fx.value("labels")).map(Float.init)
            let trainer = Trainer(model: model, seed: 1, threads: 2)
            let loss = fx.codes.withUnsafeBufferPointer { c in
                labels.withUnsafeBufferPointer { l in
                    trainer.computeGradient(codes: c, labels: l, weights: nil, count: n, training: false)
                }
            }
            let expectedLoss = ModelFixture.flat(fx.value("loss", "value"))[0]
            XCTAssertEqual(loss, expectedLoss, accuracy: 1e-4 * abs(expectedLoss), "\(fx.name) loss")
            XCTAssertEqual(model.loss(codes: fx.codes, labels: labels, count: n), expectedLoss,
                           accuracy: 1e-4 * abs(expectedLoss), "\(fx.name) evaluation loss")
            for (name, _) in model.tensorShapes {
                assertClose(trainer.gradient(name), ModelFixture.flat(fx.value("loss", "gradients", name)),
                            "\(fx.name) gradient \(name)")
            }
            trainer.applyUpdate()
            for (name, _) in model.tensorShapes {
                assertClose(model.tensor(name), ModelFixture.flat(fx.value("adam_step", "parameters", name)),
                            "\(fx.name) parameters after Adam \(name)")
            }
        }
    }
}

extension SequenceDNNFixtureTests {
    func testInputGradient() throws {
        for fx in try ModelFixture.all() {
            let model = try SequenceDNN.load(path: fx.folder + "/model.safetensors")
            let g = inputGradient(model: model, codes: fx.codes, count: fx.names.count, tasks: [0], threads: 2)
            assertClose(g, ModelFixture.flat(fx.value("input_gradient_task0")), "\(fx.name) input gradient")
        }
    }
}
