import Foundation

/// Letter shapes and colours for DNA logos (A green, C blue, G orange, T red, as DragoNN drew
/// them). Shapes are outlines in a unit box (x right, y down), scaled into place, so the figure
/// needs no font.
public enum LogoLetters {
    public static let colors = ["#109648", "#255C99", "#F7B32B", "#D62839"]

    /// Path data of base `b` (0 A, 1 C, 2 G, 3 T) in the unit box; several subpaths, even-odd fill.
    static let shapes: [String] = [
        "M0,1 L0.4,0 L0.6,0 L1,1 L0.8,1 L0.69,0.71 L0.31,0.71 L0.2,1 Z M0.37,0.55 L0.63,0.55 L0.5,0.2 Z",
        "M0.883,0.179 A0.5,0.5 0 1 0 0.883,0.821 L0.745,0.719 A0.32,0.34 0 1 1 0.745,0.281 Z",
        "M0.883,0.179 A0.5,0.5 0 1 0 0.95,0.62 L0.95,0.5 L0.55,0.5 L0.55,0.62 L0.79,0.62 A0.32,0.34 0 1 1 0.745,0.281 Z",
        "M0,0 L1,0 L1,0.16 L0.58,0.16 L0.58,1 L0.42,1 L0.42,0.16 L0,0.16 Z",
    ]

    /// Draws base `b` filling the box with top-left (x, y), size width × height.
    static func draw(_ b: Int, x: Double, y: Double, width: Double, height: Double, into svg: inout SVGDocument) {
        guard height > 1e-3, width > 0 else { return }
        svg.raw("<path d=\"\(shapes[b])\" fill=\"\(colors[b])\" fill-rule=\"evenodd\" transform=\"translate(\(SVGDocument.number(x)) \(fmt(y))) scale(\(fmt(width)) \(fmt(height)))\"/>")
    }

    private static func fmt(_ v: Double) -> String { String(format: "%.4g", v) }
}

/// Draws a sequence logo of `values` (`[position][4]`, A C G T): at each position positive values
/// stacked upwards from the baseline `y0` (largest on top), negative values downwards (most
/// negative at the bottom); `scale` is drawing units per value unit.
public func drawLogo(_ values: [SIMD4<Float>], x0: Double, y0: Double, columnWidth: Double,
                     scale: Double, into svg: inout SVGDocument) {
    for (i, column) in values.enumerated() {
        let x = x0 + Double(i) * columnWidth
        let order = (0..<4).sorted { abs(column[$0]) < abs(column[$1]) }
        var up = y0, down = y0
        for b in order where column[b] > 0 {
            let h = Double(column[b]) * scale
            up -= h
            LogoLetters.draw(b, x: x + columnWidth * 0.04, y: up, width: columnWidth * 0.92, height: h, into: &svg)
        }
        for b in order where column[b] < 0 {
            let h = Double(-column[b]) * scale
            LogoLetters.draw(b, x: x + columnWidth * 0.04, y: down, width: columnWidth * 0.92, height: h, into: &svg)
            down += h
        }
    }
}

/// Letter heights of an information-content logo of `probabilities` (`[position][A, C, G, T]`,
/// rows summing to 1): p_b × (2 − H) bits at each position, H the column's entropy in bits.
public func informationLogoColumns(_ probabilities: [Double]) -> [SIMD4<Float>] {
    stride(from: 0, to: probabilities.count, by: 4).map { i in
        let p = probabilities[i..<(i + 4)]
        let entropy = p.reduce(0.0) { $0 - ($1 > 0 ? $1 * log2($1) : 0) }
        let ic = max(0, 2 - entropy)
        return SIMD4(p.map { Float($0 * ic) })
    }
}

/// A known motif drawn beside a filter on the filter sheet: its logo columns (already on the
/// strand that matched), the offset of its first column from the filter's first column, a label.
public struct FilterLogoMatch: Sendable {
    public var columns: [SIMD4<Float>]
    public var offset: Int
    public var label: String
    public init(columns: [SIMD4<Float>], offset: Int, label: String) {
        self.columns = columns; self.offset = offset; self.label = label
    }
}
