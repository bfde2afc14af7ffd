import Micrograd

/// A file whose contents are not what was expected, with where and what.
public struct DataFileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Parameters written one number per line (or separated by any white space), read from
/// `text`, the contents of the file `path`.
public func parameters(fromText text: String, path: String) throws(DataFileError) -> [Double] {
    var values: [Double] = []
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            guard let x = Double(word) else {
                throw DataFileError(path: path, message: "line \(n + 1): '\(word)' is not a number")
            }
            values.append(x)
        }
    }
    return values
}

/// A labelled two-input data set such as two moons: points and ±1 labels.
public struct Dataset: Sendable, Equatable {
    public var x: [[Double]]
    public var y: [Double]

    public init(x: [[Double]], y: [Double]) {
        self.x = x
        self.y = y
    }

    /// Reads CSV text (the contents of the file `path`) with a header line and rows
    /// `x,y,label` (label -1 or 1).
    public init(csv text: String, path: String) throws(DataFileError) {
        var x: [[Double]] = [], y: [Double] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, raw) in lines.enumerated().dropFirst() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, let a = Double(fields[0]), let b = Double(fields[1]),
                let label = Double(fields[2]), label == 1 || label == -1
            else {
                throw DataFileError(path: path, message: "line \(n + 1): expected x,y,label with label -1 or 1, got '\(line)'")
            }
            x.append([a, b])
            y.append(label)
        }
        guard !x.isEmpty else { throw DataFileError(path: path, message: "no data rows") }
        self.init(x: x, y: y)
    }
}

/// micrograd's demo: `MLP(2, [16, 16, 1])` with ReLU hidden layers and a linear output,
/// trained on two moons with the max-margin loss, full batch, `lr = 1 − 0.9·k/100`.
public struct MoonsDemo {
    public let data: Dataset
    public let model: MLP

    /// The demo's network on `data`, with parameters from `initial` (337 numbers) or, without
    /// them, drawn from `seed`.
    public init(
        data: Dataset, initial: [Double]? = nil, seed: UInt64 = 1337,
        graph: Graph = Graph()
    ) throws(ParameterCountMismatch) {
        self.data = data
        model = MLP(2, [16, 16, 1], activation: .relu, output: .linear, seed: seed, in: graph)
        if let initial { try model.setParameters(initial) }
    }

    /// The loss and accuracy on the whole data set, recorded as micrograd's `loss()` does
    /// (each input wrapped as a leaf first).
    public func loss() -> (loss: Value, accuracy: Double?) {
        let inputs = data.x.map { row in row.map { Value($0, in: model.graph) } }
        let scores = inputs.map { model($0)[0] }
        let (loss, accuracy) = Loss.maxMargin(scores: scores, labels: data.y, parameters: model.parameters())
        return (loss, accuracy)
    }

    /// The demo's learning rate at step `k`.
    public static func learningRate(_ k: Int) -> Double { 1.0 - 0.9 * Double(k) / 100 }

    /// Trains for `steps` steps, calling `onStep` after each.
    public func train<E: Error>(steps: Int = 100, onStep: (TrainingStep) throws(E) -> Void) throws(E) {
        try Micrograd.train(model, steps: steps, learningRate: Self.learningRate, loss: loss, onStep: onStep)
    }
}
