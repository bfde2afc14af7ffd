/// A scalar that remembers how it was computed: micrograd's `Value`.
///
/// ```swift
/// let a = Value(2.0, label: "a")
/// let b = Value(-3.0, label: "b")
/// let L = (a * b + 10) * -2     // Value(data=-8.0)
/// L.backward()
/// a.grad                        // 6.0 = dL/da
/// ```
///
/// A `Value` is a handle to one node of a `Graph`: copying it copies the handle, and
/// `data`, `grad` and `label` can be set through any copy. Two Values are equal when they
/// are the same node.
///
/// A handle to a node that its graph has since forgotten (made inside a `Graph.step`, or
/// before a `truncate(to:)`) stops the program when used, with a message saying so.
public struct Value {
    /// The graph this node lives on.
    public let graph: Graph
    /// The node's index in its graph (its creation order).
    @usableFromInline package let id: Int32
    /// The graph's generation when the node was made (see `Tape.generations`).
    @usableFromInline let generation: UInt32

    /// Wraps node `id` of `graph`.
    @inlinable package init(graph: Graph, id: Int32) {
        self.graph = graph
        self.id = id
        generation = graph.tape.pointee.generations[Int(id)]
    }

    /// Wraps node `id`, which `graph` has just recorded (so it is of the current generation).
    @inlinable @inline(__always)
    init(recordedOn graph: Graph, _ id: Int32) {
        self.graph = graph
        self.id = id
        generation = graph.tape.pointee.generation
    }

    /// The node's index, after checking the node is still there.
    @inlinable @inline(__always)
    package var node: Int32 {
        precondition(
            graph.isLive(id, generation),
            """
            this Value's node is gone: its graph forgot it (it was made inside Graph.step, or \
            after the mark given to truncate(to:)). Keep plain numbers (its .data) from inside \
            a step, not Values.
            """)
        return id
    }

    /// A new leaf holding `data`, recorded on `graph` (`Graph.current` by default).
    public init(_ data: Double, label: String? = nil, in graph: Graph = .current) {
        self.init(graph: graph, id: graph.leaf(data))
        if let label { self.label = label }
    }

    /// The number this node holds.
    public var data: Double {
        get { graph.tape.pointee.data[index] }
        nonmutating set { graph.setData(index, newValue) }
    }

    /// d(root)/d(self) after `root.backward()`; 0 for a new node.
    public var grad: Double {
        get { graph.tape.pointee.grad[index] }
        nonmutating set { graph.setGrad(index, newValue) }
    }

    /// A name for drawings and tables (the tutorial's `label`).
    public var label: String? {
        get { graph.labels[node] }
        nonmutating set { graph.labels[node] = newValue }
    }

    /// The operation that produced this node (`.leaf` for one made by `Value(_:)`).
    public var op: Op { graph.tape.pointee.ops[index] }

    /// The exponent of a `pow` node, else nil.
    public var exponent: Double? { graph.exponent(of: node) }

    /// The nodes this one was computed from, in operand order (micrograd's `_prev`).
    public var inputs: [Value] { graph.inputs(of: node).map { Value(graph: graph, id: $0) } }

    /// How micrograd names the operation: `+`, `*`, `**2`, `**-1`, `**0.5`, `tanh`, or ""
    /// for a leaf (and a custom node's own name). A whole exponent is written without `.0`,
    /// as micrograd's int exponents are.
    public var opName: String {
        if let name = customName { return name }
        guard let k = exponent else { return op.symbol }
        if k == k.rounded(), abs(k) < 1e15 { return "**\(Int(k))" }
        return "**" + k.pythonDescription
    }

    var index: Int { Int(node) }
}

// MARK: - Differentiation and passes over a graph

extension Value {
    /// Fills in `grad` for every node this one depends on: reverse-mode autodiff.
    ///
    /// As in micrograd, this node's grad is set to 1 and every other grad is *added to*:
    /// calling it twice without `zeroGrad()` in between accumulates. Nothing recurses, so
    /// graphs of any depth work.
    public func backward() {
        graph.backward(from: node)
    }

    /// Applies this node's own step of the chain rule once: each input's grad
    /// `+= local derivative × self.grad` (micrograd's `_backward`).
    public func backwardStep() {
        graph.propagate(index)
    }

    /// Sets to 0 the grad of this node and of every node it depends on.
    public func zeroGrad() {
        graph.zeroGrad(from: node)
    }

    /// Re-runs the forward pass: recomputes every node this one depends on from its inputs,
    /// after a leaf's `data` changed. Returns the new `data`. A node of an operation of your
    /// own (`Value(_:inputs:op:backward:)`) keeps the data it was made with, and so does
    /// everything computed from it: rebuild such a graph rather than recompute it.
    @discardableResult
    public func recompute() -> Double {
        graph.forward(to: node)
        return data
    }

    /// This node and every node it depends on, each after its inputs.
    public func topologicalOrder() -> [Value] {
        graph.topologicalOrder(from: node).map { Value(graph: graph, id: $0) }
    }

    /// The leaves this node depends on, in creation order.
    public var leaves: [Value] { topologicalOrder().filter { $0.op == .leaf } }

    /// The nodes this one depends on whose data or grad is infinite or NaN.
    public func nonFiniteNodes() -> [Value] {
        topologicalOrder().filter { !$0.data.isFinite || !$0.grad.isFinite }
    }
}

// MARK: - Identity

extension Value: Hashable {
    /// The same node: same graph, same slot, and the same generation of that slot (a
    /// handle to a forgotten node is never equal to the node that took its place).
    public static func == (lhs: Value, rhs: Value) -> Bool {
        lhs.graph === rhs.graph && lhs.id == rhs.id && lhs.generation == rhs.generation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(graph))
        hasher.combine(id)
    }
}

// MARK: - Printing

extension Value: CustomStringConvertible {
    /// The tutorial's form: `Value(data=-8.0)`.
    public var description: String { "Value(data=\(data.pythonDescription))" }
}

extension Value: CustomDebugStringConvertible {
    /// Everything about the node: `Value(id=5, label=L, op=*, data=-8.0, grad=1.0)`.
    public var debugDescription: String {
        var parts = ["id=\(id)"]
        if let label { parts.append("label=\(label)") }
        if op != .leaf { parts.append("op=\(opName)") }
        parts.append("data=\(data.pythonDescription)")
        parts.append("grad=\(grad.pythonDescription)")
        return "Value(" + parts.joined(separator: ", ") + ")"
    }
}
