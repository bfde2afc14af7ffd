/// The tape that every `Value` lives on: a flat record of scalar operations.
///
/// Each node is one slot in a few parallel arrays (its data, its grad, its op and the
/// indices of its inputs). A node is always recorded after its inputs, so creation order
/// is already a topological order: `backward` is one reverse sweep, the forward pass can be
/// re-run with one forward sweep, and freeing a graph of any depth is freeing a few
/// buffers. Nothing here recurses.
///
/// A graph only grows, unless told otherwise: `step { … }` forgets every node recorded
/// inside it, which is what a training loop wants each time round. A Value kept from
/// inside a step refers to a node that is gone; using it stops the program with a message
/// saying so, rather than reading whatever node took its place.
///
/// A graph is not thread-safe. `Value(2.0)` records on `Graph.current`; pass a graph of
/// your own with `Value(_:label:in:)`, or bind one with `Graph.withCurrent`.
public final class Graph {
    /// The node buffers, behind a pointer: reads and writes through it skip Swift's
    /// exclusivity bookkeeping for class properties, which would cost more than the math.
    @usableFromInline let tape: UnsafeMutablePointer<Tape>
    /// The constant exponent of each `pow` node.
    var exponents: [Int32: Double] = [:]
    var labels: [Int32: String] = [:]
    /// Nodes of operations the engine does not know (see `Value(_:inputs:op:backward:)`).
    var customNodes: [Int32: CustomNode] = [:]
    /// The nodes the last root asked about depends on. A node's inputs never change once
    /// recorded, so this stays right as long as the root's node does.
    var lastOrder: (root: Int32, generation: UInt32, nodes: [Int32])?
    /// How many more backward passes may go straight to the sweep without a walk (see
    /// `knownOrder`): set when a walk gives up, so a loop's next steps, alike, do not each
    /// walk to give up.
    var walksToSkip = 0
    /// No grad from this node up has been written since the node was recorded (all are
    /// still the 0 they started at): every pass and every `grad` set moves it past what it
    /// wrote. A backward pass needs no marks to tell which of these nodes its root reaches.
    var gradsUntouchedFrom = 0

    /// Creates an empty graph with room for `capacity` nodes before it first grows.
    public init(capacity: Int = 1024) {
        tape = .allocate(capacity: 1)
        tape.initialize(to: Tape(capacity: Swift.max(capacity, 16)))
    }

    deinit {
        tape.pointee.deallocate()
        tape.deinitialize(count: 1)
        tape.deallocate()
    }

    /// Number of nodes recorded so far.
    public var count: Int { tape.pointee.count }

    /// Makes room for `nodes` more nodes now, if memory for it can be had, and says
    /// whether there is room. (Recording grows the graph as it needs to, and stops the
    /// program if the memory is not there: a caller that can report running out, as the
    /// notebook does, asks ahead.)
    package func makeRoom(for nodes: Int) -> Bool {
        while room < nodes {
            guard tape.pointee.tryGrow() else { return false }
        }
        return true
    }

    /// Gives the memory for nodes past the last `nodes` from now back to the system (after
    /// a statement that ran out of memory, say), keeping room for `nodes` more.
    package func releaseRoom(keeping nodes: Int) {
        tape.pointee.shrink(toFit: count + nodes)
    }

    /// How many more nodes fit before the graph next grows.
    @inlinable package var room: Int { tape.pointee.capacity - tape.pointee.count }

    /// Whether any node is of an operation the engine does not know.
    package var hasCustomNodes: Bool { !customNodes.isEmpty }

    // MARK: Recording

    /// A new leaf holding `value`.
    @inlinable @inline(__always)
    func leaf(_ value: Double) -> Int32 { tape.pointee.record(.leaf, value, -1, -1) }

    /// A node applying a one- or two-input `op` to nodes `a` and `b`.
    @inlinable @inline(__always)
    func apply(_ op: Op, _ a: Int32, _ b: Int32 = -1) -> Int32 {
        tape.pointee.apply(op, a, b)
    }

    /// A node applying a two-input `op` to node `a` and a new leaf holding `x`.
    @inlinable @inline(__always)
    func apply(_ op: Op, _ a: Int32, constant x: Double) -> Int32 {
        tape.pointee.apply(op, a, constant: x)
    }

    /// Runs `body` with the tape as a local, exclusive variable, then stores it back.
    ///
    /// Code that records many nodes in a row (a layer's neurons) goes through here, once,
    /// rather than through the graph's pointer node by node; within it, a `Recorder`
    /// keeps the buffers in registers for a neuron's weighted sum.
    @inline(__always)
    func recording<R>(_ body: (inout Tape) -> R) -> R {
        var local = tape.pointee
        defer { tape.pointee = local }
        return body(&local)
    }

    /// A node raising `a` to the constant `exponent`.
    func power(_ a: Int32, _ exponent: Double) -> Int32 {
        let node = tape.pointee.record(.pow, Op.pow.forward(tape.pointee.data[Int(a)], exponent), a, -1)
        exponents[node] = exponent
        return node
    }

    // MARK: Forgetting nodes

    /// Runs `body`, then forgets every node it recorded: one step of a training loop,
    /// without the graph growing step after step. Nodes made before (the parameters) stay,
    /// with whatever `body` did to their data and grads. Return plain numbers (`loss.data`),
    /// not Values: a Value made inside is gone afterwards.
    ///
    /// ```swift
    /// for k in 0..<100 {
    ///     let loss = graph.step {
    ///         let loss = Loss.squaredError(xs.map { model($0)[0] }, ys)
    ///         model.zeroGrad(); loss.backward(); sgdStep(model.parameters(), learningRate: 0.05)
    ///         return loss.data
    ///     }
    /// }
    /// ```
    public func step<R>(_ body: () throws -> R) rethrows -> R {
        let mark = count
        defer { truncate(to: mark) }
        return try body()
    }

    /// Forgets every node from index `count` on (the nodes made after `count` was read).
    /// Values that refer to those nodes can no longer be used.
    public func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count, "truncate(to:) past the end of the graph")
        guard count < self.count else { return }
        tape.pointee.count = count
        tape.pointee.generation &+= 1
        gradsUntouchedFrom = Swift.min(gradsUntouchedFrom, count)
        if !labels.isEmpty { labels = labels.filter { Int($0.key) < count } }
        if !exponents.isEmpty { exponents = exponents.filter { Int($0.key) < count } }
        if !customNodes.isEmpty { customNodes = customNodes.filter { Int($0.key) < count } }
    }

    /// Whether node `id`, as a handle made in `generation` knew it, is still there.
    @inlinable @inline(__always)
    func isLive(_ id: Int32, _ generation: UInt32) -> Bool {
        Int(id) < tape.pointee.count && tape.pointee.generations[Int(id)] == generation
    }

    // MARK: Writing numbers

    /// Sets node `i`'s data, noting a number that is not finite.
    func setData(_ i: Int, _ x: Double) {
        tape.pointee.data[i] = x
        if !x.isFinite { tape.pointee.slopesMayBeInfinite = true }
    }

    /// Sets node `i`'s grad, noting that grads up to it have been written.
    func setGrad(_ i: Int, _ g: Double) {
        tape.pointee.grad[i] = g
        gradsUntouchedFrom = Swift.max(gradsUntouchedFrom, i + 1)
    }

    // MARK: Reading nodes

    func exponent(of node: Int32) -> Double? { exponents[node] }

    func inputs(of node: Int32) -> [Int32] {
        if let custom = customNodes[node] { return custom.inputs }
        let t = tape.pointee
        return [t.lhs[Int(node)], t.rhs[Int(node)]].filter { $0 >= 0 }
    }

    /// Marks in `tape.seen` the nodes `root` depends on (itself included), and returns it.
    ///
    /// One reverse sweep over every node below the root: a node is reached if some reached
    /// node reads it. The way to go when the root depends on most of them.
    func markReachable(from root: Int32) -> UnsafeMutablePointer<Bool> {
        let t = tape.pointee
        let r = Int(root)
        t.seen.update(repeating: false, count: r + 1)
        t.seen[r] = true
        for i in stride(from: r, through: 0, by: -1) where t.seen[i] {
            markInputs(of: i, t)
        }
        return t.seen
    }

    @inline(__always)
    private func markInputs(of i: Int, _ t: Tape) {
        if t.ops[i] == .custom, let custom = customNodes[Int32(i)] {
            for input in custom.inputs { t.seen[Int(input)] = true }
        } else {
            t.markInputs(of: i)
        }
    }

    /// The nodes `root` depends on, found by walking from it, in creation order — or nil
    /// once more than `limit` are found (then a sweep is cheaper). The walk costs what the
    /// root's own graph holds, however many other nodes the graph has.
    func walk(from root: Int32, limit: Int) -> [Int32]? {
        tape.pointee.epoch &+= 1
        if tape.pointee.epoch == 0 {  // once in four billion walks: start the stamps afresh
            tape.pointee.stamps.update(repeating: 0, count: count)
            tape.pointee.epoch = 1
        }
        let t = tape.pointee
        let epoch = t.epoch
        var found: [Int32] = [root]
        var pending: [Int32] = [root]
        t.stamps[Int(root)] = epoch
        func reach(_ input: Int32) {
            guard input >= 0, t.stamps[Int(input)] != epoch else { return }
            t.stamps[Int(input)] = epoch
            found.append(input)
            pending.append(input)
        }
        while let i = pending.popLast() {
            if t.ops[Int(i)] == .custom, let custom = customNodes[i] {
                for input in custom.inputs { reach(input) }
            } else {
                reach(t.lhs[Int(i)])
                reach(t.rhs[Int(i)])
            }
            if found.count > limit { return nil }
        }
        found.sort()
        return found
    }

    /// The nodes `root` depends on, inputs before the nodes that read them.
    ///
    /// Found by a walk from the root when its graph is a small part of everything recorded
    /// (a new expression in a session that holds a million nodes), else by one sweep; and
    /// remembered for the last root, so re-running a fixed graph (forward, zero, backward
    /// in a training loop) finds its nodes once rather than every pass.
    package func topologicalOrder(from root: Int32) -> [Int32] {
        if let known = knownOrder(from: root) { return known }
        let seen = markReachable(from: root)
        var nodes: [Int32] = []
        for i in 0...Int(root) where seen[i] { nodes.append(Int32(i)) }
        lastOrder = (root, tape.pointee.generations[Int(root)], nodes)
        return nodes
    }

    /// The nodes `root` depends on if that is cheap to know: remembered from the last time,
    /// or found by a walk because they are few. Nil when a sweep is the way to find them.
    /// `freshNodes`: how many nodes below the root a backward sweep would go through fresh
    /// (see `backward`), each about a tenth of what reaching one costs a walk.
    func knownOrder(from root: Int32, freshNodes: Int? = nil) -> [Int32]? {
        let generation = tape.pointee.generations[Int(root)]
        if let last = lastOrder, last.root == root, last.generation == generation { return last.nodes }
        // (A walk that gives up is wasted: in a notebook training loop, whose root reaches
        // a third of the graph, giving up at r/32 cost a quarter (in instructions) to a half
        // (in time) of the sweep that came after it. Where the sweep would be mostly fresh
        // nodes it gives up sooner still, after a 64th of them, but never before a thousand
        // nodes: a pass over a small root stays a walk, whatever the graph holds.)
        // (And after a backward pass's walk gave up, seven more go straight to the sweep
        // where their fresh nodes are thousands and at least an eighth of the graph below
        // the root, so that it costs about as much as they do: in a training loop each
        // step's walk gives up as the last did, at a tenth of the sweep's time. A pass in a
        // large graph with fewer new nodes still walks, and after those seven one walks again.)
        var limit = Int(root) / 128
        if let freshNodes {
            limit = Swift.min(limit, Swift.max(1024, freshNodes / 64))
            if walksToSkip > 0 && freshNodes >= 4096 && freshNodes >= Int(root) / 8 {
                walksToSkip -= 1
                return nil
            }
        }
        guard root >= 4096 else { return nil }
        guard let walked = walk(from: root, limit: limit) else {
            if freshNodes != nil { walksToSkip = 7 }
            return nil
        }
        lastOrder = (root, generation, walked)
        return walked
    }

    // MARK: Passes

    /// Applies node `i`'s step of the chain rule (micrograd's `_backward` for one node).
    package func propagate(_ i: Int) {
        gradsUntouchedFrom = Swift.max(gradsUntouchedFrom, i + 1)
        if tape.pointee.ops[i] == .custom {
            if let custom = customNodes[Int32(i)] { custom.backward?(Value(graph: self, id: Int32(i))) }
        } else {
            tape.pointee.propagate(i, exponents: exponents)
        }
    }

    /// Reverse-mode differentiation from `root`, micrograd's way: the root's grad is set to
    /// 1, then every node it depends on, last made first, adds its contribution to its
    /// inputs' grads. Grads accumulate across calls; zero them first for a fresh gradient.
    ///
    /// Which nodes `root` depends on is found in the same sweep: creation order is
    /// topological, so by the time the sweep reaches a node, every node that reads it has
    /// been seen. Among nodes whose grads no pass has written yet (a training step's, or
    /// those from `fresh` up, which the caller vouches for), one the root does not reach
    /// still has grad 0, and a grad of 0 has nothing to pass on: there the sweep needs no
    /// marks, and skips every node with no grad. That is exact while every slope is
    /// finite (see `Tape.slopesMayBeInfinite`); after that, every node is marked.
    func backward(from root: Int32, freshFrom fresh: Int? = nil) {
        let t = tape.pointee
        let r = Int(root)
        t.grad[r] = 1
        defer { gradsUntouchedFrom = Swift.max(gradsUntouchedFrom, r + 1) }
        let untouched = t.slopesMayBeInfinite ? nil : fresh ?? (gradsUntouchedFrom <= r ? gradsUntouchedFrom : nil)
        guard fresh == nil, customNodes.isEmpty else {
            // A training step's nodes, or nodes that take their own step: the plain sweep.
            sweepBackward(from: root, freshFrom: untouched)
            return
        }
        // The nodes the root depends on, last made first: by a walk when they are few (or
        // known from the last pass), else by one sweep down from the root.
        guard let known = knownOrder(from: root, freshNodes: untouched.map { r - $0 }) else {
            sweepBackward(from: root, freshFrom: untouched)
            return
        }
        // Every one of these is reached; one whose grad is 0 adds nothing while slopes
        // are finite.
        let skipsZeros = !t.slopesMayBeInfinite
        for node in known.reversed() where !(skipsZeros && t.grad[Int(node)] == 0) {
            t.propagate(Int(node), exponents: exponents)
        }
    }

    /// `backward` as one sweep down from the root, marking what it reaches on the way.
    private func sweepBackward(from root: Int32, freshFrom fresh: Int?) {
        let t = tape.pointee
        let r = Int(root)
        guard customNodes.isEmpty else {
            for node in topologicalOrder(from: root).reversed() { propagate(Int(node)) }
            return
        }
        let f = fresh ?? r
        precondition(0 <= f && f <= r, "backward(from:freshFrom:) needs fresh nodes below the root")
        // One node's step, with the two ops a graph is mostly made of written out (the
        // buffers read once, into registers), and the others as `propagate`. (Calling
        // `Tape.propagate` for all of them measured 1.5 times slower on the deep chain.)
        let grad = t.grad, data = t.data, ops = t.ops, lhs = t.lhs, rhs = t.rhs, seen = t.seen
        let exponents = exponents
        @inline(__always) func step(_ i: Int) {
            let g = grad[i]
            switch ops[i] {
            case .leaf: return
            case .add:
                let a = Int(lhs[i]), b = Int(rhs[i])
                grad[a] += g
                grad[b] += g
                seen[a] = true
                seen[b] = true
            case .mul:
                let a = Int(lhs[i]), b = Int(rhs[i])
                grad[a] += data[b] * g
                grad[b] += data[a] * g
                seen[a] = true
                seen[b] = true
            default:
                t.propagate(i, exponents: exponents)
                t.markInputs(of: i)
            }
        }
        seen.update(repeating: false, count: f)
        // The fresh nodes: those with a grad take their step. (A plain loop: a `stride`
        // with `where` measured 2.5 times slower here on the deep chain.)
        var j = r
        while j >= f {
            if grad[j] != 0 { step(j) }
            j &-= 1
        }
        // The rest: those marked as reached.
        var i = seen.lastSet(atOrBelow: f - 1, downTo: 0)
        while i >= 0 {
            step(i)
            i = seen.lastSet(atOrBelow: i - 1, downTo: 0)
        }
    }

    /// Recomputes node `i` from its inputs (a leaf, or a node the engine does not know,
    /// keeps its data).
    package func forwardNode(_ i: Int) {
        let t = tape.pointee
        let op = t.ops[i]
        switch op {
        case .leaf, .custom: return
        case .add, .mul: t.data[i] = op.forward(t.data[Int(t.lhs[i])], t.data[Int(t.rhs[i])])
        case .pow: t.data[i] = op.forward(t.data[Int(t.lhs[i])], exponents[Int32(i)]!)
        default: t.data[i] = op.forward(t.data[Int(t.lhs[i])], 0)
        }
        if !t.data[i].isFinite { tape.pointee.slopesMayBeInfinite = true }
    }

    /// Recomputes every node `root` depends on from its inputs, in creation order.
    func forward(to root: Int32) {
        let t = tape.pointee
        for node in topologicalOrder(from: root) {
            let i = Int(node)
            // The two ops a network is mostly made of, without a call; the rest as forwardNode.
            switch t.ops[i] {
            case .leaf: continue
            case .add: t.data[i] = t.data[Int(t.lhs[i])] + t.data[Int(t.rhs[i])]
            case .mul: t.data[i] = t.data[Int(t.lhs[i])] * t.data[Int(t.rhs[i])]
            default: forwardNode(i)
            }
            if !t.data[i].isFinite { tape.pointee.slopesMayBeInfinite = true }
        }
    }

    /// Sets the grad of every node `root` depends on to 0.
    func zeroGrad(from root: Int32) {
        let grad = tape.pointee.grad
        for node in topologicalOrder(from: root) { grad[Int(node)] = 0 }
    }

    /// Sets the grad of every node in the graph to 0.
    public func zeroGrad() {
        tape.pointee.grad.update(repeating: 0, count: count)
    }
}
