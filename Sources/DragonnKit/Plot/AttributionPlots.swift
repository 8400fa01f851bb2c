import Foundation

/// One sequence's attribution figure: the per-base track (bars coloured by the observed base),
/// ground-truth motif boxes behind it, and a letter logo of the top window below.
///
/// `scores` is the observed-base attribution per position; `codes` the bases; `truth` the
/// instances on this sequence; `window` the top window (start, length).
public func attributionTrackSVG(title: String, scores: [Float], codes: [UInt8], truth: [MotifInstance],
                                window: (start: Int, length: Int)?) -> String {
    let length = scores.count
    let left = 60.0, right = 20.0, plotWidth = max(400.0, min(1600.0, Double(length) * 1.2))
    let trackTop = 52.0, trackHeight = 160.0, logoTop = trackTop + trackHeight + 60, logoHeight = 140.0
    let height = window == nil ? trackTop + trackHeight + 50 : logoTop + logoHeight + 40
    var svg = SVGDocument(width: left + plotWidth + right, height: height)
    svg.text(title, x: left, y: 22, size: 14, bold: true)
    let extent = Double(max(scores.map { abs($0) }.max() ?? 0, 1e-6))
    let yScale = LinearScale(domain: (-extent, extent), range: (trackTop + trackHeight, trackTop))
    let xScale = LinearScale(domain: (0, Double(length)), range: (left, left + plotWidth))
    // Truth boxes first, so the track is drawn over them.
    // Labels alternate between two rows when they would run into the previous one.
    var lastLabelEnd = [-Double.infinity, -Double.infinity]
    for t in truth.sorted(by: { $0.start < $1.start }) {
        let x = xScale(Double(t.start))
        svg.rect(x: x, y: trackTop, width: max(1, xScale(Double(t.end)) - x),
                 height: trackHeight, fill: "#fde2a7", stroke: "#c98a00", strokeWidth: 0.8)
        let row = x >= lastLabelEnd[0] ? 0 : (x >= lastLabelEnd[1] ? 1 : 0)
        svg.text(t.motif, x: x, y: trackTop - 4 - Double(row) * 11, size: 10, fill: "#8a5d00")
        lastLabelEnd[row] = x + Double(t.motif.count) * 6 + 4
    }
    if let window {
        svg.rect(x: xScale(Double(window.start)), y: trackTop, width: max(1, xScale(Double(window.start + window.length)) - xScale(Double(window.start))),
                 height: trackHeight, fill: "none", stroke: "#444", strokeWidth: 1)
    }
    let zero = yScale(0)
    let barWidth = plotWidth / Double(max(1, length))
    for p in 0..<length where scores[p] != 0 {
        let y = yScale(Double(scores[p]))
        let color = codes[p] < 4 ? LogoLetters.colors[Int(codes[p])] : "#888"
        svg.rect(x: xScale(Double(p)), y: min(y, zero), width: max(0.6, barWidth), height: abs(y - zero), fill: color)
    }
    svg.line(x1: left, y1: zero, x2: left + plotWidth, y2: zero, stroke: "#333", strokeWidth: 0.6)
    for tick in yScale.ticks(8) {
        svg.line(x1: left - 4, y1: yScale(tick), x2: left, y2: yScale(tick), stroke: "#333")
        svg.text(String(format: "%.3g", tick), x: left - 6, y: yScale(tick) + 3, size: 9, anchor: .end)
    }
    for tick in xScale.ticks(8) {
        svg.line(x1: xScale(tick), y1: trackTop + trackHeight, x2: xScale(tick), y2: trackTop + trackHeight + 4, stroke: "#333")
        svg.text(String(Int(tick)), x: xScale(tick), y: trackTop + trackHeight + 15, size: 9, anchor: .middle)
    }
    svg.text("attribution", x: 14, y: trackTop + trackHeight / 2, size: 10, anchor: .middle, rotate: -90)
    if let window {
        let end = min(length, window.start + window.length)
        svg.text("top window \(window.start)-\(end)", x: left, y: logoTop - 28, size: 12, bold: true)
        let columns = (window.start..<end).map { p -> SIMD4<Float> in
            var v = SIMD4<Float>.zero
            if codes[p] < 4 { v[Int(codes[p])] = scores[p] }
            return v
        }
        let peak = Double(max(columns.map { abs($0.sum()) }.max() ?? 0, 1e-6))
        let colWidth = min(40.0, plotWidth / Double(max(1, columns.count)))
        let baseline = logoTop + logoHeight / 2
        drawLogo(columns, x0: left, y0: baseline, columnWidth: colWidth, scale: (logoHeight / 2) / peak, into: &svg)
        svg.line(x1: left, y1: baseline, x2: left + colWidth * Double(columns.count), y2: baseline, stroke: "#333", strokeWidth: 0.6)
        for (i, p) in (window.start..<end).enumerated() where i % 5 == 0 {
            svg.text(String(p), x: left + (Double(i) + 0.5) * colWidth, y: logoTop + logoHeight + 14, size: 9, anchor: .middle)
        }
    }
    return svg.document
}

/// A sheet of first-layer filters, each drawn as a logo of its weights (letter height = weight,
/// positive up, negative down), several per row. `matches[f]`, when given, is a known motif's
/// information-content logo (bits) drawn under filter `f`, shifted by its alignment offset.
public func filterSheetSVG(weights: [Float], filters: Int, width: Int, title: String,
                           matches: [FilterLogoMatch?] = []) -> String {
    let shown = matches.compactMap { $0 }
    // Columns left of the filter and right of it that an aligned motif needs.
    let left = Double(shown.map { max(0, -$0.offset) }.max() ?? 0)
    let right = Double(shown.map { max(0, $0.offset + $0.columns.count - width) }.max() ?? 0)
    let perRow = 4, cellWidth = 40.0 + (Double(width) + left + right) * 18.0
    let cellHeight = shown.isEmpty ? 150.0 : 240.0
    let rows = (filters + perRow - 1) / perRow
    var svg = SVGDocument(width: Double(min(filters, perRow)) * cellWidth + 20, height: Double(rows) * cellHeight + 40)
    svg.text(title, x: 10, y: 22, size: 14, bold: true)
    let peak = Double(max(weights.map { abs($0) }.max() ?? 0, 1e-6))
    for f in 0..<filters {
        let cx = 10 + Double(f % perRow) * cellWidth, cy = 40 + Double(f / perRow) * cellHeight
        let x0 = cx + 30 + left * 18
        let columns = (0..<width).map { k -> SIMD4<Float> in
            SIMD4((0..<4).map { weights[(f * 4 + $0) * width + k] })
        }
        // The column with the most weight (either sign) fills half the weight logo's height.
        let stack = columns.map { c -> Double in
            Double(max((0..<4).reduce(Float(0)) { $0 + max(c[$1], 0) }, (0..<4).reduce(Float(0)) { $0 - min(c[$1], 0) }))
        }.max() ?? peak
        let baseline = cy + 75
        svg.text("filter \(f)", x: x0, y: cy + 12, size: 11)
        drawLogo(columns, x0: x0, y0: baseline, columnWidth: 18, scale: (150.0 / 2 - 18) / max(stack, 1e-6), into: &svg)
        svg.line(x1: x0, y1: baseline, x2: x0 + 18 * Double(width), y2: baseline, stroke: "#333", strokeWidth: 0.6)
        if f < matches.count, let match = matches[f] {
            // 2 bits fill 60 units; the motif's baseline lies under the filter's logo.
            let motifBaseline = cy + 210, mx = x0 + 18 * Double(match.offset)
            svg.text(match.label, x: cx + 30, y: cy + 146, size: 10)
            drawLogo(match.columns, x0: mx, y0: motifBaseline, columnWidth: 18, scale: 30, into: &svg)
            svg.line(x1: mx, y1: motifBaseline, x2: mx + 18 * Double(match.columns.count), y2: motifBaseline, stroke: "#333", strokeWidth: 0.6)
        }
    }
    return svg.document
}
