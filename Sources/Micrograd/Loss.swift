/// Losses: one Value that says how wrong a model is, ready for `backward()`.
public enum Loss {
    /// The tutorial's loss: Σ (prediction − target)², summed as Python's `sum` does.
    public static func squaredError(_ predictions: [Value], _ targets: [Double]) -> Value {
        precondition(predictions.count == targets.count, "\(predictions.count) predictions for \(targets.count) targets")
        return Value.sum(zip(predictions, targets).map { yout, ygt in (yout - ygt).pow(2) })
    }

    /// Mean squared error: the squared error times 1/n.
    public static func meanSquaredError(_ predictions: [Value], _ targets: [Double]) -> Value {
        squaredError(predictions, targets) * (1.0 / Double(predictions.count))
    }

    /// micrograd's max-margin loss with L2 regularisation, and the accuracy it saw.
    ///
    /// ```
    /// loss = mean(relu(1 − yᵢ·scoreᵢ)) + α · Σ p²
    /// accuracy = fraction of i with (yᵢ > 0) == (scoreᵢ > 0)
    /// ```
    /// Labels are ±1. The operations and their order are micrograd's demo's, node for node.
    public static func maxMargin(
        scores: [Value], labels: [Double], parameters: [Value],
        alpha: Double = 1e-4
    ) -> (loss: Value, accuracy: Double) {
        precondition(scores.count == labels.count && !scores.isEmpty, "one score per label, at least one")
        let losses = zip(labels, scores).map { yi, scorei in (1 + -yi * scorei).relu() }
        let dataLoss = Value.sum(losses) * (1.0 / Double(losses.count))
        let regLoss = alpha * Value.sum(parameters.map { $0 * $0 })
        let correct = zip(labels, scores).filter { yi, scorei in (yi > 0) == (scorei.data > 0) }.count
        return (dataLoss + regLoss, Double(correct) / Double(labels.count))
    }
}

/// One step of plain gradient descent: `p.data -= learningRate · p.grad` for every parameter.
public func sgdStep(_ parameters: [Value], learningRate: Double) {
    for p in parameters { p.data -= learningRate * p.grad }
}
