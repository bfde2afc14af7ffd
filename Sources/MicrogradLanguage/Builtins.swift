import Micrograd

extension Session {
    typealias Arguments = [(Object, SourceLocation)]

    func callBuiltin(_ b: Builtin, _ args: Arguments, _ labelled: [String: (Object, SourceLocation)],
                     at location: SourceLocation) throws(LanguageError) -> Object {
        let allowedLabels: Set<String> = switch b {
        case .Value: ["label"]
        case .MLP: ["activation", "output"]
        case .Layer, .Neuron: ["activation"]
        default: []
        }
        if let bad = labelled.keys.sorted().first(where: { !allowedLabels.contains($0) }) {
            throw LanguageError("\(b.rawValue) has no argument named '\(bad)'. \(b.usage)", at: labelled[bad]!.1)
        }
        func count(_ range: ClosedRange<Int>) throws(LanguageError) {
            guard range.contains(args.count) else {
                let n = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw LanguageError("\(b.rawValue) takes \(n) argument\(range.upperBound == 1 ? "" : "s"), not \(args.count). \(b.usage)", at: location)
            }
        }
        if let op = b.unaryOp {
            try count(1...1)
            return try map(args[0].0, at: args[0].1) { x throws(LanguageError) in
                if case .value(let v) = x { return .value(v.applying(op)) }
                guard case .number(let a) = x.plainNumber else {
                    throw LanguageError("\(b.rawValue) takes a number or a Value, not \(x.kindName)", at: args[0].1)
                }
                return .number(op.forward(a, 0))
            }
        }
        switch b {
        case .len:
            try count(1...1)
            switch args[0].0 {
            case .list(let items): return .integer(items.count)
            case .string(let s): return .integer(s.count)
            default: throw LanguageError("len takes a list, not \(args[0].0.kindName)", at: args[0].1)
            }
        case .sum:
            try count(1...1)
            let items = try iterate(args[0].0, at: args[0].1)
            // Python's sum: 0 + xs[0] + xs[1] + …, so a list of Values records micrograd's nodes.
            var total = Object.integer(0)
            for (i, item) in items.enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }
                total = try arithmetic("+", total, item, at: args[0].1)
            }
            return total
        case .range:
            try count(1...3)
            var bounds: [Double] = []
            for (arg, at) in args {
                guard case .number(let x) = arg.plainNumber, x == x.rounded(), abs(x) < 1e15 else {
                    throw LanguageError("range takes whole numbers, not \(arg.kindName)", at: at)
                }
                bounds.append(x)
            }
            let (start, end) = bounds.count == 1 ? (0, bounds[0]) : (bounds[0], bounds[1])
            let step = bounds.count == 3 ? bounds[2] : 1
            guard step != 0 else { throw LanguageError("range's step cannot be 0", at: args[2].1) }
            let n = max(0, Int(((end - start) / step).rounded(.up)))
            guard n <= Self.maxListCount else {
                throw LanguageError("range(…) would hold \(n) numbers; the limit is \(Self.maxListCount)", at: location)
            }
            return .list((0..<n).map { .integer(Int(start) + $0 * Int(step)) })
        case .zip:
            guard !args.isEmpty else { throw LanguageError("zip takes lists to pair up. \(b.usage)", at: location) }
            var lists: [[Object]] = []
            for (arg, at) in args { lists.append(try iterate(arg, at: at)) }
            let n = lists.map(\.count).min()!
            return .list((0..<n).map { i in .list(lists.map { $0[i] }) })
        case .abs:
            try count(1...1)
            return try map(args[0].0, at: args[0].1) { x throws(LanguageError) in
                if case .integer(let i) = x, i != .min { return .integer(Swift.abs(i)) }
                guard case .number(let a) = x else {
                    throw LanguageError("abs takes a number, not \(x.kindName); for a Value use abs(x.data)", at: args[0].1)
                }
                return .number(Swift.abs(a))
            }
        case .print:
            write(.result, args.map(\.0.printed).joined(separator: " "))
            return .none
        case .Value:
            try count(1...1)
            guard case .number(let x) = args[0].0.plainNumber else {
                throw LanguageError("Value takes a number, not \(args[0].0.kindName)", at: args[0].1)
            }
            let v = Value(x, in: graph)
            if let (label, at) = labelled["label"] {
                guard case .string(let s) = label else { throw LanguageError("a label is text in quotes", at: at) }
                v.label = s
            }
            return .value(v)
        case .MLP, .Layer, .Neuron:
            return try makeNetwork(b, args, labelled, at: location)
        case .moons:
            try count(0...0)
            let data = Dataset.moons100
            return .list([.list(data.x.map { .list($0.map(Object.number)) }), .list(data.y.map(Object.number))])
        case .moons_init:
            try count(0...0)
            return .list(MoonsDemo.initialParameters.map(Object.number))
        default:
            throw LanguageError("\(b.rawValue) is not callable here", at: location)
        }
    }

    /// `f` applied to a number or Value, or to each item of a (nested) list.
    private func map(_ x: Object, at location: SourceLocation,
                     _ f: (Object) throws(LanguageError) -> Object) throws(LanguageError) -> Object {
        guard case .list(let items) = x else { return try f(x) }
        var out: [Object] = []
        for item in items { out.append(try map(item, at: location, f)) }
        return .list(out)
    }

    private func makeNetwork(_ b: Builtin, _ args: Arguments, _ labelled: [String: (Object, SourceLocation)],
                             at location: SourceLocation) throws(LanguageError) -> Object {
        func whole(_ arg: (Object, SourceLocation), _ what: String) throws(LanguageError) -> Int {
            guard case .number(let x) = arg.0.plainNumber, x == x.rounded(), x >= 1, x <= 100_000 else {
                throw LanguageError("\(what) is a whole number from 1 to 100000, not \(arg.0.echo)", at: arg.1)
            }
            return Int(x)
        }
        func activation(_ key: String, default value: Activation) throws(LanguageError) -> Activation {
            guard let (given, at) = labelled[key] else { return value }
            guard case .string(let s) = given, let a = Activation(rawValue: s) else {
                throw LanguageError("\(key) is 'tanh', 'relu' or 'linear'", at: at)
            }
            return a
        }
        let expected = b == .Layer ? 2 : b == .MLP ? 2 : 1
        guard args.count == expected else {
            throw LanguageError("\(b.rawValue) takes \(expected) argument\(expected == 1 ? "" : "s"), not \(args.count). \(b.usage)", at: location)
        }
        let nin = try whole(args[0], "the number of inputs")
        let act = try activation("activation", default: .tanh)
        let result: Object
        switch b {
        case .Neuron:
            result = .neuron(Neuron(nin, activation: act, using: &generator, in: graph))
        case .Layer:
            result = .layer(Layer(nin, try whole(args[1], "the number of neurons"), activation: act, using: &generator, in: graph))
        default:
            guard case .list(let sizes) = args[1].0, !sizes.isEmpty else {
                throw LanguageError("MLP's second argument lists the layer sizes, as in MLP(3, [4, 4, 1])", at: args[1].1)
            }
            var nouts: [Int] = []
            for size in sizes { nouts.append(try whole((size, args[1].1), "a layer size")) }
            let total = zip([nin] + nouts, nouts).map { ($0 + 1) * $1 }.reduce(0, +)
            guard total <= 1_000_000 else {
                throw LanguageError("that network would have \(total) parameters; the limit is 1000000", at: location)
            }
            let output = try activation("output", default: act)
            result = .model(MLP(nin, nouts, activation: act, output: output, using: &generator, in: graph))
        }
        for p in Self.parameters(of: result) { modelParameters.insert(p.id) }
        return result
    }
}
