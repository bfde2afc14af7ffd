extension Double {
    /// The number as Python's `repr` writes it: the shortest digits that read back to the
    /// same Double, `-8.0`, `14.000300000063248`, `1e-05`, `1e+16`, `inf`, `nan`.
    ///
    /// Swift picks the same digits and almost the same layout; the one difference is that
    /// Swift switches to an exponent from 2⁵³ on, where Python waits until 10¹⁶.
    public var pythonDescription: String {
        let swift = description
        guard let e = swift.firstIndex(of: "e"), swift[swift.index(after: e)...] == "+15" else {
            return swift
        }
        // d.ddd…e+15 → dddd…(16 digits).0
        let negative = swift.hasPrefix("-")
        let digits = swift[..<e].filter(\.isNumber)
        let padded = digits + String(repeating: "0", count: 16 - digits.count)
        return (negative ? "-" : "") + padded + ".0"
    }
}
