import Micrograd

extension Interpreter {
    /// Runs a block of statements, stopping at a break, continue or return.
    func execute(_ statements: [Statement], _ context: Context) throws(LanguageError) -> Flow {
        for i in statements.indices {  // (by index: no copy of each statement)
            let flow = try execute(statements[i], context)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    /// After a round of a loop: the session may reclaim the nodes that nothing can reach
    /// any more, once the graph has grown to the size it asked for. At the top level (no
    /// function call under way, so every Value is held by a name or a loop's items), those
    /// the statement made; inside a function, those the loop made (see `InnerLoop`): a
    /// training loop in a `def train(steps)` ran out of nodes at 20 million, all but the
    /// last step's unreachable.
    @inline(__always)
    func roundEnded(_ context: Context, _ loop: inout InnerLoop) {
        if context.isTopLevel && callDepth == 0 {
            // (What is kept is most likely the innermost round under way that has made
            // nodes, from where it began: the training step whose loss a name holds, also
            // when the loop over the parameters inside it, which makes none, has just ended
            // a round. Reclaiming checks that guess. Starts it left past the graph's end are
            // taken back to the statement's start, where a block kept whole moves to.)
            if graph.count > loopCompactionPast {
                console.loopRoundEnded(roundStart: topRoundStarts.last { $0 < graph.count } ?? statementStart)
                for i in topRoundStarts.indices where topRoundStarts[i] > graph.count { topRoundStarts[i] = statementStart }
            }
            topRoundStarts[topRoundStarts.count - 1] = graph.count
        } else {
            if graph.count > loop.next { loop.next = console.innerLoopRoundEnded(&loop, scope: context.environment) }
            loop.roundStart = graph.count
        }
    }

    /// A loop starts: counted, and for a top-level one its first round's start noted (see
    /// `roundEnded`). `loopEnds` undoes both.
    func loopBegins(_ context: Context) -> InnerLoop {
        loopDepth += 1
        if context.isTopLevel && callDepth == 0 { topRoundStarts.append(graph.count) }
        return InnerLoop(base: graph.count)
    }

    func loopEnds(_ context: Context) {
        loopDepth -= 1
        if context.isTopLevel && callDepth == 0 { topRoundStarts.removeLast() }
    }

    func execute(_ statement: Statement, _ context: Context) throws(LanguageError) -> Flow {
        switch statement.kind {
        case .expression(let e):
            _ = try evaluate(e, context)
        case .assignment(let targets, let valueExpr):
            let value = try evaluate(valueExpr, context)
            if context.isTopLevel, case .none = value, case .call = valueExpr.kind {
                throw LanguageError("\(valueExpr) gives nothing to assign", at: valueExpr.location)
            }
            for target in targets { try assign(value, to: target, context, valueAt: valueExpr.location, source: valueExpr) }
            if context.isTopLevel, targets.contains(where: { if case .name = $0 { true } else { false } }) {
                // (Inside a loop only a number is looked at: `ys = xs` in a loop would
                // otherwise cost the length of xs every round, where Python's costs nothing.)
                warnIfNotFinite(value, of: valueExpr, at: valueExpr.location, in: context.source, levels: loopDepth == 0 ? 3 : 0)
            }
        case .augmented(let target, let op, let valueExpr):
            try augment(target, op, valueExpr, context)
        case .function(let definition):
            try define(definition, context, at: statement.location)
        case .for(let target, let iterableExpr, let body, let otherwise):
            if let range = try loopRange(iterableExpr, context) {
                // Whole numbers: nothing for the session to move between rounds.
                var loop = loopBegins(context)
                defer { loopEnds(context) }
                for k in 0..<range.count {
                    try checkInterrupt()
                    try assign(.integer(range.start &+ k &* range.step), to: target, context, valueAt: iterableExpr.location, isLoop: true)
                    switch try execute(body, context) {
                    case .normal, .continuing: roundEnded(context, &loop)
                    case .breaking: return .normal
                    case .returning(let value): return .returning(value)
                    }
                }
                return try execute(otherwise, context)
            }
            let (columns, zipTargets) = try loopColumns(target, iterableExpr, context)
            // Between rounds of a loop the session may move the Values made since a loop
            // began to new places, so a loop keeps its items where the session can move them
            // too (a list may be held by its loop alone, once its name is given another).
            for column in columns { loopItems.append(column.tracked) }
            let level = loopItems.count - columns.count
            var loop = loopBegins(context)  // (after the iterable: its items are older)
            defer {
                loopItems.removeLast(columns.count)
                loopEnds(context)
            }
            var k = 0
            while k < LoopColumn.rounds(columns) {
                try checkInterrupt()
                try assignRound(
                    k, of: columns, to: target, zipTargets: zipTargets, trackedAt: level, context, valueAt: iterableExpr.location)
                k += 1
                switch try execute(body, context) {
                case .normal, .continuing: roundEnded(context, &loop)
                case .breaking: return .normal
                case .returning(let value): return .returning(value)
                }
            }
            return try execute(otherwise, context)
        case .while(let test, let body, let otherwise):
            var loop = loopBegins(context)
            defer { loopEnds(context) }
            while try truth(try evaluate(test, context), at: test.location) {
                try checkInterrupt()
                switch try execute(body, context) {
                case .normal, .continuing: roundEnded(context, &loop)
                case .breaking: return .normal
                case .returning(let value): return .returning(value)
                }
            }
            return try execute(otherwise, context)
        case .if(let branches, let otherwise):
            for branch in branches where try truth(try evaluate(branch.test, context), at: branch.test.location) {
                return try execute(branch.body, context)
            }
            return try execute(otherwise, context)
        case .return(let e):
            guard !context.isTopLevel else {
                throw LanguageError("'return' belongs inside a function (def)", at: statement.location)
            }
            return .returning(try e.map { e throws(LanguageError) in try evaluate(e, context) } ?? .none)
        case .break:
            return .breaking
        case .continue:
            return .continuing
        case .pass:
            break
        case .import(let modules):
            for (module, alias) in modules {
                try bind(.module(try importModule(module, at: statement.location)), to: alias, context)
            }
        case .global:
            break  // read when the function was defined
        case .nonlocal:
            // (Inside a def it was read when the function was defined.)
            guard !context.isTopLevel else {
                throw LanguageError(
                    "nonlocal belongs inside a function defined in another function, to name a variable of the one around it",
                    at: statement.location)
            }
        case .delete(let targets):
            for target in targets { try delete(target, context) }
        case .assert(let test, let message):
            guard try truth(try evaluate(test, context), at: test.location) else {
                let text = try message.map { m throws(LanguageError) in try evaluate(m, context).printed } ?? "\(test) is not true"
                throw LanguageError("assertion failed: \(text)", at: statement.location)
            }
        case .command:
            throw LanguageError("a command such as :grad goes on a line of its own, outside any block", at: statement.location)
        }
        return .normal
    }

    /// Makes a function from its definition, evaluating its default values now, as Python does.
    func define(_ definition: FunctionDefinition, _ context: Context, at location: SourceLocation) throws(LanguageError) {
        // A nonlocal name must be a variable of a function around this one: said when the
        // def runs, as Python says it (it was said only at a call, at the call).
        for name in definition.nonlocals.sorted() {
            var e = context.environment
            var found = false
            while let environment = e, !found {
                found = environment.definition?.locals.contains(name) == true
                e = environment.parent
            }
            guard found else {
                throw LanguageError(
                    context.isTopLevel
                        ? "nonlocal \(name): \(definition.name) is not inside another function, so it has no enclosing variables; for a global name, write global \(name)"
                        : "nonlocal \(name): no function around \(definition.name) has a variable '\(name)'; assign it in the enclosing function first",
                    at: location)
            }
        }
        var defaults: [Object?] = []
        for p in definition.parameters {
            defaults.append(try p.defaultValue.map { e throws(LanguageError) in try evaluate(e, context) })
        }
        if context.isTopLevel, definition.isOneLine, let builtin = Builtin(rawValue: definition.name), globals[definition.name] == nil {
            console.warn(
                LanguageError(
                    "'\(definition.name)' was a built-in (\(builtin.usage)); it now means your function",
                    at: location, in: context.source))
        }
        try bind(.function(Function(definition, defaults: defaults, closure: context.environment)), to: definition.name, context)
    }

    func importModule(_ name: String, at location: SourceLocation) throws(LanguageError) -> Module {
        if let module = Module(rawValue: name) { return module }
        throw LanguageError(
            Parser.missingModule(name) ?? "there is no module '\(name)' here; the notebook has two: import math, import random",
            at: location)
    }

    // MARK: Assignment

    /// Binds `name` in the scope `context` assigns in.
    func bind(_ value: consuming Object, to name: String, _ context: Context) throws(LanguageError) {
        guard let scope = context.environment.map({ Unmanaged.passUnretained($0) }) else {
            globals.bind(name, to: value)
            return
        }
        // A name of the call's own (most are) is bound without retaining its scope, which
        // `context` holds: as in `resolve`, this runs for every assignment in a function.
        var pending: Object? = consume value
        let bound = scope._withUnsafeGuaranteedRef { environment in
            guard !environment.declaresNames else { return false }
            environment.values.bind(name, to: pending.take()!)
            return true
        }
        guard !bound, let value = pending.take() else { return }
        let environment = scope.takeUnretainedValue()
        if environment.declaresNames, let definition = environment.definition {
            if definition.globals.contains(name) {
                globals.bind(name, to: value)
                return
            }
            if definition.nonlocals.contains(name) {
                guard let holder = environment.parent?.holder(of: name) else {
                    throw LanguageError("nonlocal '\(name)' is not a name of an enclosing function")
                }
                holder.values.bind(name, to: value)
                return
            }
        }
        environment.values.bind(name, to: value)
    }

    /// Assigns `value` (from the expression `source`, when there is one) to `target`. At
    /// the top level a float written as a number (the notebook's `a = 2.0`, `b = -3.0`;
    /// ints stay ints, and a float computed by an expression stays a float) becomes a
    /// Value named after its name, and a Value without a label takes the name.
    func assign(
        _ value: consuming Object, to target: Target, _ context: Context, valueAt valueLocation: SourceLocation,
        isLoop: Bool = false, source: Expr? = nil
    ) throws(LanguageError) {
        // (`value` is taken, not copied: a name's new object is stored as it came.)
        switch target {
        case .name(let name, _):
            if context.isTopLevel && !isLoop {
                if case .number(let x) = value, source?.isFloatLiteral == true {
                    value = .value(Value(x, in: graph))
                    namesOfTypedFloats.insert(name)
                } else if !namesOfTypedFloats.isEmpty {
                    namesOfTypedFloats.remove(name)
                }
                if case .value(let v) = value, v.label == nil { v.label = name }
                // (A leaf, `h = 0.0001`, does not take the place of an expression assigned
                // before it: a command with no Value named means L, not the step typed after.)
                var replacesLast = true
                if case .value(let v) = value, v.op == .leaf, let last = lastAssigned, last != name,
                    case .value(let previous)? = globals[last]
                {
                    replacesLast = previous.op == .leaf
                }
                if replacesLast { lastAssigned = name }
            }
            try bind(value, to: name, context)
        case .attribute(let baseExpr, let attribute, let location):
            let base = try evaluate(baseExpr, context)
            try setAttribute(attribute, of: base, to: value, op: nil, at: location, context)
        case .index(let baseExpr, let indexExpr, let location):
            if case .slice = indexExpr.kind {
                throw LanguageError(
                    "assigning to a slice (xs[1:3] = …) is not part of the language; make the new list, as in xs = xs[:1] + [9] + xs[3:]",
                    at: indexExpr.location)
            }
            let base = try evaluate(baseExpr, context)
            let index = try evaluate(indexExpr, context)
            try setItem(of: base, index, to: value, at: location, indexAt: indexExpr.location)
        case .unpack(let targets, _):
            guard let items = value.sequence, items.count == targets.count else {
                // (The first few names: three million of them made a message of megabytes.)
                let names = targets.prefix(8).map(\.description).joined(separator: ", ") + (targets.count > 8 ? ", …" : "")
                throw LanguageError(
                    "cannot split \(value.kindName) into \(targets.count) name\(targets.count == 1 ? "" : "s") (\(names))",
                    at: valueLocation)
            }
            // The expression each part came from, when it was written out (`a, b = 2.0, 3.0`).
            var sources: [Expr]?
            if let source, case .tuple(let parts) = source.kind, parts.count == targets.count { sources = parts }
            if let source, case .list(let parts) = source.kind, parts.count == targets.count { sources = parts }
            for k in targets.indices {
                try assign(items[k], to: targets[k], context, valueAt: valueLocation, isLoop: isLoop, source: sources?[k])
            }
        }
    }

    /// Appends `more` to the string the name `name` is bound to, in the scope where reading
    /// it found it (where `s += t` binds it too: a name found further out is one declared
    /// global or nonlocal); false if it is not bound to a string there.
    private func appendInPlace(_ more: String, to name: String, _ context: Context) -> Bool {
        func append(_ object: inout Object) -> Bool {
            guard case .string(var s) = object else { return false }
            object = .none  // (the string then has one owner, `s`, and grows where it is)
            s += more
            object = .string(s)
            return true
        }
        if let holder = context.environment?.holder(of: name) { return holder.values.modify(name, append) ?? false }
        return globals.modify(name, append) ?? false
    }

    /// `target op= value`: a new node for a Value (as Python's `a = a + b`), in place for
    /// `data` and `grad`, and for a list's `+=`.
    func augment(_ target: Target, _ op: BinaryOperator, _ valueExpr: Expr, _ context: Context) throws(LanguageError) {
        switch target {
        case .name(let name, let location):
            var current: Object
            switch resolve(name, context) {
            case .bound(let found): current = found
            case .unassignedLocal(let function, let fromInside):
                throw readBeforeAssigned(name, in: (function, fromInside), at: location, context)
            case .unbound: throw LanguageError("'\(name)' has no value yet, so '\(op.rawValue)=' has nothing to add to", at: location)
            }
            let value = try evaluate(valueExpr, context)
            if case .list(let l) = current, op == .add, let more = value.sequence {
                try checkChangeable(l, at: location)
                try budget.reserve(more.count)
                l.items += more  // Python's list += extends the same list
                return
            }
            // `s += t` on a string: appended where the name keeps it, as CPython does when
            // nothing else holds the string, so a loop of appends is linear (a copy each
            // time made a million of them take 16 s). Our own copy is let go of first.
            if op == .add, case .string(let more) = value, let length = current.stringLength,
                length + more.utf8.count <= limits.stringLength
            {
                current = .none
                if appendInPlace(more, to: name, context) { return }
                if case .bound(let again) = resolve(name, context) { current = again }  // (not found there: not expected)
            }
            let result = try arithmetic(op, current, value, at: valueExpr.location)
            warnIfPast64Bits(op, current, value, result, at: location, context)
            try assign(result, to: target, context, valueAt: valueExpr.location)
        case .attribute(let baseExpr, let attribute, let location):
            let base = try evaluate(baseExpr, context)
            let value = try evaluate(valueExpr, context)
            try setAttribute(attribute, of: base, to: value, op: op, at: location, context)
        case .index(let baseExpr, let indexExpr, let location):
            let base = try evaluate(baseExpr, context)
            let index = try evaluate(indexExpr, context)
            let current = try item(of: base, index, at: location, indexAt: indexExpr.location)
            let value = try evaluate(valueExpr, context)
            let result = try arithmetic(op, current, value, at: valueExpr.location)
            warnIfPast64Bits(op, current, value, result, at: location, context)
            try setItem(of: base, index, to: result, at: location, indexAt: indexExpr.location)
        case .unpack:
            throw LanguageError("cannot assign to \(target) with '\(op.rawValue)='", at: target.location)
        }
    }

    func setAttribute(
        _ attribute: String, of base: Object, to value: Object, op: BinaryOperator?,
        at location: SourceLocation, _ context: Context
    ) throws(LanguageError) {
        // (Asked only on the way to an error: `p.data -= …` runs for every parameter.)
        func isOperation() -> Bool { attribute.hasPrefix("__") || Self.valueMethods.contains(attribute) }
        guard case .value(let v) = base else {
            if case .builtin(.Value) = base, isOperation() { throw Self.operationIsBuiltIn(attribute, at: location) }
            throw LanguageError("only a Value's data, grad and label can be set, not an attribute of \(base.kindName)", at: location)
        }
        // (data and grad found by their words, as `attribute(_:of:at:)` reads them: `p.data -= …` runs
        // for every parameter in every step, and a switch on the name compared strings.)
        let isData = attribute.isSpelled("data")
        if isData || attribute.isSpelled("grad") {
            guard var number = value.plainNumber.double else {
                throw LanguageError("\(attribute) takes a number, not \(value.kindName)", at: location)
            }
            if let op {
                let current = isData ? v.data : v.grad
                guard let x = try arithmetic(op, .number(current), .number(number), at: location).double else { return }
                number = x
            }
            if isData { v.data = number } else { v.grad = number }
            if !number.isFinite && context.isTopLevel {
                console.warn(LanguageError("\(attribute) is now \(number.pythonDescription)", at: location, in: context.source))
            }
            return
        }
        switch attribute {
        case "_backward":
            switch value {
            case .function, .builtin, .method: learner.backward[v] = value
            default:
                throw LanguageError(
                    "_backward is a function of no arguments, as in out._backward = _backward (after def _backward(): …)", at: location)
            }
        case "label":
            guard op == nil else { throw LanguageError("a label can only be set with '=', as in a.label = 'a'", at: location) }
            guard case .string(let s) = value else {
                throw LanguageError("a label is text in quotes, as in a.label = 'a'", at: location)
            }
            v.label = s
        default:
            if isOperation() { throw Self.operationIsBuiltIn(attribute, at: location) }
            throw LanguageError("a Value's \(attribute) cannot be set; only data, grad, label and _backward can", at: location)
        }
    }

    /// The error for `Value.__add__ = add` and the like: Python's way to add an operation
    /// to a class, which the notebook's built-in Value does not take; and its way instead.
    static func operationIsBuiltIn(_ attribute: String, at location: SourceLocation) -> LanguageError {
        LanguageError(
            "a Value's \(attribute) is built in and cannot be replaced; write your operation as a function that makes out = Value(…, (self, other), 'op') and sets out._backward, as in :lesson 4, and call it: add(a, b)",
            at: location)
    }

    func setItem(
        of base: Object, _ index: Object, to value: Object, at location: SourceLocation,
        indexAt indexLocation: SourceLocation
    ) throws(LanguageError) {
        switch base {
        case .list(let l):
            // (What an item, a key or a list lets go of is freed through `Teardown`: it may
            // be a tuple of a tuple of … millions deep.)
            try checkChangeable(l, at: location)
            let i = try listIndex(index, count: l.items.count, at: indexLocation)
            let old = l.items[i]
            l.items[i] = value
            Teardown.drop(consume old)
        case .dict(let d):
            // (128 bytes an item: the entry, and its place in the order and in the order's table.)
            try checkRoomToGrow(to: d.entries.count + 1, capacity: d.entries.capacity, itemBytes: 128)
            d.set(try hashKey(index, at: indexLocation), index, value)
        default:
            throw LanguageError("only an item of a list or a dict can be set, as in xs[0] = 1.0, not one of \(base.kindName)", at: location)
        }
    }

    func delete(_ target: Target, _ context: Context) throws(LanguageError) {
        switch target {
        case .name(let name, let location):
            if let environment = context.environment, environment.values[name] != nil {
                environment.values[name] = nil
            } else if context.environment == nil || context.environment?.definition?.globals.contains(name) == true,
                globals[name] != nil
            {
                globals[name] = nil
            } else {
                throw LanguageError("'\(name)' is not defined, so there is nothing to delete", at: location)
            }
        case .index(let baseExpr, let indexExpr, let location):
            let base = try evaluate(baseExpr, context)
            if case .slice(let lower, let upper, let step) = indexExpr.kind {
                // `del xs[1:3]`, `del xs[::2]`: the items the slice picks (it was refused as
                // "a slice goes inside brackets", which it was).
                guard case .list(let l) = base else {
                    throw LanguageError("only a list's items can be deleted by a slice, not \(base.kindName)'s", at: location)
                }
                try checkChangeable(l, at: location)
                func bound(_ x: Expr?) throws(LanguageError) -> Object? {
                    try x.map { e throws(LanguageError) in try evaluate(e, context) }
                }
                let picked = try sliceIndices(
                    count: l.items.count, try bound(lower), try bound(upper), try bound(step), at: indexExpr.location)
                guard !picked.isEmpty else { return }
                let gone = Set(picked)
                var kept: [Object] = [], dropped: [Object] = []
                for (i, item) in l.items.enumerated() {
                    if gone.contains(i) { dropped.append(item) } else { kept.append(item) }
                }
                l.items = kept
                Teardown.dropAll(consume dropped)
                return
            }
            let index = try evaluate(indexExpr, context)
            switch base {
            case .list(let l):
                try checkChangeable(l, at: location)
                Teardown.drop(l.items.remove(at: try listIndex(index, count: l.items.count, at: indexExpr.location)))
            case .dict(let d):
                let key = try hashKey(index, at: indexExpr.location)
                guard case let (oldKey, oldValue)? = d.remove(key) else {
                    throw LanguageError("\(index.echo) is not a key of the dict", at: indexExpr.location)
                }
                Teardown.dropAll([consume oldKey, consume oldValue])
            default: throw LanguageError("only an item of a list or a dict can be deleted", at: location)
            }
        case .attribute(_, _, let location):
            throw LanguageError("attributes cannot be deleted", at: location)
        case .unpack(let parts, _):
            for part in parts { try delete(part, context) }
        }
    }
}
