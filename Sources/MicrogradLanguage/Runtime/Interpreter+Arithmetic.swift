import Micrograd

/// The engine's own operators for each arithmetic operator on Values: a Value with a
/// Value, a Value with a number, a number with a Value (nil where micrograd has no such
/// operation). Going through them (never around them) is what records micrograd's nodes in
/// micrograd's order.
extension BinaryOperator {
    func onValues(_ a: Value, _ b: Value) -> Value? {
        switch self {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .floorDivide, .remainder, .power: nil
        }
    }

    func onValue(_ a: Value, _ x: Double) -> Value? {
        switch self {
        case .add: a + x
        case .subtract: a - x
        case .multiply: a * x
        case .divide: a / x
        case .power: a.pow(x)
        case .floorDivide, .remainder: nil
        }
    }

    func onNumber(_ x: Double, _ b: Value) -> Value? {
        switch self {
        case .add: x + b
        case .subtract: x - b
        case .multiply: x * b
        case .divide: x / b
        case .floorDivide, .remainder, .power: nil
        }
    }
}

extension Interpreter {
    /// `lhs op rhs`, as Python does it for numbers, strings, lists and tuples, as micrograd
    /// does it for Values, and element by element (the notebook's own extension) for a list
    /// with a number or a Value, or two lists where Python would refuse.
    func arithmetic(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        // The cases a training loop is made of first, each matched on one side at a time
        // (matching the pair below copies both).
        switch lhs {
        case .value(let a):
            let result: Value?
            switch rhs {
            case .value(let b): result = op.onValues(a, b)
            case .number(let x): result = op.onValue(a, x)
            case .integer(let i): result = op.onValue(a, Double(i))
            default: return try mixedArithmetic(op, lhs, rhs, at: location)
            }
            guard let result else { throw valueError(op, lhs, rhs, at: location) }
            return .value(result)
        case .number(let x):
            switch rhs {
            case .number(let y): return .number(Self.apply(op, x, y))
            case .integer(let i): return .number(Self.apply(op, x, Double(i)))
            case .value(let b):
                guard let result = op.onNumber(x, b) else { throw valueError(op, lhs, rhs, at: location) }
                return .value(result)
            default: return try mixedArithmetic(op, lhs, rhs, at: location)
            }
        default:
            return try mixedArithmetic(op, lhs, rhs, at: location)
        }
    }

    /// `arithmetic` for every pair of kinds but the common ones.
    private func mixedArithmetic(
        _ op: BinaryOperator, _ lhs: Object, _ rhs: Object, at location: SourceLocation
    ) throws(LanguageError) -> Object {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)):
            if let whole = try Self.wholeArithmetic(op, a, b, at: location) { return .integer(whole) }
            return .number(Self.apply(op, Double(a), Double(b)))
        case (.bool, _) where !rhs.isList, (_, .bool) where !lhs.isList:
            return try arithmetic(op, lhs.boolAsInteger, rhs.boolAsInteger, at: location)
        case (.integer(let a), .number(let y)):  // (a Value or a float on the left: `arithmetic`)
            return .number(Self.apply(op, Double(a), y))
        case (.integer(let i), .value(let b)):
            guard let result = op.onNumber(Double(i), b) else { throw valueError(op, lhs, rhs, at: location) }
            return .value(result)
        case (.string(let a), .string(let b)) where op == .add:
            return .string(try checkedString(a + b, at: location))
        case (.string(let s), .integer(let n)) where op == .multiply, (.integer(let n), .string(let s)) where op == .multiply:
            guard n <= 0 || s.count <= limits.stringLength / n else { throw tooLong(at: location) }
            return .string(n <= 0 || s.isEmpty ? "" : String(repeating: s, count: n))
        case (.string(let s), _) where op == .remainder:
            return .string(try percentFormat(s, rhs, at: location))
        case (.list(let a), .list(let b)) where op == .add:
            return try list(a.items + b.items)  // Python's concatenation
        case (.tuple(let a), .tuple(let b)) where op == .add:
            return .tuple(TupleObject(a.items + b.items))
        case (.list(let l), .integer(let n)) where op == .multiply, (.integer(let n), .list(let l)) where op == .multiply:
            let result = try list(try repeated(l.items, n, at: location))  // Python's repetition
            if case .list(let made) = result, l.items.count > 1, n > 1 { made.repeatedFrom = l.items.count }
            return result
        case (.tuple(let t), .integer(let n)) where op == .multiply, (.integer(let n), .tuple(let t)) where op == .multiply:
            return .tuple(TupleObject(try repeated(t.items, n, at: location)))
        case (.list(let a), .list(let b)):
            guard a.items.count == b.items.count else {
                // Lengths with a common factor most often come from a list that an int
                // repeated (3*x**2 on a list x), where a float would have scaled it.
                var (m, n) = (a.items.count, b.items.count)
                while n != 0 { (m, n) = (n, m % n) }
                let repeatedHint =
                    m > 1
                    ? " (an int times a list repeats it, as in Python: 3*xs has 3 times the items, while 3.0*xs multiplies each one; to call a function on each item of a list, write [f(x) for x in xs])"
                    : ""
                throw LanguageError(
                    "the lists have \(a.items.count) and \(b.items.count) items; element-wise '\(op.rawValue)' needs the same number"
                        + repeatedHint,
                    at: location)
            }
            try checkStack(at: location, nesting: true)  // (a list may hold itself)
            var out: [Object] = []
            for (i, (x, y)) in zip(a.items, b.items).enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }  // long lists: stoppable, and within budget
                out.append(try arithmetic(op, x, y, at: location))
            }
            return try list(out)
        case (.list(let a), .number), (.list(let a), .value), (.list(let a), .integer):
            try refuseRepeated(a, op, rhs, at: location)
            try checkStack(at: location, nesting: true)
            var out: [Object] = []
            for (i, x) in a.items.enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }
                out.append(try arithmetic(op, x, rhs, at: location))
            }
            return try list(out)
        case (.number, .list(let b)), (.value, .list(let b)), (.integer, .list(let b)):
            try refuseRepeated(b, op, lhs, at: location)
            try checkStack(at: location, nesting: true)
            var out: [Object] = []
            for (i, y) in b.items.enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }
                out.append(try arithmetic(op, lhs, y, at: location))
            }
            return try list(out)
        default:
            throw LanguageError("cannot \(op.verb) \(lhs.kindName) and \(rhs.kindName)", at: location)
        }
    }

    private func valueError(_ op: BinaryOperator, _ lhs: Object, _ rhs: Object, at location: SourceLocation) -> LanguageError {
        switch (op, lhs, rhs) {
        case (.power, .value, .value(let b)):
            LanguageError(
                "the exponent must be a plain number (micrograd's ** takes a constant), not a Value; use \(b.label.map { "\($0).data" } ?? "its .data")",
                at: location)
        case (.power, _, .value(let b)):
            LanguageError(
                "a number raised to a Value's power is not an op here (** takes a constant exponent); try exp(\(b.label ?? "x") * log(\((lhs.double ?? 0).pythonDescription)))",
                at: location)
        default:
            LanguageError(
                "Values have no '\(op.rawValue)'; use .data for the number (\(op == .floorDivide ? "a.data // b" : "a.data % b"))",
                at: location)
        }
    }

    /// The error for item-by-item arithmetic on a list that an int repeated: `ys*2 - 1`
    /// (micrograd's demo, turning 0/1 labels into -1/1 with numpy) would otherwise run, on
    /// a list twice as long, and train on the wrong labels without a word.
    private func refuseRepeated(_ l: ListObject, _ op: BinaryOperator, _ other: Object, at location: SourceLocation) throws(LanguageError) {
        guard l.repeatedFrom > 0, op == .add || op == .subtract else { return }  // (ys*2.0, scaling it, is what is meant)
        let times = l.items.count / l.repeatedFrom
        let signs = l.items.allSatisfy { $0.double == 1 || $0.double == -1 }
        throw LanguageError(
            "this list was made by repeating a list of \(l.repeatedFrom) items \(times) times (an int times a list repeats it, as in Python: ys*\(times) has \(l.items.count) items), and '\(op.rawValue)' with \(other.kindName) would then go item by item over all \(l.items.count); to scale each item instead, multiply by a float: ys*\(times).0"
                + (signs
                    ? ". These are already -1 and 1, as moons() gives its labels: micrograd's demo writes y*2 - 1 only because sklearn's make_moons gives 0 and 1, so leave y as it is"
                    : ""),
            at: location)
    }

    private func repeated(_ items: [Object], _ n: Int, at location: SourceLocation) throws(LanguageError) -> [Object] {
        // ([] * 10**18 went round an empty loop 10**18 times, deaf to Ctrl-C.)
        guard n > 0, !items.isEmpty else { return [] }
        guard items.isEmpty || n <= limits.listLength / items.count else {
            throw LanguageError(
                "that list would hold more than \(limits.listLength) items, the most one list may hold\(limits.memoryNote)", at: location)
        }
        var out: [Object] = []
        out.reserveCapacity(items.count * n)
        for _ in 0..<n { out += items }
        return out
    }

    func checkedString(_ s: String, at location: SourceLocation) throws(LanguageError) -> String {
        guard s.utf8.count <= limits.stringLength else { throw tooLong(at: location) }
        return s
    }

    func tooLong(at location: SourceLocation) -> LanguageError {
        LanguageError(
            "that string would be longer than \(limits.stringLength) characters, the longest a string may be\(limits.memoryNote)",
            at: location)
    }

    func negate(_ x: Object, at location: SourceLocation) throws(LanguageError) -> Object {
        switch x {
        case .number(let a): return .number(-a)
        case .integer(let i): return i == .min ? .number(-Double(i)) : .integer(-i)
        case .bool(let b): return .integer(b ? -1 : 0)
        case .value(let v): return .value(-v)
        case .list(let l):
            try checkStack(at: location, nesting: true)  // (a list may hold itself)
            var out: [Object] = []
            for (i, item) in l.items.enumerated() {
                if i & 4095 == 4095 { try checkInterrupt() }
                out.append(try negate(item, at: location))
            }
            return try list(out)
        default: throw LanguageError("cannot negate \(x.kindName)", at: location)
        }
    }

    /// Python's int arithmetic where the result stays whole and fits; nil otherwise.
    static func wholeArithmetic(_ op: BinaryOperator, _ a: Int, _ b: Int, at location: SourceLocation) throws(LanguageError) -> Int? {
        let (result, overflow): (Int, Bool)
        switch op {
        case .add: (result, overflow) = a.addingReportingOverflow(b)
        case .subtract: (result, overflow) = a.subtractingReportingOverflow(b)
        case .multiply: (result, overflow) = a.multipliedReportingOverflow(by: b)
        case .floorDivide, .remainder:
            guard b != 0 else { throw LanguageError("cannot \(op == .floorDivide ? "divide" : "take the remainder") by 0", at: location) }
            if a == .min && b == -1 { return op == .remainder ? 0 : nil }  // (x % -1 is 0; the quotient is past 2**63)
            // Python rounds down (toward minus infinity), so the remainder has b's sign.
            var q = a / b, r = a % b
            if r != 0 && (r < 0) != (b < 0) { q -= 1; r += b }
            return op == .floorDivide ? q : r
        case .power:
            guard b >= 0 else { return nil }
            var power = 1
            for _ in 0..<min(b, 64) {
                let (p, o) = power.multipliedReportingOverflow(by: a)
                if o { return nil }
                power = p
            }
            if b > 64 && Swift.abs(a) > 1 { return nil }
            return b > 64 && a == -1 ? (b % 2 == 0 ? 1 : -1) : power
        case .divide: return nil
        }
        return overflow ? nil : result
    }

    static func apply(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .floorDivide: (a / b).rounded(.down)
        case .remainder: pythonRemainder(a, b)
        case .power: Op.pow.forward(a, b)
        }
    }

    /// Python's %: the result has the divisor's sign.
    static func pythonRemainder(_ a: Double, _ b: Double) -> Double {
        guard b != 0 else { return .nan }
        let r = a.truncatingRemainder(dividingBy: b)
        return r != 0 && (r < 0) != (b < 0) ? r + b : r
    }

    // MARK: Comparison and truth

    /// `lhs op rhs` for one link of a comparison chain.
    func compare(_ op: ComparisonOperator, _ lhs: Object, _ rhs: Object, at location: SourceLocation) throws(LanguageError) -> Bool {
        switch op {
        case .equal: return try equal(lhs, rhs, at: location)
        case .notEqual: return !(try equal(lhs, rhs, at: location))
        case .identical: return identical(lhs, rhs)
        case .notIdentical: return !identical(lhs, rhs)
        case .contains: return try contains(rhs, lhs, at: location)
        case .notContains: return !(try contains(rhs, lhs, at: location))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return try order(op, lhs, rhs, at: location)
        }
    }

    private func order(_ op: ComparisonOperator, _ lhs: Object, _ rhs: Object, at location: SourceLocation) throws(LanguageError) -> Bool {
        func result<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch op {
            case .less: a < b
            case .lessOrEqual: a <= b
            case .greater: a > b
            default: a >= b
            }
        }
        // Ints as ints: a Double holds no int above 2⁵³ exactly, and 2**60 + 1 > 2**60 was
        // False. (An int and a float that are equal as Doubles are told apart as Python
        // does.)
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): return result(a, b)
        case (.integer(let a), .number(let b)) where Double(a) == b: return result(Self.sign(of: a, against: b), 0)
        case (.number(let a), .integer(let b)) where a == Double(b): return result(0, Self.sign(of: b, against: a))
        default: break
        }
        // A Value compares by its data (micrograd's own Value would refuse; here it is allowed).
        if let a = lhs.plainNumber.double, let b = rhs.plainNumber.double { return result(a, b) }
        if case .string(let a) = lhs, case .string(let b) = rhs { return result(a, b) }
        if let a = lhs.sequence, let b = rhs.sequence, lhs.isList == rhs.isList {
            try checkStack(at: location, nesting: true)  // (a list may hold itself)
            for (x, y) in zip(a, b) where !(try equal(x, y, at: location)) {
                return try order(op, x, y, at: location)
            }
            return result(a.count, b.count)
        }
        throw LanguageError("cannot compare \(lhs.kindName) and \(rhs.kindName) with \(op.rawValue)", at: location)
    }

    /// -1, 0 or 1 as the int `a` is below, at or above `b`, a float that `a` rounds to as a
    /// Double (so `b` is whole, and at most 2⁶³).
    static func sign(of a: Int, against b: Double) -> Int {
        if b >= 0x1p63 { return -1 }
        let whole = Int(b)
        return a < whole ? -1 : a > whole ? 1 : 0
    }

    /// Python's ==: numbers by value, text by text, containers item by item, Values (and
    /// everything else) by identity. Throws only for containers nested too deep to compare
    /// (a list that holds itself, say), as Python does.
    ///
    /// A Value and a plain number compare by the Value's data, as < and >= compare them: the
    /// notebook makes `x = 2.0` a Value, and `x == 2.0` should not be False while `x >= 2.0`
    /// and `x <= 2.0` are True. (Two Values are still equal only if they are the same node,
    /// as in micrograd; and a Value as a dict key or set member is still found only by
    /// itself.)
    func equal(_ lhs: Object, _ rhs: Object, at location: SourceLocation) throws(LanguageError) -> Bool {
        func allEqual(_ a: [Object], _ b: [Object]) throws(LanguageError) -> Bool {
            guard a.count == b.count else { return false }
            try checkStack(at: location, nesting: true)
            for (x, y) in zip(a, b) where !(try equal(x, y, at: location)) { return false }
            return true
        }
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return a == b
        case (.none, .none): return true
        case (.value(let a), .value(let b)): return a == b
        case (.list(let a), .list(let b)): return a === b ? true : try allEqual(a.items, b.items)
        case (.tuple(let a), .tuple(let b)): return a === b ? true : try allEqual(a.items, b.items)
        case (.set(let a), .set(let b)): return Set(a.members.keys) == Set(b.members.keys)
        case (.dict(let a), .dict(let b)):
            guard a.entries.count == b.entries.count else { return false }
            try checkStack(at: location, nesting: true)
            for (key, entry) in a.entries {
                guard let other = b.entries[key], try equal(other.value, entry.value, at: location) else { return false }
            }
            return true
        case (.integer(let a), .integer(let b)): return a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)):
            return Double(a) == b && Self.sign(of: a, against: b) == 0
        case (.value(let v), _) where rhs.double != nil: return v.data == rhs.double!
        case (_, .value(let v)) where lhs.double != nil: return lhs.double! == v.data
        default:
            if let a = lhs.double, let b = rhs.double { return a == b }
            return identical(lhs, rhs)
        }
    }

    func identical(_ lhs: Object, _ rhs: Object) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.value(let a), .value(let b)): return a == b
        case (.list(let a), .list(let b)): return a === b
        case (.tuple(let a), .tuple(let b)): return a === b
        case (.set(let a), .set(let b)): return a === b
        case (.dict(let a), .dict(let b)): return a === b
        case (.function(let a), .function(let b)): return a === b
        case (.builtin(let a), .builtin(let b)): return a == b
        case (.module(let a), .module(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        default: return false
        }
    }

    func contains(_ container: Object, _ item: Object, at location: SourceLocation) throws(LanguageError) -> Bool {
        switch container {
        case .list(let l): return try l.items.firstIndex(equalTo: item, by: self, at: location) != nil
        case .tuple(let t): return try t.items.firstIndex(equalTo: item, by: self, at: location) != nil
        case .set(let s): return s.members[try hashKey(item, at: location)] != nil
        case .dict(let d): return d.entries[try hashKey(item, at: location)] != nil
        case .string(let s):
            guard case .string(let part) = item else {
                throw LanguageError("'in' a string looks for a string, not \(item.kindName)", at: location)
            }
            return part.isEmpty || s.contains(part)
        default:
            throw LanguageError(
                "cannot look for something 'in' \(container.kindName); a list, a set, a dict or a string can hold things", at: location)
        }
    }

    /// Whether an `if` or `while` takes `x` as true: as Python does (None, False, 0 and
    /// empty things are false; a Value, like any object, is true).
    func truth(_ x: Object, at location: SourceLocation) throws(LanguageError) -> Bool {
        switch x {
        case .none: false
        case .bool(let b): b
        case .integer(let i): i != 0
        case .number(let d): d != 0
        case .string(let s): !s.isEmpty
        case .list(let l): !l.items.isEmpty
        case .tuple(let items): !items.isEmpty
        case .set(let s): !s.order.isEmpty
        case .dict(let d): !d.order.isEmpty
        default: true
        }
    }

    /// What makes `x` the same set member or dict key as another.
    func hashKey(_ x: Object, at location: SourceLocation) throws(LanguageError) -> HashKey {
        switch x {
        case .none: return .none
        case .bool, .integer, .number:
            // (nan equals nothing, itself included, so it could be put in and never found
            // again: a dict with a nan key stopped the program when it was printed.)
            guard let d = x.double, !d.isNaN else {
                throw LanguageError("nan cannot go in a set or be a dict's key: it equals nothing, not even itself", at: location)
            }
            return .number(d)
        case .string(let s): return .string(s)
        case .value(let v): return .value(v)
        case .tuple(let items):
            try checkStack(at: location, nesting: true)  // (a tuple of a tuple of … )
            var keys: [HashKey] = []
            for item in items { keys.append(try hashKey(item, at: location)) }
            return .tuple(keys)
        case .function(let f): return .identity(ObjectIdentifier(f))
        case .builtin(let b): return .builtin(b.rawValue)
        case .module(let m): return .builtin("module " + m.rawValue)
        default:
            throw LanguageError("\(x.kindName) cannot go in a set or be a dict's key (it can change); a tuple can", at: location)
        }
    }
}

extension Object {
    var boolAsInteger: Object {
        if case .bool(let b) = self { return .integer(b ? 1 : 0) }
        return self
    }
}

extension [Object] {
    /// The first index of an item equal (Python's ==) to `item`.
    func firstIndex(equalTo item: Object, by interpreter: Interpreter, at location: SourceLocation) throws(LanguageError) -> Int? {
        for (i, x) in enumerated() where try interpreter.equal(x, item, at: location) { return i }
        return nil
    }
}
