/// Building the attribution view of a trained SequenceDNN (reads its tensors; the engine's own
/// layout is left alone).
extension AttributionNetwork {
    /// The network of `model`.
    public convenience init(model: SequenceDNN) throws {
        let arch = model.architecture
        var layers: [ConvLayer] = []
        var inC = 4
        for i in 0..<arch.numFilters.count {
            layers.append(ConvLayer(filters: arch.numFilters[i], inChannels: inC, width: arch.convWidth[i],
                                    weight: model.tensor("conv.\(i).weight"), bias: model.tensor("conv.\(i).bias")))
            inC = arch.numFilters[i]
        }
        try self.init(sequenceLength: arch.seqLength, layers: layers, poolWidth: arch.poolWidth,
                      taskNames: arch.taskNames, denseWeight: model.tensor("dense.weight"),
                      denseBias: model.tensor("dense.bias"))
    }

    /// Loads a model file (safetensors, DESIGN.md layout).
    public static func load(path: String) throws -> AttributionNetwork {
        try AttributionNetwork(model: try SequenceDNN.load(path: path))
    }
}
