import Micrograd

extension Interpreter {
    /// `base.name`: a Value's data, grad, label, op and inputs (also micrograd's `_op` and
    /// `_prev`), a network's parts, a module's functions, or a method ready to call.
    func attribute(_ name: String, of base: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        // (The two read in every training step, found by their words before the pairs below
        // are matched.)
        if case .value(let v) = base {
            if name.isSpelled("data") { return .number(v.data) }
            if name.isSpelled("grad") { return .number(v.grad) }
        }
        switch (base, name) {
        case (.value(let v), "label"): return .string(v.label ?? "")
        case (.value(let v), "op"), (.value(let v), "_op"): return .string(v.opName)
        case (.value(let v), "inputs"): return try copy(v.inputs.map(Object.value), of: "a Value's inputs")
        case (.value(let v), "_prev"):
            let set = SetObject(budget: budget)
            for input in v.inputs { set.insert(.value(input), .value(input)) }
            return .set(set)
        case (.network(let n as MLP), "layers"): return try copy(n.layers.map { .network($0) }, of: "an MLP's layers")
        case (.network(let n as Layer), "neurons"): return try copy(n.neurons.map { .network($0) }, of: "a Layer's neurons")
        case (.network(let n as Neuron), "w"): return try copy(n.w.map(Object.value), of: "a Neuron's weights")
        case (.network(let n as Neuron), "b"): return .value(n.b)
        case (.module(let m), _):
            if let constant = m.constant(name) { return .number(constant) }
            if m.functions.contains(name) { return .method(base, name) }
            throw LanguageError(
                "the \(m.rawValue) module here has no \(name); it has \((m.constants + m.functions).sorted().joined(separator: ", "))",
                at: location)
        default:
            if Self.methods(of: base).containsName(name) { return .method(base, name) }
            let attributes = Self.attributes(of: base)
            var message = "\(base.kindName) has no attribute '\(name)'"
            if let guess = Suggestions.closest(to: name, among: attributes + Self.methods(of: base)) {
                message += "; did you mean '\(guess)'?"
            } else if !attributes.isEmpty {
                let methods = Self.methods(of: base).filter { !$0.hasPrefix("__") }.map { $0 + "()" }
                let operators =
                    Self.methods(of: base).contains("__add__") ? ", and Python's operator methods, such as __add__() and __mul__()" : ""
                message +=
                    " (it has \(attributes.joined(separator: ", "))\(methods.isEmpty ? "" : "; and methods " + methods.joined(separator: ", "))\(operators))"
            }
            throw LanguageError(message, at: location)
        }
    }

    /// Attribute names, for completion and error messages.
    static func attributes(of object: Object) -> [String] {
        switch object {
        case .value: ["data", "grad", "label", "op", "inputs", "_op", "_prev"]
        case .network(let n):
            switch n {
            case is MLP: ["layers"]
            case is Layer: ["neurons"]
            default: ["w", "b"]
            }
        case .module(let m): m.constants
        default: []
        }
    }

    /// Method names, for completion and error messages, and to tell a method call.
    /// (Constant lists, not built per call: every `x.relu()` looks here.)
    static func methods(of object: Object) -> [String] {
        switch object {
        case .value: valueMethodsAndOperators
        case .network: networkMethods
        case .list: listMethods
        case .set: setMethods
        case .dict: dictMethods
        case .string: stringMethods
        case .module(let m): m.functions
        default: []
        }
    }
    static let valueMethods = ["tanh", "exp", "log", "relu", "sigmoid", "backward", "_backward", "zero_grad"]
    /// The operators micrograd's Value defines, called by name as the tutorial shows that
    /// `a + b` is `a.__add__(b)`: each with its operator, and whether the Value is on the
    /// right (`__radd__`: `2 + a`).
    static let valueOperators: [String: (op: BinaryOperator, reflected: Bool)] = [
        "__add__": (.add, false), "__radd__": (.add, true), "__mul__": (.multiply, false), "__rmul__": (.multiply, true),
        "__sub__": (.subtract, false), "__rsub__": (.subtract, true), "__truediv__": (.divide, false),
        "__rtruediv__": (.divide, true), "__pow__": (.power, false),
    ]
    private static let valueMethodsAndOperators = valueMethods + valueOperators.keys.sorted() + ["__neg__"]
    private static let networkMethods = ["parameters", "zero_grad"]
    private static let listMethods = [
        "append", "extend", "pop", "insert", "index", "count", "remove", "reverse", "sort", "copy", "clear",
    ]
    private static let setMethods = ["add", "remove", "discard", "update", "copy", "clear"]
    private static let dictMethods = ["keys", "values", "items", "get", "pop", "copy", "clear"]
    private static let stringMethods = ["join", "split", "strip", "upper", "lower", "replace", "startswith", "endswith", "format"]

    /// Calls method `name` of `receiver`.
    func callMethod(
        _ name: String, on receiver: Object, _ arguments: Arguments, at location: SourceLocation
    ) throws(LanguageError) -> Object {
        let args = arguments.positional
        func count(_ range: ClosedRange<Int>) throws(LanguageError) {
            guard arguments.labelled.isEmpty else {
                throw LanguageError(".\(name)() takes no named arguments", at: arguments.labelled[0].location)
            }
            guard range.contains(args.count) else {
                if range.upperBound == 0 { throw LanguageError(".\(name)() takes no arguments", at: args[0].location) }
                let n = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw LanguageError(".\(name)() takes \(n) argument\(range.upperBound == 1 ? "" : "s"), not \(args.count)", at: location)
            }
        }
        switch receiver {
        case .value(let v):
            // (The operators' names all start with "__": `x.relu()` is not hashed to find that.)
            if name.utf8.first == UInt8(ascii: "_"), let (op, reflected) = Self.valueOperators[name] {
                try count(1...1)
                let other = args[0].value
                return try reflected ? arithmetic(op, other, receiver, at: location) : arithmetic(op, receiver, other, at: location)
            }
            try count(0...0)
            // (x.relu(), x.tanh(), …: the built-in's operation, found by the name's words
            // before any of the names below is compared.)
            if let op = Builtin.named(name)?.unaryOp { return .value(v.applying(op)) }
            if name == "__neg__" { return try negate(receiver, at: location) }
            switch name {
            case "backward":
                try backward(from: v, at: location)
                lastRoot = v
            case "_backward": try backwardStep(v, at: location)
            case "zero_grad": v.zeroGrad()
            default: throw LanguageError("a Value has no method '\(name)'", at: location)  // (not in `valueMethods`)
            }
            return .none
        case .network(let n):
            try count(0...0)
            if name == "parameters" { return try list(Object.values(n.parameters())) }
            n.zeroGrad()
            return .none
        case .module(let m):
            return try callModuleFunction(m, name, arguments, at: location)
        case .list(let l):
            if name == "sort" {
                // (key= and reverse=, as sorted takes them.)
                if let first = args.first {
                    throw LanguageError(".sort() takes only key= and reverse=, as in xs.sort(reverse=True)", at: first.location)
                }
                for labelled in arguments.labelled where labelled.name != "key" && labelled.name != "reverse" {
                    throw LanguageError(".sort() takes key= and reverse=, not \(labelled.name)=", at: labelled.location)
                }
                try checkChangeable(l, at: location)
                l.items = try sorted(l.items, by: arguments, at: location)
                return .none
            }
            return try listMethod(name, l, args.map(\.value), count, at: location)
        case .set(let s):
            switch name {
            case "add":
                try count(1...1)
                try checkRoomToGrow(to: s.members.count + 1, capacity: s.members.capacity, itemBytes: 112)  // (with its order's)
                s.insert(try hashKey(args[0].value, at: args[0].location), args[0].value)
            case "remove", "discard":
                try count(1...1)
                if !s.remove(try hashKey(args[0].value, at: args[0].location)), name == "remove" {
                    throw LanguageError("\(args[0].value.echo) is not in the set", at: args[0].location)
                }
            case "update":
                try count(1...1)
                for item in try iterate(args[0].value, at: args[0].location) { s.insert(try hashKey(item, at: args[0].location), item) }
            case "copy":
                try count(0...0)
                let copy = SetObject(budget: budget)
                for key in s.order { copy.insert(key, s.members[key]!) }
                return .set(copy)
            default:
                try count(0...0)
                s.removeAll()
            }
            return .none
        case .dict(let d):
            return try dictMethod(name, d, args, count)
        case .string(let s):
            if name == "format" { return try formatMethod(s, arguments, at: location) }
            return try stringMethod(name, s, args, count, at: location)
        default:
            throw LanguageError("\(receiver.kindName) has no method \(name)", at: location)
        }
    }

    /// A new list of a network's parts (or a Value's inputs), marked as the copy it is.
    private func copy(_ items: [Object], of what: String) throws(LanguageError) -> Object {
        let made = try list(items)
        if case .list(let l) = made { l.copyOf = what }
        return made
    }

    /// Refuses to change a list that was made by reading a network's parts: in Python it
    /// would be the network's own list, and changing it here would silently change nothing.
    func checkChangeable(_ l: ListObject, at location: SourceLocation) throws(LanguageError) {
        guard let what = l.copyOf else { return }
        throw LanguageError(
            what.hasPrefix("a Value")
                ? "this list is a copy of \(what), made as it was read: a Value's inputs are fixed when it is made, so changing the copy would change nothing"
                : "this list is a copy of \(what), made as it was read, so changing it would not change the network; a weight or bias changes through its data, as in n.layers[0].neurons[0].w[0].data = 0.5",
            at: location)
    }

    private func listMethod(
        _ name: String, _ l: ListObject, _ args: [Object], _ count: (ClosedRange<Int>) throws(LanguageError) -> Void,
        at location: SourceLocation
    ) throws(LanguageError) -> Object {
        // (The copy's mark first: names compared on every append in a loop cost more.)
        if l.copyOf != nil, name != "index" && name != "count" && name != "copy" { try checkChangeable(l, at: location) }
        switch name {
        case "append":
            try count(1...1)
            try budget.reserve(1)
            try checkRoomToGrow(to: l.items.count + 1, capacity: l.items.capacity, itemBytes: MemoryLayout<Object>.stride)
            l.items.append(args[0])
        case "extend":
            try count(1...1)
            let more = try iterate(args[0], at: location)
            try budget.reserve(more.count)
            try checkRoomToGrow(to: l.items.count + more.count, capacity: l.items.capacity, itemBytes: MemoryLayout<Object>.stride)
            l.items += more
        case "insert":
            try count(2...2)
            guard let i = args[0].double, i == i.rounded(), Swift.abs(i) < 1e15 else {
                throw LanguageError("insert's position is a whole number", at: location)
            }
            let n = l.items.count
            try budget.reserve(1)
            try checkRoomToGrow(to: n + 1, capacity: l.items.capacity, itemBytes: MemoryLayout<Object>.stride)
            l.items.insert(args[1], at: Swift.min(Swift.max(Int(i) < 0 ? Int(i) + n : Int(i), 0), n))
        case "pop":
            try count(0...1)
            guard !l.items.isEmpty else { throw LanguageError("pop from an empty list", at: location) }
            let i = args.isEmpty ? l.items.count - 1 : try listIndex(args[0], count: l.items.count, at: location)
            return l.items.remove(at: i)
        case "index", "count", "remove":
            try count(1...1)
            var matches: [Int] = []
            for (i, x) in l.items.enumerated() where try equal(x, args[0], at: location) { matches.append(i) }
            if name == "count" { return .integer(matches.count) }
            guard let first = matches.first else { throw LanguageError("\(args[0].echo) is not in the list", at: location) }
            if name == "index" { return .integer(first) }
            Teardown.drop(l.items.remove(at: first))
        case "reverse":
            try count(0...0)
            l.items.reverse()
        case "copy":
            try count(0...0)
            return try list(l.items)
        default:
            try count(0...0)
            Teardown.release(Teardown.taking(&l.items))
        }
        return .none
    }

    private func dictMethod(
        _ name: String, _ d: DictObject, _ args: ArgumentList,
        _ count: (ClosedRange<Int>) throws(LanguageError) -> Void
    ) throws(LanguageError) -> Object {
        switch name {
        case "keys": try count(0...0); return try list(d.pairs.map(\.key))
        case "values": try count(0...0); return try list(d.pairs.map(\.value))
        case "items": try count(0...0); return try list(d.pairs.map { .tuple([$0.key, $0.value]) })
        case "get", "pop":
            try count(1...2)
            let key = try hashKey(args[0].value, at: args[0].location)
            let found = name == "pop" ? d.remove(key)?.value : d.entries[key]?.value
            guard let value = found ?? args.dropFirst().first?.value ?? (name == "get" ? Object.none : nil) else {
                throw LanguageError("\(args[0].value.echo) is not a key of the dict", at: args[0].location)
            }
            return value
        case "copy":
            try count(0...0)
            let copy = DictObject(budget: budget)
            for hash in d.order { copy.set(hash, d.entries[hash]!.key, d.entries[hash]!.value) }
            return .dict(copy)
        default:
            try count(0...0)
            d.removeAll()
            return .none
        }
    }

    private func stringMethod(
        _ name: String, _ s: String, _ args: ArgumentList,
        _ count: (ClosedRange<Int>) throws(LanguageError) -> Void, at location: SourceLocation
    ) throws(LanguageError) -> Object {
        func text(_ i: Int) throws(LanguageError) -> String {
            guard case .string(let t) = args[i].value else {
                throw LanguageError(".\(name)() takes a string, not \(args[i].value.kindName)", at: args[i].location)
            }
            return t
        }
        switch name {
        case "join":
            try count(1...1)
            var parts: [String] = []
            // (The length is counted as the parts come, so that a join that would be too long
            // stops before it is built: a million copies of a long string is terabytes.)
            var length = 0
            for item in try iterate(args[0].value, at: args[0].location) {
                guard case .string(let t) = item else {
                    throw LanguageError("join takes strings, not \(item.kindName)", at: args[0].location)
                }
                length += t.utf8.count + (parts.isEmpty ? 0 : s.utf8.count)
                if length > limits.stringLength { throw tooLong(at: location) }
                parts.append(t)
            }
            return .string(try checkedString(parts.joined(separator: s), at: location))
        case "split":
            try count(0...1)
            if !args.isEmpty, try text(0).isEmpty {
                throw LanguageError("split's separator cannot be empty; list(s) gives each character", at: location)
            }
            let parts =
                args.isEmpty
                ? s.split(whereSeparator: \.isWhitespace).map(String.init)
                : s.split(separator: try text(0), omittingEmptySubsequences: false).map(String.init)
            return try list(parts.map(Object.string))
        case "strip": try count(0...0); return .string(s.trimmingCharacters)
        case "upper": try count(0...0); return .string(s.uppercased())
        case "lower": try count(0...0); return .string(s.lowercased())
        case "replace": try count(2...2); return .string(try checkedString(s.replacing(try text(0), with: try text(1)), at: location))
        case "startswith": try count(1...1); return .bool(s.hasPrefix(try text(0)))
        case "endswith": try count(1...1); return .bool(s.hasSuffix(try text(0)))
        default:
            throw LanguageError("a string has no method \(name)", at: location)
        }
    }

    /// `"{} and {}".format(a, b)`, `"{0:.4f}".format(x)`, `"{name}".format(name=x)`, with
    /// `{{` and `}}` for braces, as Python's str.format.
    private func formatMethod(_ s: String, _ arguments: Arguments, at location: SourceLocation) throws(LanguageError) -> Object {
        let args = arguments.positional
        var out = "", next = 0
        var chars = try characters(of: s, at: location)[...]
        while let c = chars.popFirst() {
            if c == "}" {
                guard chars.first == "}" else { throw LanguageError("a single '}' in a format string is written }}", at: location) }
                chars.removeFirst()
                out.append("}")
                continue
            }
            guard c == "{" else { out.append(c); continue }
            if chars.first == "{" {
                chars.removeFirst()
                out.append("{")
                continue
            }
            guard let close = chars.firstIndex(of: "}") else {
                throw LanguageError("a '{' in a format string is never closed with '}' (a brace itself is written {{)", at: location)
            }
            let inner = String(chars[..<close])
            chars = chars[(close + 1)...]
            let field = String(inner.prefix { $0 != ":" && $0 != "!" })
            let spec = inner.firstIndex(of: ":").map { String(inner[inner.index(after: $0)...]) } ?? ""
            let conversion = inner.firstIndex(of: "!").map { inner[inner.index(after: $0)...].prefix { $0 != ":" } }
            var value: Object
            if field.isEmpty || field.allSatisfy(\.isNumber) {
                let index = Int(field) ?? next
                next = index + 1
                guard index < args.count else {
                    throw LanguageError(
                        "format has \(args.count) argument\(args.count == 1 ? "" : "s"), too few for {\(inner)} in \(Object.quoted(s))",
                        at: location)
                }
                value = args[index].value
            } else if let named = arguments.labelled(field) {
                value = named.value
            } else {
                throw LanguageError(
                    "format has no argument named \(field) for {\(inner)}; give it one, as in .format(\(field)=…)", at: location)
            }
            switch conversion {
            case nil: break
            case "r": value = .string(try reprText(value, at: location))
            case "s": value = .string(try printedText(value, at: location))
            default: throw LanguageError("a format's conversion is !r or !s, not !\(conversion!)", at: location)
            }
            out += try formatValue(value, spec: spec, at: location)
            if out.utf8.count > limits.stringLength { throw tooLong(at: location) }
        }
        return .string(out)
    }
}

extension String {
    var trimmingCharacters: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
