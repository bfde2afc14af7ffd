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
    // (Lines end at "\n", "\r\n" or "\r": split on "\n" alone, Swift's one Character "\r\n"
    // never matched, and a Windows file read as one line.)
    for (n, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" }) {
            guard let x = Double(word), x.isFinite else {
                throw DataFileError(path: path, message: "line \(n + 1): '\(word.prefix(40))' is not a finite number")
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

    /// The most rows a data set may have: each records about 640 nodes a training step, so
    /// 10,000 take some 200 MB a step (100,000 rows ran out of memory and stopped the program).
    public static let maxRows = 10_000

    /// Reads CSV text (the contents of the file `path`) with a header line and rows
    /// `x,y,label` (x and y finite, label -1 or 1), lines ended as on any system.
    public init(csv text: String, path: String) throws(DataFileError) {
        var x: [[Double]] = [], y: [Double] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (n, line) in lines.enumerated().dropFirst() {
            if line.allSatisfy(\.isWhitespace) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, let a = Double(fields[0]), let b = Double(fields[1]), a.isFinite, b.isFinite,
                let label = Double(fields[2]), label == 1 || label == -1
            else {
                throw DataFileError(
                    path: path,
                    message: "line \(n + 1): expected x,y,label with finite x and y and a label of -1 or 1, got '\(line.prefix(80))'")
            }
            guard x.count < Self.maxRows else {
                throw DataFileError(
                    path: path,
                    message:
                        "more than \(Self.maxRows) rows, the most the demo trains on (each row records about 640 nodes a step); take a sample"
                )
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
        data: Dataset, initial: [Double]? = nil, seed: Int = 1337,
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

    /// The demo's learning rate at step `k` of `steps`: micrograd's 1 − 0.9·k/100 for its 100
    /// steps (and fewer), stretched over a longer run, which it would otherwise take below 0
    /// after step 111, so that the loss climbed.
    public static func learningRate(_ k: Int, of steps: Int = 100) -> Double {
        1.0 - 0.9 * Double(k) / Double(max(steps, 100))
    }

    /// Trains for `steps` steps, calling `onStep` after each.
    public func train<E: Error>(steps: Int = 100, onStep: (TrainingStep) throws(E) -> Void) throws(E) {
        try Micrograd.train(model, steps: steps, learningRate: { Self.learningRate($0, of: steps) }, loss: loss, onStep: onStep)
    }
}
