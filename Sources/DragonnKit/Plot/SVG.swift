import Foundation

/// A minimal SVG writer: elements are appended as text and `document` wraps them in a
/// standalone, well-formed SVG file. Coordinates are user units (pixels), y pointing down.
public struct SVGDocument {
    public let width: Double
    public let height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The complete file: XML declaration, `<svg>` root with a white background, the elements.
    public var document: String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        out += " viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for element in body { out += element + "\n" }
        return out + "</svg>\n"
    }

    /// Appends an element written by the caller (must be well-formed; escape text with `escape`).
    public mutating func raw(_ element: String) { body.append(element) }

    /// A rectangle with top-left corner (x, y).
    public mutating func rect(x: Double, y: Double, width: Double, height: Double,
                              fill: String = "none", stroke: String? = nil, strokeWidth: Double = 1) {
        var s = "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"\(Self.escape(fill))\""
        if let stroke { s += " stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.number(strokeWidth))\"" }
        body.append(s + "/>")
    }

    /// A straight line; `dash` is an SVG dash pattern such as "4 3".
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double,
                              stroke: String = "black", strokeWidth: Double = 1, dash: String? = nil) {
        var s = "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.number(strokeWidth))\""
        if let dash { s += " stroke-dasharray=\"\(Self.escape(dash))\"" }
        body.append(s + "/>")
    }

    /// An open polyline through `points` (nothing is drawn for fewer than two points).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String,
                                  strokeWidth: Double = 1.5, dash: String? = nil) {
        guard points.count >= 2 else { return }
        let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        var s = "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(Self.escape(stroke))\" stroke-width=\"\(Self.number(strokeWidth))\" stroke-linejoin=\"round\""
        if let dash { s += " stroke-dasharray=\"\(Self.escape(dash))\"" }
        body.append(s + "/>")
    }

    /// A filled circle.
    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String) {
        body.append("<circle cx=\"\(Self.number(cx))\" cy=\"\(Self.number(cy))\" r=\"\(Self.number(r))\" fill=\"\(Self.escape(fill))\"/>")
    }

    /// A path from SVG path data `d` (e.g. letter outlines of a sequence logo).
    public mutating func path(_ d: String, fill: String, stroke: String? = nil, transform: String? = nil) {
        var s = "<path d=\"\(Self.escape(d))\" fill=\"\(Self.escape(fill))\""
        if let stroke { s += " stroke=\"\(Self.escape(stroke))\"" }
        if let transform { s += " transform=\"\(Self.escape(transform))\"" }
        body.append(s + "/>")
    }

    /// Horizontal text anchoring.
    public enum Anchor: String { case start, middle, end }

    /// Text at (x, y) (baseline), optionally rotated by `rotate` degrees about that point.
    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 12,
                              anchor: Anchor = .start, fill: String = "black", bold: Bool = false,
                              rotate: Double? = nil) {
        var s = "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(Self.escape(fill))\""
        if bold { s += " font-weight=\"bold\"" }
        if let rotate { s += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        body.append(s + ">\(Self.escape(content))</text>")
    }

    /// Escapes the five XML special characters.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros ("12", "3.5").
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }
}

/// A linear map from data values (`domain`) to drawing coordinates (`range`).
public struct LinearScale {
    public var domain: (Double, Double)
    public var range: (Double, Double)

    public init(domain: (Double, Double), range: (Double, Double)) {
        // A zero-width domain would divide by zero: widen it symmetrically.
        if domain.0 == domain.1 { self.domain = (domain.0 - 0.5, domain.1 + 0.5) } else { self.domain = domain }
        self.range = range
    }

    /// The coordinate of data value `v`.
    public func callAsFunction(_ v: Double) -> Double {
        range.0 + (v - domain.0) / (domain.1 - domain.0) * (range.1 - range.0)
    }

    /// About `count` round tick values (1, 2 or 5 times a power of ten apart) inside the domain.
    public func ticks(_ count: Int = 5) -> [Double] {
        let lo = min(domain.0, domain.1), hi = max(domain.0, domain.1)
        let rough = (hi - lo) / Double(max(count, 1))
        guard rough > 0, rough.isFinite else { return [lo] }
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        var ticks: [Double] = []
        var v = ceil(lo / step - 1e-9) * step
        while v <= hi + step * 1e-9 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return ticks
    }
}
