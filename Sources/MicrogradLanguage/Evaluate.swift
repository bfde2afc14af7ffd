import Micrograd

/// Names visible while evaluating: a function's parameters or a comprehension's variables
/// over the session's names.
struct Scope {
    var locals: [String: Object] = [:]
}

extension Session {
    /// How deep evaluation may go (expressions are at most Parser.maxTreeDepth deep, so
    /// past this it is user functions calling each other without end).
    static let maxEvaluationDepth = 1000
    /// How deep user functions may call each other.
    static let maxCallDepth = 100
    /// The most items a list (or `range`) may have.
    static let maxListCount = 10_000_000

    func evaluate(_ e: Expr, in scope: Scope = Scope()) throws(LanguageError) -> Object {
        evaluationDepth += 1
        defer { evaluationDepth -= 1 }
        guard evaluationDepth <= Self.maxEvaluationDepth else {
            throw LanguageError("functions called each other more than \(Self.maxEvaluationDepth) levels deep: does a function call itself with no way to stop, as in f(x) = f(x)?", at: e.location)
        }
        switch e.kind {
        case .number(let x):
            return .number(x)
        case .integer(let i):
            return .integer(i)
        case .string(let s):
            return .string(s)
        case .name(let n):
            return try lookup(n, in: scope, at: e.location)
        case .list(let items):
            var out: [Object] = []
            for item in items { out.append(try evaluate(item, in: scope)) }
            return .list(out)
        case .comprehension(let element, let targets, let iterableExpr):
            let items = try iterate(try evaluate(iterableExpr, in: scope), at: iterableExpr.location)
            var out: [Object] = []
            var inner = scope
            for item in items {
                try checkInterrupt()
                for (name, value) in try unpack(item, into: targets, at: iterableExpr.location) {
                    inner.locals[name] = value
                }
                out.append(try evaluate(element, in: inner))
            }
            return .list(out)
        case .unary(let op, let operand):
            let x = try evaluate(operand, in: scope)
            return op == "+" ? try arithmetic("+", .integer(0), x, at: e.location) : try negate(x, at: e.location)
        case .binary(let op, let l, let r):
            let lhs = try evaluate(l, in: scope)
            let rhs = try evaluate(r, in: scope)
            return try arithmetic(op, lhs, rhs, at: e.location)
        case .call(let callee, let args):
            return try call(callee, args, in: scope, at: e.location)
        case .attribute(let baseExpr, let name):
            return try attribute(name, of: try evaluate(baseExpr, in: scope), at: e.location)
        case .index(let baseExpr, let indexExpr):
            let base = try evaluate(baseExpr, in: scope)
            guard case .list(let items) = base else {
                throw LanguageError("only a list can be indexed, not \(base.kindName)", at: e.location)
            }
            return items[try listIndex(try evaluate(indexExpr, in: scope), count: items.count, at: indexExpr.location)]
        }
    }

    func lookup(_ name: String, in scope: Scope, at location: SourceLocation) throws(LanguageError) -> Object {
        if let local = scope.locals[name] { return local }
        if let bound = names[name] { return bound }
        if let builtin = Builtin(rawValue: name) { return .builtin(builtin) }
        let known = Array(names.keys) + scope.locals.keys + Builtin.allCases.map(\.rawValue)
        var message = "'\(name)' is not defined"
        if let guess = closest(to: name, among: known) { message += "; did you mean '\(guess)'?" }
        else { message += "; give it a value first, as in \(name) = 2.0" }
        throw LanguageError(message, at: location)
    }

    // MARK: Arithmetic, as Python and micrograd do it

    func negate(_ x: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        switch x {
        case .number(let a): return .number(-a)
        case .integer(let i): return i == .min ? .number(-Double(i)) : .integer(-i)
        case .value(let v): return .value(-v)
        case .list(let items):
            var out: [Object] = []
            for item in items { out.append(try negate(item, at: location)) }
            return .list(out)
        default: throw LanguageError("cannot negate \(x.kindName)", at: location)
        }
    }

    func arithmetic(_ op: String, _ lhs: Object, _ rhs: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)):
            if let whole = Self.wholeArithmetic(op, a, b) { return .integer(whole) }
            return .number(Self.apply(op, Double(a), Double(b)))
        case (.integer, _) where !rhs.isList, (_, .integer) where !lhs.isList:
            // (A list broadcasts the integer itself below, so [1, 2] * 2 stays whole.)
            let l = if case .integer = lhs { lhs.plainNumber } else { lhs }
            let r = if case .integer = rhs { rhs.plainNumber } else { rhs }
            return try arithmetic(op, l, r, at: location)
        case (.number(let a), .number(let b)):
            return .number(Self.apply(op, a, b))
        case (.value(let a), .value(let b)):
            switch op {
            case "+": return .value(a + b)
            case "-": return .value(a - b)
            case "*": return .value(a * b)
            case "/": return .value(a / b)
            default:
                throw LanguageError("the exponent must be a plain number (micrograd's ** takes a constant), not a Value; use \(b.label.map { "\($0).data" } ?? "its .data")", at: location)
            }
        case (.value(let a), .number(let b)):
            switch op {
            case "+": return .value(a + b)
            case "-": return .value(a - b)
            case "*": return .value(a * b)
            case "/": return .value(a / b)
            default: return .value(a.pow(b))
            }
        case (.number(let a), .value(let b)):
            switch op {
            case "+": return .value(a + b)
            case "-": return .value(a - b)
            case "*": return .value(a * b)
            case "/": return .value(a / b)
            default:
                throw LanguageError("a number raised to a Value's power is not an op here (** takes a constant exponent); try exp(\(b.label.map { "\($0)" } ?? "x") * log(\(a.pythonDescription)))", at: location)
            }
        case (.list(let xs), .list(let ys)):
            guard xs.count == ys.count else {
                throw LanguageError("the lists have \(xs.count) and \(ys.count) items; element-wise '\(op)' needs the same number", at: location)
            }
            var out: [Object] = []
            for (i, (x, y)) in zip(xs, ys).enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }     // long lists: stoppable, and within budget
                out.append(try arithmetic(op, x, y, at: location))
            }
            return .list(out)
        case (.list(let xs), .number), (.list(let xs), .value), (.list(let xs), .integer):
            var out: [Object] = []
            for (i, x) in xs.enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }
                out.append(try arithmetic(op, x, rhs, at: location))
            }
            return .list(out)
        case (.number, .list(let ys)), (.value, .list(let ys)), (.integer, .list(let ys)):
            var out: [Object] = []
            for (i, y) in ys.enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }
                out.append(try arithmetic(op, lhs, y, at: location))
            }
            return .list(out)
        default:
            let verb = ["+": "add", "-": "subtract", "*": "multiply", "/": "divide", "**": "raise"][op] ?? op
            throw LanguageError("cannot \(verb) \(lhs.kindName) and \(rhs.kindName)", at: location)
        }
    }

    /// Python's int arithmetic where the result stays whole and fits; nil otherwise.
    static func wholeArithmetic(_ op: String, _ a: Int, _ b: Int) -> Int? {
        let (result, overflow): (Int, Bool)
        switch op {
        case "+": (result, overflow) = a.addingReportingOverflow(b)
        case "-": (result, overflow) = a.subtractingReportingOverflow(b)
        case "*": (result, overflow) = a.multipliedReportingOverflow(by: b)
        case "**":
            guard b >= 0 else { return nil }
            var power = 1
            for _ in 0..<min(b, 64) {
                let (p, o) = power.multipliedReportingOverflow(by: a)
                if o { return nil }
                power = p
            }
            if b > 64 && abs(a) > 1 { return nil }
            return b > 64 && a == -1 ? (b % 2 == 0 ? 1 : -1) : power
        default: return nil
        }
        return overflow ? nil : result
    }

    static func apply(_ op: String, _ a: Double, _ b: Double) -> Double {
        switch op {
        case "+": a + b
        case "-": a - b
        case "*": a * b
        case "/": a / b
        default: Op.pow.forward(a, b)
        }
    }

    // MARK: Attributes

    func attribute(_ name: String, of base: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        switch (base, name) {
        case (.value(let v), "data"): return .number(v.data)
        case (.value(let v), "grad"): return .number(v.grad)
        case (.value(let v), "label"): return .string(v.label ?? "")
        case (.value(let v), "op"), (.value(let v), "_op"): return .string(v.opName)
        case (.value(let v), "inputs"), (.value(let v), "_prev"): return .list(v.inputs.map(Object.value))
        case (.model(let m), "layers"): return .list(m.layers.map(Object.layer))
        case (.layer(let l), "neurons"): return .list(l.neurons.map(Object.neuron))
        case (.neuron(let n), "w"): return .list(n.w.map(Object.value))
        case (.neuron(let n), "b"): return .value(n.b)
        default:
            let attributes = Self.attributes(of: base)
            if Self.methods(of: base).contains(name) {
                throw LanguageError("\(name) is a method; call it: .\(name)()", at: location)
            }
            var message = "\(base.kindName) has no attribute '\(name)'"
            if let guess = closest(to: name, among: attributes + Self.methods(of: base)) {
                message += "; did you mean '\(guess)'?"
            } else if !attributes.isEmpty {
                message += " (it has \(attributes.joined(separator: ", ")))"
            }
            throw LanguageError(message, at: location)
        }
    }

    /// Attribute names, for completion and error messages.
    public static func attributes(of object: Object) -> [String] {
        switch object {
        case .value: ["data", "grad", "label", "op", "inputs"]
        case .model: ["layers"]
        case .layer: ["neurons"]
        case .neuron: ["w", "b"]
        default: []
        }
    }

    /// Method names, for completion and error messages.
    public static func methods(of object: Object) -> [String] {
        switch object {
        case .value: ["tanh", "exp", "log", "relu", "sigmoid", "backward", "_backward", "zero_grad"]
        case .model, .layer, .neuron: ["parameters", "zero_grad"]
        default: []
        }
    }

    // MARK: Calls

    private func call(_ callee: Expr, _ args: [CallArgument], in scope: Scope, at location: SourceLocation) throws(LanguageError) -> Object {
        if case .attribute(let baseExpr, let method) = callee.kind {
            let base = try evaluate(baseExpr, in: scope)
            guard Self.methods(of: base).contains(method) else {
                _ = try attribute(method, of: base, at: callee.location)   // says what is wrong
                throw LanguageError("\(method) is not something to call", at: location)
            }
            guard args.isEmpty else {
                throw LanguageError(".\(method)() takes no arguments", at: args[0].value.location)
            }
            return try callMethod(method, on: base, at: location)
        }
        let function = try evaluate(callee, in: scope)
        var positional: [(Object, SourceLocation)] = []
        var labelled: [String: (Object, SourceLocation)] = [:]
        for arg in args {
            let value = try evaluate(arg.value, in: scope)
            if let label = arg.label { labelled[label] = (value, arg.value.location) } else { positional.append((value, arg.value.location)) }
        }
        switch function {
        case .function(let f):
            guard labelled.isEmpty else {
                throw LanguageError("\(f.name) takes its arguments by position, as in \(f.signature)", at: location)
            }
            guard positional.count == f.parameters.count else {
                throw LanguageError("\(f.signature) takes \(f.parameters.count) argument\(f.parameters.count == 1 ? "" : "s"), not \(positional.count)", at: location)
            }
            var inner = Scope()
            for (p, (value, _)) in zip(f.parameters, positional) { inner.locals[p] = value }
            callDepth += 1
            defer { callDepth -= 1 }
            guard callDepth <= Self.maxCallDepth else {
                throw LanguageError("\(f.name) was called more than \(Self.maxCallDepth) levels deep: does it call itself with no way to stop, as in f(x) = f(x)?", at: location)
            }
            do {
                return try evaluate(f.body, in: inner)
            } catch {
                // The body's places are on the line that defined f, not on the line being
                // run: point at the outermost call instead.
                guard callDepth == 1, error.location != nil else { throw error }
                throw LanguageError(error.message, at: location)
            }
        case .builtin(let b):
            return try callBuiltin(b, positional, labelled, at: location)
        case .model, .layer, .neuron:
            guard positional.count == 1, labelled.isEmpty else {
                throw LanguageError("a network takes one argument: a list of inputs (or a list of such lists)", at: location)
            }
            return try forward(function, positional[0].0, at: positional[0].1)
        default:
            throw LanguageError("\(function.kindName) cannot be called", at: location)
        }
    }

    private func callMethod(_ method: String, on base: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        switch (base, method) {
        case (.value(let v), "backward"):
            v.backward()
            lastRoot = v
            return .none
        case (.value(let v), "_backward"):
            v.backwardStep()
            return .none
        case (.value(let v), "zero_grad"):
            v.zeroGrad()
            return .none
        case (.value(let v), _):
            return .value(v.applying(Builtin(rawValue: method)!.unaryOp!))
        case (_, "parameters"):
            return .list(Self.parameters(of: base).map(Object.value))
        default:   // zero_grad on a network
            for p in Self.parameters(of: base) { p.grad = 0 }
            return .none
        }
    }

    static func parameters(of object: Object) -> [Value] {
        switch object {
        case .model(let m): m.parameters()
        case .layer(let l): l.parameters()
        case .neuron(let n): n.parameters()
        default: []
        }
    }

    /// A network applied to one input list, or to each of a list of input lists.
    private func forward(_ network: Object, _ input: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        guard case .list(let items) = input else {
            throw LanguageError("a network's input is a list, such as [2.0, 3.0, -1.0], not \(input.kindName)", at: location)
        }
        if case .list? = items.first {
            var out: [Object] = []
            for item in items { out.append(try forward(network, item, at: location)) }
            return .list(out)
        }
        let expected: Int = switch network {
        case .model(let m): m.inputCount
        case .layer(let l): l.neurons.first?.inputCount ?? 0
        case .neuron(let n): n.inputCount
        default: 0
        }
        guard items.count == expected else {
            throw LanguageError("the network takes \(expected) inputs, but this list has \(items.count)", at: location)
        }
        var x: [Value] = []
        for item in items {
            switch item {
            case .number(let n): x.append(Value(n, in: graph))
            case .integer(let i): x.append(Value(Double(i), in: graph))
            case .value(let v): x.append(v)
            default: throw LanguageError("a network's inputs are numbers or Values, not \(item.kindName)", at: location)
            }
        }
        let outputs: [Value] = switch network {
        case .model(let m): m(x)
        case .layer(let l): l(x)
        case .neuron(let n): [n(x)]
        default: []
        }
        // micrograd's MLP gives a lone output as itself, not as a list of one.
        return outputs.count == 1 ? .value(outputs[0]) : .list(outputs.map(Object.value))
    }

    /// The closest of `candidates` to `name` by edit distance, if it is close enough to be a typo.
    func closest(to name: String, among candidates: [String]) -> String? {
        let limit = max(1, name.count / 3)
        // Lengths further apart than the limit cannot be within it (and a megabyte-long
        // name would take seconds to compare).
        let scored = candidates.filter { abs($0.count - name.count) <= limit }
            .map { ($0, editDistance(name, $0)) }.filter { $0.1 <= limit && $0.1 < name.count }   // not h for L
        return scored.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }?.0
    }
}

/// Edits from `a` to `b`, where swapping two neighbouring characters counts as one edit
/// (the commonest typo: alpah for alpha).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var beforePrevious: [Int] = []
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                current[j] = min(current[j], beforePrevious[j - 2] + 1)
            }
        }
        beforePrevious = previous
        previous = current
    }
    return previous[b.count]
}
