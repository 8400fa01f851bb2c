import Foundation

/// One variant's figure: for the REF and the ALT window (rows, one y scale for both), the
/// observed-base attribution of every base as bars coloured by base, the variant's bases shaded,
/// and below each track a logo of the bases around the variant (`flank` each side; letter height
/// = attribution). `refScores`/`altScores` and the codes are `[position]` of the window;
/// `variantOffset` is the variant's first base in both windows; `windowStart` labels the axis in
/// genomic (0-based) coordinates.
public func variantFigureSVG(title: String, refScores: [Float], refCodes: [UInt8], altScores: [Float], altCodes: [UInt8],
                             variantOffset: Int, refLength: Int, altLength: Int, windowStart: Int, flank: Int) -> String {
    let length = refScores.count
    let left = 70.0, right = 20.0, plotWidth = max(400.0, min(1600.0, Double(length) * 1.2))
    let trackHeight = 110.0, logoHeight = 90.0, rowHeight = trackHeight + logoHeight + 70
    var svg = SVGDocument(width: left + plotWidth + right, height: 40 + 2 * rowHeight)
    svg.text(title, x: left, y: 22, size: 13, bold: true)
    let extent = Double(max((refScores + altScores).map { abs($0) }.max() ?? 0, 1e-6))
    let xScale = LinearScale(domain: (0, Double(length)), range: (left, left + plotWidth))
    let rows: [(String, [Float], [UInt8], Int)] = [("REF", refScores, refCodes, refLength), ("ALT", altScores, altCodes, altLength)]
    for (r, (label, scores, codes, alleleLength)) in rows.enumerated() {
        let top = 40 + Double(r) * rowHeight
        let yScale = LinearScale(domain: (-extent, extent), range: (top + trackHeight, top))
        // The variant's bases, shaded behind the bars.
        let vx = xScale(Double(variantOffset))
        svg.rect(x: vx, y: top, width: max(2, xScale(Double(variantOffset + max(1, alleleLength))) - vx),
                 height: trackHeight, fill: "#fde2a7", stroke: "#c98a00", strokeWidth: 0.8)
        let zero = yScale(0), barWidth = plotWidth / Double(max(1, length))
        for p in 0..<length where scores[p] != 0 {
            let y = yScale(Double(scores[p]))
            svg.rect(x: xScale(Double(p)), y: min(y, zero), width: max(0.6, barWidth), height: abs(y - zero),
                     fill: codes[p] < 4 ? LogoLetters.colors[Int(codes[p])] : "#888")
        }
        svg.line(x1: left, y1: zero, x2: left + plotWidth, y2: zero, stroke: "#333", strokeWidth: 0.6)
        for tick in yScale.ticks(5) {
            svg.line(x1: left - 4, y1: yScale(tick), x2: left, y2: yScale(tick), stroke: "#333")
            svg.text(String(format: "%.3g", tick), x: left - 6, y: yScale(tick) + 3, size: 9, anchor: .end)
        }
        for tick in xScale.ticks(6) {
            svg.text(String(windowStart + Int(tick)), x: xScale(tick), y: top + trackHeight + 13, size: 9, anchor: .middle)
        }
        svg.text(label, x: 16, y: top + trackHeight / 2, size: 12, bold: true)
        // Logo of the bases around the variant.
        let from = max(0, variantOffset - flank), to = min(length, variantOffset + max(1, alleleLength) + flank)
        let columns = (from..<to).map { p -> SIMD4<Float> in
            var v = SIMD4<Float>.zero
            if codes[p] < 4 { v[Int(codes[p])] = scores[p] }
            return v
        }
        let colWidth = min(28.0, plotWidth / Double(max(1, columns.count)))
        let baseline = top + trackHeight + 30 + logoHeight / 2
        let peak = Double(max(columns.map { abs($0.sum()) }.max() ?? 0, 1e-6))
        let mark = left + Double(variantOffset - from) * colWidth
        svg.rect(x: mark, y: baseline - logoHeight / 2, width: Double(max(1, alleleLength)) * colWidth, height: logoHeight,
                 fill: "none", stroke: "#c98a00", strokeWidth: 1)
        drawLogo(columns, x0: left, y0: baseline, columnWidth: colWidth, scale: (logoHeight / 2) / peak, into: &svg)
        svg.line(x1: left, y1: baseline, x2: left + colWidth * Double(columns.count), y2: baseline, stroke: "#333", strokeWidth: 0.6)
    }
    return svg.document
}
