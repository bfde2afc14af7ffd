import Micrograd

// f-strings, str.format and %: Python's format specs for the cases the tutorial uses.
extension Interpreter {
    /// An f-string's text, its `{expression:spec}` parts filled in.
    func format(_ parts: [FormattedPart], _ context: Context) throws(LanguageError) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .expression(let e, let conversion, let spec):
                var value = try evaluate(e, context)
                if conversion == "r" {
                    value = .string(try reprText(value, at: e.location))
                } else if conversion == "s" {
                    value = .string(try printedText(value, at: e.location))
                }
                out += try formatValue(value, spec: spec, at: e.location)
            }
        }
        return try checkedString(out, at: parts.isEmpty ? SourceLocation(line: 1, column: 1) : location(of: parts))
    }

    private func location(of parts: [FormattedPart]) -> SourceLocation {
        for case .expression(let e, _, _) in parts { return e.location }
        return SourceLocation(line: 1, column: 1)
    }

    /// `x` as print and str write it; an error if that is longer than a string may be
    /// (it stops there, rather than build the whole first).
    func printedText(_ x: Object, at location: SourceLocation) throws(LanguageError) -> String {
        if case .string(let s) = x { return s }
        return try reprText(x, at: location)
    }

    /// `x`'s repr; an error if that is longer than a string may be.
    func reprText(_ x: Object, at location: SourceLocation) throws(LanguageError) -> String {
        switch x.repr(limit: limits.stringLength) {
        case .success(let text): return text
        case .failure(.tooLong): throw tooLong(at: location)
        case .failure(.tooDeep):
            throw LanguageError(
                "this nests more than \(Object.reprDepth) levels deep, too deep to write out (Python stops too); its echo shows the depths as [...]",
                at: location)
        }
    }

    /// `value` formatted by `spec`: `[[fill]align][sign][0][width][,][.precision][type]`.
    /// (`written` is the format as the learner wrote it, for errors: % passes its own.)
    func formatValue(_ value: Object, spec: String, at location: SourceLocation, written: String? = nil) throws(LanguageError) -> String {
        guard !spec.isEmpty else { return try printedText(value, at: location) }
        let shown = written ?? spec
        guard var f = FormatSpec(spec) else {
            throw LanguageError("'\(shown)' is not a format this notebook knows (try .4f, .2e, 10, >8, d or %)", at: location)
        }
        // (A format right but for its size says so: '>100000' was "not a format".)
        if let n = f.precision, n > 100 {
            throw LanguageError("'\(shown)' asks for \(n) digits after the point; at most 100 are written here", at: location)
        }
        guard f.width <= 1000 else {
            throw LanguageError("'\(shown)' asks for a width of \(f.width); at most 1000 is padded here", at: location)
        }
        let body: String
        switch value.plainNumber {
        case .number(let x):
            if case .integer(let i) = value, f.type == nil || f.type == "d" {
                body = f.signed(f.grouped(String(i.magnitude)), negative: i < 0)
                f.defaultAlign = ">"
                break
            }
            guard f.type != "s", f.type != "d" || x == x.rounded() else {
                throw LanguageError(
                    "format '\(shown)' is for \(f.type == "s" ? "strings" : "whole numbers"), not \(value.kindName)", at: location)
            }
            body = f.signed(f.digits(Swift.abs(x)), negative: x < 0 || (x == 0 && x.sign == .minus && f.type != "d"))
            f.defaultAlign = ">"
        case .string(let s):
            guard f.type == nil || f.type == "s" else {
                throw LanguageError("format '\(shown)' is for numbers, not a string", at: location)
            }
            body = f.precision.map { String(s.prefix($0)) } ?? s
        default:
            guard f.type == nil || f.type == "s" else {
                throw LanguageError("format '\(shown)' is for numbers, not \(value.kindName)", at: location)
            }
            body = try printedText(value, at: location)
        }
        return f.padded(body)
    }

    /// `'%.4f' % x` and `'%s and %d' % (a, b)`: C's printf conversions, as Python's % has them.
    func percentFormat(_ template: String, _ arguments: Object, at location: SourceLocation) throws(LanguageError) -> String {
        var values: [Object] = { if case .tuple(let t) = arguments { return t.items } else { return [arguments] } }()
        var out = ""
        var chars = Array(template)[...]
        while let c = chars.popFirst() {
            guard c == "%" else { out.append(c); continue }
            var spec = ""
            while let d = chars.first, "-+ #0123456789.".contains(d) { spec.append(d); chars.removeFirst() }
            guard let conversion = chars.popFirst() else { throw LanguageError("the format ends after '%'", at: location) }
            if conversion == "%" { out += "%"; continue }
            guard !values.isEmpty else { throw LanguageError("not enough values for the format \(Object.quoted(template))", at: location) }
            let value = values.removeFirst()
            // printf's flags, then the width and precision, as a format spec: [align][sign]
            // [0][width][.precision]. (The 0 flag pads after the sign, as printf does: with an
            // alignment put in front of it, '%05d' % 42 was '   42'.)
            let flags = spec.prefix { "-+ #0".contains($0) }
            let sizes = spec.dropFirst(flags.count)
            let left = flags.contains("-"), zero = flags.contains("0") && !left
            let alternate = flags.contains("#") ? "#" : ""  // (no such form here: refused as not a format)
            let textSpec = (left ? "<" : ">") + alternate + sizes
            let numberSpec =
                (left ? "<" : zero ? "" : ">") + (flags.contains("+") ? "+" : flags.contains(" ") ? " " : "") + alternate
                + (zero ? "0" : "") + sizes
            let written = "%" + spec + String(conversion)
            switch conversion {
            case "s":
                out += try formatValue(.string(try printedText(value, at: location)), spec: textSpec, at: location, written: written)
            case "r": out += try formatValue(.string(try reprText(value, at: location)), spec: textSpec, at: location, written: written)
            case "d", "i":
                // (A whole number as it is: through a float, 2**53 + 1 lost its last digit.)
                if case .integer = value {
                    out += try formatValue(value, spec: numberSpec + "d", at: location, written: written)
                    continue
                }
                guard let x = value.plainNumber.double, Double.fitsInt(x.rounded(.towardZero)) else {
                    throw LanguageError(
                        "%\(conversion) takes a whole number (or a float, cut to one), not \(Self.notWhole(value))", at: location)
                }
                out += try formatValue(.integer(Int(x.rounded(.towardZero))), spec: numberSpec + "d", at: location, written: written)
            case "f", "F", "e", "E", "g", "G":
                out += try formatValue(value.plainNumber, spec: numberSpec + String(conversion), at: location, written: written)
            default: throw LanguageError("'%\(conversion)' is not a format this notebook knows (try %s, %d, %.4f)", at: location)
            }
        }
        guard values.isEmpty else {
            throw LanguageError("more values than the format \(Object.quoted(template)) has places for", at: location)
        }
        return out
    }
}

/// A parsed format spec.
private struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var defaultAlign: Character = "<"
    var sign: Character = "-"
    var zero = false
    var width = 0
    /// The thousands separator, if any: ',' or '_'.
    var separator: Character?
    var precision: Int?
    var type: Character?

    init?(_ spec: String) {
        var chars = Array(spec)[...]
        var fillGiven = false
        if chars.count >= 2, "<>^=".contains(chars[chars.startIndex + 1]) {
            fill = chars.removeFirst()
            align = chars.removeFirst()
            fillGiven = true
        } else if let c = chars.first, "<>^=".contains(c) {
            align = chars.removeFirst()
        }
        if let c = chars.first, "+- ".contains(c) { sign = chars.removeFirst() }
        // (A 0 before the width pads with zeros: after the sign for a number with no
        // alignment given, as Python's '=' does.)
        if chars.first == "0" {
            zero = true
            chars.removeFirst()
            if !fillGiven { fill = "0" }
        }
        var digits = ""
        while let c = chars.first, c.isASCII, c.isNumber { digits.append(chars.removeFirst()) }
        width = digits.isEmpty ? 0 : Int(digits) ?? .max  // (sizes past the most are said so by the caller)
        if chars.first == "," || chars.first == "_" { separator = chars.removeFirst() }
        if chars.first == "." {
            chars.removeFirst()
            var p = ""
            while let c = chars.first, c.isASCII, c.isNumber { p.append(chars.removeFirst()) }
            guard !p.isEmpty else { return nil }
            precision = Int(p) ?? .max
        }
        if let c = chars.first {
            guard "sdfFeEgG%".contains(c) else { return nil }
            type = chars.removeFirst()
        }
        guard chars.isEmpty else { return nil }
    }

    /// The digits of a number that is not negative.
    func digits(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : "inf" }
        switch type {
        case "f", "F": return grouped(x.fixed(precision ?? 6))
        case "%": return grouped((x * 100).fixed(precision ?? 6)) + "%"
        case "e", "E":
            let text = scientific(x, precision ?? 6)
            return type == "E" ? text.uppercased() : text
        case "g", "G": return general(x, precision ?? 6)
        case "d": return grouped(x.fixed(0))
        default:
            return precision.map { general(x, $0, keepPoint: true) } ?? grouped(x.pythonDescription)
        }
    }

    func scientific(_ x: Double, _ places: Int) -> String {
        guard x != 0 else { return "0" + (places > 0 ? "." + String(repeating: "0", count: places) : "") + "e+00" }
        var exponent = decimalExponent(x)
        var mantissa = x / pow10(exponent)
        var text = mantissa.fixed(places)
        if text.hasPrefix("10") {  // 9.9999 rounded up to 10.000
            exponent += 1
            mantissa = x / pow10(exponent)
            text = mantissa.fixed(places)
        }
        let e = Swift.abs(exponent)
        return text + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
    }

    func general(_ x: Double, _ significant: Int, keepPoint: Bool = false) -> String {
        let p = Swift.max(significant, 1)
        guard x != 0 else { return keepPoint ? "0.0" : "0" }
        let exponent = decimalExponent(x)
        var text: String
        if exponent < -4 || exponent >= p {
            text = scientific(x, p - 1)
            if let e = text.firstIndex(of: "e") {
                var mantissa = String(text[..<e])
                if mantissa.contains(".") {
                    while mantissa.hasSuffix("0") { mantissa.removeLast() }
                    if mantissa.hasSuffix(".") { mantissa.removeLast() }
                }
                text = mantissa + text[e...]
            }
            return text
        }
        text = x.fixed(Swift.max(p - 1 - exponent, 0))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        if keepPoint && !text.contains(".") && !text.contains("e") { text += ".0" }
        return text
    }

    /// ⌊log₁₀ x⌋ for a positive x.
    func decimalExponent(_ x: Double) -> Int {
        var e = Int((Double(x.exponent) * 0.301029995663981).rounded(.down))
        while pow10(e + 1) <= x { e += 1 }
        while pow10(e) > x { e -= 1 }
        return e
    }

    func pow10(_ n: Int) -> Double {
        var r = 1.0
        for _ in 0..<Swift.abs(n) { r *= 10 }
        return n < 0 ? 1 / r : r
    }

    func grouped(_ digits: String) -> String {
        guard let separator else { return digits }
        let whole = digits.prefix { $0.isNumber }
        var out = "", count = 0
        for c in whole.reversed() {
            if count > 0 && count % 3 == 0 { out.append(separator) }
            out.append(c)
            count += 1
        }
        return String(out.reversed()) + digits.dropFirst(whole.count)
    }

    func signed(_ body: String, negative: Bool) -> String {
        (negative ? "-" : sign == "+" ? "+" : sign == " " ? " " : "") + body
    }

    func padded(_ body: String) -> String {
        let missing = width - body.count
        guard missing > 0 else { return body }
        let pad = { (n: Int) in String(repeating: fill, count: n) }
        // (Numbers are aligned right, after their sign with a 0 flag; text left.)
        switch align ?? (zero && defaultAlign == ">" ? "=" : defaultAlign) {
        case "<": return body + pad(missing)
        case "^": return pad(missing / 2) + body + pad(missing - missing / 2)
        case "=":
            let sign = body.first.map { "+- ".contains($0) } == true ? 1 : 0
            return String(body.prefix(sign)) + pad(missing) + body.dropFirst(sign)
        default: return pad(missing) + body
        }
    }
}
