import Micrograd

extension Double {
    /// Whether `x`, cut to a whole number, fits an Int: from -2**63 up to, not including,
    /// 2**63 (the largest float below 2**63 is 2**63 - 1024).
    static func fitsInt(_ x: Double) -> Bool { x >= -0x1p63 && x < 0x1p63 }

    /// Fixed-point with `places` decimals, rounded from the exact binary value as C's
    /// %.4f and Python's format do.
    func fixed(_ places: Int) -> String {
        guard isFinite else { return pythonDescription }
        var digits = ExactDecimal.scaledDigits(self, places: places)
        let isZero = digits.allSatisfy { $0 == "0" }
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -places)
        let sign = sign == .minus && !isZero ? "-" : ""
        return sign + digits[..<point] + (places > 0 ? "." + digits[point...] : "")
    }

    /// To `digits` significant digits, without trailing zeros (1.500000000209667 to 10 is
    /// 1.5000000002); very small or large numbers as Python writes them.
    func significant(_ digits: Int) -> String {
        let magnitude = Swift.abs(self)
        guard isFinite, magnitude >= 1e-4, magnitude < 1e15 else { return pythonDescription }
        var exponent = 0
        var m = magnitude
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        var text = fixed(max(0, digits - 1 - exponent))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text += "0" }
        } else {
            text += ".0"
        }
        return text
    }

    /// To 4 decimals, without trailing zeros: 2.0, -1.5, 0.7071.
    var compact: String {
        var text = fixed(4)
        guard text.contains("."), isFinite, Swift.abs(self) < 9e11 else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text += "0" }
        return text
    }

    /// A number to two significant digits, for errors: 6.6e-12.
    var short: String {
        guard isFinite, self != 0 else { return pythonDescription }
        var exponent = 0
        var m = Swift.abs(self)
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        let digits = (m * 10).rounded() / 10
        let sign = self < 0 ? "-" : ""  // (the digits are of the magnitude)
        return "\(sign)\(digits == 10 ? "1.0" : digits.pythonDescription)e\(digits == 10 ? exponent + 1 : exponent)"
    }

    /// A short label for an axis: at most 4 significant digits.
    var tick: String {
        if self == rounded() && Swift.abs(self) < 1e6 { return String(Int(self)) }
        let magnitude = Swift.abs(self)
        if !isFinite || magnitude >= 1e6 || magnitude < 1e-3 { return short }
        let places = magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 3
        var text = fixed(places)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }

    var trimmingBlankLines: String {
        // Most text has nothing to trim: say so without splitting it.
        if let first = utf8.first, let last = utf8.last, first > 32, last > 32 { return self }
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}

extension Character {
    /// How many columns of a terminal the character takes: 2 for the wide characters of
    /// Chinese, Japanese and Korean text and for emoji, 0 for a control character, 1
    /// otherwise. (A character's combining marks ride on its first scalar, which decides.)
    public var columns: Int {
        let v = unicodeScalars.first!.value
        if v < 0x1100 { return v < 32 || (0x7F..<0xA0).contains(v) ? 0 : 1 }
        if unicodeScalars.contains("\u{FE0F}") { return 2 }  // an emoji's picture form
        return Self.wideRanges.contains { $0.contains(v) } ? 2 : 1
    }

    /// Unicode's East Asian Wide and Fullwidth characters, and the emoji, in brief.
    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F3, 0x25FD...0x25FE,
        0x2614...0x2615, 0x2648...0x2653, 0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26F2...0x26F5,
        0x2705...0x2705, 0x270A...0x270B, 0x2728...0x2728, 0x274C...0x274C, 0x2753...0x2755, 0x2795...0x2797,
        0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
        0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
        0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
        0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB,
        0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

extension StringProtocol {
    /// How many columns of a terminal the text takes (see `Character.columns`).
    public var columns: Int {
        // (Most text is printable ASCII, one column a byte.)
        if utf8.allSatisfy({ $0 >= 32 && $0 < 0x7F }) { return utf8.count }
        return reduce(0) { $0 + $1.columns }
    }

    /// The characters that fall wholly in columns `range` (a wide character that would
    /// straddle either edge is left out).
    func inColumns(_ range: Range<Int>) -> String {
        var result = "", column = 0
        for c in self {
            let width = c.columns
            if column >= range.lowerBound && column + width <= range.upperBound { result.append(c) }
            column += width
            if column >= range.upperBound { break }
        }
        return result
    }
}

/// Rows laid out in left-aligned columns.
func columns(_ rows: [[String]]) -> String {
    guard let width = rows.first?.count else { return "" }
    let widths = (0..<width).map { c in rows.map { $0[c].columns }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { c, cell in
            c == width - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.columns + 2)
        }.joined().trimmingTrailingSpaces
    }.joined(separator: "\n")
}

/// A line broken into lines of at most `width` characters, at spaces. Its pieces keep
/// its indentation, or after the first start with `continuation` when one is given (the
/// REPL indents an error message's second line).
public func wrapped(_ text: String, width: Int = 78, continuation: String? = nil) -> String {
    let indent = String(text.prefix { $0 == " " })
    var lines: [String] = [], line = ""
    func lead() -> String { lines.isEmpty ? indent : continuation ?? indent }
    for word in text.split(separator: " ") {
        if !line.isEmpty && lead().columns + line.columns + 1 + word.columns > width {
            lines.append(lead() + line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    return (lines + [lead() + line]).joined(separator: "\n")
}
