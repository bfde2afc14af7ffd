extension Graph {
    /// A new graph with only the nodes that `roots` depend on, in the same order, and a
    /// function telling where each kept node went (nil for a node that was dropped).
    ///
    /// A graph only grows; a long session that keeps building new graphs can hand what it
    /// still refers to here and carry on with the copy.
    package func compacted(keeping roots: [Int32]) -> (graph: Graph, newIndex: (Int32) -> Int32?) {
        let t = tape.pointee
        var keep = [Bool](repeating: false, count: t.count)
        for root in roots where root >= 0 && Int(root) < t.count { keep[Int(root)] = true }
        // Inputs come before the nodes that read them: one reverse sweep marks them all.
        for i in stride(from: t.count - 1, through: 0, by: -1) where keep[i] {
            for input in inputs(of: Int32(i)) { keep[Int(input)] = true }
        }
        var newIndex = [Int32](repeating: -1, count: t.count)
        let copy = Graph(capacity: max(16, keep.lazy.filter { $0 }.count))
        for i in 0..<t.count where keep[i] {
            let a = t.lhs[i] >= 0 ? newIndex[Int(t.lhs[i])] : -1
            let b = t.rhs[i] >= 0 ? newIndex[Int(t.rhs[i])] : -1
            let node = copy.tape.pointee.record(t.ops[i], t.data[i], a, b)
            copy.tape.pointee.grad[Int(node)] = t.grad[i]
            newIndex[i] = node
            if let label = labels[Int32(i)] { copy.labels[node] = label }
            if let k = exponents[Int32(i)] { copy.exponents[node] = k }
            if let custom = customNodes[Int32(i)] {
                copy.customNodes[node] = CustomNode(
                    name: custom.name, inputs: custom.inputs.map { newIndex[Int($0)] },
                    backward: custom.backward)
            }
        }
        return (
            copy,
            { old in
                guard old >= 0, Int(old) < newIndex.count, newIndex[Int(old)] >= 0 else { return nil }
                return newIndex[Int(old)]
            }
        )
    }
}

extension Graph {
    /// A new graph holding only what `roots` depend on, in the same order (labels, data and
    /// grads kept), and a function giving each kept Value's counterpart in it.
    ///
    /// A graph only grows; a long session that keeps building new graphs can hand what it
    /// still refers to here and carry on with the copy.
    public func compacted(keeping roots: [Value]) -> (graph: Graph, moved: (Value) -> Value?) {
        precondition(roots.allSatisfy { $0.graph === self }, "compacted(keeping:) takes Values of this graph")
        let (copy, newIndex) = compacted(keeping: roots.map(\.id))
        return (copy, { v in v.graph === self ? v.moved(to: copy, newIndex) : nil })
    }
}

extension Value {
    /// This node in a compacted copy of its graph.
    package func moved(to graph: Graph, _ newIndex: (Int32) -> Int32?) -> Value? {
        newIndex(id).map { Value(graph: graph, id: $0) }
    }
}

extension Neuron {
    /// The same neuron in a compacted copy of its graph (its parameters must have been kept).
    package func moved(to graph: Graph, _ newIndex: (Int32) -> Int32?) -> Neuron? {
        guard let first = newIndex(first) else { return nil }
        return Neuron(graph: graph, first: first, inputCount: inputCount, activation: activation)
    }
}

extension Layer {
    /// The same layer in a compacted copy of its graph.
    package func moved(to graph: Graph, _ newIndex: (Int32) -> Int32?) -> Layer? {
        var moved: [Neuron] = []
        for n in neurons {
            guard let m = n.moved(to: graph, newIndex) else { return nil }
            moved.append(m)
        }
        return Layer(neurons: moved, graph: graph, inputCount: inputCount)
    }
}

extension MLP {
    /// The same network in a compacted copy of its graph.
    package func moved(to graph: Graph, _ newIndex: (Int32) -> Int32?) -> MLP? {
        var moved: [Layer] = []
        for l in layers {
            guard let m = l.moved(to: graph, newIndex) else { return nil }
            moved.append(m)
        }
        guard let first = newIndex(firstParameter) else { return nil }
        return MLP(layers: moved, graph: graph, firstParameter: first, parameterCount: parameterCount)
    }
}

extension Graph {
    /// Every node that one of `roots` depends on (the roots too), in creation order.
    package func topologicalOrder(covering roots: [Int32]) -> [Int32] {
        let t = tape.pointee
        guard let top = roots.filter({ Int($0) < t.count }).max() else { return [] }
        var keep = [Bool](repeating: false, count: Int(top) + 1)
        for root in roots where root >= 0 && root <= top { keep[Int(root)] = true }
        for i in stride(from: Int(top), through: 0, by: -1) where keep[i] {
            for input in inputs(of: Int32(i)) { keep[Int(input)] = true }
        }
        return keep.indices.filter { keep[$0] }.map { Int32($0) }
    }
}
