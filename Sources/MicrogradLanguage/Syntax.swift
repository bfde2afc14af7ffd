/// An expression, with the place it starts (or, for an operator, where the operator is).
public struct Expr: Equatable, Sendable {
    public indirect enum Kind: Equatable, Sendable {
        case number(Double)
        case integer(Int)
        case string(String)
        case name(String)
        case list([Expr])
        /// `[element for a, b in iterable]`, and the same in `sum(… for …)`.
        case comprehension(element: Expr, targets: [String], iterable: Expr)
        case unary(String, Expr)
        case binary(String, Expr, Expr)
        case call(Expr, [CallArgument])
        case attribute(Expr, String)
        case index(Expr, Expr)
    }

    public var kind: Kind
    public var location: SourceLocation
    /// How many levels the tree goes down from here (1 for a number or a name).
    public private(set) var depth: Int

    public init(kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
        let children: [Expr] = switch kind {
        case .number, .integer, .string, .name: []
        case .list(let items): items
        case .comprehension(let e, _, let i): [e, i]
        case .unary(_, let x): [x]
        case .binary(_, let l, let r): [l, r]
        case .call(let f, let args): [f] + args.map(\.value)
        case .attribute(let b, _): [b]
        case .index(let b, let i): [b, i]
        }
        depth = 1 + (children.map(\.depth).max() ?? 0)
    }
}

/// A call's argument, positional or `name=value`.
public struct CallArgument: Equatable, Sendable {
    public var label: String?
    public var value: Expr
}

/// One statement of the notebook language.
public struct Statement: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// An expression whose value is printed.
        case expression(Expr)
        /// `target = value`, or `target += value` (op "+") and the like.
        case assignment(target: Expr, op: String?, value: Expr)
        /// `f(x, y) = body`
        case function(name: String, parameters: [String], body: Expr)
        /// `for a, b in iterable: statement; statement`
        case loop(targets: [String], iterable: Expr, body: [Statement])
    }

    public var kind: Kind
    public var location: SourceLocation
}

// MARK: - Printing, with as few parentheses as Python's precedence needs

extension Expr: CustomStringConvertible {
    public var description: String { printed(context: 0) }

    /// Binding strength: sums 1, products 2, unary minus 3, power 4, calls and atoms 5.
    private var precedence: Int {
        switch kind {
        case .binary(let op, _, _): op == "+" || op == "-" ? 1 : op == "**" ? 4 : 2
        case .unary: 3
        case .number(let x): x < 0 || (x == 0 && x.sign == .minus) ? 3 : 5
        case .integer(let i): i < 0 ? 3 : 5
        default: 5
        }
    }

    private func printed(context: Int) -> String {
        let text: String
        switch kind {
        case .number(let x): text = x.pythonDescription
        case .integer(let i): text = String(i)
        case .string(let s): text = "'" + s + "'"
        case .name(let n): text = n
        case .list(let items): text = "[" + items.map { $0.printed(context: 0) }.joined(separator: ", ") + "]"
        case .comprehension(let element, let targets, let iterable):
            text = "[\(element.printed(context: 0)) for \(targets.joined(separator: ", ")) in \(iterable.printed(context: 0))]"
        case .unary(let op, let operand): text = op + operand.printed(context: 3)
        case .binary(let op, let l, let r):
            let p = precedence
            // Left-associative except **, which groups to the right and lets its exponent be unary.
            let (lc, rc) = op == "**" ? (5, 3) : (p, p + 1)
            let spaced = op == "**" ? op : " \(op) "
            text = l.printed(context: lc) + spaced + r.printed(context: rc)
        case .call(let callee, let args):
            let list = args.map { ($0.label.map { $0 + "=" } ?? "") + $0.value.printed(context: 0) }
            text = callee.printed(context: 5) + "(" + list.joined(separator: ", ") + ")"
        case .attribute(let base, let name):
            // A number before a dot needs parentheses to read back: (2).exp(), not 2.exp().
            text = (base.kind.isNumberLiteral ? "(" + base.printed(context: 0) + ")" : base.printed(context: 5)) + "." + name
        case .index(let base, let i): text = base.printed(context: 5) + "[" + i.printed(context: 0) + "]"
        }
        return precedence < context ? "(" + text + ")" : text
    }
}

import Micrograd
