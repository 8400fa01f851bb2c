#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Activations inside the engine are stored position-major, `[position][paddedChannels]`, with
// channels padded to a multiple of 16 so that one `SIMD16<Float>` holds the channels of one
// position. Padded channels always hold 0 (their weights and biases are 0 and stay 0).

/// An Int known to the compiler (`fixed`: a row stride, a count, a loop bound) or left to the
/// caller (nil). A kernel's generic helper, specialised for such a type, sees a constant: its
/// loops unroll and its tests leave the loop. (Literal arguments to a local function are not
/// enough: Swift keeps one generic copy of a large one, which it does not inline.)
protocol FixedInt { static var fixed: Int? { get } }
/// Rows of 16 floats: up to 16 channels.
enum Stride16: FixedInt { @inline(__always) static var fixed: Int? { 16 } }
/// Fifteen input channels (see `RescaleConv.blocked`).
enum Count15: FixedInt { @inline(__always) static var fixed: Int? { 15 } }
/// Five and seven tap pairs: layer 0 of width 10 or 11, and 14 or 15 (`Conv1DCodes.forwardPaired`).
enum Count5: FixedInt { @inline(__always) static var fixed: Int? { 5 } }
enum Count7: FixedInt { @inline(__always) static var fixed: Int? { 7 } }
/// Whatever the caller passes.
enum IntAtRunTime: FixedInt { @inline(__always) static var fixed: Int? { nil } }

/// A flag known to the compiler (`fixed`), or left to the caller (nil); see `FixedInt`.
protocol FixedBool { static var fixed: Bool? { get } }
enum Yes: FixedBool { @inline(__always) static var fixed: Bool? { true } }
enum No: FixedBool { @inline(__always) static var fixed: Bool? { false } }
enum BoolAtRunTime: FixedBool { @inline(__always) static var fixed: Bool? { nil } }

/// `channels` rounded up to a multiple of 16: the row stride of engine activations.
@inlinable public func paddedChannels(_ channels: Int) -> Int { (channels + 15) / 16 * 16 }

/// The 16 floats at p (any alignment).
@inlinable @inline(__always) public func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// The 16 floats at p (any alignment).
@inlinable @inline(__always) public func load16(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

/// Writes v to the 16 floats at p (any alignment).
@inlinable @inline(__always) public func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// A block of `size` SIMD16 accumulators that share one vector operand per step: output
/// positions in `Conv1D.forward` (sharing a weight row), weight rows in
/// `Conv1D.backwardWeights` (sharing a gradient row). Each accumulator is its own FMA chain, so
/// the block size decides only how often the shared vector is loaded, never the order in which
/// any single output is summed: every block schedule gives bit-identical results.
protocol AccumulatorBlock {
    static var size: Int { get }
    /// Every accumulator set to `v`.
    init(repeating v: SIMD16<Float>)
    /// a[i] = a[i] + v · s[i·step] (fused) for i < size.
    mutating func addProducts(_ v: SIMD16<Float>, _ s: UnsafePointer<Float>, step: Int)
    /// Writes a[i] to p + i·stride.
    func store(_ p: UnsafeMutablePointer<Float>, stride: Int)
    /// Adds a[i] to the 16 floats at p + i·stride.
    func addStore(_ p: UnsafeMutablePointer<Float>, stride: Int)
    /// a[i] = max(a[i], 0) (a fused ReLU before `store`).
    mutating func clampNegatives()
}

/// One accumulator.
struct Block1: AccumulatorBlock {
    var a: SIMD16<Float>
    @inline(__always) static var size: Int { 1 }
    @inline(__always) init(repeating v: SIMD16<Float>) { a = v }
    @inline(__always) mutating func addProducts(_ v: SIMD16<Float>, _ s: UnsafePointer<Float>, step: Int) {
        a = a.addingProduct(v, SIMD16(repeating: s[0]))
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>, stride: Int) { store16(a, p) }
    @inline(__always) func addStore(_ p: UnsafeMutablePointer<Float>, stride: Int) { store16(load16(p) + a, p) }
    @inline(__always) mutating func clampNegatives() { a = laneMax(a, SIMD16(repeating: 0)) }
}

/// Two blocks side by side: `Lo` takes indices 0..<Lo.size, `Hi` the next Hi.size. Nesting
/// builds every width from `Block1` (after specialisation the fields live in registers).
struct BlockPair<Lo: AccumulatorBlock, Hi: AccumulatorBlock>: AccumulatorBlock {
    var lo: Lo, hi: Hi
    @inline(__always) static var size: Int { Lo.size + Hi.size }
    @inline(__always) init(repeating v: SIMD16<Float>) { lo = Lo(repeating: v); hi = Hi(repeating: v) }
    @inline(__always) mutating func addProducts(_ v: SIMD16<Float>, _ s: UnsafePointer<Float>, step: Int) {
        lo.addProducts(v, s, step: step)
        hi.addProducts(v, s + Lo.size * step, step: step)
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>, stride: Int) {
        lo.store(p, stride: stride)
        hi.store(p + Lo.size * stride, stride: stride)
    }
    @inline(__always) func addStore(_ p: UnsafeMutablePointer<Float>, stride: Int) {
        lo.addStore(p, stride: stride)
        hi.addStore(p + Lo.size * stride, stride: stride)
    }
    @inline(__always) mutating func clampNegatives() {
        lo.clampNegatives()
        hi.clampNegatives()
    }
}

typealias Block2 = BlockPair<Block1, Block1>
typealias Block4 = BlockPair<Block2, Block2>
typealias Block6 = BlockPair<Block4, Block2>
typealias Block8 = BlockPair<Block4, Block4>

/// The blocks a kernel walks through: the widest that still fits, then narrower ones for what
/// is left. Both schedules are compiled in every build; `native` is the one the engine uses.
public enum BlockSchedule: CaseIterable, Sendable {
    /// 8, 6, 4, 1: eight accumulators plus the shared vector fit 32 registers (AVX-512).
    case by8
    /// 6, 4, 1: six accumulators fit 16 registers (AVX2 and below).
    case by6

    /// `by8` where the build targets AVX-512 (the Makefile defines DRAGONN_AVX512), else `by6`.
    public static var native: BlockSchedule {
        #if DRAGONN_AVX512
        .by8
        #else
        .by6
        #endif
    }
}

/// A zero-filled, 64-byte aligned Float buffer that lives as long as its owner.
public final class FloatBuffer {
    /// The number of floats.
    public let count: Int
    /// The first float (64-byte aligned; 16 spare floats follow the last).
    public let base: UnsafeMutablePointer<Float>
    private let allocation: UnsafeMutableRawPointer

    /// A buffer of `count` zeros. The zeros come from calloc: a large buffer is fresh zero pages
    /// from the kernel, so no thread writes it here and its pages are faulted in by whichever
    /// thread first uses them (a track's workers, in parallel) instead of the allocating one.
    public init(_ count: Int) {
        self.count = count
        let floats = max(count, 16) + 16
        guard let raw = calloc(floats * 4 + 64, 1) else { fatalError("FloatBuffer: out of memory for \(count) floats") }
        allocation = raw
        let aligned = (Int(bitPattern: raw) + 63) & ~63
        base = UnsafeMutableRawPointer(bitPattern: aligned)!.bindMemory(to: Float.self, capacity: floats)
    }

    deinit { free(allocation) }

    /// Sets every float to 0.
    public func zero() { base.update(repeating: 0, count: count) }
    /// The floats, copied.
    public var array: [Float] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
