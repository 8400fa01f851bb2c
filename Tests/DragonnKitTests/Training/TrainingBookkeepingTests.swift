import Foundation
import XCTest
@testable import DragonnKit

final class TrainingBookkeepingTests: XCTestCase {
    func testEarlyStoppingKeepsLowestLossAndCountsPatience() {
        var stop = EarlyStopping(patience: 2)
        XCTAssertTrue(stop.record(epoch: 1, value: 0.7))
        XCTAssertTrue(stop.record(epoch: 2, value: 0.5))
        XCTAssertFalse(stop.record(epoch: 3, value: 0.6))
        XCTAssertFalse(stop.shouldStop)
        XCTAssertTrue(stop.record(epoch: 4, value: 0.5))   // a tie counts as the new best
        XCTAssertEqual(stop.bestEpoch, 4)
        XCTAssertFalse(stop.record(epoch: 5, value: .nan))
        XCTAssertFalse(stop.record(epoch: 6, value: 0.9))
        XCTAssertTrue(stop.shouldStop)
        XCTAssertEqual(stop.best, 0.5)
        XCTAssertEqual(stop.bestEpoch, 4)
    }

    /// --stop-on auroc/auprc: higher is better, ties improve, NaN never does; the metric survives
    /// the checkpoint's JSON, and a checkpoint without it (older runs) watched loss.
    func testEarlyStoppingOnAHigherIsBetterMetric() throws {
        var stop = EarlyStopping(patience: 2, metric: .auroc)
        XCTAssertTrue(stop.record(epoch: 1, value: 0.6))
        XCTAssertFalse(stop.record(epoch: 2, value: 0.55))
        XCTAssertTrue(stop.record(epoch: 3, value: 0.8))
        XCTAssertTrue(stop.record(epoch: 4, value: 0.8))
        XCTAssertFalse(stop.record(epoch: 5, value: .nan))
        XCTAssertFalse(stop.shouldStop)
        XCTAssertFalse(stop.record(epoch: 6, value: 0.1))
        XCTAssertTrue(stop.shouldStop)
        XCTAssertEqual(stop.best, 0.8)
        XCTAssertEqual(stop.bestEpoch, 4)
        let json = try JSONEncoder().encode(stop)
        let back = try JSONDecoder().decode(EarlyStopping.self, from: json)
        XCTAssertEqual(back, stop)
        XCTAssertEqual(EarlyStopping(patience: 3, continuing: back).metric, .auroc)
        let old = try JSONDecoder().decode(EarlyStopping.self, from: Data(#"{"patience":5,"bestLoss":0.4,"bestEpoch":2,"epochsWithoutImprovement":1}"#.utf8))
        XCTAssertEqual(old.metric, .loss)
        XCTAssertEqual(old.best, 0.4)
        // The watched value is the mean over tasks of the chosen metric.
        var a = TaskMetrics.evaluateTask(name: "a", labels: [1, 0], logits: [1, 0]), b = a
        a.loss = 0.2; a.auROC = 0.9; a.auPRC = 0.7
        b.loss = 0.4; b.auROC = 0.5; b.auPRC = 0.3
        XCTAssertEqual(StopMetric.loss.value(of: [a, b]), 0.3, accuracy: 1e-12)
        XCTAssertEqual(StopMetric.auroc.value(of: [a, b]), 0.7, accuracy: 1e-12)
        XCTAssertEqual(StopMetric.auprc.value(of: [a, b]), 0.5, accuracy: 1e-12)
    }

    func testHoldOutIsSeededDisjointAndSized() {
        let a = DataSplit.holdOut(count: 100, fraction: 0.2, seed: 7)
        XCTAssertEqual(a.heldOut.count, 20)
        XCTAssertEqual(Set(a.train).union(a.heldOut), Set(0..<100))
        XCTAssertTrue(Set(a.train).isDisjoint(with: a.heldOut))
        XCTAssertEqual(a.train, a.train.sorted())
        let b = DataSplit.holdOut(count: 100, fraction: 0.2, seed: 7)
        XCTAssertEqual(a.heldOut, b.heldOut)
        let c = DataSplit.holdOut(count: 100, fraction: 0.2, seed: 8)
        XCTAssertNotEqual(a.heldOut, c.heldOut)
        XCTAssertEqual(DataSplit.holdOut(count: 3, fraction: 0.01, seed: 1).heldOut.count, 1)
        XCTAssertEqual(DataSplit.holdOut(count: 3, fraction: 0.99, seed: 1).heldOut.count, 2)
    }

    func testHistoryTableAndCheckpointRoundTrip() throws {
        func metrics(_ loss: Double, _ auc: Double) -> [TaskMetrics] {
            [TaskMetrics.evaluateTask(name: "t", labels: [1, 0, 1], logits: [Float(auc), 0, -1])].map {
                var m = $0; m.loss = loss; m.auROC = auc; return m
            }
        }
        var h = TrainingHistory()
        h.epochs.append(EpochRecord(epoch: 1, seconds: 1.5, train: metrics(0.6, 0.7), valid: metrics(0.65, .nan)))
        h.epochs.append(EpochRecord(epoch: 2, seconds: 1.25, train: metrics(0.4, 0.9), valid: metrics(0.5, 0.8)))
        h.bestEpoch = 2
        h.test = metrics(0.55, 0.75)
        let rows = h.metricsTSV().split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        XCTAssertEqual(rows.count, 1 + 4 + 1)
        XCTAssertTrue(rows.allSatisfy { $0.count == rows[0].count })
        XCTAssertEqual(rows[2][1], "valid"); XCTAssertEqual(rows[2][5], "nan")
        XCTAssertEqual(rows[3].last, "1"); XCTAssertEqual(rows[1].last, "0")
        XCTAssertEqual(rows[5][1], "test"); XCTAssertEqual(rows[5][0], "2")
        let back = try TrainingHistory.from(json: try h.jsonData())
        XCTAssertEqual(back.metricsTSV(), h.metricsTSV())
        XCTAssertTrue(back.epochs[0].valid[0].auROC.isNaN)
        let curve = back.learningCurve(title: "x")
        XCTAssertEqual(curve.validLoss, [0.65, 0.5])
        XCTAssertEqual(curve.bestEpoch, 2)
    }

    func testCheckpointWithOutOfRangeCountsIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let arch = Architecture(seqLength: 20, numFilters: [2], convWidth: [3], poolWidth: 6)
        let trainer = Trainer(model: try SequenceDNN(architecture: arch, seed: 1), seed: 2)
        let path = dir + "/c.safetensors"
        let outputs = try OutputTransaction(outputs: [path])
        try RunCheckpoint(configuration: TrainingConfiguration(), dataFingerprint: "x", epochsDone: 3,
                          stopping: EarlyStopping(patience: 2), history: TrainingHistory(), finished: false)
            .write(path: path, in: outputs, trainer: trainer, best: nil)
        try outputs.commit()
        XCTAssertEqual(try RunCheckpoint.read(path: path, threads: 1).checkpoint.epochsDone, 3)
        for (key, value) in [("epochs_done", String(Int.max)), ("epochs_done", "-2"), ("adam_step", String(Int.max))] {
            var file = try SafetensorsFile.read(path: path)
            file.metadata[key] = value
            let bad = dir + "/bad.safetensors"
            let badOutput = try OutputTransaction(outputs: [bad])
            try file.write(path: bad, in: badOutput)
            try badOutput.commit()
            XCTAssertThrowsError(try RunCheckpoint.read(path: bad, threads: 1), "\(key)=\(value)") {
                XCTAssertTrue("\($0)".hasPrefix(bad + ": "), "\($0)")
            }
        }
    }
}
