import Micrograd

extension Double {
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
        return "\(digits == 10 ? "1.0" : digits.pythonDescription)e\(digits == 10 ? exponent + 1 : exponent)"
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

/// Rows laid out in left-aligned columns.
func columns(_ rows: [[String]]) -> String {
    guard let width = rows.first?.count else { return "" }
    let widths = (0..<width).map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { c, cell in
            c == width - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
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
        if !line.isEmpty && lead().count + line.count + 1 + word.count > width {
            lines.append(lead() + line)
            line = ""
        }
        line += (line.isEmpty ? "" : " ") + word
    }
    return (lines + [lead() + line]).joined(separator: "\n")
}
