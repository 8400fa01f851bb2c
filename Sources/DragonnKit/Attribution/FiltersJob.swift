import Foundation

/// `dragonn-attrib filters`: the first-layer filters as an SVG sheet, as MEME motifs, and ranked
/// against known motifs.
public struct FiltersJob {
    public var modelPath: String
    /// SVG sheet (`-` = stdout; skipped on stdout when `compare` prints there).
    public var output: String = "-"
    public var meme: String?
    /// Motif names to compare with; `all` compares every motif of the collection.
    public var compare: [String] = []
    public var motifFiles: [String] = []
    public var noBundledMotifs = false
    /// Sequences whose strongly activating windows make the filter PWMs (`--sequences`).
    public var sequences: SequenceInput?
    /// A filter's best match is drawn beside it on the sheet when its p-value is at most this.
    public var drawPValue = 0.01

    public init(modelPath: String) { self.modelPath = modelPath }

    /// One row of the comparison TSV.
    public struct Row: Sendable {
        public var filter: Int
        public var motif: String
        public var match: FilterMotifs.Match
    }

    /// Writes the outputs together at the end (or none).
    public func run() throws {
        let writesSheet = compare.isEmpty || output != "-"
        let outputs = try OutputTransaction(inputs: [modelPath] + motifFiles + (sequences?.paths ?? []),
                                            outputs: (writesSheet ? [output] : []) + [meme].compactMap { $0 } + (compare.isEmpty ? [] : ["-"]))
        let model = try SequenceDNN.load(path: modelPath), arch = model.architecture
        let weights = model.tensor("conv.0.weight"), filters = arch.numFilters[0], width = arch.convWidth[0]
        var activation: [FilterMotifs.ActivationPWM]? = nil
        if let sequences {
            let set = try sequences.readAll()
            guard set.count > 0 else { throw DragonnError(file: sequences.name, "no sequences") }
            activation = FilterMotifs.activationPWMs(weights: weights, bias: model.tensor("conv.0.bias"), filters: filters, width: width,
                                                     codes: set.codes, count: set.count, length: set.length)
        }
        // The filters in the units they are compared in: activation PWMs against the motifs'
        // probabilities, or raw weights against the motifs' log2 odds.
        let filterColumns: [[[Double]]] = (0..<filters).map { f in
            if let activation {
                let p = activation[f].probabilities
                return (0..<width).map { k in Array(p[(k * 4)..<(k * 4 + 4)]) }
            }
            return (0..<width).map { k in (0..<4).map { Double(weights[(f * 4 + $0) * width + k]) } }
        }
        var rows: [Row] = []
        var motifsByName: [String: PWM] = [:]
        if !compare.isEmpty {
            let collection = try MotifCollection.load(files: motifFiles, replaceBundled: noBundledMotifs)
            var pwms: [PWM] = []
            for name in compare {
                if name == "all" { pwms += collection.motifs } else { pwms.append(try collection.motif(named: name)) }
            }
            for m in pwms { motifsByName[m.name] = m }
            let matrices = pwms.map { pwm in
                (0..<pwm.length).map { k in
                    (0..<4).map { b -> Double in
                        let p = pwm.probability(at: k, base: b)
                        return activation != nil ? p : log2(max(p, 1e-3) / 0.25)
                    }
                }
            }
            for f in 0..<filters where activation.map({ $0[f].sites > 0 }) ?? true {
                for (i, pwm) in pwms.enumerated() {
                    let a = FilterMotifs.bestAlignment(filter: filterColumns[f], motif: matrices[i])
                    rows.append(Row(filter: f, motif: pwm.name,
                                    match: FilterMotifs.Match(filter: f, correlation: a.correlation, offset: a.offset,
                                                              strand: a.strand, overlap: a.overlap, pValue: a.pValue)))
                }
            }
            rows = Self.ranked(rows, byFilter: pwms.count > 1)
        }
        if writesSheet {
            // Beside each filter: its best match, when significant, aligned as reported.
            var beside = [FilterLogoMatch?](repeating: nil, count: filters)
            for row in rows where beside[row.filter] == nil && row.match.pValue <= drawPValue {
                guard let pwm = motifsByName[row.motif] else { continue }
                let shown = row.match.strand == "-" ? pwm.reverseComplement : pwm
                beside[row.filter] = FilterLogoMatch(
                    columns: informationLogoColumns(shown.probabilities), offset: row.match.offset,
                    label: "\(row.motif) (\(row.match.strand)) r=\(String(format: "%.2f", row.match.correlation)) p=\(String(format: "%.2g", row.match.pValue))")
            }
            try outputs.open(output).write(filterSheetSVG(weights: weights, filters: filters, width: width,
                                                          title: "\((modelPath as NSString).lastPathComponent): first-layer filters",
                                                          matches: beside))
        }
        if let meme {
            let text = activation.map { FilterMotifs.memeText($0) } ?? FilterMotifs.memeText(weights: weights, filters: filters, width: width)
            try outputs.open(meme).write(text)
        }
        if !compare.isEmpty {
            var tsv = "filter\trank\tmotif\tpearson\tstrand\toffset\toverlap\tp_value\te_value\n"
            let compared = Set(rows.map(\.motif)).count
            var rank = 0, previous = -1
            for r in rows {
                rank = compared > 1 && r.filter != previous ? 1 : rank + 1
                previous = r.filter
                tsv += "filter\(r.filter)\t\(rank)\t\(r.motif)\t\(String(format: "%.4f", r.match.correlation))\t\(r.match.strand)\t\(r.match.offset)\t"
                tsv += "\(r.match.overlap)\t\(String(format: "%.3g", r.match.pValue))\t\(String(format: "%.3g", r.match.pValue * Double(compared)))\n"
            }
            try outputs.open("-").write(tsv)
        }
        try outputs.commit()
    }

    /// Several motifs: rows grouped by filter, each filter's motifs by p-value (then correlation);
    /// one motif: the filters by p-value (then correlation).
    static func ranked(_ rows: [Row], byFilter: Bool) -> [Row] {
        rows.sorted { a, b in
            if byFilter && a.filter != b.filter { return a.filter < b.filter }
            if a.match.pValue != b.match.pValue { return a.match.pValue < b.match.pValue }
            if a.match.correlation != b.match.correlation { return a.match.correlation > b.match.correlation }
            return (a.filter, a.motif) < (b.filter, b.motif)
        }
    }
}
