#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The tape that every `Value` lives on: a flat record of scalar operations.
///
/// Each node is one slot in a few parallel arrays (its data, its grad, its op and the
/// indices of its inputs). A node is always recorded after its inputs, so creation order
/// is already a topological order: `backward` is one reverse sweep, the forward pass can be
/// re-run with one forward sweep, and freeing a graph of any depth is freeing five buffers.
/// Nothing here recurses.
///
/// Nodes hold no references, so a graph of a million nodes is freed as fast as one node.
///
/// A graph only grows. To drop the nodes of a training step, note `count` before the step
/// and call `truncate(to:)` after it; Values made since then must not be used again.
///
/// A graph is not thread-safe. `Value(2.0)` records on `Graph.current`, which is one graph
/// per thread; pass a graph of your own with `Value(_:label:in:)`.
public final class Graph {
    /// The node buffers, behind a pointer: reads and writes through it skip Swift's
    /// exclusivity bookkeeping for class properties, which would cost more than the math.
    let tape: UnsafeMutablePointer<Tape>
    /// The constant exponent of each `pow` node.
    var exponents: [Int32: Double] = [:]
    var labels: [Int32: String] = [:]
    /// The nodes the last root asked about depends on. A node's inputs never change once
    /// recorded, so this stays right until a truncation, which may reuse the root's index.
    private var lastOrder: (root: Int32, truncations: Int, nodes: [Int32])?
    private var truncations = 0

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

    // MARK: Recording

    /// A new leaf holding `value`.
    @inline(__always)
    func leaf(_ value: Double) -> Int32 { tape.pointee.record(.leaf, value, -1, -1) }

    /// A node applying a one- or two-input `op` to nodes `a` and `b`.
    @inline(__always)
    func apply(_ op: Op, _ a: Int32, _ b: Int32 = -1) -> Int32 {
        tape.pointee.apply(op, a, b)
    }

    /// Runs `body` with the tape as a local, exclusive variable, then stores it back.
    ///
    /// Code that records many nodes in a row (a neuron's weighted sum) goes through here:
    /// the compiler can then keep the tape's count and buffers in registers instead of
    /// reloading them after every store.
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

    /// Forgets every node from index `count` on (the nodes made after `count` was read).
    ///
    /// Values that refer to those nodes are no longer valid.
    public func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count, "truncate(to:) past the end of the graph")
        tape.pointee.count = count
        truncations += 1
        if !labels.isEmpty { labels = labels.filter { Int($0.key) < count } }
        if !exponents.isEmpty { exponents = exponents.filter { Int($0.key) < count } }
    }

    // MARK: Reading nodes

    func exponent(of node: Int32) -> Double? { exponents[node] }

    func inputs(of node: Int32) -> [Int32] {
        let t = tape.pointee
        return [t.lhs[Int(node)], t.rhs[Int(node)]].filter { $0 >= 0 }
    }

    /// Marks in `tape.seen` the nodes `root` depends on (itself included), and returns it.
    ///
    /// One reverse sweep: a node is reached if some reached node reads it.
    func markReachable(from root: Int32) -> UnsafeMutablePointer<Bool> {
        let t = tape.pointee
        let r = Int(root)
        t.seen.update(repeating: false, count: r + 1)
        t.seen[r] = true
        for i in stride(from: r, through: 0, by: -1) where t.seen[i] {
            t.markInputs(of: i)
        }
        return t.seen
    }

    /// The nodes `root` depends on, inputs before the nodes that read them.
    ///
    /// Remembered for the last root, so re-running a fixed graph (forward, zero, backward
    /// in a training loop) finds its nodes once rather than every pass.
    func topologicalOrder(from root: Int32) -> [Int32] {
        if let last = lastOrder, last.root == root, last.truncations == truncations { return last.nodes }
        let seen = markReachable(from: root)
        var nodes: [Int32] = []
        for i in 0...Int(root) where seen[i] { nodes.append(Int32(i)) }
        lastOrder = (root, truncations, nodes)
        return nodes
    }

    // MARK: Passes

    /// Applies node `i`'s step of the chain rule (micrograd's `_backward` for one node).
    func propagate(_ i: Int) {
        tape.pointee.propagate(i, exponents: exponents)
    }

    /// Reverse-mode differentiation from `root`, micrograd's way: the root's grad is set to
    /// 1, then every node it depends on, last made first, adds its contribution to its
    /// inputs' grads. Grads accumulate across calls; zero them first for a fresh gradient.
    ///
    /// Which nodes `root` depends on is found in the same sweep: creation order is
    /// topological, so by the time the sweep reaches a node, every node that reads it has
    /// been seen. Nodes from `fresh` up to the root must have been recorded since any grad
    /// was last set (a training step's nodes are): among them, a grad that is still 0 has
    /// nothing to pass on, so those nodes need no marks. Without `fresh`, only the root
    /// counts as fresh.
    func backward(from root: Int32, freshFrom fresh: Int? = nil) {
        let t = tape.pointee
        let r = Int(root), f = fresh ?? r
        precondition(0 <= f && f <= r, "backward(from:freshFrom:) needs fresh nodes below the root")
        t.seen.update(repeating: false, count: f)
        t.grad[r] = 1
        for i in stride(from: r, through: f, by: -1) where t.grad[i] != 0 {
            t.propagate(i, exponents: exponents)
            t.markInputs(of: i)
        }
        for i in stride(from: f - 1, through: 0, by: -1) where t.seen[i] {
            t.propagate(i, exponents: exponents)
            t.markInputs(of: i)
        }
    }

    /// Recomputes every node `root` depends on from its inputs, in creation order.
    func forward(to root: Int32) {
        let t = tape.pointee
        for node in topologicalOrder(from: root) {
            let i = Int(node)
            let op = t.ops[i]
            switch op {
            case .leaf: continue
            case .add, .mul: t.data[i] = op.forward(t.data[Int(t.lhs[i])], t.data[Int(t.rhs[i])])
            case .pow: t.data[i] = op.forward(t.data[Int(t.lhs[i])], exponents[Int32(i)]!)
            default: t.data[i] = op.forward(t.data[Int(t.lhs[i])], 0)
            }
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

/// The nodes of a graph: parallel buffers indexed by node, in creation order.
struct Tape {
    var count = 0
    var capacity: Int
    var data: UnsafeMutablePointer<Double>
    var grad: UnsafeMutablePointer<Double>
    var ops: UnsafeMutablePointer<Op>
    /// The first input of each node, or -1.
    var lhs: UnsafeMutablePointer<Int32>
    /// The second input, or -1.
    var rhs: UnsafeMutablePointer<Int32>
    /// Scratch space for the sweeps that find which nodes a root depends on.
    var seen: UnsafeMutablePointer<Bool>

    init(capacity: Int) {
        self.capacity = capacity
        data = .allocate(capacity: capacity)
        grad = .allocate(capacity: capacity)
        ops = .allocate(capacity: capacity)
        lhs = .allocate(capacity: capacity)
        rhs = .allocate(capacity: capacity)
        seen = .allocate(capacity: capacity)
    }

    func deallocate() {
        data.deallocate()
        grad.deallocate()
        ops.deallocate()
        lhs.deallocate()
        rhs.deallocate()
        seen.deallocate()
    }

    /// Appends a node and returns its index. Its grad starts at 0.
    @inline(__always)
    mutating func record(_ op: Op, _ value: Double, _ a: Int32, _ b: Int32) -> Int32 {
        if count == capacity { grow() }
        let i = count
        data[i] = value
        grad[i] = 0
        ops[i] = op
        lhs[i] = a
        rhs[i] = b
        count = i + 1
        return Int32(truncatingIfNeeded: i)
    }

    /// Adds node `i`'s contribution to its inputs' grads: `input.grad += local · grad`.
    @inline(__always)
    func propagate(_ i: Int, exponents: [Int32: Double]) {
        let g = grad[i]
        let op = ops[i]
        switch op {
        case .leaf: return
        case .add:
            grad[Int(lhs[i])] += g
            grad[Int(rhs[i])] += g
        case .mul:
            let a = Int(lhs[i]), b = Int(rhs[i])
            grad[a] += data[b] * g
            grad[b] += data[a] * g
        case .pow:
            let a = Int(lhs[i])
            grad[a] += op.localDerivatives(data[a], exponents[Int32(i)]!, out: data[i]).dx * g
        default:
            let a = Int(lhs[i])
            grad[a] += op.localDerivatives(data[a], 0, out: data[i]).dx * g
        }
    }

    /// A node applying a one- or two-input `op` to nodes `a` and `b`.
    @inline(__always)
    mutating func apply(_ op: Op, _ a: Int32, _ b: Int32 = -1) -> Int32 {
        let y = b < 0 ? 0 : data[Int(b)]
        return record(op, op.forward(data[Int(a)], y), a, b)
    }

    @inline(__always)
    func markInputs(of i: Int) {
        let a = lhs[i], b = rhs[i]
        if a >= 0 { seen[Int(a)] = true }
        if b >= 0 { seen[Int(b)] = true }
    }

    mutating func grow() {
        precondition(capacity < Int(Int32.max), "a graph holds at most \(Int32.max) nodes")
        let new = Swift.min(capacity * 2, Int(Int32.max))
        func moved<T>(_ p: UnsafeMutablePointer<T>, _ n: Int) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: new)
            q.moveInitialize(from: p, count: n)
            p.deallocate()
            return q
        }
        data = moved(data, count)
        grad = moved(grad, count)
        ops = moved(ops, count)
        lhs = moved(lhs, count)
        rhs = moved(rhs, count)
        seen = moved(seen, 0)
        capacity = new
    }
}

// MARK: - The graph new leaves go to

/// One default graph per thread, released when the thread ends.
private let currentGraphKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<Graph>.fromOpaque(pointer).release() }
    }
    precondition(status == 0, "pthread_key_create failed")
    return key
}()

extension Graph {
    /// The graph that `Value(2.0)` records on: one per thread unless `withCurrent` says otherwise.
    public static var current: Graph {
        if let pointer = pthread_getspecific(currentGraphKey) {
            return Unmanaged<Graph>.fromOpaque(pointer).takeUnretainedValue()
        }
        let graph = Graph()
        pthread_setspecific(currentGraphKey, Unmanaged.passRetained(graph).toOpaque())
        return graph
    }

    /// Runs `body` with `graph` as this thread's current graph, then restores the old one.
    public static func withCurrent<R>(_ graph: Graph, _ body: () throws -> R) rethrows -> R {
        // The thread's slot owns one retain of the graph it holds; hand it back afterwards.
        let old = pthread_getspecific(currentGraphKey)
        let new = Unmanaged.passRetained(graph).toOpaque()
        pthread_setspecific(currentGraphKey, new)
        defer {
            pthread_setspecific(currentGraphKey, old)
            Unmanaged<Graph>.fromOpaque(new).release()
        }
        return try body()
    }
}
