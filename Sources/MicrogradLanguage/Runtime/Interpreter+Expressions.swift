import Micrograd

extension Interpreter {
    func evaluate(_ e: Expr, _ context: Context) throws(LanguageError) -> Object {
        switch e.kind {
        case .number(let x): return .number(x)
        case .integer(let i): return .integer(i)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        case .none: return .none
        case .formatted(let parts): return .string(try format(parts, context))
        case .name(let n): return try lookup(n, context, at: e.location)
        case .list(let items):
            var out: [Object] = []
            for item in items { out.append(try evaluate(item, context)) }
            return try list(out)
        case .tuple(let items):
            var out: [Object] = []
            for item in items { out.append(try evaluate(item, context)) }
            return .tuple(TupleObject(out))
        case .set(let items):
            let set = SetObject(budget: budget)
            for item in items {
                let value = try evaluate(item, context)
                set.insert(try hashKey(value, at: item.location), value)
            }
            return .set(set)
        case .dict(let pairs):
            let dict = DictObject(budget: budget)
            for pair in pairs {
                let key = try evaluate(pair.key, context)
                dict.set(try hashKey(key, at: pair.key.location), key, try evaluate(pair.value, context))
            }
            return .dict(dict)
        case .comprehension(let c):
            return try comprehension(c, context, at: e.location)
        case .unary(let op, let operand):
            let x = try evaluate(operand, context)
            if op == .negate, case .integer(.min) = x {
                console.warn(
                    LanguageError(
                        "-(\(Int.min)) is past the largest whole number here (2**63 - 1), so it was worked out as a float, 9.223372036854776e+18, with about 16 digits right; Python's int would be exact",
                        at: e.location, in: context.source))
            }
            return op == .plus ? try arithmetic(.add, .integer(0), x, at: e.location) : try negate(x, at: e.location)
        case .binary(let op, let l, let r):
            let lhs = try evaluate(l, context)
            let rhs = try evaluate(r, context)
            let result = try arithmetic(op, lhs, rhs, at: e.location)
            warnIfPast64Bits(op, lhs, rhs, result, at: e.location, context)
            return result
        case .compare(let first, let rest):
            var lhs = try evaluate(first, context)
            for (op, rightExpr) in rest {
                let rhs = try evaluate(rightExpr, context)
                guard try compare(op, lhs, rhs, at: e.location) else { return .bool(false) }
                lhs = rhs
            }
            return .bool(true)
        case .and(let l, let r):
            let lhs = try evaluate(l, context)
            return try truth(lhs, at: l.location) ? try evaluate(r, context) : lhs
        case .or(let l, let r):
            let lhs = try evaluate(l, context)
            return try truth(lhs, at: l.location) ? lhs : try evaluate(r, context)
        case .not(let x):
            return .bool(!(try truth(try evaluate(x, context), at: x.location)))
        case .conditional(let test, let then, let otherwise):
            return try truth(try evaluate(test, context), at: test.location)
                ? try evaluate(then, context) : try evaluate(otherwise, context)
        case .lambda(let definition):
            var defaults: [Object?] = []
            for p in definition.parameters {
                defaults.append(try p.defaultValue.map { d throws(LanguageError) in try evaluate(d, context) })
            }
            return .function(Function(definition, defaults: defaults, closure: context.environment))
        case .call(let callee, let args):
            return try call(callee, args, context, at: e.location)
        case .attribute(let baseExpr, let name):
            return try attribute(name, of: try evaluate(baseExpr, context), at: e.location)
        case .index(let baseExpr, let indexExpr):
            let base = try evaluate(baseExpr, context)
            if case .slice(let lower, let upper, let step) = indexExpr.kind {
                func bound(_ x: Expr?) throws(LanguageError) -> Object? {
                    try x.map { e throws(LanguageError) in try evaluate(e, context) }
                }
                return try slice(base, try bound(lower), try bound(upper), try bound(step), at: indexExpr.location)
            }
            return try item(of: base, try evaluate(indexExpr, context), at: e.location, indexAt: indexExpr.location)
        case .slice:
            throw LanguageError("a slice a:b goes inside brackets, as in xs[1:3]", at: e.location)
        }
    }

    /// What `name` means in `context`: a local, a name of an enclosing function, a global,
    /// or a built-in, in that order.
    func lookup(_ name: String, _ context: Context, at location: SourceLocation, calling: Bool = false) throws(LanguageError) -> Object {
        switch resolve(name, context) {
        case .bound(let found): return found
        case .unassignedLocal(let function, let fromInside):
            throw readBeforeAssigned(name, in: (function, fromInside), at: location, context)
        case .unbound:
            if let builtin = Builtin.named(name) { return .builtin(builtin) }
            throw undefined(name, context, at: location, calling: calling)
        }
    }

    /// What a name means in a context, short of the built-ins.
    enum Resolution {
        case bound(Object)
        /// A local of `function` (assigned somewhere in it) with no value yet, which hides
        /// any name of the same spelling outside it, as in Python; `fromInside` when it is
        /// read from a function defined inside that one.
        case unassignedLocal(FunctionDefinition, fromInside: Bool)
        case unbound
    }

    /// Warns when two whole numbers gave a float because the result is past 64 bits
    /// (Python's ints have no limit: there it would be exact).
    @inline(__always)
    func warnIfPast64Bits(
        _ op: BinaryOperator, _ lhs: Object, _ rhs: Object, _ result: Object, at location: SourceLocation, _ context: Context
    ) {
        guard case .number(let x) = result, case .integer(let a) = lhs, case .integer(let b) = rhs, op != .divide,
            op != .power || b >= 0
        else { return }
        console.warn(
            LanguageError(
                x.isFinite
                    ? "\(a) \(op.rawValue) \(b) is past the largest whole number here (2**63 - 1), so it was worked out as a float, \(x.pythonDescription), with about 16 digits right; Python's int would be exact"
                    : "\(a) \(op.rawValue) \(b) is past the largest whole number here (2**63 - 1), and past the largest float too, so it is \(x.pythonDescription); Python's int would be exact",
                at: location, in: context.source))
    }

    /// `name` in `context`: a local, a name of an enclosing function, or a global.
    func resolve(_ name: String, _ context: Context) -> Resolution {
        // (The scopes are gone through unretained: `context` holds the innermost, and each
        // holds the one around it. Retaining each on the way, for every name read, was a
        // tenth of a training loop's time.)
        var next = context.environment.map { Unmanaged.passUnretained($0) }
        var fromInside = false
        while let scope = next {
            let found: Resolution? = scope._withUnsafeGuaranteedRef { environment in
                if let value = environment.values[name] { return .bound(value) }
                if environment.isCall {
                    if environment.isLocal(name) { return .unassignedLocal(environment.definition!, fromInside: fromInside) }
                    fromInside = true
                }
                next = environment.parent.map { Unmanaged.passUnretained($0) }
                return nil
            }
            if let found { return found }
        }
        return globals[name].map(Resolution.bound) ?? .unbound
    }

    /// Python's UnboundLocalError (and its NameError for a closure), said the notebook's way:
    /// the way out is `nonlocal` where a function around this one has the name (`x += 1` in
    /// a closure over x), else `global`.
    func readBeforeAssigned(
        _ name: String, in owner: (function: FunctionDefinition, fromInside: Bool), at location: SourceLocation,
        _ context: Context
    ) -> LanguageError {
        let f = owner.function.name
        if owner.fromInside {
            return LanguageError(
                "'\(name)' is read before it is given a value in \(f), the function this one is defined in; assign it there before this function is called",
                at: location)
        }
        // (The scopes of the functions around the one where the name is local.)
        var outer = context.environment
        while let scope = outer, scope.definition !== owner.function { outer = scope.parent }
        outer = outer?.parent
        while let scope = outer {
            if scope.isCall, scope.values[name] != nil || scope.isLocal(name), let around = scope.definition?.name {
                return LanguageError(
                    "'\(name)' is read before it is given a value in \(f): it is assigned in \(f), which makes it local there; to change the \(name) of \(around), the function around it, write nonlocal \(name) first",
                    at: location)
            }
            outer = scope.parent
        }
        return LanguageError(
            "'\(name)' is read before it is given a value in \(f): it is assigned in \(f), which makes it local there; to change the global \(name), write global \(name) first",
            at: location)
    }

    /// The error for a name that means nothing: a guess at the one meant, or a pointer to
    /// what a Python user is looking for.
    func undefined(_ name: String, _ context: Context, at location: SourceLocation, calling: Bool = false) -> LanguageError {
        if let pointer = Self.pointers[name] { return LanguageError("'\(name)' is not defined here; \(pointer)", at: location) }
        if let module = Module(rawValue: name) {
            return LanguageError("'\(name)' is not defined; import it first: import \(module.rawValue)", at: location)
        }
        if Self.pythonBuiltins.contains(name) {
            return LanguageError(
                "'\(name)' is one of Python's built-ins that the notebook does not have; :help lists those it has", at: location)
        }
        var known = Array(globals.keys) + Builtin.allCases.map(\.rawValue)
        var e = context.environment
        while let environment = e {
            known += environment.values.keys
            e = environment.parent
        }
        var message = "'\(name)' is not defined"
        if let guess = Suggestions.closest(to: name, among: known) {
            message += "; did you mean '\(guess)'?"
        } else {
            message += calling ? "; define it first, as in def \(name)(x): …" : "; give it a value first, as in \(name) = 2.0"
        }
        return LanguageError(message, at: location)
    }

    /// Python's built-ins that the notebook leaves out.
    static let pythonBuiltins: Set<String> = [
        "pow", "divmod", "chr", "ord", "hex", "bin", "oct", "id", "hash", "iter", "next", "open", "input", "eval",
        "exec", "format", "vars", "dir", "getattr", "setattr", "hasattr", "delattr", "callable", "super", "object",
        "frozenset", "bytes", "bytearray", "complex", "slice", "globals", "locals", "issubclass", "ascii",
    ]

    /// Names a Python user reaches for that the notebook spells otherwise.
    static let pointers: [String: String] = [
        "draw_dot": ":graph L draws a graph here, and :dot L FILE or :svg L FILE write one",
        "exit": "type exit() or :quit (or Ctrl-D) to leave",
        "quit": "type quit() or :quit (or Ctrl-D) to leave",
        // (The usual short names of modules: said as `import` of the module says it.)
        "np": Parser.missingModule("numpy")!,
        "plt": Parser.missingModule("matplotlib")!,
        "torch": Parser.missingModule("torch")!,
        "make_moons": "scikit-learn is not here; moons() gives micrograd's two-moons data: X, y = moons()",
        "self": "there are no classes here, so no self; write each method as a function of its own",
    ]

    // MARK: Comprehensions

    /// `[element for … in … if …]`, with its variables in a scope of their own.
    func comprehension(_ c: Comprehension, _ context: Context, at location: SourceLocation) throws(LanguageError) -> Object {
        let scope = Environment(parent: context.environment, definition: nil)
        let inner = Context(environment: scope, source: context.source)
        if c.kind != .set, c.clauses.count == 1, case .for(let target, let iterableExpr) = c.clauses[0] {
            return try list(try simpleComprehension(c.element, target, iterableExpr, context, inner))
        }
        var out: [Object] = []
        let set = c.kind == .set ? SetObject(budget: budget) : nil
        func run(_ clause: Int) throws(LanguageError) {
            guard clause < c.clauses.count else {
                let value = try evaluate(c.element, inner)
                if let set { set.insert(try hashKey(value, at: c.element.location), value) } else { out.append(value) }
                if out.count & 4095 == 0 { try budget.reserve(out.count) }
                return
            }
            switch c.clauses[clause] {
            case .for(let target, let iterableExpr):
                // The first iterable is evaluated outside the comprehension, as Python does.
                let iterable = try evaluate(iterableExpr, clause == 0 ? context : inner)
                let column = try loopColumn(iterable, at: iterableExpr.location)
                loopItems.append(column.tracked)  // (see `simpleComprehension`)
                let level = loopItems.count - 1
                defer { loopItems.removeLast() }
                var k = 0
                while k < column.count {
                    try checkInterrupt()
                    try assignRound(k, of: [column], to: target, zipTargets: [], trackedAt: level, inner, valueAt: iterableExpr.location)
                    try run(clause + 1)
                    k += 1
                }
            case .if(let test):
                if try truth(try evaluate(test, inner), at: test.location) { try run(clause + 1) }
            }
        }
        try run(0)
        if let set { return .set(set) }
        return try list(out)
    }

    /// `[element for target in iterable]`, the form most comprehensions take, as one loop:
    /// the same steps in the same order as `comprehension`'s clause by clause, without a
    /// call per clause and with the result's room reserved.
    private func simpleComprehension(
        _ element: Expr, _ target: Target, _ iterableExpr: Expr, _ context: Context, _ inner: Context
    ) throws(LanguageError) -> [Object] {
        // The iterable is evaluated outside the comprehension, as Python does.
        let (columns, zipTargets) = try loopColumns(target, iterableExpr, context)
        // (Its items are where the session moves Values, as a `for` statement's are: a loop
        // in a function called for an item may move what a list held only here holds.)
        for column in columns { loopItems.append(column.tracked) }
        let level = loopItems.count - columns.count
        defer { loopItems.removeLast(columns.count) }
        var out: [Object] = []
        out.reserveCapacity(LoopColumn.rounds(columns))
        // Where the loop's names are in the comprehension's own scope, once the first round
        // has bound them: the later rounds bind them there without looking for them (the
        // element, an expression, cannot unbind them or bind others there).
        var places: [Int]?
        var k = 0
        while k < LoopColumn.rounds(columns) {
            try checkInterrupt()
            if let places, let scope = inner.environment {
                for j in places.indices { scope.values.rebind(at: places[j], to: roundItem(k, of: columns, j, trackedAt: level)) }
            } else {
                try assignRound(
                    k, of: columns, to: target, zipTargets: zipTargets, trackedAt: level, inner, valueAt: iterableExpr.location)
                if k == 0, let names = Self.names(of: zipTargets.isEmpty ? [target] : zipTargets) {
                    let found = names.compactMap { inner.environment?.values.place(of: $0) }
                    if found.count == names.count { places = found }
                }
            }
            try checkRoomToGrow(to: out.count + 1, capacity: out.capacity, itemBytes: MemoryLayout<Object>.stride)
            out.append(try evaluate(element, inner))
            if out.count & 4095 == 0 { try budget.reserve(out.count) }
            k += 1
        }
        return out
    }

    /// What one name of a loop goes through. A list is read as it is at each round, as
    /// Python reads it: an item appended during the loop is reached (a list used as a
    /// queue of work), and removing one moves the rest up. Anything else (a tuple, a
    /// set, a dict's keys, a string's characters) is taken as it is when the loop starts.
    struct LoopColumn {
        let list: ListObject?
        let items: [Object]
        /// For enumerate's numbers: the first (the column has no end of its own).
        let start: Int?

        init(list: ListObject) {
            self.list = list
            items = []
            start = nil
        }

        init(items: [Object]) {
            list = nil
            self.items = items
            start = nil
        }

        /// `start`, `start + 1`, …: enumerate's count, beside the column it numbers.
        init(countingFrom start: Int) {
            list = nil
            items = []
            self.start = start
        }

        var count: Int { start != nil ? Int.max : list?.items.count ?? items.count }

        /// What the session keeps where it can move it between the rounds of a top-level
        /// loop: the list itself (moved where it is), or the items.
        var tracked: [Object] { list.map { [.list($0)] } ?? items }

        /// How many rounds the loop has now: the fewest items of its columns (zip stops at
        /// the shortest list).
        @inline(__always)
        static func rounds(_ columns: [LoopColumn]) -> Int {
            columns.count == 1 ? columns[0].count : columns.lazy.map(\.count).min() ?? 0
        }
    }

    /// What a loop (a `for`, or a comprehension's) goes through: its iterable, one column;
    /// or, for `for a, b in zip(xs, ys)`, the lists zip pairs up (see `zippedColumns`),
    /// with the names each list's items go to.
    func loopColumns(
        _ target: Target, _ iterableExpr: Expr, _ context: Context
    ) throws(LanguageError) -> (columns: [LoopColumn], zipTargets: [Target]) {
        if case .unpack(let parts, _) = target, let zipped = try zippedColumns(iterableExpr, count: parts.count, context) {
            return (zipped, parts)
        }
        if case .unpack(let parts, _) = target, parts.count == 2, let numbered = try enumeratedColumns(iterableExpr, context) {
            return (numbered, parts)
        }
        return ([try loopColumn(try evaluate(iterableExpr, context), at: iterableExpr.location)], [])
    }

    /// What a loop goes through of `object`: a list itself, read live; anything else's
    /// items (for `zip`'s arguments, with zip's error for what has none).
    func loopColumn(_ object: Object, at location: SourceLocation, for builtin: Builtin? = nil) throws(LanguageError) -> LoopColumn {
        if case .list(let l) = object { return LoopColumn(list: l) }
        if let builtin { return LoopColumn(items: try items(of: object, for: builtin, at: location)) }
        return LoopColumn(items: try iterate(object, at: location))
    }

    /// Round `k` of a loop over `columns` (see `loopColumns`): its item to `target`, or
    /// each zipped list's item to its name. A loop tracked in `loopItems` from `level` on
    /// reads items that are not a list's there, where the session moves them between
    /// rounds (a list is moved where it is). (`target` itself for a plain loop: an item
    /// of `zipTargets` is a copy, a retain a round.)
    @inline(__always)
    func assignRound(
        _ k: Int, of columns: [LoopColumn], to target: Target, zipTargets: [Target], trackedAt level: Int?, _ context: Context,
        valueAt location: SourceLocation
    ) throws(LanguageError) {
        guard !zipTargets.isEmpty else {
            return try assign(roundItem(k, of: columns, 0, trackedAt: level), to: target, context, valueAt: location, isLoop: true)
        }
        for j in zipTargets.indices {
            try assign(roundItem(k, of: columns, j, trackedAt: level), to: zipTargets[j], context, valueAt: location, isLoop: true)
        }
    }

    /// Round `k`'s item of column `j`.
    @inline(__always)
    func roundItem(_ k: Int, of columns: [LoopColumn], _ j: Int, trackedAt level: Int?) -> Object {
        if let list = columns[j].list { return list.items[k] }
        if let start = columns[j].start { return .integer(start + k) }
        return level.map { loopItems[$0 + j][k] } ?? columns[j].items[k]
    }

    /// The names `targets` are, if each is a plain name (not `a, b` or `xs[0]`).
    static func names(of targets: [Target]) -> [String]? {
        var names: [String] = []
        for target in targets {
            guard case .name(let name, _) = target else { return nil }
            names.append(name)
        }
        return names
    }

    /// The lists that `zip(xs, ys, …)` pairs up, when a loop takes each pair apart into
    /// as many names (`for x, y in zip(xs, ys)`, the tutorial's way through a data set):
    /// the loop then reads the lists side by side, as Python's lazy zip does, rather than
    /// making a tuple for every pair and taking it apart again. Nil for any other loop,
    /// and where `zip` is a name of the learner's.
    func zippedColumns(_ iterableExpr: Expr, count: Int, _ context: Context) throws(LanguageError) -> [LoopColumn]? {
        guard case .call(let callee, let args) = iterableExpr.kind, case .name("zip") = callee.kind, args.count == count,
            args.allSatisfy({ $0.label == nil }), case .unbound = resolve("zip", context)
        else { return nil }
        // (Every argument first, then their items, as Python's zip takes them.)
        var lists: [Object] = []
        for arg in args { lists.append(try evaluate(arg.value, context)) }
        var columns: [LoopColumn] = []
        columns.reserveCapacity(count)
        for (object, arg) in zip(lists, args) { columns.append(try loopColumn(object, at: arg.value.location, for: .zip)) }
        return columns
    }

    /// `for i, x in enumerate(xs)` (or with a start): a count beside `xs`'s column, so a
    /// list is read live, as Python's lazy enumerate reads it (it was the list as it was
    /// when the loop began). Nil for any other loop, and where `enumerate` is the learner's.
    func enumeratedColumns(_ iterableExpr: Expr, _ context: Context) throws(LanguageError) -> [LoopColumn]? {
        guard case .call(let callee, let args) = iterableExpr.kind, case .name("enumerate") = callee.kind,
            (1...2).contains(args.count), args[0].label == nil, args.count == 1 || [nil, "start"].contains(args[1].label),
            case .unbound = resolve("enumerate", context)
        else { return nil }
        let object = try evaluate(args[0].value, context)
        let start = try enumerateStart(args.count > 1 ? (try evaluate(args[1].value, context), args[1].value.location) : nil)
        return [LoopColumn(countingFrom: start), try loopColumn(object, at: args[0].value.location, for: .enumerate)]
    }

    /// The items of an argument of `builtin` (zip, sum, sorted, …), as a loop goes through
    /// them; its error names the built-in, not a loop.
    func items(of value: Object, for builtin: Builtin, at location: SourceLocation) throws(LanguageError) -> [Object] {
        switch value {
        case .list, .tuple, .set, .dict, .string: return try iterate(value, at: location)
        default:
            throw LanguageError(
                "\(builtin.rawValue) goes through a list (such as range(10) or xs), not \(value.kindName)\(value.notCalledHint)",
                at: location)
        }
    }

    /// The items a `for` goes through: a list's, a tuple's, a set's, a dict's keys, a
    /// string's characters.
    func iterate(_ object: Object, at location: SourceLocation) throws(LanguageError) -> [Object] {
        switch object {
        case .list(let l): return l.items
        case .tuple(let t): return t.items
        case .set(let s): return s.items
        case .dict(let d): return d.pairs.map(\.key)
        case .string(let s): return try characters(of: s, at: location).map { .string(String($0)) }
        default:
            throw LanguageError(
                "a loop needs a list (such as range(10) or xs), not \(object.kindName)\(object.notCalledHint)", at: location)
        }
    }

    // MARK: Items

    /// The characters of `s`, to go through one at a time: as many as a list may hold (a
    /// string of ten million letters made a list of 240 MB).
    func characters(of s: String, at location: SourceLocation) throws(LanguageError) -> [Character] {
        guard s.utf8.count <= limits.listLength || s.count <= limits.listLength else {
            throw LanguageError(
                "that string has \(s.count) characters; going through it a character at a time makes a list of them, which may hold at most \(limits.listLength) items\(limits.memoryNote)",
                at: location)
        }
        return Array(s)
    }

    func listIndex(_ index: Object, count: Int, at location: SourceLocation, of what: String = "a list") throws(LanguageError) -> Int {
        func outOfRange(_ i: Int) -> LanguageError {
            LanguageError("index \(i) is out of range for \(what) of \(count) \(what == "a string" ? "characters" : "items")", at: location)
        }
        // (A whole number past any list's length is out of range, however large.)
        if case .integer(let i) = index, i.magnitude > UInt(count) { throw outOfRange(i) }
        guard let x = index.plainNumber.double, x == x.rounded(), Swift.abs(x) < 1e15 else {
            throw LanguageError("a list index is a whole number, not \(Self.notWhole(index))", at: location)
        }
        // (A float or a Value that happens to be whole is refused too, as Python refuses it:
        // `xs[len(xs)/2]` working here would fail the learner's Python later.)
        switch index {
        case .integer, .bool: break
        default:
            throw LanguageError(
                "a list index is an int, not \(index.echo), \(index.kindName == "a number" ? "a float" : index.kindName), as in Python: write int(…) around it, or divide with // to get an int",
                at: location)
        }
        let i = Int(x) < 0 ? Int(x) + count : Int(x)
        guard 0 <= i && i < count else { throw outOfRange(Int(x)) }
        return i
    }

    func item(
        of base: Object, _ index: Object, at location: SourceLocation, indexAt indexLocation: SourceLocation
    ) throws(LanguageError) -> Object {
        switch base {
        case .list(let l): return l.items[try listIndex(index, count: l.items.count, at: indexLocation)]
        case .tuple(let items): return items[try listIndex(index, count: items.count, at: indexLocation, of: "a tuple")]
        case .string(let s):
            let chars = try characters(of: s, at: location)
            return .string(String(chars[try listIndex(index, count: chars.count, at: indexLocation, of: "a string")]))
        case .dict(let d):
            guard let entry = d.entries[try hashKey(index, at: indexLocation)] else {
                throw LanguageError("\(index.echo) is not a key of the dict", at: indexLocation)
            }
            return entry.value
        default:
            throw LanguageError("only a list can be indexed, not \(base.kindName)", at: location)
        }
    }

    /// `base[lower:upper:step]`, Python's way (negative bounds count from the end).
    func slice(
        _ base: Object, _ lower: Object?, _ upper: Object?, _ step: Object?, at location: SourceLocation
    ) throws(LanguageError) -> Object {
        func pick<T>(_ items: [T]) throws(LanguageError) -> [T] {
            try sliceIndices(count: items.count, lower, upper, step, at: location).map { items[$0] }
        }
        switch base {
        case .list(let l): return try list(try pick(l.items))
        case .tuple(let t): return .tuple(TupleObject(try pick(t.items)))
        case .string(let s): return .string(String(try pick(try characters(of: s, at: location))))
        default: throw LanguageError("only a list, a tuple or a string can be sliced, not \(base.kindName)", at: location)
        }
    }

    /// The places `[lower:upper:step]` picks out of `count` items, in order.
    func sliceIndices(
        count n: Int, _ lower: Object?, _ upper: Object?, _ step: Object?, at location: SourceLocation
    ) throws(LanguageError) -> [Int] {
        func whole(_ x: Object?) throws(LanguageError) -> Int? {
            guard let x, !x.isNone else { return nil }
            // (Any whole number will do, as in Python: xs[:10**18] is all of xs.)
            if case .integer(let i) = x { return Swift.max(Swift.min(i, 1 << 53), -(1 << 53)) }
            guard let d = x.plainNumber.double, d == d.rounded(), Swift.abs(d) < 1e15 else {
                throw LanguageError("a slice's bounds are whole numbers, not \(Self.notWhole(x))", at: location)
            }
            return Int(d)
        }
        let stride = try whole(step) ?? 1
        guard stride != 0 else { throw LanguageError("a slice's step cannot be 0", at: location) }
        func clamp(_ i: Int?, _ fallback: Int) -> Int {
            guard var i else { return fallback }
            if i < 0 { i += n }
            return stride > 0 ? Swift.min(Swift.max(i, 0), n) : Swift.min(Swift.max(i, -1), n - 1)
        }
        let start = clamp(try whole(lower), stride > 0 ? 0 : n - 1)
        let end = clamp(try whole(upper), stride > 0 ? n : -1)
        var out: [Int] = []
        var i = start
        while stride > 0 ? i < end : i > end {
            out.append(i)
            i += stride
        }
        return out
    }
}
