import Foundation

/// Checkpoints: the model file plus Adam's state, so `--resume` continues exactly.
/// Extra tensors `adam.m.<name>` and `adam.v.<name>` (PyTorch layouts, like the parameters) and
/// metadata `adam_step`, `adam_settings` (JSON), `trainer_seed`. A checkpoint is also a valid
/// model file (readers ignore the extra tensors).
extension Trainer {
    /// The checkpoint as a safetensors file; `metadata` adds caller keys (epoch, best loss, ...).
    public func checkpoint(metadata extra: [String: String] = [:]) -> SafetensorsFile {
        var meta = extra
        meta["adam_step"] = String(step)
        meta["trainer_seed"] = String(seed)
        meta["adam_settings"] = String(decoding: try! JSONEncoder().encode(settings), as: UTF8.self)
        var file = model.safetensors(metadata: meta)
        for (name, dims) in shape.tensors {
            let idx = shape.indices(of: name)!
            file.tensors["adam.m." + name] = Tensor(shape: dims, values: idx.map { m.base[$0] })
            file.tensors["adam.v." + name] = Tensor(shape: dims, values: idx.map { v.base[$0] })
            file.order += ["adam.m." + name, "adam.v." + name]
        }
        return file
    }

    /// Writes the checkpoint atomically.
    public func saveCheckpoint(path: String, metadata: [String: String] = [:]) throws {
        try checkpoint(metadata: metadata).write(path: path)
    }

    /// A trainer continuing from a checkpoint (model, Adam moments, step, seed, settings).
    public convenience init(checkpoint file: SafetensorsFile, source: String, threads: Int) throws {
        let model = try SequenceDNN(file: file, source: source)
        guard let stepText = file.metadata["adam_step"], let step = Int(stepText), (0...Int(Int32.max)).contains(step),
              let seedText = file.metadata["trainer_seed"], let seed = UInt64(seedText),
              let settingsText = file.metadata["adam_settings"],
              let settings = try? JSONDecoder().decode(AdamSettings.self, from: Data(settingsText.utf8)) else {
            throw DragonnError(file: source, "not a training checkpoint (no Adam state metadata)")
        }
        self.init(model: model, seed: seed, threads: threads, settings: settings)
        self.step = step
        for (name, dims) in shape.tensors {
            for (prefix, buffer) in [("adam.m.", m), ("adam.v.", v)] {
                guard let t = file.tensors[prefix + name] else {
                    throw DragonnError(file: source, "missing tensor '\(prefix + name)'")
                }
                guard t.shape == dims else {
                    throw DragonnError(file: source, "tensor '\(prefix + name)' has shape \(t.shape), expected \(dims)")
                }
                for (i, x) in zip(shape.indices(of: name)!, t.values) { buffer.base[i] = x }
            }
        }
    }

    /// Loads a checkpoint file.
    public static func resume(path: String, threads: Int) throws -> Trainer {
        try Trainer(checkpoint: try SafetensorsFile.read(path: path), source: path, threads: threads)
    }
}
