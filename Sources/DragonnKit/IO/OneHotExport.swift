import Foundation

/// Writes sequences as a one-hot `.npy` (`[N,4,L]` or `[N,L,4]`, uint8 or float32), with optional
/// labels `.npy` (`[N,T]` float32) and names file, streaming batch by batch: memory stays bounded
/// whatever N is. The outputs are one transaction: they appear only when everything succeeded.
public struct OneHotExport {
    public var output: String
    public var layout: OneHotLayout = .ncl
    public var dtype: NpyDType = .uint8
    public var labelsOutput: String?
    public var namesOutput: String?
    /// Append the reverse complement of every sequence after all forward ones (names get `_rc`).
    public var reverseComplement = false
    /// Sequences per batch.
    public var batchSize = 4096

    public init(output: String) { self.output = output }

    /// What was written.
    public struct Summary: Equatable, Sendable {
        public var sequences: Int
        public var length: Int
        public var tasks: Int
    }

    /// Reads every sequence of `input` and writes the outputs (none of which may be an input).
    @discardableResult
    public func run(_ input: SequenceInput) throws -> Summary {
        precondition(dtype == .uint8 || dtype == .float32, "one-hot dtype must be uint8 or float32")
        let outputs = try OutputTransaction(inputs: input.paths, outputs: [output, labelsOutput, namesOutput].compactMap { $0 })
        let reader = try input.reader()
        let names = try namesOutput.map { try outputs.open($0) }
        var writer: NpyWriter?
        var labelWriter: NpyWriter?
        let rcRows = reverseComplement ? try Spool(label: "reverse complement") : nil
        let rcNames = reverseComplement && namesOutput != nil ? try Spool(label: "names") : nil
        let rcLabels = reverseComplement && labelsOutput != nil ? try Spool(label: "labels") : nil
        var L = 0, T = 0, count = 0
        var row = [UInt8]()
        var rcCodes = [UInt8]()

        while let batch = try reader.next(maxCount: batchSize) {
            if writer == nil {
                L = batch.length
                T = batch.taskCount
                writer = try outputs.openNpy(output, dtype: dtype, rowShape: layout == .ncl ? [4, L] : [L, 4])
                row = [UInt8](repeating: 0, count: 4 * L * dtype.size)
                rcCodes = [UInt8](repeating: 0, count: L)
                if let lo = labelsOutput {
                    guard batch.labels != nil else {
                        throw DragonnError(file: reader.path, "no labels to write: the input has no labels= tags and no labels table was given")
                    }
                    labelWriter = try outputs.openNpy(lo, dtype: .float32, rowShape: [T])
                }
            }
            try batch.codes.withUnsafeBufferPointer { codes in
                for i in 0..<batch.count {
                    let seq = UnsafeBufferPointer(rebasing: codes[(i * L)..<((i + 1) * L)])
                    if row.count <= writer!.bufferCapacity {
                        // Straight into the writer's buffer: no intermediate copy.
                        try writer!.withSpace(row.count) { encodeRow(seq, into: $0) }
                    } else {
                        try row.withUnsafeMutableBytes { encodeRow(seq, into: $0.baseAddress!); try writer!.append(UnsafeRawBufferPointer($0)) }
                    }
                    if let rcRows {
                        rcCodes.withUnsafeMutableBufferPointer { reverseComplementCodes(seq, into: $0.baseAddress!) }
                        try rcCodes.withUnsafeBufferPointer { rc in
                            try row.withUnsafeMutableBytes { encodeRow(rc, into: $0.baseAddress!); try rcRows.write(UnsafeRawBufferPointer($0)) }
                        }
                    }
                }
            }
            writer!.addRows(batch.count)
            count += batch.count
            if let names {
                var text = batch.names.joined(separator: "\n")
                text += "\n"
                try names.write(text)
                if let rcNames {
                    var rc = batch.names.joined(separator: "_rc\n")
                    rc += "_rc\n"
                    try rc.withUTF8 { try rcNames.write(UnsafeRawBufferPointer($0)) }
                }
            }
            if let labelWriter, let labels = batch.labels {
                try labels.withUnsafeBytes { try labelWriter.append($0) }
                labelWriter.addRows(batch.count)
                if let rcLabels { try labels.withUnsafeBytes { try rcLabels.write($0) } }
            }
        }
        guard let writer else {
            throw DragonnError(file: reader.path, "no sequences in the input")
        }
        // Reverse complements go after all forward sequences (DragoNN's augmentation order).
        if let rcRows {
            try rcRows.replay { try writer.append($0) }
            writer.addRows(count)
            if let names, let rcNames { try rcNames.replay { try names.write($0) } }
            if let labelWriter, let rcLabels {
                try rcLabels.replay { try labelWriter.append($0) }
                labelWriter.addRows(count)
            }
        }
        try outputs.commit()
        return Summary(sequences: reverseComplement ? 2 * count : count, length: L, tasks: T)
    }

    /// One sequence's one-hot row in the chosen layout and dtype, written at `out`.
    @inline(__always)
    private func encodeRow(_ codes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawPointer) {
        if dtype == .uint8 {
            oneHot(codes, layout: layout, into: out.assumingMemoryBound(to: UInt8.self))
        } else {
            oneHot(codes, layout: layout, into: out.assumingMemoryBound(to: Float.self))
        }
    }
}
