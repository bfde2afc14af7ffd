import Micrograd

/// Backward one node at a time (`:backstep`): the root, the nodes still to visit, and how
/// many have been visited.
struct Backstepper {
    var root: Value
    /// The nodes to visit, in topological order: the first `left` are still to come, the
    /// last of them next. (Read, never changed, as it steps: the stepper the session holds
    /// and the one stepping share it. Popping it copied it at every step, while the session
    /// held it too: a :backstep of n nodes took time n².)
    private var order: [Value]
    private(set) var left: Int
    private(set) var step = 0

    /// Starts at `root`: every grad of its graph 0, and the root's 1.
    init(root: Value) {
        self.root = root
        root.zeroGrad()
        root.grad = 1
        order = root.topologicalOrder().filter { $0.op != .leaf }
        left = order.count
    }

    /// The nodes it still refers to (kept when the graph is compacted).
    var nodes: [Value] { [root] + order[..<left] }

    /// The same stepper after the graph was compacted, or nil if its root is gone.
    func moved(_ move: (Value) -> Value?) -> Backstepper? {
        guard let root = move(root) else { return nil }
        var copy = self
        copy.root = root
        copy.order = order[..<left].compactMap(move)
        copy.left = copy.order.count
        return copy
    }

    /// Visits the next node: applies its step of the chain rule, and says what it did.
    /// Returns nil when there is nothing left.
    mutating func next(in session: Session) throws(LanguageError) -> String? {
        let name = session.name(of:)
        guard left > 0 else { return nil }
        left -= 1
        let v = order[left]
        step += 1
        let vName = name(v), rootName = name(root)
        var lines = [
            "step \(step): \(vName) = \(v.opName) of \(v.inputs.map(name).joined(separator: ", ")), with grad d\(rootName)/d\(Session.grouped(vName)) = \(v.grad.pythonDescription)"
        ]
        var running: [Value: Double] = [:]
        for input in v.inputs {
            let (symbol, local) = try session.localDerivative(of: v, withRespectTo: input)
            let before = running[input] ?? input.grad
            let after = before + local * v.grad
            running[input] = after
            let inputName = name(input)
            // Two short lines rather than one long one: the rule, then the numbers.
            lines.append(
                "  \(Session.grouped(inputName)).grad += ∂\(Session.grouped(vName))/∂\(Session.grouped(inputName)) × \(Session.grouped(vName)).grad"
            )
            lines.append(
                "      = (\(symbol)) × \(v.grad.pythonDescription): \(before.pythonDescription) → \(after.pythonDescription)")
        }
        try session.interpreter.backwardStep(v, at: SourceLocation(line: 1, column: 1))
        if left == 0 {
            lines.append("done: every node of \(rootName)'s graph holds d\(rootName)/d(node), as backward would leave it")
        }
        let width = max(40, session.host.width - 1)
        return lines.map { wrapped($0, width: width) }.joined(separator: "\n")
    }

    /// Whether every node has been visited.
    var isDone: Bool { left == 0 }
}
