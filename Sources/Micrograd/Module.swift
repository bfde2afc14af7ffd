/// Anything with trainable parameters: a neuron, a layer, a network.
public protocol Module {
    /// Every trainable Value, in micrograd's order (layer by layer, neuron by neuron,
    /// weights then bias).
    func parameters() -> [Value]

    /// Sets every parameter's grad to 0 (micrograd's `zero_grad`).
    func zeroGrad()
}

/// A list of numbers that does not fit a model's parameters.
public struct ParameterCountMismatch: Error, Equatable, CustomStringConvertible {
    public let expected: Int
    public let got: Int

    public init(expected: Int, got: Int) {
        self.expected = expected
        self.got = got
    }

    public var description: String {
        "the model has \(expected) parameters but \(got) numbers were given"
    }
}

extension Module {
    /// Sets every parameter's grad to 0 (micrograd's `zero_grad`).
    public func zeroGrad() {
        for p in parameters() { p.grad = 0 }
    }

    /// Sets the parameters' data from a list, in `parameters()` order.
    public func setParameters(_ values: [Double]) throws(ParameterCountMismatch) {
        let params = parameters()
        guard params.count == values.count else {
            throw ParameterCountMismatch(expected: params.count, got: values.count)
        }
        for (p, v) in zip(params, values) { p.data = v }
    }
}

/// How a neuron shapes its weighted sum.
public enum Activation: String, Sendable, CaseIterable {
    case tanh, relu, linear

    /// The op that applies it, or nil for `.linear`.
    var op: Op? {
        switch self {
        case .tanh: .tanh
        case .relu: .relu
        case .linear: nil
        }
    }
}
