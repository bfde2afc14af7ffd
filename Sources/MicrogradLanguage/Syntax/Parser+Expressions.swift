/// Expressions, one grammar level per precedence, lowest first:
///
/// ```
/// tests      := test (',' test)* [',']                 a tuple when there is a comma
/// test       := 'lambda' params ':' test | or ['if' or 'else' test]
/// or         := and ('or' and)*           and := not ('and' not)*
/// not        := 'not' not | comparison    comparison := sum (compare sum)*
/// sum        := term (('+' | '-') term)*  term := unary (('*' | '/' | '//' | '%') unary)*
/// unary      := ('-' | '+') unary | power power := postfix ['**' unary]   (right to left)
/// postfix    := atom ('(' args ')' | '[' subscript ']' | '.' NAME)*
/// atom       := NUMBER | STRING+ | NAME | True | False | None | '(' … ')' | '[' … ']' | '{' … '}'
/// ```
extension Parser {
    /// `e`, unless its tree is too deep to evaluate and free safely.
    func checked(_ e: Expr) throws(LanguageError) -> Expr {
        guard e.depth <= Self.maxTreeDepth else {
            throw LanguageError(
                "this expression is more than \(Self.maxTreeDepth) operations deep; split it into several statements, or add a list with sum(...)",
                at: e.location)
        }
        return e
    }

    /// Whether the next token can start an expression (so a ',' before it is not trailing).
    mutating func startsExpression() -> Bool {
        switch peek {
        case .number, .integer, .string, .formatted: return true
        case .name: return true
        case .keyword(let k):
            switch k {
            case "True", "False", "None", "not", "lambda": return true
            default: return false
            }
        case .symbol(let s):
            switch s {
            case "(", "[", "{", "-", "+": return true
            default: return false
            }
        default: return false
        }
    }

    /// `a`, or `a, b, …` as a tuple.
    mutating func tests() throws(LanguageError) -> Expr {
        let start = location
        let first = try test()
        guard isSymbol(",") else { return first }
        var items = [first]
        while accept(",") {
            guard startsExpression() else { break }
            items.append(try test())
        }
        return Expr(kind: .tuple(items), location: start)
    }

    mutating func test() throws(LanguageError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw LanguageError(
                "the expression nests more than \(Self.maxDepth) levels deep; split it into several statements", at: location)
        }
        if isKeyword("lambda") { return try lambda() }
        let value = try or()
        guard isKeyword("if") else { return value }
        let at = location
        advance()
        let condition = try or()
        guard acceptKeyword("else") else { throw unexpected("'else' (a conditional is written x if test else y)") }
        let otherwise = try test()
        return try checked(Expr(kind: .conditional(test: condition, then: value, otherwise: otherwise), location: at))
    }

    mutating func lambda() throws(LanguageError) -> Expr {
        let start = location
        advance()
        let parameters = try self.parameters(closing: ":")
        let body = try test()
        let definition = FunctionDefinition(
            name: "<lambda>", parameters: parameters, body: .expression(body),
            location: start, source: source)
        return Expr(kind: .lambda(definition), location: start)
    }

    mutating func or() throws(LanguageError) -> Expr {
        var lhs = try and()
        while isKeyword("or") {
            let at = location
            advance()
            lhs = try checked(Expr(kind: .or(lhs, try and()), location: at))
        }
        return lhs
    }

    mutating func and() throws(LanguageError) -> Expr {
        var lhs = try not()
        while isKeyword("and") {
            let at = location
            advance()
            lhs = try checked(Expr(kind: .and(lhs, try not()), location: at))
        }
        return lhs
    }

    mutating func not() throws(LanguageError) -> Expr {
        guard isKeyword("not") else { return try comparison() }
        let at = location
        advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw LanguageError("more than \(Self.maxDepth) nots in a row", at: at) }
        return try checked(Expr(kind: .not(try not()), location: at))
    }

    mutating func comparison() throws(LanguageError) -> Expr {
        let first = try sum()
        var rest: [(ComparisonOperator, Expr)] = []
        var at = first.location
        while let (op, width) = comparisonOperator() {
            if rest.isEmpty { at = location }
            for _ in 0..<width { advance() }
            rest.append((op, try sum()))
        }
        return rest.isEmpty ? first : try checked(Expr(kind: .compare(first, rest), location: at))
    }

    /// The comparison at the next token (`not in` and `is not` take two), if there is one.
    mutating func comparisonOperator() -> (ComparisonOperator, Int)? {
        switch peek {
        case .symbol(let s):
            switch s {
            case "==": (.equal, 1)
            case "!=": (.notEqual, 1)
            case "<": (.less, 1)
            case "<=": (.lessOrEqual, 1)
            case ">": (.greater, 1)
            case ">=": (.greaterOrEqual, 1)
            default: nil
            }
        case .keyword("in"): (.contains, 1)
        case .keyword("not"): stream.peek(1).kind.isKeyword("in") ? (.notContains, 2) : nil
        case .keyword("is"): stream.peek(1).kind.isKeyword("not") ? (.notIdentical, 2) : (.identical, 1)
        default: nil
        }
    }

    mutating func sum() throws(LanguageError) -> Expr {
        var lhs = try term()
        while case .symbol(let s) = peek, s == "+" || s == "-" {
            let at = location
            advance()
            lhs = try checked(Expr(kind: .binary(s == "+" ? .add : .subtract, lhs, try term()), location: at))
        }
        return lhs
    }

    mutating func term() throws(LanguageError) -> Expr {
        var lhs = try unary()
        while case .symbol(let s) = peek, let op = Self.multiplicative(s) {
            let at = location
            advance()
            lhs = try checked(Expr(kind: .binary(op, lhs, try unary()), location: at))
        }
        return lhs
    }

    /// The operator a `term` joins its factors with (a switch: a dictionary literal here was
    /// built anew for every term parsed).
    static func multiplicative(_ symbol: Symbol) -> BinaryOperator? {
        switch symbol {
        case "*": .multiply
        case "/": .divide
        case "//": .floorDivide
        case "%": .remainder
        default: nil
        }
    }

    mutating func unary() throws(LanguageError) -> Expr {
        guard case .symbol(let s) = peek, s == "-" || s == "+" else { return try power() }
        let at = location
        advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw LanguageError("more than \(Self.maxDepth) signs in a row", at: at) }
        return try checked(Expr(kind: .unary(s == "-" ? .negate : .plus, try unary()), location: at))
    }

    mutating func power() throws(LanguageError) -> Expr {
        let base = try postfix()
        guard isSymbol("**") else { return base }
        let at = location
        advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw LanguageError("too many '**' in a row", at: at) }
        return try checked(Expr(kind: .binary(.power, base, try unary()), location: at))
    }

    mutating func postfix() throws(LanguageError) -> Expr {
        var e = try atom()
        while true {
            let at = location
            if accept("(") {
                e = Expr(kind: .call(e, try arguments()), location: at)
            } else if accept(".") {
                e = Expr(kind: .attribute(e, try name("an attribute name after '.'")), location: at)
            } else if accept("[") {
                let i = try subscriptExpression()
                try expect("]", "']' to close the index")
                e = Expr(kind: .index(e, i), location: at)
            } else {
                return e
            }
            e = try checked(e)
        }
    }

    /// What goes between an index's brackets: an expression, or a slice `a:b:c`.
    mutating func subscriptExpression() throws(LanguageError) -> Expr {
        let start = location
        var lower: Expr?
        if !isSymbol(":") {
            lower = try test()
            guard isSymbol(":") else { return lower! }
        }
        advance()
        let upper = isSymbol(":") || isSymbol("]") ? nil : try test()
        var step: Expr?
        if accept(":"), !isSymbol("]") { step = try test() }
        return Expr(kind: .slice(lower, upper, step), location: start)
    }

    mutating func arguments() throws(LanguageError) -> [CallArgument] {
        var args: [CallArgument] = []
        if accept(")") { return args }
        repeat {
            if isSymbol(")") { break }  // a trailing comma
            if isSymbol("*") || isSymbol("**") {
                throw LanguageError("*args and **kwargs are not part of the notebook; pass the items one by one", at: location)
            }
            var label: String?
            if case .name(let n) = peek, stream.peek(1).kind.isSymbol("=") {
                label = n
                advance()
                advance()
            }
            let start = location
            var value = try test()
            if isKeyword("for") {
                guard args.isEmpty && label == nil else {
                    throw LanguageError("a 'for' inside a call must be its only argument, as in sum(x*x for x in xs)", at: location)
                }
                value = try comprehension(.generator, element: value, at: start)
            }
            args.append(CallArgument(label: label, value: value))
        } while accept(",")
        try expect(")", "')' to close the call")
        return args
    }

    /// The `for … in … if …` clauses after `element`.
    mutating func comprehension(_ kind: Comprehension.Kind, element: Expr, at start: SourceLocation) throws(LanguageError) -> Expr {
        // (Its clauses are read after its element's `test()` has returned: counted here, as
        // a level of their own, `[1 for a in [1 for a in …]]` sixty thousand deep ran the
        // parser off the end of the stack.)
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw LanguageError(
                "the expression nests more than \(Self.maxDepth) levels deep; split it into several statements", at: location)
        }
        var clauses: [Comprehension.Clause] = []
        while true {
            if acceptKeyword("for") {
                let target = try loopTarget()
                guard acceptKeyword("in") else { throw unexpected("'in' after the names") }
                clauses.append(.for(target, try or()))
            } else if acceptKeyword("if") {
                clauses.append(.if(try or()))
            } else {
                break
            }
        }
        return Expr(kind: .comprehension(Comprehension(kind: kind, element: element, clauses: clauses)), location: start)
    }
}

extension Token.Kind {
    var symbolText: String? {
        if case .symbol(let s) = self { return s.description }
        return nil
    }
}
