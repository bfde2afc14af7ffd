/// One neuron: `activation(w · x + b)`.
///
/// Its parameters sit side by side on the graph, weights then bias, so the neuron is just
/// the index of its first weight; `w` and `b` hand them out as Values.
public struct Neuron: Module {
    /// The graph the parameters live on.
    public let graph: Graph
    /// The node of the first weight; the others follow it, then the bias.
    let first: Int32
    /// How many inputs (and weights) the neuron has.
    public let inputCount: Int
    /// What shapes its weighted sum: tanh (the tutorial's), ReLU, or nothing.
    public let activation: Activation
    /// The generation of node `first` when the neuron was made (as `Value.generation`): a
    /// neuron kept past `Graph.step`, whose nodes the graph forgot, is stopped with a message
    /// (it ran on whatever nodes took their places, and called those its parameters).
    let firstGeneration: UInt32

    /// A neuron with `nin` weights drawn uniformly from [-1, 1], and a bias: drawn too for
    /// the tutorial's tanh neuron (`self.b = Value(random.uniform(-1, 1))`), 0 for ReLU and
    /// linear ones, as micrograd's `nn.py` starts them (`self.b = Value(0)`). From the same
    /// seed, each then has the weights its Python original draws.
    public init(
        _ nin: Int, activation: Activation = .tanh,
        using generator: inout some RandomNumberGenerator, in graph: Graph = .current
    ) {
        precondition(nin >= 0, "a neuron needs 0 or more inputs")
        self.graph = graph
        first = Int32(graph.count)
        for _ in 0..<nin { _ = graph.leaf(generator.nextWeight()) }
        _ = graph.leaf(activation == .tanh ? generator.nextWeight() : 0)
        inputCount = nin
        self.activation = activation
        firstGeneration = graph.tape.pointee.generations[Int(first)]
    }

    /// A neuron whose parameters are already on `graph`, from node `first` on.
    init(graph: Graph, first: Int32, inputCount: Int, activation: Activation) {
        self.graph = graph
        self.first = first
        self.inputCount = inputCount
        self.activation = activation
        firstGeneration = graph.tape.pointee.generations[Int(first)]
    }

    /// Stops the program, saying why, if the graph has forgotten the neuron's nodes.
    @inline(__always)
    func checkLive() {
        precondition(
            graph.isLive(first, firstGeneration),
            """
            this network's parameters are gone: its graph forgot them (it was made inside \
            Graph.step, or after the mark given to truncate(to:)). Make the network before the \
            step, and keep plain numbers, not Values or networks, from inside it.
            """)
    }

    /// The weights, one per input.
    public var w: [Value] {
        checkLive()
        return (0..<Int32(inputCount)).map { Value(graph: graph, id: first + $0) }
    }

    /// The bias.
    public var b: Value {
        checkLive()
        return Value(graph: graph, id: first + Int32(inputCount))
    }

    /// The neuron's output for inputs `x` (as many as it has weights).
    public func callAsFunction(_ x: [Value]) -> Value {
        precondition(x.allSatisfy { $0.graph === graph }, "a neuron's inputs must live on its own graph")
        return Value(graph: graph, id: forward(x.map(\.node)))
    }

    /// The output node for input nodes `x`.
    ///
    /// The sum runs as micrograd's `sum((wi*xi for …), b)`: act = b, then act = act + wᵢ·xᵢ
    /// for each input in turn. It is written on node indices rather than Values, so that
    /// the loop a network spends its time in does no reference counting. (Its products
    /// are checked for numbers that are not finite once, in the total: a sum cannot turn
    /// an infinity or a NaN back into a number.)
    func forward(_ x: [Int32]) -> Int32 {
        precondition(x.count == inputCount, "a neuron with \(inputCount) weights was given \(x.count) inputs")
        checkLive()
        return graph.recording { tape in
            Self.record(first: first, activation: activation, inputs: x, on: &tape)
        }
    }

    /// `forward`'s nodes, recorded on `tape` for the neuron whose weights start at node
    /// `first` (a layer records all its neurons on one copy of the tape this way).
    @inline(__always)
    static func record(first: Int32, activation: Activation, inputs x: [Int32], on tape: inout Tape) -> Int32 {
        var recorder = tape.recorder(reserving: 2 * x.count)
        let data = recorder.data
        var act = first + Int32(x.count)
        var sum = data[Int(act)]
        for i in 0..<x.count {
            let w = first + Int32(i)
            let product = data[Int(w)] * data[Int(x[i])]
            let node = recorder.record(.mul, product, w, x[i])
            sum = sum + product
            act = recorder.record(.add, sum, act, node)
        }
        tape.finish(recorder)
        if !sum.isFinite { tape.slopesMayBeInfinite = true }
        return activation.op.map { tape.apply($0, act) } ?? act
    }

    public func parameters() -> [Value] { w + [b] }
}
