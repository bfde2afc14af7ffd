extension Parser {
    static let augmentedOperators: [Symbol: BinaryOperator] = [
        "+=": .add, "-=": .subtract, "*=": .multiply, "/=": .divide, "//=": .floorDivide, "%=": .remainder, "**=": .power,
    ]

    /// One simple statement.
    mutating func simple() throws(LanguageError) -> Statement {
        let start = location
        if case .keyword(let keyword) = peek {
            switch keyword {
            case "pass":
                advance()
                return Statement(kind: .pass, location: start)
            case "break":
                advance()
                return Statement(kind: .break, location: start)
            case "continue":
                advance()
                return Statement(kind: .continue, location: start)
            case "return":
                advance()
                return Statement(kind: .return(atEndOfLine || isSymbol(";") ? nil : try tests()), location: start)
            case "import", "from":
                return try importStatement()
            case "global", "nonlocal":
                advance()
                var names = [try name("a name after \(keyword)")]
                while accept(",") { names.append(try name("a name after ','")) }
                return Statement(kind: keyword == "global" ? .global(names) : .nonlocal(names), location: start)
            case "del":
                advance()
                var targets = [try target(from: try test(), operatorAt: start, op: "del")]
                while accept(",") { targets.append(try target(from: try test(), operatorAt: start, op: "del")) }
                return Statement(kind: .delete(targets), location: start)
            case "assert":
                advance()
                let test = try self.test()
                return Statement(kind: .assert(test, accept(",") ? try self.test() : nil), location: start)
            default:
                if let refusal = Self.refusals[keyword] { throw LanguageError(refusal, at: start) }
            }
        }
        return try expressionStatement()
    }

    /// An expression, an assignment, an augmented assignment, or `f(x) = …`.
    mutating func expressionStatement() throws(LanguageError) -> Statement {
        let start = location
        if isSymbol("%") {
            throw LanguageError(
                "a line starting with % is a Jupyter magic, which the notebook does not have; its own commands start with ':' (:help lists them; pictures are :graph, :dot and :plot)",
                at: start)
        }
        let first = try tests()
        if case .symbol(let s) = peek, let op = Self.augmentedOperators[s] {
            let at = location
            advance()
            let value = try tests()
            if case .list = first.kind {
                throw LanguageError("cannot assign to \(first); only names can be unpacked into, with '=', as in [xs, ys] = pairs", at: at)
            }
            if case .tuple = first.kind {
                throw LanguageError("cannot assign to \(first) with '\(s)'; give each name its own line", at: at)
            }
            return Statement(kind: .augmented(try target(from: first, operatorAt: at, op: s), op, value), location: start)
        }
        guard isSymbol("=") else {
            // Python 2's `print x`: a name, then more on the line where the statement ends.
            if case .name("print") = first.kind, !atEndOfLine, !isSymbol(";") {
                throw LanguageError("print is a function, as in Python 3: print(…) with the parentheses", at: location)
            }
            return Statement(kind: .expression(first), location: start)
        }
        let at = location
        advance()
        var sides = [first, try tests()]
        var operators = [at]
        while isSymbol("=") {
            operators.append(location)
            advance()
            sides.append(try tests())
        }
        let value = sides.removeLast()
        // f(x, y) = body: the notebook's one-line function.
        if sides.count == 1, case .call(let callee, let arguments) = first.kind {
            return try oneLineFunction(callee, arguments, body: value, at: start)
        }
        var targets: [Target] = []
        for (side, op) in zip(sides, operators) { targets.append(try target(from: side, operatorAt: op, op: "=")) }
        return Statement(kind: .assignment(targets, value), location: start)
    }

    /// `name(a, b) = body`.
    mutating func oneLineFunction(
        _ callee: Expr, _ arguments: [CallArgument], body: Expr,
        at start: SourceLocation
    ) throws(LanguageError) -> Statement {
        guard case .name(let name) = callee.kind else {
            throw LanguageError("only a name can be defined as a function, as in f(x) = x**2", at: start)
        }
        var parameters: [Parameter] = []
        for argument in arguments {
            guard argument.label == nil, case .name(let p) = argument.value.kind else {
                throw LanguageError("a function's parameters must be plain names, as in g(a, b) = a*b + 1", at: argument.value.location)
            }
            guard !parameters.contains(where: { $0.name == p }) else {
                throw LanguageError("the parameter '\(p)' appears twice", at: argument.value.location)
            }
            parameters.append(Parameter(name: p, defaultValue: nil, location: argument.value.location))
        }
        let definition = FunctionDefinition(
            name: name, parameters: parameters, body: .expression(body),
            location: start, source: source)
        return Statement(kind: .function(definition), location: start)
    }

    /// What `e`, on the left of `op` at `at`, assigns to.
    mutating func target(from e: Expr, operatorAt at: SourceLocation, op: Symbol) throws(LanguageError) -> Target {
        switch e.kind {
        case .name(let n):  // (never a keyword: those are tokens of their own)
            return .name(n, e.location)
        case .attribute(let base, let name):
            return .attribute(base, name, e.location)
        case .index(let base, let index):
            return .index(base, index, e.location)
        case .list(let items):
            var parts: [Target] = []
            for item in items {
                guard case .name(let n) = item.kind else {
                    throw LanguageError("cannot assign to \(e); only names can be unpacked into, with '=', as in [xs, ys] = pairs", at: at)
                }
                parts.append(.name(n, item.location))
            }
            return .unpack(parts, e.location)
        case .tuple(let items):
            var parts: [Target] = []
            for item in items {
                switch item.kind {
                case .name(let n): parts.append(.name(n, item.location))
                case .tuple, .list: parts.append(try target(from: item, operatorAt: at, op: op))
                default:
                    throw LanguageError("only names can be unpacked into, as in xs, ys = pairs", at: item.location)
                }
            }
            return .unpack(parts, e.location)
        default:
            throw LanguageError(
                "cannot assign to \(e); the left of '\(op)' must be a name, an attribute such as a.data, or an item such as xs[0]", at: at)
        }
    }

    /// What to use instead of a module a Python notebook imports that is not here (by its
    /// first name: `micrograd.engine` is `micrograd`), or nil for an unknown one.
    /// What micrograd's modules (engine, nn) give, all built in here.
    static let micrograds: Set<String> = ["Value", "Neuron", "Layer", "MLP", "Module"]

    static func missingModule(_ name: String) -> String? {
        switch name.prefix(while: { $0 != "." }) {
        case "numpy":
            "numpy is not here; make a list with a comprehension, xs = [x/4 for x in range(-20, 20)], and apply f to each item, ys = [f(x) for x in xs]; math has exp, log and tanh (a list times a float goes item by item, xs * 2.0, but xs * 2 repeats it and xs + ys joins them, as in Python)"
        case "matplotlib": "matplotlib is not here; :plot f -5 5 draws a function, :plot loss a training run"
        case "torch": "PyTorch is not here; lesson 6 shows the numbers it gives beside ours"
        case "micrograd": "micrograd is built in: Value, Neuron, Layer and MLP are already here, with no import"
        case "graphviz": "graphviz's Python module is not needed: :dot, :svg and :png draw a graph"
        case "sklearn": "scikit-learn is not here; moons() gives micrograd's two-moons data: X, y = moons()"
        case "time": "there is no clock here; micrograd bench times the training loop, and the shell's time a whole run"
        default: nil
        }
    }

    /// `import math`, `import math as m`, `import a, b`, `from math import exp, tanh`.
    mutating func importStatement() throws(LanguageError) -> Statement {
        let start = location
        if acceptKeyword("from") {
            let module = try dottedName()
            guard acceptKeyword("import") else { throw unexpected("'import' after the module's name") }
            // micrograd's own imports (the demo notebook's first lines) bring in what is built
            // in already: they do nothing, so that a pasted script runs as it is.
            if module == "micrograd" || module.hasPrefix("micrograd.") {
                // (`import Value as V` gives the built-in a second name: V = Value.)
                var renamed: [(name: String, alias: String, at: SourceLocation)] = []
                repeat {
                    let at = location
                    let imported = try name(renamed.isEmpty ? "the names to import" : "a name after ','")
                    guard Self.micrograds.contains(imported) else {
                        throw LanguageError(
                            "micrograd is built in, with Value, Neuron, Layer and MLP already here; it has no \(imported) to import",
                            at: start)
                    }
                    let alias = acceptKeyword("as") ? try name("a name after 'as'") : imported
                    if alias != imported { renamed.append((imported, alias, at)) }
                } while accept(",")
                guard !renamed.isEmpty else { return Statement(kind: .pass, location: start) }
                let targets = renamed.map { Target.name($0.alias, $0.at) }
                let values = renamed.map { Expr(kind: .name($0.name), location: $0.at) }
                return Statement(
                    kind: .assignment(
                        [renamed.count == 1 ? targets[0] : .unpack(targets, start)],
                        renamed.count == 1 ? values[0] : Expr(kind: .tuple(values), location: start)),
                    location: start)
            }
            // (`from sklearn.datasets import make_moons`: what there is instead, at once.)
            if let advice = Self.missingModule(module) { throw LanguageError(advice, at: start) }
            throw LanguageError(
                "from \(module) import … is not part of the notebook; write import \(module) and then \(module).name", at: start)
        }
        advance()
        var modules = [try importedModule()]
        while accept(",") { modules.append(try importedModule()) }
        return Statement(kind: .import(modules), location: start)
    }

    private mutating func importedModule() throws(LanguageError) -> (module: String, alias: String) {
        let module = try dottedName()
        let alias = acceptKeyword("as") ? try name("a name after 'as'") : String(module.prefix { $0 != "." })
        return (module, alias)
    }

    private mutating func dottedName() throws(LanguageError) -> String {
        var module = try name("a module's name")
        while accept(".") { module += "." + (try name("a name after '.'")) }
        return module
    }
}
