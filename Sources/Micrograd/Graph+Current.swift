#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - The graph new leaves go to

/// A graph handed through task-local storage. (A graph is not thread-safe: child tasks
/// that record at the same time need graphs of their own.)
private final class BoundGraph: @unchecked Sendable {
    let graph: Graph
    init(_ graph: Graph) { self.graph = graph }
}

/// One default graph per thread, released when the thread ends.
private let threadGraphKey: pthread_key_t = {
    var key = pthread_key_t()
    let status = pthread_key_create(&key) { pointer in
        if let pointer { Unmanaged<Graph>.fromOpaque(pointer).release() }
    }
    precondition(status == 0, "pthread_key_create failed")
    return key
}()

extension Graph {
    @TaskLocal private static var bound: BoundGraph?

    /// The graph that `Value(2.0)` records on: the one bound by `withCurrent`, which follows
    /// a task across `await`s; else, outside async code, one default graph per thread.
    ///
    /// Async code must bind one (`Graph.withCurrent(Graph()) { … }`) or pass `in:`: a task
    /// may resume on another thread after an `await`, and a per-thread default would put
    /// the Values of one function on different graphs. Asking for the current graph in
    /// async code without one bound stops the program with a message saying so.
    public static var current: Graph {
        if let bound { return bound.graph }
        let inTask = withUnsafeCurrentTask { $0 != nil }
        precondition(
            !inTask,
            """
            Graph.current was asked for in async code with no graph bound: a task can move to \
            another thread at each await, so it has no default graph. Wrap the work in \
            Graph.withCurrent(Graph()) { … }, or make Values with Value(x, in: graph).
            """)
        if let pointer = pthread_getspecific(threadGraphKey) {
            return Unmanaged<Graph>.fromOpaque(pointer).takeUnretainedValue()
        }
        let graph = Graph()
        pthread_setspecific(threadGraphKey, Unmanaged.passRetained(graph).toOpaque())
        return graph
    }

    /// Runs `body` with `graph` as the current graph (for this task and the tasks it starts).
    public static func withCurrent<R>(_ graph: Graph, _ body: () throws -> R) rethrows -> R {
        try $bound.withValue(BoundGraph(graph), operation: body)
    }

    /// Runs async `body` with `graph` as the current graph, across its `await`s.
    public static func withCurrent<R>(
        _ graph: Graph, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> R
    ) async rethrows -> R {
        try await $bound.withValue(BoundGraph(graph), operation: body, isolation: isolation)
    }
}

// MARK: - Nodes the engine does not know

/// A node made by an operation of the user's own: its name, all its inputs, and its step
/// of the chain rule.
struct CustomNode {
    let name: String
    let inputs: [Int32]
    let backward: ((Value) -> Void)?
}

extension Value {
    /// A node the engine does not compute: `data`, worked out by an operation named `op`
    /// from `inputs` (micrograd's `Value(data, (a, b), 'op')`). `backward` is its step of
    /// the chain rule; it is given the node, and adds to its inputs' grads:
    ///
    /// ```swift
    /// import Foundation    // (for exp of a Double; Micrograd's own exp takes a Value)
    ///
    /// let x = Value(0.5)
    /// let e = Value(exp(x.data), inputs: [x], op: "exp") { out in
    ///     out.inputs[0].grad += out.data * out.grad
    /// }
    /// e.backward()     // x.grad == e.data
    /// ```
    ///
    /// `recompute()` leaves such a node's data as it is (the engine cannot work it out).
    public init(
        _ data: Double, inputs: [Value], op: String, label: String? = nil,
        in graph: Graph? = nil, backward: ((Value) -> Void)? = nil
    ) {
        let graph = graph ?? inputs.first?.graph ?? .current
        precondition(inputs.allSatisfy { $0.graph === graph }, "a node's inputs must live on its graph")
        let ids = inputs.map(\.node)
        let node = graph.tape.pointee.record(.custom, data, ids.first ?? -1, ids.count > 1 ? ids[1] : -1)
        graph.customNodes[node] = CustomNode(name: op, inputs: ids, backward: backward)
        self.init(graph: graph, id: node)
        if let label { self.label = label }
    }

    /// The name of a custom node's operation, else nil.
    var customName: String? { graph.customNodes[id]?.name }
}
