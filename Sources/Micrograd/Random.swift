/// A small seeded random number generator (SplitMix64), so that a network built from a
/// seed has the same weights on every machine, in every run, with every Swift release.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// A number drawn uniformly from [low, high], computed from the generator's raw bits
    /// here rather than by the standard library (whose method may change between releases):
    ///
    /// ```
    /// k = a uniform whole number in 0 … 2⁵³ (Lemire's method, redrawing on the rare bias)
    /// x = low + (high − low) · k · 2⁻⁵³
    /// ```
    ///
    /// These are the same steps `Double.random(in: low...high)` takes in Swift 6, so the
    /// weights are the ones the lessons were written with.
    public mutating func nextUniform(_ low: Double, _ high: Double) -> Double {
        let bound: UInt64 = (1 << 53) + 1
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        if m.high == 1 << 53 { return high }
        return (high - low) * (Double(m.high) * 0x1p-53) + low
    }

    /// A weight drawn uniformly from [-1, 1], as micrograd's `random.uniform(-1, 1)`.
    mutating func nextWeight() -> Double { nextUniform(-1, 1) }
}
