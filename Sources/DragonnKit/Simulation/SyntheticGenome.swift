/// A kind of enhancer planted by `SyntheticGenome`: a cluster of motif instances inside `span` bp,
/// built by one of the simulations' rules. With one motif, `counts` (uniform) instances of it
/// (motif-density-localization's rule, the centre being the whole span); with several motifs, a
/// random subset of `counts` of them, one instance each (multi-motif-embedding's rule).
public struct EnhancerClass: Sendable, Equatable {
    /// Name used in enhancer ids (`NAME_N`) and in the enhancers BED.
    public var name: String
    /// The class's motifs.
    public var motifs: [PWM]
    /// How many instances (one motif) or how many different motifs (several).
    public var counts: ClosedRange<Int>
    /// Length of the enhancer (and of its peak) in bp.
    public var span: Int

    /// A class; `validate()` checks that it can be built.
    public init(name: String, motifs: [PWM], counts: ClosedRange<Int>, span: Int) {
        self.name = name; self.motifs = motifs; self.counts = counts; self.span = span
    }

    /// The tutorial's enhancer: 2-4 instances of `motif` within 150 bp, named after the motif.
    public static func tutorial(_ motif: PWM) -> EnhancerClass {
        EnhancerClass(name: motif.name, motifs: [motif], counts: 2...4, span: 150)
    }

    /// Throws a one-line message unless every enhancer of the class fits without overlaps.
    public func validate() throws {
        guard !name.isEmpty, !name.contains(where: { $0 == "\t" || $0 == " " || $0 == "\n" }) else {
            throw DragonnError("enhancer class name '\(name)' must be non-empty, without blanks")
        }
        guard !motifs.isEmpty else { throw DragonnError("enhancer class \(name) has no motif") }
        guard span >= 1 else { throw DragonnError("enhancer class \(name): span must be positive (got \(span))") }
        guard counts.lowerBound >= 0 else { throw DragonnError("enhancer class \(name): motif counts must not be negative") }
        let need: Int
        if motifs.count == 1 {
            need = counts.upperBound * motifs[0].length
        } else {
            guard counts.upperBound <= motifs.count else {
                throw DragonnError("enhancer class \(name): cannot embed \(counts.upperBound) different motifs, only \(motifs.count) given")
            }
            need = motifs.map(\.length).sorted(by: >).prefix(counts.upperBound).reduce(0, +)
        }
        guard need <= span else {
            throw DragonnError("enhancer class \(name): \(counts.upperBound) motif instances (\(need) bp) cannot fit without overlap in \(span) bp")
        }
    }

    /// The planner recipe for this class, motif indices counted from `firstMotif`.
    func recipe(firstMotif: Int) -> EmbeddingRecipe {
        motifs.count == 1 ? .repeated(motif: firstMotif, counts: counts, centre: nil)
                          : .subset(motifs: Array(firstMotif..<(firstMotif + motifs.count)), counts: counts)
    }
}

/// The settings of a synthetic genome (see `SyntheticGenome`).
public struct SyntheticGenomeSpec: Sendable {
    /// Chromosomes in genome order: name and length.
    public var chromosomes: [(name: String, length: Int)]
    /// GC fraction of the i.i.d. background.
    public var gcFraction: Double = 0.4
    /// Number of enhancers planted over the whole genome.
    public var enhancerCount: Int
    /// Enhancer classes; each enhancer picks one uniformly.
    public var classes: [EnhancerClass]
    /// Probability that an enhancer is left out of the peaks file.
    public var peakDropout: Double = 0
    /// Peaks on plain background (no motif), `falsePeakWidth` bp each.
    public var falsePeaks: Int = 0
    /// Width of a false peak (default: the first class's span).
    public var falsePeakWidth: Int?
    /// Summits move by a uniform integer in [-summitJitter, summitJitter] (kept inside the peak).
    public var summitJitter: Int = 0
    /// FASTA line width of the genome.
    public var lineWidth = 60

    /// A specification; `validate()` checks it.
    public init(chromosomes: [(name: String, length: Int)], enhancerCount: Int, classes: [EnhancerClass]) {
        self.chromosomes = chromosomes; self.enhancerCount = enhancerCount; self.classes = classes
    }

    /// Total genome length in bp.
    public var totalLength: Int { chromosomes.reduce(0) { $0 + $1.length } }

    /// Throws a one-line message for settings that cannot be generated.
    public func validate() throws {
        guard !chromosomes.isEmpty else { throw DragonnError("the genome needs at least one chromosome") }
        var seen = Set<String>()
        for c in chromosomes {
            guard c.length >= 1 else { throw DragonnError("chromosome \(c.name) must have a positive length (got \(c.length))") }
            guard seen.insert(c.name).inserted else { throw DragonnError("chromosome \(c.name) is named twice") }
        }
        guard gcFraction.isFinite, (0...1).contains(gcFraction) else {
            throw DragonnError("--gc-fraction must be between 0 and 1 (got \(gcFraction))")
        }
        guard enhancerCount >= 0 else { throw DragonnError("the number of enhancers must not be negative") }
        guard !classes.isEmpty else { throw DragonnError("no enhancer class") }
        for c in classes { try c.validate() }
        guard Set(classes.map(\.name)).count == classes.count else { throw DragonnError("two enhancer classes have one name") }
        guard peakDropout.isFinite, (0...1).contains(peakDropout) else {
            throw DragonnError("--peak-dropout must be between 0 and 1 (got \(peakDropout))")
        }
        guard falsePeaks >= 0 else { throw DragonnError("--false-peaks must not be negative") }
        guard (falsePeakWidth ?? 1) >= 1 else { throw DragonnError("false peak width must be positive") }
        guard summitJitter >= 0 else { throw DragonnError("--summit-jitter must not be negative") }
        guard lineWidth >= 1 else { throw DragonnError("FASTA line width must be positive") }
        // Enhancers go to chromosomes by length; a rough capacity check keeps placement finite.
        let widest = max(classes.map(\.span).max() ?? 1, falsePeakWidth ?? classes[0].span)
        let (need, overflow) = (enhancerCount + falsePeaks).multipliedReportingOverflow(by: widest)
        guard !overflow, need * 2 <= totalLength else {
            throw DragonnError("\(enhancerCount + falsePeaks) enhancers and false peaks of up to \(widest) bp do not fit in a \(totalLength) bp genome (they may fill at most half of it)")
        }
    }
}

/// A genome with known truth: chromosomes of i.i.d. background with enhancers (clusters of
/// motif instances) planted at random non-overlapping places, the peaks a ChIP-seq experiment
/// on it might report (some enhancers missed, some false peaks, jittered summits), and every
/// motif instance as the truth.
///
/// Everything is planned first from one seed (positions, classes, instances and their sampled
/// bases: small); the bases are then generated chromosome by chromosome in fixed chunks, each
/// from its own random stream, so memory stays at one chunk whatever the genome size.
public struct SyntheticGenome: Sendable {
    /// One planted motif instance, genomic coordinates.
    public struct Instance: Sendable, Equatable {
        public var chrom: Int
        public var start: Int
        public var end: Int
        public var motif: String
        public var reverse: Bool
    }

    /// A planted enhancer or a false peak.
    public struct Site: Sendable, Equatable {
        /// `CLASS_N` for enhancers, `false_N` for false peaks (N counts from 1 in genome order).
        public var id: String
        /// Index of the class in the spec; nil for a false peak.
        public var enhancerClass: Int?
        public var chrom: Int
        public var start: Int
        public var end: Int
        /// Summit offset from `start` (narrowPeak column 10).
        public var summit: Int
        /// Number of motif instances (0 for a false peak).
        public var instances: Int
        /// False when the enhancer was left out of the peaks file.
        public var inPeaks: Bool
    }

    public let spec: SyntheticGenomeSpec
    public let seed: UInt64
    /// Enhancers and false peaks, in genome order (chromosome, then start).
    public private(set) var sites: [Site] = []
    /// Every motif instance, in genome order.
    public private(set) var instances: [Instance] = []
    /// Sampled bases of each instance, concatenated (`instanceOffsets[i]` is where instance i starts).
    private var instanceBases: [UInt8] = []
    private var instanceOffsets: [Int] = []
    /// Seed of the stream the background chunks split from.
    private let backgroundSeed: UInt64

    /// Bases per generation chunk (a multiple of common line widths; fixed, so output does not depend on it).
    static let chunk = 1 << 20

    /// Plans the genome of `spec` from `seed` (no bases generated yet).
    public init(spec: SyntheticGenomeSpec, seed: UInt64) throws {
        try spec.validate()
        self.spec = spec
        self.seed = seed
        var rng = RandomSource(seed: seed)
        backgroundSeed = rng.next()
        try plan(using: &rng)
    }

    private mutating func plan(using rng: inout RandomSource) throws {
        let classes = spec.classes
        let falseWidth = spec.falsePeakWidth ?? classes[0].span
        // Which sites exist: class per enhancer (nil = false peak) and its chromosome, by length.
        let cumulative = spec.chromosomes.reduce(into: [Int]()) { $0.append(($0.last ?? 0) + $1.length) }
        let total = cumulative.last!
        var perChrom = [[Int?]](repeating: [], count: spec.chromosomes.count)
        func chromosome() -> Int {
            let x = rng.int(below: total)
            var lo = 0, hi = cumulative.count - 1
            while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > x { hi = mid } else { lo = mid + 1 } }
            return lo
        }
        for _ in 0..<spec.enhancerCount {
            let c = classes.count == 1 ? 0 : rng.int(below: classes.count)
            perChrom[chromosome()].append(c)
        }
        for _ in 0..<spec.falsePeaks { perChrom[chromosome()].append(nil) }

        // Motif indices of each class in one flat list (the planner's recipes refer to them).
        var firstMotif: [Int] = [], lengths: [Int] = [], names: [String] = []
        for c in classes {
            firstMotif.append(lengths.count)
            lengths.append(contentsOf: c.motifs.map(\.length))
            names.append(contentsOf: c.motifs.map(\.name))
        }
        let samplers = classes.flatMap { $0.motifs.map(MotifSampler.init) }
        let recipes = classes.indices.map { classes[$0].recipe(firstMotif: firstMotif[$0]) }
        var planner = EmbeddingPlanner()
        var present: [UInt8] = []
        var perClassNumber = [Int](repeating: 0, count: classes.count)
        var falseNumber = 0

        for (chrom, var items) in perChrom.enumerated() where !items.isEmpty {
            rng.shuffle(&items)
            let widths = items.map { $0.map { classes[$0].span } ?? falseWidth }
            let length = spec.chromosomes[chrom].length
            let free = length - widths.reduce(0, +)
            guard free >= 0 else {
                throw DragonnError("chromosome \(spec.chromosomes[chrom].name) (\(length) bp) is too short for its \(items.count) enhancers and false peaks: use fewer")
            }
            // Uniform non-overlapping placement: sorted gaps drawn in [0, free], then the widths stacked.
            var offsets = (0..<items.count).map { _ in rng.int(in: 0...free) }
            offsets.sort()
            var used = 0
            for (k, item) in items.enumerated() {
                let start = offsets[k] + used
                used += widths[k]
                let end = start + widths[k]
                var summit: Int, count = 0, id: String
                if let c = item {
                    present = [UInt8](repeating: 0, count: classes[c].motifs.count)
                    while !planner.plan(recipes[c], motifLengths: lengths, length: widths[k], present: &present, using: &rng) {}
                    for p in planner.instances {
                        let bases = instanceBases.count
                        instanceOffsets.append(bases)
                        instanceBases.append(contentsOf: repeatElement(0, count: p.length))
                        instanceBases.withUnsafeMutableBufferPointer {
                            samplers[p.motif].sample(into: $0.baseAddress! + bases, reverse: p.reverse, using: &rng)
                        }
                        instances.append(Instance(chrom: chrom, start: start + p.start, end: start + p.end,
                                                  motif: names[p.motif], reverse: p.reverse))
                    }
                    count = planner.instances.count
                    // The summit is the middle of the cluster (or of the enhancer when it is empty).
                    summit = count == 0 ? widths[k] / 2
                        : (planner.instances.first!.start + planner.instances.map(\.end).max()!) / 2
                    perClassNumber[c] += 1
                    id = "\(classes[c].name)_\(perClassNumber[c])"
                } else {
                    summit = widths[k] / 2
                    falseNumber += 1
                    id = "false_\(falseNumber)"
                }
                if spec.summitJitter > 0 {
                    summit = min(max(0, summit + rng.int(in: -spec.summitJitter...spec.summitJitter)), widths[k] - 1)
                }
                let dropped = item != nil && spec.peakDropout > 0 && rng.uniform() < spec.peakDropout
                sites.append(Site(id: id, enhancerClass: item, chrom: chrom, start: start, end: end,
                                  summit: summit, instances: count, inPeaks: !dropped))
            }
        }
    }

    /// Writes chromosome `chrom` as FASTA (`>name`, then lines of `spec.lineWidth` bases).
    public func writeChromosome(_ chrom: Int, to output: OutputFile) throws {
        let (name, length) = spec.chromosomes[chrom]
        try output.write(">\(name)\n")
        let background = Background(gcFraction: spec.gcFraction)
        let width = spec.lineWidth
        var bases = [UInt8](repeating: 0, count: Self.chunk)
        var lineBuffer = [UInt8](repeating: 10, count: Self.chunk + Self.chunk / width + 2)
        // Instances of this chromosome, in order; `next` walks them as chunks advance.
        var next = instances.firstIndex { $0.chrom == chrom } ?? instances.count
        var column = 0
        var chunkStart = 0, chunkIndex: UInt64 = 0
        while chunkStart < length {
            let n = min(Self.chunk, length - chunkStart)
            var rng = RandomSource(seed: backgroundSeed).split(UInt64(chrom) << 32 | chunkIndex)
            bases.withUnsafeMutableBufferPointer { background.fill($0.baseAddress!, count: n, using: &rng) }
            // Overlay the instances that touch this chunk (one may straddle two chunks).
            var i = next
            while i < instances.count, instances[i].chrom == chrom, instances[i].start < chunkStart + n {
                let inst = instances[i]
                let lo = max(inst.start, chunkStart), hi = min(inst.end, chunkStart + n)
                for p in lo..<hi { bases[p - chunkStart] = instanceBases[instanceOffsets[i] + p - inst.start] }
                if inst.end <= chunkStart + n { next = i + 1 }
                i += 1
            }
            // Lay the bases out in lines.
            var out = 0
            bases.withUnsafeBufferPointer { src in
                lineBuffer.withUnsafeMutableBufferPointer { dst in
                    var k = 0
                    while k < n {
                        let take = min(width - column, n - k)
                        (dst.baseAddress! + out).update(from: src.baseAddress! + k, count: take)
                        out += take; k += take; column += take
                        if column == width { dst[out] = 10; out += 1; column = 0 }
                    }
                }
            }
            if chunkStart + n == length && column != 0 { lineBuffer[out] = 10; out += 1 }
            try lineBuffer.withUnsafeBytes { try output.write(UnsafeRawBufferPointer(rebasing: $0[0..<out])) }
            chunkStart += n
            chunkIndex += 1
        }
    }

    /// Writes the peaks as narrowPeak (10 columns, genome order): name = site id (the class is
    /// the id before its last `_`; `false` for false peaks), score = 1000 × instances / most
    /// instances of any class (false peaks: 100), strand `.`, signalValue = number of instances,
    /// pValue and qValue -1, peak = summit offset. Enhancers left out by the dropout are absent.
    public func writePeaks(to output: OutputFile) throws {
        let most = max(1, spec.classes.map(\.counts.upperBound).max() ?? 1)
        for s in sites where s.inPeaks {
            let score = s.enhancerClass == nil ? 100 : min(1000, 1000 * s.instances / most)
            try output.write("\(spec.chromosomes[s.chrom].name)\t\(s.start)\t\(s.end)\t\(s.id)\t\(score)\t.\t\(s.instances)\t-1\t-1\t\(s.summit)\n")
        }
    }

    /// Writes every motif instance as BED6 (name = motif, score 0, strand), in genome order.
    public func writeTruth(to writer: BedWriter) throws {
        for inst in instances {
            try writer.write(chrom: spec.chromosomes[inst.chrom].name, start: inst.start, end: inst.end,
                             name: inst.motif, strand: inst.reverse ? "-" : "+")
        }
    }

    /// Writes every planted enhancer (false peaks excluded) as BED6+2: name = id, score = number
    /// of instances, strand `.`, column 7 = class, column 8 = 1 when it is in the peaks file, else 0.
    public func writeEnhancers(to output: OutputFile) throws {
        for s in sites {
            guard let c = s.enhancerClass else { continue }
            try output.write("\(spec.chromosomes[s.chrom].name)\t\(s.start)\t\(s.end)\t\(s.id)\t\(s.instances)\t.\t\(spec.classes[c].name)\t\(s.inPeaks ? 1 : 0)\n")
        }
    }
}

/// Reads a UCSC chrom.sizes file (`name<TAB>length` per line; further columns ignored) in file order.
public func readChromSizes(path: String) throws -> [(name: String, length: Int)] {
    let lines = try LineReader(path: path)
    var out: [(name: String, length: Int)] = []
    while let line = try lines.next() {
        if line.isEmpty || line.hasPrefix("#") { continue }
        let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
        guard fields.count >= 2, let n = Int(fields[1]), n > 0 else {
            throw DragonnError(file: path, line: lines.lineNumber, "expected 'name<TAB>length' with a positive length")
        }
        out.append((String(fields[0]), n))
    }
    guard !out.isEmpty else { throw DragonnError(file: path, "no chromosomes in the chrom.sizes file") }
    return out
}

/// Runs `dragonn-sim genome`: plans the genome, writes the FASTA (indexed), the peaks, the truth
/// BED and the enhancers BED as one transaction, and prints a one-line summary to stderr.
public enum SyntheticGenomeJob {
    /// Writes the genome of `spec` with `seed` to `output` (`.gz` = BGZF + `.fai` + `.gzi`; plain
    /// + `.fai`), and the optional `peaks`, `truth` and `enhancers` files. `inputs` may not be
    /// overwritten. Returns the summary line (printed unless `quiet`).
    @discardableResult
    public static func run(_ spec: SyntheticGenomeSpec, seed: UInt64, output: String, peaks: String?, truth: String?,
                           enhancers: String?, inputs: [String] = [], quiet: Bool = false) throws -> String {
        let outputs = try OutputTransaction(inputs: inputs, outputs: [output, peaks, truth, enhancers].compactMap { $0 })
        let genome = try SyntheticGenome(spec: spec, seed: seed)
        // Level 1: deflating DNA at the default level is ~50x slower for ~15% smaller files.
        let fasta = try outputs.openIndexedFasta(output, level: 1)
        for c in spec.chromosomes.indices { try genome.writeChromosome(c, to: fasta) }
        if let peaks { try genome.writePeaks(to: try outputs.open(peaks)) }
        if let truth { try genome.writeTruth(to: BedWriter(output: try outputs.open(truth))) }
        if let enhancers { try genome.writeEnhancers(to: try outputs.open(enhancers)) }
        try outputs.commit()
        let planted = genome.sites.filter { $0.enhancerClass != nil }
        let line = "dragonn-sim genome: \(spec.chromosomes.count) chromosomes, \(spec.totalLength) bp, GC \(spec.gcFraction); "
            + "\(planted.count) enhancers (\(planted.filter { !$0.inPeaks }.count) left out of the peaks), "
            + "\(spec.falsePeaks) false peaks, \(genome.instances.count) motif instances, seed \(seed)"
            + " -> \(output == "-" ? "stdout" : output)"
        if !quiet { writeDiagnostic(line + "\n") }
        return line
    }
}
