import Foundation

/// Training history drawn as two panels, loss and auROC by epoch, training (solid) against
/// validation (dashed), with the best epoch marked by a vertical line.
public struct LearningCurve {
    public var epochs: [Int]
    public var trainLoss: [Double]
    public var validLoss: [Double]
    public var trainAuROC: [Double]
    public var validAuROC: [Double]
    public var bestEpoch: Int?
    public var title: String
    /// How the best epoch was chosen, for the legend.
    public var bestCriterion = "lowest validation loss"

    public init(epochs: [Int], trainLoss: [Double], validLoss: [Double], trainAuROC: [Double],
                validAuROC: [Double], bestEpoch: Int?, title: String = "Learning curve") {
        precondition([trainLoss.count, validLoss.count, trainAuROC.count, validAuROC.count].allSatisfy { $0 == epochs.count },
                     "one value per epoch in every series")
        self.epochs = epochs
        self.trainLoss = trainLoss
        self.validLoss = validLoss
        self.trainAuROC = trainAuROC
        self.validAuROC = validAuROC
        self.bestEpoch = bestEpoch
        self.title = title
    }

    static let trainColor = "#1f77b4"
    static let validColor = "#d62728"
    static let bestColor = "#2ca02c"

    /// The figure as a standalone SVG document.
    public func svg() -> String {
        let panelWidth = 360.0, panelHeight = 260.0
        let left = 64.0, top = 48.0, gap = 80.0, bottom = 80.0
        var doc = SVGDocument(width: left + 2 * panelWidth + gap + 24, height: top + panelHeight + bottom)
        doc.text(title, x: doc.width / 2, y: 24, size: 15, anchor: .middle, bold: true)
        let lossValues = (trainLoss + validLoss).filter(\.isFinite)
        let lossTop = max(lossValues.max() ?? 1, 1e-6)
        drawPanel(&doc, x0: left, y0: top, width: panelWidth, height: panelHeight, label: "loss",
                  yDomain: (0, lossTop * 1.05), train: trainLoss, valid: validLoss)
        let aucValues = (trainAuROC + validAuROC).filter(\.isFinite)
        let aucBottom = min(0.5, (aucValues.min() ?? 0.5) - 0.02)
        drawPanel(&doc, x0: left + panelWidth + gap, y0: top, width: panelWidth, height: panelHeight,
                  label: "auROC", yDomain: (max(0, aucBottom), 1), train: trainAuROC, valid: validAuROC)
        // Legend under the panels.
        let ly = top + panelHeight + 56
        doc.line(x1: left, y1: ly - 4, x2: left + 28, y2: ly - 4, stroke: Self.trainColor, strokeWidth: 2)
        doc.text("training", x: left + 34, y: ly, size: 12)
        doc.line(x1: left + 110, y1: ly - 4, x2: left + 138, y2: ly - 4, stroke: Self.validColor, strokeWidth: 2, dash: "6 4")
        doc.text("validation", x: left + 144, y: ly, size: 12)
        if let bestEpoch {
            doc.line(x1: left + 240, y1: ly - 12, x2: left + 240, y2: ly + 2, stroke: Self.bestColor, strokeWidth: 1.5, dash: "3 3")
            doc.text("best epoch (\(bestEpoch), \(bestCriterion))", x: left + 248, y: ly, size: 12)
        }
        return doc.document
    }

    private func drawPanel(_ doc: inout SVGDocument, x0: Double, y0: Double, width: Double, height: Double,
                           label: String, yDomain: (Double, Double), train: [Double], valid: [Double]) {
        let firstEpoch = Double(epochs.min() ?? 1), lastEpoch = Double(epochs.max() ?? 1)
        let xs = LinearScale(domain: (firstEpoch, max(lastEpoch, firstEpoch + 1)), range: (x0, x0 + width))
        let ys = LinearScale(domain: yDomain, range: (y0 + height, y0))
        doc.rect(x: x0, y: y0, width: width, height: height, fill: "none", stroke: "#444444")
        for t in ys.ticks(5) {
            doc.line(x1: x0, y1: ys(t), x2: x0 + width, y2: ys(t), stroke: "#e5e5e5")
            doc.line(x1: x0 - 4, y1: ys(t), x2: x0, y2: ys(t), stroke: "#444444")
            doc.text(Self.tickLabel(t), x: x0 - 7, y: ys(t) + 4, size: 10, anchor: .end)
        }
        for t in xs.ticks(6) where t == t.rounded() {
            doc.line(x1: xs(t), y1: y0 + height, x2: xs(t), y2: y0 + height + 4, stroke: "#444444")
            doc.text(Self.tickLabel(t), x: xs(t), y: y0 + height + 17, size: 10, anchor: .middle)
        }
        doc.text("epoch", x: x0 + width / 2, y: y0 + height + 34, size: 12, anchor: .middle)
        doc.text(label, x: x0 - 46, y: y0 + height / 2, size: 12, anchor: .middle, rotate: -90)
        if let bestEpoch {
            let bx = xs(Double(bestEpoch))
            doc.line(x1: bx, y1: y0, x2: bx, y2: y0 + height, stroke: Self.bestColor, strokeWidth: 1.5, dash: "3 3")
        }
        for (series, color, dash) in [(train, Self.trainColor, nil as String?), (valid, Self.validColor, "6 4")] {
            // Undefined values (NaN) break the line rather than dropping to an axis.
            var run: [(x: Double, y: Double)] = []
            for (i, v) in series.enumerated() {
                if v.isFinite {
                    let clamped = min(max(v, yDomain.0), yDomain.1)
                    run.append((xs(Double(epochs[i])), ys(clamped)))
                } else {
                    doc.polyline(run, stroke: color, strokeWidth: 2, dash: dash); run = []
                }
            }
            doc.polyline(run, stroke: color, strokeWidth: 2, dash: dash)
            if series.count == 1, let v = series.first, v.isFinite {
                doc.circle(cx: xs(Double(epochs[0])), cy: ys(v), r: 3, fill: color)
            }
            if let bestEpoch, let i = epochs.firstIndex(of: bestEpoch), series[i].isFinite {
                doc.circle(cx: xs(Double(bestEpoch)), cy: ys(min(max(series[i], yDomain.0), yDomain.1)), r: 3.5, fill: color)
            }
        }
    }

    static func tickLabel(_ v: Double) -> String {
        String(format: "%g", (v * 1e6).rounded() / 1e6)
    }
}
