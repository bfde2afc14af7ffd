import Micrograd

extension Session {
    /// Between statements, once the graph is large, copies only the nodes that the session
    /// can still reach (names, functions and their scopes, lists, networks, the last root, a
    /// :backstep in progress) to a new graph and drops the rest: a graph only grows, and a
    /// long session would otherwise keep every expression it ever built.
    func compactIfLarge() {
        let graph = interpreter.graph
        guard graph.count > compactionThreshold, graph.count > 2 * sizeAfterCompaction else { return }
        let (copy, newIndex) = graph.compacted(keeping: liveRoots())
        remap(to: copy, from: graph, newIndex)
        interpreter.graph = copy
        sizeAfterCompaction = copy.count
    }

    /// After a round of a top-level loop (a training step typed as a `for` statement):
    /// drops the nodes this statement made that nothing can reach any more, moving the rest
    /// down in place. Nodes from before the statement are not touched, so the cost is the
    /// statement's own part; and it waits until that part has grown to a few times (and
    /// at least `loopCompactionThreshold`) what it kept last time, so the copying is a fixed
    /// share of the work. A loop of any length then runs in the memory of a few of its
    /// rounds.
    func loopRoundEnded() {
        let graph = interpreter.graph
        let base = interpreter.statementStart
        var kept = loopKept.base == base ? loopKept.count : 0
        func wanted() -> Int {
            let room = max(loopCompactionThreshold, Self.loopCompactionGrowth * kept)
            return room > Int.max - base ? Int.max : base + room
        }
        if graph.count > wanted() {
            let newIndex = graph.compact(from: base, keeping: liveRoots())
            remap(to: graph, from: graph, newIndex)
            kept = graph.count - base
            loopKept = (base, kept)
        }
        // (The interpreter asks again once the graph has grown past that.)
        interpreter.loopCompactionPast = wanted()
    }

    /// Every node the session can still reach: names, functions and their scopes, lists,
    /// networks, the items of loops under way, the last root, a :backstep in progress, and
    /// what the learner's own operations refer to.
    private func liveRoots() -> [Int32] {
        var roots: [Int32] = []
        interpreter.forEachNode { roots.append($0) }
        if let lastRoot = interpreter.lastRoot { roots.append(lastRoot.id) }
        if let stepper = state.backstep { roots += stepper.nodes.map(\.id) }
        roots += learnerRoots(interpreter.graph, from: roots)
        return roots
    }

    /// Points everything the session holds at the nodes' new places in `copy` (which may
    /// be `graph` itself, compacted in place).
    private func remap(to copy: Graph, from graph: Graph, _ newIndex: @escaping (Int32) -> Int32?) {
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
        interpreter.globals = interpreter.globals.mapValues { mapper.map($0) }
        interpreter.loopItems = interpreter.loopItems.map { items in items.map { mapper.map($0) } }
        var learner = LearnerNodes()
        for (node, step) in interpreter.learner.backward {
            if let moved = move(node), moved.graph === copy { learner.backward[moved] = mapper.map(step) }
        }
        for (node, producer) in interpreter.learner.producers {
            guard let moved = move(node), moved.graph === copy else { continue }
            var arguments = producer.arguments
            arguments.positional = arguments.positional.map { (mapper.map($0.value), $0.location) }
            arguments.labelled = arguments.labelled.map { ($0.name, mapper.map($0.value), $0.location) }
            learner.producers[moved] = (mapper.map(producer.function), arguments)
        }
        interpreter.learner = learner
        interpreter.modelParameters = Set(interpreter.modelParameters.compactMap(newIndex))
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
        var walked = Set<Value>()
        var frontier = roots
        while !frontier.isEmpty {
            let kept = Set(graph.topologicalOrder(covering: frontier))
            frontier = []
            var walker = ObjectWalker { frontier.append($0) }
            for (node, step) in interpreter.learner.backward where kept.contains(node.id) && walked.insert(node).inserted {
                walker.walk(step)
                if let producer = interpreter.learner.producers[node] {
                    walker.walk(producer.function)
                    for argument in producer.arguments.positional { walker.walk(argument.value) }
                }
            }
            found += frontier
        }
        return found
    }
}

/// Rewrites every Value an object refers to, in place where the object is shared (lists,
/// sets, dicts, functions' defaults and scopes), so that aliases stay aliases.
struct ObjectMapper {
    let move: (Value) -> Value?
    let network: (any Network) -> (any Network)?
    private var seen: Set<ObjectIdentifier> = []

    init(move: @escaping (Value) -> Value?, network: @escaping (any Network) -> (any Network)?) {
        self.move = move
        self.network = network
    }

    mutating func map(_ object: Object) -> Object {
        switch object {
        case .value(let v):
            return move(v).map(Object.value) ?? .none
        case .list(let l):
            if seen.insert(ObjectIdentifier(l)).inserted { l.items = l.items.map { map($0) } }
            return object
        case .tuple(let items):
            return .tuple(items.map { map($0) })
        case .set(let s):
            if seen.insert(ObjectIdentifier(s)).inserted {
                let items = s.items.map { map($0) }
                s.members = [:]
                s.order = []
                for item in items { if let key = Self.key(item) { s.insert(key, item) } }
            }
            return object
        case .dict(let d):
            if seen.insert(ObjectIdentifier(d)).inserted {
                let pairs = d.pairs.map { (map($0.key), map($0.value)) }
                d.entries = [:]
                d.order = []
                for (k, v) in pairs { if let key = Self.key(k) { d.set(key, k, v) } }
            }
            return object
        case .function(let f):
            if seen.insert(ObjectIdentifier(f)).inserted {
                f.defaults = f.defaults.map { $0.map { map($0) } }
                var e = f.closure
                // (Each scope is marked seen before its names are mapped, so mapping never
                // writes the names of the scope it is reading: `values` is not checked for
                // overlapping access, see Environment.)
                while let environment = e, seen.insert(ObjectIdentifier(environment)).inserted {
                    environment.values = environment.values.mapValues { map($0) }
                    e = environment.parent
                }
            }
            return object
        case .method(let receiver, let name):
            return .method(map(receiver), name)
        case .network(let n):
            return network(n).map(Object.network) ?? .none
        case .none, .bool, .integer, .number, .string, .builtin, .module:
            return object
        }
    }

    /// A set member's key after its Values moved (the keys of Values are the nodes).
    private static func key(_ object: Object) -> HashKey? {
        switch object {
        case .none: HashKey.none
        case .bool, .integer, .number: .number(object.double!)
        case .string(let s): .string(s)
        case .value(let v): .value(v)
        case .tuple(let items):
            items.allSatisfy { key($0) != nil } ? .tuple(items.map { key($0)! }) : nil
        case .function(let f): .identity(ObjectIdentifier(f))
        case .builtin(let b): .builtin(b.rawValue)
        case .module(let m): .builtin("module " + m.rawValue)
        default: nil
        }
    }
}
