import Micrograd

/// What the interpreter keeps about the learner's own operations: the `_backward` each
/// node was given, and the call that made each of their nodes (so its forward pass can be
/// run again: `:nudge`, `:check`, `:train` need that).
struct LearnerNodes {
    var backward: [Value: Object] = [:]
    var producers: [Value: Producer] = [:]
    /// For a node that took the `_backward` a new call of its function made (see
    /// `adoptStep`): the node that call made, whose grad that step reads.
    var standIns: [Value: Value] = [:]

    var isEmpty: Bool { backward.isEmpty && producers.isEmpty }

    /// Drops what it knows of nodes from `mark` on (they are being forgotten).
    mutating func forget(from mark: Int) {
        guard !isEmpty else { return }
        backward = backward.filter { Int($0.key.id) < mark }
        producers = producers.filter { Int($0.key.id) < mark }
        standIns = standIns.filter { Int($0.key.id) < mark && Int($0.value.id) < mark }
    }
}

/// The call that made a node of the learner's: the function, its arguments, and the leaves
/// it made that the node reads (through nodes the call made too), each with its data then.
struct Producer {
    var function: Object
    var arguments: Arguments
    /// The tutorial's `other = Value(other)` makes a leaf of a number inside `__mul__`.
    /// Running the call again, for `:check` or `:train`, would make a new leaf, and a
    /// nudge to the graph's leaf would go unseen (a slope of 0, and a FAIL for correct
    /// code): so a run again hands each back to the `Value(x)` that made it: the one whose
    /// new node is as many nodes into the run (`offset`) and asks for the same x. (By x
    /// alone, a scratch `Value(2.0)` made first took the graph's 2.0, and changed it.)
    var madeLeaves: [(leaf: Value, data: Double, offset: Int)] = []
}

extension Interpreter {
    /// Whether passes over `graph` must run the learner's steps (the engine alone is faster).
    var hasLearnerNodes: Bool { !learner.isEmpty }

    /// Backward from `root`, micrograd's way (the root's grad 1, then every node's step in
    /// reverse topological order), with the learner's `_backward` for the nodes that have one.
    func backward(from root: Value, at location: SourceLocation) throws(LanguageError) {
        guard hasLearnerNodes || root.graph.count > 0 && hasCustomNodes(below: root) else {
            root.backward()
            return
        }
        let order = root.topologicalOrder()
        root.grad = 1
        for (i, v) in order.reversed().enumerated() {
            if i & 1023 == 1023 { try checkInterrupt() }
            try backwardStep(v, at: location, during: "backward()")
        }
    }

    private func hasCustomNodes(below root: Value) -> Bool {
        let graph = root.graph
        guard graph.hasCustomNodes else { return false }
        return graph.topologicalOrder(from: root.id).contains { Value(graph: graph, id: $0).op == .custom }
    }

    /// `node._backward()`: the learner's function if they gave the node one, else the
    /// engine's step (nothing, for a node of theirs without one, as in micrograd).
    /// (`during` names the pass that ran it, for an error inside the learner's function.)
    func backwardStep(_ node: Value, at location: SourceLocation, during pass: String? = nil) throws(LanguageError) {
        if let step = learner.backward[node] {
            if let standIn = learner.standIns[node] { standIn.grad = node.grad }
            do throws(LanguageError) {
                _ = try call(step, Arguments(), at: location)
            } catch {
                // Said where it ran: the closure's own line is shown, but not which node's
                // step it was, nor that a backward() ran it.
                guard error != .interrupted, !error.message.contains(" (this ran as the _backward of ") else { throw error }
                var error = error
                let name = node.label.map { $0.isEmpty ? nil : "'\($0.escaped())'" } ?? nil
                error.message +=
                    " (this ran as the _backward of \(name ?? "a '\(node.opName)' node"), Value(data=\(node.data.pythonDescription))"
                    + (pass.map { ", in \($0))" } ?? ")")
                throw error
            }
        } else {
            node.backwardStep()
        }
    }

    /// Runs `root`'s forward pass again after a leaf's data changed, and returns its data.
    /// A node of the learner's is worked out again by calling the function that made it.
    @discardableResult
    func recompute(_ root: Value, at location: SourceLocation) throws(LanguageError) -> Double {
        guard hasLearnerNodes || hasCustomNodes(below: root) else { return root.recompute() }
        for v in root.topologicalOrder() {
            guard v.op == .custom else {
                v.graph.forwardNode(Int(v.id))
                continue
            }
            v.data = try rerun(v, at: location, adoptingStep: true)
        }
        return root.data
    }

    /// The data the call that made learner node `v` gives now. With `adoptingStep`, `v`
    /// takes the `_backward` that the call gave its new node (see `adoptStep`).
    func rerun(_ v: Value, at location: SourceLocation, adoptingStep: Bool = false) throws(LanguageError) -> Double {
        try rerunNode(v, at: location, adoptingStep: adoptingStep).data
    }

    /// `rerun`, and the inputs of the node the call made this time: those that are not
    /// `v`'s own were made anew by the call, so a nudge to `v`'s does not reach it.
    func rerunNode(
        _ v: Value, at location: SourceLocation, adoptingStep: Bool = false
    ) throws(LanguageError) -> (data: Double, inputs: [Value]) {
        guard let producer = learner.producers[v] else {
            throw LanguageError(
                "the '\(v.opName)' node was made directly, not by a function, so its forward pass cannot be run again; make it in a def (def \(Self.functionName(for: v.opName))(x): …) and call that",
                at: location)
        }
        let mark = graph.count
        var adopted = false
        defer {
            // (What a step taken by `v` refers to stays: it runs at the next backward.)
            if graph.count > mark, !adopted, !holdsNodes(from: mark) {
                graph.truncate(to: mark)
                learner.forget(from: mark)
            }
        }
        let outerReplay = (leavesToReplay, replayMark)
        (leavesToReplay, replayMark) = (producer.madeLeaves, mark)
        defer { (leavesToReplay, replayMark) = outerReplay }
        let result = try call(producer.function, producer.arguments, at: location)
        guard case .value(let fresh) = result else {
            throw LanguageError("running the '\(v.opName)' node's function again gave \(result.kindName), not a Value", at: location)
        }
        if adoptingStep { adopted = adoptStep(of: fresh, into: v) }
        return (fresh.data, fresh.inputs)
    }

    /// For `Value(x)` in a call run again (see `Producer.madeLeaves`), whose new leaf is
    /// `fresh`: the leaf the first run made at the same place with the same x, if it made
    /// one; else nil, and `fresh` it is. (The new leaf is made either way, so that the
    /// nodes after it keep their places.)
    func replayedLeaf(for fresh: Value, holding x: Double) -> Value? {
        let offset = Int(fresh.id) - replayMark
        guard let i = leavesToReplay?.firstIndex(where: { $0.offset == offset && $0.data.bitPattern == x.bitPattern }) else {
            return nil
        }
        let leaf = leavesToReplay!.remove(at: i).leaf
        guard leaf.graph === graph, leaf.op == .leaf else { return nil }
        replayedLeaves.insert(leaf)
        return leaf
    }

    /// Gives `v` the `_backward` just made for `fresh`, the node its function made again
    /// from the same inputs; the step then runs with `fresh` standing in for `v` (its grad
    /// set to v's first). A step sees the numbers of the forward pass it was made in: the
    /// tutorial's tanh keeps its `t`. Kept from when `v` was made, after :train moved the
    /// leaves it was stale, and every step after the first went the first one's way. (Not
    /// when the new node's inputs are nodes the call made itself: then the step would
    /// add to those, not to the graph's.)
    private func adoptStep(of fresh: Value, into v: Value) -> Bool {
        guard fresh != v, fresh.inputs == v.inputs, let step = learner.backward.removeValue(forKey: fresh) else { return false }
        learner.producers[fresh] = nil
        learner.backward[v] = step
        learner.standIns[v] = fresh
        return true
    }

    /// ∂node/∂input for each input of `node`, from its backward step alone: the node's grad
    /// set to 1, its inputs' to 0, one step, and everything put back.
    func localGradients(of node: Value, at location: SourceLocation) throws(LanguageError) -> [Double] {
        let inputs = node.inputs
        let saved = (node.grad, inputs.map(\.grad))
        defer {
            node.grad = saved.0
            for (x, g) in zip(inputs, saved.1) { x.grad = g }
        }
        node.grad = 1
        for x in inputs { x.grad = 0 }
        try backwardStep(node, at: location, during: "a check of its gradients")
        return inputs.map(\.grad)
    }

    /// ∂node/∂input for each input, by central differences through the node's own function;
    /// nil for an input the function makes anew each time it runs (`inner = self * 2.0`,
    /// then `Value(…, (inner,), …)`), which a nudge does not reach.
    func numericGradients(of node: Value, at location: SourceLocation) throws(LanguageError) -> [Double?] {
        let h = 1e-6
        let inputs = node.inputs
        var result: [Double?] = []
        for (k, x) in inputs.enumerated() {
            let original = x.data
            defer { x.data = original }
            x.data = original + h
            let up = try rerunNode(node, at: location)
            x.data = original - h
            let down = try rerun(node, at: location)
            result.append(up.inputs.count == inputs.count && up.inputs[k] == x ? (up.data - down) / (2 * h) : nil)
        }
        return result
    }

    /// Notes the call that made `result`, if it is a node of the learner's made during it.
    func noteProducer(_ result: Object, madeFrom mark: Int, by function: Object, _ arguments: Arguments) {
        guard case .value(let v) = result, v.op == .custom, Int(v.id) >= mark, learner.producers[v] == nil else { return }
        learner.producers[v] = Producer(function: function, arguments: arguments, madeLeaves: leaves(readBy: v, madeFrom: mark))
    }

    /// The leaves from `mark` on that `v` reads through nodes from `mark` on, oldest first,
    /// each with its data now. (Only the call's own nodes are gone through: the graph
    /// below them may be a whole network.)
    private func leaves(readBy v: Value, madeFrom mark: Int) -> [(leaf: Value, data: Double, offset: Int)] {
        var pending = v.inputs.filter { Int($0.id) >= mark }
        var seen = Set<Int32>()
        var found: [(leaf: Value, data: Double, offset: Int)] = []
        while let node = pending.popLast() {
            guard seen.insert(node.id).inserted else { continue }
            if node.op == .leaf {
                found.append((node, node.data, Int(node.id) - mark))
            } else {
                pending += node.inputs.filter { Int($0.id) >= mark }
            }
        }
        return found.sorted { $0.leaf.id < $1.leaf.id }
    }

    /// `Value(data, (a, b), 'op')`: a node of the learner's own, with inputs.
    func learnerNode(_ data: Double, children: Object, op: Object, at location: SourceLocation) throws(LanguageError) -> Value {
        guard let items = children.sequence ?? (children.isSet ? children.setItems : nil) else {
            throw LanguageError(
                "a Value's children are a tuple of Values, as in Value(x.data**2, (x,), '**2'), not \(children.kindName)", at: location)
        }
        var inputs: [Value] = []
        for item in items {
            guard case .value(let v) = item else {
                throw LanguageError("a Value's children are Values, not \(item.kindName); wrap a number first: Value(2.0)", at: location)
            }
            inputs.append(v)
        }
        guard case .string(let name) = op else {
            throw LanguageError("a Value's op is its name in quotes, as in 'exp', not \(op.kindName)", at: location)
        }
        return Value(data, inputs: inputs, op: name, in: graph)
    }
}

extension Object {
    /// A learner's function's name, if this is one.
    var functionName: String? {
        if case .function(let f) = self { return f.name }
        return nil
    }

    var isSet: Bool {
        if case .set = self { return true }
        return false
    }

    var setItems: [Object] {
        if case .set(let s) = self { return s.items }
        return []
    }
}

extension Interpreter {
    /// A name for a function that makes `op` nodes, as the advice writes it: the op itself
    /// if it is a name (`cube`), else one (`op` for '+').
    static func functionName(for op: String) -> String {
        guard let first = op.first, first.isLetter || first == "_", op.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return "op"
        }
        return op
    }
}
