/// SequenceDNN's weights laid out for attribution: convolution stack (valid conv → ReLU), max-pool
/// (window = stride, remainder dropped), flatten channel-major, dense to the task logits.
///
/// Weights are repacked once so every hot loop reads contiguous `SIMD16<Float>` lanes:
/// activations are `[position][channel]` with channels padded to a multiple of 16.
public final class AttributionNetwork: @unchecked Sendable {
    /// One convolution layer in PyTorch layout: `weight[f][c][k]`, `bias[f]`.
    public struct ConvLayer: Sendable {
        public var filters: Int, inChannels: Int, width: Int
        public var weight: [Float], bias: [Float]
        public init(filters: Int, inChannels: Int, width: Int, weight: [Float], bias: [Float]) {
            self.filters = filters; self.inChannels = inChannels; self.width = width
            self.weight = weight; self.bias = bias
        }
    }

    public let sequenceLength: Int
    public let layers: [ConvLayer]
    public let poolWidth: Int
    public let taskCount: Int
    public let taskNames: [String]
    /// `[task][filters_last * pooled]`, flatten index `c * pooled + p`.
    public let denseWeight: [Float]
    public let denseBias: [Float]

    /// Output length of each conv layer.
    public let convLengths: [Int]
    /// Padded channel count (multiple of 16) of each layer's output.
    let padded: [Int]
    /// Gather-form weights per layer: `[k][c][fPadded]` (output filters in the lanes).
    let gatherWeights: [[SIMD16<Float>]]
    /// Transposed weights per layer: `[k][f][cPadded]` (input channels in the lanes).
    let scatterWeights: [[SIMD16<Float>]]
    let biasVectors: [[SIMD16<Float>]]
    public let pooledLength: Int

    /// Builds the network; fails with a message when shapes disagree.
    public init(sequenceLength: Int, layers: [ConvLayer], poolWidth: Int, taskNames: [String],
                denseWeight: [Float], denseBias: [Float]) throws {
        guard !layers.isEmpty else { throw DragonnError("model has no convolution layer") }
        self.sequenceLength = sequenceLength
        self.layers = layers
        self.poolWidth = poolWidth
        self.taskNames = taskNames
        self.taskCount = taskNames.count
        self.denseWeight = denseWeight
        self.denseBias = denseBias
        var lengths: [Int] = []
        var length = sequenceLength
        var inC = 4
        for (i, layer) in layers.enumerated() {
            guard layer.inChannels == inC, layer.weight.count == layer.filters * layer.inChannels * layer.width,
                  layer.bias.count == layer.filters else {
                throw DragonnError("model: conv.\(i) has inconsistent shapes")
            }
            length = length - layer.width + 1
            guard length > 0 else { throw DragonnError("model: conv.\(i) leaves no positions") }
            lengths.append(length)
            inC = layer.filters
        }
        convLengths = lengths
        pooledLength = length / poolWidth
        guard pooledLength > 0, denseWeight.count == taskCount * inC * pooledLength, denseBias.count == taskCount else {
            throw DragonnError("model: dense layer does not match \(inC) filters x \(length / max(1, poolWidth)) pooled positions")
        }
        padded = layers.map { ($0.filters + 15) / 16 * 16 }
        var gathers: [[SIMD16<Float>]] = [], scatters: [[SIMD16<Float>]] = [], biases: [[SIMD16<Float>]] = []
        for layer in layers {
            let fChunks = (layer.filters + 15) / 16, cChunks = (layer.inChannels + 15) / 16
            var g = [SIMD16<Float>](repeating: .zero, count: layer.width * layer.inChannels * fChunks)
            var s = [SIMD16<Float>](repeating: .zero, count: layer.width * layer.filters * cChunks)
            for f in 0..<layer.filters { for c in 0..<layer.inChannels { for k in 0..<layer.width {
                let w = layer.weight[(f * layer.inChannels + c) * layer.width + k]
                g[(k * layer.inChannels + c) * fChunks + f / 16][f % 16] = w
                s[(k * layer.filters + f) * cChunks + c / 16][c % 16] = w
            } } }
            var b = [SIMD16<Float>](repeating: .zero, count: fChunks)
            for f in 0..<layer.filters { b[f / 16][f % 16] = layer.bias[f] }
            gathers.append(g); scatters.append(s); biases.append(b)
        }
        gatherWeights = gathers
        scatterWeights = scatters
        biasVectors = biases
    }

    /// Filters of the last convolution layer.
    public var lastFilters: Int { layers[layers.count - 1].filters }

    /// Positions of the input that one output position of the last conv layer sees.
    public var receptiveField: Int { layers.reduce(1) { $0 + $1.width - 1 } }

    /// Resolves `--task NAME|INDEX` (nil → all tasks) to task indices.
    public func taskIndices(_ spec: String?) throws -> [Int] {
        guard let spec else { return Array(0..<taskCount) }
        if let i = taskNames.firstIndex(of: spec) { return [i] }
        if let i = Int(spec), i >= 0, i < taskCount { return [i] }
        throw DragonnError("unknown task '\(spec)' (model tasks: \(taskNames.joined(separator: ", ")))")
    }
}
