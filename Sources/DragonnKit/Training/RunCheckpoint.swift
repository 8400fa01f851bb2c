import Foundation

/// What `dragonn-train --resume` continues from: the engine's trainer checkpoint (parameters,
/// Adam moments and step after the last finished epoch) plus the run's own state: the best model
/// so far (tensors `best.NAME`), early stopping, the metrics history, the settings and a hash of
/// the data, as metadata. Written atomically after every epoch to `PREFIX.checkpoint.safetensors`.
struct RunCheckpoint {
    /// Metadata key marking a dragonn-train checkpoint (a plain model file lacks it).
    static let marker = "dragonn_train_checkpoint"

    var configuration: TrainingConfiguration
    var dataFingerprint: String
    var epochsDone: Int
    var stopping: EarlyStopping
    var history: TrainingHistory
    var finished: Bool

    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        e.outputFormatting = [.sortedKeys]
        return e
    }

    static func decoder() -> JSONDecoder {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return d
    }

    /// Writes the checkpoint as one output of `outputs`.
    func write(path: String, in outputs: OutputTransaction, trainer: Trainer, best: SequenceDNN?) throws {
        let e = Self.encoder()
        var file = trainer.checkpoint(metadata: [
            Self.marker: "1",
            "configuration": String(decoding: try e.encode(configuration), as: UTF8.self),
            "data_fingerprint": dataFingerprint,
            "epochs_done": String(epochsDone),
            "early_stopping": String(decoding: try e.encode(stopping), as: UTF8.self),
            "history": String(decoding: try history.jsonData(), as: UTF8.self),
            "finished": finished ? "1" : "0",
        ])
        if let best {
            for (name, dims) in best.tensorShapes {
                file.tensors["best." + name] = Tensor(shape: dims, values: best.tensor(name))
                file.order.append("best." + name)
            }
        }
        try file.write(path: path, in: outputs)
    }

    /// Reads a checkpoint: the run state, a trainer continuing it, and the best model so far.
    static func read(path: String, threads: Int) throws -> (checkpoint: RunCheckpoint, trainer: Trainer, best: SequenceDNN?) {
        let file = try SafetensorsFile.read(path: path)
        guard file.metadata[marker] == "1" else {
            throw DragonnError(file: path, "not a dragonn-train checkpoint")
        }
        func field(_ key: String) throws -> String {
            guard let v = file.metadata[key] else { throw DragonnError(file: path, "checkpoint lacks '\(key)'") }
            return v
        }
        let checkpoint: RunCheckpoint
        do {
            let d = decoder()
            checkpoint = RunCheckpoint(
                configuration: try d.decode(TrainingConfiguration.self, from: Data(try field("configuration").utf8)),
                dataFingerprint: try field("data_fingerprint"),
                epochsDone: Int(try field("epochs_done")) ?? -1,
                stopping: try d.decode(EarlyStopping.self, from: Data(try field("early_stopping").utf8)),
                history: try TrainingHistory.from(json: Data(try field("history").utf8)),
                finished: try field("finished") == "1")
        } catch let e as DragonnError { throw e } catch {
            throw DragonnError(file: path, "checkpoint metadata is damaged: \(error)")
        }
        guard (0...TrainingConfiguration.maxEpochs).contains(checkpoint.epochsDone) else {
            throw DragonnError(file: path, "checkpoint metadata is damaged (epochs_done \(checkpoint.epochsDone) outside 0...\(TrainingConfiguration.maxEpochs))")
        }
        let trainer = try Trainer(checkpoint: file, source: path, threads: threads)
        var best: SequenceDNN?
        if file.tensors.keys.contains(where: { $0.hasPrefix("best.") }) {
            var t: [String: Tensor] = [:]
            for (name, _) in trainer.model.tensorShapes { t[name] = file.tensors["best." + name] }
            best = try SequenceDNN(architecture: trainer.model.architecture, tensors: t, source: path)
        }
        return (checkpoint, trainer, best)
    }
}
