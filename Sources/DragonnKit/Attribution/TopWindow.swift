/// The window of a sequence with the largest summed attribution.
public struct TopWindow: Equatable, Sendable {
    public var start: Int
    public var length: Int
    public var score: Float

    /// Finds the best window of `width` bases in `scores` (observed-base attribution per
    /// position); the first one wins ties. Nil when the sequence is shorter than the window.
    public static func find(scores: ArraySlice<Float>, width: Int) -> TopWindow? {
        let values = Array(scores)
        guard width > 0, values.count >= width else { return nil }
        var sum: Float = 0
        for p in 0..<width { sum += values[p] }
        var best = TopWindow(start: 0, length: width, score: sum)
        for start in stride(from: 1, through: values.count - width, by: 1) {
            sum += values[start + width - 1] - values[start - 1]
            if sum > best.score { best = TopWindow(start: start, length: width, score: sum) }
        }
        return best
    }
}
