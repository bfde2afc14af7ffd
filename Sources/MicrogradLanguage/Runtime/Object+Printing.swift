import Micrograd

// Printing, as the tutorial's Python prints.
extension Object {
    /// The text an expression statement echoes (Python's repr): `Value(data=-8.0)`, `-8.0`,
    /// `[1.0, 2.0]`, `'hi'`.
    public var echo: String {
        var seen: Set<ObjectIdentifier> = []
        return repr(&seen, depth: 0)
    }

    /// How deep containers inside containers are shown; deeper ones print as `[...]`
    /// (Python stops at about this depth too, with an error).
    static let reprDepth = 500

    /// The text `print(x)` and `str(x)` write: like the echo, but strings without quotes.
    var printed: String {
        if case .string(let s) = self { return s }
        return echo
    }

    private func repr(_ seen: inout Set<ObjectIdentifier>, depth: Int) -> String {
        if depth >= Self.reprDepth {
            switch self {
            case .list: return "[...]"
            case .tuple: return "(...)"
            case .set, .dict: return "{...}"
            default: break
            }
        }
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .number(let x): return x.pythonDescription
        case .integer(let i): return String(i)
        case .value(let v): return v.description
        case .string(let s): return Self.quoted(s)
        case .list(let l):
            // A list inside itself prints as [...], as Python's does.
            guard seen.insert(ObjectIdentifier(l)).inserted else { return "[...]" }
            defer { seen.remove(ObjectIdentifier(l)) }
            var parts: [String] = []
            for item in l.items { parts.append(item.repr(&seen, depth: depth + 1)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .tuple(let items):
            var parts: [String] = []
            for item in items { parts.append(item.repr(&seen, depth: depth + 1)) }
            return parts.count == 1 ? "(" + parts[0] + ",)" : "(" + parts.joined(separator: ", ") + ")"
        case .set(let s):
            if s.order.isEmpty { return "set()" }
            var parts: [String] = []
            for item in s.items { parts.append(item.repr(&seen, depth: depth + 1)) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .dict(let d):
            guard seen.insert(ObjectIdentifier(d)).inserted else { return "{...}" }
            defer { seen.remove(ObjectIdentifier(d)) }
            var parts: [String] = []
            for (key, value) in d.pairs { parts.append(key.repr(&seen, depth: depth + 1) + ": " + value.repr(&seen, depth: depth + 1)) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .function(let f):
            if case .expression(let body) = f.definition.body, f.definition.isOneLine {
                return "\(f.signature) = \(body)"
            }
            return "<function \(f.signature)>"
        case .builtin(let b): return b.isType ? "<class '\(b.rawValue)'>" : "<built-in \(b.rawValue)>  " + b.usage
        case .method(let receiver, let name): return "<method \(name) of \(receiver.kindName)>"
        case .module(let m): return "<module '\(m.rawValue)'>"
        case .network(let n): return Self.describe(n)
        }
    }

    static func describe(_ n: any Network) -> String {
        switch n {
        case let m as MLP:
            return "MLP(\(m.inputCount), [\(m.layers.map { String($0.neurons.count) }.joined(separator: ", "))])"
        case let l as Layer:
            let inputs = l.neurons.first?.inputCount ?? 0
            return "Layer of \(l.neurons.count) neuron\(l.neurons.count == 1 ? "" : "s") of \(inputs) input\(inputs == 1 ? "" : "s")"
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

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    /// The text as Python's repr writes it between its quotes: control characters as
    /// escapes (`\n`, `\t`, `\r`, `\x1b`), and, given the `quote`, that quote and
    /// backslashes escaped too. Without a quote, it is how a label is drawn in tables and
    /// graphs: it cannot break a line or send the terminal an escape sequence.
    func escaped(quote: Unicode.Scalar? = nil) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.generalCategory == .control }
        if quote == nil, !unicodeScalars.contains(where: isControl) { return self }
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if quote != nil && (scalar == "\\" || scalar == quote) {
                    out += "\\" + String(scalar)
                } else if isControl(scalar) {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
