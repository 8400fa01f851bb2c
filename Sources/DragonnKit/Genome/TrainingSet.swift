import Foundation

/// How negative windows are chosen (see `TrainingSetSpec`).
public enum NegativeKind: String, CaseIterable, Sendable {
    /// Windows sampled uniformly from the split's chromosomes, outside every peak and the
    /// blacklist, free of N, accepted so that their GC histogram matches the positives'.
    case gcMatched = "gc-matched"
    /// Windows beside the positives (1 to 4 window lengths away, either side), outside every
    /// peak and the blacklist, free of N.
    case flank
    /// Dinucleotide shuffles of the positives (same GC and dinucleotide counts).
    case shuffle
}

/// Settings of a training set built from peaks (dragonn-encode --peaks).
///
/// Positives: one window of `length` bp per peak, centred on its summit (start = summit −
/// length/2); windows that fall off a chromosome end or touch the blacklist are dropped and
/// counted; windows at the same place are one. Label rule: a window is positive for a task
/// when a summit of that task lies in the window's central `centerBP` bp (from
/// start + length/2 − centerBP/2, `centerBP` long). Negatives overlap no peak of any task and
/// are labelled 0 for every task. Splits: chromosomes of `validChroms` and `testChroms` go to
/// valid and test, all others to train, so no window is shared or overlaps across splits.
public struct TrainingSetSpec: Sendable {
    public var genome: String
    /// `[TASK=]FILE` per task.
    public var peaks: [String]
    public var length = 1000
    public var centerBP = 200
    public var negatives = NegativeKind.gcMatched
    /// Negatives per positive (per split).
    public var negRatio = 1.0
    public var exclude: String?
    public var validChroms: [String] = []
    public var testChroms: [String] = []
    public var skipMissing = false
    public var seed: UInt64 = 1
    /// Outputs are PREFIX.SPLIT.fa.gz (and PREFIX.SPLIT.npy, PREFIX.SPLIT.labels.npy with `npy`).
    public var prefix: String
    public var npy = false
    /// GC bins of the histogram matching (width 1/gcBins).
    public var gcBins = 50
    /// Genomes up to this many bases are held between the passes and read ahead in the
    /// background; larger ones are read twice (tests lower it to check both paths give one result).
    var keepLimit = ChromosomeSource.keepLimit

    /// Settings with the defaults above.
    public init(genome: String, peaks: [String], prefix: String) {
        self.genome = genome; self.peaks = peaks; self.prefix = prefix
    }

    /// The split names, in output order.
    public static let splitNames = ["train", "valid", "test"]

    /// Indices of the splits written: train always, valid and test when chromosomes are listed.
    public var splits: [Int] { [0] + (validChroms.isEmpty ? [] : [1]) + (testChroms.isEmpty ? [] : [2]) }

    /// Every output path.
    public var outputPaths: [String] {
        splits.flatMap { s -> [String] in
            let base = "\(prefix).\(Self.splitNames[s])"
            return [base + ".fa.gz"] + (npy ? [base + ".npy", base + ".labels.npy"] : [])
        }
    }

    /// Throws a one-line message for settings that cannot work.
    public func validate() throws {
        guard !peaks.isEmpty else { throw DragonnError("--peaks: give at least one peaks file") }
        guard length >= 1 else { throw DragonnError("--length must be positive (got \(length))") }
        guard (1...length).contains(centerBP) else { throw DragonnError("--center-bp must be in 1...\(length) (got \(centerBP))") }
        guard negRatio.isFinite, negRatio >= 0 else { throw DragonnError("--neg-ratio must be a non-negative number") }
        guard !prefix.isEmpty else { throw DragonnError("--split-prefix must not be empty") }
        if let both = validChroms.first(where: { testChroms.contains($0) }) {
            throw DragonnError("chromosome \(both) is in both --valid-chroms and --test-chroms: a window must belong to one split")
        }
        for list in [validChroms, testChroms] where Set(list).count != list.count {
            throw DragonnError("a chromosome is listed twice in --valid-chroms or --test-chroms")
        }
    }
}

/// Counts of one written training set.
public struct TrainingSetSummary: Sendable, Equatable {
    public var taskNames: [String] = []
    /// Per split (train, valid, test): positive windows, negative windows, positives per task.
    public var positives = [0, 0, 0]
    public var negatives = [0, 0, 0]
    public var perTask: [[Int]] = [[], [], []]
    /// Mean GC (of A/C/G/T bases) of positive and negative windows.
    public var meanGCPositives = 0.0
    public var meanGCNegatives = 0.0
    /// Peaks whose window falls off a chromosome end, touches the blacklist, or lies on a
    /// chromosome missing from the genome (with skip-missing).
    public var offEnd = 0
    public var excluded = 0
    public var skippedMissing = 0
    /// Negatives that could not be found (too little free genome), and gc-matched negatives
    /// taken from a neighbouring GC bin.
    public var negativesShort = 0
    public var neighbourBins = 0
}

/// Builds labelled windows from peak files and writes them per split (see `TrainingSetSpec`).
///
/// The genome is read chromosome by chromosome through its faidx index: once to measure the
/// positives and the negative candidates (GC, N), once to write. Genomes up to
/// `ChromosomeSource.keepLimit` bases are held between the passes and read on a background
/// thread while the peaks are parsed and the candidates drawn; larger ones are read twice, one
/// chromosome in memory at a time. Memory also holds the window coordinates.
public enum TrainingSetJob {
    /// Writes the training set of `spec`; all outputs appear together or none. Returns the
    /// summary (and prints its line to stderr unless `quiet`).
    @discardableResult
    public static func run(_ spec: TrainingSetSpec, quiet: Bool = false) throws -> TrainingSetSummary {
        try spec.validate()
        let L = spec.length
        let taskArgs = spec.peaks.map(TaskPeaks.parseArgument)
        var seenTasks = Set<String>()
        for t in taskArgs where !seenTasks.insert(t.task).inserted {
            throw DragonnError("--peaks: task '\(t.task)' is named twice (name them with TASK=FILE)")
        }
        let inputs = [spec.genome, spec.genome + ".fai", spec.genome + ".gzi"] + taskArgs.map(\.path) + [spec.exclude].compactMap { $0 }
        let outputs = try OutputTransaction(inputs: inputs, outputs: spec.outputPaths)
        let genome = try Genome(path: spec.genome)
        let names = genome.chromosomes
        let lengths = names.map { genome.length(of: $0) ?? 0 }
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() { index[n] = i }
        var splitOf = [Int](repeating: 0, count: names.count)
        for (s, option, list) in [(1, "--valid-chroms", spec.validChroms), (2, "--test-chroms", spec.testChroms)] {
            for c in list {
                guard let i = index[c] else { throw DragonnError("\(option): chromosome '\(c)' is not in the genome \(spec.genome)") }
                splitOf[i] = s
            }
        }
        // Both passes read the same chromosomes: small genomes stay in memory between them, and
        // are read in the background meanwhile. Gc-matched negatives come from every chromosome
        // a window fits on, so their reading starts now, before the peaks are parsed.
        let chromosomes = ChromosomeSource(genome: genome, names: names, lengths: lengths,
                                           keep: lengths.reduce(0, +) <= spec.keepLimit)
        defer { chromosomes.cancel() }
        if spec.negatives == .gcMatched { chromosomes.readAhead(names.indices.filter { lengths[$0] >= L }) }
        let peaks = try taskArgs.map {
            try TaskPeaks(task: $0.task, path: $0.path, index: index, lengths: lengths, skipMissing: spec.skipMissing)
        }
        let T = peaks.count
        var summary = TrainingSetSummary()
        summary.taskNames = peaks.map(\.name)
        summary.perTask = [[Int]](repeating: [Int](repeating: 0, count: T), count: 3)
        summary.skippedMissing = peaks.reduce(0) { $0 + $1.skipped }

        let peakSets = names.indices.map { c in IntervalSet(peaks.flatMap { $0.intervals[c] }) }
        let blacklist = try readBlacklist(spec.exclude, index: index, count: names.count)

        // Positive windows: per chromosome, sorted, distinct; labels by the centre rule.
        var positives = [[Int]](repeating: [], count: names.count)
        for p in peaks {
            for c in names.indices {
                for summit in p.summits[c] {
                    let start = summit - L / 2
                    if start < 0 || start + L > lengths[c] { summary.offEnd += 1; continue }
                    if blacklist[c].overlaps(start, start + L) { summary.excluded += 1; continue }
                    positives[c].append(start)
                }
            }
        }
        var labels = [[UInt8]](repeating: [], count: names.count)
        for c in names.indices where !positives[c].isEmpty {
            positives[c].sort()
            positives[c] = positives[c].enumerated().filter { $0.offset == 0 || positives[c][$0.offset - 1] != $0.element }.map(\.element)
            labels[c].reserveCapacity(positives[c].count * T)
            for start in positives[c] {
                let lo = start + L / 2 - spec.centerBP / 2
                for p in peaks { labels[c].append(p.hasSummit(chrom: c, in: lo, lo + spec.centerBP) ? 1 : 0) }
            }
        }
        let positiveCount = spec.splits.map { s in names.indices.filter { splitOf[$0] == s }.reduce(0) { $0 + positives[$1].count } }
        if positiveCount.reduce(0, +) == 0 {
            throw DragonnError(file: taskArgs[0].path, "no positive window: every peak's window falls off a chromosome end or touches the blacklist")
        }

        // The chromosomes the passes ask for: those with positives, and for gc-matched negatives
        // every one (a window fits on) of a split that has positives.
        let positiveSplits = Set(names.indices.filter { !positives[$0].isEmpty }.map { splitOf[$0] })
        let needed = names.indices.map { c in
            !positives[c].isEmpty || (spec.negatives == .gcMatched && spec.negRatio > 0 && lengths[c] >= L && positiveSplits.contains(splitOf[c]))
        }
        chromosomes.narrow(to: needed)
        chromosomes.readAhead(names.indices.filter { needed[$0] })
        var rng = RandomSource(seed: spec.seed)
        var negatives = [[Int]](repeating: [], count: names.count)
        // GC of the positives and the picked negatives from the first pass (the summary's means).
        var measuredGC: (positives: [[Double]], negatives: [[Double]])?
        switch spec.negatives {
        case .gcMatched, .flank:
            var sampler = NegativeSampler(spec: spec, lengths: lengths, splitOf: splitOf, peakSets: peakSets, blacklist: blacklist)
            if spec.negatives == .gcMatched {
                sampler.drawUniform(positives: positives, using: &rng)
            } else {
                sampler.drawFlanks(positives: positives, using: &rng)
            }
            let measured = try sampler.measure(genome: chromosomes, positives: positives)
            let picked = sampler.accept(positiveGC: measured, positives: positives)
            negatives = picked.negatives
            measuredGC = (measured, picked.gc)
            summary.negativesShort = picked.short
            summary.neighbourBins = picked.neighbour
        case .shuffle:
            break
        }

        try write(spec: spec, genome: chromosomes, names: names, splitOf: splitOf, positives: positives, labels: labels,
                  negatives: negatives, measuredGC: measuredGC, taskCount: T, outputs: outputs, summary: &summary)
        try outputs.commit()
        if !quiet { writeDiagnostic(summaryLine(summary, spec: spec) + "\n") }
        return summary
    }

    /// The one-line summary: counts per split and task, mean GC, dropped peaks.
    public static func summaryLine(_ s: TrainingSetSummary, spec: TrainingSetSpec) -> String {
        var parts: [String] = []
        for split in spec.splits {
            let tasks = zip(s.taskNames, s.perTask[split]).map { "\($0) \($1)" }.joined(separator: ", ")
            parts.append("\(TrainingSetSpec.splitNames[split]) \(s.positives[split] + s.negatives[split]) windows (\(s.positives[split]) positive: \(tasks); \(s.negatives[split]) negative)")
        }
        var line = "dragonn-encode: " + parts.joined(separator: "; ")
            + "; mean GC positives \(format(s.meanGCPositives)), negatives \(format(s.meanGCNegatives)) (\(spec.negatives.rawValue))"
        var dropped: [String] = []
        if s.offEnd > 0 { dropped.append("\(s.offEnd) peaks whose window falls off a chromosome end") }
        if s.excluded > 0 { dropped.append("\(s.excluded) in the blacklist") }
        if s.skippedMissing > 0 { dropped.append("\(s.skippedMissing) on chromosomes not in the genome") }
        if !dropped.isEmpty { line += "; dropped " + dropped.joined(separator: ", ") }
        if s.negativesShort > 0 { line += "; \(s.negativesShort) negatives not found (too little free genome)" }
        return line + " -> \(spec.prefix).{\(spec.splits.map { TrainingSetSpec.splitNames[$0] }.joined(separator: ","))}.fa.gz"
    }

    private static func format(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 1000
        return "\(v)"
    }

    private static func readBlacklist(_ path: String?, index: [String: Int], count: Int) throws -> [IntervalSet] {
        var intervals = [[(start: Int, end: Int)]](repeating: [], count: count)
        if let path {
            let reader = try BEDReader(path: path)
            while let r = try reader.next() {
                if let c = index[r.region.chrom] { intervals[c].append((r.region.start, r.region.end)) }
            }
        }
        return intervals.map(IntervalSet.init)
    }

    /// Second pass: each chromosome's windows in start order (positives, their shuffles, and
    /// negatives) to the FASTA of its split (and the .npy files).
    private static func write(spec: TrainingSetSpec, genome: ChromosomeSource, names: [String], splitOf: [Int],
                              positives: [[Int]], labels: [[UInt8]], negatives: [[Int]],
                              measuredGC: (positives: [[Double]], negatives: [[Double]])?, taskCount T: Int,
                              outputs: OutputTransaction, summary: inout TrainingSetSummary) throws {
        let L = spec.length
        var fasta: [FastaWriter?] = [nil, nil, nil]
        var npy: [(NpyWriter, NpyWriter)?] = [nil, nil, nil]
        for s in spec.splits {
            let base = "\(spec.prefix).\(TrainingSetSpec.splitNames[s])"
            // Level 1: DNA deflates ~50x faster than at the default level, ~15% larger.
            fasta[s] = FastaWriter(output: try outputs.open(base + ".fa.gz", level: 1, pipelined: true))
            if spec.npy {
                npy[s] = (try outputs.openNpy(base + ".npy", dtype: .uint8, rowShape: [4, L]),
                          try outputs.openNpy(base + ".labels.npy", dtype: .float32, rowShape: [T]))
            }
        }
        let zeros = [UInt8](repeating: 0, count: T)
        var codes = [UInt8](repeating: 0, count: L)
        var shuffled = [UInt8](repeating: 0, count: L)
        var gcSum = [0.0, 0.0], gcWindows = [0, 0]
        let letters: [UInt8] = Array("ACGTN".utf8)
        // Shuffles per positive: spread round(ratio × n) over the split's positives in order.
        var shuffleIndex = [0, 0, 0]

        // Headers `>CHROM:START-END[_shuffleN] labels=0,1,...` are formatted as bytes in `header`.
        var header = [UInt8](repeating: 0, count: 128 + names.map(\.utf8.count).max()! + 2 * T)
        let chromBytes = names.map { Array($0.utf8) }
        /// Writes `>CHROM:START-END` (and `_shuffleN` when `shuffle` > 0) into `header`; returns its length.
        func formatName(chrom c: Int, start: Int, shuffle: Int) -> Int {
            header.withUnsafeMutableBufferPointer { h in
                let p = h.baseAddress!
                p[0] = 62   // >
                var n = 1
                for b in chromBytes[c] { p[n] = b; n += 1 }
                p[n] = 58; n += 1   // :
                n += writeDecimal(start, to: p + n)
                p[n] = 45; n += 1   // -
                n += writeDecimal(start + L, to: p + n)
                if shuffle > 0 {
                    for b in "_shuffle".utf8 { p[n] = b; n += 1 }
                    n += writeDecimal(shuffle, to: p + n)
                }
                return n
            }
        }

        /// Writes one record whose name `formatName` put in `header[..<nameLength]`; `gc` is the
        /// window's GC fraction when the first pass measured it (-1: no A/C/G/T).
        func emit(split s: Int, nameLength: Int, labels row: ArraySlice<UInt8>, bases: UnsafeBufferPointer<UInt8>,
                  negative: Bool, gc measured: Double? = nil) throws {
            try header.withUnsafeMutableBufferPointer { h in
                let p = h.baseAddress!
                var n = nameLength
                for b in " labels=".utf8 { p[n] = b; n += 1 }
                for (t, v) in row.enumerated() {
                    if t > 0 { p[n] = 44; n += 1 }   // ,
                    p[n] = v == 1 ? 49 : 48; n += 1
                }
                p[n] = 10; n += 1
                try fasta[s]!.writeRecord(header: UnsafeRawBufferPointer(start: p, count: n), length: bases.count) { dest in
                    dest.update(from: bases.baseAddress!, count: bases.count)
                }
            }
            if let measured {
                if measured >= 0 { gcSum[negative ? 1 : 0] += measured; gcWindows[negative ? 1 : 0] += 1 }
            } else {
                let (gc, acgt) = gcCount(bases)
                if acgt > 0 { gcSum[negative ? 1 : 0] += Double(gc) / Double(acgt); gcWindows[negative ? 1 : 0] += 1 }
            }
            if negative { summary.negatives[s] += 1 } else {
                summary.positives[s] += 1
                for t in 0..<T where row[row.startIndex + t] == 1 { summary.perTask[s][t] += 1 }
            }
            if let pair = npy[s] {
                let (x, y) = pair
                codes.withUnsafeMutableBufferPointer { encodeBases(bases, into: $0.baseAddress!) }
                try codes.withUnsafeBufferPointer { c in
                    try x.withSpace(4 * L) { oneHot(c, layout: .ncl, into: $0.assumingMemoryBound(to: UInt8.self)) }
                }
                x.addRows(1)
                var floats = row.map { Float($0) }
                try floats.withUnsafeMutableBytes { try y.append(UnsafeRawBufferPointer($0)) }
                y.addRows(1)
            }
        }

        for c in names.indices where !positives[c].isEmpty || !negatives[c].isEmpty {
            let s = splitOf[c]
            guard fasta[s] != nil else { continue }
            try genome.with(c) { chromosome in
                var i = 0, j = 0
                let pos = positives[c], neg = negatives[c]
                while i < pos.count || j < neg.count {
                    let takePositive = j >= neg.count || (i < pos.count && pos[i] <= neg[j])
                    let start = takePositive ? pos[i] : neg[j]
                    let window = UnsafeBufferPointer(rebasing: chromosome[start..<(start + L)])
                    if takePositive {
                        try emit(split: s, nameLength: formatName(chrom: c, start: start, shuffle: 0),
                                 labels: labels[c][(i * T)..<((i + 1) * T)], bases: window, negative: false,
                                 gc: measuredGC?.positives[c][i])
                        if spec.negatives == .shuffle {
                            let k = shuffleIndex[s]
                            let count = Int((Double(k + 1) * spec.negRatio).rounded()) - Int((Double(k) * spec.negRatio).rounded())
                            shuffleIndex[s] += 1
                            if count > 0 {
                                let own = Array(window).map { oneHotCodes[Int($0)] }
                                for n in 0..<count {
                                    var r = RandomSource(seed: spec.seed).split(UInt64(c) << 40 ^ UInt64(start) << 4 ^ UInt64(n))
                                    let mixed = dinucleotideShuffle(own, using: &r)
                                    for p in 0..<L { shuffled[p] = letters[Int(mixed[p])] }
                                    try shuffled.withUnsafeBufferPointer {
                                        try emit(split: s, nameLength: formatName(chrom: c, start: start, shuffle: n + 1),
                                                 labels: zeros[...], bases: $0, negative: true)
                                    }
                                }
                            }
                        }
                        i += 1
                    } else {
                        try emit(split: s, nameLength: formatName(chrom: c, start: start, shuffle: 0),
                                 labels: zeros[...], bases: window, negative: true, gc: measuredGC?.negatives[c][j])
                        j += 1
                    }
                }
            }
            genome.release(c)
        }
        summary.meanGCPositives = gcWindows[0] > 0 ? gcSum[0] / Double(gcWindows[0]) : 0
        summary.meanGCNegatives = gcWindows[1] > 0 ? gcSum[1] / Double(gcWindows[1]) : 0
    }
}

/// Whole chromosomes of a genome, read through faidx; with `keep`, each is read once and held
/// (a second pass then costs no decompression), and `readAhead` reads them on a background
/// thread while the caller works on something else (peaks, candidate draws).
final class ChromosomeSource: @unchecked Sendable {
    /// Genomes up to this many bases are held between passes.
    static let keepLimit = 1 << 29
    let genome: Genome
    let names: [String]
    let lengths: [Int]
    private let keep: Bool
    /// Guards everything below; signalled when a chromosome arrives or the reader stops.
    private let condition = NSCondition()
    private var held: [Int: MappedBuffer] = [:]
    private var failures: [Int: any Error] = [:]
    /// True while the read-ahead thread runs: only it touches `genome` then.
    private var reading = false
    private var cancelled = false
    /// Chromosomes the read-ahead may skip (nil: none); see `narrow`.
    private var needed: [Bool]?

    init(genome: Genome, names: [String], lengths: [Int], keep: Bool) {
        self.genome = genome; self.names = names; self.lengths = lengths; self.keep = keep
    }

    /// Starts reading the chromosomes of `order` (in that order) on a background thread, so that
    /// decompression overlaps the caller's work; `with` waits for the one it needs. Only when
    /// chromosomes are kept (otherwise memory would hold them all), and only once.
    func readAhead(_ order: [Int]) {
        guard keep, !order.isEmpty else { return }
        condition.lock()
        guard !reading else { condition.unlock(); return }
        reading = true
        condition.unlock()
        let thread = Thread { [self] in
            for c in order {
                condition.lock()
                let stop = cancelled   // read under the lock: `cancel` sets it from the caller's thread
                let skip = held[c] != nil || needed.map { !$0[c] } ?? false
                condition.unlock()
                if stop { break }
                if skip { continue }
                let result = Result { try read(c) }
                condition.lock()
                switch result {
                case .success(let bases): held[c] = bases
                case .failure(let error): failures[c] = error
                }
                condition.broadcast()
                condition.unlock()
                if case .failure = result { break }
            }
            condition.lock()
            reading = false
            condition.broadcast()
            condition.unlock()
        }
        thread.start()
    }

    /// Tells the read-ahead which chromosomes will be asked for after all (`needed[c]`), once the
    /// caller knows: it skips the others it has not read yet.
    func narrow(to needed: [Bool]) {
        condition.lock()
        self.needed = needed
        condition.unlock()
    }

    /// Stops the read-ahead after the chromosome in progress (on an error: nothing more is needed).
    func cancel() {
        condition.lock()
        cancelled = true
        condition.unlock()
    }

    /// Runs `body` on the bases of chromosome `c` (as stored, no line breaks).
    func with(_ c: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        condition.lock()
        // The reader owns the genome while it runs: wait for `c`, or for the reader to stop.
        while reading && held[c] == nil && failures[c] == nil { condition.wait() }
        let bases = held[c], failure = failures[c]
        condition.unlock()
        if let failure { throw failure }
        // The buffer must outlive `body` (Swift may release a reference after its last use).
        if let bases { try withExtendedLifetime(bases) { try body(bases.buffer) }; return }
        let read = try read(c)
        if keep {
            condition.lock()
            held[c] = read
            condition.unlock()
        }
        try withExtendedLifetime(read) { try body(read.buffer) }
    }

    private func read(_ c: Int) throws -> MappedBuffer {
        let bases = try genome.chromosomeBuffer(names[c])
        guard bases.count == lengths[c] else {
            throw DragonnError(file: genome.path, "cannot read \(names[c]) (truncated or corrupt genome?)")
        }
        return bases
    }

    /// Forgets the held copy of chromosome `c` (its last pass is done).
    func release(_ c: Int) {
        condition.lock()
        held[c] = nil
        condition.unlock()
    }
}

/// Per byte: 1 for G/C (either case) in the low 32 bits, 1 for A/C/G/T in the high 32 bits.
private let gcTable: [UInt64] = (0..<256).map { b -> UInt64 in
    let u = UInt8(b) & 0xDF
    let isGC: UInt64 = u == 67 || u == 71 ? 1 : 0
    let isACGT: UInt64 = isGC == 1 || u == 65 || u == 84 ? 1 : 0
    return isGC | isACGT << 32
}

/// High bit of every byte of `v` that is zero, all other bits clear (exact, no carries between bytes).
@inline(__always)
private func zeroBytes(_ v: UInt64) -> UInt64 {
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    return ~(((v & low7) &+ low7) | v | low7)
}

/// Counts of G/C and of A/C/G/T (either case) in `bases` (at most 2^32 bytes): eight bytes per
/// step compared as one 64-bit word, the tail by table.
public func gcCount(_ bases: UnsafeBufferPointer<UInt8>) -> (gc: Int, acgt: Int) {
    guard let p = bases.baseAddress else { return (0, 0) }
    let n = bases.count, raw = UnsafeRawPointer(p)
    var gc = 0, acgt = 0, i = 0
    while i + 8 <= n {
        let u = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0xDFDF_DFDF_DFDF_DFDF   // upper case
        let isGC = zeroBytes((u & 0xFBFB_FBFB_FBFB_FBFB) ^ 0x4343_4343_4343_4343)   // C (0x43) or G (0x47)
        let isA = zeroBytes(u ^ 0x4141_4141_4141_4141), isT = zeroBytes(u ^ 0x5454_5454_5454_5454)
        gc &+= isGC.nonzeroBitCount
        acgt &+= (isGC | isA | isT).nonzeroBitCount
        i += 8
    }
    if i < n {
        gcTable.withUnsafeBufferPointer { t in
            var sum: UInt64 = 0
            while i < n { sum &+= t[Int(p[i])]; i += 1 }
            gc &+= Int(sum & 0xFFFF_FFFF); acgt &+= Int(sum >> 32)
        }
    }
    return (gc, acgt)
}

/// G/C and A/C/G/T counts of any window of one chromosome in O(1): cumulative counts at every
/// `block`-th base plus, per block, a bitmask of its G/C bases and one of its A/C/G/T bases, so
/// the partial blocks at a window's ends are popcounts of masked words (exact).
struct GCIndex {
    static let block = 64
    /// Three words per block k, side by side so that a look-up touches one cache line: at 3k the
    /// counts before block k (G/C in the low 32 bits, A/C/G/T in the high 32 bits), at 3k + 1
    /// and 3k + 2 the block's masks (bit i: base 64k + i is G/C, is A/C/G/T). Entries up to
    /// 3 * blocks are valid; the array may be longer, kept from a longer chromosome.
    private var table: [UInt64] = [0]
    /// Whole blocks of `bases`.
    private var blocks = 0
    private(set) var bases = UnsafeBufferPointer<UInt8>(start: nil, count: 0)

    /// Indexes `bases` (which must outlive this value).
    init(_ bases: UnsafeBufferPointer<UInt8>) {
        reindex(bases)
    }

    /// Indexes `bases` instead (which must outlive this value), in the storage of the previous
    /// index when it is large enough: one chromosome after another, no fresh memory to fault in.
    mutating func reindex(_ bases: UnsafeBufferPointer<UInt8>) {
        self.bases = bases
        blocks = bases.count / Self.block
        guard blocks > 0, let base = bases.baseAddress else { blocks = 0; table[0] = 0; return }
        if table.count < 3 * blocks + 1 { table = [UInt64](repeating: 0, count: 3 * blocks + 1) }
        let raw = UnsafeRawPointer(base), blocks = blocks
        table.withUnsafeMutableBufferPointer { t in
            var gc = 0, acgt = 0
            for k in 0..<blocks {
                var g: UInt64 = 0, a: UInt64 = 0
                for w in 0..<(Self.block / 8) {
                    let u = raw.loadUnaligned(fromByteOffset: k * Self.block + 8 * w, as: UInt64.self) & 0xDFDF_DFDF_DFDF_DFDF
                    let isGC = zeroBytes((u & 0xFBFB_FBFB_FBFB_FBFB) ^ 0x4343_4343_4343_4343)   // C or G
                    let isACGT = isGC | zeroBytes(u ^ 0x4141_4141_4141_4141) | zeroBytes(u ^ 0x5454_5454_5454_5454)
                    // High bit of byte j -> bit j of one byte, placed at bit 8w.
                    g |= (((isGC >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 * w)
                    a |= (((isACGT >> 7) &* 0x0102_0408_1020_4080) >> 56) << UInt64(8 * w)
                }
                t[3 * k] = UInt64(gc) | UInt64(acgt) << 32
                t[3 * k + 1] = g; t[3 * k + 2] = a
                gc &+= g.nonzeroBitCount; acgt &+= a.nonzeroBitCount
            }
            t[3 * blocks] = UInt64(gc) | UInt64(acgt) << 32
        }
    }

    /// Counts of `[0, p)`.
    @inline(__always)
    private func prefix(_ p: Int, _ t: UnsafeBufferPointer<UInt64>) -> (gc: Int, acgt: Int) {
        let k = p / Self.block, r = p % Self.block
        let c = t[3 * k]
        var gc = Int(c & 0xFFFF_FFFF), acgt = Int(c >> 32)
        if r > 0 {
            if k < blocks {
                let keep: UInt64 = (1 << UInt64(r)) &- 1
                gc += (t[3 * k + 1] & keep).nonzeroBitCount; acgt += (t[3 * k + 2] & keep).nonzeroBitCount
            } else {   // the chromosome's last, partial block
                let tail = gcCount(UnsafeBufferPointer(rebasing: bases[(k * Self.block)..<p]))
                gc += tail.gc; acgt += tail.acgt
            }
        }
        return (gc, acgt)
    }

    /// Counts of `[start, end)`.
    func count(_ start: Int, _ end: Int) -> (gc: Int, acgt: Int) {
        table.withUnsafeBufferPointer { t in
            let a = prefix(start, t), b = prefix(end, t)
            return (b.gc - a.gc, b.acgt - a.acgt)
        }
    }
}

/// A set of non-negative integers for deduplicating draws: open addressing with linear probing
/// and a multiplicative hash, sized once for the number of insertions expected (it grows if
/// more come). Cheaper than `Set<Int>`, whose hashing is keyed SipHash.
struct PositionSet: ~Copyable {
    /// Key + 1 per slot; 0 marks an empty slot. Fresh zeroed mappings: no pass to clear them,
    /// and 2 MiB pages for the large tables (a million draws is a 16 MiB table).
    private var table: MappedBuffer
    private var slots: UnsafeMutablePointer<UInt64>
    private var bits: Int
    private(set) var count = 0

    /// An empty set with room for `capacity` keys at a load of at most one half.
    init(capacity: Int) {
        bits = max(4, Int.bitWidth - (2 * max(1, capacity) - 1).leadingZeroBitCount)
        (table, slots) = Self.emptyTable(bits: bits)
    }

    private static func emptyTable(bits: Int) -> (MappedBuffer, UnsafeMutablePointer<UInt64>) {
        let table = MappedBuffer(count: 8 << bits, zeroed: true)
        return (table, UnsafeMutableRawPointer(table.base).bindMemory(to: UInt64.self, capacity: 1 << bits))
    }

    /// The slots `keys[..<count]` hash to, as they are now, into `hints`: loading them early
    /// brings them into the cache, and `insert(_:hint:)` uses them (keys are never removed, so a
    /// hint equal to its key still holds later).
    func peek(_ keys: [Int], count: Int, into hints: inout [UInt64]) {
        precondition(count <= keys.count && count <= hints.count)
        let s = slots
        keys.withUnsafeBufferPointer { k in
            hints.withUnsafeMutableBufferPointer { h in
                for i in 0..<count { h[i] = s[home(UInt64(truncatingIfNeeded: k[i]) &+ 1)] }
            }
        }
    }

    @inline(__always)
    private func home(_ stored: UInt64) -> Int {
        Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    /// Adds `key` (≥ 0); returns false when it was already there. `hint`: `peek(key)` from any
    /// earlier moment, or 0.
    @inline(__always)
    mutating func insert(_ key: Int, hint: UInt64 = 0) -> Bool {
        precondition(key >= 0, "PositionSet holds non-negative keys")
        let stored = UInt64(key) &+ 1
        if hint == stored { return false }
        if 2 * (count + 1) > 1 << bits { grow() }
        let mask = (1 << bits) - 1
        var i = home(stored)
        while true {
            let v = slots[i]
            if v == stored { return false }
            if v == 0 { slots[i] = stored; count += 1; return true }
            i = (i + 1) & mask
        }
    }

    /// Doubles the table and re-inserts every key.
    private mutating func grow() {
        let old = table, oldSlots = slots, oldSize = 1 << bits
        bits += 1
        (table, slots) = Self.emptyTable(bits: bits)
        count = 0
        withExtendedLifetime(old) {
            for j in 0..<oldSize where oldSlots[j] != 0 { _ = insert(Int(oldSlots[j] - 1)) }
        }
    }
}

/// Chooses negative windows: draws candidates (uniform over a split's chromosomes, or flanks of
/// the positives) that overlap no peak nor the blacklist, measures them on the genome (N, GC),
/// then accepts them in draw order (a random order) under the split's quotas.
struct NegativeSampler {
    let spec: TrainingSetSpec
    let lengths: [Int]
    let splitOf: [Int]
    let peakSets: [IntervalSet]
    let blacklist: [IntervalSet]
    /// Candidates in draw order: chromosome, start, and the positive they flank (-1 for uniform).
    var chrom: [Int] = [], start: [Int] = [], group: [Int] = []
    /// GC fraction per candidate after `measure` (-1 = has a base other than A/C/G/T).
    var gc: [Double] = []

    init(spec: TrainingSetSpec, lengths: [Int], splitOf: [Int], peakSets: [IntervalSet], blacklist: [IntervalSet]) {
        self.spec = spec; self.lengths = lengths; self.splitOf = splitOf; self.peakSets = peakSets; self.blacklist = blacklist
    }

    private func free(_ c: Int, _ s: Int) -> Bool {
        let L = spec.length
        return s >= 0 && s + L <= lengths[c] && !peakSets[c].overlaps(s, s + L) && !blacklist[c].overlaps(s, s + L)
    }

    /// Uniform candidates: about 8 per negative needed, per split, over its chromosomes by length.
    mutating func drawUniform(positives: [[Int]], using rng: inout RandomSource) {
        let L = spec.length
        // Per split: its chromosomes a window fits on, and the candidates wanted (0: none).
        let plan = spec.splits.map { split -> (split: Int, chroms: [Int], wanted: Int) in
            let chroms = lengths.indices.filter { splitOf[$0] == split && lengths[$0] >= L }
            let npos = lengths.indices.filter { splitOf[$0] == split }.reduce(0) { $0 + positives[$1].count }
            let needed = Int((spec.negRatio * Double(npos)).rounded())
            return (split, chroms, needed > 0 && !chroms.isEmpty ? 8 * needed + 256 : 0)
        }
        // Room for every split's candidates at once: growing per split copied the arrays.
        let room = plan.reduce(0) { $0 + $1.wanted }
        chrom.reserveCapacity(chrom.count + room); start.reserveCapacity(start.count + room); group.reserveCapacity(group.count + room)
        for (_, chroms, wanted) in plan where wanted > 0 {
            // Window starts of the split's chromosomes laid end to end: draw x, find its chromosome.
            let cumulative = chroms.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + lengths[$1] - L + 1) }
            let total = cumulative.last!
            // x names one window of this split, and no chromosome is in two splits, so a set per
            // split keyed by x rejects exactly the windows drawn twice.
            var seen = PositionSet(capacity: wanted)
            let peakSets = chroms.map { self.peakSets[$0] }, blacklist = chroms.map { self.blacklist[$0] }
            // Draws go in batches: the peak and set look-ups of a whole batch are issued before any
            // is needed, so their cache misses overlap (one at a time, they were most of the time).
            // Taken in draw order, the result is the one-at-a-time loop's; the generator is rewound
            // to where that loop would have stopped.
            let batch = 64, limit = 20 * wanted
            var draws = [Int](repeating: 0, count: batch), within = [Int](repeating: 0, count: batch)
            var onChrom = [Int](repeating: 0, count: batch), free = [Bool](repeating: false, count: batch)
            var hints = [UInt64](repeating: 0, count: batch)
            var got = 0, tries = 0
            while got < wanted && tries < limit {
                let before = rng
                let n = min(batch, limit - tries)
                for k in 0..<n { draws[k] = rng.int(below: total) }
                // A tight loop of independent loads keeps many misses in flight.
                seen.peek(draws, count: n, into: &hints)
                for k in 0..<n {
                    let x = draws[k]
                    var lo = 0, hi = cumulative.count - 1
                    while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > x { hi = mid } else { lo = mid + 1 } }
                    let s = x - (lo > 0 ? cumulative[lo - 1] : 0)
                    onChrom[k] = lo; within[k] = s
                    free[k] = !peakSets[lo].overlaps(s, s + L) && !blacklist[lo].overlaps(s, s + L)
                }
                var k = 0
                while k < n && got < wanted {
                    defer { k += 1 }
                    guard free[k], seen.insert(draws[k], hint: hints[k]) else { continue }
                    chrom.append(chroms[onChrom[k]]); start.append(within[k]); group.append(-1)
                    got += 1
                }
                tries += k
                if k < n {
                    rng = before
                    for _ in 0..<k { _ = rng.int(below: total) }
                }
            }
        }
    }

    /// Flank candidates: for each positive (in random order), the windows 1 to 4 lengths away on
    /// either side, in random order.
    mutating func drawFlanks(positives: [[Int]], using rng: inout RandomSource) {
        let L = spec.length
        var order: [(Int, Int)] = []
        for c in positives.indices { for s in positives[c] { order.append((c, s)) } }
        rng.shuffle(&order)
        var seen = Set<Int>()
        for (g, (c, s)) in order.enumerated() {
            var offsets = [-4, -3, -2, -1, 1, 2, 3, 4].map { $0 * L }
            rng.shuffle(&offsets)
            for o in offsets where free(c, s + o) && seen.insert(c << 40 | (s + o)).inserted {
                chrom.append(c); start.append(s + o); group.append(g)
            }
        }
    }

    /// First pass over the genome: GC of every positive (per chromosome, in start order; -1 when it
    /// holds no A/C/G/T) and of every candidate (-1 when it holds a base other than A/C/G/T).
    mutating func measure(genome: ChromosomeSource, positives: [[Int]]) throws -> [[Double]] {
        let names = genome.names
        let L = spec.length
        var byChrom = [[Int]](repeating: [], count: names.count)
        for k in chrom.indices { byChrom[chrom[k]].append(k) }
        gc = [Double](repeating: -1, count: chrom.count)
        var positiveGC = [[Double]](repeating: [], count: names.count)
        var index = GCIndex(UnsafeBufferPointer(start: nil, count: 0))   // storage reused across chromosomes
        for c in names.indices where !positives[c].isEmpty || !byChrom[c].isEmpty {
            try genome.with(c) { bases in
                index.reindex(bases)
                for s in positives[c] {
                    let (g, n) = index.count(s, s + L)
                    positiveGC[c].append(n > 0 ? Double(g) / Double(n) : -1)   // -1: no A/C/G/T (GC bin 0)
                }
                for k in byChrom[c] {
                    let (g, n) = index.count(start[k], start[k] + L)
                    if n == L { gc[k] = Double(g) / Double(L) }
                }
            }
        }
        return positiveGC
    }

    /// Accepts candidates in draw order: gc-matched fills each GC bin's quota (ratio × positives
    /// in the bin, per split), then bins still short from the nearest bins' leftovers; flank
    /// takes up to ⌈ratio⌉ per positive until ratio × positives. Returns sorted starts per chromosome.
    func accept(positiveGC: [[Double]], positives: [[Int]]) -> (negatives: [[Int]], gc: [[Double]], short: Int, neighbour: Int) {
        let B = spec.gcBins
        func bin(_ x: Double) -> Int { min(B - 1, max(0, Int(x * Double(B)))) }
        var out = [[Int]](repeating: [], count: lengths.count)   // candidate indices
        var short = 0, neighbour = 0
        for split in spec.splits {
            let chroms = lengths.indices.filter { splitOf[$0] == split }
            let npos = chroms.reduce(0) { $0 + positives[$1].count }
            let needed = Int((spec.negRatio * Double(npos)).rounded())
            guard needed > 0 else { continue }
            let mine = chrom.indices.filter { splitOf[chrom[$0]] == split && gc[$0] >= 0 }
            var taken = 0
            if spec.negatives == .gcMatched {
                var histogram = [Int](repeating: 0, count: B)
                for c in chroms { for x in positiveGC[c] { histogram[bin(x)] += 1 } }
                var quota = histogram.map { Int((spec.negRatio * Double($0)).rounded()) }
                var leftover = [[Int]](repeating: [], count: B)
                for k in mine {
                    let b = bin(gc[k])
                    if quota[b] > 0 { quota[b] -= 1; out[chrom[k]].append(k); taken += 1 } else { leftover[b].append(k) }
                }
                var next = [Int](repeating: 0, count: B)
                for b in 0..<B where quota[b] > 0 {
                    var d = 1
                    while quota[b] > 0 && (b - d >= 0 || b + d < B) {
                        for nb in [b - d, b + d] where nb >= 0 && nb < B {
                            while quota[b] > 0 && next[nb] < leftover[nb].count {
                                let k = leftover[nb][next[nb]]
                                next[nb] += 1; quota[b] -= 1; neighbour += 1; taken += 1
                                out[chrom[k]].append(k)
                            }
                        }
                        d += 1
                    }
                }
            } else {
                let cap = Int(spec.negRatio.rounded(.up))
                var perGroup: [Int: Int] = [:]
                for k in mine where taken < needed && perGroup[group[k], default: 0] < cap {
                    perGroup[group[k], default: 0] += 1
                    out[chrom[k]].append(k); taken += 1
                }
            }
            short += max(0, needed - taken)
        }
        // Picked candidates per chromosome (starts are distinct) in start order, with their GC.
        var starts = [[Int]](repeating: [], count: lengths.count), gcs = [[Double]](repeating: [], count: lengths.count)
        for c in out.indices where !out[c].isEmpty {
            out[c].sort { start[$0] < start[$1] }
            starts[c] = out[c].map { start[$0] }
            gcs[c] = out[c].map { gc[$0] }
        }
        return (starts, gcs, short, neighbour)
    }
}
