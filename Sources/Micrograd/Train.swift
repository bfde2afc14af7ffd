/// What one step of `train` saw.
public struct TrainingStep: Sendable, Equatable {
    /// The step's number, from 0.
    public let step: Int
    /// The loss before this step's update.
    public let loss: Double
    /// The accuracy the loss function reported, if it reports one.
    public let accuracy: Double?
    /// The learning rate the update used.
    public let learningRate: Double
}

/// Trains `model` by gradient descent, micrograd's loop: for each step, build the loss,
/// zero the grads, backward, and `p.data -= learningRate(step) · p.grad`.
///
/// `loss` builds a fresh graph each step on the model's graph; the nodes it made are
/// dropped after the step, so memory stays flat however long training runs. To stop early,
/// throw from `onStep`: the parameters keep the updates made so far.
///
/// ```swift
/// try train(model, steps: 100, learningRate: { k in 1 - 0.9 * Double(k) / 100 }) {
///     Loss.maxMargin(scores: xs.map { model($0)[0] }, labels: ys, parameters: model.parameters())
/// } onStep: { print($0.step, $0.loss) }
/// ```
public func train<E: Error>(
    _ model: MLP, steps: Int, learningRate: (Int) -> Double,
    loss: () -> (loss: Value, accuracy: Double?),
    onStep: (TrainingStep) throws(E) -> Void
) throws(E) {
    let graph = model.graph
    let params = model.parameters()
    for k in 0..<steps {
        let mark = graph.count
        let (total, accuracy) = loss()
        model.zeroGrad()
        // Every node from `mark` on was made by this step, so the sweep needs no marks there.
        graph.backward(from: total.id, freshFrom: mark)
        let lr = learningRate(k)
        sgdStep(params, learningRate: lr)
        let report = TrainingStep(step: k, loss: total.data, accuracy: accuracy, learningRate: lr)
        graph.truncate(to: mark)
        try onStep(report)
    }
}
