extension Graph {
    /// Marks in `tape.seen` the nodes from `base` on that `roots` depend on (the flags below
    /// `base` are not touched). One reverse sweep finds them all: inputs come before the
    /// nodes that read them.
    private func markKept(from base: Int, by roots: [Int32]) {
        let t = tape.pointee
        let keep = t.seen
        (keep + base).update(repeating: false, count: t.count - base)
        for root in roots where Int(root) >= base && Int(root) < t.count { keep[Int(root)] = true }
        // (Index arithmetic unchecked below: every index is a node's, so it fits.)
        // (Kept nodes come in runs: the next one down is looked at before searching.)
        var i = keep.lastSet(atOrBelow: t.count - 1, downTo: base)
        while i >= base {
            if t.ops[i] == .custom, let custom = customNodes[Int32(i)] {
                for input in custom.inputs where Int(input) >= base { keep[Int(input)] = true }
            } else {
                let a = Int(t.lhs[i]), b = Int(t.rhs[i])
                if a >= base { keep[a] = true }
                if b >= base { keep[b] = true }
            }
            i &-= 1
            if i >= base && !keep[i] { i = keep.lastSet(atOrBelow: i, downTo: base) }
        }
    }

    /// The start of the smallest block at the end of the graph that holds every root from
    /// `base` on and reads no node in `base..<top`, found in one pass down from the end: a
    /// loop's last round sits at the end, reads only itself and what is older than the loop,
    /// and is often all that the names hold. Nil if only `base` itself would do. (Nodes in
    /// the block that nothing reads are kept; a later compaction drops them.) Looked for
    /// when the caller has no start to offer, or the one it offers is not closed.
    private func closedTop(from base: Int, holding roots: [Int32]) -> Int? {
        let t = tape.pointee
        var lowestRoot = t.count
        for root in roots where Int(root) >= base && Int(root) < lowestRoot { lowestRoot = Int(root) }
        // `lowestRead`: the lowest node from `base` on that a node from `i` on reads.
        var lowestRead = Int.max
        var i = t.count
        let base32 = Int32(truncatingIfNeeded: base), chunk = 64
        while i > base {
            if i <= lowestRoot && lowestRead >= i { return i }
            // No node of the `chunk` below `i` can be `top` once a node above them reads one
            // under them all: those are gone through eight at a time, with no tests. (Not
            // with custom nodes: they may read more than two.)
            while lowestRead < i &- chunk && i &- chunk >= base && !hasCustomNodes {
                var lowest = SIMD8<Int32>(repeating: .max)
                let floor = SIMD8<Int32>(repeating: base32)
                for j in stride(from: i &- chunk, to: i, by: 8) {
                    let a = UnsafeRawPointer(t.lhs + j).loadUnaligned(as: SIMD8<Int32>.self)
                    let b = UnsafeRawPointer(t.rhs + j).loadUnaligned(as: SIMD8<Int32>.self)
                    // (An input below `base`, or none, reads as the largest number.)
                    lowest = pointwiseMin(lowest, a.replacing(with: .max, where: a .< floor))
                    lowest = pointwiseMin(lowest, b.replacing(with: .max, where: b .< floor))
                }
                lowestRead = Swift.min(lowestRead, Int(lowest.min()))
                i &-= chunk
            }
            guard i > base else { break }
            if i <= lowestRoot && lowestRead >= i { return i }
            i &-= 1
            if t.ops[i] == .custom, let custom = customNodes[Int32(i)] {
                for input in custom.inputs where Int(input) >= base { lowestRead = Swift.min(lowestRead, Int(input)) }
            } else {
                let a = Int(t.lhs[i]), b = Int(t.rhs[i])
                if a >= base && a < lowestRead { lowestRead = a }
                if b >= base && b < lowestRead { lowestRead = b }
            }
        }
        return nil
    }

    /// `compact(from:keeping:)` when the nodes to keep are the block from `top` on (see
    /// `closedTop`): its inputs renumbered by one distance where they are, and the block
    /// moved down to `base` whole, with no marks and no search. Nil, with nothing changed,
    /// if a node of the block reads one in `base..<top` after all (a `top` the caller only
    /// expected to be closed: a loop's last round, which reads an older one that is kept).
    private func dropBelow(_ top: Int, from base: Int) -> ((Int32) -> Int32?)? {
        let t = tape.pointee
        let end = t.count, count = end - top
        let distance = Int32(truncatingIfNeeded: top - base), top32 = Int32(truncatingIfNeeded: top)
        let floor = Int32(truncatingIfNeeded: base)
        // Each input column in one pass, eight at a time: an input from `top` on moves by
        // `distance`; one below `base` (or none, -1) stays. Where one lies between, the
        // column is put back as it was (every input now at or past `base` was moved) and
        // the other too, if it was done.
        func putBack(_ column: UnsafeMutablePointer<Int32>, before stop: Int) {
            for j in top..<stop where column[j] >= floor { column[j] &+= distance }
        }
        func renumbered(_ column: UnsafeMutablePointer<Int32>) -> Bool {
            var i = top
            func undo() { putBack(column, before: i) }
            let low = SIMD8<Int32>(repeating: floor), high = SIMD8<Int32>(repeating: top32)
            let shift = SIMD8<Int32>(repeating: distance)
            while i &+ 8 <= end {
                let p = UnsafeMutableRawPointer(column + i)
                let a = p.loadUnaligned(as: SIMD8<Int32>.self)
                guard !any((a .>= low) .& (a .< high)) else {
                    undo()
                    return false
                }
                p.storeBytes(of: a.replacing(with: a &- shift, where: a .>= high), as: SIMD8<Int32>.self)
                i &+= 8
            }
            while i < end {
                let a = column[i]
                guard a < floor || a >= top32 else {
                    undo()
                    return false
                }
                if a >= top32 { column[i] = a &- distance }
                i &+= 1
            }
            return true
        }
        // (A custom node may read more than two: those are in its table, renumbered there.)
        for (id, custom) in customNodes where Int(id) >= top {
            if custom.inputs.contains(where: { Int($0) >= base && Int($0) < top }) { return nil }
        }
        guard renumbered(t.lhs) else { return nil }
        guard renumbered(t.rhs) else {
            putBack(t.lhs, before: end)
            return nil
        }
        let generation = t.generation &+ 1
        t.moveDown(from: top, to: base, count: count, generation: generation, withInputs: true)
        tape.pointee.count = base + count
        tape.pointee.generation = generation
        gradsUntouchedFrom = base + count  // the moved nodes keep their grads
        let moved = { (old: Int32) -> Int32? in
            guard old >= 0, Int(old) < end else { return nil }
            if Int(old) < base { return old }
            return old >= top32 ? old &- distance : nil
        }
        (labels, exponents, customNodes) = tables(movedBy: moved)
        lastOrder = nil
        return moved
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
    /// (Nil if the memory for the copy cannot be had: `compact(from: 0, keeping:)` needs none.)
    package func compacted(keeping roots: [Int32]) -> (graph: Graph, newIndex: (Int32) -> Int32?)? {
        let t = tape.pointee
        markKept(from: 0, by: roots)
        let keep = t.seen
        let copy = Graph(capacity: 16)
        guard copy.tape.pointee.tryReserve((0..<t.count).lazy.filter { keep[$0] }.count) else { return nil }
        var newIndex = [Int32](repeating: -1, count: t.count)
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
    /// When what `roots` depend on is one block at the end (a loop's last round; see
    /// `closedTop`) and it is at most half the part, everything below the block is dropped
    /// and the block moves down whole, nodes in it that nothing reads included.
    /// Handles to the moved part are stale afterwards (using one stops the program); make
    /// new ones with `Value(graph:id:)` at the new places.
    ///
    /// `likelyTop`, if given, is where the caller expects that block to start (where a
    /// loop's round under way began): tried first, and checked as it is renumbered, it
    /// spares the pass that looks for the block. (It may keep more than that pass would:
    /// nodes of the round that nothing reads, which a later compaction drops.)
    package func compact(from base: Int, keeping roots: [Int32], likelyTop: Int? = nil) -> (Int32) -> Int32? {
        let t = tape.pointee
        let end = t.count
        precondition(base >= 0 && base <= end, "compact(from:keeping:) past the end of the graph")
        // The block from `top` on, moved whole, if it is at most half the part and holds
        // every root from `base` on (`closedTop`'s always does; the caller's may not).
        func movedAsABlock(from top: Int) -> ((Int32) -> Int32?)? {
            guard base < top, top <= end, 2 * (end - top) <= end - base,
                !roots.contains(where: { Int($0) >= base && Int($0) < top })
            else { return nil }
            return dropBelow(top, from: base)
        }
        if let top = likelyTop, let moved = movedAsABlock(from: top) { return moved }
        if let top = closedTop(from: base, holding: roots), let moved = movedAsABlock(from: top) { return moved }
        markKept(from: base, by: roots)
        let keep = t.seen
        // Everything kept: nothing moves, and the labels' table is not built again (a
        // second copy of it, where memory had run short, stopped the program).
        if keep.firstClear(atOrAbove: base, below: end) == end {
            return { old in old >= 0 && Int(old) < end ? old : nil }
        }
        // Kept nodes come in runs (a round's graph is one): each run's numbers move down as
        // one block, and then its nodes' inputs are renumbered one by one. A kept node's
        // new place is its run's `distance` below the old one.
        var runs: [(from: Int, end: Int, distance: Int)] = []
        func newPlace(_ old: Int) -> Int? {
            // The last run starting at or below `old` (runs are in order).
            var low = 0, high = runs.count
            while low < high {
                let middle = (low + high) / 2
                if runs[middle].from <= old { low = middle + 1 } else { high = middle }
            }
            guard low > 0, old < runs[low - 1].end else { return nil }
            return old - runs[low - 1].distance
        }
        // Every node from `base` on gets a new generation, so an unmoved handle cannot pass
        // for one of the nodes that now sit where its node was.
        let generation = t.generation &+ 1
        var next = base
        var from = keep.firstSet(atOrAbove: base, below: end)
        while from < end {
            let stop = keep.firstClear(atOrAbove: from, below: end)
            t.moveDown(from: from, to: next, count: stop - from, generation: generation)
            // An input in the same run moves by the same distance; one below `base` stays;
            // one in an earlier run moves by that run's.
            let distance = from - next
            @inline(__always) func renumbered(_ a: Int) -> Int32 {
                // (Every index fits an Int32: the graph's do; and a kept node's inputs are kept.)
                Int32(truncatingIfNeeded: a >= from ? a &- distance : a < base ? a : newPlace(a)!)
            }
            for i in from..<stop {
                t.lhs[next] = renumbered(Int(t.lhs[i]))
                t.rhs[next] = renumbered(Int(t.rhs[i]))
                next &+= 1
            }
            runs.append((from, stop, distance))
            from = keep.firstSet(atOrAbove: stop, below: end)
        }
        tape.pointee.count = next
        tape.pointee.generation = generation
        gradsUntouchedFrom = next  // the moved nodes keep their grads
        let moved = { (old: Int32) -> Int32? in
            guard old >= 0, Int(old) < end else { return nil }
            if Int(old) < base { return old }
            return newPlace(Int(old)).map { Int32(truncatingIfNeeded: $0) }
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
        guard let (copy, newIndex) = compacted(keeping: roots.map(\.id)) else {
            fatalError("out of memory for a compacted copy of a graph of \(count) nodes")
        }
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
    /// Whether compacting the graph in place left this neuron's parameters, and those of its
    /// network up to `last`, as they were: the first and the last where they were (so every
    /// one between too, as compacting drops none of them and moves each run of kept nodes as
    /// one), and the first of its generation still (the nodes from where a compaction starts
    /// take a new one). A loop's reclaiming, of the nodes made after the network, leaves
    /// it so, and the network is kept as it is rather than made again.
    func isUnmoved(in graph: Graph, through last: Int32, _ newIndex: (Int32) -> Int32?) -> Bool {
        graph === self.graph && newIndex(first) == first && newIndex(last) == last && graph.isLive(first, firstGeneration)
    }

    /// The same neuron in a compacted copy of its graph (its parameters must have been kept).
    package func moved(to graph: Graph, _ newIndex: (Int32) -> Int32?) -> Neuron? {
        if isUnmoved(in: graph, through: first + Int32(inputCount), newIndex) { return self }
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
        let last = firstParameter + Int32(parameterCount) - 1
        if let first = layers.first?.neurons.first, first.isUnmoved(in: graph, through: last, newIndex) { return self }
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
        markKept(from: 0, by: roots)
        let keep = tape.pointee.seen
        return (0..<count).filter { keep[$0] }.map { Int32($0) }
    }
}
