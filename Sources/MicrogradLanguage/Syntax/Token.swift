import Micrograd

/// One word of the notebook language.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case number(Double)
        /// A number written without '.' or an exponent, which stays whole, as in Python.
        case integer(Int)
        /// A name.
        case name(String)
        /// A keyword (`for`, `def`, `True`…; see `keywords`), told apart from names once,
        /// by the scanner, so the parser, which asks of most tokens whether they are this
        /// keyword or that one, compares strings only for keywords.
        case keyword(String)
        case string(String)
        /// An f-string: its text between the quotes, unprocessed, and where that text starts.
        case formatted(String, SourceLocation)
        /// An operator or punctuation: `+ - * / // % ** = += == < <= ( ) [ ] { } , . : ; ->`.
        case symbol(Symbol)
        /// The end of a logical line (outside brackets).
        case newline
        /// The start and end of an indented block.
        case indent, dedent
        /// A mistake the scanner found here; the parser reports it when it reaches it.
        case error(LanguageError)
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
        case .name(let n), .keyword(let n): "'\(n)'"
        case .string, .formatted: "a string"
        case .symbol(let s): "'\(s)'"
        case .newline: "the end of the line"
        case .indent: "an indented block"
        case .dedent: "the end of the block"
        case .error(let e): e.message
        case .eof: "the end of the input"
        }
    }

    /// Whether this is the keyword `keyword`.
    func isKeyword(_ keyword: String) -> Bool {
        if case .keyword(let k) = self { return k == keyword }
        return false
    }

    func isSymbol(_ symbol: Symbol) -> Bool {
        if case .symbol(let s) = self { return s == symbol }
        return false
    }
}

/// An operator or punctuation mark: `+`, `**=`, `(`, `->`. Its ASCII bytes (three at
/// most) are kept in one integer, so the parser, which asks of nearly every token whether
/// it is this symbol or that one, compares integers rather than strings.
public struct Symbol: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The bytes, the first in the lowest eight bits.
    let code: UInt32

    /// The symbol of `bytes[start..<end]` (at most four bytes).
    @inline(__always)
    init(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int) {
        precondition(end - start <= 4, "a symbol is at most four bytes")
        var code: UInt32 = 0
        for k in start..<end { code |= UInt32(bytes[k]) << (8 * (k - start)) }
        self.code = code
    }

    // (Inlined, so that a symbol written in the parser is a constant.)
    @inline(__always)
    public init(stringLiteral text: StaticString) {
        self.init(text.utf8Start, 0, text.utf8CodeUnitCount)
    }

    /// The symbol as written.
    public var description: String {
        var bytes: [UInt8] = []
        var rest = code
        while rest != 0 {
            bytes.append(UInt8(rest & 0xFF))
            rest >>= 8
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Python's keywords: never names.
let keywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
]
