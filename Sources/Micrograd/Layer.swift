/// A row of neurons that all read the same inputs.
public struct Layer: Module {
    public let neurons: [Neuron]

    /// `nout` neurons of `nin` inputs each.
    public init(_ nin: Int, _ nout: Int, activation: Activation = .tanh,
                using generator: inout some RandomNumberGenerator, in graph: Graph = .current) {
        neurons = (0..<nout).map { _ in Neuron(nin, activation: activation, using: &generator, in: graph) }
    }

    init(neurons: [Neuron]) { self.neurons = neurons }

    /// Each neuron's output, in order.
    public func callAsFunction(_ x: [Value]) -> [Value] { neurons.map { $0(x) } }

    /// Each neuron's output node for input nodes `x`.
    func forward(_ x: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(neurons.count)
        for j in neurons.indices { out.append(neurons[j].forward(x)) }
        return out
    }

    public func parameters() -> [Value] { neurons.flatMap { $0.parameters() } }
}
