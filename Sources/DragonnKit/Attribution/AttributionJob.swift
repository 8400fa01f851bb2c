import Foundation

/// Attribution method of `dragonn-attrib`.
public enum AttributionMethod: String, CaseIterable, Sendable {
    case ism, deeplift, grad
}

/// Everything `dragonn-attrib ism|deeplift|grad` does: load the model and sequences, attribute,
/// write the bedGraph / npy / top windows / plots, score against the truth.
///
/// Per-base values: for `deeplift` the hypothetical contributions; for `ism` the mutation effects
/// centred per position (effect − mean effect of the four bases), so the observed base's value is
/// minus the mean effect of mutating it (×3/4); for `grad` the input gradient. The bedGraph, top
/// windows, plots and truth scoring use the value of the observed base; N bases get zero there
/// (no observed base). In `--npy`, ISM keeps the four real substitution effects at an N (centred
/// like every position); DeepLIFT and gradient × input give an N zero in all four bases.
public struct AttributionJob {
    public var method: AttributionMethod
    public var modelPath: String
    /// The sequences (FASTA/FASTQ, `.npy`, or regions of a genome, which are recentred to the
    /// model's length unless a length is given).
    public var input = SequenceInput(.file("-"))
    public var task: String?
    /// The bedGraph (`-` = stdout, one task only; several tasks give one file per task,
    /// `NAME.TASK.bedGraph`, and no `NAME.bedGraph`).
    public var output: String = "-"
    /// Start the bedGraph with a `track` line.
    public var trackLine = false
    public var npyPrefix: String?
    public var topWindows: String?
    public var window: Int = 10
    public var positiveThreshold: Double = 0.5
    public var plotDirectory: String?
    public var plotMax: Int = 10
    public var truth: String?
    public var reference: AttributionReference = .shuffles(20)
    public var seed: UInt64 = 1
    public var threads: Int = 1

    public init(method: AttributionMethod, modelPath: String) {
        self.method = method
        self.modelPath = modelPath
    }

    /// Runs the job; `note` receives the stderr notes (N bases). Throws before writing anything
    /// when inputs disagree; all outputs appear together at the end, or none.
    public func run(note: (String) -> Void) throws {
        let outputs = try OutputTransaction(inputs: [modelPath] + input.paths + [truth].compactMap { $0 },
                                            outputs: [output, npyPrefix.map { $0 + ".ohe.npy" }, topWindows].compactMap { $0 })
        let model = try SequenceDNN.load(path: modelPath), arch = model.architecture
        let tasks = try arch.taskIndices(task)
        let taskNames = tasks.map { arch.taskNames[$0] }
        let writesTrack = truth == nil || output != "-"
        // One track per stream: concatenated tracks on stdout are not a bedGraph tabix can index.
        if writesTrack && output == "-" && tasks.count > 1 {
            throw DragonnError("the model has \(tasks.count) tasks (\(taskNames.joined(separator: ", "))) and stdout takes one track: give --task NAME, or -o FILE.bedGraph for one file per task (FILE.TASK.bedGraph)")
        }
        let source = input.name
        let reader = try input.reader(regionLength: arch.seqLength)
        let sequences = try reader.readAll()
        guard sequences.count > 0 else { throw DragonnError(file: source, "no sequences") }
        guard sequences.length == arch.seqLength else {
            throw DragonnError(file: source, "sequences are \(sequences.length) bp but the model expects \(arch.seqLength) bp")
        }
        guard window > 0, window <= arch.seqLength else {
            throw DragonnError("--window must be between 1 and the sequence length (\(arch.seqLength))")
        }
        var truthInstances: [MotifInstance] = []
        if let truth {
            truthInstances = try TruthBED.instances(path: truth, names: sequences.names)
        }
        let n = sequences.count, length = sequences.length
        if writesTrack {
            let placed = (0..<n).map { TrackInterval.placing(sequences, $0, valueIndex: 0) }
            let overlapped = TrackLayout.overlappedBases(placed.map { ($0.chrom, $0.start, $0.end) })
            if overlapped > 0 {
                note("\(overlapped) bases lie in more than one window: in the track each takes the value of the window whose centre is nearest (ties: the window starting first)")
            }
        }
        let nBases = sequences.codes.reduce(0) { $0 + ($1 > 3 ? 1 : 0) }
        if nBases > 0 {
            note("\(nBases) N (or other non-ACGT) bases get zero attribution" + (method == .ism && npyPrefix != nil ? " in the track (--npy holds their four substitution effects)" : ""))
        }

        let trackPaths = writesTrack ? taskNames.map { tasks.count == 1 || output == "-" ? output : Self.insert($0, into: output) } : []
        let attrPaths = npyPrefix.map { prefix in
            taskNames.map { prefix + (tasks.count == 1 ? "" : "." + Self.safeName($0)) + ".attr.npy" }
        } ?? []
        for path in trackPaths + attrPaths + (truth != nil ? ["-"] : []) where !outputs.isDeclared(path) { try outputs.declare(path) }
        // .npy outputs stream batch by batch into temporaries, renamed into place at the end.
        let oheNpy = try npyPrefix.map { try outputs.openNpy($0 + ".ohe.npy", dtype: .float32, rowShape: [4, length]) }
        let attrNpy = try attrPaths.map { try outputs.openNpy($0, dtype: .float32, rowShape: [4, length]) }
        // Attribute in batches (bounded memory): per-base values [sequence][task][base][position],
        // kept only as observed-base scores [task][sequence][position]; N columns are zero in the
        // scores, and in the --npy values too except for ISM, where each base at an N is a real mutation.
        var scores = [Float](repeating: 0, count: tasks.count * n * length)
        let batchSize = 512
        var row = [Float](repeating: 0, count: 4 * length)
        for first in stride(from: 0, to: n, by: batchSize) {
            let count = min(batchSize, n - first)
            let codes = Array(sequences.codes[(first * length)..<((first + count) * length)])
            var values: [Float]
            switch method {
            case .ism:
                values = inSilicoMutagenesis(model: model, codes: codes, count: count, tasks: tasks, threads: threads)
                centreColumns(&values, columns: count * tasks.count, length: length)
            case .deeplift:
                values = deepLift(model: model, codes: codes, count: count, tasks: tasks, reference: reference,
                                  seed: seed, threads: threads, firstIndex: first)
            case .grad:
                values = inputGradient(model: model, codes: codes, count: count, tasks: tasks, threads: threads)
            }
            for i in 0..<count {
                let s = first + i
                for ti in 0..<tasks.count {
                    let base = (i * tasks.count + ti) * 4 * length
                    for p in 0..<length {
                        let code = Int(codes[i * length + p])
                        if code < 4 {
                            scores[(ti * n + s) * length + p] = values[base + code * length + p]
                        } else if method != .ism {
                            for b in 0..<4 { values[base + b * length + p] = 0 }
                        }
                    }
                    if ti < attrNpy.count {
                        try values[base..<(base + 4 * length)].withUnsafeBytes { try attrNpy[ti].append($0) }
                        attrNpy[ti].addRows(1)
                    }
                }
                if let oheNpy {
                    for j in 0..<row.count { row[j] = 0 }
                    for p in 0..<length where codes[i * length + p] < 4 { row[Int(codes[i * length + p]) * length + p] = 1 }
                    try row.withUnsafeBytes { try oheNpy.append($0) }
                    oheNpy.addRows(1)
                }
            }
        }
        for (ti, name) in taskNames.enumerated() where writesTrack {
            let track = "track type=bedGraph name=\"\(method.rawValue) \(name)\" description=\"dragonn-attrib \(method.rawValue), task \(name)\" visibility=full autoScale=on"
            let intervals = (0..<n).map { TrackInterval.placing(sequences, $0, valueIndex: (ti * n + $0) * length) }
            try writeBedGraph(path: trackPaths[ti], in: outputs, intervals: intervals, values: scores,
                              chromosomeOrder: reader.chromosomeOrder, trackLine: trackLine ? track : nil)
        }
        var logits: [Float] = []
        if topWindows != nil { logits = model.logits(codes: sequences.codes, count: n, threads: threads) }
        if let topWindows {
            let out = try outputs.open(topWindows)
            try out.write("sequence\ttask\tchrom\tstart\tend\tscore\tbases\n")
            for s in 0..<n {
                for (ti, t) in tasks.enumerated() {
                    let probability = 1 / (1 + exp(-Double(logits[s * arch.numTasks + t])))
                    if probability < positiveThreshold { continue }
                    let row = (ti * n + s) * length
                    guard let w = TopWindow.find(scores: scores[row..<(row + length)], width: window) else { continue }
                    let bases = String(decoding: sequences.codes[(s * length + w.start)..<(s * length + w.start + w.length)]
                        .map { $0 < 4 ? Array("ACGT".utf8)[Int($0)] : UInt8(ascii: "N") }, as: UTF8.self)
                    let place = TrackInterval.placing(sequences, s, valueIndex: 0)
                    try out.write("\(sequences.names[s])\t\(taskNames[ti])\t\(place.chrom)\t\(place.start + w.start)\t\(place.start + w.start + w.length)\t\(w.score)\t\(bases)\n")
                }
            }
        }
        if let plotDirectory {
            do {
                try FileManager.default.createDirectory(atPath: plotDirectory, withIntermediateDirectories: true)
            } catch {
                throw DragonnError(file: plotDirectory, "cannot create the plot folder")
            }
            for s in 0..<min(n, plotMax) {
                for (ti, name) in taskNames.enumerated() {
                    let row = (ti * n + s) * length
                    let seqScores = Array(scores[row..<(row + length)])
                    let top = TopWindow.find(scores: seqScores[...], width: window)
                    let svg = attributionTrackSVG(
                        title: "\(sequences.names[s]) — \(method.rawValue), task \(name)", scores: seqScores,
                        codes: Array(sequences.codes[(s * length)..<((s + 1) * length)]),
                        truth: truthInstances.filter { $0.sequence == sequences.names[s] },
                        window: top.map { (start: $0.start, length: $0.length) })
                    let file = (plotDirectory as NSString).appendingPathComponent(
                        String(format: "%04d", s + 1) + "_" + Self.safeName(sequences.names[s]) + (tasks.count == 1 ? "" : "_" + Self.safeName(name)) + ".svg")
                    try outputs.open(file).write(svg)
                }
            }
        }
        if truth != nil {
            var tsv = "method\ttask\tmotif\tauPRC\twindows\n"
            for (ti, name) in taskNames.enumerated() {
                let results = try positionalPRC(scores: Array(scores[(ti * n * length)..<((ti + 1) * n * length)]),
                                                names: sequences.names, length: length, truth: truthInstances)
                for r in results {
                    tsv += "\(method.rawValue)\t\(name)\t\(r.motif)\t\(String(format: "%.4f", r.auPRC))\t\(r.windows)\n"
                }
            }
            try outputs.open("-").write(tsv)
        }
        try outputs.commit()
    }

    /// `out.bedGraph.gz` + task `t1` → `out.t1.bedGraph.gz` (before the first of .bedGraph/.bg/.gz/.txt).
    static func insert(_ name: String, into path: String) -> String {
        let file = (path as NSString).lastPathComponent, dir = (path as NSString).deletingLastPathComponent
        var stem = file, suffix = ""
        for ext in [".bedGraph.gz", ".bedgraph.gz", ".bg.gz", ".bedGraph", ".bedgraph", ".bg", ".bw", ".bigWig", ".gz", ".txt"] where file.hasSuffix(ext) {
            stem = String(file.dropLast(ext.count)); suffix = ext; break
        }
        let result = stem + "." + safeName(name) + suffix
        return dir.isEmpty ? result : (dir as NSString).appendingPathComponent(result)
    }

    /// `s` as part of a file name: letters, digits, `-`, `_` and `.` kept, anything else `_`; a
    /// name longer than 100 characters keeps its first 80 and a hash of the whole, so every file
    /// name fits the file system's 255 bytes and distinct names stay distinct.
    static func safeName(_ s: String) -> String {
        let kept = String(s.map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        guard kept.count > 100 else { return kept }
        var hash = FNV1a()
        hash.mix(Array(s.utf8))
        return kept.prefix(80) + "_" + String(hash.value, radix: 16)
    }
}

/// Subtracts the mean over the four bases from every position of `columns` blocks `[4][length]`.
func centreColumns(_ values: inout [Float], columns: Int, length: Int) {
    for c in 0..<columns {
        let base = c * 4 * length
        for p in 0..<length {
            let mean = (values[base + p] + values[base + length + p] + values[base + 2 * length + p] + values[base + 3 * length + p]) / 4
            for b in 0..<4 { values[base + b * length + p] -= mean }
        }
    }
}
