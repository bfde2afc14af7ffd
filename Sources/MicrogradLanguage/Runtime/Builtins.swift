import Micrograd

/// The functions every session starts with.
public enum Builtin: String, CaseIterable, Sendable {
    /// The built-in a name means, if any. A name as short as every built-in's is kept in
    /// the String itself, so it is first looked for by its two words (a few integer
    /// comparisons); a name not found that way is hashed once (the enum's own
    /// `init(rawValue:)` would compare it with every case in turn, a call each).
    static func named(_ name: String) -> Builtin? {
        let words = name.representationWords
        // (Looked for among the built-ins whose words have the same top byte, which holds
        // a short string's length: a handful, not all fifty.)
        for (builtin, spelling) in spellings[Int(words.1 >> 56)] where spelling == words { return builtin }
        return byName[name]
    }
    private static let byName = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
    /// The built-ins' words, by the top byte of the second word.
    private static let spellings: [[(Builtin, (UInt64, UInt64))]] = {
        var table = [[(Builtin, (UInt64, UInt64))]](repeating: [], count: 256)
        for b in allCases {
            let words = b.rawValue.representationWords
            table[Int(words.1 >> 56)].append((b, words))
        }
        return table
    }()

    case tanh, exp, log, relu, sigmoid
    case len, sum, range, zip, abs, print
    case Value, MLP, Layer, Neuron
    case moons, moons_init
    case min, max, round, reversed, enumerate, sorted, any, all, map, filter
    case int, float, str, repr, bool, list, tuple, set, dict
    case isinstance, type, help, exit, quit

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

    /// Whether it is a type (`int`, `Value`…), which `isinstance` and `type` speak of.
    var isType: Bool {
        switch self {
        case .int, .float, .str, .bool, .list, .tuple, .set, .dict, .Value, .MLP, .Layer, .Neuron: true
        default: false
        }
    }

    /// The names of the arguments it takes by name.
    var labels: Set<String> {
        switch self {
        case .Value: ["data", "label", "_children", "_op"]
        case .MLP: ["activation", "output"]
        case .Layer, .Neuron: ["activation"]
        case .print: ["sep", "end"]
        case .sorted: ["key", "reverse"]
        case .min, .max: ["key"]
        case .sum: ["start"]
        case .enumerate: ["start"]
        default: []
        }
    }

    /// One line for `:help` and error messages.
    var usage: String {
        switch self {
        case .tanh, .exp, .log, .relu, .sigmoid: "\(rawValue)(x): of a number, a Value (recorded on the graph) or each item of a list"
        case .len: "len(xs): how many items a list has"
        case .sum: "sum(xs): 0 + xs[0] + xs[1] + …, as Python adds; also sum(f(x) for x in xs) and sum(xs, start)"
        case .range: "range(n) or range(a, b): the numbers a, a+1, …, b-1"
        case .zip: "zip(xs, ys): the pairs (xs[0], ys[0]), (xs[1], ys[1]), …"
        case .abs: "abs(x): the size of a number"
        case .print: "print(x, …): prints its arguments on one line (sep=' ' between, end='\\n' after)"
        case .Value: "Value(2.0) or Value(2.0, label='a'): a new leaf; Value(data, (a, b), 'op') a node of your own"
        case .MLP:
            "MLP(3, [4, 4, 1]): 3 inputs, layers of 4, 4 and 1 neurons, tanh throughout (the video's); MLP(2, [16, 16, 1], activation='relu', output='linear') is micrograd's repo's"
        case .Layer: "Layer(3, 4): 4 neurons of 3 inputs each"
        case .Neuron: "Neuron(3): one neuron of 3 inputs (tanh unless activation='relu' or 'linear')"
        case .moons: "xs, ys = moons(): micrograd's 100 two-moons points and their labels (-1 or 1)"
        case .moons_init: "moons_init(): the 337 starting weights of micrograd's MLP(2, [16, 16, 1]) demo"
        case .min, .max: "\(rawValue)(xs) or \(rawValue)(a, b, …): the \(self == .min ? "smallest" : "largest") (Values by their data)"
        case .round: "round(x) or round(x, n): to a whole number, or to n decimals"
        case .reversed: "reversed(xs): the items last to first"
        case .enumerate: "enumerate(xs): the pairs (0, xs[0]), (1, xs[1]), …"
        case .sorted: "sorted(xs): the items smallest first (key=f to sort by f(x), reverse=True)"
        case .any: "any(xs): whether some item is true"
        case .all: "all(xs): whether every item is true"
        case .map: "map(f, xs): [f(x) for x in xs]; map(f, xs, ys): [f(x, y) for x, y in zip(xs, ys)]"
        case .filter: "filter(f, xs): [x for x in xs if f(x)]"
        case .int: "int(x): a whole number (toward 0), from a number or a string"
        case .float: "float(x): a plain number, from a number, a Value's data or a string"
        case .str: "str(x): x as text, as print shows it"
        case .repr: "repr(x): x as text, as its echo shows it (a string in quotes)"
        case .bool: "bool(x): whether x is true (0, '', [], None are not)"
        case .list: "list(xs): a new list of the items"
        case .tuple: "tuple(xs): a tuple of the items"
        case .set: "set() or set(xs): a set (each item once)"
        case .dict: "dict() or dict(pairs): a dict"
        case .isinstance: "isinstance(x, Value): whether x is of that type (or of one in a tuple of types)"
        case .type: "type(x): what kind of thing x is"
        case .help: "help(x): what x is: a Value's data, grad, op and inputs; a function's definition; a network's shape"
        case .exit, .quit: "\(rawValue)(): leave the notebook (Ctrl-D does the same)"
        }
    }
}

extension Interpreter {
    /// What `help(x)` and `x?` say about x, each line wrapped at a word to 78 columns (a
    /// terminal would break it mid-word), its rest indented under it.
    func describe(_ x: Object) -> String {
        description(of: x).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            wrapped(String(line), continuation: String(line.prefix { $0 == " " }) + "    ")
        }.joined(separator: "\n")
    }

    private func description(of x: Object) -> String {
        switch x {
        case .value(let v):
            var lines = ["\(v.description): a Value" + (v.label.map { $0.isEmpty ? "" : " labelled \($0.escaped())" } ?? "")]
            lines.append("  data \(v.data.pythonDescription), grad \(v.grad.pythonDescription)")
            if v.op == .leaf {
                lines.append("  a leaf: made by you, not computed from other Values")
            } else {
                lines.append(
                    "  made by \(v.opName) from \(v.inputs.count) input\(v.inputs.count == 1 ? "" : "s"): "
                        + v.inputs.map(\.description).joined(separator: ", "))
            }
            lines.append(
                "  its attributes: data, grad, label, op (_op), inputs (_prev); methods: tanh() exp() log() relu() sigmoid() backward() _backward() zero_grad()"
            )
            return lines.joined(separator: "\n")
        case .function(let f):
            if f.definition.isOneLine {
                return
                    "\(x.echo)\n  a function of \(f.definition.parameters.count) argument\(f.definition.parameters.count == 1 ? "" : "s"), defined on one line"
            }
            let place = f.definition.source.map { $0.file.isEmpty ? "" : " in \($0.file)" } ?? ""
            return "def \(f.signature): a function defined at line \(f.definition.location.line)\(place)"
        case .network(let n):
            return
                "\(x.echo): \(n.parameters().count) parameters, \(n.inputCount) input\(n.inputCount == 1 ? "" : "s"), \(n.outputCount) output\(n.outputCount == 1 ? "" : "s"); call it on a list of inputs; .parameters() lists its weights and biases"
        case .builtin(let b): return b.usage
        case .module(let m):
            let names = (m.constants + m.functions).sorted().joined(separator: ", ")
            return m == .random
                ? "the random module, Python's own generator (after random.seed(n) it draws what Python draws): " + names
                : "the \(m.rawValue) module: " + names
        case .list(let l): return "a list of \(l.items.count) item\(l.items.count == 1 ? "" : "s")"
        default: return "\(x.echo): \(x.kindName)"
        }
    }
}
