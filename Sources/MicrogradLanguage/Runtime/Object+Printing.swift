import Micrograd

// Printing, as the tutorial's Python prints.
extension Object {
    /// The text an expression statement echoes (Python's repr): `Value(data=-8.0)`, `-8.0`,
    /// `[1.0, 2.0]`, `'hi'`. Text longer than `reprLimit` is cut short, with a note.
    public var echo: String {
        var budget = Self.reprLimit, tooDeep = false
        let text = repr(budget: &budget, tooDeep: &tooDeep)
        guard budget < 0 else { return text }
        // (How much is shown, said: "longer than 10000000 characters" under 420 items of a
        // list of five million read as though the list were that short.)
        let hint: String
        switch self {
        case .list, .tuple: hint = "; len(x) counts its items, and x[:10] shows the first ten"
        case .dict, .set: hint = "; len(x) counts its items"
        default: hint = ""
        }
        return String(text.prefix(Self.cutEchoLength))
            + "… (cut short: the first \(Self.cutEchoLength) characters of more than \(Self.reprLimit)\(hint))"
    }

    /// The echo; or, if it is longer than `limit` characters, `.tooLong` (so that `str(x)`
    /// of a list of a thousand long strings stops at the limit instead of building
    /// gigabytes); or, if it nests deeper than `reprDepth`, `.tooDeep` (the echo shows
    /// the depths as [...], which `str` must not pass off as the text).
    func repr(limit: Int) -> Result<String, ReprProblem> {
        var budget = limit, tooDeep = false
        let text = repr(budget: &budget, tooDeep: &tooDeep)
        return budget < 0 ? .failure(.tooLong) : tooDeep ? .failure(.tooDeep) : .success(text)
    }

    enum ReprProblem: Error { case tooLong, tooDeep }

    /// How deep containers inside containers are shown; deeper ones print as `[...]`
    /// (Python stops at about this depth too, with an error).
    static let reprDepth = 500
    /// The longest echo shown whole (the longest string, by default), and how much of a
    /// longer one.
    static let reprLimit = Limits().stringLength
    static let cutEchoLength = 2000

    /// The text `print(x)` and `str(x)` write: like the echo, but strings without quotes.
    var printed: String {
        if case .string(let s) = self { return s }
        return echo
    }

    /// How a container past `reprDepth` is shown; nil for anything else.
    private static func cutContainer(_ object: Object) -> String? {
        switch object {
        case .list: "[...]"
        case .tuple: "(...)"
        case .set, .dict: "{...}"
        default: nil
        }
    }

    /// The repr, built until `budget` characters are spent: past that it stops (with
    /// `budget` below 0) and what it has is cut short.
    private func repr(budget: inout Int, tooDeep: inout Bool) -> String {
        var seen: Set<ObjectIdentifier> = []
        return repr(&seen, depth: 0, budget: &budget, tooDeep: &tooDeep)
    }

    private func repr(_ seen: inout Set<ObjectIdentifier>, depth: Int, budget: inout Int, tooDeep: inout Bool) -> String {
        /// `text`, charged to the budget: every character written is, brackets too (a
        /// list of four million empty lists is all brackets).
        func charged(_ text: String) -> String {
            budget -= text.utf8.count
            return text
        }
        if depth >= Self.reprDepth, let cut = Self.cutContainer(self) {
            tooDeep = true
            return charged(cut)
        }
        /// The items' reprs, each charged to the budget with its separator, until it is spent.
        func parts(_ items: some Sequence<Object>) -> [String] {
            var parts: [String] = []
            for item in items {
                guard budget >= 0 else { break }
                if !parts.isEmpty { budget -= 2 }  // ", "
                parts.append(item.repr(&seen, depth: depth + 1, budget: &budget, tooDeep: &tooDeep))
            }
            return parts
        }
        let text: String
        switch self {
        case .none: text = "None"
        case .bool(let b): text = b ? "True" : "False"
        case .number(let x): text = x.pythonDescription
        case .integer(let i): text = String(i)
        case .value(let v): text = v.description
        case .string(let s):
            // (A string far longer than the budget is not escaped whole first.)
            text = Self.quoted(s.utf8.count > budget ? String(s.prefix(max(0, budget) + 1)) : s)
        case .list(let l):
            // A list inside itself prints as [...], as Python's does.
            guard seen.insert(ObjectIdentifier(l)).inserted else { return charged("[...]") }
            defer { seen.remove(ObjectIdentifier(l)) }
            budget -= 2
            return "[" + parts(l.items).joined(separator: ", ") + "]"
        case .tuple(let t):
            budget -= 2
            let parts = parts(t.items)
            if parts.count == 1 { budget -= 1 }  // (x,)
            return parts.count == 1 ? "(" + parts[0] + ",)" : "(" + parts.joined(separator: ", ") + ")"
        case .set(let s):
            if s.order.isEmpty { return charged("set()") }
            budget -= 2
            return "{" + parts(s.items).joined(separator: ", ") + "}"
        case .dict(let d):
            guard seen.insert(ObjectIdentifier(d)).inserted else { return charged("{...}") }
            defer { seen.remove(ObjectIdentifier(d)) }
            budget -= 2
            var parts: [String] = []
            for (key, value) in d.pairs {
                guard budget >= 0 else { break }
                budget -= parts.isEmpty ? 2 : 4  // ": ", and ", " before all but the first
                let k = key.repr(&seen, depth: depth + 1, budget: &budget, tooDeep: &tooDeep)
                parts.append(k + ": " + value.repr(&seen, depth: depth + 1, budget: &budget, tooDeep: &tooDeep))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .function(let f):
            if case .expression(let body) = f.definition.body, f.definition.isOneLine {
                text = "\(f.signature) = \(body)"
            } else {
                text = "<function \(f.signature)>"
            }
        case .builtin(let b): text = b.isType ? "<class '\(b.rawValue)'>" : "<built-in \(b.rawValue)>  " + b.usage
        case .method(let receiver, let name): text = "<method \(name) of \(receiver.kindName)>"
        case .module(let m): text = "<module '\(m.rawValue)'>"
        case .network(let n): text = Self.describe(n)
        }
        budget -= text.utf8.count
        return text
    }

    static func describe(_ n: any Network) -> String {
        switch n {
        case let m as MLP:
            // (With its activations, as it would be made: MLP(2, [16, 16, 1]) typed from
            // micrograd's demo is tanh throughout here, not the demo's relu, and says so.)
            let hidden = m.layers.first?.neurons.first?.activation ?? .tanh
            let output = m.layers.last?.neurons.first?.activation ?? hidden
            let sizes = m.layers.map { String($0.neurons.count) }.joined(separator: ", ")
            return "MLP(\(m.inputCount), [\(sizes)], activation='\(hidden.rawValue)'"
                + (output == hidden || m.layers.count == 1 ? "" : ", output='\(output.rawValue)'") + ")"
        case let l as Layer:
            let inputs = l.neurons.first?.inputCount ?? 0
            let activation = l.neurons.first.map { $0.activation.rawValue + " " } ?? ""
            return
                "Layer of \(l.neurons.count) \(activation)neuron\(l.neurons.count == 1 ? "" : "s") of \(inputs) input\(inputs == 1 ? "" : "s")"
        case let neuron as Neuron:
            return "\(neuron.activation.rawValue.capitalizedFirst)Neuron(\(neuron.inputCount))"
        default:
            return "a network"
        }
    }

    /// A string as Python's repr writes it: in single quotes (double when it holds a single
    /// quote and no double one), with backslash escapes for what cannot be shown.
    static func quoted(_ s: String) -> String {
        let quote: Unicode.Scalar = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        return String(quote) + s.escaped(quote: quote) + String(quote)
    }
}

extension Unicode.Scalar {
    /// Whether it is a control character (a line end, an escape, a NUL…), which a terminal
    /// or another program reading the text takes as an order, not as text.
    var isControl: Bool { properties.generalCategory == .control }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    var hasControlCharacters: Bool { unicodeScalars.contains { $0.isControl } }

    /// The text as Python's repr writes it between its quotes: control characters as
    /// escapes (`\n`, `\t`, `\r`, `\x1b`), and, given the `quote`, that quote and
    /// backslashes escaped too. Without a quote, it is how a label is drawn in tables and
    /// graphs: it cannot break a line or send the terminal an escape sequence.
    public func escaped(quote: Unicode.Scalar? = nil) -> String {
        if quote == nil, !hasControlCharacters { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if quote != nil && (scalar == "\\" || scalar == quote) {
                    out += "\\" + String(scalar)
                } else if scalar.isControl {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
