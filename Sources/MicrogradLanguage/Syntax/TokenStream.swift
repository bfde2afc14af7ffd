/// The tokens of some scanned lines, with the ends of logical lines and the starts and ends
/// of indented blocks made into tokens as Python's tokenizer makes them: a line inside
/// brackets, after a backslash or inside a triple-quoted string continues the one before,
/// and blank lines are skipped.
///
/// Tokens are handed out as the parser asks for them, so a parser that gives up early
/// (garbage) costs only what it read.
struct TokenStream {
    private let lines: [ScannedLine]
    private var line: Int
    private let end: Int
    private var index = 0
    private var depth = 0
    private var indents: [Int]
    /// The same blocks' `narrowIndentation`s.
    private var narrowIndents: [Int]
    /// Whether the next token begins a logical line (and so may change the indentation).
    private var atLineStart = true
    private var pending: [Token] = []
    private var finished = false
    private var lastLocation = SourceLocation(line: 1, column: 1)

    /// A stream over `lines[range]`, whose first logical line sets the base indentation.
    init(_ lines: [ScannedLine], _ range: Range<Int>) {
        self.lines = lines
        line = range.lowerBound
        end = range.upperBound
        let first = lines[range].first { !$0.isBlank }
        indents = [first?.indentation ?? 0]
        narrowIndents = [first?.narrowIndentation ?? 0]
    }

    /// The next token, taking it.
    mutating func next() -> Token {
        if pending.isEmpty { produce() }
        return pending.removeFirst()
    }

    /// The token `ahead` places on, without taking it.
    mutating func peek(_ ahead: Int = 0) -> Token {
        while pending.count <= ahead { produce() }
        return pending[ahead]
    }

    /// Where the stream is: the line it will read next.
    var currentLine: Int { line }

    private mutating func produce() {
        if finished {
            pending.append(Token(kind: .eof, location: lastLocation))
            return
        }
        while line < end {
            let scanned = lines[line]
            if index == 0, atLineStart {
                if scanned.isBlank {
                    line += 1
                    continue
                }
                atLineStart = false
                if let indentation = indent(to: scanned) {
                    pending += indentation
                    return
                }
            }
            if index < scanned.tokens.count {
                let token = scanned.tokens[index]
                index += 1
                track(token)
                pending.append(token)
                return
            }
            // The end of a physical line: the end of a logical line too, unless it continues.
            line += 1
            index = 0
            if depth == 0 && !scanned.continues && !scanned.isBlank {
                atLineStart = true
                pending.append(Token(kind: .newline, location: endLocation(of: scanned)))
                return
            }
        }
        // The end: close the last line and every block still open.
        finished = true
        if !atLineStart {
            atLineStart = true
            pending.append(Token(kind: .newline, location: lastLocation))
        }
        while indents.count > 1 {
            indents.removeLast()
            narrowIndents.removeLast()
            pending.append(Token(kind: .dedent, location: lastLocation))
        }
        pending.append(Token(kind: .eof, location: lastLocation))
    }

    /// The INDENT or DEDENT tokens that `scanned`'s indentation calls for, if any.
    private mutating func indent(to scanned: ScannedLine) -> [Token]? {
        let here = scanned.tokens.first?.location ?? lastLocation
        let width = scanned.indentation, narrow = scanned.narrowIndentation
        // (Made only when needed: this runs at the start of every line.)
        func tabError() -> Token {
            let error = LanguageError(
                "this line's indentation mixes tabs and spaces, so whether it lines up with the lines above depends on how wide a tab is; indent with spaces only (here a tab is 8 columns)",
                at: SourceLocation(line: here.line, column: 1))
            return Token(kind: .error(error), location: here)
        }
        if width > indents.last! {
            guard narrow > narrowIndents.last! else { return [tabError()] }
            indents.append(width)
            narrowIndents.append(narrow)
            return [Token(kind: .indent, location: SourceLocation(line: here.line, column: 1))]
        }
        var dedents: [Token] = []
        while width < indents.last! {
            indents.removeLast()
            narrowIndents.removeLast()
            dedents.append(Token(kind: .dedent, location: here))
        }
        if width != indents.last! {
            let error = LanguageError(
                "this line's indentation matches no block above it; line it up with the lines it belongs with",
                at: SourceLocation(line: here.line, column: 1))
            dedents.append(Token(kind: .error(error), location: here))
        } else if narrow != narrowIndents.last! {
            dedents.append(tabError())
        }
        return dedents.isEmpty ? nil : dedents
    }

    private mutating func track(_ token: Token) {
        if index == lines[line].tokens.count, let end = lines[line].end {
            lastLocation = end
        } else {
            lastLocation = SourceLocation(line: token.location.line, column: token.location.column + 1)
        }
        if case .symbol(let s) = token.kind {
            switch s {
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
    }

    /// Just past the last token of `scanned`.
    private func endLocation(of scanned: ScannedLine) -> SourceLocation {
        scanned.end ?? lastLocation
    }
}
