/// Per-base attributions `[sequence][task][base][position]` of `count` sequences (base codes of
/// `model`'s length each, row-major), split across `threads` in contiguous chunks by the engine's
/// `parallelChunks`: each thread makes one `worker` and calls `attribute(worker, s, sequence s,
/// its output [task][base][position])` for its sequences, so results do not depend on `threads`.
func attributeSequences<Worker>(model: SequenceDNN, codes: [UInt8], count: Int, tasks: Int, threads: Int,
                                worker: () -> Worker,
                                _ attribute: (Worker, Int, UnsafePointer<UInt8>, UnsafeMutablePointer<Float>) -> Void)
    -> [Float] {
    let length = model.architecture.seqLength
    precondition(codes.count == count * length, "\(codes.count) codes for \(count) sequences of \(length)")
    guard count > 0 else { return [] }
    let perSequence = tasks * 4 * length
    var result = [Float](repeating: 0, count: count * perSequence)
    result.withUnsafeMutableBufferPointer { out in
        codes.withUnsafeBufferPointer { all in
            let outBase = out.baseAddress!, codesBase = all.baseAddress!
            parallelChunks(count: count, threads: threads) { _, sequences in
                let w = worker()
                for s in sequences { attribute(w, s, codesBase + s * length, outBase + s * perSequence) }
            }
        }
    }
    return result
}
