// Activations inside the engine are stored position-major, `[position][paddedChannels]`, with
// channels padded to a multiple of 16 so that one `SIMD16<Float>` holds the channels of one
// position. Padded channels always hold 0 (their weights and biases are 0 and stay 0).

/// Floats per SIMD vector in the engine's kernels.
public let engineLanes = 16

/// `channels` rounded up to a multiple of 16: the row stride of engine activations.
@inlinable public func paddedChannels(_ channels: Int) -> Int { (channels + 15) / 16 * 16 }

@inline(__always) func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always) func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always) func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// A zero-filled, 64-byte aligned Float buffer that lives as long as its owner.
final class FloatBuffer {
    let count: Int
    let base: UnsafeMutablePointer<Float>

    init(_ count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 16) * 4 + 64, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 16) + 16)
        base.initialize(repeating: 0, count: max(count, 16) + 16)
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }

    func zero() { base.update(repeating: 0, count: count) }
    var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
