import Foundation

/// The shape of a SequenceDNN (DragoNN's model): per layer a valid 1-D convolution → ReLU →
/// dropout, then max-pool (window = stride = `poolWidth`, remainder dropped), flatten
/// (channel-major), dense to `numTasks` logits.
///
/// Codable to and from the JSON stored in a model file's `architecture` metadata, with
/// DragoNN's key names (`seq_length`, `num_filters`, `conv_width`, `pool_width`, `num_tasks`,
/// `task_names`, `dropout`, `L1`, `alphabet`).
public struct Architecture: Codable, Equatable, Sendable {
    public var seqLength: Int
    public var numFilters: [Int]
    public var convWidth: [Int]
    public var poolWidth: Int
    public var numTasks: Int
    public var taskNames: [String]
    public var dropout: Double
    public var L1: Double
    public var alphabet: String

    enum CodingKeys: String, CodingKey {
        case seqLength = "seq_length", numFilters = "num_filters", convWidth = "conv_width"
        case poolWidth = "pool_width", numTasks = "num_tasks", taskNames = "task_names"
        case dropout, L1, alphabet
    }

    /// An architecture; task names default to `task0`, `task1`, ...
    public init(seqLength: Int, numFilters: [Int] = [15, 15, 15], convWidth: [Int] = [10, 10, 10],
                poolWidth: Int = 35, numTasks: Int = 1, taskNames: [String]? = nil,
                dropout: Double = 0, L1: Double = 0) {
        self.seqLength = seqLength
        self.numFilters = numFilters
        self.convWidth = convWidth
        self.poolWidth = poolWidth
        self.numTasks = numTasks
        self.taskNames = taskNames ?? (0..<numTasks).map { "task\($0)" }
        self.dropout = dropout
        self.L1 = L1
        self.alphabet = "ACGT"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seqLength = try c.decode(Int.self, forKey: .seqLength)
        numFilters = try c.decode([Int].self, forKey: .numFilters)
        convWidth = try c.decode([Int].self, forKey: .convWidth)
        poolWidth = try c.decode(Int.self, forKey: .poolWidth)
        numTasks = try c.decode(Int.self, forKey: .numTasks)
        // Default names only for a count within the limits (a file's num_tasks could ask for
        // billions, which took minutes to name); otherwise none, which `validate` reports.
        taskNames = try c.decodeIfPresent([String].self, forKey: .taskNames)
            ?? ((1...Self.limits.tasks).contains(numTasks) ? (0..<numTasks).map { "task\($0)" } : [])
        dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? 0
        L1 = try c.decodeIfPresent(Double.self, forKey: .L1) ?? 0
        alphabet = try c.decodeIfPresent(String.self, forKey: .alphabet) ?? "ACGT"
    }

    /// Number of convolution layers.
    public var numLayers: Int { numFilters.count }

    /// Sequence length after convolution layer `i` (valid convolutions shrink by width − 1).
    public func convOutputLength(_ i: Int) -> Int {
        var l = seqLength
        for j in 0...i { l -= convWidth[j] - 1 }
        return l
    }

    /// Positions after max-pooling the last convolution's output.
    public var pooledLength: Int { convOutputLength(numLayers - 1) / poolWidth }

    /// Inputs of the dense layer: filters of the last layer × pooled positions.
    public var denseInputs: Int { numFilters[numLayers - 1] * pooledLength }

    /// Bounds on what an architecture may claim, so a small hostile model file (or option) cannot
    /// make the engine allocate without limit: generous for any real SequenceDNN.
    public static let limits = (seqLength: 1 << 24, layers: 64, filters: 1 << 12, width: 1 << 12,
                                tasks: 1 << 16, parameters: 1 << 28)

    /// Input positions that one output position of the last convolution sees: 1 + Σ (width − 1).
    public var receptiveField: Int { convWidth.reduce(1) { $0 + $1 - 1 } }

    /// Resolves `--task NAME|INDEX` (nil → every task) to task indices.
    public func taskIndices(_ spec: String?) throws -> [Int] {
        guard let spec else { return Array(0..<numTasks) }
        if let i = taskNames.firstIndex(of: spec) { return [i] }
        if let i = Int(spec), i >= 0, i < numTasks { return [i] }
        throw DragonnError("unknown task '\(spec)' (model tasks: \(taskNames.joined(separator: ", ")))")
    }

    /// Throws a one-line description when the shape cannot make a model.
    public func validate() throws {
        let lim = Architecture.limits
        guard !numFilters.isEmpty else { throw DragonnError("architecture: at least one convolution layer is needed") }
        guard seqLength > 0, seqLength <= lim.seqLength else {
            throw DragonnError("architecture: seq_length \(seqLength) is outside 1...\(lim.seqLength)")
        }
        guard numFilters.count <= lim.layers else {
            throw DragonnError("architecture: \(numFilters.count) convolution layers (at most \(lim.layers))")
        }
        guard numFilters.allSatisfy({ $0 <= lim.filters }), convWidth.allSatisfy({ $0 <= lim.width }) else {
            throw DragonnError("architecture: at most \(lim.filters) filters and width \(lim.width) per layer")
        }
        guard numTasks <= lim.tasks else { throw DragonnError("architecture: \(numTasks) tasks (at most \(lim.tasks))") }
        guard numFilters.count == convWidth.count else {
            throw DragonnError("architecture: \(numFilters.count) filter counts but \(convWidth.count) convolution widths")
        }
        guard numFilters.allSatisfy({ $0 > 0 }), convWidth.allSatisfy({ $0 > 0 }) else {
            throw DragonnError("architecture: filter counts and widths must be positive")
        }
        guard poolWidth > 0 else { throw DragonnError("architecture: pool width must be positive") }
        guard numTasks > 0 else { throw DragonnError("architecture: at least one task is needed") }
        guard taskNames.count == numTasks else {
            throw DragonnError("architecture: \(taskNames.count) task names for \(numTasks) tasks")
        }
        guard dropout >= 0, dropout < 1 else { throw DragonnError("architecture: dropout must be in [0, 1)") }
        guard L1 >= 0 else { throw DragonnError("architecture: L1 must not be negative") }
        guard alphabet == "ACGT" else { throw DragonnError("architecture: alphabet '\(alphabet)' is not ACGT") }
        guard convOutputLength(numLayers - 1) >= poolWidth else {
            throw DragonnError("architecture: sequences of \(seqLength) bp are too short for these convolutions and a pool width of \(poolWidth)")
        }
        // Every factor is bounded above, so the engine's (padded) parameter count cannot overflow.
        let parameters = ModelShape(self).parameterCount
        guard parameters <= lim.parameters else {
            throw DragonnError("architecture: \(parameters) engine parameters (at most \(lim.parameters))")
        }
    }

    /// The JSON text stored as the model file's `architecture` metadata.
    public func jsonString() -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try! enc.encode(self), as: UTF8.self)
    }

    /// Parses the model file's `architecture` metadata.
    public static func fromJSON(_ text: String) throws -> Architecture {
        do { return try JSONDecoder().decode(Architecture.self, from: Data(text.utf8)) }
        catch { throw DragonnError("architecture metadata is not valid: \(error)") }
    }
}
