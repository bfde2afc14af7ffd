/// One physical line, split into tokens, with what a reader of the lines around it needs:
/// how it changes the bracket depth, whether it continues onto the next line, and how far
/// it is indented.
///
/// Lines are scanned one at a time and only a triple-quoted string carries over from one
/// to the next, so the script runner, the REPL's line buffer and the parser all use this
/// one scanner, and nothing is ever scanned twice.
struct ScannedLine {
    var tokens: [Token] = []
    /// Columns of leading white space (a tab moves to the next multiple of 8).
    var indentation = 0
    /// The same with a tab as one column: where the two disagree about how a line lines up
    /// with those above, it depends on the tab width (Python's TabError).
    var narrowIndentation = 0
    /// Only white space or a comment (and not inside a string).
    var isBlank = true
    /// Brackets opened minus brackets closed.
    var bracketDelta = 0
    /// The line ends with a backslash, or inside a triple-quoted string: the next line
    /// continues it whatever the brackets say.
    var continues = false
    /// The last token is ':' (a block's header with its body on the lines below).
    var endsWithColon = false
    /// A string in quotes (not triple quotes) is not closed by the end of the line: the
    /// statement is wrong whatever follows, as Python says at once.
    var hasUnclosedString = false
    /// Just past the last token.
    var end: SourceLocation?
}

/// A triple-quoted string still open at the end of a line.
struct OpenString {
    var quote: UInt8
    var isFormatted: Bool
    var isRaw: Bool
    var start: SourceLocation
    var bodyStart: SourceLocation
    var body: [UInt8]
}

/// Splits lines into tokens.
enum Lexer {
    /// The symbols, by their length: the longest that matches is taken, so `**=` is one
    /// symbol and not `**` then `=`.
    static let symbols: [[Symbol]] = [
        [],
        ["+", "-", "*", "/", "%", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "="],
        ["**", "//", "==", "!=", "<=", ">=", "->", "+=", "-=", "*=", "/=", "%=", ":="],
        ["**=", "//=", "..."],
    ]

    /// Scans one line (number `lineNumber`, starting at column `firstColumn`), carrying an
    /// open triple-quoted string in and out through `open`.
    static func scan(_ line: Substring, number lineNumber: Int, firstColumn: Int = 1, open: inout OpenString?) -> ScannedLine {
        var scanner = LineScanner(bytes: Array(line.utf8), line: lineNumber, firstColumn: firstColumn)
        scanner.open = open.take()  // (moved, not shared: see `continueString`)
        scanner.scan()
        open = scanner.open
        return scanner.result
    }

    /// Every line of `text` scanned (the first being line `firstLine`), and a triple-quoted
    /// string left open at the end, if any.
    static func scan(_ text: String, firstLine: Int = 1, firstColumn: Int = 1) -> (lines: [ScannedLine], open: OpenString?) {
        scan(lines: Source.split(text), firstLine: firstLine, firstColumn: firstColumn)
    }

    /// `scan(text)` of a text already split into lines (a `Source`'s).
    static func scan(lines text: [Substring], firstLine: Int = 1, firstColumn: Int = 1) -> (lines: [ScannedLine], open: OpenString?) {
        var open: OpenString?
        var lines: [ScannedLine] = []
        lines.reserveCapacity(text.count)
        for (i, line) in text.enumerated() {
            lines.append(scan(line, number: firstLine + i, firstColumn: i == 0 ? firstColumn : 1, open: &open))
        }
        return (lines, open)
    }

    static func unexpectedCharacter(_ c: Unicode.Scalar) -> String {
        switch c {
        case "\0": "a NUL byte is not part of the language"
        case "\u{FFFD}": "this is not valid UTF-8 text"
        case "^": "'^' is not a power here; write x**2 for x squared"
        case "&", "|", "~": "bitwise operators are not part of the language; for both, either or not, write and, or, not"
        case "@": "'@' (decorators, matrix products) is not part of the language"
        case "!":
            "'!' is not part of the language; write != for 'not equal' and not x for 'not' (and Jupyter's !command, to run a shell command, is not here)"
        case "$", "`": "'\(Character(c))' is not part of the language"
        case "\\": "a backslash continues a line only as the line's last character"
        default:
            if c.value < 32 || c.value == 127 {
                "the control character U+\(String(c.value, radix: 16, uppercase: true)) is not part of the language"
            } else {
                "'\(Character(c))' is not part of the language"
            }
        }
    }
}

/// The scanner's state for one line.
private struct LineScanner {
    let bytes: [UInt8]
    let line: Int
    let firstColumn: Int
    var i = 0
    var open: OpenString?
    var result = ScannedLine()
    /// Whether every byte before `i` is ASCII, so columns are byte offsets.
    var asciiUpTo = 0

    init(bytes: [UInt8], line: Int, firstColumn: Int) {
        self.bytes = bytes
        self.line = line
        self.firstColumn = firstColumn
        asciiUpTo = bytes.firstIndex { $0 >= 0x80 } ?? bytes.count
    }

    /// The column of byte `offset`, counting characters as the caret line does (é written
    /// as e and a combining accent is one column).
    func column(_ offset: Int) -> Int {
        if offset <= asciiUpTo { return firstColumn + offset }
        return firstColumn + String(decoding: bytes[0..<offset], as: UTF8.self).count
    }

    func location(_ offset: Int) -> SourceLocation { SourceLocation(line: line, column: column(offset)) }

    mutating func add(_ kind: Token.Kind, at offset: Int) {
        result.tokens.append(Token(kind: kind, location: location(offset)))
        result.isBlank = false
    }

    /// Records a mistake and stops scanning this line.
    mutating func fail(_ message: String, at offset: Int) {
        add(.error(LanguageError(message, at: location(offset))), at: offset)
        // The brackets in the rest of the line still count (outside simple quotes), so that
        // a mistake inside balanced brackets, print(s | {5}), does not look like a bracket
        // left open that takes in the lines after it.
        var quote: UInt8?
        for byte in bytes[min(offset + 1, bytes.count)...] {
            if let q = quote {
                if byte == q { quote = nil }
                continue
            }
            if byte == UInt8(ascii: "#") { break }  // a comment to the end of the line
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = byte
            case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"): result.bracketDelta += 1
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"): result.bracketDelta -= 1
            default: break
            }
        }
        i = bytes.count
    }

    mutating func scan() {
        if open != nil {
            result.isBlank = false
            continueString()
            if !result.tokens.isEmpty { result.end = location(i) }
            if open != nil {
                result.continues = true
                return
            }
        } else {
            measureIndentation()
        }
        while i < bytes.count {
            let c = bytes[i]
            let before = result.tokens.count
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), 0x0C:
                i += 1
            case UInt8(ascii: "#"):
                i = bytes.count
            case UInt8(ascii: "\\"):
                if i == bytes.count - 1 || bytes[(i + 1)...].allSatisfy({ $0 == UInt8(ascii: "\r") }) {
                    result.continues = true
                    i = bytes.count
                } else {
                    fail(Lexer.unexpectedCharacter("\\"), at: i)
                }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                number()
            case UInt8(ascii: "."):
                if i + 1 < bytes.count, bytes[i + 1].isDigit { number() } else { symbol() }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                string(prefixAt: i, isFormatted: false, isRaw: false)
            default:
                if c.isNameStart || c >= 0x80 {
                    name()
                } else {
                    symbol()
                }
            }
            if result.tokens.count > before { result.end = location(i) }
            if open != nil {
                result.continues = true
                return
            }
        }
        if let last = result.tokens.last { result.endsWithColon = last.kind.isSymbol(":") }
    }

    mutating func measureIndentation() {
        var width = 0, narrow = 0
        defer { (result.indentation, result.narrowIndentation) = (width, narrow) }
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "): (width, narrow) = (width + 1, narrow + 1)
            case UInt8(ascii: "\t"): (width, narrow) = ((width / 8 + 1) * 8, narrow + 1)
            case 0x0C: (width, narrow) = (0, 0)
            default: return
            }
            i += 1
        }
    }

    mutating func number() {
        let start = i
        var isWhole = true
        // 0x1F, 0o17, 0b101: Python's whole numbers in other bases.
        if bytes[i] == UInt8(ascii: "0"), i + 1 < bytes.count, let radix = Self.radixes[bytes[i + 1] | 0x20] {
            i += 2
            let digitsStart = i
            while i < bytes.count, bytes[i].isNameStart || bytes[i].isDigit { i += 1 }
            let text = String(decoding: bytes[digitsStart..<i].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            guard let value = Int(text, radix: radix) else {
                if !text.isEmpty, text.allSatisfy({ Int(String($0), radix: radix) != nil }) {
                    return fail("that whole number is larger than the largest here (2**63 - 1)", at: start)
                }
                return fail("'\(String(decoding: bytes[start..<i], as: UTF8.self))' is not a number in base \(radix)", at: start)
            }
            return add(.integer(value), at: start)
        }
        func digits() {
            while i < bytes.count,
                bytes[i].isDigit || (bytes[i] == UInt8(ascii: "_") && i + 1 < bytes.count && bytes[i + 1].isDigit && i > start)
            {
                i += 1
            }
        }
        digits()
        // A '.' before a letter is an attribute: 3.0.exp() is 3.0, then .exp().
        if i < bytes.count, bytes[i] == UInt8(ascii: "."), !(i + 1 < bytes.count && (bytes[i + 1].isNameStart || bytes[i + 1] >= 0x80)) {
            isWhole = false
            i += 1
            digits()
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var k = i + 1
            if k < bytes.count, bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") { k += 1 }
            if k < bytes.count, bytes[k].isDigit {
                i = k
                digits()
                isWhole = false
            }
        }
        let text = bytes[start..<i]
        let word =
            text.contains(UInt8(ascii: "_"))
            ? String(decoding: text.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self) : String(decoding: text, as: UTF8.self)
        if i < bytes.count, bytes[i] == UInt8(ascii: "j") || bytes[i] == UInt8(ascii: "J"),
            !(i + 1 < bytes.count && (bytes[i + 1].isNameStart || bytes[i + 1].isDigit))
        {
            return fail("complex numbers (\(word)j) are not part of the language", at: start)
        }
        if i < bytes.count, bytes[i].isNameStart || bytes[i] >= 0x80 {
            return fail("a number runs into a name here; put an operator between them (2*x, not 2x)", at: i)
        }
        if !isWhole, i + 1 < bytes.count, bytes[i] == UInt8(ascii: "."), bytes[i + 1].isDigit {
            return fail("a number has one decimal point at most", at: i)
        }
        if isWhole, word.count > 1, word.first == "0", word.contains(where: { $0 != "0" }) {
            let digits = word.drop { $0 == "0" }
            let octal = digits.allSatisfy { $0 < "8" } ? ", or 0o\(digits) for octal" : ""
            return fail("a whole number cannot start with 0 (Python says so too): write \(digits)\(octal)", at: start)
        }
        guard let x = Double(word) else { return fail("'\(word)' is not a number", at: start) }
        guard isWhole else { return add(.number(x), at: start) }
        // (Python's ints have no limit; here a whole number past 64 bits would be a float
        // with its last digits wrong, so it is refused rather than changed.)
        guard let whole = Int(word) else {
            return fail(
                "that whole number is larger than the largest here (2**63 - 1); for a float, write it with a point: \(word).0",
                at: start)
        }
        add(.integer(whole), at: start)
    }

    /// Python's prompt, which a line copied from a session may start with.
    static let prompt = Array(">>>".utf8)

    /// The bases of 0x, 0o and 0b, by the prefix letter in lower case.
    static let radixes: [UInt8: Int] = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2]

    mutating func name() {
        let start = i
        // Most names are all ASCII: those are read as bytes, and only a name with other
        // letters in it is read again scalar by scalar.
        while i < bytes.count, bytes[i] < 0x80, bytes[i].isNameStart || bytes[i].isDigit { i += 1 }
        if i > start, i == bytes.count || bytes[i] < 0x80 {
            return named(String(decoding: bytes[start..<i], as: UTF8.self), at: start)
        }
        i = start
        var scalars = String.UnicodeScalarView()
        while i < bytes.count {
            if bytes[i] < 0x80 {
                guard bytes[i].isNameStart || bytes[i].isDigit else { break }
                scalars.append(Unicode.Scalar(bytes[i]))
                i += 1
                continue
            }
            let (scalar, length) = decodeScalar(at: i)
            let fits = scalars.isEmpty ? scalar.properties.isXIDStart : scalar.properties.isXIDContinue
            guard fits else { break }
            scalars.append(scalar)
            i += length
        }
        if scalars.isEmpty {
            let (scalar, _) = decodeScalar(at: i)
            return fail(Lexer.unexpectedCharacter(scalar), at: i)
        }
        named(String(scalars), at: start)
    }

    /// A name read from `start` to here, or the prefix of a string that follows.
    mutating func named(_ word: String, at start: Int) {
        // A string prefix: f'…', r"…", rb'…'.
        if i < bytes.count, bytes[i] == UInt8(ascii: "'") || bytes[i] == UInt8(ascii: "\""),
            word.count <= 2, word.lowercased().allSatisfy({ "rfbu".contains($0) })
        {
            let lower = word.lowercased()
            if lower.contains("b") { return fail("bytes (b'…') are not part of the language; use a plain string", at: start) }
            return string(prefixAt: start, isFormatted: lower.contains("f"), isRaw: lower.contains("r"))
        }
        add(keywords.contains(word) ? .keyword(word) : .name(word), at: start)
    }

    func decodeScalar(at offset: Int) -> (Unicode.Scalar, Int) {
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&iterator) { return (s, UTF8.width(s)) }
        return ("\u{FFFD}", 1)
    }

    mutating func symbol() {
        if result.tokens.isEmpty, bytes[i...].starts(with: Self.prompt) {
            return fail("'>>>' is Python's prompt, not part of the code: copy only what comes after it", at: i)
        }
        if i + 1 < bytes.count, bytes[i] == bytes[i + 1], bytes[i] == UInt8(ascii: "<") || bytes[i] == UInt8(ascii: ">") {
            return fail(
                "shifts (<< and >>) are bitwise operators, which are not part of the language; for x times 2**n, write x * 2**n", at: i)
        }
        for length in stride(from: Lexer.symbols.count - 1, to: 0, by: -1) where i + length <= bytes.count {
            let symbol = bytes.withUnsafeBufferPointer { Symbol($0.baseAddress!, i, i + length) }
            guard Lexer.symbols[length].contains(symbol) else { continue }
            switch symbol {
            case "(", "[", "{": result.bracketDelta += 1
            case ")", "]", "}": result.bracketDelta -= 1
            default: break
            }
            add(.symbol(symbol), at: i)
            i += length
            return
        }
        let (scalar, _) = decodeScalar(at: i)
        fail(Lexer.unexpectedCharacter(scalar), at: i)
    }

    /// A string starting at `i` (its quotes), whose prefix letters start at `start`.
    mutating func string(prefixAt start: Int, isFormatted: Bool, isRaw: Bool) {
        let quote = bytes[i]
        let triple = i + 2 < bytes.count && bytes[i + 1] == quote && bytes[i + 2] == quote
        i += triple ? 3 : 1
        if triple {
            open = OpenString(
                quote: quote, isFormatted: isFormatted, isRaw: isRaw, start: location(start),
                bodyStart: location(i), body: [])
            result.isBlank = false
            continueString()
            return
        }
        let bodyStart = i
        var body: [UInt8] = []
        while i < bytes.count, bytes[i] != quote {
            if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                body += bytes[i...(i + 1)]
                i += 2
                continue
            }
            body.append(bytes[i])
            i += 1
        }
        guard i < bytes.count else {
            result.hasUnclosedString = true
            return fail("this string has no closing \(Character(Unicode.Scalar(quote)))", at: start)
        }
        i += 1
        emitString(body, quote: quote, isFormatted: isFormatted, isRaw: isRaw, at: location(start), bodyStart: location(bodyStart))
    }

    /// Goes on with an open triple-quoted string: to its end, or to the end of the line.
    mutating func continueString() {
        // (Taken out, not copied: a copy shared its text with `open`, so each line's first
        // byte copied all the lines before it, and a string of a million lines took minutes.)
        guard var string = open.take() else { return }
        let quote = string.quote
        while i < bytes.count {
            if bytes[i] == quote, i + 2 < bytes.count, bytes[i + 1] == quote, bytes[i + 2] == quote {
                i += 3
                open = nil
                emitString(
                    string.body, quote: quote, isFormatted: string.isFormatted, isRaw: string.isRaw,
                    at: string.start, bodyStart: string.bodyStart)
                return
            }
            if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                string.body += bytes[i...(i + 1)]
                i += 2
                continue
            }
            string.body.append(bytes[i])
            i += 1
        }
        string.body.append(UInt8(ascii: "\n"))
        open = string
    }

    mutating func emitString(
        _ body: [UInt8], quote: UInt8, isFormatted: Bool, isRaw: Bool,
        at start: SourceLocation, bodyStart: SourceLocation
    ) {
        let raw = String(decoding: body, as: UTF8.self)
        let kind: Token.Kind = isFormatted ? .formatted(raw, bodyStart) : .string(isRaw ? raw : unescaped(raw))
        result.tokens.append(Token(kind: kind, location: start))
        result.isBlank = false
    }
}

/// A string literal's text with Python's backslash escapes replaced by what they mean.
func unescaped(_ text: String) -> String {
    guard text.contains("\\") else { return text }
    var out = String.UnicodeScalarView()
    var scalars = Array(text.unicodeScalars)[...]
    while let c = scalars.popFirst() {
        guard c == "\\", let next = scalars.popFirst() else {
            out.append(c)
            continue
        }
        switch next {
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "r": out.append("\r")
        case "0": out.append("\0")
        case "a": out.append("\u{7}")
        case "b": out.append("\u{8}")
        case "f": out.append("\u{C}")
        case "v": out.append("\u{B}")
        case "\\", "'", "\"": out.append(next)
        case "\n": break
        case "x", "u", "U":
            let count = next == "x" ? 2 : next == "u" ? 4 : 8
            let digits = String(String.UnicodeScalarView(scalars.prefix(count)))
            if digits.count == count, let value = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(value) {
                out.append(scalar)
                scalars = scalars.dropFirst(count)
            } else {
                out.append(c)
                out.append(next)
            }
        default:
            out.append(c)
            out.append(next)
        }
    }
    return String(out)
}

extension UInt8 {
    var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    var isNameStart: Bool {
        (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "z")) || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z"))
            || self == UInt8(ascii: "_")
    }
}
