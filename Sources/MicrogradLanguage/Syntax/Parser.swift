/// Turns tokens into statements, with Python's grammar: one function per level of
/// precedence (Parser+Expressions.swift) and indented blocks for compound statements.
///
/// ```
/// statement  := compound | simple (';' simple)* NEWLINE
/// compound   := 'def' NAME '(' params ')' ':' suite | 'if' test ':' suite ('elif' …)* ['else' ':' suite]
///             | 'for' targets 'in' tests ':' suite ['else' …] | 'while' test ':' suite ['else' …]
/// suite      := simple (';' simple)* NEWLINE | NEWLINE INDENT statement+ DEDENT
/// simple     := tests ('=' tests)* | target AUGOP tests | NAME '(' params ')' '=' test
///             | 'return' [tests] | 'pass' | 'break' | 'continue' | 'import' … | 'global' … | 'del' … | 'assert' …
/// ```
struct Parser {
    /// How deeply expressions may nest before the parser refuses (the stack is finite).
    static let maxDepth = 200
    /// How deep an expression's tree may be, counting `a + b + c + …` chains too: deeper
    /// trees would take the stack with them when they are freed.
    static let maxTreeDepth = 500
    /// How deeply blocks may nest.
    static let maxBlockDepth = 100

    var stream: TokenStream
    /// The text being parsed, kept by the functions defined in it.
    let source: Source?
    var depth = 0
    var blockDepth = 0

    init(_ stream: TokenStream, source: Source?) {
        self.stream = stream
        self.source = source
    }

    /// Every statement of `text`, whose first line is line `firstLine`.
    static func parse(_ text: String, firstLine: Int = 1, source: Source? = nil) throws(LanguageError) -> [Statement] {
        let (lines, open) = Lexer.scan(text, firstLine: firstLine)
        if let open { throw unclosed(open) }
        var parser = Parser(TokenStream(lines, 0..<lines.count), source: source)
        var statements: [Statement] = []
        while parser.peek != .eof { statements += try parser.statement() }
        return statements
    }

    /// One expression and nothing else, written at `location` (a command's argument, a
    /// part of an f-string).
    static func expression(_ text: String, at location: SourceLocation) throws(LanguageError) -> Expr {
        let (lines, open) = Lexer.scan(text, firstLine: location.line, firstColumn: location.column)
        if let open { throw unclosed(open) }
        var parser = Parser(TokenStream(lines, 0..<lines.count), source: nil)
        let e = try parser.tests()
        while parser.peek == .newline { parser.advance() }
        guard parser.peek == .eof else { throw parser.unexpected("after the expression") }
        return e
    }

    static func unclosed(_ open: OpenString) -> LanguageError {
        let q = String(repeating: String(Character(Unicode.Scalar(open.quote))), count: 3)
        return LanguageError("this string has no closing \(q)", at: open.start)
    }

    // MARK: Tokens

    var peek: Token.Kind { mutating get { stream.peek().kind } }
    var location: SourceLocation { mutating get { stream.peek().location } }

    @discardableResult
    mutating func advance() -> Token {
        let token = stream.next()
        if case .error(let e) = token.kind { pendingError = e }
        return token
    }

    /// A scanner error the parser stepped over (it is thrown before anything else).
    var pendingError: LanguageError?

    mutating func isSymbol(_ s: Symbol) -> Bool { peek.isSymbol(s) }
    mutating func isKeyword(_ k: String) -> Bool { peek.isKeyword(k) }

    mutating func accept(_ s: Symbol) -> Bool {
        guard isSymbol(s) else { return false }
        advance()
        return true
    }

    mutating func acceptKeyword(_ n: String) -> Bool {
        guard isKeyword(n) else { return false }
        advance()
        return true
    }

    mutating func expect(_ s: Symbol, _ purpose: String) throws(LanguageError) {
        guard accept(s) else { throw unexpected(purpose) }
    }

    /// The error for a token that does not fit: "unexpected X: expected `purpose`".
    mutating func unexpected(_ purpose: String) -> LanguageError {
        switch peek {
        case .error(let e): e
        case .eof, .newline: LanguageError("the line ended early: expected \(purpose)", at: location)
        case .indent:
            LanguageError(
                "this line is indented more than the line above it, which opens no block (it does not end in ':'); line it up with that line (Python's 'unexpected indent')",
                at: location)
        case .symbol(":="):
            LanguageError("the notebook has no := (the walrus operator); give the name its value on a line of its own first", at: location)
        default: LanguageError("unexpected \(peek): expected \(purpose)", at: location)
        }
    }

    /// A name that is not a keyword.
    mutating func name(_ purpose: String) throws(LanguageError) -> String {
        guard case .name(let n) = peek else { throw unexpected(purpose) }
        advance()
        return n
    }

    var atEndOfLine: Bool { mutating get { peek == .newline || peek == .eof } }

    // MARK: Statements

    /// The next statement: a compound statement, or a line of simple ones.
    mutating func statement() throws(LanguageError) -> [Statement] {
        if case .error(let e) = peek { throw e }
        if case .keyword(let keyword) = peek {
            switch keyword {
            case "def": return [try functionDefinition()]
            case "if": return [try ifStatement()]
            case "for": return [try forStatement()]
            case "while": return [try whileStatement()]
            default:
                if let refusal = Self.refusals[keyword] { throw LanguageError(refusal, at: location) }
            }
        }
        if peek == .indent { throw unexpected("a statement") }
        if isSymbol(":") {
            throw LanguageError("a command such as :grad goes on a line of its own, outside any block", at: location)
        }
        return try simpleLine()
    }

    /// Python statements the notebook leaves out, and what to do instead.
    static let refusals: [String: String] = [
        "class":
            "classes are not part of the notebook: write each method as a function of its own, as in def add(a, b): out = Value(a.data + b.data, (a, b), '+'), then out._backward = … and return out (:lesson 4 shows it whole); Value, Neuron, Layer and MLP are built in, and :lesson 7 builds a network from functions",
        "try":
            "try/except is not part of the notebook: an error stops the statement where it happens (what ran before it stays done) and the session goes on; test first with if, as in if x > 0: …",
        "except": "except belongs to try, which is not part of the notebook",
        "finally": "finally belongs to try, which is not part of the notebook",
        "with": "with blocks are not part of the notebook; :load runs a file, :dot and :svg write one",
        "raise": "raise is not part of the notebook; print a message, or use assert test, 'message'",
        "yield": "generators (yield) are not part of the notebook; build a list and return it",
        "async": "async code is not part of the notebook",
        "await": "async code is not part of the notebook",
        "elif":
            "elif must follow an if block, at the same indentation as its if (at the prompt, an if on one line runs at once: give it an elif by putting its body on a line of its own)",
        "else":
            "else must follow an if, for or while block, at the same indentation (at the prompt, an if on one line runs at once: give it an else by putting its body on a line of its own)",
    ]

    /// Simple statements separated by ';', to the end of the line.
    mutating func simpleLine() throws(LanguageError) -> [Statement] {
        var statements = [try simple()]
        while accept(";") {
            if atEndOfLine {
                statements[statements.count - 1].isSilenced = true
                break
            }
            if case .keyword(let n) = peek, ["for", "while", "if", "def"].contains(n) {
                throw LanguageError("a '\(n)' must start its own line", at: location)
            }
            statements.append(try simple())
        }
        try endOfLine()
        return statements
    }

    /// Python's `*` unpacking (`a, *rest = xs`, `[1, *ys]`), which the notebook does not have.
    static func starredUnpacking(at location: SourceLocation) -> LanguageError {
        LanguageError(
            "unpacking with * (as in a, *rest = xs, or [1, *ys]) is not part of the notebook; take the parts by index and slice, a, rest = xs[0], xs[1:], and join lists with +, [1] + ys",
            at: location)
    }

    mutating func endOfLine() throws(LanguageError) {
        if let pendingError { throw pendingError }
        if isSymbol("*") { throw Self.starredUnpacking(at: location) }  // (a, *rest = xs)
        guard atEndOfLine else { throw unexpected("the end of the statement") }
        if peek == .newline { advance() }
    }

    /// A block: statements on the same line after ':', or an indented block below it.
    mutating func suite() throws(LanguageError) -> [Statement] {
        if isSymbol("=") {  // if x = 3:
            throw LanguageError("'=' gives a name a value; to compare, write ==, as in x == 3", at: location)
        }
        try expect(":", "':' at the end of the line")
        guard peek == .newline else { return try simpleLine() }
        advance()
        guard peek == .indent else {
            if case .error(let e) = peek { throw e }  // (tabs and spaces that do not line up)
            throw LanguageError(
                "expected an indented block after ':'; indent the lines that belong to it (pass for an empty one)", at: location)
        }
        advance()
        blockDepth += 1
        defer { blockDepth -= 1 }
        guard blockDepth <= Self.maxBlockDepth else {
            throw LanguageError("blocks nest more than \(Self.maxBlockDepth) deep; move some into functions", at: location)
        }
        var body: [Statement] = []
        while peek != .dedent && peek != .eof { body += try statement() }
        if peek == .dedent { advance() }
        return body
    }

    mutating func functionDefinition() throws(LanguageError) -> Statement {
        let start = location
        advance()
        let name = try self.name("the function's name after def")
        try expect("(", "'(' after the function's name")
        let parameters = try self.parameters(closing: ")")
        if accept("->") { _ = try test() }  // a return annotation: read and ignored
        let body = try suite()
        let definition = FunctionDefinition(name: name, parameters: parameters, body: .block(body), location: start, source: source)
        return Statement(kind: .function(definition), location: start)
    }

    /// `a, b=1, c=2` up to `closing` (which is taken).
    mutating func parameters(closing: Symbol) throws(LanguageError) -> [Parameter] {
        var parameters: [Parameter] = []
        while !accept(closing) {
            let at = location
            if isSymbol("*") || isSymbol("**") {
                throw LanguageError("*args and **kwargs are not part of the notebook; pass a list instead", at: at)
            }
            let name = try self.name("a parameter's name")
            if parameters.contains(where: { $0.name == name }) {
                throw LanguageError("the parameter '\(name)' appears twice", at: at)
            }
            if closing != ":", accept(":") { _ = try test() }  // an annotation: read and ignored
            var value: Expr?
            if accept("=") {
                value = try test()
            } else if parameters.last?.defaultValue != nil {
                throw LanguageError("a parameter without a default cannot follow one with a default", at: at)
            }
            parameters.append(Parameter(name: name, defaultValue: value, location: at))
            if !accept(",") {
                try expect(closing, "',' or '\(closing)' after the parameter")
                break
            }
        }
        return parameters
    }

    mutating func ifStatement() throws(LanguageError) -> Statement {
        let start = location
        advance()
        var branches = [(test: try test(), body: try suite())]
        var otherwise: [Statement] = []
        while true {
            if acceptKeyword("elif") {
                branches.append((try test(), try suite()))
            } else if acceptKeyword("else") {
                otherwise = try suite()
                break
            } else {
                break
            }
        }
        return Statement(kind: .if(branches, else: otherwise), location: start)
    }

    mutating func whileStatement() throws(LanguageError) -> Statement {
        let start = location
        advance()
        let test = try self.test()
        let body = try suite()
        let otherwise = acceptKeyword("else") ? try suite() : []
        return Statement(kind: .while(test, body: body, else: otherwise), location: start)
    }

    mutating func forStatement() throws(LanguageError) -> Statement {
        let start = location
        advance()
        let target = try loopTarget()
        guard acceptKeyword("in") else { throw unexpected("'in' after the loop's names") }
        let iterable = try tests()
        let body = try suite()
        let otherwise = acceptKeyword("else") ? try suite() : []
        return Statement(kind: .for(target, iterable, body: body, else: otherwise), location: start)
    }

    /// `x`, `a, b` or `(a, b), c` before `in`.
    mutating func loopTarget() throws(LanguageError) -> Target {
        let start = location
        var parts: [Target] = []
        repeat {
            if isKeyword("in") { break }
            let at = location
            if isSymbol("*") { throw Self.starredUnpacking(at: at) }  // (for a, *rest in …)
            if accept("(") || accept("[") {
                let inner = try loopTarget()
                guard accept(")") || accept("]") else { throw unexpected("')' after the names") }
                parts.append(inner)
            } else {
                parts.append(.name(try name(parts.isEmpty ? "a name for the loop variable" : "a name after ','"), at))
            }
        } while accept(",")
        return parts.count == 1 ? parts[0] : .unpack(parts, start)
    }
}
