/// A neuron, a layer, or a network of layers: parameters, and a function from inputs to
/// outputs. Code that trains "a model" can take any of them.
public protocol Network: Module {
    /// The graph the parameters live on; calls record there.
    var graph: Graph { get }
    /// How many inputs it reads.
    var inputCount: Int { get }
    /// How many outputs it gives.
    var outputCount: Int { get }
    /// Its outputs for inputs `x` (one for a neuron).
    func outputs(_ x: [Value]) -> [Value]
    /// The most nodes one call records: a product and a sum for each weight, and the
    /// activation, for each neuron. (To make room in the graph ahead of a call.)
    var nodesPerCall: Int { get }
}

extension Neuron: Network {
    public var outputCount: Int { 1 }
    public func outputs(_ x: [Value]) -> [Value] { [self(x)] }
    public var nodesPerCall: Int { 2 * inputCount + 1 }
}

extension Layer: Network {
    public var outputCount: Int { neurons.count }
    public func outputs(_ x: [Value]) -> [Value] { self(x) }
    public var nodesPerCall: Int { neurons.count * (2 * inputCount + 1) }
}

extension MLP: Network {
    public var outputCount: Int { layers.last?.neurons.count ?? 0 }
    public func outputs(_ x: [Value]) -> [Value] { self(x) }
    public var nodesPerCall: Int { layers.reduce(0) { $0 + $1.nodesPerCall } }
}
