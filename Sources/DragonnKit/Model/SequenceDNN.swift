import Dispatch
import Foundation
import DragonnKernels

/// How a new model's dense-layer weights are drawn (`dragonn-train --dense-init`).
public enum DenseInit: String, Codable, CaseIterable, Sendable {
    /// He-normal, std √(2 / fan_in): DragoNN's scale (Keras' Glorot default is about the same here).
    case he
    /// Uniform in ±1/√fan_in, PyTorch's `nn.Linear` default (about 2.4x smaller than He-normal).
    case pytorch

    /// What `dragonn-train` uses unless told otherwise, chosen by measurement (CHANGELOG 0.3.0).
    public static let trainingDefault = DenseInit.pytorch
}

/// DragoNN's SequenceDNN: convolutions (ReLU, dropout) → max-pool → flatten → dense → logits.
///
/// Parameters live in one flat buffer in the engine's layout; `tensor(_:)` and `setTensor(_:_:)`
/// convert to and from the model file's PyTorch layouts. Inputs are base codes (A0 C1 G2 T3,
/// anything else 4 = N, an all-zero one-hot column), `seqLength` per sequence, row-major.
public final class SequenceDNN {
    public let architecture: Architecture
    let shape: ModelShape
    let params: FloatBuffer

    /// A freshly initialized model: He-normal convolution weights (std √(2 / fan_in), fan_in =
    /// in_channels × width), dense weights as `denseInit` says (fan_in = its inputs), zero
    /// biases. Draws come from `RandomSource(seed:)` in file order (conv.0.weight, conv.1.weight,
    /// ..., dense.weight), each tensor in PyTorch element order.
    public init(architecture: Architecture, seed: UInt64, denseInit: DenseInit = .he) throws {
        try architecture.validate()
        self.architecture = architecture
        shape = ModelShape(architecture)
        params = FloatBuffer(shape.parameterCount)
        var random = RandomSource(seed: seed)
        for (name, dims) in shape.tensors where name.hasSuffix("weight") {
            let fanIn = Double(dims.dropFirst().reduce(1, *))
            let values: [Float]
            if name == "dense.weight" && denseInit == .pytorch {
                let bound = 1 / fanIn.squareRoot()
                values = (0..<dims.reduce(1, *)).map { _ in Float((2 * random.uniform() - 1) * bound) }
            } else {
                let std = (2.0 / fanIn).squareRoot()
                values = (0..<dims.reduce(1, *)).map { _ in Float(random.normal() * std) }
            }
            try setTensor(name, values)
        }
    }

    /// A model with the given architecture and tensors (PyTorch layouts, see `tensorShapes`).
    /// Throws when a tensor is missing or has the wrong shape.
    public init(architecture: Architecture, tensors: [String: Tensor], source: String = "model") throws {
        try architecture.validate()
        self.architecture = architecture
        shape = ModelShape(architecture)
        params = FloatBuffer(shape.parameterCount)
        for (name, dims) in shape.tensors {
            guard let t = tensors[name] else { throw DragonnError(file: source, "missing tensor '\(name)'") }
            guard t.shape == dims else {
                throw DragonnError(file: source, "tensor '\(name)' has shape \(t.shape), expected \(dims) for this architecture")
            }
            try setTensor(name, t.values)
        }
    }

    /// An independent copy (parameters copied).
    public func copy() -> SequenceDNN {
        let m = try! SequenceDNN(architecture: architecture, tensors: tensors())
        return m
    }

    /// The model file's tensor names in file order with their PyTorch shapes
    /// (`conv.{i}.weight` [filters, in_channels, width], `conv.{i}.bias` [filters],
    /// `dense.weight` [tasks, filters_last × pooled], `dense.bias` [tasks]).
    public var tensorShapes: [(name: String, shape: [Int])] { shape.tensors }

    /// The values of tensor `name` in PyTorch layout (flatten order c·P + p for dense.weight).
    public func tensor(_ name: String) -> [Float] {
        guard let idx = shape.indices(of: name) else { preconditionFailure("no tensor \(name)") }
        return idx.map { params.base[$0] }
    }

    /// Every tensor by name, PyTorch layouts.
    public func tensors() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, dims) in shape.tensors { out[name] = Tensor(shape: dims, values: tensor(name)) }
        return out
    }

    /// Replaces tensor `name` (PyTorch layout); throws on an unknown name or wrong element count.
    public func setTensor(_ name: String, _ values: [Float]) throws {
        guard let idx = shape.indices(of: name) else { throw DragonnError("no tensor named '\(name)' in this model") }
        guard idx.count == values.count else {
            throw DragonnError("tensor '\(name)' needs \(idx.count) values, got \(values.count)")
        }
        for (i, v) in zip(idx, values) { params.base[i] = v }
    }

    /// Number of trainable parameters (as in PyTorch, without the engine's padding).
    public var parameterCount: Int { shape.tensors.reduce(0) { $0 + $1.shape.reduce(1, *) } }

    /// L1 · Σ|p| over the convolution weights and biases (DragoNN's regularization term).
    public var l1Penalty: Double {
        var s = 0.0
        for i in shape.l1Range { s += Double(abs(params.base[i])) }
        return architecture.L1 * s
    }

    /// Logits [count][tasks] of `count` sequences of base codes ([count][seqLength], row-major),
    /// evaluation mode (no dropout). The sequences go to `threads` workers in small pieces
    /// (`parallelPieces`); each sequence's logits depend on it alone, not on the thread count.
    public func logits(codes: UnsafeBufferPointer<UInt8>, count: Int, threads: Int = 1) -> [Float] {
        let L = architecture.seqLength, T = architecture.numTasks
        precondition(codes.count >= count * L, "logits: \(codes.count) codes for \(count) sequences of \(L)")
        var out = [Float](repeating: 0, count: count * T)
        guard count > 0 else { return out }
        let nt = max(1, min(threads, count))
        let base = codes.baseAddress!
        let pairs = shape.pairTable(params.base)
        // Layers 1, 2, ... channel-major where that idles fewer lanes (the same bits either way).
        let channelMajor = shape.prefersChannelMajor ? ChannelMajorWeights(shape: shape, params: params.base) : nil
        // Pieces of up to 16 sequences (about a millisecond each), one workspace per thread.
        let workspaces = (0..<nt).map { _ in Workspace(shape) }
        let rows = channelMajor == nil ? [] : (0..<nt).map { _ in ChannelMajorBuffers(shape) }
        out.withUnsafeMutableBufferPointer { o in
            let op = o.baseAddress!
            parallelPieces(count: count, threads: nt, grain: min(16, max(1, count / (8 * nt)))) { t, range in
                let ws = workspaces[t]
                for n in range {
                    if let channelMajor {
                        ws.forwardChannelMajor(codes: base + n * L, params: self.params.base, pairs: pairs,
                                               weights: channelMajor, buffers: rows[t])
                    } else {
                        ws.forward(codes: base + n * L, params: self.params.base, dropout: 0, random: nil, pairs: pairs)
                    }
                    for t in 0..<T { op[n * T + t] = ws.logits.base[t] }
                }
            }
        }
        return out
    }

    /// Logits [count][tasks]; see `logits(codes:count:threads:)` on a buffer.
    public func logits(codes: [UInt8], count: Int, threads: Int = 1) -> [Float] {
        codes.withUnsafeBufferPointer { logits(codes: $0, count: count, threads: threads) }
    }

    /// Logits [count][tasks] of dense inputs x [count][seqLength][4] (channels A, C, G, T, any
    /// values: one-hot columns, a background expectation, zeros), evaluation mode.
    public func logits(dense x: [Float], count: Int) -> [Float] {
        let L = architecture.seqLength, T = architecture.numTasks
        precondition(x.count == count * L * 4, "logits: \(x.count) values for \(count) inputs of \(L) x 4")
        let ws = Workspace(shape)
        var out: [Float] = []
        out.reserveCapacity(count * T)
        x.withUnsafeBufferPointer { xb in
            for n in 0..<count {
                ws.forward(dense: xb.baseAddress! + n * L * 4, params: params.base)
                out += UnsafeBufferPointer(start: ws.logits.base, count: T)
            }
        }
        return out
    }

    /// Sigmoid probabilities [count][tasks].
    public func probabilities(codes: [UInt8], count: Int, threads: Int = 1) -> [Float] {
        logits(codes: codes, count: count, threads: threads).map(SigmoidCrossEntropy.sigmoid)
    }

    /// Mean binary cross-entropy over all count × tasks entries of `logits` against `labels`
    /// (both [count][tasks]), each entry multiplied by `weights` when given ([count][tasks] or
    /// [count], one per sequence). Add `l1Penalty` for DragoNN's full objective.
    public static func meanLoss(logits: [Float], labels: [Float], weights: [Float]? = nil, tasks: Int) -> Double {
        precondition(logits.count == labels.count)
        guard !logits.isEmpty else { return 0 }
        var s = 0.0
        for i in 0..<logits.count {
            let w = weights.map { $0.count == logits.count ? $0[i] : $0[i / tasks] } ?? 1
            s += Double(w) * SigmoidCrossEntropy.loss(logit: logits[i], label: labels[i])
        }
        return s / Double(logits.count)
    }

    /// Mean binary cross-entropy of the model on these sequences + `l1Penalty`.
    public func loss(codes: [UInt8], labels: [Float], weights: [Float]? = nil, count: Int, threads: Int = 1) -> Double {
        let z = logits(codes: codes, count: count, threads: threads)
        return SequenceDNN.meanLoss(logits: z, labels: labels, weights: weights, tasks: architecture.numTasks) + l1Penalty
    }
}

/// A float32 tensor in row-major order.
public struct Tensor: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "tensor shape \(shape) does not match \(values.count) values")
        self.shape = shape
        self.values = values
    }
}

/// Runs `body(thread, range)` for `threads` contiguous chunks of 0..<count in parallel (training,
/// prediction and attribution all split their work this way); chunk
/// boundaries depend only on count and threads.
///
/// This is the engine's one door to concurrency, and the one place Swift 6's data-race checking is
/// told to trust the caller: each call of `body` may write only what belongs to its own chunk (its
/// sequences' outputs, its thread's workspace) and reads shared state that nobody writes during
/// the call. The ThreadSanitizer leg (`scripts/sanitize.sh thread`) checks that at run time.
func parallelChunks(count: Int, threads: Int, _ body: (Int, Range<Int>) -> Void) {
    let nt = max(1, min(threads, count))
    if nt == 1 { body(0, 0..<count); return }
    withoutActuallyEscaping(body) { body in
        let chunks = UncheckedChunkBody(body: body)
        DispatchQueue.concurrentPerform(iterations: nt) { t in
            chunks.body(t, (count * t / nt)..<(count * (t + 1) / nt))
        }
    }
}

/// Runs `body(thread, range)` over 0..<count in pieces of at most `grain` indices, which
/// `threads` workers take in turn, each as soon as it has finished its last (dynamic scheduling:
/// a worker slowed by another process, or by a thread reading the next batch, does not leave the
/// others idle at the end, as one contiguous chunk per thread would). `thread` (0..<threads)
/// names the worker, for per-thread scratch. Only for work whose result for each index does not
/// depend on which worker computes it, nor on the order; the same rules as `parallelChunks`.
func parallelPieces(count: Int, threads: Int, grain: Int, _ body: (Int, Range<Int>) -> Void) {
    let g = max(1, grain)
    let pieces = (count + g - 1) / g
    let nt = max(1, min(threads, pieces))
    if nt == 1 { if count > 0 { body(0, 0..<count) }; return }
    let next = WorkCounter()
    parallelChunks(count: nt, threads: nt) { t, _ in
        while let i = next.take(below: pieces) { body(t, (i * g)..<min(count, (i + 1) * g)) }
    }
}

/// The next index of shared work to do, handed out once each to whichever thread asks first.
private final class WorkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    /// The next index below `count`, or nil when all are taken.
    func take(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// The per-chunk closure handed to the worker threads (see `parallelChunks` for why it is safe).
private struct UncheckedChunkBody: @unchecked Sendable {
    let body: (Int, Range<Int>) -> Void
}
