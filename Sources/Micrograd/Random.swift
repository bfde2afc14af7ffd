#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Python's random number generator: the Mersenne Twister (MT19937), seeded as CPython's
/// `random.seed(n)` seeds it, so that the same seed draws the same numbers as Python.
/// `MLP(3, [4, 4, 1], seed: 1337)` then has the weights that `random.seed(1337)` followed
/// by micrograd's `MLP(3, [4, 4, 1])` gives in Python.
///
/// ```swift
/// var random = PythonRandom(seed: 1337)
/// random.uniform(-1, 1)    // 0.23550571390294128, as in Python
/// ```
///
/// As a `RandomNumberGenerator`, `next()` is two 32-bit draws, the first in the high half.
public struct PythonRandom: RandomNumberGenerator, Sendable {
    private static let n = 624, m = 397
    private var state = [UInt32](repeating: 0, count: PythonRandom.n)
    private var index = PythonRandom.n
    /// The second number of the last pair `gauss` made, handed out next time (as Python's
    /// `gauss_next`).
    private var nextGauss: Double?

    /// A generator in the state `random.seed(seed)` leaves Python's in. As in Python, the
    /// sign of the seed is ignored.
    public init(seed: Int) { self.init(seedBits: UInt64(seed.magnitude)) }

    /// A generator in the state `random.seed(x)` leaves Python's in for a float `x`: seeded
    /// by the float's hash, as CPython seeds by it (a whole float from 0 to 2**61 is then
    /// the same seed as the int, and -1.0 is not 1).
    public init(seed x: Double) {
        precondition(!x.isNaN, "a nan seeds Python's generator by its address; give a number")
        self.init(seedBits: UInt64(bitPattern: Self.hash(x)))
    }

    /// A generator seeded with the whole number `bits`, as CPython seeds from a number that
    /// is not negative: its 32-bit words, lowest first.
    private init(seedBits bits: UInt64) {
        var key = [UInt32(truncatingIfNeeded: bits)]
        if bits >> 32 != 0 { key.append(UInt32(truncatingIfNeeded: bits >> 32)) }
        seedByArray(key)
    }

    /// CPython's hash of a float (`_Py_HashDouble`): the number modulo 2**61 - 1, its sign
    /// kept, with -1 made -2; ±314159 for ±inf.
    static func hash(_ v: Double) -> Int64 {
        if v.isInfinite { return v > 0 ? 314_159 : -314_159 }
        let modulus: UInt64 = (1 << 61) - 1
        // (Swift's frexp gives the mantissa of the magnitude; the sign is v's.)
        var (m, e) = frexp(Swift.abs(v))
        var x: UInt64 = 0
        while m != 0 {  // (28 bits at a time)
            x = ((x << 28) & modulus) | x >> (61 - 28)
            m *= 268_435_456
            e -= 28
            let y = UInt64(m)
            m -= Double(y)
            x += y
            if x >= modulus { x -= modulus }
        }
        e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61)
        x = ((x << UInt64(e)) & modulus) | x >> UInt64(61 - e)
        let hash = v < 0 ? -Int64(x) : Int64(x)
        return hash == -1 ? -2 : hash
    }

    /// MT19937's `init_by_array`, which CPython's `random.seed` calls.
    private mutating func seedByArray(_ key: [UInt32]) {
        let n = Self.n
        state[0] = 19_650_218
        for i in 1..<n { state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i) }
        var i = 1, j = 0
        for _ in 0..<max(n, key.count) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_664_525)) &+ key[j] &+ UInt32(j)
            i += 1
            j += 1
            if i >= n {
                state[0] = state[n - 1]
                i = 1
            }
            if j >= key.count { j = 0 }
        }
        for _ in 0..<(n - 1) {
            state[i] = (state[i] ^ ((state[i - 1] ^ (state[i - 1] >> 30)) &* 1_566_083_941)) &- UInt32(i)
            i += 1
            if i >= n {
                state[0] = state[n - 1]
                i = 1
            }
        }
        state[0] = 0x8000_0000
        index = n
        nextGauss = nil
    }

    /// The next 32 random bits (MT19937's `genrand_uint32`).
    public mutating func next32() -> UInt32 {
        let n = Self.n, m = Self.m
        if index >= n {
            func twist(_ k: Int, _ next: Int, _ far: Int) {
                let y = (state[k] & 0x8000_0000) | (state[next] & 0x7FFF_FFFF)
                state[k] = state[far] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_B0DF)
            }
            for k in 0..<(n - 1) { twist(k, k + 1, (k + m) % n) }
            twist(n - 1, 0, m - 1)
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    public mutating func next() -> UInt64 {
        let high = UInt64(next32())
        return high << 32 | UInt64(next32())
    }

    /// A float in [0, 1): Python's `random.random()`.
    public mutating func random() -> Double { nextUnit() }

    /// A float from `low` to `high`: Python's `random.uniform(low, high)`.
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * random() }

    /// A whole number of `bits` random bits (0 to 64): Python's `random.getrandbits(bits)`.
    public mutating func randomBits(_ bits: Int) -> UInt64 {
        precondition((0...64).contains(bits), "randomBits takes 0 to 64 bits")
        guard bits > 0 else { return 0 }
        // (32 bits at a time, lowest first, the last draw cut down to what is left.)
        let low = UInt64(next32() >> (32 - Swift.min(bits, 32)))
        guard bits > 32 else { return low }
        return UInt64(next32() >> (64 - bits)) << 32 | low
    }

    /// A whole number from 0 up to `bound`, not including it, as Python draws one for
    /// `randrange`, `randint`, `choice` and `shuffle`: `bound`'s bit length of random bits,
    /// drawn again until they fall below it.
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "below(_:) needs a bound above 0")
        let bits = UInt64.bitWidth - bound.leadingZeroBitCount
        while true {
            let r = randomBits(bits)
            if r < bound { return r }
        }
    }

    /// A number from the normal distribution: Python's `random.gauss(mu, sigma)`, which
    /// makes two at a time and hands out the second on the next call.
    public mutating func gauss(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        if let z = nextGauss {
            nextGauss = nil
            return mu + z * sigma
        }
        let angle = random() * (2 * Double.pi)
        let radius = (-2 * log(1 - random())).squareRoot()
        nextGauss = sin(angle) * radius
        return mu + cos(angle) * radius * sigma
    }
}

extension RandomNumberGenerator {
    /// A float in [0, 1) made as Python's `random()` makes it from two 32-bit draws, the
    /// top 27 bits of the first and the top 26 of the second (see `PythonRandom.next()`).
    @inline(__always)
    mutating func nextUnit() -> Double {
        let bits = next()
        let a = Double(bits >> 37), b = Double((bits & 0xFFFF_FFFF) >> 6)
        return (a * 67_108_864 + b) * 0x1p-53
    }

    /// A weight drawn uniformly from [-1, 1), as micrograd's `random.uniform(-1, 1)`.
    mutating func nextWeight() -> Double { -1 + 2 * nextUnit() }
}
