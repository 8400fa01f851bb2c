/// Reads sequences in batches of at most K, so a tool can go through any number of them in
/// bounded memory. Sources: FASTA/FASTQ (plain, gzip, BGZF, stdin), one-hot `.npy`, BED regions
/// of a genome, or a positive and a negative FASTA file. Every batch has the same length and
/// tasks; the first batch fixes them. `SequenceInput` decides which source a tool reads.
public final class SequenceBatchReader {
    /// The input path (errors name it): the file being read (of a pair, the current one).
    public private(set) var path: String
    /// Sequence length, known once the first batch is read (or from `fixedLength`/the `.npy` shape).
    public private(set) var length: Int?
    /// Task names, known once the first batch is read (empty without labels).
    public private(set) var taskNames: [String] = []
    /// Whether sequences carry labels; nil until the first sequence is read.
    public private(set) var hasLabels: Bool?
    /// Sequences returned so far.
    public private(set) var sequencesRead = 0
    /// The genome's chromosomes in its index order, when reading regions (the order of tracks).
    public private(set) var chromosomeOrder: [String]?

    private enum Source {
        case text(SequenceReader)
        case regions(BEDReader, Genome, Int?)
        case npy(NpyReader, OneHotLayout, [Float]?, LineReader?)
        /// Files read one after the other, every sequence of file k labelled `labels[k]`.
        case files([SequenceReader], labels: [Float])
    }
    /// The file of `.files` being read.
    private var current = 0
    private let source: Source
    private let labelTable: LabelTable?
    private let fixedLength: FixedLength?
    private var scratch: [UInt8] = []

    /// Batches from a FASTA/FASTQ file; see `SequenceSet.load(fasta:labelsPath:fixedLength:)`.
    public init(fasta path: String, labelsPath: String? = nil, fixedLength: FixedLength? = nil) throws {
        if let f = fixedLength, f.length <= 0 { throw DragonnError("length must be positive, not \(f.length)") }
        self.path = path
        labelTable = try labelsPath.map { try LabelTable(path: $0) }
        source = .text(try SequenceReader(path: path))
        self.fixedLength = fixedLength
        length = fixedLength?.length
        if let t = labelTable { taskNames = t.taskNames; hasLabels = true }
    }

    /// Batches of the regions of a BED file from a genome; see `SequenceSet.load(regions:genome:length:labelsPath:)`.
    public init(regions bedPath: String, genome genomePath: String, length: Int? = nil,
                labelsPath: String? = nil) throws {
        if let l = length, l <= 0 { throw DragonnError("length must be positive, not \(l)") }
        path = bedPath
        labelTable = try labelsPath.map { try LabelTable(path: $0) }
        let genome = try Genome(path: genomePath)
        chromosomeOrder = genome.chromosomes
        source = .regions(try BEDReader(path: bedPath), genome, length)
        fixedLength = nil
        self.length = length
        if let t = labelTable { taskNames = t.taskNames; hasLabels = true }
    }

    /// Batches of DragoNN's positive and negative FASTA files: one task (`task0`), label 1 for
    /// every sequence of `positives`, 0 for every sequence of `negatives` (tags are ignored).
    public init(positives: String, negatives: String, fixedLength: FixedLength? = nil) throws {
        if let f = fixedLength, f.length <= 0 { throw DragonnError("length must be positive, not \(f.length)") }
        path = positives
        source = .files([try SequenceReader(path: positives), try SequenceReader(path: negatives)], labels: [1, 0])
        labelTable = nil
        self.fixedLength = fixedLength
        length = fixedLength?.length
        taskNames = defaultTaskNames(1)
        hasLabels = true
    }

    /// Batches of a one-hot `.npy`; see `SequenceSet.load(npy:layout:labelsPath:namesPath:)`.
    /// The layout is taken from the shape (`[N,4,L]` → ncl, `[N,L,4]` → nlc) unless given.
    public init(npy path: String, layout: OneHotLayout? = nil, labelsPath: String? = nil,
                namesPath: String? = nil) throws {
        self.path = path
        let reader = try NpyReader(path: path)
        let shape = reader.header.shape
        guard shape.count == 3, shape[1] == 4 || shape[2] == 4 else {
            throw DragonnError(file: path, "expected a one-hot array of shape [N, 4, L] or [N, L, 4], found \(shape)")
        }
        guard reader.header.dtype == .uint8 || reader.header.dtype == .float32 else {
            throw DragonnError(file: path, "one-hot arrays must be uint8 or float32, not \(reader.header.dtype.rawValue)")
        }
        let chosen = layout ?? (shape[1] == 4 ? .ncl : .nlc)
        if chosen == .ncl && shape[1] != 4 || chosen == .nlc && shape[2] != 4 {
            throw DragonnError(file: path, "shape \(shape) does not match layout \(chosen.rawValue)")
        }
        length = chosen == .ncl ? shape[2] : shape[1]
        // A zero-length axis holds no data, so the size check passes whatever N declares; refuse
        // it rather than yield N empty sequences.
        guard length! > 0 else {
            throw DragonnError(file: path, "one-hot array of shape \(shape) holds sequences of length 0")
        }
        var labels: [Float]?
        if let lp = labelsPath {
            let (lshape, values) = try readNpyFloat(path: lp)
            guard (lshape.count == 1 || lshape.count == 2 && lshape[1] > 0), lshape[0] == shape[0] else {
                throw DragonnError(file: lp, "labels must have shape [N] or [N, T] with N = \(shape[0]) (as in \(path)), found \(lshape)")
            }
            if let bad = values.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                throw DragonnError(file: lp, "label \(values[bad]) at flat index \(bad) is not 0 or 1")
            }
            labels = values
            taskNames = defaultTaskNames(lshape.count == 1 ? 1 : lshape[1])
            hasLabels = true
        } else {
            hasLabels = false
        }
        source = .npy(reader, chosen, labels, try namesPath.map { try LineReader(path: $0) })
        labelTable = nil
        fixedLength = nil
    }

    /// Reads every remaining sequence into one set.
    public func readAll() throws -> SequenceSet {
        var all: SequenceSet?
        while let batch = try next(maxCount: 1 << 16) {
            if all == nil { all = batch } else { all!.append(batch) }
        }
        return all ?? SequenceSet(length: length ?? 0, taskNames: taskNames, hasLabels: hasLabels ?? false)
    }

    /// The next batch of at most `maxCount` sequences, or nil when the input is exhausted.
    public func next(maxCount: Int) throws -> SequenceSet? {
        precondition(maxCount > 0)
        switch source {
        case .npy(let reader, let layout, let labels, let names):
            return try nextNpy(reader, layout, labels, names, maxCount)
        case .text(let reader):
            var batch: Batch?
            while (batch?.names.count ?? 0) < maxCount, try reader.advance() {
                let tags = labelTable == nil ? try labelsTag(in: reader.comment, file: path, line: reader.recordLine) : nil
                try add(name: reader.name, bases: reader.sequence, tags: tags, fallbackKey: nil,
                        region: GenomicRegion(name: reader.name), line: reader.recordLine, to: &batch)
            }
            return batch.map(finish)
        case .files(let readers, let labels):
            var batch: Batch?
            while (batch?.names.count ?? 0) < maxCount, current < readers.count {
                let reader = readers[current]
                path = reader.path
                guard try reader.advance() else { current += 1; continue }
                try add(name: reader.name, bases: reader.sequence, tags: [labels[current]], fallbackKey: nil,
                        region: GenomicRegion(name: reader.name), line: reader.recordLine, to: &batch)
            }
            return batch.map(finish)
        case .regions(let bed, let genome, let regionLength):
            var batch: Batch?
            while (batch?.names.count ?? 0) < maxCount, let record = try bed.next() {
                let region = regionLength.map { record.region.recentred(length: $0) } ?? record.region
                if let problem = genome.problem(with: region) {
                    throw DragonnError(file: path, line: record.line, problem)
                }
                if region.length == 0 {
                    throw DragonnError(file: path, line: record.line, "region \(region) is empty (give a length to recentre it)")
                }
                try genome.fetch(region) { bases in
                    try add(name: region.description, bases: bases, tags: nil, fallbackKey: record.name,
                            region: region, line: record.line, to: &batch)
                }
            }
            return batch.map(finish)
        }
    }

    // MARK: text and regions

    private struct Batch {
        var names: [String] = []
        var codes: [UInt8] = []
        var labels: [Float] = []
        var regions: [GenomicRegion?] = []
    }

    private func finish(_ b: Batch) -> SequenceSet {
        sequencesRead += b.names.count
        return SequenceSet(names: b.names, length: length!, codes: b.codes,
                           labels: hasLabels == true ? b.labels : nil, taskNames: taskNames, regions: b.regions)
    }

    private func add(name: String, bases: UnsafeBufferPointer<UInt8>, tags: [Float]?, fallbackKey: String?,
                     region: GenomicRegion?, line: Int, to batch: inout Batch?) throws {
        // Labels.
        var labels: [Float]?
        if let table = labelTable {
            guard let l = table.labels(for: name) ?? fallbackKey.flatMap({ table.labels(for: $0) }) else {
                throw DragonnError(file: table.path, "no labels for sequence '\(name)' (\(path == "-" ? "<stdin>" : path) line \(line))")
            }
            labels = l
        } else {
            switch (hasLabels, tags) {
            case (nil, let t?): hasLabels = true; taskNames = defaultTaskNames(t.count); labels = t
            case (nil, nil): hasLabels = false
            case (true?, let t?):
                guard t.count == taskNames.count else {
                    throw DragonnError(file: path, line: line, "record '\(name)' has \(t.count) labels, earlier records have \(taskNames.count)")
                }
                labels = t
            case (true?, nil):
                throw DragonnError(file: path, line: line, "record '\(name)' has no labels= tag but earlier records do")
            case (false?, .some):
                throw DragonnError(file: path, line: line, "record '\(name)' has a labels= tag but the first record has none")
            case (false?, nil): break
            }
        }
        // Length: trim or pad to the fixed length, or check against the first sequence.
        let n = bases.count
        var offset = 0, padLeft = 0
        let L: Int
        if let f = fixedLength {
            L = f.length
            if n > L {
                offset = f.trim == .center ? (n - L) / 2 : 0
            } else if n < L {
                guard f.pad else {
                    throw DragonnError(file: path, line: line, "record '\(name)' has \(n) bases, fewer than the length \(L) (pad it, or pick a shorter length)")
                }
                padLeft = f.trim == .center ? (L - n) / 2 : 0
            }
        } else {
            if length == nil { length = n }
            L = length!
            guard n == L else {
                throw DragonnError(file: path, line: line, "sequence '\(name)' has \(n) bases, the first has \(L) (sequences must have equal lengths; set a length to trim or pad)")
            }
        }
        if batch == nil { batch = Batch() }
        batch!.names.append(name)
        // Encode into a scratch row (padding stays code 4), then one contiguous append.
        if scratch.count != L { scratch = [UInt8](repeating: unknownBaseCode, count: L) }
        let take = min(n - offset, L - padLeft)
        scratch.withUnsafeMutableBufferPointer { row in
            if take < L { row.update(repeating: unknownBaseCode) }
            encodeBases(UnsafeBufferPointer(rebasing: bases[offset..<(offset + take)]), into: row.baseAddress! + padLeft)
        }
        batch!.codes.append(contentsOf: scratch)
        if let labels { batch!.labels += labels }
        var r: GenomicRegion?
        if let region, region.length == n {
            let start = region.start + offset - padLeft
            if start >= 0 { r = GenomicRegion(chrom: region.chrom, start: start, end: start + L) }
        }
        batch!.regions.append(r)
    }

    // MARK: npy

    private func nextNpy(_ reader: NpyReader, _ layout: OneHotLayout, _ labels: [Float]?,
                         _ names: LineReader?, _ maxCount: Int) throws -> SequenceSet? {
        let L = length!
        let rows = min(maxCount, reader.rowCount - reader.rowsRead)
        guard rows > 0 else { return nil }
        let first = reader.rowsRead
        if scratch.count < rows * reader.rowBytes { scratch = [UInt8](repeating: 0, count: rows * reader.rowBytes) }
        _ = try scratch.withUnsafeMutableBytes { try reader.read(maxRows: rows, into: $0.baseAddress!) }
        var codes = [UInt8](repeating: unknownBaseCode, count: rows * L)
        let isFloat = reader.header.dtype == .float32
        try scratch.withUnsafeBytes { raw in
            for s in 0..<rows {
                for i in 0..<L {
                    var code = unknownBaseCode
                    for c in 0..<4 {
                        let index = s * 4 * L + (layout == .ncl ? c * L + i : 4 * i + c)
                        let v: Float = isFloat
                            ? Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
                            : Float(raw[index])
                        if v == 0 { continue }
                        guard v == 1, code == unknownBaseCode else {
                            throw DragonnError(file: path, "sequence \(first + s), position \(i) is not one-hot (values must be 0/1 with at most one 1 per position)")
                        }
                        code = UInt8(c)
                    }
                    codes[s * L + i] = code
                }
            }
        }
        var batchNames: [String] = []
        batchNames.reserveCapacity(rows)
        for s in 0..<rows {
            if let names {
                guard let n = try names.next(), !n.isEmpty else {
                    throw DragonnError(file: names.path, line: names.lineNumber, "fewer names than the \(reader.rowCount) sequences of \(path)")
                }
                batchNames.append(n)
            } else {
                batchNames.append("seq\(first + s)")
            }
        }
        let T = taskNames.count
        sequencesRead += rows
        return SequenceSet(names: batchNames, length: L, codes: codes,
                           labels: labels.map { Array($0[(first * T)..<((first + rows) * T)]) },
                           taskNames: taskNames, regions: batchNames.map { GenomicRegion(name: $0).flatMap { $0.length == L ? $0 : nil } })
    }
}
