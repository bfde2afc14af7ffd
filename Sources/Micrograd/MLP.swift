/// A multi-layer perceptron: layers of neurons, each layer reading the one before.
///
/// ```swift
/// let n = MLP(3, [4, 4, 1], seed: 1)      // 3 inputs, two hidden layers of 4, 1 output
/// n.parameters().count                    // 41
/// let y = n([2.0, 3.0, -1.0])[0]
/// ```
public struct MLP: Module {
    /// The layers, the inputs' first.
    public let layers: [Layer]
    /// The graph the parameters live on; calls to the model record there.
    public let graph: Graph
    /// The parameters are made one after another, in micrograd's order, from this node on.
    let firstParameter: Int32
    /// How many weights and biases it has.
    public let parameterCount: Int

    /// A network of `nin` inputs and layers of `nouts` neurons, weights drawn from `generator`.
    ///
    /// Hidden layers use `activation`; the last layer uses `output` (by default the same, as
    /// in the tutorial; micrograd's own demo uses `.relu` and `.linear`).
    public init(
        _ nin: Int, _ nouts: [Int], activation: Activation = .tanh, output: Activation? = nil,
        using generator: inout some RandomNumberGenerator, in graph: Graph = .current
    ) {
        let sizes = [nin] + nouts
        firstParameter = Int32(graph.count)
        layers = nouts.indices.map { i in
            let last = i == nouts.count - 1
            return Layer(
                sizes[i], sizes[i + 1], activation: last ? (output ?? activation) : activation,
                using: &generator, in: graph)
        }
        self.graph = graph
        parameterCount = graph.count - Int(firstParameter)
    }

    init(layers: [Layer], graph: Graph, firstParameter: Int32, parameterCount: Int) {
        self.layers = layers
        self.graph = graph
        self.firstParameter = firstParameter
        self.parameterCount = parameterCount
    }

    /// A network whose weights come from `PythonRandom(seed: seed)`: after `random.seed(seed)`,
    /// the tutorial's Python `MLP(nin, nouts)` draws the same (each neuron's weights, then its
    /// bias, from `random.uniform(-1, 1)`), and micrograd's `nn.py` the same ReLU network (its
    /// biases start at 0; see `Neuron`).
    public init(
        _ nin: Int, _ nouts: [Int], activation: Activation = .tanh, output: Activation? = nil,
        seed: Int, in graph: Graph = .current
    ) {
        var generator = PythonRandom(seed: seed)
        self.init(nin, nouts, activation: activation, output: output, using: &generator, in: graph)
    }

    /// Stops the program, saying why, if the graph has forgotten the network's nodes.
    func checkLive() {
        for layer in layers { layer.neurons.first?.checkLive() }  // (as `Layer.forward` checks)
    }

    /// The number of inputs the network reads.
    public var inputCount: Int { layers.first?.inputCount ?? 0 }

    /// The outputs of the last layer for inputs `x`.
    public func callAsFunction(_ x: [Value]) -> [Value] {
        precondition(x.allSatisfy { $0.graph === graph }, "a model's inputs must live on its own graph")
        return layers.reduce(x.map(\.node)) { nodes, layer in layer.forward(nodes) }
            .map { Value(graph: graph, id: $0) }
    }

    /// The outputs for plain numbers, each recorded as a leaf first (once, not per neuron).
    public func callAsFunction(_ x: [Double]) -> [Value] {
        self(x.map { Value($0, in: graph) })
    }

    public func parameters() -> [Value] {
        checkLive()
        return (0..<Int32(parameterCount)).map { Value(graph: graph, id: firstParameter + $0) }
    }

    public func zeroGrad() {
        checkLive()
        (graph.tape.pointee.grad + Int(firstParameter)).update(repeating: 0, count: parameterCount)
    }
}
