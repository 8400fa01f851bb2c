// Geometry of a SequenceDNN inside the engine: strides of the position-major activation
// buffers and where each parameter tensor lives in the one flat parameter buffer.

import DragonnKernels

/// One convolution layer as the engine lays it out.
public struct ConvLayerShape: Sendable {
    /// Input channels (4 bases for layer 0) and filters (output channels).
    public let inChannels: Int, filters: Int
    /// Filter width and input / output lengths in positions.
    public let width: Int, inLength: Int, outLength: Int
    /// Row stride (padded channels) of the input activations (0 for layer 0, which reads base
    /// codes) and of the output activations.
    public let inStride: Int, outStride: Int
    /// Rows per tap in the weight table [width][weightRows][outStride]: 5 (A, C, G, T, N) for
    /// layer 0, `inStride` otherwise.
    public let weightRows: Int
    let weightOffset: Int, biasOffset: Int
}

struct ModelShape {
    let layers: [ConvLayerShape]
    let poolWidth: Int
    let pooledLength: Int
    let pooledStride: Int
    let tasks: Int
    /// pooledLength × pooledStride: inputs of the engine's dense layer (padding included).
    let denseInputs: Int
    let denseWeightOffset: Int, denseBiasOffset: Int
    let parameterCount: Int
    /// The model file's tensors in file order, with their PyTorch shapes.
    let tensors: [(name: String, shape: [Int])]

    init(_ a: Architecture) {
        var layers: [ConvLayerShape] = []
        var offset = 0
        func take(_ n: Int) -> Int { let o = offset; offset += (n + 15) / 16 * 16; return o }
        var inChannels = 4, inLength = a.seqLength, inStride = 0
        for i in 0..<a.numLayers {
            let f = a.numFilters[i], w = a.convWidth[i]
            let outStride = paddedChannels(f)
            let rows = i == 0 ? Conv1DCodes.rows : inStride
            let wo = take(w * rows * outStride), bo = take(outStride)
            layers.append(ConvLayerShape(inChannels: inChannels, filters: f, width: w, inLength: inLength,
                                         outLength: inLength - w + 1, inStride: inStride, outStride: outStride,
                                         weightRows: rows, weightOffset: wo, biasOffset: bo))
            inChannels = f; inLength = inLength - w + 1; inStride = outStride
        }
        self.layers = layers
        poolWidth = a.poolWidth
        pooledLength = inLength / a.poolWidth
        pooledStride = inStride
        tasks = a.numTasks
        denseInputs = pooledLength * pooledStride
        denseWeightOffset = take(a.numTasks * denseInputs)
        denseBiasOffset = take(a.numTasks)
        parameterCount = offset
        tensors = ModelShape.tensorShapes(a)
    }

    /// The model file's tensors of `a` in file order with their PyTorch shapes, computed from the
    /// architecture alone (nothing allocated).
    static func tensorShapes(_ a: Architecture) -> [(name: String, shape: [Int])] {
        var out: [(String, [Int])] = []
        var inChannels = 4
        for i in 0..<a.numLayers {
            out.append(("conv.\(i).weight", [a.numFilters[i], inChannels, a.convWidth[i]]))
            out.append(("conv.\(i).bias", [a.numFilters[i]]))
            inChannels = a.numFilters[i]
        }
        out.append(("dense.weight", [a.numTasks, a.denseInputs]))
        out.append(("dense.bias", [a.numTasks]))
        return out
    }

    /// For each element of tensor `name` in PyTorch order, its index in the flat parameter buffer.
    func indices(of name: String) -> [Int]? {
        let parts = name.split(separator: ".")
        if parts.count == 3, parts[0] == "conv", let i = Int(parts[1]), i >= 0, i < layers.count {
            let l = layers[i]
            if parts[2] == "bias" { return (0..<l.filters).map { l.biasOffset + $0 } }
            if parts[2] == "weight" {
                var idx: [Int] = []
                idx.reserveCapacity(l.filters * l.inChannels * l.width)
                for f in 0..<l.filters { for c in 0..<l.inChannels { for k in 0..<l.width {
                    idx.append(l.weightOffset + (k * l.weightRows + c) * l.outStride + f)
                } } }
                return idx
            }
            return nil
        }
        if name == "dense.bias" { return (0..<tasks).map { denseBiasOffset + $0 } }
        if name == "dense.weight" {
            let c = layers.last!.filters, p = pooledLength
            var idx: [Int] = []
            idx.reserveCapacity(tasks * c * p)
            // Flatten is channel-major in the file (index c·P + p); the engine stores [p][c].
            for t in 0..<tasks { for ci in 0..<c { for pi in 0..<p {
                idx.append(denseWeightOffset + t * denseInputs + pi * pooledStride + ci)
            } } }
            return idx
        }
        return nil
    }

    /// Indices of the parameters that L1 penalizes: convolution weights and biases.
    var l1Range: Range<Int> { 0..<denseWeightOffset }
}
