import Micrograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// `import math` and `import random`: the parts of them the tutorial uses.
extension Module {
    var constants: [String] { self == .math ? ["pi", "e", "inf", "nan", "tau"] : [] }

    var functions: [String] {
        switch self {
        case .math:
            ["exp", "log", "tanh", "sqrt", "sin", "cos", "pow", "fabs", "floor", "ceil", "isclose", "isfinite", "isnan", "log10", "log2"]
        case .random: ["uniform", "random", "seed", "randint", "randrange", "getrandbits", "choice", "gauss", "shuffle", "sample"]
        }
    }

    func constant(_ name: String) -> Double? {
        guard self == .math else { return nil }
        switch name {
        case "pi": return Double.pi
        case "tau": return 2 * Double.pi
        case "e": return Op.exp.forward(1, 0)
        case "inf": return .infinity
        case "nan": return .nan
        default: return nil
        }
    }
}

extension Interpreter {
    func callModuleFunction(
        _ module: Module, _ name: String, _ arguments: Arguments, at location: SourceLocation
    ) throws(LanguageError) -> Object {
        let args = arguments.positional
        func count(_ n: ClosedRange<Int>) throws(LanguageError) {
            guard n.contains(args.count), arguments.labelled.isEmpty else {
                throw LanguageError(
                    "\(module.rawValue).\(name) takes \(n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)") argument\(n.upperBound == 1 ? "" : "s"), not \(args.count)",
                    at: location)
            }
        }
        func number(_ i: Int) throws(LanguageError) -> Double {
            guard let x = args[i].value.double else {
                let node = ["tanh": ".tanh()", "exp": ".exp()", "log": ".log()", "sqrt": "**0.5", "pow": "**y"][name]
                var hint =
                    args[i].value.isValue
                    ? "; math works on plain numbers: pass the Value's .data"
                        + (node.map { ", or write \($0) after the Value itself to record a node" } ?? "") : ""
                // (A learner who typed x = 2.0 never asked for a Value: say where it came from.)
                if case .value(let v) = args[i].value, let label = v.label, namesOfTypedFloats.contains(label),
                    case .value(let named)? = globals[label], named == v
                {
                    hint +=
                        " (\(label) = \(v.data.pythonDescription), typed at the top level, made \(label) a Value: the notebook does that with every float typed there)"
                }
                throw LanguageError("\(module.rawValue).\(name) takes a number, not \(args[i].value.kindName)\(hint)", at: args[i].location)
            }
            return x
        }
        switch (module, name) {
        case (.math, "exp"), (.math, "tanh"), (.math, "log"):
            try count(name == "log" ? 1...2 : 1...1)
            let x = try number(0)
            if name == "log" {
                guard x > 0 else {
                    throw LanguageError("math.log of \(x.pythonDescription): only positive numbers have a logarithm", at: args[0].location)
                }
                let ln = Op.log.forward(x, 0)
                return .number(args.count == 2 ? ln / Op.log.forward(try number(1), 0) : ln)
            }
            // (math.tanh is the C library's, as Python's is; a Value's tanh() is micrograd's
            // formula, which can differ from it in the last digit.)
            return .number(name == "exp" ? Op.exp.forward(x, 0) : tanh(x))
        case (.math, "sqrt"):
            try count(1...1)
            let x = try number(0)
            guard x >= 0 else { throw LanguageError("math.sqrt of a negative number", at: args[0].location) }
            return .number(x.squareRoot())
        case (.math, "pow"):
            try count(2...2)
            return .number(Op.pow.forward(try number(0), try number(1)))
        case (.math, "log10"), (.math, "log2"):
            try count(1...1)
            let x = try number(0)
            guard x > 0 else {
                throw LanguageError("math.\(name) of \(x.pythonDescription): only positive numbers have a logarithm", at: args[0].location)
            }
            return .number(name == "log10" ? log10(x) : log2(x))
        case (.math, "sin"), (.math, "cos"):
            // (The C library's, as Python's: cos(0) is 1.0 and sin(1e6) right to the last digit.)
            try count(1...1)
            let x = try number(0)
            return .number(name == "sin" ? sin(x) : cos(x))
        case (.math, "fabs"):
            try count(1...1)
            return .number(Swift.abs(try number(0)))
        case (.math, "floor"), (.math, "ceil"):
            try count(1...1)
            let r = try number(0).rounded(name == "floor" ? .down : .up)
            guard Double.fitsInt(r) else {
                throw LanguageError("math.\(name) of \(r.pythonDescription)", at: args[0].location)
            }
            return .integer(Int(r))
        case (.math, "isfinite"), (.math, "isnan"):
            try count(1...1)
            let x = try number(0)
            return .bool(name == "isnan" ? x.isNaN : x.isFinite)
        case (.math, _):  // isclose
            try count(2...2)
            let a = try number(0), b = try number(1)
            return .bool(Swift.abs(a - b) <= Swift.max(1e-9 * Swift.max(Swift.abs(a), Swift.abs(b)), 0))
        case (.random, "seed"):
            try count(0...1)
            // (No seed, or None: the session's own, here, where Python takes one from the system.)
            guard let seeded = args.isEmpty || args[0].value.isNone ? PythonRandom(seed: seed) : Self.pythonRandom(seededBy: args[0].value)
            else {
                throw LanguageError("random.seed takes a number, as in random.seed(1337)", at: location)
            }
            generator = seeded
            return .none
        case (.random, "uniform"):
            try count(2...2)
            return .number(generator.uniform(try number(0), try number(1)))
        case (.random, "random"):
            try count(0...0)
            return .number(generator.random())
        case (.random, "gauss"):
            try count(0...2)
            let mean = args.count > 0 ? try number(0) : 0, deviation = args.count > 1 ? try number(1) : 1
            return .number(generator.gauss(mean, deviation))
        case (.random, "randint"), (.random, "randrange"):
            // Python's randrange(stop), randrange(start, stop) and randrange(start, stop, step);
            // randint(a, b) is randrange(a, b + 1), as there.
            try count(name == "randint" ? 2...2 : 1...3)
            var whole: [Int] = []
            for k in args.indices {
                guard let n = args[k].value.exactInteger, n.magnitude < 1 << 62 else {
                    throw LanguageError(
                        "random.\(name) takes whole numbers smaller than 2**62, not \(args[k].value.echo)", at: args[k].location)
                }
                whole.append(n)
            }
            if name == "randint" { whole[1] += 1 }
            let (start, stop) = whole.count == 1 ? (0, whole[0]) : (whole[0], whole[1])
            let step = whole.count == 3 ? whole[2] : 1
            guard step != 0 else { throw LanguageError("random.randrange's step is not 0", at: args[2].location) }
            // How many numbers start, start + step, … come before stop: the width over the step,
            // rounded up. (The width fits: both ends are under 2**62. Adding the step to it
            // first, as Python writes it, overflowed.)
            let width = stop - start
            let count = width / step + (width % step != 0 && (width > 0) == (step > 0) ? 1 : 0)
            guard count > 0 else {
                throw LanguageError(
                    "random.\(name)(\(args.map(\.value.echo).joined(separator: ", "))) has no numbers to draw from", at: location)
            }
            return .integer(start + step * Int(generator.below(UInt64(count))))
        case (.random, "getrandbits"):
            try count(1...1)
            guard let k = args[0].value.exactInteger, (0...63).contains(k) else {
                throw LanguageError(
                    "random.getrandbits takes how many bits, 0 to 63 here (an int has 64 bits, one of them the sign)", at: args[0].location)
            }
            return .integer(Int(generator.randomBits(k)))
        case (.random, "choice"):
            try count(1...1)
            try refuseUnordered(args[0], "random.choice")
            let items = try iterate(args[0].value, at: args[0].location)
            guard !items.isEmpty else {
                throw LanguageError("random.choice of \(args[0].value.echo): there is nothing to choose from", at: args[0].location)
            }
            return items[Int(generator.below(UInt64(items.count)))]
        case (.random, "sample"):
            // k of the items, each at most once, in the order drawn (micrograd's demo draws its
            // batches with it: random.sample(range(n), batch_size)).
            try count(2...2)
            try refuseUnordered(args[0], "random.sample")
            let items = try iterate(args[0].value, at: args[0].location)
            guard let k = args[1].value.exactInteger, k >= 0, k <= items.count else {
                throw LanguageError(
                    "random.sample takes how many to draw, a whole number from 0 to \(items.count) (the list's length), not \(args[1].value.echo)",
                    at: args[1].location)
            }
            return try list(Self.sample(items, k, &generator))
        default:  // shuffle
            try count(1...1)
            guard case .list(let l) = args[0].value else { throw LanguageError("random.shuffle takes a list", at: args[0].location) }
            try checkChangeable(l, at: args[0].location)
            var items = l.items
            for i in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(i, Int(generator.below(UInt64(i + 1)))) }
            l.items = items
            return .none
        }
    }

    /// Refuses a set or a dict where Python's random wants a sequence (choice of a dict
    /// looked up a key 0; sample of a set is refused since Python 3.11): what was drawn
    /// would depend on an order the learner did not choose.
    func refuseUnordered(_ argument: (value: Object, location: SourceLocation), _ function: String) throws(LanguageError) {
        switch argument.value {
        case .set, .dict:
            throw LanguageError(
                "\(function) takes a sequence (a list, tuple, string or range), not \(argument.value.kindName), as in Python; make it a list first: \(function)(list(…))",
                at: argument.location)
        default: return
        }
    }

    /// A generator seeded as Python's `random.seed(x)` seeds it: from an int's magnitude (a
    /// bool is 0 or 1), and from a float's hash, which for a whole float from 0 to 2**61 is the
    /// number itself (`seed(-1.0)` is not `seed(1)`, as it was). Nil for anything else, and
    /// for nan, whose hash in Python is its address.
    static func pythonRandom(seededBy object: Object) -> PythonRandom? {
        switch object {
        case .integer, .bool: return object.exactInteger.map { PythonRandom(seed: $0) }
        case .number(let x) where !x.isNaN: return PythonRandom(seed: x)
        default: return nil
        }
    }

    /// `k` of `items`, in the order drawn, as Python's `random.sample` draws them: from a
    /// shrinking pool when the list is short, else by index, drawing again on a repeat.
    static func sample(_ items: [Object], _ k: Int, _ generator: inout PythonRandom) -> [Object] {
        let n = items.count
        var setSize = 21
        if k > 5 { setSize += Int(pow(4, ceil(log(Double(k * 3)) / log(4)))) }
        var result: [Object] = []
        result.reserveCapacity(k)
        if n <= setSize {
            var pool = items
            for i in 0..<k {
                let j = Int(generator.below(UInt64(n - i)))
                result.append(pool[j])
                pool[j] = pool[n - i - 1]
            }
        } else {
            var selected = Set<Int>()
            for _ in 0..<k {
                var j = Int(generator.below(UInt64(n)))
                while !selected.insert(j).inserted { j = Int(generator.below(UInt64(n))) }
                result.append(items[j])
            }
        }
        return result
    }
}
