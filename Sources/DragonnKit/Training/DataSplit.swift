/// Seeded hold-out split: which sequences go to validation when no validation file is given.
public enum DataSplit {
    /// Indices of `count` sequences split at random (from `seed`) into training and held-out
    /// parts, `round(fraction * count)` held out (at least one and leaving at least one when
    /// `count >= 2` and `fraction > 0`). Both parts are returned in input order.
    public static func holdOut(count: Int, fraction: Double, seed: UInt64) -> (train: [Int], heldOut: [Int]) {
        var held = Int((fraction * Double(count)).rounded())
        if fraction > 0 && count >= 2 { held = min(max(held, 1), count - 1) }
        held = min(max(held, 0), count)
        var order = Array(0..<count)
        // A stream of its own, so the split does not shift when other uses of the seed change.
        var rng = RandomSource(seed: seed).split(0x5EED_5B11)
        rng.shuffle(&order)
        var isHeld = [Bool](repeating: false, count: count)
        for i in order.prefix(held) { isHeld[i] = true }
        return ((0..<count).filter { !isHeld[$0] }, (0..<count).filter { isHeld[$0] })
    }
}
