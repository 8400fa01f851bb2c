import XCTest
import DragonnKit

final class TrainerTests: XCTestCase {
    /// Sequences with a planted motif (label 1) or without (label 0).
    func plantedData(_ n: Int, length: Int, seed: UInt64) -> (codes: [UInt8], labels: [Float]) {
        var r = RandomSource(seed: seed)
        let motif: [UInt8] = [2, 0, 3, 0, 0, 2]  // GATAAG
        var codes: [UInt8] = [], labels: [Float] = []
        for i in 0..<n {
            var s = (0..<length).map { _ in UInt8(r.int(below: 4)) }
            if i % 2 == 0 {
                let at = r.int(below: length - motif.count)
                for (k, b) in motif.enumerated() { s[at + k] = b }
                labels.append(1)
            } else { labels.append(0) }
            codes += s
        }
        return (codes, labels)
    }

    func trainedParameters(threads: Int, dropout: Double) throws -> [Float] {
        let arch = Architecture(seqLength: 40, numFilters: [5, 4], convWidth: [5, 3], poolWidth: 5, numTasks: 1, dropout: dropout)
        let model = try SequenceDNN(architecture: arch, seed: 1)
        let trainer = Trainer(model: model, seed: 5, threads: threads)
        let d = plantedData(100, length: 40, seed: 2)
        for e in 0..<2 { try trainer.trainEpoch(codes: d.codes, labels: d.labels, count: 100, epoch: e, batchSize: 32) }
        return model.tensorShapes.flatMap { model.tensor($0.name) }
    }

    func testSameSeedAndThreadsGiveIdenticalResults() throws {
        for threads in [1, 2, 3] {
            let a = try trainedParameters(threads: threads, dropout: 0.2)
            let b = try trainedParameters(threads: threads, dropout: 0.2)
            XCTAssertEqual(a, b, "\(threads) threads")
        }
        // The thread count changes the speed, never the model: bit-identical parameters.
        let one = try trainedParameters(threads: 1, dropout: 0.2)
        for threads in [2, 3, 5] {
            XCTAssertEqual(one, try trainedParameters(threads: threads, dropout: 0.2), "1 vs \(threads) threads")
        }
    }

    func testDropoutMasksAreSeededAndChangeBetweenSteps() throws {
        let arch = Architecture(seqLength: 40, numFilters: [5], convWidth: [5], poolWidth: 4, numTasks: 1, dropout: 0.5)
        let d = plantedData(8, length: 40, seed: 3)
        func gradients(seed: UInt64, steps: Int) throws -> [Float] {
            let model = try SequenceDNN(architecture: arch, seed: 1)
            let trainer = Trainer(model: model, seed: seed, threads: 2)
            settings: do { trainer.settings.learningRate = 0 }
            for _ in 0..<steps { trainer.trainBatch(codes: d.codes, labels: d.labels, count: 8) }
            _ = d.codes.withUnsafeBufferPointer { c in d.labels.withUnsafeBufferPointer { l in
                trainer.computeGradient(codes: c, labels: l, weights: nil, count: 8, training: true) } }
            return trainer.gradient("conv.0.weight")
        }
        XCTAssertEqual(try gradients(seed: 4, steps: 0), try gradients(seed: 4, steps: 0))
        XCTAssertNotEqual(try gradients(seed: 4, steps: 0), try gradients(seed: 5, steps: 0))
        XCTAssertNotEqual(try gradients(seed: 4, steps: 0), try gradients(seed: 4, steps: 1))
        // Evaluation mode (no dropout) does not depend on the seed.
        let model = try SequenceDNN(architecture: arch, seed: 1)
        let z1 = model.logits(codes: d.codes, count: 8)
        let t = Trainer(model: model, seed: 9)
        let z2 = model.logits(codes: d.codes, count: 8)
        XCTAssertEqual(z1, z2)
        _ = t
    }

    func testDropoutKeepsRoughlyOneMinusRate() throws {
        // Mean activation with dropout ≈ mean without (inverted dropout), over many units.
        let arch = Architecture(seqLength: 400, numFilters: [16], convWidth: [1], poolWidth: 1, numTasks: 1, dropout: 0.25)
        let model = try SequenceDNN(architecture: arch, seed: 1)
        try model.setTensor("conv.0.weight", [Float](repeating: 1, count: 64))
        try model.setTensor("dense.weight", [Float](repeating: 1, count: 16 * 400))
        let codes = [UInt8](repeating: 0, count: 400)
        // Eval: logit = 16 · 400 = 6400 (each unit 1). Training keeps ~75% scaled by 4/3.
        XCTAssertEqual(model.logits(codes: codes, count: 1)[0], 6400)
        let trainer = Trainer(model: model, seed: 1)
        let loss = codes.withUnsafeBufferPointer { c in [Float(1)].withUnsafeBufferPointer { l in
            trainer.computeGradient(codes: c, labels: l, weights: nil, count: 1, training: true) } }
        XCTAssertEqual(loss, 0, accuracy: 1e-3)
        // d loss/d dense.weight is 0 (saturated), so look at the conv bias gradient instead: it is
        // σ'-scaled and 0 too; instead count kept units through the dense gradient with label 0.
        let loss0 = codes.withUnsafeBufferPointer { c in [Float(0)].withUnsafeBufferPointer { l in
            trainer.computeGradient(codes: c, labels: l, weights: nil, count: 1, training: true) } }
        XCTAssertGreaterThan(loss0, 1000)
        let g = trainer.gradient("dense.weight")  // = (σ(z) − 0) · unit value: 4/3 where kept, 0 where dropped
        let kept = g.filter { $0 > 0 }.count
        XCTAssertEqual(Double(kept) / Double(g.count), 0.75, accuracy: 0.02)
        for v in g where v > 0 { XCTAssertEqual(v, 4.0 / 3.0, accuracy: 1e-5) }
    }

    func testLearnsPlantedMotif() throws {
        let arch = Architecture(seqLength: 50, numFilters: [8], convWidth: [6], poolWidth: 5, numTasks: 1)
        let model = try SequenceDNN(architecture: arch, seed: 3)
        let trainer = Trainer(model: model, seed: 4, threads: 2, settings: AdamSettings(learningRate: 1e-2))
        let train = plantedData(2000, length: 50, seed: 10), test = plantedData(200, length: 50, seed: 11)
        let before = model.loss(codes: test.codes, labels: test.labels, count: 200)
        for e in 0..<20 { try trainer.trainEpoch(codes: train.codes, labels: train.labels, count: 2000, epoch: e, batchSize: 32) }
        let after = model.loss(codes: test.codes, labels: test.labels, count: 200)
        XCTAssertLessThan(after, before * 0.5, "held-out loss \(before) → \(after)")
        let p = model.probabilities(codes: test.codes, count: 200)
        let correct = zip(p, test.labels).filter { ($0 > 0.5) == ($1 > 0.5) }.count
        XCTAssertGreaterThan(correct, 180, "held-out accuracy \(correct)/200")
    }

    func testHeNormalInitialization() throws {
        let arch = Architecture(seqLength: 1000, numFilters: [50, 40], convWidth: [10, 8], poolWidth: 35, numTasks: 1)
        let a = try SequenceDNN(architecture: arch, seed: 1), b = try SequenceDNN(architecture: arch, seed: 1)
        let c = try SequenceDNN(architecture: arch, seed: 2)
        XCTAssertEqual(a.tensor("conv.1.weight"), b.tensor("conv.1.weight"))
        XCTAssertNotEqual(a.tensor("conv.1.weight"), c.tensor("conv.1.weight"))
        let w = a.tensor("conv.1.weight").map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let sd = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(w.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.01)
        XCTAssertEqual(sd, (2.0 / 400).squareRoot(), accuracy: 0.003)
        XCTAssertEqual(a.tensor("conv.0.bias"), [Float](repeating: 0, count: 50))
        XCTAssertEqual(a.tensorShapes.map(\.name), ["conv.0.weight", "conv.0.bias", "conv.1.weight", "conv.1.bias", "dense.weight", "dense.bias"])
        XCTAssertEqual(a.parameterCount, 50 * 4 * 10 + 50 + 40 * 50 * 8 + 40 + 40 * (984 / 35) + 1)
    }
}

extension TrainerTests {
    func testResumeFromCheckpointIsExact() throws {
        let arch = Architecture(seqLength: 40, numFilters: [5, 4], convWidth: [5, 3], poolWidth: 5, numTasks: 1, dropout: 0.2, L1: 1e-4)
        let d = plantedData(100, length: 40, seed: 2)
        let path = NSTemporaryDirectory() + "/ckpt-\(getpid()).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Straight run: 3 epochs.
        let straight = Trainer(model: try SequenceDNN(architecture: arch, seed: 1), seed: 5, threads: 2)
        for e in 0..<3 { try straight.trainEpoch(codes: d.codes, labels: d.labels, count: 100, epoch: e, batchSize: 32) }
        // Interrupted run: 2 epochs, checkpoint, resume, 1 epoch.
        let first = Trainer(model: try SequenceDNN(architecture: arch, seed: 1), seed: 5, threads: 2)
        for e in 0..<2 { try first.trainEpoch(codes: d.codes, labels: d.labels, count: 100, epoch: e, batchSize: 32) }
        try first.saveCheckpoint(path: path, metadata: ["epoch": "2"])
        let resumed = try Trainer.resume(path: path, threads: 2)
        XCTAssertEqual(resumed.step, first.step)
        XCTAssertEqual(try SafetensorsFile.read(path: path).metadata["epoch"], "2")
        try resumed.trainEpoch(codes: d.codes, labels: d.labels, count: 100, epoch: 2, batchSize: 32)
        XCTAssertEqual(resumed.model.tensors(), straight.model.tensors())
        // The checkpoint holds a model, but the tools refuse it as one (it is not the best epoch's).
        XCTAssertEqual(try SequenceDNN(file: try SafetensorsFile.read(path: path), source: path).tensors(), first.model.tensors())
        XCTAssertThrowsError(try SequenceDNN.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("training checkpoint"), "\(error)")
        }
        XCTAssertThrowsError(try Trainer.resume(path: FixturePath.model, threads: 1))
    }
}

enum FixturePath {
    static var model: String { ModelFixture.repoRoot + "/testdata/fixtures/sequence-dnn-small/model.safetensors" }
}

extension TrainerTests {
    func testNonFiniteLossStopsBeforeUpdating() throws {
        let arch = Architecture(seqLength: 40, numFilters: [5], convWidth: [5], poolWidth: 5, numTasks: 1)
        let model = try SequenceDNN(architecture: arch, seed: 1)
        let trainer = Trainer(model: model, seed: 1)
        let d = plantedData(64, length: 40, seed: 2)
        var weights = [Float](repeating: 1, count: 64)
        weights[40] = .nan
        let before = model.tensors()
        let badBatch = trainer.epochOrder(epoch: 0, count: 64).firstIndex(of: 40)! / 16
        XCTAssertThrowsError(try trainer.trainEpoch(codes: d.codes, labels: d.labels, weights: weights, count: 64,
                                                    epoch: 0, batchSize: 16)) { error in
            XCTAssertTrue("\(error)".contains("epoch 1, batch \(badBatch + 1) of 4"), "\(error)")
        }
        XCTAssertEqual(trainer.step, badBatch, "the batches before the bad one were trained")
        if badBatch > 0 { XCTAssertNotEqual(model.tensors(), before) } else { XCTAssertEqual(model.tensors(), before) }
        XCTAssertTrue(model.tensor("dense.weight").allSatisfy { $0.isFinite })
    }
}
