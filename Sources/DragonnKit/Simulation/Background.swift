/// An i.i.d. DNA background with a given GC fraction: P(G) = P(C) = gc/2, P(A) = P(T) = (1-gc)/2
/// (DragoNN's zero-order background).
public struct Background: Sendable {
    /// The GC fraction in [0, 1].
    public let gcFraction: Double
    /// GC decision threshold on a 31-bit uniform (2^31 means always GC).
    private let threshold: UInt64

    /// A background with the given GC fraction (must be in [0, 1]).
    public init(gcFraction: Double) {
        precondition(gcFraction >= 0 && gcFraction <= 1, "GC fraction must be in [0, 1]")
        self.gcFraction = gcFraction
        threshold = UInt64((gcFraction * 2147483648.0).rounded())
    }

    /// Base probabilities in the order A, C, G, T.
    public var probabilities: [Double] {
        [(1 - gcFraction) / 2, gcFraction / 2, gcFraction / 2, (1 - gcFraction) / 2]
    }

    /// Fills `destination[0..<count]` with ASCII bases. Each 32-bit half of a 64-bit draw makes
    /// one base: 31 bits decide GC versus AT, one bit picks within the pair.
    @inline(__always)
    public func fill(_ destination: UnsafeMutablePointer<UInt8>, count: Int, using rng: inout RandomSource) {
        let t = threshold
        // Index = isGC * 2 + bit: A, T, C, G.
        let letters: UInt32 = 0x4743_5441   // "ATCG" little-endian
        var i = 0
        while i + 1 < count {
            let r = rng.next()
            let lo = r & 0xFFFF_FFFF, hi = r >> 32
            let i0 = ((lo >> 1) < t ? 2 : 0) | (lo & 1)
            let i1 = ((hi >> 1) < t ? 2 : 0) | (hi & 1)
            destination[i] = UInt8(truncatingIfNeeded: letters >> (UInt32(i0) << 3))
            destination[i + 1] = UInt8(truncatingIfNeeded: letters >> (UInt32(i1) << 3))
            i += 2
        }
        if i < count {
            let lo = rng.next() & 0xFFFF_FFFF
            let i0 = ((lo >> 1) < t ? 2 : 0) | (lo & 1)
            destination[i] = UInt8(truncatingIfNeeded: letters >> (UInt32(i0) << 3))
        }
    }
}
