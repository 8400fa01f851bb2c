import Foundation

/// What `dragonn-attrib ism|deeplift --vcf` does: scores every variant of a VCF (as
/// `dragonn-predict --vcf`), keeps the `top` ALT alleles by |logit(ALT) − logit(REF)| of one task,
/// and explains each: attributions of the observed bases of its REF and ALT windows (ISM centred
/// over the four bases, or DeepLIFT), written as three tracks in genomic coordinates (REF, ALT,
/// and ALT − REF; bedGraph, or bigWig for a `.bw` path) and, with a plot folder, one SVG per
/// variant.
///
/// Genomic coordinates of the ALT window: its left flank and right flank sit where they came
/// from in the genome; ALT allele bases are placed on the REF allele's bases one by one, and
/// inserted bases beyond the REF allele have no genomic position (they are in the SVG only).
/// Where windows of several variants overlap, each base takes the value of the higher-ranked
/// variant (larger |effect|), so the tracks never overlap.
public struct VariantAttributionJob {
    public var method: AttributionMethod
    public var modelPath: String, genomePath: String, vcfPath: String
    /// Task name or index (default: the first task).
    public var task: String?
    /// Track output: `X.bedGraph[.gz]` becomes `X.ref.bedGraph`, `X.alt.bedGraph`,
    /// `X.delta.bedGraph`, and `X.bw` the same three as bigWig (`X.ref.bw`, ...); `-` writes the
    /// three bedGraphs to stdout, each after a track line.
    public var output = "-"
    public var top = 10
    public var plotDirectory: String?
    /// Bases each side of the variant drawn as logos in the SVG.
    public var logoFlank = 12
    public var reference: AttributionReference = .shuffles(20)
    public var seed: UInt64 = 1
    public var threads = 1
    public var maxN = 0.1

    public init(method: AttributionMethod, modelPath: String, genomePath: String, vcfPath: String) {
        self.method = method; self.modelPath = modelPath; self.genomePath = genomePath; self.vcfPath = vcfPath
    }

    /// Runs the job; `note` receives notes (stderr in the tool).
    public func run(note: @escaping (String) -> Void) throws {
        guard top >= 1 else { throw DragonnError("--top must be at least 1") }
        guard method != .grad else { throw DragonnError("--vcf takes ism or deeplift") }
        let model = try SequenceDNN.load(path: modelPath), arch = model.architecture, L = arch.seqLength
        let task = try arch.taskIndices(self.task).first ?? 0
        let names = ["ref", "alt", "delta"]
        let trackPaths = output == "-" ? ["-"] : names.map { AttributionJob.insert($0, into: output) }
        try OutputTransaction.checkDistinct(inputs: [modelPath, genomePath, vcfPath], outputs: trackPaths)
        // Score everything, keeping the top alleles (bounded memory: at most 2 × top kept).
        var kept: [VariantJob.ScoredAllele] = []
        func effect(_ a: VariantJob.ScoredAllele) -> Float { abs(a.altLogits[task] - a.refLogits[task]) }
        var scoring = VariantJob(modelPath: modelPath, genomePath: genomePath, vcfPath: vcfPath)
        scoring.threads = threads
        scoring.maxN = maxN
        scoring.sink = { allele in
            kept.append(allele)
            if kept.count >= 2 * top {
                kept.sort { effect($0) > effect($1) }
                kept.removeLast(kept.count - top)
            }
        }
        try scoring.run(note: note)
        kept.sort { effect($0) > effect($1) }
        if kept.count > top { kept.removeLast(kept.count - top) }
        guard !kept.isEmpty else { throw DragonnError(file: vcfPath, "no variant could be scored") }

        // REF and ALT windows of the kept alleles, attributed together.
        let genome = try Genome(path: genomePath)
        var codes: [UInt8] = []
        for a in kept {
            let start = VariantWindow.start(pos0: a.pos0, length: L)
            let end = VariantWindow.end(pos0: a.pos0, refLength: a.ref.count, altLength: a.alt.count, length: L)
            var stretch = [UInt8](repeating: 4, count: end - start)
            try genome.fetch(GenomicRegion(chrom: a.chrom, start: start, end: end)) { ascii in
                stretch.withUnsafeMutableBufferPointer { encodeBases(ascii, into: $0.baseAddress!) }
            }
            var alt = [UInt8](repeating: 4, count: L)
            VariantWindow.alternate(genome: stretch, refLength: a.ref.count, alt: a.alt, length: L, into: &alt)
            codes += stretch[0..<L] + alt
        }
        let count = 2 * kept.count
        var values: [Float]
        switch method {
        case .ism:
            values = inSilicoMutagenesis(model: model, codes: codes, count: count, tasks: [task], threads: threads)
            centreColumns(&values, columns: count, length: L)
        default:
            values = deepLift(model: model, codes: codes, count: count, tasks: [task], reference: reference,
                              seed: seed, threads: threads)
        }
        // Observed-base scores per window.
        let scores: [[Float]] = (0..<count).map { s in
            (0..<L).map { p in
                let c = Int(codes[s * L + p])
                return c < 4 ? values[(s * 4 + c) * L + p] : 0
            }
        }

        // Tracks in genomic coordinates; higher-ranked variants claim their bases first.
        var taken: [String: Set<Int>] = [:]
        var tracks: [[(chrom: String, pos: Int, value: Float)]] = [[], [], []]
        for (k, a) in kept.enumerated() {
            let start = VariantWindow.start(pos0: a.pos0, length: L)
            var refAt: [Int: Float] = [:], altAt: [Int: Float] = [:]
            for p in 0..<L { refAt[start + p] = scores[2 * k][p] }
            for i in 0..<L {
                if let g = VariantAttributionJob.genomicPosition(altIndex: i, pos0: a.pos0, refLength: a.ref.count,
                                                                 altLength: a.alt.count, length: L) {
                    altAt[g] = scores[2 * k + 1][i]
                }
            }
            for g in refAt.keys.sorted() where !(taken[a.chrom]?.contains(g) ?? false) {
                taken[a.chrom, default: []].insert(g)
                tracks[0].append((a.chrom, g, refAt[g]!))
                if let v = altAt[g] {
                    tracks[1].append((a.chrom, g, v))
                    tracks[2].append((a.chrom, g, v - refAt[g]!))
                }
            }
        }
        let outputs = try OutputTransaction(inputs: [modelPath, genomePath, vcfPath], outputs: trackPaths)
        let shared = output == "-" ? try outputs.open("-") : nil
        for (t, name) in names.enumerated() {
            let intervals = tracks[t].indices.map {
                TrackInterval(chrom: tracks[t][$0].chrom, start: tracks[t][$0].pos, end: tracks[t][$0].pos + 1, valueIndex: $0, perBase: false)
            }
            let values = tracks[t].map(\.value)
            let line = "track type=bedGraph name=\"\(method.rawValue) \(name)\" description=\"dragonn-attrib \(method.rawValue) --vcf, \(name == "delta" ? "ALT - REF" : name.uppercased()) windows, task \(arch.taskNames[task])\""
            if let shared {
                try writeBedGraph(to: shared, intervals: intervals, values: values, chromosomeOrder: genome.chromosomes, trackLine: line)
            } else if TrackFormat(path: trackPaths[t]) == .bigWig {
                try writeBigWig(tracks[t], path: trackPaths[t], genome: genome, outputs: outputs)
            } else {
                try writeBedGraph(path: trackPaths[t], in: outputs, intervals: intervals, values: values,
                                  chromosomeOrder: genome.chromosomes)
            }
        }
        if let plotDirectory {
            try FileManager.default.createDirectory(atPath: plotDirectory, withIntermediateDirectories: true)
            let letters = Array("ACGTN")
            func text(_ c: [UInt8]) -> String { String(c.map { letters[Int(min($0, 4))] }) }
            for (k, a) in kept.enumerated() {
                let title = "\(a.chrom):\(a.pos0 + 1) \(text(a.ref))>\(text(a.alt)) (\(a.id))  \(method.rawValue), task \(arch.taskNames[task]), "
                    + String(format: "logit change %+.4g", a.altLogits[task] - a.refLogits[task])
                let svg = variantFigureSVG(title: title, refScores: scores[2 * k], refCodes: Array(codes[(2 * k * L)..<((2 * k + 1) * L)]),
                                           altScores: scores[2 * k + 1], altCodes: Array(codes[((2 * k + 1) * L)..<((2 * k + 2) * L)]),
                                           variantOffset: L / 2, refLength: a.ref.count, altLength: a.alt.count,
                                           windowStart: VariantWindow.start(pos0: a.pos0, length: L), flank: logoFlank)
                let name = "\(k + 1)_\(AttributionJob.safeName(a.chrom))_\(a.pos0 + 1)_\(AttributionJob.safeName(String(text(a.ref).prefix(20))))_\(AttributionJob.safeName(String(text(a.alt).prefix(20)))).svg"
                let path = (plotDirectory as NSString).appendingPathComponent(name)
                try outputs.open(path).write(svg)
            }
        }
        try outputs.commit()
        note("explained the top \(kept.count) ALT alleles by |logit change| of task \(arch.taskNames[task])")
    }

    /// Writes one track's bases as a bigWig through the suite's writer (`TrackWriter`), its
    /// header naming every chromosome of the genome with its length, in the genome's order;
    /// adjacent bases with equal values merge as in the bedGraph, so both hold the same intervals.
    private func writeBigWig(_ track: [(chrom: String, pos: Int, value: Float)], path: String, genome: Genome,
                             outputs: OutputTransaction) throws {
        let chromosomes = genome.chromosomes.map { ($0, genome.length(of: $0) ?? 0) }
        let rank = Dictionary(uniqueKeysWithValues: genome.chromosomes.enumerated().map { ($1, $0) })
        let writer = try TrackWriter(path: path, in: outputs, chromosomes: chromosomes)
        for base in track.sorted(by: { (rank[$0.chrom]!, $0.pos) < (rank[$1.chrom]!, $1.pos) }) {
            try writer.add(chrom: base.chrom, start: base.pos, end: base.pos + 1, value: base.value)
        }
        try writer.finish()
    }

    /// The genomic position of base `i` of an ALT window (see the type's rule), or nil for an
    /// inserted base.
    static func genomicPosition(altIndex i: Int, pos0: Int, refLength: Int, altLength: Int, length L: Int) -> Int? {
        let start = VariantWindow.start(pos0: pos0, length: L)
        if i < L / 2 { return start + i }
        let k = i - L / 2
        if k < altLength { return k < refLength ? pos0 + k : nil }
        return pos0 + refLength + (k - altLength)
    }
}
