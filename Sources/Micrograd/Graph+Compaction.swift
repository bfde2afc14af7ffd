extension Graph {
    /// Which nodes from `base` on `roots` depend on (index `i - base` for node `i`). One
    /// reverse sweep finds them all: inputs come before the nodes that read them.
    private func kept(from base: Int, by roots: [Int32]) -> [Bool] {
        let t = tape.pointee
        var keep = [Bool](repeating: false, count: t.count - base)
        keep.withUnsafeMutableBufferPointer { buffer in
            guard let keep = buffer.baseAddress else { return }
            for root in roots where Int(root) >= base && Int(root) < t.count { keep[Int(root) - base] = true }
            // (Index arithmetic unchecked below: every index is a node's, so it fits.)
            var k = keep.lastSet(atOrBelow: t.count - 1 - base, downTo: 0)
            while k >= 0 {
                let i = base &+ k
                if t.ops[i] == .custom, let custom = customNodes[Int32(i)] {
                    for input in custom.inputs where Int(input) >= base { keep[Int(input) - base] = true }
                } else {
                    let a = Int(t.lhs[i]), b = Int(t.rhs[i])
                    if a >= base { keep[a &- base] = true }
                    if b >= base { keep[b &- base] = true }
                }
                k = keep.lastSet(atOrBelow: k &- 1, downTo: 0)
            }
        }
        return keep
    }

    /// The labels, exponents and custom nodes of the nodes `moved` keeps, at their new places.
    private func tables(
        movedBy moved: (Int32) -> Int32?
    ) -> (
        labels: [Int32: String], exponents: [Int32: Double], customNodes: [Int32: CustomNode]
    ) {
        func rekeyed<T>(_ table: [Int32: T], _ transform: (T) -> T = { $0 }) -> [Int32: T] {
            var result: [Int32: T] = [:]
            for (old, value) in table { if let new = moved(old) { result[new] = transform(value) } }
            return result
        }
        return (
            rekeyed(labels), rekeyed(exponents),
            rekeyed(customNodes) { custom in
                CustomNode(name: custom.name, inputs: custom.inputs.map { moved($0) ?? -1 }, backward: custom.backward)
            }
        )
    }

    /// A new graph with only the nodes that `roots` depend on, in the same order, and a
    /// function telling where each kept node went (nil for a node that was dropped).
    ///
    /// A graph only grows; a long session that keeps building new graphs can hand what it
    /// still refers to here and carry on with the copy.
    package func compacted(keeping roots: [Int32]) -> (graph: Graph, newIndex: (Int32) -> Int32?) {
        let t = tape.pointee
        let keep = kept(from: 0, by: roots)
        var newIndex = [Int32](repeating: -1, count: t.count)
        let copy = Graph(capacity: max(16, keep.lazy.filter { $0 }.count))
        for i in 0..<t.count where keep[i] {
            let a = t.lhs[i] >= 0 ? newIndex[Int(t.lhs[i])] : -1
            let b = t.rhs[i] >= 0 ? newIndex[Int(t.rhs[i])] : -1
            let node = copy.tape.pointee.record(t.ops[i], t.data[i], a, b)
            copy.tape.pointee.grad[Int(node)] = t.grad[i]
            newIndex[i] = node
        }
        let moved = { (old: Int32) -> Int32? in
            guard old >= 0, Int(old) < newIndex.count, newIndex[Int(old)] >= 0 else { return nil }
            return newIndex[Int(old)]
        }
        (copy.labels, copy.exponents, copy.customNodes) = tables(movedBy: moved)
        copy.gradsUntouchedFrom = copy.count  // the copied nodes keep their grads
        return (copy, moved)
    }

    /// Drops the nodes from `base` on that none of `roots` depends on, and moves the rest
    /// down in place, in the same order; the nodes below `base` are not touched (nor
    /// looked at). Returns where each node went: itself below `base`, nil if dropped.
    ///
    /// The cost is the part from `base` on, not the whole graph: a loop that records a
    /// graph every round and keeps only the last can run in the memory of a few rounds.
    /// Handles to the moved part are stale afterwards (using one stops the program); make
    /// new ones with `Value(graph:id:)` at the new places.
    package func compact(from base: Int, keeping roots: [Int32]) -> (Int32) -> Int32? {
        let t = tape.pointee
        let n = t.count - base
        precondition(base >= 0 && n >= 0, "compact(from:keeping:) past the end of the graph")
        var keep = kept(from: base, by: roots)
        var newIndex = [Int32](repeating: -1, count: n)
        // Every node from `base` on gets a new generation, so an unmoved handle cannot pass
        // for one of the nodes that now sit where its node was.
        let generation = t.generation &+ 1
        var next = base
        keep.withUnsafeMutableBufferPointer { keepBuffer in
            newIndex.withUnsafeMutableBufferPointer { index in
                guard let keep = keepBuffer.baseAddress else { return }
                // Kept nodes come in runs (a round's graph is one): each run's numbers move
                // down as one block, and then its nodes' inputs are renumbered one by one.
                var k = keep.firstSet(atOrAbove: 0, below: n)
                while k < n {
                    let end = keep.firstClear(atOrAbove: k, below: n)
                    let from = base + k
                    t.moveDown(from: from, to: next, count: end - k, generation: generation)
                    // An input in the same run moves by the same distance; one below `base`
                    // stays; any other is looked up.
                    let distance = from - next
                    @inline(__always) func renumbered(_ a: Int) -> Int32 {
                        // (Every index fits an Int32: the graph's do.)
                        a >= from ? Int32(truncatingIfNeeded: a &- distance) : a < base ? Int32(truncatingIfNeeded: a) : index[a &- base]
                    }
                    for i in from..<(base + end) {
                        t.lhs[next] = renumbered(Int(t.lhs[i]))
                        t.rhs[next] = renumbered(Int(t.rhs[i]))
                        index[i &- base] = Int32(truncatingIfNeeded: next)
                        next &+= 1
                    }
                    k = keep.firstSet(atOrAbove: end, below: n)
                }
            }
        }
        tape.pointee.count = next
        tape.pointee.generation = generation
        gradsUntouchedFrom = next  // the moved nodes keep their grads
        let moved = { (old: Int32) -> Int32? in
            guard old >= 0, Int(old) < base + n else { return nil }
            if Int(old) < base { return old }
            let new = newIndex[Int(old) - base]
            return new >= 0 ? new : nil
        }
        (labels, exponents, customNodes) = tables(movedBy: moved)
        lastOrder = nil
        return moved
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
        let keep = kept(from: 0, by: roots)
        return keep.indices.filter { keep[$0] }.map { Int32($0) }
    }
}
