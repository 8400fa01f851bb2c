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
        // Default names only for a plausible count (a file's num_tasks could ask for billions);
        // otherwise none, which `validate` reports.
        taskNames = try c.decodeIfPresent([String].self, forKey: .taskNames)
            ?? ((1...Self.maxDefaultTaskNames).contains(numTasks) ? (0..<numTasks).map { "task\($0)" } : [])
        dropout = try c.decodeIfPresent(Double.self, forKey: .dropout) ?? 0
        L1 = try c.decodeIfPresent(Double.self, forKey: .L1) ?? 0
        alphabet = try c.decodeIfPresent(String.self, forKey: .alphabet) ?? "ACGT"
    }

    /// Most tasks that get default names (`task0`, ...) when a file gives none.
    static let maxDefaultTaskNames = 1 << 16
    /// Most parameters an architecture may have (16 GiB of float32): beyond any SequenceDNN, and
    /// far from where the engine's padded layout could overflow.
    public static let maxParameters = 1 << 32

    /// Number of parameters in PyTorch layouts (convolution weights and biases, dense weight and
    /// bias), or nil when the count overflows or the lengths do not fit (see `validate`).
    public var parameterCount: Int? {
        var length = seqLength
        for w in convWidth {
            guard w > 0, w <= length else { return nil }
            length -= w - 1
        }
        guard poolWidth > 0 else { return nil }
        var total = 0, inChannels = 4
        func add(_ factors: Int...) -> Bool {
            var product = 1
            for f in factors {
                let (p, o) = product.multipliedReportingOverflow(by: f)
                if o { return false }
                product = p
            }
            let (sum, o) = total.addingReportingOverflow(product)
            total = sum
            return !o
        }
        for (f, w) in zip(numFilters, convWidth) {
            guard add(f, inChannels, w), add(f) else { return nil }
            inChannels = f
        }
        guard add(numTasks, inChannels, length / poolWidth), add(numTasks) else { return nil }
        return total
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

    /// Throws a one-line description when the shape cannot make a model.
    public func validate() throws {
        guard !numFilters.isEmpty else { throw DragonnError("architecture: at least one convolution layer is needed") }
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
        // The sizes may come from a file: lengths are checked layer by layer so that nothing
        // below overflows, and the parameter count is bounded before anything is allocated.
        let tooShort = DragonnError("architecture: sequences of \(seqLength) bp are too short for these convolutions and a pool width of \(poolWidth)")
        var length = seqLength
        for w in convWidth {
            guard w <= length else { throw tooShort }
            length -= w - 1
        }
        guard length >= poolWidth else { throw tooShort }
        guard let n = parameterCount, n <= Self.maxParameters else {
            throw DragonnError("architecture: more than \(Self.maxParameters) parameters")
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
