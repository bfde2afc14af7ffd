import Micrograd

// Expressions printed back as text, with as few parentheses as Python's precedence needs,
// so that what is printed reads back as the same tree.
extension Expr: CustomStringConvertible {
    public var description: String { printed(context: 0) }

    /// Binding strength, weakest first: lambda 1, conditional 2, or 3, and 4, not 5,
    /// comparison 6, sums 7, products 8, unary minus 9, power 10, calls and atoms 11.
    private var precedence: Int {
        switch kind {
        case .lambda: 1
        case .conditional: 2
        case .or: 3
        case .and: 4
        case .not: 5
        case .compare: 6
        case .binary(let op, _, _):
            switch op {
            case .add, .subtract: 7
            case .power: 10
            default: 8
            }
        case .unary: 9
        case .number(let x): x < 0 || (x == 0 && x.sign == .minus) ? 9 : 11
        case .integer(let i): i < 0 ? 9 : 11
        default: 11  // a tuple too: it is printed with its own brackets
        }
    }

    private func printed(context: Int) -> String {
        let text: String
        switch kind {
        case .number(let x): text = x.pythonDescription
        case .integer(let i): text = String(i)
        case .string(let s): text = Object.string(s).echo
        case .formatted(let parts):
            text =
                "f'"
                + parts.map { part in
                    switch part {
                    case .text(let t): t.replacing("{", with: "{{").replacing("}", with: "}}")
                    case .expression(let e, let conversion, let spec):
                        "{" + e.description + (conversion.map { "!\($0)" } ?? "") + (spec.isEmpty ? "" : ":" + spec) + "}"
                    }
                }.joined() + "'"
        case .bool(let b): text = b ? "True" : "False"
        case .none: text = "None"
        case .name(let n): text = n
        case .list(let items): text = "[" + items.map { $0.printed(context: 1) }.joined(separator: ", ") + "]"
        case .tuple(let items):
            text =
                items.count == 1
                ? "(" + items[0].printed(context: 1) + ",)"
                : "(" + items.map { $0.printed(context: 1) }.joined(separator: ", ") + ")"
        case .set(let items): text = "{" + items.map { $0.printed(context: 1) }.joined(separator: ", ") + "}"
        case .dict(let pairs):
            text = "{" + pairs.map { "\($0.key.printed(context: 1)): \($0.value.printed(context: 1))" }.joined(separator: ", ") + "}"
        case .comprehension(let c):
            let clauses = c.clauses.map { clause in
                switch clause {
                case .for(let target, let iterable): " for \(target) in \(iterable.printed(context: 3))"
                case .if(let test): " if \(test.printed(context: 3))"
                }
            }.joined()
            let inner = c.element.printed(context: 1) + clauses
            text =
                switch c.kind {
                case .list: "[" + inner + "]"
                case .set: "{" + inner + "}"
                case .generator: "(" + inner + ")"
                }
        case .unary(let op, let operand): text = op.rawValue + operand.printed(context: 9)
        case .binary(let op, let l, let r):
            let p = precedence
            // Left-associative except **, which groups to the right and lets its exponent be unary.
            let (lc, rc) = op == .power ? (11, 9) : (p, p + 1)
            let spaced = op == .power ? op.rawValue : " \(op.rawValue) "
            text = l.printed(context: lc) + spaced + r.printed(context: rc)
        case .compare(let first, let rest):
            text = first.printed(context: 7) + rest.map { " \($0.0.rawValue) " + $0.1.printed(context: 7) }.joined()
        case .and(let l, let r): text = l.printed(context: 4) + " and " + r.printed(context: 5)
        case .or(let l, let r): text = l.printed(context: 3) + " or " + r.printed(context: 4)
        case .not(let x): text = "not " + x.printed(context: 5)
        case .conditional(let test, let then, let otherwise):
            text = then.printed(context: 3) + " if " + test.printed(context: 3) + " else " + otherwise.printed(context: 2)
        case .lambda(let f):
            guard case .expression(let body) = f.body else { text = "lambda: …"; break }
            let params = f.parameters.map { p in p.name + (p.defaultValue.map { "=" + $0.printed(context: 1) } ?? "") }
            text = "lambda" + (params.isEmpty ? "" : " " + params.joined(separator: ", ")) + ": " + body.printed(context: 1)
        case .call(let callee, let args):
            let list = args.map { ($0.label.map { $0 + "=" } ?? "") + $0.value.printed(context: 1) }
            text = callee.printed(context: 11) + "(" + list.joined(separator: ", ") + ")"
        case .attribute(let base, let name):
            // A number before a dot needs parentheses to read back: (2).exp(), not 2.exp().
            text = (base.kind.isNumberLiteral ? "(" + base.printed(context: 0) + ")" : base.printed(context: 11)) + "." + name
        case .index(let base, let i): text = base.printed(context: 11) + "[" + i.printed(context: 0) + "]"
        case .slice(let a, let b, let c):
            text = (a?.printed(context: 1) ?? "") + ":" + (b?.printed(context: 1) ?? "") + (c.map { ":" + $0.printed(context: 1) } ?? "")
        }
        return precedence < context ? "(" + text + ")" : text
    }
}

extension Target: CustomStringConvertible {
    public var description: String {
        switch self {
        case .name(let n, _): n
        case .attribute(let base, let name, _): Expr(kind: .attribute(base, name), location: base.location).description
        case .index(let base, let i, _): Expr(kind: .index(base, i), location: base.location).description
        case .unpack(let parts, _): parts.map(\.description).joined(separator: ", ")
        }
    }
}

extension Expr.Kind {
    var isNumberLiteral: Bool {
        switch self {
        case .number, .integer: true
        default: false
        }
    }
}
