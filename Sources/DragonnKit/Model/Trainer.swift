import Dispatch
import Foundation
import DragonnKernels

/// Trains a SequenceDNN with Adam on mini-batches: forward, backward, one update per batch.
///
/// Each batch is cut into `Trainer.gradientGroups` contiguous groups of sequences, whatever the
/// thread count; each group sums its sequences' gradients in its own buffer, in sequence order, and
/// the group buffers are summed in group order. Threads take whole groups, so the summation order,
/// and with it the trained model, is the same for every thread count (`-@` changes the speed, not
/// the model). Dropout masks are drawn per (step, sequence in batch, layer) from the seed.
public final class Trainer {
    public let model: SequenceDNN
    public var settings: AdamSettings
    /// Worker threads splitting each batch.
    public let threads: Int
    /// Seed for epoch shuffles and dropout masks.
    public let seed: UInt64
    /// Adam steps taken so far (batches trained).
    public internal(set) var step: Int = 0

    let shape: ModelShape
    let m: FloatBuffer, v: FloatBuffer
    /// One gradient buffer per group of the batch (see `gradientGroups`).
    let grads: [FloatBuffer]
    let workspaces: [Workspace]

    /// Groups a batch is cut into for the gradient sum; fixed so results do not depend on threads.
    public static let gradientGroups = 16
    /// Sum of the per-thread gradients of the last batch (+ L1), engine layout.
    let gradient: FloatBuffer

    /// A trainer for `model` (updated in place).
    public init(model: SequenceDNN, seed: UInt64, threads: Int = 1, settings: AdamSettings = AdamSettings()) {
        self.model = model
        self.seed = seed
        self.threads = max(1, threads)
        self.settings = settings
        shape = model.shape
        m = FloatBuffer(shape.parameterCount)
        v = FloatBuffer(shape.parameterCount)
        grads = (0..<Trainer.gradientGroups).map { _ in FloatBuffer(model.shape.parameterCount) }
        workspaces = (0..<self.threads).map { _ in Workspace(model.shape) }
        gradient = FloatBuffer(shape.parameterCount)
    }

    /// Computes the gradient of the batch objective — mean over count × tasks entries of
    /// weight · BCE(logit, label), + L1 · Σ|conv weights and biases| — without updating, and
    /// returns the objective's value. codes [count][seqLength], labels [count][tasks],
    /// weights nil (all 1), [count] (one per sequence) or [count][tasks]. `training` turns dropout on.
    /// `logitsOut` ([count][tasks]), when given, receives the logits of this forward pass.
    @discardableResult
    public func computeGradient(codes: UnsafeBufferPointer<UInt8>, labels: UnsafeBufferPointer<Float>,
                                weights: UnsafeBufferPointer<Float>?, count: Int, training: Bool = true,
                                logitsOut: UnsafeMutablePointer<Float>? = nil) -> Double {
        let L = model.architecture.seqLength, T = shape.tasks
        precondition(codes.count >= count * L && labels.count >= count * T)
        let perSequenceWeight = weights.map { $0.count < count * T } ?? false
        let rate = training ? model.architecture.dropout : 0
        let scale = Float(1 / (1 - rate))
        let params = model.params.base
        let flipped = shape.flippedWeights(params)
        let pairs = shape.pairTable(params)
        let batchRandom = RandomSource(seed: seed ^ 0x6472_6F70_6F75_7421).split(UInt64(step))
        let norm = 1 / Float(count * T)
        let groups = max(1, min(Trainer.gradientGroups, count))
        var losses = [Double](repeating: 0, count: groups)
        let nt = max(1, min(threads, groups))
        let cbase = codes.baseAddress!, lbase = labels.baseAddress!
        let wbase = weights?.baseAddress
        losses.withUnsafeMutableBufferPointer { lossOut in
            let lo = lossOut.baseAddress!
            parallelChunks(count: groups, threads: nt) { t, groupRange in
                let ws = self.workspaces[t]
                for group in groupRange {
                    let g = self.grads[group]
                    g.zero()
                    var lossSum = 0.0
                    for n in (count * group / groups)..<(count * (group + 1) / groups) {
                        let r: RandomSource? = rate > 0 ? batchRandom.split(UInt64(n)) : nil
                        ws.forward(codes: cbase + n * L, params: params, dropout: rate, random: r, pairs: pairs)
                        for k in 0..<T {
                            let z = ws.logits.base[k], y = lbase[n * T + k]
                            logitsOut?[n * T + k] = z
                            let w: Float = wbase.map { perSequenceWeight ? $0[n] : $0[n * T + k] } ?? 1
                            lossSum += Double(w) * SigmoidCrossEntropy.loss(logit: z, label: y)
                            ws.dLogits.base[k] = w * SigmoidCrossEntropy.gradient(logit: z, label: y) * norm
                        }
                        ws.backward(codes: cbase + n * L, params: params, grad: g.base, flipped: flipped,
                                    dropoutScale: scale)
                    }
                    lo[group] = lossSum
                }
            }
        }
        // Fixed-order reduction: group 0, then 1, ... (independent of the thread count).
        let total = gradient.base, P = shape.parameterCount
        total.update(from: grads[0].base, count: P)
        for group in 1..<groups {
            let gg = grads[group].base
            for i in 0..<P { total[i] += gg[i] }
        }
        let l1 = Float(model.architecture.L1)
        if l1 > 0 {
            for i in shape.l1Range {
                let p = params[i]
                total[i] += p > 0 ? l1 : (p < 0 ? -l1 : 0)
            }
        }
        var loss = 0.0
        for group in 0..<groups { loss += losses[group] }
        return loss / Double(count * T) + model.l1Penalty
    }

    /// The gradient of the last `computeGradient`/`trainBatch` for tensor `name`, PyTorch layout.
    public func gradient(_ name: String) -> [Float] {
        guard let idx = shape.indices(of: name) else { preconditionFailure("no tensor \(name)") }
        return idx.map { gradient.base[$0] }
    }

    /// Applies one Adam step with the last computed gradient.
    public func applyUpdate() {
        step += 1
        Adam.update(params: model.params.base, grad: gradient.base, m: m.base, v: v.base,
                    count: shape.parameterCount, step: step, learningRate: settings.learningRate,
                    beta1: settings.beta1, beta2: settings.beta2, epsilon: settings.epsilon)
    }

    /// One training step on a batch (dropout on): gradient, then Adam. Returns the batch objective
    /// before the update (see `computeGradient`).
    @discardableResult
    public func trainBatch(codes: UnsafeBufferPointer<UInt8>, labels: UnsafeBufferPointer<Float>,
                           weights: UnsafeBufferPointer<Float>?, count: Int) -> Double {
        let loss = computeGradient(codes: codes, labels: labels, weights: weights, count: count, training: true)
        applyUpdate()
        return loss
    }

    /// `trainBatch` on arrays.
    @discardableResult
    public func trainBatch(codes: [UInt8], labels: [Float], weights: [Float]? = nil, count: Int) -> Double {
        codes.withUnsafeBufferPointer { c in labels.withUnsafeBufferPointer { l in
            if let weights { return weights.withUnsafeBufferPointer { trainBatch(codes: c, labels: l, weights: $0, count: count) } }
            return trainBatch(codes: c, labels: l, weights: nil, count: count)
        } }
    }

    /// The order in which epoch `epoch` visits the `count` training sequences (a seeded shuffle).
    public func epochOrder(epoch: Int, count: Int) -> [Int] {
        var order = Array(0..<count)
        var r = RandomSource(seed: seed ^ 0x7368_7566_666C_6521).split(UInt64(epoch))
        r.shuffle(&order)
        return order
    }

    /// One epoch: shuffles the sequences from the seed, trains on batches of `batchSize` (the last
    /// one smaller), calls `progress(batchesDone, batches, meanLossSoFar, sequencesDone)` after each
    /// batch, and returns the mean batch objective (weighted by batch size). codes [count][L],
    /// labels [count][tasks], weights nil / [count] / [count][tasks]. Throws, before updating the
    /// model, when a batch's loss is NaN or infinite ("epoch E, batch B": both 1-based).
    /// `logits` ([count][tasks], sequences in input order), when given, receives each sequence's
    /// logits from the epoch's own forward pass (dropout on, before its batch's update): the
    /// training metrics as Keras reports them, without a second pass over the training set.
    @discardableResult
    public func trainEpoch(codes: [UInt8], labels: [Float], weights: [Float]? = nil, count: Int, epoch: Int,
                           batchSize: Int = 128, logits: UnsafeMutablePointer<Float>? = nil,
                           progress: ((Int, Int, Double, Int) -> Void)? = nil) throws -> Double {
        let L = model.architecture.seqLength, T = shape.tasks
        let order = epochOrder(epoch: epoch, count: count)
        let perSequence = weights.map { $0.count < count * T } ?? false
        let wStride = perSequence ? 1 : T
        var bc = [UInt8](repeating: 0, count: batchSize * L)
        var bl = [Float](repeating: 0, count: batchSize * T)
        var bw = [Float](repeating: 0, count: batchSize * wStride)
        var batchLogits = [Float](repeating: 0, count: logits == nil ? 0 : batchSize * T)
        let batches = (count + batchSize - 1) / batchSize
        var total = 0.0, seen = 0
        for b in 0..<batches {
            let start = b * batchSize, n = min(batchSize, count - start)
            for j in 0..<n {
                let src = order[start + j]
                codes.withUnsafeBufferPointer { c in
                    bc.withUnsafeMutableBufferPointer { d in
                        d.baseAddress!.advanced(by: j * L).update(from: c.baseAddress!.advanced(by: src * L), count: L)
                    }
                }
                for k in 0..<T { bl[j * T + k] = labels[src * T + k] }
                if let weights { for k in 0..<wStride { bw[j * wStride + k] = weights[src * wStride + k] } }
            }
            let loss = bc.withUnsafeBufferPointer { c in bl.withUnsafeBufferPointer { l in
                bw.withUnsafeBufferPointer { w in
                    batchLogits.withUnsafeMutableBufferPointer { z in
                        computeGradient(codes: c, labels: l, weights: weights == nil ? nil : UnsafeBufferPointer(rebasing: w[0..<(n * wStride)]),
                                        count: n, training: true, logitsOut: logits == nil ? nil : z.baseAddress)
                    }
                }
            } }
            if let logits {
                for j in 0..<n { for k in 0..<T { logits[order[start + j] * T + k] = batchLogits[j * T + k] } }
            }
            guard loss.isFinite else {
                throw DragonnError("training loss became \(loss) at epoch \(epoch + 1), batch \(b + 1) of \(batches); the model before this batch is kept")
            }
            applyUpdate()
            total += loss * Double(n)
            seen += n
            progress?(b + 1, batches, total / Double(seen), seen)
        }
        return seen > 0 ? total / Double(seen) : 0
    }
}
