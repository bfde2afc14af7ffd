import Micrograd
import MicrogradDemo

extension Interpreter {
    func callBuiltin(_ b: Builtin, _ arguments: Arguments, at location: SourceLocation) throws(LanguageError) -> Object {
        if !arguments.labelled.isEmpty, let bad = arguments.labelled.first(where: { !b.labels.contains($0.name) }) {
            throw LanguageError("\(b.rawValue) has no argument named '\(bad.name)'. \(b.usage)", at: bad.location)
        }
        let args = arguments.positional
        func count(_ range: ClosedRange<Int>) throws(LanguageError) {
            guard range.contains(args.count) else {
                let n = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw LanguageError(
                    "\(b.rawValue) takes \(n) argument\(range.upperBound == 1 ? "" : "s"), not \(args.count). \(b.usage)", at: location)
            }
        }
        func items(_ i: Int) throws(LanguageError) -> [Object] { try self.items(of: args[i].value, for: b, at: args[i].location) }
        if let op = b.unaryOp {
            try count(1...1)
            return try map(args[0].value, at: location) { x throws(LanguageError) in
                if case .value(let v) = x { return .value(v.applying(op)) }
                guard let a = x.double else {
                    throw LanguageError("\(b.rawValue) takes a number or a Value, not \(x.kindName)", at: args[0].location)
                }
                return .number(op.forward(a, 0))
            }
        }
        switch b {
        case .len:
            try count(1...1)
            switch args[0].value {
            case .list(let l): return .integer(l.items.count)
            case .tuple(let t): return .integer(t.count)
            case .set(let s): return .integer(s.order.count)
            case .dict(let d): return .integer(d.order.count)
            case .string(let s): return .integer(s.count)
            case .network(let n): return .integer(n.outputCount)
            default:
                throw LanguageError("len takes a list, not \(args[0].value.kindName)\(args[0].value.notCalledHint)", at: args[0].location)
            }
        case .sum:
            try count(1...2)
            // Python's sum: start + xs[0] + xs[1] + …, so a list of Values records micrograd's nodes.
            var total = args.count > 1 ? args[1].value : arguments.labelled("start")?.value ?? .integer(0)
            let terms = try items(0)
            for i in terms.indices {
                if i & 4095 == 4095 { try checkInterrupt() }
                let wasWhole = total.isInteger
                total = try arithmetic(.add, total, terms[i], at: args[0].location)
                // (A bool counts as the int it is: True past 2**63 - 1 is as wide as 1.)
                if case .number(let x) = total, wasWhole, terms[i].isInteger || terms[i].isBool, wideNumber == nil {
                    wideNumber = (
                        "the sum passed the largest whole number here (2**63 - 1) at item \(i), so it was worked out as a float, \(x.pythonDescription), with about 16 digits right; Python's int would be exact",
                        location
                    )
                }
            }
            return total
        case .range:
            return try range(args, count, at: location)
        case .zip:
            guard !args.isEmpty else { return try list([]) }  // (Python's zip() is empty too)
            var lists: [[Object]] = []
            for i in args.indices { lists.append(try items(i)) }
            let n = lists.map(\.count).min()!
            // Python's zip gives tuples: list(zip(xs, ys)) shows [(1, 4), (2, 5)]. (Their
            // items are counted against the session's list items up front, as the lists
            // zip used to make were.)
            let (items, overflow) = n.multipliedReportingOverflow(by: lists.count)
            try budget.reserve(overflow ? .max / 2 : items)
            var pairs: [Object] = []
            pairs.reserveCapacity(n)
            for i in 0..<n { pairs.append(.tuple(TupleObject(lists.map { $0[i] }))) }
            return try list(pairs)
        case .abs:
            try count(1...1)
            return try map(args[0].value, at: location) { x throws(LanguageError) in
                if case .integer(let i) = x {
                    if i != .min { return .integer(Swift.abs(i)) }
                    wideNumber = (
                        "abs(\(i)) is past the largest whole number here (2**63 - 1), so it was worked out as a float, 9.223372036854776e+18; Python's int would be exact",
                        location
                    )
                }
                guard case .number(let a) = x.boolAsInteger.plainNumberUnlessValue else {
                    throw LanguageError("abs takes a number, not \(x.kindName); for a Value use abs(x.data)", at: args[0].location)
                }
                return .number(Swift.abs(a))
            }
        case .print:
            let sep = try text(arguments.labelled("sep"), default: " ")
            let end = try text(arguments.labelled("end"), default: "\n")
            var texts: [String] = []
            for arg in args { texts.append(try printedText(arg.value, at: arg.location)) }
            write(texts.joined(separator: sep) + end)
            return .none
        case .Value:
            return try makeValue(arguments, at: location)
        case .MLP, .Layer, .Neuron:
            return try makeNetwork(b, arguments, at: location)
        case .moons:
            try count(0...0)
            let data = Dataset.moons100
            return .tuple([
                try list(try data.x.map { row throws(LanguageError) in try list(row.map(Object.number)) }),
                try list(data.y.map(Object.number)),
            ])
        case .moons_init:
            try count(0...0)
            return try list(MoonsDemo.initialParameters.map(Object.number))
        case .min, .max:
            guard !args.isEmpty else {
                throw LanguageError("\(b.rawValue) takes a list, or several things to compare. \(b.usage)", at: location)
            }
            let candidates = args.count == 1 ? try items(0) : args.map(\.value)
            guard var best = candidates.first else { throw LanguageError("\(b.rawValue) of an empty list", at: args[0].location) }
            let key = arguments.labelled("key")?.value
            var bestKey =
                try key.map { k throws(LanguageError) in try call(k, Arguments(best, at: location), at: location) } ?? best
            for c in candidates.dropFirst() {
                let cKey = try key.map { k throws(LanguageError) in try call(k, Arguments(c, at: location), at: location) } ?? c
                if try compare(b == .min ? .less : .greater, cKey, bestKey, at: location) { (best, bestKey) = (c, cKey) }
            }
            return best
        case .round:
            try count(1...2)
            // (A whole number rounds to itself, exactly, as in Python; round(n, k) of one
            // too. Through a float, 2**53 + 1 lost its last digit.)
            if case .integer(let whole) = args[0].value {
                guard args.count == 2 else { return args[0].value }
                if case .integer(let places) = args[1].value {
                    if places >= 0 { return args[0].value }
                    // To tens, hundreds …: a whole number too, as in Python (it was a float).
                    // (-places of the least Int is past Int: it is as many zeros as any.)
                    if let rounded = Self.roundedToTens(whole, places == .min ? .max : -places) { return .integer(rounded) }
                }
            }
            guard let x = args[0].value.plainNumber.double else {
                throw LanguageError("round takes a number, not \(args[0].value.kindName)", at: args[0].location)
            }
            guard args.count == 2 else {
                let r = x.rounded(.toNearestOrEven)
                guard r.isFinite, let whole = Int(exactly: r) else {
                    throw LanguageError(
                        r.isFinite
                            ? "\(x.pythonDescription) is past the largest whole number here (2**63 - 1), so round cannot make it one; round(x, 0) keeps it a float"
                            : "\(x.pythonDescription) cannot be rounded to a whole number", at: args[0].location)
                }
                return .integer(whole)
            }
            guard let n = args[1].value.double, n == n.rounded() else {
                throw LanguageError("round's places are a whole number, not \(Self.notWhole(args[1].value))", at: args[1].location)
            }
            // Rounded from the exact value, as Python does, then read back.
            guard x.isFinite else { return .number(x) }
            // (Past 323 places after the point a float has no digits, and past 308 before it
            // nothing is left: x, and 0 with x's sign, as Python's limits are.)
            if n > 323 { return .number(x) }
            if n < -308 { return .number(0.0 * x) }
            let r = n >= 0 ? Double(x.fixed(Int(n))) ?? x : try Self.roundedToTens(x, Int(-n), at: args[0].location)
            return .number(r == 0 ? (x.sign == .minus ? -0.0 : 0.0) : r)  // (0 keeps x's sign, as in Python)
        case .reversed:
            try count(1...1)
            return try list(try items(0).reversed())
        case .enumerate:
            try count(1...2)
            let start = try enumerateStart(args.count > 1 ? args[1] : arguments.labelled("start"))
            return try list(try items(0).enumerated().map { .tuple([.integer(start + $0.offset), $0.element]) })
        case .sorted:
            try count(1...1)
            return try list(try sorted(try items(0), by: arguments, at: location))
        case .any, .all:
            try count(1...1)
            for item in try items(0) where try truth(item, at: location) == (b == .any) { return .bool(b == .any) }
            return .bool(b == .all)
        case .map, .filter:
            // map(f, xs, ys, …) calls f(x, y, …) for the items side by side, to the shortest.
            if b == .filter { try count(2...2) }
            guard args.count >= 2 else {
                throw LanguageError(
                    "map takes a function and a list (or several), not \(args.count) argument\(args.count == 1 ? "" : "s"). \(b.usage)",
                    at: location)
            }
            let first = try items(1)
            var others: [[Object]] = []  // (none, most times: no allocation)
            for i in 2..<args.count { others.append(try items(i)) }
            let n = others.reduce(first.count) { Swift.min($0, $1.count) }
            var out: [Object] = []
            if b == .map { out.reserveCapacity(n) }
            // (One list of arguments for every call, its items replaced each time: a new one
            // for each item was an allocation per item. A call that keeps its arguments keeps
            // a copy: the next items then go into a list of their own.)
            var arguments = Arguments(.none, at: location)
            for _ in others { arguments.positional.append((.none, location)) }
            // (filter(None, xs): the items that are true themselves, as in Python.)
            let keepsTrue = b == .filter && args[0].value.isNone
            // (map(Value, row), as a data set's rows are made: a number's leaf straight away.)
            let makesLeaves = b == .map && others.isEmpty && args[0].value.isBuiltin(.Value)
            for k in 0..<n {
                try checkInterrupt()
                if makesLeaves, let leaf = leaf(ofNumber: first[k]) {
                    out.append(leaf)
                    continue
                }
                arguments.positional[0].value = first[k]
                for j in others.indices { arguments.positional[j + 1].value = others[j][k] }
                let result = keepsTrue ? first[k] : try call(args[0].value, arguments, at: location)
                if b == .map { out.append(result) } else if try truth(result, at: location) { out.append(first[k]) }
            }
            return try list(out)
        case .int, .float, .str, .bool, .list, .tuple, .set, .dict:
            return try convert(b, args, count, at: location)
        case .repr:
            try count(1...1)
            return .string(try reprText(args[0].value, at: args[0].location))
        case .isinstance:
            try count(2...2)
            let types: [Object] = args[1].value.sequence ?? [args[1].value]
            for t in types {
                guard case .builtin(let type) = t, type.isType else {
                    throw LanguageError("isinstance's second argument is a type such as Value, float or list", at: args[1].location)
                }
                if args[0].value.typeName == type.rawValue || (type == .int && args[0].value.typeName == "bool")
                    || (type == .Neuron && args[0].value.typeName == "Neuron")
                {
                    return .bool(true)
                }
            }
            return .bool(false)
        case .type:
            try count(1...1)
            if let builtin = Builtin(rawValue: args[0].value.typeName) { return .builtin(builtin) }
            return .string("<class '\(args[0].value.typeName)'>")
        case .help:
            try count(0...1)
            write(
                (args.first.map { describe($0.value) }
                    ?? "help(x) describes x; :help lists the notebook's commands, :help COMMAND explains one") + "\n")
            return .none
        case .exit, .quit:
            // exit(n) ends with status n; exit('why') says why, and ends with 1; as in Python.
            try count(0...1)
            switch args.first?.value {
            case nil, .none?: exitStatus = 0
            case .integer(let n)?: exitStatus = Int32(truncatingIfNeeded: n)
            case .bool(let b)?: exitStatus = b ? 1 : 0
            case let reason?:
                console.write(.error, try printedText(reason, at: args[0].location))
                exitStatus = 1
            }
            wantsToQuit = true
            // Unwinding at once, as Python's SystemExit does: the rest of the statement (a
            // loop's other rounds, a :plot's other points) does not run. (The session says
            // nothing of this error: see `Session.report`.)
            throw LanguageError("\(b.rawValue)() was called", at: location)
        default:
            throw LanguageError("\(b.rawValue) is not callable here", at: location)
        }
    }

    /// enumerate's start: a whole number (a float that is not one, inf or nan stopped the
    /// program).
    func enumerateStart(_ argument: (value: Object, location: SourceLocation)?) throws(LanguageError) -> Int {
        guard let argument else { return 0 }
        guard let x = argument.value.double, x == x.rounded(), Swift.abs(x) < 1e15 else {
            throw LanguageError("enumerate's start is a whole number, not \(Self.notWhole(argument.value))", at: argument.location)
        }
        return Int(x)
    }

    /// `x` rounded to a multiple of 10**`zeros` (1 to 308), from its exact value, halves to
    /// the even multiple, as Python's round(x, -zeros); an error past the largest float. (It
    /// divided by a power of ten built by multiplying, which is not exact: round(1e300, -200)
    /// was 1.0000000000000002e+300, and anything past 300 zeros was 0.)
    static func roundedToTens(_ x: Double, _ zeros: Int, at location: SourceLocation) throws(LanguageError) -> Double {
        let whole = x.magnitude.rounded(.down)  // (its digits are exact; the fraction only breaks a tie)
        let digits = roundedDigits(ExactDecimal.scaledDigits(whole, places: 0), zeros: zeros, moreAfter: x.magnitude != whole)
        guard let rounded = Double(digits), rounded.isFinite else {
            throw LanguageError("round(\(x.pythonDescription), -\(zeros)) is past the largest float", at: location)
        }
        return x.sign == .minus ? -rounded : rounded
    }

    /// `n` rounded to a multiple of 10**`zeros`, halves to the even multiple, as Python's
    /// round(n, -zeros) rounds an int; nil if the result is past Int's range.
    static func roundedToTens(_ n: Int, _ zeros: Int) -> Int? {
        guard zeros <= 19 else { return 0 }  // (every Int is nearer 0 than to ±10**20)
        let digits = roundedDigits(String(n.magnitude), zeros: zeros, moreAfter: false)
        return Int((n < 0 ? "-" : "") + digits)  // (nil past Int)
    }

    /// The decimal `digits` of a whole number, rounded to a multiple of 10**`zeros`, halves
    /// to the even multiple (`moreAfter`: the number goes on past its last digit, so a half
    /// is more than half).
    private static func roundedDigits(_ digits: String, zeros: Int, moreAfter: Bool) -> String {
        var digits = Array(digits)
        if digits.count <= zeros { digits = Array(repeating: "0", count: zeros + 1 - digits.count) + digits }
        var head = Array(digits[..<(digits.count - zeros)])
        let tail = digits[(digits.count - zeros)...]
        let pastHalf = moreAfter || tail.dropFirst().contains { $0 != "0" }
        if tail.first! > "5" || tail.first! == "5" && (pastHalf || head.last!.wholeNumberValue! % 2 == 1) {
            var i = head.count - 1
            while i >= 0 && head[i] == "9" {
                head[i] = "0"
                i -= 1
            }
            if i >= 0 { head[i] = Character(String(head[i].wholeNumberValue! + 1)) } else { head.insert("1", at: 0) }
        }
        return String(head) + String(repeating: "0", count: zeros)
    }

    /// What `object` is, for an error that wanted a whole number that fits in an Int: its
    /// kind, or, for a number, the number and what is wrong with it.
    static func notWhole(_ object: Object) -> String {
        if case .integer(let i) = object { return "\(i), which is too large" }
        guard let x = object.plainNumber.double else { return object.kindName }
        if !x.isFinite { return x.pythonDescription }
        if x != x.rounded() { return "\(x.pythonDescription), which has a fraction" }
        return "\(x.pythonDescription), which is too large"
    }

    /// `f` applied to a number or Value, or to each item of a (nested) list.
    private func map(
        _ x: Object, at location: SourceLocation, _ f: (Object) throws(LanguageError) -> Object
    ) throws(LanguageError) -> Object {
        guard case .list(let l) = x else { return try f(x) }
        try checkStack(at: location, nesting: true)  // (a list may hold itself)
        var out: [Object] = []
        out.reserveCapacity(l.items.count)
        for (i, item) in l.items.enumerated() {
            if i & 4095 == 4095 { try checkInterrupt() }  // (long lists: stoppable, and the graph's room made)
            out.append(try map(item, at: location, f))
        }
        return try list(out)
    }

    private func text(_ argument: (value: Object, location: SourceLocation)?, default fallback: String) throws(LanguageError) -> String {
        guard let argument else { return fallback }
        if case .none = argument.value { return fallback }
        guard case .string(let s) = argument.value else { throw LanguageError("sep and end are strings", at: argument.location) }
        return s
    }

    private func range(
        _ args: ArgumentList, _ count: (ClosedRange<Int>) throws(LanguageError) -> Void,
        at location: SourceLocation
    ) throws(LanguageError) -> Object {
        try count(1...3)
        let (start, step, n) = try rangeBounds(args)
        guard n <= limits.listLength else {
            throw LanguageError(
                "range(…) would hold \(n) numbers; the limit is \(limits.listLength)\(limits.memoryNote) (a for loop straight over range(…) makes no list, and has no limit)",
                at: location)
        }
        return try list((0..<n).map { .integer(start + $0 * step) })
    }

    /// The first number, the step and the count of `range(args)` (one to three arguments).
    func rangeBounds(
        _ args: ArgumentList
    ) throws(LanguageError) -> (start: Int, step: Int, count: Int) {
        var bounds: [Int] = []
        for (arg, at) in args {
            guard let x = arg.plainNumber.double, x == x.rounded(), Swift.abs(x) < 1e15 else {
                let fraction = arg.plainNumber.double.map { $0.isFinite && $0 != $0.rounded() } ?? false
                throw LanguageError(
                    "range takes whole numbers\(Self.notWhole(arg).hasSuffix("too large") ? " smaller than 10**15" : ""), not \(Self.notWhole(arg))"
                        + (fraction
                            ? "; for steps of a fraction, scale a range of whole numbers, as in [k * 0.25 for k in range(-20, 21)]" : ""),
                    at: at)
            }
            bounds.append(Int(x))
        }
        let (start, end) = bounds.count == 1 ? (0, bounds[0]) : (bounds[0], bounds[1])
        let step = bounds.count == 3 ? bounds[2] : 1
        guard step != 0 else { throw LanguageError("range's step cannot be 0", at: args[2].location) }
        return (start, step, Swift.max(0, (end - start + step + (step > 0 ? -1 : 1)) / step))
    }

    /// A for loop's `range(…)`, when it is the built-in one: its bounds, to count through
    /// without making the list, as Python's lazy range does (`for i in range(10**8)`).
    func loopRange(_ e: Expr, _ context: Context) throws(LanguageError) -> (start: Int, step: Int, count: Int)? {
        guard case .call(let callee, let arguments) = e.kind, case .name("range") = callee.kind,
            (1...3).contains(arguments.count), arguments.allSatisfy({ $0.label == nil }),
            case .builtin(.range) = try lookup("range", context, at: callee.location, calling: true)
        else { return nil }
        var args = ArgumentList()
        for argument in arguments { args.append((try evaluate(argument.value, context), argument.value.location)) }
        return try rangeBounds(args)
    }

    /// `sorted(xs, key=…, reverse=…)` and `xs.sort(…)`: stable both ways, as Python's
    /// (with reverse=True, equal items keep their order: the items are reversed, sorted
    /// and reversed back).
    func sorted(_ items: [Object], by arguments: Arguments, at location: SourceLocation) throws(LanguageError) -> [Object] {
        let key = arguments.labelled("key").map(\.value)
        guard let reverse = arguments.labelled("reverse"), try truth(reverse.value, at: reverse.location) else {
            return try sorted(items, key: key, at: location)
        }
        return try sorted(Array(items.reversed()), key: key, at: location).reversed()
    }

    /// A stable merge sort whose comparisons may fail (a string beside a number).
    func sorted(_ items: [Object], key: Object? = nil, at location: SourceLocation) throws(LanguageError) -> [Object] {
        var keyed: [(key: Object, item: Object)] = []
        for item in items {
            keyed.append(
                (
                    try key.map { k throws(LanguageError) in try call(k, Arguments(item, at: location), at: location) } ?? item,
                    item
                ))
        }
        if let order = try numericOrder(of: keyed.map(\.key)) { return order.map { keyed[$0].item } }
        func sort(_ part: ArraySlice<(key: Object, item: Object)>) throws(LanguageError) -> [(key: Object, item: Object)] {
            guard part.count > 1 else { return Array(part) }
            if part.count >= 1024 { try checkInterrupt() }
            let middle = part.startIndex + part.count / 2
            let left = try sort(part[..<middle]), right = try sort(part[middle...])
            var out: [(key: Object, item: Object)] = [], i = 0, j = 0
            while i < left.count && j < right.count {
                if try compare(.less, right[j].key, left[i].key, at: location) {
                    out.append(right[j]); j += 1
                } else {
                    out.append(left[i]); i += 1
                }
            }
            return out + left[i...] + right[j...]
        }
        return try sort(keyed[...]).map(\.item)
    }

    /// The order that sorts `keys`, stably, when every key is a whole number or every key
    /// is a number and none is NaN: a merge sort on plain numbers, many times as fast as
    /// the merge sort on Objects (ten million numbers took 23 s). Nil for other keys.
    func numericOrder(of keys: [Object]) throws(LanguageError) -> [Int]? {
        var whole: [Int] = []
        whole.reserveCapacity(keys.count)
        for key in keys {
            guard case .integer(let i) = key else { break }
            whole.append(i)
        }
        if whole.count == keys.count { return try stableOrder(whole) }
        var numbers: [Double] = []
        numbers.reserveCapacity(keys.count)
        for key in keys {
            // (An int too large for a Double to hold exactly is left to the merge sort.)
            switch key {
            case .number(let x) where !x.isNaN: numbers.append(x)
            case .integer(let i) where i.magnitude <= 1 << 53: numbers.append(Double(i))
            default: return nil
            }
        }
        return try stableOrder(numbers)
    }

    /// The indices of `keys` in sorted order, equal keys in their first order: a merge
    /// sort from the bottom up, runs of 1, 2, 4 …, that asks whether to stop after each
    /// pass (so Ctrl-C stops a sort of ten million numbers within a pass, not seconds later).
    func stableOrder<Key: Comparable>(_ keys: [Key]) throws(LanguageError) -> [Int] {
        var order = Array(keys.indices), merged = order
        var width = 1
        while width < keys.count {
            try checkInterrupt()
            var start = 0
            while start < keys.count {
                let middle = min(start + width, keys.count), end = min(start + 2 * width, keys.count)
                var i = start, j = middle, k = start
                while i < middle && j < end {
                    // (A right key strictly less goes first; on a tie the left one does.)
                    if keys[order[j]] < keys[order[i]] {
                        merged[k] = order[j]; j += 1
                    } else {
                        merged[k] = order[i]; i += 1
                    }
                    k += 1
                }
                while i < middle { merged[k] = order[i]; i += 1; k += 1 }
                while j < end { merged[k] = order[j]; j += 1; k += 1 }
                start = end
            }
            swap(&order, &merged)
            width *= 2
        }
        return order
    }

    private func convert(
        _ b: Builtin, _ args: ArgumentList,
        _ count: (ClosedRange<Int>) throws(LanguageError) -> Void, at location: SourceLocation
    ) throws(LanguageError) -> Object {
        try count(0...1)
        guard let x = args.first?.value else {
            switch b {
            case .int: return .integer(0)
            case .float: return .number(0)
            case .str: return .string("")
            case .bool: return .bool(false)
            case .list: return try list([])
            case .tuple: return .tuple([])
            case .set: return .set(SetObject(budget: budget))
            default: return .dict(DictObject(budget: budget))
            }
        }
        let at = args[0].location
        switch b {
        case .int:
            if case .string(let s) = x {
                let digits = s.trimmingCharacters
                guard let i = Int(digits) else {
                    let shown = s.count > 40 ? s.prefix(40) + "… (\(s.count) characters)" : s  // (a million digits, echoed, was 1 MB)
                    let unsigned = digits.first == "-" || digits.first == "+" ? digits.dropFirst() : Substring(digits)
                    throw LanguageError(
                        !unsigned.isEmpty && unsigned.allSatisfy(\.isASCII) && unsigned.allSatisfy(\.isNumber)
                            ? "'\(shown)' is past the largest whole number here (2**63 - 1); Python's int has no limit, the notebook's has 64 bits"
                            : "'\(shown)' is not a whole number", at: at)
                }
                return .integer(i)
            }
            // (A whole number is itself: through a float, 2**53 + 1 lost its last digit.)
            if case .integer = x { return x }
            if case .bool(let b) = x { return .integer(b ? 1 : 0) }
            guard let d = x.plainNumber.double, Double.fitsInt(d.rounded(.towardZero)) else {
                throw LanguageError("int takes a number or a string of digits, not \(Self.notWhole(x))", at: at)
            }
            return .integer(Int(d.rounded(.towardZero)))
        case .float:
            if case .string(let s) = x {
                let t = s.trimmingCharacters.lowercased()
                guard let d = Double(t == "infinity" ? "inf" : t) else { throw LanguageError("'\(s)' is not a number", at: at) }
                return .number(d)
            }
            guard let d = x.plainNumber.double else { throw LanguageError("float takes a number or a string, not \(x.kindName)", at: at) }
            return .number(d)
        case .str: return .string(try printedText(x, at: at))
        case .bool: return .bool(try truth(x, at: at))
        case .list: return try list(try iterate(x, at: at))
        case .tuple: return .tuple(TupleObject(try iterate(x, at: at)))
        case .set:
            // (Ten million items take seconds: Ctrl-C is asked about as they go.)
            let set = SetObject(budget: budget)
            for (n, item) in try iterate(x, at: at).enumerated() {
                if n & 0xFFFF == 0xFFFF { try checkInterrupt() }
                set.insert(try hashKey(item, at: at), item)
            }
            return .set(set)
        default:
            let dict = DictObject(budget: budget)
            for (n, pair) in try iterate(x, at: at).enumerated() {
                if n & 0xFFFF == 0xFFFF { try checkInterrupt() }
                guard let kv = pair.sequence, kv.count == 2 else { throw LanguageError("dict takes pairs (key, value)", at: at) }
                dict.set(try hashKey(kv[0], at: at), kv[0], kv[1])
            }
            return .dict(dict)
        }
    }

    /// `Value(x)` of an int or a float, as every input of a data set is made, straight away;
    /// nil for anything else, and while a learner's node is run again (see `Producer.madeLeaves`).
    private func leaf(ofNumber object: Object) -> Object? {
        guard leavesToReplay == nil, let x = object.wholeOrFloat else { return nil }
        return .value(Value(x, in: graph))
    }

    private func makeValue(_ arguments: Arguments, at location: SourceLocation) throws(LanguageError) -> Object {
        let args = arguments.positional
        if args.count == 1, arguments.labelled.isEmpty, let leaf = leaf(ofNumber: args[0].value) { return leaf }
        guard let (data, at) = args.first ?? arguments.labelled("data") else {
            throw LanguageError("Value takes a number. \(Builtin.Value.usage)", at: location)
        }
        // (The video's class takes its label fourth: Value(data, _children, _op, label).)
        guard args.count <= 4 else {
            throw LanguageError("Value takes 1 to 4 arguments, not \(args.count). \(Builtin.Value.usage)", at: location)
        }
        guard let x = data.plainNumber.double else {
            throw LanguageError("Value takes a number, not \(data.kindName)", at: at)
        }
        let named = !arguments.labelled.isEmpty  // (Value(x), as a data set is made: no names to look for)
        let children = args.count > 1 ? args[1] : named ? arguments.labelled("_children") : nil
        let op = args.count > 2 ? args[2] : named ? arguments.labelled("_op") : nil
        let v: Value
        if children != nil || op != nil {
            v = try learnerNode(
                x, children: children?.value ?? .tuple([]), op: op?.value ?? .string(""), at: children?.location ?? op!.location)
        } else {
            v = Value(x, in: graph)
            if leavesToReplay != nil, let leaf = replayedLeaf(for: v, holding: x) { return .value(leaf) }  // (see `Producer.madeLeaves`)
        }
        if let (label, at) = args.count > 3 ? args[3] : named ? arguments.labelled("label") : nil {
            guard case .string(let s) = label else { throw LanguageError("a label is text in quotes", at: at) }
            v.label = s
        }
        return .value(v)
    }

    private func makeNetwork(_ b: Builtin, _ arguments: Arguments, at location: SourceLocation) throws(LanguageError) -> Object {
        let args = arguments.positional
        func whole(_ arg: Object, _ at: SourceLocation, _ what: String) throws(LanguageError) -> Int {
            guard let x = arg.plainNumber.double, x == x.rounded(), x >= 1, x <= 100_000 else {
                throw LanguageError("\(what) is a whole number from 1 to 100000, not \(arg.echo)", at: at)
            }
            return Int(x)
        }
        func activation(_ key: String, default value: Activation) throws(LanguageError) -> Activation {
            guard let (given, at) = arguments.labelled(key) else { return value }
            guard case .string(let s) = given, let a = Activation(rawValue: s) else {
                throw LanguageError("\(key) is 'tanh', 'relu' or 'linear'", at: at)
            }
            return a
        }
        let expected = b == .Neuron ? 1 : 2
        guard args.count == expected else {
            throw LanguageError(
                "\(b.rawValue) takes \(expected) argument\(expected == 1 ? "" : "s"), not \(args.count). \(b.usage)", at: location)
        }
        let nin = try whole(args[0].value, args[0].location, "the number of inputs")
        let act = try activation("activation", default: .tanh)
        // The sizes of the layers: one neuron, a layer of them, or an MLP's.
        var nouts: [Int] = []
        switch b {
        case .Neuron: nouts = [1]
        case .Layer: nouts = [try whole(args[1].value, args[1].location, "the number of neurons")]
        default:
            guard let sizes = args[1].value.sequence, !sizes.isEmpty else {
                throw LanguageError("MLP's second argument lists the layer sizes, as in MLP(3, [4, 4, 1])", at: args[1].location)
            }
            for size in sizes { nouts.append(try whole(size, args[1].location, "a layer size")) }
        }
        let total = zip([nin] + nouts, nouts).map { ($0 + 1) * $1 }.reduce(0, +)
        guard total <= Self.networkParameterLimit else {
            throw LanguageError(
                "that \(b == .MLP ? "network" : b.rawValue) would have \(total) parameters; the limit is \(Self.networkParameterLimit)",
                at: location)
        }
        try makeGraphRoom(for: total)
        let result: any Network
        switch b {
        case .Neuron: result = Neuron(nin, activation: act, using: &generator, in: graph)
        case .Layer: result = Layer(nin, nouts[0], activation: act, using: &generator, in: graph)
        default:
            let output = try activation("output", default: act)
            result = MLP(nin, nouts, activation: act, output: output, using: &generator, in: graph)
            // (micrograd's demo.ipynb, typed as written, made the tutorial's tanh network where
            // it means nn.py's ReLU one, and trained it to other numbers, unsaid.)
            if arguments.labelled.isEmpty, nin == 2, nouts == [16, 16, 1] {
                console.warn(
                    LanguageError(
                        "MLP here is the video's, with tanh neurons; micrograd's demo.ipynb writes MLP(2, [16, 16, 1]) for its nn.py network, which here is MLP(2, [16, 16, 1], activation='relu', output='linear')",
                        at: location))
            }
        }
        for p in result.parameters() { modelParameters.insert(p.id) }
        return .network(result)
    }
}

extension Object {
    /// An int or a float as a Double (not a bool or a Value: those go the long way).
    @inline(__always)
    var wholeOrFloat: Double? {
        switch self {
        case .number(let x): x
        case .integer(let i): Double(i)
        default: nil
        }
    }

    /// Whether this is the built-in `b` (not a name of the learner's spelled the same).
    @inline(__always)
    func isBuiltin(_ b: Builtin) -> Bool {
        if case .builtin(let found) = self { return found == b }
        return false
    }

    /// A number as a plain number (a bool as 0 or 1); a Value stays a Value.
    var plainNumberUnlessValue: Object {
        switch self {
        case .integer(let i): .number(Double(i))
        default: self
        }
    }
}
