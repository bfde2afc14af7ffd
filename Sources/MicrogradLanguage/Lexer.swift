/// One word of the notebook language.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case number(Double)
        /// A number written without '.' or an exponent, which stays whole, as in Python.
        case integer(Int)
        case name(String)
        case string(String)
        /// An operator or punctuation: `+ - * / ** = += -= *= /= ( ) [ ] , . : ;`.
        case symbol(String)
        /// The end of a line (outside brackets).
        case end
        case eof
    }

    public var kind: Kind
    public var location: SourceLocation
}

extension Token.Kind: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let x): "the number \(x.pythonDescription)"
        case .integer(let i): "the number \(i)"
        case .name(let n): "'\(n)'"
        case .string: "a string"
        case .symbol(let s): "'\(s)'"
        case .end: "the end of the line"
        case .eof: "the end of the input"
        }
    }
}

import Micrograd

/// Splits text into tokens. Newlines inside brackets do not end a statement, as in Python.
struct Lexer {
    static let symbols = ["**", "+=", "-=", "*=", "/=", "+", "-", "*", "/", "=", "(", ")",
                          "[", "]", ",", ".", ":", ";"]

    /// The tokens of `text`, whose first line is line `firstLine`.
    static func tokens(_ text: String, firstLine: Int = 1) throws(LanguageError) -> [Token] {
        var tokens: [Token] = []
        let chars = Array(text.unicodeScalars)
        // Columns count characters, as the caret line under an error does: é written as e and
        // a combining accent is one column, not two.
        var character: [Int] = []
        character.reserveCapacity(chars.count + 1)
        for (n, c) in text.enumerated() { for _ in c.unicodeScalars { character.append(n) } }
        character.append(character.count == 0 ? 0 : character[character.count - 1] + 1)
        var i = 0, line = firstLine, lineStart = 0, depth = 0
        func column(_ at: Int) -> Int { character[at] - character[lineStart] + 1 }
        func here() -> SourceLocation { SourceLocation(line: line, column: column(i)) }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                if depth == 0 { tokens.append(Token(kind: .end, location: here())) }
                i += 1; line += 1; lineStart = i
                continue
            }
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            if c == "#" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            let start = here()
            if c.isASCIIDigit || (c == "." && i + 1 < chars.count && chars[i + 1].isASCIIDigit) {
                // Digits, then at most one '.' and more digits; a '.' before a letter is an
                // attribute (3.0.exp() is 3.0, then .exp()).
                var j = i
                while j < chars.count && chars[j].isASCIIDigit { j += 1 }
                if j < chars.count && chars[j] == "." && !(j + 1 < chars.count && (chars[j + 1].properties.isAlphabetic || chars[j + 1] == "_")) {
                    j += 1
                    while j < chars.count && chars[j].isASCIIDigit { j += 1 }
                }
                if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                    var k = j + 1
                    if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
                    if k < chars.count && chars[k].isASCIIDigit {
                        while k < chars.count && chars[k].isASCIIDigit { k += 1 }
                        j = k
                    }
                }
                let word = String(String.UnicodeScalarView(chars[i..<j]))
                guard let x = Double(word) else {
                    throw LanguageError("'\(word)' is not a number", at: start)
                }
                if j < chars.count && (chars[j].properties.isAlphabetic || chars[j] == "_") {
                    throw LanguageError("a number runs into a name here; put an operator between them (2*x, not 2x)",
                                        at: SourceLocation(line: line, column: column(j)))
                }
                let whole = !word.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
                tokens.append(Token(kind: whole ? Int(word).map { .integer($0) } ?? .number(x) : .number(x), location: start))
                i = j
                continue
            }
            if c.properties.isAlphabetic || c == "_" {
                var j = i
                while j < chars.count && (chars[j].properties.isAlphabetic || chars[j] == "_" || chars[j].isASCIIDigit) { j += 1 }
                tokens.append(Token(kind: .name(String(String.UnicodeScalarView(chars[i..<j]))), location: start))
                i = j
                continue
            }
            if c == "\"" || c == "'" {
                var j = i + 1
                while j < chars.count && chars[j] != c && chars[j] != "\n" { j += 1 }
                guard j < chars.count && chars[j] == c else {
                    throw LanguageError("this string has no closing \(c)", at: start)
                }
                tokens.append(Token(kind: .string(String(String.UnicodeScalarView(chars[(i + 1)..<j]))), location: start))
                i = j + 1
                continue
            }
            if let symbol = symbols.first(where: { matches($0, chars, i) }) {
                switch symbol {
                case "(", "[": depth += 1
                case ")", "]": depth = max(0, depth - 1)
                default: break
                }
                tokens.append(Token(kind: .symbol(symbol), location: start))
                i += symbol.unicodeScalars.count
                continue
            }
            throw LanguageError(unexpectedCharacter(c), at: start)
        }
        tokens.append(Token(kind: .eof, location: here()))
        return tokens
    }

    static func matches(_ symbol: String, _ chars: [Unicode.Scalar], _ i: Int) -> Bool {
        let s = Array(symbol.unicodeScalars)
        return i + s.count <= chars.count && Array(chars[i..<(i + s.count)]) == s
    }

    static func unexpectedCharacter(_ c: Unicode.Scalar) -> String {
        switch c {
        case "\0": "a NUL byte is not part of the language"
        case "\u{FFFD}": "this is not valid UTF-8 text"
        case "^": "'^' is not a power here; write x**2 for x squared"
        case "<", ">", "!": "comparisons are not part of the language"
        case "{", "}": "braces are not part of the language; use ( ) for grouping and [ ] for lists"
        default:
            if c.value < 32 || c.value == 127 {
                "the control character U+\(String(c.value, radix: 16, uppercase: true)) is not part of the language"
            } else {
                "'\(Character(c))' is not part of the language"
            }
        }
    }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
