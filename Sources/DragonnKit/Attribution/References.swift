/// What DeepLIFT compares a sequence with (`--reference`).
public enum AttributionReference: Equatable, Sendable, CustomStringConvertible {
    /// `shuffle:N`: N dinucleotide shuffles of each sequence (the DeepSHAP default, N = 20).
    case shuffles(Int)
    /// `zeros`: the all-zero input.
    case zeros
    /// `gc:F`: the background expectation, every column (1−F)/2, F/2, F/2, (1−F)/2 for A, C, G, T.
    case gc(Double)

    /// Parses `shuffle:N`, `zeros` or `gc:F`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        switch parts.first ?? "" {
        case "shuffle" where parts.count == 2:
            guard let n = Int(parts[1]), n > 0 else { throw DragonnError("--reference \(text): N must be a positive integer") }
            self = .shuffles(n)
        case "shuffle": self = .shuffles(20)
        case "zeros" where parts.count == 1: self = .zeros
        case "gc" where parts.count == 2:
            guard let f = Double(parts[1]), f >= 0, f <= 1 else { throw DragonnError("--reference \(text): F must be in [0, 1]") }
            self = .gc(f)
        default:
            throw DragonnError("--reference \(text): expected shuffle:N, zeros or gc:F")
        }
    }

    public var description: String {
        switch self {
        case .shuffles(let n): return "shuffle:\(n)"
        case .zeros: return "zeros"
        case .gc(let f): return "gc:\(f)"
        }
    }

    /// The references of one sequence, drawn from `rng` (`deepLift` gives each sequence its own
    /// stream, `RandomSource(seed:).split(index)`).
    public func inputs(for codes: [UInt8], rng: inout RandomSource) -> [ReferenceInput] {
        switch self {
        case .shuffles(let n):
            return (0..<n).map { _ in .codes(dinucleotideShuffle(codes, using: &rng)) }
        case .zeros:
            return [.dense([Float](repeating: 0, count: codes.count * 4))]
        case .gc(let f):
            let at = Float((1 - f) / 2), cg = Float(f / 2)
            var column = [Float](repeating: 0, count: codes.count * 4)
            for p in 0..<codes.count { column[p * 4] = at; column[p * 4 + 1] = cg; column[p * 4 + 2] = cg; column[p * 4 + 3] = at }
            return [.dense(column)]
        }
    }
}

/// One reference input: base codes (one-hot, N = zero column) or a dense `[position][4]` matrix.
public enum ReferenceInput: Sendable {
    case codes([UInt8])
    case dense([Float])
}

extension SequenceDNN {
    /// Task logits of one reference input.
    public func logits(reference: ReferenceInput) -> [Float] {
        switch reference {
        case .codes(let c): return logits(codes: c, count: 1)
        case .dense(let d): return logits(dense: d, count: 1)
        }
    }
}
