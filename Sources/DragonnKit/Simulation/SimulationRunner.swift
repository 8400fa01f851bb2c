/// One generated sequence, for library users and tests (the tool streams instead).
public struct SimulatedSequence: Sendable {
    /// `<prefix>_NNNNNN`.
    public var name: String
    /// ASCII bases (A, C, G, T).
    public var bases: [UInt8]
    /// One 0/1 label per task.
    public var labels: [UInt8]
    /// The embedded motif instances, in the order they were placed.
    public var instances: [PlacedInstance]
}

/// Counts reported after a run.
public struct SimulationSummary: Sendable, Equatable {
    /// Sequences written.
    public var sequences = 0
    /// Motif instances embedded (BED lines).
    public var instances = 0
    /// Sequences per class, in class order.
    public var perClass: [Int] = []
}

/// Generates a `Simulation` deterministically from a seed: sequence `i` of class `c` draws from
/// its own random stream (`RandomSource(seed: seed ^ hash(name)).split(c << 40 | i)`), so the same seed gives the
/// same bytes, and changing one class's count leaves the other classes' sequences unchanged.
public struct SimulationRunner {
    /// What is generated.
    public let simulation: Simulation
    /// The `--seed`.
    public let seed: UInt64
    /// How many times a sequence's placement is redrawn when an instance finds no free room.
    public static let maximumAttempts = 1000

    private let samplers: [MotifSampler]
    private let motifLengths: [Int]
    private let background: Background
    private let root: RandomSource

    /// Prepares to generate `simulation` (validated here) with `seed`.
    public init(simulation: Simulation, seed: UInt64) throws {
        try simulation.validate()
        self.simulation = simulation
        self.seed = seed
        samplers = simulation.motifs.map(MotifSampler.init)
        motifLengths = simulation.motifs.map(\.length)
        background = Background(gcFraction: simulation.gcFraction)
        // The simulation's name is mixed in so that two simulations run with one seed do not
        // share backgrounds.
        var nameHash: UInt64 = 0xCBF2_9CE4_8422_2325   // FNV-1a
        for byte in simulation.name.utf8 { nameHash = (nameHash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        root = RandomSource(seed: seed ^ nameHash)
    }

    /// The name of sequence `index` (0-based) of class `classIndex`: `<prefix>_<1-based number>`,
    /// zero-padded to at least six digits.
    public func sequenceName(classIndex: Int, index: Int) -> String {
        let c = simulation.classes[classIndex]
        let width = Swift.max(6, String(c.count).count)
        let number = String(index + 1)
        return c.prefix + "_" + String(repeating: "0", count: Swift.max(0, width - number.count)) + number
    }

    /// Draws the placement of sequence `index` of class `classIndex` into `planner` (and the
    /// presence flags into `present`); returns the sequence's random stream positioned after the
    /// placement, or nil when no placement was found in `maximumAttempts` tries.
    @inline(__always)
    private func plan(classIndex: Int, index: Int, planner: inout EmbeddingPlanner,
                      present: inout [UInt8]) -> RandomSource? {
        let c = simulation.classes[classIndex]
        var rng = root.split(UInt64(classIndex) << 40 | UInt64(index))
        for _ in 0..<Self.maximumAttempts {
            if planner.plan(c.recipe, motifLengths: motifLengths, length: simulation.sequenceLength,
                            present: &present, using: &rng) {
                return rng
            }
        }
        return nil
    }

    /// Writes the background and then the planned instances into `destination[0..<sequenceLength]`.
    @inline(__always)
    private func fill(_ destination: UnsafeMutablePointer<UInt8>, planner: EmbeddingPlanner,
                      using rng: inout RandomSource) {
        background.fill(destination, count: simulation.sequenceLength, using: &rng)
        for p in planner.instances {
            samplers[p.motif].sample(into: destination + p.start, reverse: p.reverse, using: &rng)
        }
    }

    private func placementError(classIndex: Int, index: Int) -> DragonnError {
        DragonnError("\(sequenceName(classIndex: classIndex, index: index)): could not place the motifs without overlap in \(Self.maximumAttempts) attempts; lower the counts or raise --seq-length/--center-size")
    }

    /// Every sequence in memory, in output order (for tests and library use).
    public func generateAll() throws -> [SimulatedSequence] {
        var result: [SimulatedSequence] = []
        result.reserveCapacity(simulation.sequenceCount)
        var planner = EmbeddingPlanner()
        let L = simulation.sequenceLength
        for (ci, c) in simulation.classes.enumerated() {
            var present = [UInt8](repeating: 0, count: simulation.taskNames.count)
            for i in 0..<c.count {
                guard var rng = plan(classIndex: ci, index: i, planner: &planner, present: &present) else {
                    throw placementError(classIndex: ci, index: i)
                }
                var bases = [UInt8](repeating: 0, count: L)
                bases.withUnsafeMutableBufferPointer { fill($0.baseAddress!, planner: planner, using: &rng) }
                result.append(SimulatedSequence(name: sequenceName(classIndex: ci, index: i), bases: bases,
                                                labels: c.labels ?? present, instances: planner.instances))
            }
        }
        return result
    }

    /// Streams every sequence as FASTA (`>NAME labels=1,0`, sequence on one line) to `fasta`,
    /// each instance as a BED6 line (chrom = sequence name) to `bed`, and a labels TSV (header
    /// `name<TAB>task...`) to `labels`.
    public func write(fasta: FastaWriter, bed: BedWriter? = nil, labels: OutputFile? = nil) throws -> SimulationSummary {
        var summary = SimulationSummary()
        var planner = EmbeddingPlanner()
        let L = simulation.sequenceLength
        let tasks = simulation.taskNames.count
        let motifNames: [[UInt8]] = simulation.motifs.map { Array($0.name.utf8) }
        if let labels { try labels.write("name\t" + simulation.taskNames.joined(separator: "\t") + "\n") }
        let labelTag = Array(" labels=".utf8)
        for (ci, c) in simulation.classes.enumerated() {
            var present = [UInt8](repeating: 0, count: tasks)
            let prefix = Array((">" + c.prefix + "_").utf8)
            let width = Swift.max(6, String(c.count).count)
            var header = [UInt8](repeating: 0, count: prefix.count + width + 24 + labelTag.count + 2 * tasks + 2)
            try header.withUnsafeMutableBufferPointer { hb in
                let h = hb.baseAddress!
                for (k, b) in prefix.enumerated() { h[k] = b }
                for i in 0..<c.count {
                    guard var rng = plan(classIndex: ci, index: i, planner: &planner, present: &present) else {
                        throw placementError(classIndex: ci, index: i)
                    }
                    let flags = c.labels ?? present
                    var n = prefix.count
                    n += writeDecimal(i + 1, width: width, to: h + n)
                    let nameEnd = n
                    for b in labelTag { h[n] = b; n += 1 }
                    for t in 0..<tasks {
                        if t > 0 { h[n] = 44; n += 1 }
                        h[n] = 48 + flags[t]; n += 1
                    }
                    h[n] = 10; n += 1
                    try fasta.writeRecord(header: UnsafeRawBufferPointer(start: h, count: n), length: L) { dest in
                        fill(dest, planner: planner, using: &rng)
                    }
                    summary.instances += planner.instances.count
                    if let bed {
                        let chrom = UnsafeRawBufferPointer(start: h + 1, count: nameEnd - 1)
                        for p in planner.instances {
                            try motifNames[p.motif].withUnsafeBytes { nb in
                                try bed.write(chrom: chrom, start: p.start, end: p.end, name: nb, score: 0,
                                              strand: p.reverse ? 45 : 43)
                            }
                        }
                    }
                    if let labels {
                        try labels.withReservedBytes(nameEnd + 2 * tasks + 2) { d in
                            var m = 0
                            for k in 1..<nameEnd { d[m] = h[k]; m += 1 }
                            for t in 0..<tasks { d[m] = 9; d[m + 1] = 48 + flags[t]; m += 2 }
                            d[m] = 10
                            return m + 1
                        }
                    }
                }
            }
            summary.perClass.append(c.count)
            summary.sequences += c.count
        }
        return summary
    }
}
