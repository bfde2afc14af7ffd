/// Turns tokens into statements: one grammar level per precedence, as in Python.
///
/// ```
/// line       := simple (';' simple)* | 'for' targets 'in' expr ':' simple (';' simple)*
/// simple     := NAME '(' params ')' '=' expr | target ('=' | '+=' | …) expr | expr
/// expr       := term (('+' | '-') term)*
/// term       := unary (('*' | '/') unary)*
/// unary      := ('-' | '+') unary | power
/// power      := postfix ('**' unary)?             right-associative, tighter than unary minus
/// postfix    := atom ('(' args ')' | '.' NAME | '[' expr ']')*
/// atom       := NUMBER | STRING | NAME | '(' expr ')' | '[' items ']' | '[' expr 'for' … ']'
/// ```
struct Parser {
    /// How deeply expressions may nest before the parser refuses (the stack is finite).
    static let maxDepth = 200
    /// How deep an expression's tree may be, counting `a + b + c + …` chains too: deeper
    /// trees would take the stack with them when they are freed.
    static let maxTreeDepth = 500

    private var tokens: [Token]
    private var position = 0
    private var depth = 0

    init(tokens: [Token]) { self.tokens = tokens }

    /// Every statement of `text`.
    static func parse(_ text: String, firstLine: Int = 1) throws(LanguageError) -> [Statement] {
        var parser = Parser(tokens: try Lexer.tokens(text, firstLine: firstLine))
        return try parser.program()
    }

    /// One expression and nothing else (command arguments).
    static func expression(_ text: String, firstLine: Int = 1) throws(LanguageError) -> Expr {
        var parser = Parser(tokens: try Lexer.tokens(text, firstLine: firstLine))
        let e = try parser.expression()
        guard parser.peek == .eof || parser.peek == .end else { throw parser.unexpected("after the expression") }
        return e
    }

    // MARK: Tokens

    private var peek: Token.Kind { tokens[position].kind }
    private var location: SourceLocation { tokens[position].location }

    private mutating func advance() -> Token {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    private func isSymbol(_ s: String) -> Bool { peek == .symbol(s) }

    private mutating func accept(_ s: String) -> Bool {
        guard isSymbol(s) else { return false }
        _ = advance()
        return true
    }

    private mutating func expect(_ s: String, _ purpose: String) throws(LanguageError) {
        guard accept(s) else { throw unexpected(purpose) }
    }

    private func unexpected(_ purpose: String) -> LanguageError {
        switch peek {
        case .eof, .end:
            LanguageError("the line ended early: expected \(purpose)", at: location)
        default:
            LanguageError("unexpected \(peek): expected \(purpose)", at: location)
        }
    }

    private mutating func name(_ purpose: String) throws(LanguageError) -> String {
        guard case .name(let n) = peek else { throw unexpected(purpose) }
        _ = advance()
        return n
    }

    // MARK: Statements

    mutating func program() throws(LanguageError) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while peek == .end || isSymbol(";") { _ = advance() }
            if peek == .eof { return statements }
            statements += try line()
            guard peek == .end || peek == .eof else { throw unexpected("the end of the statement") }
        }
    }

    /// The statements of one line: simple statements separated by `;`, or a `for`.
    private mutating func line() throws(LanguageError) -> [Statement] {
        if peek == .name("for") { return [try loop()] }
        var statements = [try simple()]
        while accept(";") {
            if peek == .end || peek == .eof { break }
            if peek == .name("for") { throw LanguageError("a 'for' must start its own line", at: location) }
            statements.append(try simple())
        }
        return statements
    }

    private mutating func loop() throws(LanguageError) -> Statement {
        let start = location
        _ = advance()
        let targets = try self.targets()
        guard peek == .name("in") else { throw unexpected("'in' after the loop's names") }
        _ = advance()
        let iterable = try expression()
        try expect(":", "':' before the loop's body")
        guard peek != .end && peek != .eof else {
            throw LanguageError("the loop's body goes on the same line, after ':' (statements separated by ';')", at: location)
        }
        // The body: simple statements separated by ';', of which the last may itself be a
        // loop that takes the rest of the line (`for k in …: …; for p in …: …`).
        var body: [Statement] = []
        repeat {
            if peek == .end || peek == .eof { break }
            if peek == .name("for") {
                body.append(try loop())
                break
            }
            body.append(try simple())
        } while accept(";")
        return Statement(kind: .loop(targets: targets, iterable: iterable, body: body), location: start)
    }

    private mutating func targets() throws(LanguageError) -> [String] {
        var names = [try name("a name for the loop variable")]
        while accept(",") { names.append(try name("a name after ','")) }
        return names
    }

    static let assignmentOperators = ["=": nil, "+=": "+", "-=": "-", "*=": "*", "/=": "/"]

    private mutating func simple() throws(LanguageError) -> Statement {
        let start = location
        var lhs = try expression()
        if isSymbol(",") {
            // `xs, ys = pair`: names to unpack a list into.
            var targets = [lhs]
            while accept(",") { targets.append(try expression()) }
            for t in targets {
                guard case .name = t.kind else {
                    throw LanguageError("only names can be unpacked into, as in xs, ys = pairs", at: t.location)
                }
            }
            guard isSymbol("=") else { throw unexpected("'=' after the names to unpack into") }
            lhs = Expr(kind: .list(targets), location: start)
        }
        guard case .symbol(let s) = peek, let op = Self.assignmentOperators[s] else {
            return Statement(kind: .expression(lhs), location: start)
        }
        let opLocation = location
        _ = advance()
        let rhs = try expression()
        switch lhs.kind {
        case .call(let callee, let args) where op == nil:
            guard case .name(let fname) = callee.kind else {
                throw LanguageError("only a name can be defined as a function, as in f(x) = x**2", at: start)
            }
            var parameters: [String] = []
            for arg in args {
                guard arg.label == nil, case .name(let p) = arg.value.kind else {
                    throw LanguageError("a function's parameters must be plain names, as in g(a, b) = a*b + 1", at: arg.value.location)
                }
                guard !parameters.contains(p) else {
                    throw LanguageError("the parameter '\(p)' appears twice", at: arg.value.location)
                }
                parameters.append(p)
            }
            return Statement(kind: .function(name: fname, parameters: parameters, body: rhs), location: start)
        case .list(let items) where op != nil || items.contains(where: { if case .name = $0.kind { false } else { true } }):
            // [a, b] = pair unpacks into names; [a, 1] = pair or [a, b] += pair cannot.
            throw LanguageError("cannot assign to \(lhs); only names can be unpacked into, with '=', as in [xs, ys] = pairs", at: opLocation)
        case .name, .attribute, .index, .list:
            return Statement(kind: .assignment(target: lhs, op: op, value: rhs), location: start)
        default:
            throw LanguageError("cannot assign to \(lhs); the left of '\(s)' must be a name, an attribute such as a.data, or an item such as xs[0]", at: opLocation)
        }
    }

    // MARK: Expressions

    /// `e`, unless its tree is too deep to evaluate and free safely.
    private func checked(_ e: Expr) throws(LanguageError) -> Expr {
        guard e.depth <= Self.maxTreeDepth else {
            throw LanguageError("this expression is more than \(Self.maxTreeDepth) operations deep; split it into several statements, or add a list with sum(...)", at: e.location)
        }
        return e
    }

    mutating func expression() throws(LanguageError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw LanguageError("the expression nests more than \(Self.maxDepth) levels deep; split it into several statements", at: location)
        }
        var lhs = try term()
        while case .symbol(let op) = peek, op == "+" || op == "-" {
            let at = location
            _ = advance()
            lhs = try checked(Expr(kind: .binary(op, lhs, try term()), location: at))
        }
        return lhs
    }

    private mutating func term() throws(LanguageError) -> Expr {
        var lhs = try unary()
        while case .symbol(let op) = peek, op == "*" || op == "/" {
            let at = location
            _ = advance()
            lhs = try checked(Expr(kind: .binary(op, lhs, try unary()), location: at))
        }
        return lhs
    }

    private mutating func unary() throws(LanguageError) -> Expr {
        if case .symbol(let op) = peek, op == "-" || op == "+" {
            let at = location
            _ = advance()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else {
                throw LanguageError("more than \(Self.maxDepth) signs in a row", at: at)
            }
            return try checked(Expr(kind: .unary(op, try unary()), location: at))
        }
        return try power()
    }

    private mutating func power() throws(LanguageError) -> Expr {
        let base = try postfix()
        guard isSymbol("**") else { return base }
        let at = location
        _ = advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw LanguageError("too many '**' in a row", at: at) }
        return try checked(Expr(kind: .binary("**", base, try unary()), location: at))
    }

    private mutating func postfix() throws(LanguageError) -> Expr {
        var e = try atom()
        while true {
            let at = location
            if accept("(") {
                e = Expr(kind: .call(e, try arguments()), location: at)
            } else if accept(".") {
                e = Expr(kind: .attribute(e, try name("an attribute name after '.'")), location: at)
            } else if accept("[") {
                let i = try expression()
                try expect("]", "']' to close the index")
                e = Expr(kind: .index(e, i), location: at)
            } else {
                return e
            }
            e = try checked(e)
        }
    }

    private mutating func arguments() throws(LanguageError) -> [CallArgument] {
        var args: [CallArgument] = []
        if accept(")") { return args }
        repeat {
            if isSymbol(")") { break }   // a trailing comma
            var label: String?
            if case .name(let n) = peek, tokens[position + 1].kind == .symbol("=") {
                label = n
                _ = advance(); _ = advance()
            }
            let start = location
            var value = try expression()
            if peek == .name("for") {
                guard args.isEmpty && label == nil else {
                    throw LanguageError("a 'for' inside a call must be its only argument, as in sum(x*x for x in xs)", at: location)
                }
                value = try comprehension(element: value, at: start)
            }
            args.append(CallArgument(label: label, value: value))
        } while accept(",")
        try expect(")", "')' to close the call")
        return args
    }

    private mutating func comprehension(element: Expr, at start: SourceLocation) throws(LanguageError) -> Expr {
        _ = advance()   // for
        let targets = try self.targets()
        guard peek == .name("in") else { throw unexpected("'in' after the names") }
        _ = advance()
        let iterable = try expression()
        return Expr(kind: .comprehension(element: element, targets: targets, iterable: iterable), location: start)
    }

    private mutating func atom() throws(LanguageError) -> Expr {
        let at = location
        switch peek {
        case .number(let x):
            _ = advance()
            return Expr(kind: .number(x), location: at)
        case .integer(let i):
            _ = advance()
            return Expr(kind: .integer(i), location: at)
        case .string(let s):
            _ = advance()
            return Expr(kind: .string(s), location: at)
        case .name(let n):
            if ["for", "in"].contains(n) { throw LanguageError("'\(n)' cannot start an expression", at: at) }
            _ = advance()
            return Expr(kind: .name(n), location: at)
        case .symbol("("):
            _ = advance()
            var e = try expression()
            if peek == .name("for") { e = try comprehension(element: e, at: e.location) }
            try expect(")", "')' to close the '(' at \(at)")
            return e
        case .symbol("["):
            _ = advance()
            var items: [Expr] = []
            if accept("]") { return Expr(kind: .list(items), location: at) }
            let first = try expression()
            if peek == .name("for") {
                let c = try comprehension(element: first, at: at)
                try expect("]", "']' to close the '[' at \(at)")
                return c
            }
            items.append(first)
            while accept(",") {
                if isSymbol("]") { break }
                items.append(try expression())
            }
            try expect("]", "']' to close the '[' at \(at)")
            return Expr(kind: .list(items), location: at)
        default:
            throw unexpected("a number, a name, '(' or '['")
        }
    }
}
