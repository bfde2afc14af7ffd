extension Parser {
    mutating func atom() throws(LanguageError) -> Expr {
        let at = location
        switch peek {
        case .number(let x):
            advance()
            return Expr(kind: .number(x), location: at)
        case .integer(let i):
            advance()
            return Expr(kind: .integer(i), location: at)
        case .string, .formatted:
            return try strings()
        case .name(let n):
            advance()
            return Expr(kind: .name(n), location: at)
        case .keyword(let k):
            switch k {
            case "True", "False":
                advance()
                return Expr(kind: .bool(k == "True"), location: at)
            case "None":
                advance()
                return Expr(kind: .none, location: at)
            default:
                if let refusal = Self.refusals[k] { throw LanguageError(refusal, at: at) }
                throw LanguageError("'\(k)' cannot start an expression", at: at)
            }
        case .symbol("("):
            advance()
            if accept(")") { return Expr(kind: .tuple([]), location: at) }
            var e = try test()
            if isKeyword("for") {
                e = try comprehension(.generator, element: e, at: e.location)
            } else if isSymbol(",") {
                var items = [e]
                while accept(",") {
                    if isSymbol(")") { break }
                    items.append(try test())
                }
                e = Expr(kind: .tuple(items), location: at)
            }
            try expect(")", "')' to close the '(' at \(at)")
            return e
        case .symbol("["):
            advance()
            var items: [Expr] = []
            if accept("]") { return Expr(kind: .list(items), location: at) }
            let first = try test()
            if isKeyword("for") {
                let c = try comprehension(.list, element: first, at: at)
                try expect("]", "']' to close the '[' at \(at)")
                return c
            }
            items.append(first)
            while accept(",") {
                if isSymbol("]") { break }
                items.append(try test())
            }
            try expect("]", "']' to close the '[' at \(at)")
            return Expr(kind: .list(items), location: at)
        case .symbol("{"):
            return try braces()
        case .symbol("*"):
            // (`*ys` in a list or on the left of =, not a typo such as `1 +* 2`.)
            let (next, after) = (stream.peek(1).kind, stream.peek(2).kind)
            if case .name = next, ([",", "]", ")", "="] as [Symbol]).contains(where: { after == .symbol($0) }) {
                throw Self.starredUnpacking(at: at)
            }
            throw unexpected("a number, a name, '(' or '['")
        default:
            throw unexpected("a number, a name, '(' or '['")
        }
    }

    /// `{}` (an empty dict), `{a, b}` (a set), `{k: v}` (a dict), `{x for x in xs}`.
    mutating func braces() throws(LanguageError) -> Expr {
        let at = location
        advance()
        if accept("}") { return Expr(kind: .dict([]), location: at) }
        let first = try test()
        if accept(":") {
            var pairs = [(key: first, value: try test())]
            if isKeyword("for") {
                throw LanguageError("dict comprehensions are not part of the notebook; build the dict with a loop", at: location)
            }
            while accept(",") {
                if isSymbol("}") { break }
                let key = try test()
                try expect(":", "':' between a key and its value")
                pairs.append((key, try test()))
            }
            try expect("}", "'}' to close the '{' at \(at)")
            return Expr(kind: .dict(pairs), location: at)
        }
        if isKeyword("for") {
            let c = try comprehension(.set, element: first, at: at)
            try expect("}", "'}' to close the '{' at \(at)")
            return c
        }
        var items = [first]
        while accept(",") {
            if isSymbol("}") { break }
            items.append(try test())
        }
        try expect("}", "'}' to close the '{' at \(at)")
        return Expr(kind: .set(items), location: at)
    }

    /// One string, or several written side by side ('a' 'b' is 'ab'), some of them f-strings.
    mutating func strings() throws(LanguageError) -> Expr {
        let at = location
        var parts: [FormattedPart] = []
        var isFormatted = false
        while true {
            switch peek {
            case .string(let s):
                parts.append(.text(s))
            case .formatted(let raw, let bodyStart):
                isFormatted = true
                parts += try formattedParts(raw, at: bodyStart)
            default:
                if !isFormatted {
                    let text = parts.map { if case .text(let t) = $0 { t } else { "" } }.joined()
                    return Expr(kind: .string(text), location: at)
                }
                return Expr(kind: .formatted(parts), location: at)
            }
            advance()
        }
    }

    /// The parts of an f-string's text: literal text, and `{expression!conversion:spec}`.
    func formattedParts(_ raw: String, at start: SourceLocation) throws(LanguageError) -> [FormattedPart] {
        let chars = Array(raw)
        var parts: [FormattedPart] = []
        var text = ""
        var i = 0
        var line = start.line, column = start.column
        func advance(_ n: Int = 1) {
            for _ in 0..<n {
                if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
                i += 1
            }
        }
        while i < chars.count {
            let c = chars[i]
            if c == "{" && i + 1 < chars.count && chars[i + 1] == "{" || c == "}" && i + 1 < chars.count && chars[i + 1] == "}" {
                text.append(c)
                advance(2)
                continue
            }
            if c == "}" {
                throw LanguageError(
                    "a '}' in an f-string is written }} (a single one closes nothing)", at: SourceLocation(line: line, column: column))
            }
            guard c == "{" else {
                text.append(c)
                advance()
                continue
            }
            if !text.isEmpty { parts.append(.text(unescaped(text))); text = "" }
            let open = SourceLocation(line: line, column: column)
            advance()
            let exprStart = SourceLocation(line: line, column: column)
            // The expression runs to the '!' or ':' or '}' outside brackets and quotes.
            var depth = 0, quote: Character?
            var expression = "", conversion: Character?, spec = ""
            var inSpec = false
            while true {
                guard i < chars.count else {
                    throw LanguageError("this '{' in an f-string is never closed with '}'", at: open)
                }
                let d = chars[i]
                if inSpec {
                    if d == "}" { break }
                    if d == "{" {
                        throw LanguageError(
                            "a format with a {…} inside it (f'{x:>{w}}') is not part of the notebook; write the number into the format, as f'{x:>10}' or f'{x:.3f}'",
                            at: SourceLocation(line: line, column: column))
                    }
                    spec.append(d)
                } else if let q = quote {
                    expression.append(d)
                    if d == q { quote = nil }
                } else if d == "'" || d == "\"" {
                    quote = d
                    expression.append(d)
                } else if "([{".contains(d) {
                    depth += 1
                    expression.append(d)
                } else if ")]".contains(d) || (d == "}" && depth > 0) {
                    depth -= 1
                    expression.append(d)
                } else if depth == 0 && d == "}" {
                    break
                } else if depth == 0 && d == "!" && i + 1 < chars.count && chars[i + 1] != "=" {
                    conversion = chars[i + 1]
                    advance()
                    guard "rsa".contains(conversion!) else {
                        throw LanguageError("an f-string's conversion is !r or !s", at: SourceLocation(line: line, column: column))
                    }
                } else if depth == 0 && d == ":" {
                    inSpec = true
                } else {
                    expression.append(d)
                }
                advance()
            }
            advance()  // the '}'
            // f'{x=}' shows the expression as written and then its value (its repr,
            // unless a conversion or a format says otherwise), as Python 3.8 does.
            let written = expression.trimmingTrailingSpaces
            if written.hasSuffix("="), !["==", "!=", "<=", ">="].contains(where: { written.hasSuffix($0) }) {
                parts.append(.text(expression))
                expression = String(written.dropLast())
                if conversion == nil && spec.isEmpty { conversion = "r" }
            }
            guard !expression.allSatisfy(\.isWhitespace) else {
                throw LanguageError("this '{}' in an f-string is empty; put an expression in it", at: open)
            }
            parts.append(.expression(try Parser.expression(expression, at: exprStart), conversion: conversion, spec: spec))
        }
        if !text.isEmpty { parts.append(.text(unescaped(text))) }
        return parts
    }
}
