/// A Double written with a fixed number of decimals, rounded from its exact binary value
/// (half to even), as Python's `format(x, '.4f')` and `round(x, n)` do: 2.675 is really
/// 2.67499999999999982236…, so to two places it is 2.67, not 2.68.
enum ExactDecimal {
    /// The decimal digits of |x| · 10^places, rounded to a whole number.
    static func scaledDigits(_ x: Double, places: Int) -> String {
        let magnitude = Swift.abs(x)
        guard magnitude != 0 else { return "0" }
        // |x| = m · 2^e exactly.
        let isNormal = magnitude.exponentBitPattern != 0
        let m = UInt64(magnitude.significandBitPattern) | (isNormal ? 1 << 52 : 0)
        let e = isNormal ? Int(magnitude.exponentBitPattern) - 1075 : -1074
        var n = Big(m)
        for _ in 0..<places { n.multiply(by: 10) }
        if e >= 0 {
            n.shiftLeft(e)
        } else {
            let (quotient, roundsUp) = n.shiftRightRoundingHalfEven(-e)
            n = quotient
            if roundsUp { n.addOne() }
        }
        return n.decimal
    }

    /// A non-negative whole number of any size, in 32-bit limbs, least significant first.
    struct Big {
        var limbs: [UInt32]

        init(_ value: UInt64) {
            limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
            trim()
        }

        mutating func trim() { while limbs.count > 1 && limbs.last == 0 { limbs.removeLast() } }

        mutating func multiply(by k: UInt32) {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let product = UInt64(limbs[i]) * UInt64(k) + carry
                limbs[i] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }

        mutating func shiftLeft(_ bits: Int) {
            let words = bits / 32, shift = bits % 32
            if shift > 0 {
                var carry: UInt32 = 0
                for i in limbs.indices {
                    let next = limbs[i] >> (32 - shift)
                    limbs[i] = limbs[i] << shift | carry
                    carry = next
                }
                if carry > 0 { limbs.append(carry) }
            }
            limbs.insert(contentsOf: repeatElement(0, count: words), at: 0)
        }

        /// self >> bits, and whether the bits shifted out make it round up (half to even).
        func shiftRightRoundingHalfEven(_ bits: Int) -> (Big, Bool) {
            func bit(_ i: Int) -> Bool { i / 32 < limbs.count && limbs[i / 32] >> (i % 32) & 1 == 1 }
            let half = bit(bits - 1)
            var below = false
            for i in 0..<(bits - 1) where bit(i) {
                below = true
                break
            }
            var result = Big(0)
            let words = bits / 32, shift = bits % 32
            result.limbs = []
            for i in words..<Swift.max(words, limbs.count) {
                let low = limbs[i] >> shift
                let high = shift > 0 && i + 1 < limbs.count ? limbs[i + 1] << (32 - shift) : 0
                result.limbs.append(low | high)
            }
            if result.limbs.isEmpty { result.limbs = [0] }
            result.trim()
            let odd = result.limbs[0] & 1 == 1
            return (result, half && (below || odd))
        }

        mutating func addOne() {
            for i in limbs.indices {
                limbs[i] &+= 1
                if limbs[i] != 0 { return }
            }
            limbs.append(1)
        }

        /// The number in decimal.
        var decimal: String {
            var n = self
            var chunks: [UInt32] = []
            while !(n.limbs.count == 1 && n.limbs[0] == 0) {
                var remainder: UInt64 = 0
                for i in n.limbs.indices.reversed() {
                    let current = remainder << 32 | UInt64(n.limbs[i])
                    n.limbs[i] = UInt32(current / 1_000_000_000)
                    remainder = current % 1_000_000_000
                }
                n.trim()
                chunks.append(UInt32(remainder))
            }
            guard let top = chunks.popLast() else { return "0" }
            return String(top)
                + chunks.reversed().map { chunk in
                    let digits = String(chunk)
                    return String(repeating: "0", count: 9 - digits.count) + digits
                }.joined()
        }
    }
}
