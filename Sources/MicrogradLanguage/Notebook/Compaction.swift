import Micrograd

extension Session {
    /// The fewest nodes compacted between statements while memory is short (about 2 MB).
    static let worthCompactingWhenShort = 1 << 16

    /// Between statements, once the graph is large, copies only the nodes that the session
    /// can still reach (names, functions and their scopes, lists, networks, the last root, a
    /// :backstep in progress) to a new graph and drops the rest: a graph only grows, and a
    /// long session would otherwise keep every expression it ever built.
    func compactIfLarge() {
        let graph = interpreter.graph
        // (Where memory is short, only a graph large enough to give some back, 2 MB, is gone
        // through: going through what the names hold takes memory of its own, and a
        // statement stopped for want of memory by a tuple nested millions deep, or a dict
        // of millions of them, left none for that.)
        guard
            graph.count > compactionThreshold && graph.count > 2 * sizeAfterCompaction
                || interpreter.memoryIsShort && graph.count > Self.worthCompactingWhenShort
        else {
            return
        }
        let before = graph.count
        nodesMoved += 1
        defer { if interpreter.graph.count <= before / 2 { interpreter.memoryIsShort = false } }
        // (The copy needs memory for what it keeps. Where memory is short, or that is not to
        // be had, the graph is compacted where it is, which needs none, and gives back the
        // memory it frees.)
        let roots = liveRoots().roots
        // (A copy, and the remapping after it, take memory in proportion to the graph: a
        // node is 34 bytes of the tape's arrays.)
        let copyFits = host.memoryLeft.map { $0 > 3 * 40 * graph.count + Interpreter.memoryMargin } ?? true
        guard !interpreter.memoryIsShort, copyFits, let (copy, newIndex) = graph.compacted(keeping: roots) else {
            remap(to: graph, from: graph, graph.compact(from: 0, keeping: roots))
            graph.releaseRoom(keeping: Interpreter.graphHeadroom)
            sizeAfterCompaction = graph.count
            return
        }
        remap(to: copy, from: graph, newIndex)
        interpreter.graph = copy
        sizeAfterCompaction = copy.count
    }

    /// After a round of a top-level loop (a training step typed as a `for` statement):
    /// drops the nodes this statement made that nothing can reach any more, moving the rest
    /// down in place. Nodes from before the statement are not touched, so the cost is the
    /// statement's own part (see `reclaim`). A loop of any length then runs in the memory
    /// of a few of its rounds.
    func loopRoundEnded(roundStart: Int) {
        let base = interpreter.statementStart
        if topLoop?.base != base { topLoop = InnerLoop(base: base) }
        topLoop!.roundStart = roundStart
        // (The interpreter asks again once the graph has grown past that.)
        interpreter.loopCompactionPast = reclaim(&topLoop!, scope: nil)
    }

    /// After a round of a loop inside a function: the same, from the loop's own start, with
    /// its scopes' names, and the calls under way, as roots too (see `InnerLoop`).
    func innerLoopRoundEnded(_ loop: inout InnerLoop, scope: Environment?) -> Int {
        reclaim(&loop, scope: scope)
    }

    /// Drops the nodes from `loop.base` on that nothing reaches, once there are enough of
    /// them, and returns the graph's size to ask again at. It waits until the part has
    /// grown to a few times (and at least `loopCompactionThreshold`) what it kept last time,
    /// so the copying is a fixed share of the work; and to as many nodes as it found held
    /// last time, as reclaiming walks everything the session holds.
    private func reclaim(_ loop: inout InnerLoop, scope: Environment?) -> Int {
        let graph = interpreter.graph
        func wanted() -> Int {
            let room = max(loopCompactionThreshold, Self.loopCompactionGrowth * loop.kept, loop.walked)
            return room > Int.max - loop.base ? Int.max : loop.base + room
        }
        guard graph.count > wanted() else { return wanted() }
        nodesMoved += 1
        let (roots, met) = liveRoots(scope: scope, from: loop.base)
        loop.walked = met
        let newIndex = graph.compact(from: loop.base, keeping: roots, likelyTop: loop.roundStart)
        remap(to: graph, from: graph, newIndex, scope: scope)
        loop.kept = graph.count - loop.base
        return wanted()
    }

    /// Every node the session can still reach: names, functions and their scopes, lists,
    /// networks, the items of loops under way, the last root, a :backstep in progress, and
    /// what the learner's own operations refer to; inside a call, the names of `scope` and
    /// the scopes around it, and the scopes and arguments of the calls under way. Only those
    /// from `base` on, the part to be reclaimed, unless the learner has operations of their
    /// own (whose functions an older node's may reach); and how many references to nodes
    /// were met, to tell what the walk cost.
    private func liveRoots(scope: Environment? = nil, from base: Int = 0) -> (roots: [Int32], met: Int) {
        var roots: [Int32] = []
        let from = interpreter.learner.isEmpty ? Int32(truncatingIfNeeded: base) : 0
        var met = interpreter.forEachNode(from: from) { roots.append($0) }
        if let lastRoot = interpreter.lastRoot { roots.append(lastRoot.id) }
        if let stepper = state.backstep { roots += stepper.nodes.map(\.id) }
        var walker = ObjectWalker { roots.append($0) }
        walker.from = from
        walker.walk(scope: scope)
        for call in interpreter.activeCalls {
            walker.walk(scope: call.scope)
            for argument in call.arguments.positional { walker.walk(argument.value) }
            for argument in call.arguments.labelled { walker.walk(argument.value) }
        }
        met += walker.met
        roots += learnerRoots(interpreter.graph, from: roots)
        return (roots, max(met, roots.count))
    }

    /// Points everything the session holds at the nodes' new places in `copy` (which may
    /// be `graph` itself, compacted in place).
    private func remap(to copy: Graph, from graph: Graph, _ newIndex: @escaping (Int32) -> Int32?, scope: Environment? = nil) {
        func move(_ v: Value) -> Value? {
            guard v.graph === graph else { return v }
            return newIndex(v.id).map { Value(graph: copy, id: $0) }
        }
        var mapper = ObjectMapper(
            move: move,
            network: { network in
                switch network {
                case let m as MLP: m.moved(to: copy, newIndex)
                case let l as Layer: l.moved(to: copy, newIndex)
                case let n as Neuron: n.moved(to: copy, newIndex)
                default: nil
                }
            })
        // (What the old objects held goes through `Teardown`: a tuple rebuilt with moved
        // Values leaves the old one to free, and it may be millions deep.)
        let oldGlobals = interpreter.globals.values
        interpreter.globals = interpreter.globals.mapValues { mapper.map($0) }
        Teardown.dropAll(consume oldGlobals)
        mapper.map(scope: scope)
        for k in interpreter.activeCalls.indices {
            mapper.map(scope: interpreter.activeCalls[k].scope)
            interpreter.activeCalls[k].arguments = mapper.map(interpreter.activeCalls[k].arguments)
        }
        let oldLoopItems = interpreter.loopItems.flatMap { $0 }
        interpreter.loopItems = interpreter.loopItems.map { items in items.map { mapper.map($0) } }
        Teardown.dropAll(consume oldLoopItems)
        var learner = LearnerNodes()
        for (node, step) in interpreter.learner.backward {
            if let moved = move(node), moved.graph === copy { learner.backward[moved] = mapper.map(step) }
        }
        for (node, producer) in interpreter.learner.producers {
            guard let moved = move(node), moved.graph === copy else { continue }
            let arguments = mapper.map(producer.arguments)
            let leaves = producer.madeLeaves.compactMap { made in move(made.leaf).map { ($0, made.data, made.offset) } }
            learner.producers[moved] = Producer(function: mapper.map(producer.function), arguments: arguments, madeLeaves: leaves)
        }
        for (node, standIn) in interpreter.learner.standIns {
            guard let moved = move(node), moved.graph === copy, let movedIn = move(standIn), movedIn.graph === copy else { continue }
            learner.standIns[moved] = movedIn
        }
        interpreter.learner = learner
        // (Built again only if one moved or went: a loop's reclaiming moves none of them.)
        if interpreter.modelParameters.contains(where: { newIndex($0) != $0 }) {
            interpreter.modelParameters = Set(interpreter.modelParameters.compactMap(newIndex))
        }
        interpreter.lastRoot = interpreter.lastRoot.flatMap(move)
        state.backstep = state.backstep.flatMap { $0.moved(move) }
    }
}

extension Session {
    /// The nodes that the learner's operations on kept nodes refer to (their `_backward`
    /// functions' scopes, the arguments of the calls that made them), found until no more
    /// are: a node kept for a name keeps its `_backward`, and what that function sees.
    fileprivate func learnerRoots(_ graph: Graph, from roots: [Int32]) -> [Int32] {
        guard !interpreter.learner.isEmpty else { return [] }
        var found: [Int32] = []
        var walked = Set<Value>(), walkedCalls = Set<Value>()
        var frontier = roots
        while !frontier.isEmpty {
            let kept = Set(graph.topologicalOrder(covering: frontier))
            frontier = []
            var walker = ObjectWalker { frontier.append($0) }
            for (node, step) in interpreter.learner.backward where kept.contains(node.id) && walked.insert(node).inserted {
                walker.walk(step)
                if let standIn = interpreter.learner.standIns[node] { frontier.append(standIn.id) }
            }
            // (Every kept node's call, with or without a `_backward`, and its arguments by name
            // too: :check runs the call again, and found None where a dropped Value was.)
            for (node, producer) in interpreter.learner.producers where kept.contains(node.id) && walkedCalls.insert(node).inserted {
                walker.walk(producer.function)
                for argument in producer.arguments.positional { walker.walk(argument.value) }
                for argument in producer.arguments.labelled { walker.walk(argument.value) }
            }
            found += frontier
        }
        return found
    }
}

/// Rewrites every Value an object refers to, in place where the object is shared (lists,
/// sets, dicts, functions' defaults and scopes), so that aliases stay aliases.
///
/// The shared containers are gone through from a list of work, and tuples from a stack,
/// rather than by recursion: a list of lists … can be millions deep.
struct ObjectMapper {
    let move: (Value) -> Value?
    let network: (any Network) -> (any Network)?
    /// Containers met (tuples too: tuples inside tuples can share parts).
    private var seen: Set<ObjectIdentifier> = []
    /// Containers met whose items are still to be mapped.
    private var pending: [Object] = []

    init(move: @escaping (Value) -> Value?, network: @escaping (any Network) -> (any Network)?) {
        self.move = move
        self.network = network
    }

    mutating func map(_ object: Object) -> Object {
        let mapped = mapOne(object)
        while let container = pending.popLast() { mapItems(of: container) }
        return mapped
    }

    /// `object` mapped, with the containers in it queued rather than gone into.
    private mutating func mapOne(_ object: Object) -> Object {
        switch object {
        case .value(let v):
            return move(v).map(Object.value) ?? .none
        case .list(let l):
            if seen.insert(ObjectIdentifier(l)).inserted { pending.append(object) }
            return object
        case .set(let s):
            if seen.insert(ObjectIdentifier(s)).inserted { pending.append(object) }
            return object
        case .dict(let d):
            if seen.insert(ObjectIdentifier(d)).inserted { pending.append(object) }
            return object
        case .function(let f):
            if seen.insert(ObjectIdentifier(f)).inserted { pending.append(object) }
            return object
        case .tuple(let t):
            mapTuple(t)
            return object
        case .method(let receiver, let name):
            return .method(mapOne(receiver), name)
        case .network(let n):
            return network(n).map(Object.network) ?? .none
        case .none, .bool, .integer, .number, .string, .builtin, .module:
            return object
        }
    }

    /// `tuple` with its items mapped now, tuples inside it too, from a stack of the tuples
    /// under way (a tuple of a tuple of … can be millions deep). Now rather than later, as
    /// lists are: a tuple in a set or a dict key is hashed by the Values in it.
    private mutating func mapTuple(_ tuple: TupleObject) {
        guard seen.insert(ObjectIdentifier(tuple)).inserted else { return }
        var open: [(tuple: TupleObject, mapped: [Object])] = [(tuple, [])]
        while let top = open.indices.last {
            let next = open[top].mapped.count
            if next == open[top].tuple.count {
                let (tuple, mapped) = open.removeLast()
                let old = tuple.items
                tuple.items = mapped
                Teardown.dropAll(consume old)
            } else if case .tuple(let inner) = open[top].tuple[next] {
                open[top].mapped.append(.tuple(inner))
                if seen.insert(ObjectIdentifier(inner)).inserted { open.append((inner, [])) }
            } else {
                let item = mapOne(open[top].tuple[next])
                open[top].mapped.append(item)
            }
        }
    }

    /// A call's arguments, mapped.
    mutating func map(_ arguments: Arguments) -> Arguments {
        var mapped = arguments
        for i in mapped.positional.indices { mapped.positional[i].value = map(mapped.positional[i].value) }
        mapped.labelled = arguments.labelled.map { ($0.name, map($0.value), $0.location) }
        return mapped
    }

    /// The names of `scope` and of the scopes around it, mapped where they are.
    mutating func map(scope: Environment?) {
        mapScopes(from: scope)
        while let container = pending.popLast() { mapItems(of: container) }
    }

    /// (Each scope is marked seen before its names are mapped, so mapping never writes the
    /// names of the scope it is reading: `values` is not checked for overlapping access,
    /// see Environment.)
    private mutating func mapScopes(from scope: Environment?) {
        var e = scope
        while let environment = e, seen.insert(ObjectIdentifier(environment)).inserted {
            let old = environment.values.values
            environment.values = environment.values.mapValues { mapOne($0) }
            Teardown.dropAll(consume old)
            e = environment.parent
        }
    }

    private mutating func mapItems(of container: Object) {
        switch container {
        // (The items replaced go through `Teardown`, as in `Session.remap`.)
        case .list(let l):
            // Rewritten only if it holds something that moves: a list of numbers (a data
            // set) stays as it is, with no copy.
            var items = l.items
            var changed = false
            for i in items.indices {
                let mapped = mapOne(items[i])
                // (A Value that did not move, below where a loop reclaims, leaves its list
                // as it is: a list of 300,000 of them was copied at every reclaiming.)
                if Self.isReplaced(items[i]), !Self.isSameValue(items[i], mapped) {
                    items[i] = mapped
                    changed = true
                }
            }
            guard changed else { return }
            let old = l.items
            l.items = consume items
            Teardown.dropAll(consume old)
        case .set(let s):
            let old = s.items
            let items = old.map { mapOne($0) }
            s.removeAll()
            for item in items { if let key = Self.key(item) { s.insert(key, item) } }
            Teardown.dropAll(consume old)
        case .dict(let d):
            let old = d.pairs
            let pairs = old.map { (mapOne($0.key), mapOne($0.value)) }
            d.removeAll()
            for (k, v) in pairs { if let key = Self.key(k) { d.set(key, k, v) } }
            let flat = (consume old).flatMap { [$0.key, $0.value] }
            Teardown.dropAll(consume flat)
        case .function(let f):
            f.defaults = f.defaults.map { $0.map { mapOne($0) } }
            mapScopes(from: f.closure)
        default:
            break
        }
    }

    /// Whether both are the same node, unmoved.
    private static func isSameValue(_ a: Object, _ b: Object) -> Bool {
        if case .value(let x) = a, case .value(let y) = b { return x == y }
        return false
    }

    /// Whether `mapOne` gives another object for `object` (rather than the same one, its
    /// items mapped in place, or queued to be).
    private static func isReplaced(_ object: Object) -> Bool {
        switch object {
        case .value, .method, .network: true
        default: false
        }
    }

    /// A set member's key after its Values moved (the keys of Values are the nodes).
    private static func key(_ object: Object) -> HashKey? {
        switch object {
        case .none: HashKey.none
        case .bool, .integer, .number: .number(object.double!)
        case .string(let s): .string(s)
        case .value(let v): .value(v)
        case .tuple(let t):
            t.allSatisfy { key($0) != nil } ? .tuple(t.map { key($0)! }) : nil
        case .function(let f): .identity(ObjectIdentifier(f))
        case .builtin(let b): .builtin(b.rawValue)
        case .module(let m): .builtin("module " + m.rawValue)
        default: nil
        }
    }
}
