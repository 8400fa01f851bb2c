/// Draws motif instances from a PWM quickly: position by position, one base from that
/// position's distribution, written as ASCII straight into a sequence buffer.
///
/// Each position keeps three cumulative thresholds on a 32-bit uniform draw (A | C | G | T), so
/// one comparison chain picks the base; probabilities are exact to 2^-32.
public struct MotifSampler: Sendable {
    /// The motif's length in bases.
    public let length: Int
    /// `3 * length` thresholds: P(A), P(A)+P(C), P(A)+P(C)+P(G) scaled to 2^32.
    private let thresholds: [UInt64]

    private static let forwardLetters: (UInt8, UInt8, UInt8, UInt8) = (65, 67, 71, 84)   // A C G T
    private static let reverseLetters: (UInt8, UInt8, UInt8, UInt8) = (84, 71, 67, 65)   // T G C A

    /// Prepares sampling from `pwm`.
    public init(_ pwm: PWM) {
        length = pwm.length
        var t: [UInt64] = []
        t.reserveCapacity(3 * pwm.length)
        for p in 0..<pwm.length {
            var cumulative = 0.0
            for b in 0..<3 {
                cumulative += pwm.probability(at: p, base: b)
                t.append(UInt64((min(cumulative, 1.0) * 4294967296.0).rounded()))
            }
        }
        thresholds = t
    }

    /// Writes one sampled instance to `destination[0..<length]`; when `reverse` is true the
    /// instance is written reverse-complemented (the motif as read on the minus strand).
    @inline(__always)
    public func sample(into destination: UnsafeMutablePointer<UInt8>, reverse: Bool,
                       using rng: inout RandomSource) {
        thresholds.withUnsafeBufferPointer { t in
            var bits: UInt64 = 0
            for p in 0..<length {
                // Two 32-bit uniforms per 64-bit draw.
                let u: UInt64
                if p & 1 == 0 { bits = rng.next(); u = bits & 0xFFFF_FFFF } else { u = bits >> 32 }
                let base = (u >= t[3 * p] ? 1 : 0) + (u >= t[3 * p + 1] ? 1 : 0) + (u >= t[3 * p + 2] ? 1 : 0)
                if reverse {
                    destination[length - 1 - p] = Self.letter(Self.reverseLetters, base)
                } else {
                    destination[p] = Self.letter(Self.forwardLetters, base)
                }
            }
        }
    }

    @inline(__always)
    private static func letter(_ table: (UInt8, UInt8, UInt8, UInt8), _ i: Int) -> UInt8 {
        switch i {
        case 0: return table.0
        case 1: return table.1
        case 2: return table.2
        default: return table.3
        }
    }
}
