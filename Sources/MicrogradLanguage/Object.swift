import Micrograd

/// Anything a name can be bound to, or an expression can produce.
public enum Object {
    /// A plain number: `a.data`, `len(xs)`, `3.0` before it is assigned.
    case number(Double)
    /// A whole number, kept whole as Python keeps ints: `len(xs)`, `range(3)`, `2 + 3`.
    case integer(Int)
    /// A node of the session's graph.
    case value(Value)
    case string(String)
    case list([Object])
    case function(UserFunction)
    case builtin(Builtin)
    case model(MLP)
    case layer(Layer)
    case neuron(Neuron)
    /// What a statement such as `L.backward()` gives: nothing to print.
    case none

    /// What kind of thing this is, for error messages: "a Value", "a list", …
    public var kindName: String {
        switch self {
        case .number, .integer: "a number"
        case .value: "a Value"
        case .string: "a string"
        case .list: "a list"
        case .function(let f): "the function \(f.name)"
        case .builtin(let b): "the built-in \(b.rawValue)"
        case .model: "an MLP"
        case .layer: "a Layer"
        case .neuron: "a Neuron"
        case .none: "nothing"
        }
    }

    /// Every number inside (a Value's data, a list's items), for spotting inf and NaN.
    var numbers: [Double] {
        switch self {
        case .number(let x): [x]
        case .integer(let i): [Double(i)]
        case .value(let v): [v.data]
        case .list(let items): items.flatMap(\.numbers)
        default: []
        }
    }
}

/// `f(x) = 3*x**2 - 4*x + 5`: parameters and a body, evaluated when called.
public struct UserFunction {
    public var name: String
    public var parameters: [String]
    public var body: Expr

    public var signature: String { "\(name)(\(parameters.joined(separator: ", ")))" }
}

/// The functions every session starts with.
public enum Builtin: String, CaseIterable, Sendable {
    case tanh, exp, log, relu, sigmoid
    case len, sum, range, zip, abs, print
    case Value, MLP, Layer, Neuron
    case moons, moons_init

    /// The op a one-argument math built-in applies, if it is one.
    var unaryOp: Op? {
        switch self {
        case .tanh: .tanh
        case .exp: .exp
        case .log: .log
        case .relu: .relu
        case .sigmoid: .sigmoid
        default: nil
        }
    }

    /// One line for `:help` and error messages.
    var usage: String {
        switch self {
        case .tanh, .exp, .log, .relu, .sigmoid: "\(rawValue)(x): of a number, a Value (recorded on the graph) or each item of a list"
        case .len: "len(xs): how many items a list has"
        case .sum: "sum(xs): 0 + xs[0] + xs[1] + …, as Python adds; also sum(f(x) for x in xs)"
        case .range: "range(n) or range(a, b): the numbers a, a+1, …, b-1"
        case .zip: "zip(xs, ys): the pairs [xs[0], ys[0]], [xs[1], ys[1]], …"
        case .abs: "abs(x): the size of a number"
        case .print: "print(x, …): prints its arguments on one line"
        case .Value: "Value(2.0) or Value(2.0, label='a'): a new leaf"
        case .MLP: "MLP(3, [4, 4, 1]): a network of 3 inputs; activation='relu', output='linear' change its neurons"
        case .Layer: "Layer(3, 4): 4 neurons of 3 inputs each"
        case .Neuron: "Neuron(3): one neuron of 3 inputs (tanh unless activation='relu' or 'linear')"
        case .moons: "xs, ys = moons(): micrograd's 100 two-moons points and their labels (-1 or 1)"
        case .moons_init: "moons_init(): the 337 starting weights of micrograd's MLP(2, [16, 16, 1]) demo"
        }
    }
}

// MARK: - Printing, as the tutorial's Python prints

extension Object {
    /// The text an expression statement echoes: `Value(data=-8.0)`, `-8.0`, `[1.0, 2.0]`.
    public var echo: String {
        switch self {
        case .number(let x): x.pythonDescription
        case .integer(let i): String(i)
        case .value(let v): v.description
        case .string(let s): "'" + s + "'"
        case .list(let items): "[" + items.map(\.echo).joined(separator: ", ") + "]"
        case .function(let f): "\(f.signature) = \(f.body)"
        case .builtin(let b): "<built-in \(b.rawValue)>  " + b.usage
        case .model(let m): "MLP(\(m.inputCount), [\(m.layers.map { String($0.neurons.count) }.joined(separator: ", "))])"
        case .layer(let l):
            "Layer of \(l.neurons.count) neuron\(l.neurons.count == 1 ? "" : "s") of \(l.neurons.first?.inputCount ?? 0) input\((l.neurons.first?.inputCount ?? 0) == 1 ? "" : "s")"
        case .neuron(let n): "\(n.activation.rawValue.capitalizedFirst)Neuron(\(n.inputCount))"
        case .none: ""
        }
    }

    /// The text `print(x)` writes: like the echo, but strings without quotes.
    var printed: String {
        if case .string(let s) = self { return s }
        return echo
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension Object {
    var isValue: Bool {
        if case .value = self { return true }
        return false
    }

    var isList: Bool {
        if case .list = self { return true }
        return false
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
