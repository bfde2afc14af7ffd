/// An arithmetic operator: `+ - * / // % **`.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//", remainder = "%", power = "**"

    /// The verb for an error message: "cannot add a string and a number".
    var verb: String {
        switch self {
        case .add: "add"
        case .subtract: "subtract"
        case .multiply: "multiply"
        case .divide, .floorDivide: "divide"
        case .remainder: "take the remainder of"
        case .power: "raise"
        }
    }
}

/// `-x`, `+x`.
public enum UnaryOperator: String, Sendable {
    case negate = "-", plus = "+"
}

/// A comparison: `== != < <= > >= in not in is is not`.
public enum ComparisonOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case contains = "in", notContains = "not in", identical = "is", notIdentical = "is not"
}

/// An expression, with the place it starts (or, for an operator, where the operator is).
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case number(Double)
        case integer(Int)
        case string(String)
        /// An f-string: literal text and `{expression:spec}` parts, in order.
        case formatted([FormattedPart])
        case bool(Bool)
        case none
        case name(String)
        case list([Expr])
        case tuple([Expr])
        case set([Expr])
        case dict([(key: Expr, value: Expr)])
        /// `[element for … in … if …]`, `(… for …)` and `{… for …}`.
        case comprehension(Comprehension)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `a < b <= c`: each comparison in turn, as Python chains them.
        case compare(Expr, [(ComparisonOperator, Expr)])
        case and(Expr, Expr)
        case or(Expr, Expr)
        case not(Expr)
        /// `then if test else otherwise`.
        case conditional(test: Expr, then: Expr, otherwise: Expr)
        case lambda(FunctionDefinition)
        case call(Expr, [CallArgument])
        case attribute(Expr, String)
        case index(Expr, Expr)
        /// `lower:upper:step` inside brackets.
        case slice(Expr?, Expr?, Expr?)
    }

    public var kind: Kind
    public var location: SourceLocation

    /// Whether this is a float written out, perhaps with a sign (`2.0`, `-3.0`).
    var isFloatLiteral: Bool {
        switch kind {
        case .number: true
        case .unary(_, let inner): inner.isFloatLiteral
        default: false
        }
    }

    /// How many levels the tree goes down from here (1 for a number or a name).
    public private(set) var depth: Int

    public init(kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
        var deepest = 0
        func see(_ e: Expr?) { if let e, e.depth > deepest { deepest = e.depth } }
        switch kind {
        case .number, .integer, .string, .bool, .none, .name, .lambda: break
        case .formatted(let parts): for case .expression(let e, _, _) in parts { see(e) }
        case .list(let items), .tuple(let items), .set(let items): items.forEach(see)
        case .dict(let pairs): for p in pairs { see(p.key); see(p.value) }
        case .comprehension(let c):
            see(c.element)
            for clause in c.clauses {
                switch clause {
                case .for(_, let iterable): see(iterable)
                case .if(let test): see(test)
                }
            }
        case .unary(_, let x), .not(let x): see(x)
        case .binary(_, let l, let r), .and(let l, let r), .or(let l, let r): see(l); see(r)
        case .compare(let first, let rest): see(first); rest.forEach { see($0.1) }
        case .conditional(let t, let a, let b): see(t); see(a); see(b)
        case .call(let f, let args): see(f); args.forEach { see($0.value) }
        case .attribute(let b, _): see(b)
        case .index(let b, let i): see(b); see(i)
        case .slice(let a, let b, let c): see(a); see(b); see(c)
        }
        depth = deepest + 1
    }
}

/// A part of an f-string.
public enum FormattedPart: Sendable {
    case text(String)
    /// An expression, its conversion (`!r`, `!s`) and its format spec (`.4f`).
    case expression(Expr, conversion: Character?, spec: String)
}

/// `element for targets in iterable if test …`
public struct Comprehension: Sendable {
    public enum Kind: Sendable { case list, generator, set }
    public enum Clause: Sendable {
        case `for`(Target, Expr)
        case `if`(Expr)
    }

    public var kind: Kind
    public var element: Expr
    public var clauses: [Clause]
}

/// A call's argument, positional or `name=value`.
public struct CallArgument: Sendable {
    public var label: String?
    public var value: Expr
}

/// What can be assigned to: a name, an attribute, an item, or several at once.
public indirect enum Target: Sendable {
    case name(String, SourceLocation)
    case attribute(Expr, String, SourceLocation)
    case index(Expr, Expr, SourceLocation)
    /// `a, b = …` and `[a, b] = …`.
    case unpack([Target], SourceLocation)

    var location: SourceLocation {
        switch self {
        case .name(_, let l), .attribute(_, _, let l), .index(_, _, let l), .unpack(_, let l): l
        }
    }

    /// Every name this target binds.
    var names: [String] {
        switch self {
        case .name(let n, _): [n]
        case .unpack(let parts, _): parts.flatMap(\.names)
        case .attribute, .index: []
        }
    }
}

/// A function's parameter, with its default value if it has one.
public struct Parameter: Sendable {
    public var name: String
    public var defaultValue: Expr?
    public var location: SourceLocation
}

/// `def name(parameters): body`, `lambda parameters: body`, or the notebook's one-line
/// `name(parameters) = body`.
public final class FunctionDefinition: Sendable {
    public enum Body: Sendable {
        /// A lambda's or a one-line function's expression.
        case expression(Expr)
        case block([Statement])
    }

    public let name: String
    public let parameters: [Parameter]
    public let body: Body
    public let location: SourceLocation
    /// The names the body assigns: local to each call, unless declared global or nonlocal.
    let locals: Set<String>
    /// A bit for the length of each of `locals` (bit `length % 64`): an ASCII name whose
    /// bit is not set is not one of them, found without hashing it (see
    /// `Environment.isLocal`).
    let localLengths: UInt64
    let globals: Set<String>
    let nonlocals: Set<String>
    /// The text the definition is in, for errors in its body.
    let source: Source?

    init(name: String, parameters: [Parameter], body: Body, location: SourceLocation, source: Source?) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.location = location
        self.source = source
        var scope = ScopeNames()
        for p in parameters { scope.assigned.insert(p.name) }
        if case .block(let statements) = body { scope.collect(statements) }
        globals = scope.globals
        nonlocals = scope.nonlocals
        locals = scope.assigned.subtracting(scope.globals).subtracting(scope.nonlocals)
        // (Every bit, if a local is not ASCII: it may equal a name of another length.)
        localLengths =
            locals.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } } ? locals.reduce(0) { $0 | 1 << UInt64($1.utf8.count & 63) } : ~0
    }

    /// `name(a, b=1)`, as help and errors show it.
    public var signature: String {
        "\(name)(" + parameters.map { p in p.name + (p.defaultValue.map { "=\($0)" } ?? "") }.joined(separator: ", ") + ")"
    }

    /// Whether it is the notebook's `f(x) = …` form.
    public var isOneLine: Bool {
        if case .expression = body, name != "<lambda>" { return true }
        return false
    }
}

/// The names a function body binds, as Python decides what is local: any name assigned,
/// looped over, defined or imported anywhere in the body (but not in nested functions).
private struct ScopeNames {
    var assigned: Set<String> = []
    var globals: Set<String> = []
    var nonlocals: Set<String> = []

    mutating func collect(_ statements: [Statement]) {
        for s in statements { collect(s) }
    }

    mutating func collect(_ statement: Statement) {
        switch statement.kind {
        case .assignment(let targets, _): for t in targets { assigned.formUnion(t.names) }
        case .augmented(let target, _, _): assigned.formUnion(target.names)
        case .function(let f): assigned.insert(f.name)
        case .for(let target, _, let body, let otherwise):
            assigned.formUnion(target.names)
            collect(body)
            collect(otherwise)
        case .while(_, let body, let otherwise):
            collect(body)
            collect(otherwise)
        case .if(let branches, let otherwise):
            for b in branches { collect(b.body) }
            collect(otherwise)
        case .import(let modules): for m in modules { assigned.insert(m.alias) }
        case .global(let names): globals.formUnion(names)
        case .nonlocal(let names): nonlocals.formUnion(names)
        case .delete(let targets): for t in targets { assigned.formUnion(t.names) }
        case .expression, .return, .break, .continue, .pass, .assert, .command: break
        }
    }
}

/// One statement of the notebook language.
public struct Statement: Sendable {
    public indirect enum Kind: Sendable {
        /// An expression, whose value is shown at the prompt.
        case expression(Expr)
        /// `a = b = value`: every target gets the value.
        case assignment([Target], Expr)
        /// `target += value` and the like.
        case augmented(Target, BinaryOperator, Expr)
        /// `def`, or the one-line `f(x) = …`.
        case function(FunctionDefinition)
        case `for`(Target, Expr, body: [Statement], else: [Statement])
        case `while`(Expr, body: [Statement], else: [Statement])
        case `if`([(test: Expr, body: [Statement])], else: [Statement])
        case `return`(Expr?)
        case `break`, `continue`, pass
        /// `import math` or `import math as m, random`: each module and the name it is bound to.
        case `import`([(module: String, alias: String)])
        case global([String])
        case nonlocal([String])
        case delete([Target])
        case assert(Expr, Expr?)
        /// `:grad L`: a command of the notebook, on a line of its own.
        case command(CommandLine)
    }

    public var kind: Kind
    public var location: SourceLocation
    /// An expression written with ';' after it, as IPython's `xs.pop();`: its value is not shown.
    public var isSilenced = false

    /// Whether it can do part of its work and then fail: a loop (earlier rounds stay done)
    /// or an `if` (whose block can hold several statements).
    var hasRounds: Bool {
        switch kind {
        case .for, .while, .if: true
        default: false
        }
    }
}
