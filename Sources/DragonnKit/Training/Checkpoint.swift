import Foundation

/// Everything needed to continue an interrupted training run exactly where it stopped: the
/// parameters and Adam moments after the last finished epoch, the best model so far, the early
/// stopping state and the metrics history. Written after every epoch as one safetensors file
/// (`PREFIX.checkpoint.safetensors`): model tensors under their model-file names, Adam moments
/// as `adam.m.NAME` / `adam.v.NAME`, the best model as `best.NAME`, the rest as JSON metadata.
struct TrainingCheckpoint {
    static let formatTag = "dragonn.training-checkpoint"

    var configuration: TrainingConfiguration
    var dataFingerprint: String
    var epochsDone: Int
    var adamStep: Int
    var stopping: EarlyStopping
    var history: TrainingHistory
    var finished: Bool

    /// Writes the checkpoint atomically.
    func write(path: String, trainer: Trainer, best: SequenceDNN?) throws {
        let model = trainer.model
        var tensors = model.tensors()
        var order = model.tensorShapes.map(\.name)
        for (name, dims) in model.tensorShapes {
            let idx = model.shape.indices(of: name)!
            tensors["adam.m." + name] = Tensor(shape: dims, values: idx.map { trainer.m.base[$0] })
            tensors["adam.v." + name] = Tensor(shape: dims, values: idx.map { trainer.v.base[$0] })
            order += ["adam.m." + name, "adam.v." + name]
            if let best {
                tensors["best." + name] = Tensor(shape: dims, values: best.tensor(name))
                order.append("best." + name)
            }
        }
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        encoder.outputFormatting = [.sortedKeys]
        let metadata: [String: String] = [
            "format": Self.formatTag,
            "architecture": model.architecture.jsonString(),
            "configuration": String(decoding: try encoder.encode(configuration), as: UTF8.self),
            "data_fingerprint": dataFingerprint,
            "epochs_done": String(epochsDone),
            "adam_step": String(adamStep),
            "early_stopping": String(decoding: try encoder.encode(stopping), as: UTF8.self),
            "history": String(decoding: try history.jsonData(), as: UTF8.self),
            "finished": finished ? "1" : "0",
        ]
        try SafetensorsFile(metadata: metadata, tensors: tensors, order: order).write(path: path)
    }

    /// Reads a checkpoint, restoring the parameters and Adam moments into a new trainer.
    static func read(path: String, seed: UInt64, threads: Int, settings: AdamSettings)
        throws -> (checkpoint: TrainingCheckpoint, trainer: Trainer, best: SequenceDNN?) {
        let file = try SafetensorsFile.read(path: path)
        guard file.metadata["format"] == formatTag else {
            throw DragonnError(file: path, "not a dragonn-train checkpoint")
        }
        func field(_ key: String) throws -> String {
            guard let v = file.metadata[key] else { throw DragonnError(file: path, "checkpoint lacks '\(key)'") }
            return v
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let architecture = try Architecture.fromJSON(try field("architecture"))
        let checkpoint: TrainingCheckpoint
        do {
            checkpoint = TrainingCheckpoint(
                configuration: try decoder.decode(TrainingConfiguration.self, from: Data(try field("configuration").utf8)),
                dataFingerprint: try field("data_fingerprint"),
                epochsDone: Int(try field("epochs_done")) ?? -1,
                adamStep: Int(try field("adam_step")) ?? -1,
                stopping: try decoder.decode(EarlyStopping.self, from: Data(try field("early_stopping").utf8)),
                history: try TrainingHistory.from(json: Data(try field("history").utf8)),
                finished: try field("finished") == "1")
        } catch let e as DragonnError { throw e } catch {
            throw DragonnError(file: path, "checkpoint metadata is damaged: \(error)")
        }
        guard checkpoint.epochsDone >= 0, checkpoint.adamStep >= 0 else {
            throw DragonnError(file: path, "checkpoint metadata is damaged (epoch or step count)")
        }
        let model = try SequenceDNN(architecture: architecture, tensors: file.tensors, source: path)
        let trainer = Trainer(model: model, seed: seed, threads: threads, settings: settings)
        for (name, _) in model.tensorShapes {
            guard let m = file.tensors["adam.m." + name], let v = file.tensors["adam.v." + name] else {
                throw DragonnError(file: path, "checkpoint lacks the Adam moments of '\(name)'")
            }
            let idx = model.shape.indices(of: name)!
            guard m.values.count == idx.count, v.values.count == idx.count else {
                throw DragonnError(file: path, "Adam moments of '\(name)' have the wrong size")
            }
            for (k, i) in idx.enumerated() {
                trainer.m.base[i] = m.values[k]
                trainer.v.base[i] = v.values[k]
            }
        }
        trainer.step = checkpoint.adamStep
        var best: SequenceDNN?
        if file.tensors.keys.contains(where: { $0.hasPrefix("best.") }) {
            var t: [String: Tensor] = [:]
            for (name, _) in model.tensorShapes { t[name] = file.tensors["best." + name] }
            best = try SequenceDNN(architecture: architecture, tensors: t, source: path)
        }
        return (checkpoint, trainer, best)
    }
}
