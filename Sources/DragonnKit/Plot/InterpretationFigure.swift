import Foundation

/// One sequence's column of the interpretation figure. Per-base arrays are `[base][position]`
/// (A, C, G, T; `4 * codes.count` values) unless said otherwise.
public struct FigureColumn: Sendable {
    public var name: String
    /// What the column shows, e.g. "positive (label 1)".
    public var caption: String
    /// Predicted probability of the figure's task.
    public var probability: Double
    /// Base codes (0...3 = A, C, G, T, anything else N).
    public var codes: [UInt8]
    /// Per-base motif-score tracks (log-odds), one value per position each.
    public var motifScores: [(motif: String, scores: [Float])]
    /// ISM effects logit(mutant) − logit(sequence), zero at the observed base.
    public var ism: [Float]
    /// DeepLIFT hypothetical contributions.
    public var deeplift: [Float]
    /// Input gradients (× the one-hot input = the observed base's gradient).
    public var gradient: [Float]
    /// True motif positions on this sequence.
    public var truth: [MotifInstance]

    public init(name: String, caption: String, probability: Double, codes: [UInt8],
                motifScores: [(motif: String, scores: [Float])], ism: [Float], deeplift: [Float],
                gradient: [Float], truth: [MotifInstance]) {
        precondition([ism.count, deeplift.count, gradient.count].allSatisfy { $0 == 4 * codes.count })
        precondition(motifScores.allSatisfy { $0.scores.count == codes.count })
        self.name = name; self.caption = caption; self.probability = probability; self.codes = codes
        self.motifScores = motifScores; self.ism = ism; self.deeplift = deeplift; self.gradient = gradient
        self.truth = truth
    }

    /// The value of the observed base at every position of a `[base][position]` array (0 at N).
    func observed(_ values: [Float]) -> [Float] {
        let length = codes.count
        return (0..<length).map { p in codes[p] < 4 ? values[Int(codes[p]) * length + p] : 0 }
    }

    /// The observed base's ISM value as the bedGraph gives it: minus the mean effect of the four
    /// bases (the centred effect; 0 at N, where no base is observed).
    var ismObserved: [Float] {
        let length = codes.count
        return (0..<length).map { p in
            guard codes[p] < 4 else { return 0 }
            return -(ism[p] + ism[length + p] + ism[2 * length + p] + ism[3 * length + p]) / 4
        }
    }
}

/// DragoNN's interpretation figure (`interpret_data_with_SequenceDNN`): sequences side by side
/// (a positive and a negative), six rows sharing the x axis in each column — motif scores, ISM of
/// the observed base, ISM of all substitutions as a 4 × L heatmap, DeepLIFT of the observed
/// base, gradient × input, and a DeepLIFT sequence logo (scores × one-hot) — with the true motif
/// positions boxed on every row and the predicted probability in each column's title. Rows use
/// one scale across columns so the two sequences compare directly.
///
/// The logo covers the whole sequence when it has at most `logoWindow` bases; otherwise the
/// `logoWindow` bases with the largest summed |DeepLIFT| of the observed base, shaded on the
/// rows above and joined to the logo by guide lines, with its own position axis.
///
/// Structure for readers of the SVG: each column is `<g class="column" data-sequence=NAME>`, each
/// row `<g class="row" data-row=KEY data-label=TITLE>` (the logo row also has `data-start` and
/// `data-end`), and each truth box a `<rect class="truth" data-motif=NAME>` inside its row.
public struct InterpretationFigure: Sendable {
    public var title: String
    public var task: String
    public var columns: [FigureColumn]
    public var logoWindow: Int

    public init(title: String, task: String, columns: [FigureColumn], logoWindow: Int = 100) {
        self.title = title; self.task = task; self.columns = columns; self.logoWindow = max(1, logoWindow)
    }

    /// Row keys and titles, top to bottom.
    public static let rows: [(key: String, label: String)] = [
        ("motif-scores", "motif scores (log2 odds of the window starting at each base, best strand; clamped at 0)"),
        ("ism", "ISM: observed base (−mean effect of the 4 bases)"),
        ("ism-heatmap", "ISM: every substitution, logit(mutant) − logit(sequence)"),
        ("deeplift", "DeepLIFT: observed base"),
        ("grad-input", "gradient × input"),
        ("deeplift-logo", "DeepLIFT logo (scores × one-hot)"),
    ]

    static let motifColors = ["#6a3d9a", "#e31a1c", "#1f78b4", "#33a02c", "#ff7f00", "#b15928"]
    static let truthFill = "#fde2a7", truthStroke = "#c98a00"

    /// The logo's window `[start, end)` of a column: everything, or the most important bases.
    public func logoRange(_ column: FigureColumn) -> Range<Int> {
        let length = column.codes.count
        guard length > logoWindow else { return 0..<length }
        let magnitude = column.observed(column.deeplift).map(abs)
        let best = TopWindow.find(scores: magnitude[...], width: logoWindow)!
        return best.start..<(best.start + best.length)
    }

    /// The figure as a standalone SVG document.
    public func svg() -> String {
        let left = 76.0, plotWidth = 760.0, gutter = 60.0, columnWidth = left + plotWidth + gutter
        let rowHeights = [80.0, 80.0, 4 * 13.0, 80.0, 80.0, 110.0]
        let rowGap = 36.0, top = 140.0
        var rowTops: [Double] = []
        var y = top
        for (i, h) in rowHeights.enumerated() {
            rowTops.append(y)
            y += h + rowGap + (i == 4 ? 28 : 0)   // room for the shared axis under the last full-length row
        }
        let height = y + 30
        var svg = SVGDocument(width: 20 + columnWidth * Double(max(1, columns.count)), height: height)
        svg.text(title, x: 20, y: 26, size: 16, bold: true)

        // Shared scales per row (symmetric for attributions).
        func extent(_ f: (FigureColumn) -> [Float]) -> Double {
            Double(max(columns.flatMap(f).filter(\.isFinite).map(abs).max() ?? 0, 1e-6))
        }
        let ismExtent = extent { $0.ismObserved }, heatExtent = extent { $0.ism }
        let deepExtent = extent { $0.observed($0.deeplift) }, gradExtent = extent { $0.observed($0.gradient) }
        // Motif scores are clamped at 0: a negative log-odds is no evidence for the motif, and the
        // floor of a long sequence's track would flatten the peaks that matter.
        let motifTop = max(columns.flatMap { $0.motifScores.flatMap(\.scores) }.filter(\.isFinite).map(Double.init).max() ?? 1, 1)
        let motifBottom = 0.0
        let motifNames = columns.first?.motifScores.map(\.motif) ?? []
        drawLegend(&svg, y: 50, motifNames: motifNames, heatExtent: heatExtent)

        for (ci, column) in columns.enumerated() {
            let x0 = 20 + Double(ci) * columnWidth + left
            let L = column.codes.count
            let xs = LinearScale(domain: (0, Double(max(L, 1))), range: (x0, x0 + plotWidth))
            svg.raw("<g class=\"column\" data-sequence=\"\(SVGDocument.escape(column.name))\">")
            svg.text("\(column.name) — \(column.caption), P(\(task)) = \(String(format: "%.3f", column.probability))",
                     x: x0, y: top - 34, size: 14, bold: true)
            let window = logoRange(column)
            for (ri, row) in Self.rows.enumerated() {
                let rt = rowTops[ri], rh = rowHeights[ri]
                var attributes = "class=\"row\" data-row=\"\(row.key)\" data-label=\"\(SVGDocument.escape(row.label))\""
                if row.key == "deeplift-logo" { attributes += " data-start=\"\(window.lowerBound)\" data-end=\"\(window.upperBound)\"" }
                svg.raw("<g \(attributes)>")
                svg.text(row.label, x: x0, y: rt - 8, size: 11, fill: "#222", bold: true)
                switch row.key {
                case "motif-scores":
                    let ys = LinearScale(domain: (motifBottom, motifTop), range: (rt + rh, rt))
                    shade(&svg, window, L: L, xs: xs, top: rt, height: rh)
                    truthBoxes(&svg, column.truth, range: 0..<L, xs: xs, top: rt, height: rh, behind: true)
                    for (mi, track) in column.motifScores.enumerated() {
                        // Scores below the axis are clamped to it; positions without a score break the line.
                        var run: [(x: Double, y: Double)] = []
                        for p in 0..<L {
                            let v = Double(track.scores[p])
                            if v.isNaN { svg.polyline(run, stroke: Self.motifColors[mi % Self.motifColors.count], strokeWidth: 1); run = []; continue }
                            run.append((xs(Double(p) + 0.5), ys(min(max(v, motifBottom), motifTop))))
                        }
                        svg.polyline(run, stroke: Self.motifColors[mi % Self.motifColors.count], strokeWidth: 1)
                    }
                    yAxis(&svg, ys, x: x0, unit: "log2 odds")
                case "ism", "deeplift", "grad-input":
                    let (values, e, unit) = row.key == "ism" ? (column.ismObserved, ismExtent, "Δ logit")
                        : row.key == "deeplift" ? (column.observed(column.deeplift), deepExtent, "contribution")
                        : (column.observed(column.gradient), gradExtent, "grad × input")
                    let ys = LinearScale(domain: (-e, e), range: (rt + rh, rt))
                    shade(&svg, window, L: L, xs: xs, top: rt, height: rh)
                    truthBoxes(&svg, column.truth, range: 0..<L, xs: xs, top: rt, height: rh, behind: true)
                    bars(&svg, values, codes: column.codes, xs: xs, ys: ys)
                    yAxis(&svg, ys, x: x0, unit: unit)
                case "ism-heatmap":
                    heatmap(&svg, column, extent: heatExtent, xs: xs, top: rt, height: rh)
                    for b in 0..<4 {
                        svg.text(["A", "C", "G", "T"][b], x: x0 - 6, y: rt + (Double(b) + 0.75) * rh / 4, size: 10,
                                 anchor: .end, fill: LogoLetters.colors[b], bold: true)
                    }
                    shade(&svg, window, L: L, xs: xs, top: rt, height: rh, outline: true)
                    truthBoxes(&svg, column.truth, range: 0..<L, xs: xs, top: rt, height: rh, behind: false)
                default:
                    logo(&svg, column, window: window, extent: deepExtent, x0: x0, width: plotWidth, top: rt, height: rh,
                         guideFrom: (xs(Double(window.lowerBound)), xs(Double(window.upperBound)), rowTops[4] + rowHeights[4]),
                         full: window.count == L)
                }
                svg.raw("</g>")
            }
            // The shared x axis of the full-length rows, under the last of them.
            let axisY = rowTops[4] + rowHeights[4]
            svg.line(x1: x0, y1: axisY, x2: x0 + plotWidth, y2: axisY, stroke: "#333", strokeWidth: 0.8)
            for tick in xs.ticks(10) {
                svg.line(x1: xs(tick), y1: axisY, x2: xs(tick), y2: axisY + 4, stroke: "#333")
                svg.text(String(Int(tick)), x: xs(tick), y: axisY + 15, size: 9, anchor: .middle)
            }
            svg.text("position (bp)", x: x0 + plotWidth / 2, y: axisY + 27, size: 10, anchor: .middle)
            svg.raw("</g>")
        }
        return svg.document
    }

    private func drawLegend(_ svg: inout SVGDocument, y: Double, motifNames: [String], heatExtent: Double) {
        var x = 20.0
        for b in 0..<4 {
            svg.rect(x: x, y: y - 9, width: 10, height: 10, fill: LogoLetters.colors[b])
            svg.text(["A", "C", "G", "T"][b], x: x + 14, y: y, size: 11)
            x += 32
        }
        x += 10
        svg.rect(x: x, y: y - 10, width: 22, height: 12, fill: Self.truthFill, stroke: Self.truthStroke, strokeWidth: 0.8)
        svg.text("true motif position", x: x + 28, y: y, size: 11)
        x += 150
        for (i, name) in motifNames.enumerated() {
            svg.line(x1: x, y1: y - 4, x2: x + 22, y2: y - 4, stroke: Self.motifColors[i % Self.motifColors.count], strokeWidth: 2)
            svg.text(name + " score", x: x + 28, y: y, size: 11)
            x += 40 + Double(name.count + 6) * 6.5
        }
        x += 10
        svg.rect(x: x, y: y - 10, width: 22, height: 12, fill: "#e6e6e6", stroke: "#777", strokeWidth: 0.5)
        svg.text("logo window", x: x + 28, y: y, size: 11)
        // Heatmap colour bar.
        let barX = 20.0, barY = y + 14, barWidth = 200.0, steps = 2 * Self.heatLevels + 1
        svg.text("ISM heatmap:", x: barX, y: barY + 10, size: 11)
        for i in 0..<steps {
            svg.rect(x: barX + 130 + Double(i) * barWidth / Double(steps), y: barY, width: barWidth / Double(steps) + 0.3, height: 12,
                     fill: Self.heatColor(level: i - Self.heatLevels))
        }
        svg.text(String(format: "%.3g", -heatExtent), x: barX + 126, y: barY + 10, size: 10, anchor: .end)
        svg.text(String(format: "+%.3g Δ logit (blue: mutation lowers the logit, red: raises it; observed base 0)", heatExtent),
                 x: barX + 134 + barWidth, y: barY + 10, size: 10)
    }

    /// Truth boxes over `range` of the row (clipped to it), behind the data (filled) or on top (outlined).
    private func truthBoxes(_ svg: inout SVGDocument, _ truth: [MotifInstance], range: Range<Int>, xs: LinearScale,
                            top: Double, height: Double, behind: Bool) {
        for t in truth.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) where t.start < range.upperBound && t.end > range.lowerBound {
            let a = xs(Double(max(t.start, range.lowerBound))), b = xs(Double(min(t.end, range.upperBound)))
            let fill = behind ? Self.truthFill : "none"
            svg.raw("<rect class=\"truth\" data-motif=\"\(SVGDocument.escape(t.motif))\" x=\"\(SVGDocument.number(a))\" y=\"\(SVGDocument.number(top))\" width=\"\(SVGDocument.number(max(1, b - a)))\" height=\"\(SVGDocument.number(height))\" fill=\"\(fill)\" stroke=\"\(Self.truthStroke)\" stroke-width=\"\(behind ? "0.8" : "1.4")\"><title>\(SVGDocument.escape(t.motif)) \(t.start)-\(t.end)</title></rect>")
        }
    }

    /// The logo window as a grey band behind the truth boxes (or an outline, over the heatmap) on a full-length row.
    private func shade(_ svg: inout SVGDocument, _ window: Range<Int>, L: Int, xs: LinearScale, top: Double,
                       height: Double, outline: Bool = false) {
        guard window.count < L else { return }
        let a = xs(Double(window.lowerBound)), b = xs(Double(window.upperBound))
        svg.rect(x: a, y: top, width: b - a, height: height, fill: outline ? "none" : "#e6e6e6",
                 stroke: outline ? "#555" : nil, strokeWidth: 0.6)
    }

    /// Bars from zero, coloured by the observed base: one path per colour keeps 1000 bp small.
    private func bars(_ svg: inout SVGDocument, _ values: [Float], codes: [UInt8], xs: LinearScale, ys: LinearScale) {
        let zero = ys(0), width = SVGDocument.number(max(0.6, xs(1) - xs(0)))
        var paths = [String](repeating: "", count: 5)
        for (p, v) in values.enumerated() where v != 0 && v.isFinite {
            let y = ys(Double(v))
            paths[min(Int(codes[p]), 4)] += "M\(SVGDocument.number(xs(Double(p)))),\(SVGDocument.number(min(y, zero)))h\(width)v\(SVGDocument.number(abs(y - zero)))h-\(width)z"
        }
        for (b, d) in paths.enumerated() where !d.isEmpty {
            svg.path(d, fill: b < 4 ? LogoLetters.colors[b] : "#888")
        }
        svg.line(x1: xs.range.0, y1: zero, x2: xs.range.1, y2: zero, stroke: "#333", strokeWidth: 0.5)
    }

    private func yAxis(_ svg: inout SVGDocument, _ ys: LinearScale, x: Double, unit: String) {
        svg.line(x1: x, y1: ys.range.0, x2: x, y2: ys.range.1, stroke: "#333", strokeWidth: 0.8)
        for tick in ys.ticks(6) {
            svg.line(x1: x - 4, y1: ys(tick), x2: x, y2: ys(tick), stroke: "#333")
            svg.text(String(format: "%.3g", tick), x: x - 6, y: ys(tick) + 3, size: 9, anchor: .end)
        }
        svg.text(unit, x: x - 52, y: (ys.range.0 + ys.range.1) / 2, size: 9, anchor: .middle, rotate: -90)
    }

    /// Colour levels on each side of zero in the heatmap: quantising lets equal neighbours merge
    /// into one rectangle, which keeps a 1000 bp heatmap small.
    static let heatLevels = 8

    /// Blue (negative) through white to red (positive); `level` in −heatLevels...heatLevels.
    static func heatColor(level: Int) -> String {
        let t = Double(abs(level)) / Double(heatLevels)
        let (r, g, b) = level >= 0 ? (255.0, 255 - 200 * t, 255 - 210 * t) : (255 - 215 * t, 255 - 160 * t, 255.0)
        return String(format: "#%02x%02x%02x", Int(r.rounded()), Int(g.rounded()), Int(b.rounded()))
    }

    private func heatmap(_ svg: inout SVGDocument, _ column: FigureColumn, extent: Double, xs: LinearScale,
                         top: Double, height: Double) {
        let L = column.codes.count, cell = height / 4
        svg.rect(x: xs.range.0, y: top, width: xs.range.1 - xs.range.0, height: height, fill: "white", stroke: "#bbb", strokeWidth: 0.5)
        for b in 0..<4 {
            var p = 0
            while p < L {
                let level = Self.level(column.ism[b * L + p], extent: extent)
                var q = p + 1
                while q < L && Self.level(column.ism[b * L + q], extent: extent) == level { q += 1 }
                if level != 0 {
                    svg.rect(x: xs(Double(p)), y: top + Double(b) * cell, width: xs(Double(q)) - xs(Double(p)), height: cell,
                             fill: Self.heatColor(level: level))
                }
                p = q
            }
        }
    }

    static func level(_ v: Float, extent: Double) -> Int {
        guard v.isFinite else { return 0 }
        return max(-heatLevels, min(heatLevels, Int((Double(v) / extent * Double(heatLevels)).rounded())))
    }

    private func logo(_ svg: inout SVGDocument, _ column: FigureColumn, window: Range<Int>, extent: Double, x0: Double,
                      width: Double, top: Double, height: Double, guideFrom: (Double, Double, Double), full: Bool) {
        let L = column.codes.count
        let xs = LinearScale(domain: (Double(window.lowerBound), Double(window.upperBound)), range: (x0, x0 + width))
        truthBoxes(&svg, column.truth, range: window, xs: xs, top: top, height: height, behind: true)
        if !full {
            // Guides from the band on the rows above to the zoomed logo.
            svg.line(x1: guideFrom.0, y1: guideFrom.2 + 30, x2: x0, y2: top - 20, stroke: "#888", strokeWidth: 0.6, dash: "3 3")
            svg.line(x1: guideFrom.1, y1: guideFrom.2 + 30, x2: x0 + width, y2: top - 20, stroke: "#888", strokeWidth: 0.6, dash: "3 3")
        }
        let columns = window.map { p -> SIMD4<Float> in
            var v = SIMD4<Float>.zero
            if column.codes[p] < 4 { v[Int(column.codes[p])] = column.deeplift[Int(column.codes[p]) * L + p] }
            return v
        }
        let baseline = top + height / 2
        drawLogo(columns, x0: x0, y0: baseline, columnWidth: width / Double(max(1, window.count)),
                 scale: (height / 2) / extent, into: &svg)
        svg.line(x1: x0, y1: baseline, x2: x0 + width, y2: baseline, stroke: "#333", strokeWidth: 0.5)
        let ys = LinearScale(domain: (-extent, extent), range: (top + height, top))
        yAxis(&svg, ys, x: x0, unit: "contribution")
        for tick in xs.ticks(10) where tick == tick.rounded() {
            svg.line(x1: xs(tick), y1: top + height, x2: xs(tick), y2: top + height + 4, stroke: "#333")
            svg.text(String(Int(tick)), x: xs(tick), y: top + height + 15, size: 9, anchor: .middle)
        }
        svg.text(full ? "position (bp)" : "position (bp), bases \(window.lowerBound)-\(window.upperBound) (largest |DeepLIFT|)",
                 x: x0 + width / 2, y: top + height + 27, size: 10, anchor: .middle)
    }
}
