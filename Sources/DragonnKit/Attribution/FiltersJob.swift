import Foundation

/// `dragonn-attrib filters`: the first-layer filters as an SVG sheet, as MEME motifs, and ranked
/// against a known motif.
public struct FiltersJob {
    public var modelPath: String
    /// SVG sheet (`-` = stdout; skipped on stdout when `compare` prints there).
    public var output: String = "-"
    public var meme: String?
    public var compare: String?
    public var motifFiles: [String] = []
    public var noBundledMotifs = false

    public init(modelPath: String) { self.modelPath = modelPath }

    /// Writes the outputs together at the end (or none).
    public func run() throws {
        let writesSheet = compare == nil || output != "-"
        let outputs = try OutputTransaction(inputs: [modelPath] + motifFiles,
                                            outputs: (writesSheet ? [output] : []) + [meme].compactMap { $0 } + (compare != nil ? ["-"] : []))
        let model = try SequenceDNN.load(path: modelPath), arch = model.architecture
        let first = (weight: model.tensor("conv.0.weight"), filters: arch.numFilters[0], width: arch.convWidth[0])
        var ranking: [FilterMotifs.Match]? = nil
        if let compare {
            let collection = try MotifCollection.load(files: motifFiles, replaceBundled: noBundledMotifs)
            let pwm = try collection.motif(named: compare)
            let matrix = (0..<pwm.length).map { k in (0..<4).map { pwm.probability(at: k, base: $0) } }
            ranking = FilterMotifs.compare(weights: first.weight, filters: first.filters, width: first.width, motif: matrix)
        }
        if writesSheet {
            try outputs.open(output).write(filterSheetSVG(weights: first.weight, filters: first.filters, width: first.width,
                                                          title: "\((modelPath as NSString).lastPathComponent): first-layer filters"))
        }
        if let meme {
            try outputs.open(meme).write(FilterMotifs.memeText(weights: first.weight, filters: first.filters, width: first.width))
        }
        if let ranking, let compare {
            var tsv = "rank\tfilter\tmotif\tpearson\tstrand\toffset\n"
            for (i, m) in ranking.enumerated() {
                tsv += "\(i + 1)\tfilter\(m.filter)\t\(compare)\t\(String(format: "%.4f", m.correlation))\t\(m.strand)\t\(m.offset)\n"
            }
            try outputs.open("-").write(tsv)
        }
        try outputs.commit()
    }
}
