/// A row of neurons that all read the same inputs.
public struct Layer: Module {
    /// The layer's neurons, in order.
    public let neurons: [Neuron]
    /// The graph the parameters live on.
    public let graph: Graph
    /// How many inputs each neuron reads.
    public let inputCount: Int

    /// `nout` neurons of `nin` inputs each.
    public init(
        _ nin: Int, _ nout: Int, activation: Activation = .tanh,
        using generator: inout some RandomNumberGenerator, in graph: Graph = .current
    ) {
        precondition(nin >= 0 && nout >= 0, "a layer's sizes are 0 or more, not \(nin) inputs and \(nout) neurons")
        neurons = (0..<nout).map { _ in Neuron(nin, activation: activation, using: &generator, in: graph) }
        self.graph = graph
        inputCount = nin
    }

    init(neurons: [Neuron], graph: Graph, inputCount: Int) {
        self.neurons = neurons
        self.graph = graph
        self.inputCount = inputCount
    }

    /// Each neuron's output, in order.
    public func callAsFunction(_ x: [Value]) -> [Value] { neurons.map { $0(x) } }

    /// Each neuron's output node for input nodes `x`.
    func forward(_ x: [Int32]) -> [Int32] {
        precondition(x.count == inputCount, "a layer with \(inputCount) inputs was given \(x.count)")
        // (One neuron stands for all: a layer's neurons are made together, so none is
        // forgotten without the first.)
        neurons.first?.checkLive()
        return graph.recording { tape in
            var out: [Int32] = []
            out.reserveCapacity(neurons.count)
            for j in neurons.indices {
                out.append(Neuron.record(first: neurons[j].first, activation: neurons[j].activation, inputs: x, on: &tape))
            }
            return out
        }
    }

    public func parameters() -> [Value] { neurons.flatMap { $0.parameters() } }
}
