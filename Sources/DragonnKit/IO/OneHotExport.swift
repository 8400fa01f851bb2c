import Foundation

/// Writes sequences as a one-hot `.npy` (`[N,4,L]` or `[N,L,4]`, uint8 or float32), with optional
/// labels `.npy` (`[N,T]` float32) and names file, streaming batch by batch: memory stays bounded
/// whatever N is. Outputs appear only when everything succeeded (temp files renamed at the end).
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

    /// Reads every batch of `reader` and writes the outputs.
    @discardableResult
    public func run(_ reader: SequenceBatchReader) throws -> Summary {
        precondition(dtype == .uint8 || dtype == .float32, "one-hot dtype must be uint8 or float32")
        if [labelsOutput, namesOutput].contains(where: { $0 == "-" }) && output == "-" {
            throw DragonnError("only one output can go to stdout ('-')")
        }
        let outputs = OutputDestinations()
        let mainTmp = outputs.path(for: output)
        // Names go through OutputFile (plain or BGZF) into their own temporary.
        let names = try namesOutput.map { try OutputFile(path: outputs.path(for: $0), bgzf: $0.hasSuffix(".gz")) }
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
                writer = try NpyWriter(path: mainTmp, dtype: dtype, rowShape: layout == .ncl ? [4, L] : [L, 4])
                row = [UInt8](repeating: 0, count: 4 * L * dtype.size)
                rcCodes = [UInt8](repeating: 0, count: L)
                if let lo = labelsOutput {
                    guard batch.labels != nil else {
                        throw DragonnError(file: reader.path, "no labels to write: the input has no labels= tags and no labels table was given")
                    }
                    labelWriter = try NpyWriter(path: outputs.path(for: lo), dtype: .float32, rowShape: [T])
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
        try writer.finish()
        try labelWriter?.finish()
        try names?.commit()
        // Everything is written: move into place.
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

/// Where finished outputs go: each output is first written to a temporary path, and `commit()`
/// renames it into place (a regular file) or copies it out (`-` = stdout, or an existing special
/// file such as /dev/null or a FIFO, which must never be replaced). Uncommitted temporaries are
/// removed.
final class OutputDestinations {
    private var pending: [(tmp: String, final: String)] = []

    /// A temporary path to write `final`'s content to.
    func path(for final: String) -> String {
        let tmp: String
        if Self.isStream(final) {
            let dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
            tmp = AtomicFile.temporaryPath(for: dir + "/dragonn-output")
        } else {
            tmp = AtomicFile.temporaryPath(for: final)
        }
        pending.append((tmp, final))
        return tmp
    }

    /// True for stdout and for existing paths that are not regular files.
    static func isStream(_ path: String) -> Bool {
        if path == "-" { return true }
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG
    }

    /// Moves every temporary into place, in the order they were asked for.
    func commit() throws {
        for (tmp, final) in pending {
            if Self.isStream(final) {
                try copy(tmp, to: final)
                unlink(tmp)
            } else if rename(tmp, final) != 0 {
                throw DragonnError(file: final, "cannot write: \(String(cString: strerror(errno)))")
            }
        }
        pending.removeAll()
    }

    private func copy(_ source: String, to final: String) throws {
        guard let input = fopen(source, "rb") else { throw DragonnError(file: source, "cannot reopen a temporary file") }
        defer { fclose(input) }
        let fd = final == "-" ? 1 : open(final, O_WRONLY)
        guard fd >= 0 else { throw DragonnError(file: final, "cannot write: \(String(cString: strerror(errno)))") }
        defer { if fd > 2 { close(fd) } }
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = fread(&chunk, 1, chunk.count, input)
            if n == 0 { break }
            var done = 0
            while done < n {
                let w = chunk.withUnsafeBytes { write(fd, $0.baseAddress! + done, n - done) }
                if w < 0 {
                    if errno == EINTR { continue }
                    if errno == EPIPE && final == "-" { exit(0) }  // reader went away (`| head`)
                    throw DragonnError(file: final, "write failed: \(String(cString: strerror(errno)))")
                }
                done += w
            }
        }
    }

    deinit { for p in pending { unlink(p.tmp) } }
}
