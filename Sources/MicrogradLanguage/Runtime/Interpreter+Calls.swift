import Micrograd

/// A call's arguments, evaluated: positional ones in order, and `name=value` ones.
struct Arguments {
    var positional = ArgumentList()
    var labelled: [(name: String, value: Object, location: SourceLocation)] = []

    init() {}

    /// One argument.
    init(_ value: Object, at location: SourceLocation) { positional.append((value, location)) }

    func labelled(_ name: String) -> (value: Object, location: SourceLocation)? {
        labelled.first { $0.name == name }.map { ($0.value, $0.location) }
    }
}

/// A call's positional arguments, in order: the first two kept in place, any more in an
/// array. (Most calls have one or two. An array for them was an allocation and a free on
/// every call, a twentieth of a notebook training loop's time.)
struct ArgumentList: RandomAccessCollection, MutableCollection {
    typealias Element = (value: Object, location: SourceLocation)
    private var first: Element = (.none, SourceLocation(line: 0, column: 0))
    private var second: Element = (.none, SourceLocation(line: 0, column: 0))
    private var more: [Element] = []
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "argument index out of range")
            return i == 0 ? first : i == 1 ? second : more[i - 2]
        }
        set {
            precondition(i >= 0 && i < count, "argument index out of range")
            if i == 0 { first = newValue } else if i == 1 { second = newValue } else { more[i - 2] = newValue }
        }
    }

    mutating func append(_ element: Element) {
        switch count {
        case 0: first = element
        case 1: second = element
        default: more.append(element)
        }
        count += 1
    }

    mutating func reserveCapacity(_ n: Int) {
        if n > 2 { more.reserveCapacity(n - 2) }
    }

    /// The first argument taken out, if it is a list that nothing else holds (one a call
    /// has just made) and that can be changed; else nil, and the argument left as it was.
    mutating func takeUnsharedList() -> ListObject? {
        guard count > 0, case .list = first.value else { return nil }
        var taken = Object.none
        swap(&taken, &first.value)
        var list: ListObject?
        if case .list(let l) = taken { list = l }
        taken = .none  // (so that `list` is the only reference, if nothing else has one)
        if isKnownUniquelyReferenced(&list), let list, list.copyOf == nil { return list }
        first.value = .list(list!)
        return nil
    }
}

extension Interpreter {
    func call(_ callee: Expr, _ args: [CallArgument], _ context: Context, at location: SourceLocation) throws(LanguageError) -> Object {
        let function: Object
        // `a.b(…)` with `b` a method of `a` (`x.relu()`, `xs.append(y)`, `math.exp(x)`) is
        // called on its receiver straight away, without making the bound method first.
        var method: (receiver: Object, name: String)?
        if case .attribute(let baseExpr, let name) = callee.kind {
            let base = try evaluate(baseExpr, context)
            if Self.methods(of: base).containsName(name) {
                method = (base, name)
                function = .none
            } else {
                function = try attribute(name, of: base, at: callee.location)
                if case .method = function {
                } else {
                    // (`a.grad()`: a number, read without the parentheses.)
                    throw LanguageError(
                        "\(name) is \(function.kindName), not something to call; leave out the (): \(baseExpr).\(name)", at: location)
                }
            }
        } else if case .name(let name) = callee.kind {
            function = try lookup(name, context, at: callee.location, calling: true)
        } else {
            function = try evaluate(callee, context)
        }
        var arguments = Arguments()
        arguments.positional.reserveCapacity(args.count)
        for arg in args {
            let value = try evaluate(arg.value, context)
            if let label = arg.label {
                if arguments.labelled.contains(where: { $0.name == label }) {
                    throw LanguageError("the argument \(label) is given twice", at: arg.value.location)
                }
                arguments.labelled.append((label, value, arg.value.location))
            } else {
                arguments.positional.append((value, arg.value.location))
            }
        }
        if let method { return try callMethod(method.name, on: method.receiver, arguments, at: location) }
        let result: Object
        if case .builtin(.list) = function, arguments.positional.count == 1, arguments.labelled.isEmpty,
            let made = arguments.positional.takeUnsharedList()
        {
            // `list(map(Value, row))`, `list(sorted(xs))`: a list that only this call holds
            // is given back as the new list, which no one could tell from a copy of it.
            // (Copying it was a fifth of the time `[list(map(Value, row)) for row in X]` took.)
            made.repeatedFrom = 0
            result = .list(made)
        } else {
            do throws(LanguageError) {
                result = try call(function, arguments, at: location)
            } catch {
                // Out of a learner's function: the error says where it was called from.
                guard case .function(let f) = function else { throw error }
                throw error.passing(outOf: f.name, at: location, in: context.source)
            }
        }
        if let wide = wideNumber {
            wideNumber = nil
            console.warn(LanguageError(wide.message, at: wide.location, in: context.source))
        }
        return result
    }

    /// Calls anything callable with arguments already evaluated.
    func call(_ function: Object, _ arguments: Arguments, at location: SourceLocation) throws(LanguageError) -> Object {
        switch function {
        case .function(let f):
            return try callUser(f, arguments, at: location)
        case .builtin(let b):
            return try callBuiltin(b, arguments, at: location)
        case .method(let receiver, let name):
            return try callMethod(name, on: receiver, arguments, at: location)
        case .network(let n):
            guard arguments.positional.count == 1, arguments.labelled.isEmpty else {
                throw LanguageError("a network takes one argument: a list of inputs (or a list of such lists)", at: location)
            }
            return try forward(n, arguments.positional[0].value, at: arguments.positional[0].location)
        default:
            throw LanguageError("\(function.kindName) cannot be called", at: location)
        }
    }

    /// Runs a function the learner defined, in a scope of its own inside the one it was
    /// defined in.
    func callUser(_ f: Function, _ arguments: Arguments, at location: SourceLocation) throws(LanguageError) -> Object {
        let definition = f.definition
        let parameters = definition.parameters
        let count = parameters.count, given = arguments.positional.count
        if definition.isOneLine, !arguments.labelled.isEmpty {
            throw LanguageError("\(f.name) takes its arguments by position, as in \(f.signature)", at: location)
        }
        let required = f.defaults.firstIndex { $0 != nil } ?? count
        guard given <= count else {
            throw LanguageError("\(f.signature) takes \(count) argument\(count == 1 ? "" : "s"), not \(given)", at: location)
        }
        var values: Bindings = [:]
        for (p, arg) in zip(parameters, arguments.positional) { values[p.name] = arg.value }
        for arg in arguments.labelled {
            guard parameters.contains(where: { $0.name == arg.name }) else {
                throw LanguageError("\(f.signature) has no parameter named '\(arg.name)'", at: arg.location)
            }
            guard values[arg.name] == nil else {
                throw LanguageError("\(f.signature) was given \(arg.name) twice", at: arg.location)
            }
            values[arg.name] = arg.value
        }
        for (p, defaultValue) in zip(parameters, f.defaults) where values[p.name] == nil {
            guard let defaultValue else {
                let noun = required == count ? "\(count) argument\(count == 1 ? "" : "s")" : "\(required) to \(count) arguments"
                throw LanguageError("\(f.signature) takes \(noun), not \(given + arguments.labelled.count)", at: location)
            }
            values[p.name] = defaultValue
        }
        callDepth += 1
        defer { callDepth -= 1 }
        guard callDepth <= limits.callDepth else {
            throw LanguageError(
                "\(f.name) was called more than \(limits.callDepth) levels deep\(limits.callDepth == 1000 ? ", Python's limit" : ""): does it call itself with no way to stop, as in f(x) = f(x)? Or is what it goes through that deep (a graph of a long chain)? Then go through it with a loop and a list of what is left to visit",
                at: location)
        }
        try checkStack(at: location)
        // (A recursion with no loop in it, f(n-1) + f(n-1), would not stop on Ctrl-C
        // otherwise: loops ask between rounds, and a call asks here.)
        try checkInterrupt()
        let mark = graph.count
        let environment = Environment(values, parent: f.closure, definition: definition)
        // (Where a loop inside a call, or inside a call it makes, can find and move what
        // this call's names and arguments hold: see `activeCalls`.)
        activeCalls.append((environment, arguments))
        defer { activeCalls.removeLast() }
        let context = Context(environment: environment, source: definition.source ?? Source(file: "", text: ""))
        do throws(LanguageError) {
            let result: Object
            switch definition.body {
            case .expression(let body):
                result = try evaluate(body, context)
            case .block(let statements):
                switch try execute(statements, context) {
                case .returning(let value): result = value
                case .normal: result = .none
                case .breaking, .continuing:
                    throw LanguageError("'break' and 'continue' belong inside a loop", at: definition.location)
                }
            }
            noteProducer(result, madeFrom: mark, by: .function(f), activeCalls[activeCalls.count - 1].arguments)
            return result
        } catch {
            var error = error
            guard error.location != nil, error != .interrupted else { throw error }
            if case .block = definition.body {
                // A def's body is shown where it is, in the text it was written in.
                if error.source == nil { error.source = definition.source }
                throw error
            }
            // A one-line function's body was read on another line: a caret at its column on
            // this line would point at nothing, so point at the outermost call instead.
            guard callDepth == 1 else { throw error }
            throw LanguageError(error.message, at: location)
        }
    }

    /// A network applied to one input list, or to each of a list of input lists.
    func forward(_ network: any Network, _ input: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        guard let items = input.sequence else {
            throw LanguageError("a network's input is a list, such as [2.0, 3.0, -1.0], not \(input.kindName)", at: location)
        }
        if let first = items.first, first.sequence != nil {
            try checkStack(at: location, nesting: true)  // (a list may hold itself)
            var out: [Object] = []
            for item in items { out.append(try forward(network, item, at: location)) }
            return try list(out)
        }
        guard items.count == network.inputCount else {
            throw LanguageError("the network takes \(network.inputCount) inputs, but this list has \(items.count)", at: location)
        }
        var x: [Value] = []
        x.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .value(let v): x.append(v)
            default:
                guard let n = item.double else {
                    throw LanguageError("a network's inputs are numbers or Values, not \(item.kindName)", at: location)
                }
                x.append(Value(n, in: graph))
            }
        }
        // (Room first for what the pass records: a wide layer's pass is millions of nodes.)
        let recorded = network.nodesPerCall
        if graph.room < recorded + Self.graphHeadroom { try makeGraphRoom(for: recorded) }
        var outputs = network.outputs(x)
        // micrograd's MLP gives a lone output as itself, not as a list of one.
        return outputs.count == 1 ? .value(outputs.removeLast()) : try list(Object.values(outputs))
    }
}
