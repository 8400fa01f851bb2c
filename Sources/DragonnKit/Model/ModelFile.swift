import Foundation

/// Reading and writing the model file (DESIGN.md): safetensors with `conv.{i}.weight`,
/// `conv.{i}.bias`, `dense.weight`, `dense.bias` in PyTorch layouts and `__metadata__`
/// `format` = `dragonn.sequence-dnn`, `format_version` = `1`, `architecture` = JSON.
extension SequenceDNN {
    /// The `format` metadata value of a model file.
    public static let formatTag = "dragonn.sequence-dnn"
    /// The `format_version` this engine writes and reads.
    public static let formatVersion = "1"

    /// The model as a safetensors file (extra metadata keys added to the required ones and the
    /// engine's version, `dragonn_version`).
    public func safetensors(metadata extra: [String: String] = [:]) -> SafetensorsFile {
        var meta = extra
        meta["format"] = SequenceDNN.formatTag
        meta["format_version"] = SequenceDNN.formatVersion
        meta["architecture"] = architecture.jsonString()
        meta["dragonn_version"] = DragonnVersion.string
        return SafetensorsFile(metadata: meta, tensors: tensors(), order: shape.tensors.map { $0.name })
    }

    /// Writes the model file on its own (temporary beside `path`, renamed into place).
    public func save(path: String, metadata extra: [String: String] = [:]) throws {
        try safetensors(metadata: extra).write(path: path)
    }

    /// Writes the model file as one output of `outputs`.
    public func save(path: String, in outputs: OutputTransaction, metadata extra: [String: String] = [:]) throws {
        try safetensors(metadata: extra).write(path: path, in: outputs)
    }

    /// A model from a parsed safetensors file; errors name `source`.
    public convenience init(file: SafetensorsFile, source: String) throws {
        guard let tag = file.metadata["format"] else {
            throw DragonnError(file: source, "not a dragonn model file (no 'format' metadata)")
        }
        guard tag == SequenceDNN.formatTag else {
            throw DragonnError(file: source, "wrong format tag '\(tag)', expected '\(SequenceDNN.formatTag)'")
        }
        if let v = file.metadata["format_version"], v != SequenceDNN.formatVersion {
            throw DragonnError(file: source, "unsupported format_version '\(v)'")
        }
        guard let a = file.metadata["architecture"] else {
            throw DragonnError(file: source, "no 'architecture' metadata")
        }
        let arch: Architecture
        do { arch = try Architecture.fromJSON(a); try arch.validate() }
        catch let e as DragonnError { throw DragonnError(file: source, e.description) }
        try SequenceDNN.checkTensors(file.tensors, architecture: arch, source: source)
        try self.init(architecture: arch, tensors: file.tensors, source: source)
    }

    /// Throws, before anything is allocated for the model, when a tensor the architecture needs is
    /// missing, has another shape, or holds a NaN or infinite value (one would silently change
    /// every prediction).
    static func checkTensors(_ tensors: [String: Tensor], architecture arch: Architecture, source: String) throws {
        for (name, dims) in ModelShape.tensorShapes(arch) {
            guard let t = tensors[name] else { throw DragonnError(file: source, "missing tensor '\(name)'") }
            guard t.shape == dims else {
                throw DragonnError(file: source, "tensor '\(name)' has shape \(t.shape), expected \(dims) for this architecture")
            }
            if let i = t.values.firstIndex(where: { !$0.isFinite }) {
                throw DragonnError(file: source, "tensor '\(name)' holds a non-finite value (\(t.values[i]) at element \(i))")
            }
        }
    }

    /// Loads a model file. A training checkpoint is refused: it holds the last epoch's weights,
    /// not the best epoch's that the model file beside it holds.
    public static func load(path: String) throws -> SequenceDNN {
        let file = try SafetensorsFile.read(path: path)
        if file.metadata["adam_step"] != nil {
            let suffix = ".checkpoint.safetensors"
            let model = path.hasSuffix(suffix) ? String(path.dropLast(suffix.count)) + ".safetensors" : "PREFIX.safetensors"
            throw DragonnError(file: path, "a training checkpoint (the last epoch's weights, for dragonn-train --resume), not a model: use the model file \(model)")
        }
        return try SequenceDNN(file: file, source: path)
    }
}
