import Foundation
import Testing

@testable import Micrograd

@Suite struct GraphTests {
    let graph = Graph()

    @Test func aGraphMakesRoomAheadAndGivesItBack() {
        let graph = Graph(capacity: 16)
        let a = Value(2.0, in: graph), b = Value(-3.0, in: graph)
        let c = a * b + 1
        #expect(graph.makeRoom(for: 100_000))
        #expect(graph.room >= 100_000)
        let before = graph.count
        for _ in 0..<100_000 { _ = Value(0.5, in: graph) }
        #expect(graph.room >= 0 && graph.count == before + 100_000)
        graph.truncate(to: before)
        graph.releaseRoom(keeping: 100)
        #expect(graph.room == 100)  // (the buffers shrank back)
        // The nodes kept are as they were, and the graph grows again as it needs.
        #expect(c.data == -5.0)
        c.backward()
        #expect(a.grad == -3.0 && b.grad == 2.0)
        let d = (0..<1000).reduce(c) { x, _ in x + 1 }
        #expect(d.data == 995.0)
    }

    @Test func aNodeUsedTwiceGetsTheSumOfBothPaths() {
        let a = Value(3.0, in: graph)
        let b = a + a
        b.backward()
        #expect(a.grad == 2)
        let c = Value(-2.0, in: graph)
        let d = c * c * c  // 3c² = 12
        d.backward()
        #expect(c.grad == 12)
    }

    @Test func gradsAccumulateAcrossCallsUntilZeroed() {
        let a = Value(2.0, in: graph), b = Value(5.0, in: graph)
        let y = a * b
        y.backward()
        y.backward()
        #expect(a.grad == 10)  // 5 + 5, micrograd's way
        y.zeroGrad()
        #expect(a.grad == 0 && b.grad == 0 && y.grad == 0)
        y.backward()
        #expect(a.grad == 5 && b.grad == 2)
    }

    @Test func backwardLeavesNodesOutsideTheRootsGraphAlone() {
        let a = Value(2.0, in: graph)
        let unrelated = a * 3
        unrelated.backward()  // a.grad = 3, unrelated.grad = 1
        let other = Value(4.0, in: graph)
        let y = other * 2
        y.backward()
        #expect(other.grad == 2)
        #expect(a.grad == 3 && unrelated.grad == 1)
    }

    @Test func backwardStepIsOneNodesChainRule() {
        let a = Value(2.0, in: graph), b = Value(-3.0, in: graph)
        let e = a * b
        e.grad = -2
        e.backwardStep()
        #expect(a.grad == 6 && b.grad == -4)
        e.backwardStep()
        #expect(a.grad == 12)  // it adds, like micrograd's _backward
    }

    @Test func recomputeFollowsALeafsNewData() {
        let x = Value(1.0, in: graph)
        let y = (x * 2 + 1).tanh()
        #expect(y.data == Value(3.0, in: graph).tanh().data)
        x.data = 0.5
        #expect(y.data == Value(3.0, in: graph).tanh().data)  // not until recompute
        #expect(y.recompute() == Value(2.0, in: graph).tanh().data)
        #expect(y.data == Value(2.0, in: graph).tanh().data)
    }

    @Test func introspection() {
        let a = Value(2.0, label: "a", in: graph), b = Value(-3.0, label: "b", in: graph)
        let e = a * b
        let s = e.pow(2)
        let t = s.tanh()
        #expect(a.op == .leaf && a.inputs.isEmpty && a.opName == "")
        #expect(e.op == .mul && e.inputs == [a, b] && e.opName == "*")
        #expect(s.op == .pow && s.exponent == 2 && s.opName == "**2" && s.inputs == [e])
        #expect(Value(1, in: graph).pow(-1).opName == "**-1")
        #expect(t.opName == "tanh" && e.label == nil && a.label == "a")
        #expect(t.topologicalOrder() == [a, b, e, s, t])
        #expect(t.leaves == [a, b])
        e.label = "e"
        #expect(e.label == "e")
        #expect(e.debugDescription == "Value(id=\(e.id), label=e, op=*, data=-6.0, grad=0.0)")
        #expect((a + 1).description == "Value(data=3.0)")
    }

    @Test func numbersOnEitherSideBecomeLeaves() {
        let a = Value(4.0, in: graph)
        #expect((a + 1).data == 5 && (1 + a).data == 5)
        #expect((a - 1).data == 3 && (1 - a).data == -3)
        #expect((a * 2).data == 8 && (2 * a).data == 8)
        #expect((a / 2).data == 2 && (10.0 / a).data == 2.5)
        #expect((-a).data == -4)
        let y = 1 - a
        #expect(y.topologicalOrder().count == 5)  // a, -1, a·-1, 1, sum (micrograd's shape)
    }

    @Test func truncateDropsLaterNodes() {
        let a = Value(1.0, label: "a", in: graph)
        let mark = graph.count
        let b = (a * 2).pow(3)
        b.label = "b"
        #expect(graph.count == mark + 3)
        graph.truncate(to: mark)
        #expect(graph.count == mark)
        let c = a.pow(2)
        #expect(c.exponent == 2 && c.label == nil)
    }

    @Test func aRememberedOrderIsForgottenWhenItsRootIsReused() {
        let a = Value(1.0, in: graph), b = Value(2.0, in: graph)
        let mark = graph.count
        let y = a * b
        #expect(y.topologicalOrder() == [a, b, y])
        graph.truncate(to: mark)
        let z = a.tanh()  // the same slot as y had
        #expect(z != y)  // but not the same node
        #expect(z.topologicalOrder() == [a, z])
        a.data = 0
        #expect(z.recompute() == 0)
        z.backward()
        #expect(a.grad == 1 && b.grad == 0)
    }

    @Test func compactionKeepsWhatRootsUseAndDropsTheRest() {
        let a = Value(2.0, label: "a", in: graph)
        _ = (a * 100).exp()  // garbage
        let y = a.pow(3).tanh()
        y.label = "y"
        let n = MLP(2, [2, 1], seed: 3, in: graph)
        _ = n([1.0, 2.0])  // garbage
        y.backward()
        let (copy, newIndex) = graph.compacted(keeping: [y.id] + n.parameters().map(\.id))!  // (the notebook's form, by node)
        #expect(copy.count == 3 + 9)  // a, a**3, y and the 9 parameters
        let y2 = y.moved(to: copy, newIndex)!
        #expect(y2.label == "y" && y2.data == y.data && y2.grad == 1)
        #expect(y2.inputs[0].opName == "**3" && y2.inputs[0].inputs[0].label == "a")
        #expect(y2.inputs[0].inputs[0].grad == a.grad)
        let n2 = n.moved(to: copy, newIndex)!
        #expect(n2.parameters().map(\.data) == n.parameters().map(\.data))
        #expect(n2([1.0, 2.0])[0].data == n([1.0, 2.0])[0].data)
        #expect(Value(5.0, in: graph).moved(to: copy, newIndex) == nil)
    }

    /// Grads by the book: every node the root depends on, last made first, takes its step.
    func referenceGrads(of root: Value, _ nodes: [Value]) -> [Double] {
        root.graph.zeroGrad()
        root.grad = 1
        for v in root.topologicalOrder().reversed() { v.backwardStep() }
        return nodes.map(\.grad)
    }

    /// The sweeps step over nodes no root reaches several at a time; runs of every length
    /// around that stride, between nodes that are reached, must not hide one of them.
    @Test func sweepsFindEveryReachedNodeBetweenRunsOfUnreachedOnes() {
        var random = PythonRandom(seed: 7)
        for trial in 0..<40 {
            let graph = Graph()
            var nodes: [Value] = [], live: [Value] = []
            var x = Value(1.5, in: graph)
            nodes.append(x)
            for _ in 0..<60 {
                // A run of 0 to 40 nodes that nothing below reads (none, a third of the
                // time, so reached nodes come in runs of their own), then one that is read.
                for _ in 0..<max(0, Int.random(in: -20...40, using: &random)) { nodes.append(Value(9.0, in: graph)) }
                let w = Value(Double.random(in: -1...1, using: &random), in: graph)
                x = trial.isMultiple(of: 2) ? x * w + 0.25 : (x + w).tanh()
                nodes += [w, x]
                live.append(w)
            }
            x.backward()  // first, before any pass has remembered the root's nodes: a sweep
            let got = nodes.map(\.grad)
            #expect(got == referenceGrads(of: x, nodes), "trial \(trial)")
            // Compacting in place keeps exactly the reached nodes, in order, with their numbers.
            let before = live.map { ($0.data, $0.grad) }
            let moved = graph.compact(from: 1, keeping: [x.id])
            let kept = live.map { Value(graph: graph, id: moved($0.id)!) }
            #expect(kept.map(\.data) == before.map(\.0) && kept.map(\.grad) == before.map(\.1))
            // x and, per round, w and the two or three nodes that combine them.
            #expect(graph.count == 1 + 60 * (trial.isMultiple(of: 2) ? 4 : 3))
            // Each node still reads the same inputs at their new places, across runs too:
            // a second pass from the moved root gives the same grads again.
            let root = Value(graph: graph, id: moved(x.id)!)
            root.zeroGrad()
            root.backward()
            #expect(kept.map(\.grad) == before.map(\.1), "trial \(trial)")
        }
    }

    /// A pass from a new root, over nodes that earlier passes wrote grads to, finds the ones
    /// it reaches across runs of any length of ones it does not (a notebook loop's finished
    /// rounds, hundreds of thousands long, are stepped over many at a time). Each reached
    /// node below the root's own is a product that passes its grad on to a leaf, and each
    /// run reads that product and keeps a grad of its own: stepping over a reached node, or
    /// stepping an unreached one, changes the leaf's grad.
    @Test func aPassFindsItsNodesAcrossLongRunsThatEarlierPassesTouched() {
        var random = PythonRandom(seed: 11)
        for trial in 0..<12 {
            let graph = Graph()
            var leaves: [Value] = [], products: [Value] = [], scales: [Double] = []
            for round in 0..<60 {
                let w = Value(Double(round) / 10, in: graph)
                let product = w * 3.0
                leaves.append(w)
                products.append(product)
                scales.append(Double(Int.random(in: 1...9, using: &random)))
                // A run that the root will not read, from 0 to 700 nodes long (the edges of
                // an 8- and a 32-flag step fall anywhere in it), given grads by a pass of its own.
                let length = trial == 0 ? round : Int.random(in: 0...700, using: &random)
                var x = product
                for _ in 0..<length { x = x * 1.0 }
                if length > 0 { x.backward() }
            }
            // The root, made last: the products are below every node its pass has fresh. (A
            // long tail on it, so that the pass is a sweep: a root that reaches few nodes is
            // walked to them instead.)
            var root = zip(products, scales).map { $0 * $1 }.reduce(Value(0, in: graph), +)
            for _ in 0..<2000 { root = root * 1.0 }
            for v in leaves + products { v.grad = 0 }
            root.backward()
            #expect(leaves.map(\.grad) == scales.map { 3 * $0 }, "trial \(trial)")
        }
    }

    /// A root that reaches few nodes of a large graph is walked to them; the walks mark what
    /// they reach with stamps that are not copied when the graph grows, and a walk after
    /// growing still finds exactly its nodes (those an earlier walk marked too).
    @Test func walksFindTheirNodesBeforeAndAfterTheGraphGrows() {
        let graph = Graph(capacity: 16)
        let a = Value(2.0, in: graph), b = Value(3.0, in: graph)
        for _ in 0..<5000 { _ = Value(1.0, in: graph) }
        let first = a * b + a
        #expect(first.topologicalOrder().map(\.data) == [2, 3, 6, 8])
        first.backward()
        #expect(a.grad == 4 && b.grad == 2)
        // Grown from a few thousand nodes to a few hundred thousand, several doublings.
        for _ in 0..<300_000 { _ = Value(1.0, in: graph) }
        let c = Value(5.0, in: graph)
        let second = (a + c) * b
        #expect(second.topologicalOrder().map(\.data) == [2, 3, 5, 7, 21])
        for v in [a, b, c] { v.grad = 0 }
        second.backward()
        #expect(a.grad == 3 && b.grad == 7 && c.grad == 3)
    }

    /// After a pass whose trial walk gave up (a large root), a small root's pass in a large
    /// graph still walks its few nodes (and remembers them), even with thousands of new ones
    /// made below it: going straight to the sweep there would cost the whole graph each time.
    /// A pass whose new nodes are a large share of the graph, as a training loop's next
    /// step's are, sweeps them without walking, and a walk is tried again after seven such.
    @Test func aSmallPassAfterALargeOneStillWalks() {
        let graph = Graph()
        for k in 0..<200_000 { _ = Value(Double(k), in: graph) }
        let w = Value(2.0, in: graph)
        var big = w * 0.0
        for k in 0..<20_000 { big = big + w * Double(k) }
        big.backward()  // (its walk gives up: too many nodes)
        #expect(graph.walksToSkip == 7)
        for round in 0..<3 {
            for _ in 0..<5_000 { _ = Value(1.0, in: graph) }
            w.grad = 0
            let small = w * 3.0 + 1.0
            small.backward()
            #expect(w.grad == 3 && graph.lastOrder?.root == small.id, "round \(round)")
        }
        // A step's worth of new nodes, most of the graph below the root: no walk.
        var next = w * 0.0
        for k in 0..<30_000 { next = next + w * Double(k) }
        w.grad = 0
        next.backward()
        #expect(graph.lastOrder?.root != next.id && graph.walksToSkip == 6)
        #expect(w.grad == Double((0..<30_000).reduce(0, +)))
    }

    /// The walks skipped after one gave up are counted down, one for each large pass (a
    /// loop's step, its rounds reclaimed between), and the eighth pass walks again.
    @Test func aWalkIsTriedAgainAfterSevenSweeps() {
        let graph = Graph()
        let w = Value(2.0, in: graph)
        let base = graph.count
        var left: [Int] = []
        for _ in 0..<9 {
            var x = w * 0.0
            for k in 0..<5_000 { x = x + w * Double(k) }
            w.grad = 0
            x.backward()
            #expect(w.grad == Double((0..<5_000).reduce(0, +)))
            left.append(graph.walksToSkip)
            _ = graph.compact(from: base, keeping: [w.id])
        }
        #expect(left == [7, 6, 5, 4, 3, 2, 1, 0, 7])
    }

    /// A custom node may read more than two nodes, and only its first two are in the
    /// tape's input columns: a round whose custom node reads one of the round before by
    /// its third is not a block of its own, whatever start the caller gives.
    @Test func aCustomNodesThirdInputKeepsWhatItReads() throws {
        let graph = Graph()
        let w = Value(0.5, in: graph)
        let base = graph.count
        // (The round before, longer than this one, and read only by the custom node.)
        var old = w * 3.0
        for _ in 0..<5 { old = (old * 0.5).tanh() }
        let start = graph.count
        let x = Value(2.0, in: graph)
        let c = Value(x.data * w.data + old.data, inputs: [x, w, old], op: "fma", in: graph) { out in
            out.inputs[0].grad += out.inputs[1].data * out.grad
            out.inputs[1].grad += out.inputs[0].data * out.grad
            out.inputs[2].grad += out.grad
        }
        let root = c * 2.0
        root.backward()
        let numbers = root.topologicalOrder().map(\.data), grads = root.topologicalOrder().map(\.grad)
        let moved = graph.compact(from: base, keeping: [root.id, w.id], likelyTop: start)
        try #require(moved(old.id) != nil)
        let kept = Value(graph: graph, id: try #require(moved(root.id)))
        kept.zeroGrad()
        kept.backward()
        #expect(kept.topologicalOrder().map(\.data) == numbers)
        #expect(kept.topologicalOrder().map(\.grad) == grads)
    }

    /// Compacting where every node is kept moves nothing: the handles made before stay
    /// good, and the table of labels is not built again (a second copy of a million
    /// labels, where memory had run short, stopped the program).
    @Test func compactingWhatIsAllKeptMovesNothing() {
        let graph = Graph()
        var x = Value(1.0, label: "x", in: graph)
        for _ in 0..<100 {
            x = x * 1.0001 + 0.5
            x.label = "x"
        }
        let (count, data) = (graph.count, x.data)
        let moved = graph.compact(from: 0, keeping: [x.id])
        #expect(graph.count == count && moved(x.id) == x.id && moved(Int32(count)) == nil)
        #expect(x.data == data && x.label == "x")  // (the handle from before: not stale)
    }

    /// A training loop's last round sits at the end of the graph and reads only itself and
    /// what is older than the loop: compacting moves it down as one block, over the rounds
    /// before it, and every number in it stays as it was.
    @Test func aLoopsLastRoundMovesDownAsOneBlock() {
        /// One round: a custom node, a label, a power, and a node nothing reads.
        func round(_ w: [Value], _ k: Double, in graph: Graph) -> (root: Value, block: Int) {
            let start = graph.count
            let x = Value(k, in: graph)
            _ = (x * 7).exp()  // read by nothing
            let h = (w[0] * x + w[1]).tanh()
            h.label = "h"
            let e = Value(Foundation.exp(h.data), inputs: [h], op: "exp", in: graph) { out in
                out.inputs[0].grad += out.data * out.grad
            }
            let root = (e.pow(2) + w[1] * h).relu()
            return (root, graph.count - start)
        }
        func grads(_ root: Value) -> [Double] {
            root.backward()
            return root.topologicalOrder().map(\.grad)
        }
        let reference = Graph()
        let referenceW = [Value(0.3, in: reference), Value(-0.7, in: reference)]
        for k in 0..<3 { _ = round(referenceW, Double(k) / 4, in: reference) }
        let expected = round(referenceW, 0.75, in: reference).root
        let expectedNumbers = expected.topologicalOrder().map(\.data)
        let expectedGrads = grads(expected)

        let w = [Value(0.3, in: graph), Value(-0.7, in: graph)]
        let base = graph.count
        var earlier: [Value] = []
        for k in 0..<3 { earlier.append(round(w, Double(k) / 4, in: graph).root) }
        let (last, block) = round(w, 0.75, in: graph)
        let moved = graph.compact(from: base, keeping: [last.id] + w.map(\.id))
        // The block, the node nothing reads in it too (a later compaction drops it).
        #expect(graph.count == base + block)
        #expect(earlier.allSatisfy { moved($0.id) == nil })
        #expect(w.allSatisfy { moved($0.id) == $0.id })
        let root = Value(graph: graph, id: moved(last.id)!)
        #expect(root.topologicalOrder().map(\.data) == expectedNumbers)
        #expect(root.topologicalOrder().compactMap(\.label) == ["h"])
        #expect(grads(root) == expectedGrads)
        #expect(root.recompute() == expected.data)

        // A round that reads a node of the round before is not a block of its own: the
        // nodes are marked and moved run by run, and only what is reached stays.
        let base2 = graph.count
        let first = round(w, 0.5, in: graph).root
        let second = round(w, 0.25, in: graph).root + first
        let reached = second.topologicalOrder().filter { $0.id >= base2 }.count
        let secondData = second.data
        let moved2 = graph.compact(from: base2, keeping: [second.id] + w.map(\.id))
        #expect(graph.count == base2 + reached)
        #expect(Value(graph: graph, id: moved2(second.id)!).data == secondData)
    }

    /// Rounds of many lengths (a long block is gone through 64 nodes at a time), and in
    /// every other trial the last round reads a node of an earlier one, at a random place,
    /// on either side: whichever way the compaction goes, the last root keeps its numbers
    /// and its grads. Where the last round is said to start is given as the loops give it
    /// (right, or a few nodes off, or not at all): a block that turns out to read below
    /// it is put back as it was and compacted the other way.
    @Test func roundsOfAnyLengthKeepTheirNumbersThroughCompaction() {
        var random = PythonRandom(seed: 11)
        for trial in 0..<160 {
            let graph = Graph()
            let w = [Value(0.5, in: graph), Value(-0.25, in: graph)]
            let base = graph.count
            var earlier: [Value] = []
            func round(_ length: Int, readingBack: Bool) -> Value {
                let first = Value(Double.random(in: -1...1, using: &random), in: graph)
                var x = first
                let back = readingBack ? Int.random(in: 0..<length, using: &random) : -1
                for step in 0..<length {
                    x = step.isMultiple(of: 3) ? (x * w[0] + w[1]).tanh() : x + w[step % 2] * 0.5
                    if step == back {
                        let old = earlier.randomElement(using: &random)!
                        x = trial % 4 == 1 ? x + old : old * x
                    }
                    if !readingBack { earlier.append(x) }
                }
                return x + first  // (a read from the top to the bottom of the round)
            }
            for _ in 0..<3 { _ = round(Int.random(in: 40...90, using: &random), readingBack: false) }
            let lastStart = graph.count
            let last = round(Int.random(in: 1...60, using: &random), readingBack: trial % 2 == 1)
            // (Right in half the trials, and so for each side a round can read back on.)
            let hint: Int? = trial % 16 < 2 ? nil : trial % 16 < 10 ? lastStart : lastStart + Int.random(in: -9...9, using: &random)
            let expected = graph.compacted(keeping: [last.id] + w.map(\.id))!
            let reference = last.moved(to: expected.graph, expected.newIndex)!
            reference.backward()
            let numbers = reference.topologicalOrder().map(\.data)
            let grads = reference.topologicalOrder().map(\.grad)
            let moved = graph.compact(from: base, keeping: [last.id] + w.map(\.id), likelyTop: hint)
            let root = Value(graph: graph, id: moved(last.id)!)
            root.backward()
            #expect(root.topologicalOrder().map(\.data) == numbers, "trial \(trial)")
            #expect(root.topologicalOrder().map(\.grad) == grads, "trial \(trial)")
            #expect(w.allSatisfy { moved($0.id) == $0.id })
        }
    }

    /// A backward pass may skip a node whose grad is 0 only while every slope is finite:
    /// micrograd still runs that node's step, and infinity times 0 is a NaN it passes on.
    @Test func aZeroGradTimesAnInfiniteSlopeIsStillANaN() {
        // exp(1000) is infinite; nothing flows back through it, but micrograd's step adds
        // e.data * 0 (a NaN) to a's grad.
        let a = Value(1000.0, in: graph)
        let e = a.exp()
        let loss = e * Value(0.0, in: graph) + Value(1.0, in: graph)
        loss.backward()
        #expect(a.grad.isNaN)
        // x ** -1 at a tiny x is finite, but its slope -x⁻² is not.
        let tiny = Graph()
        let x = Value(1e-200, in: tiny)
        let loss2 = x.pow(-1) * Value(0.0, in: tiny)
        loss2.backward()
        #expect(x.grad.isNaN)
        // inf - inf is a NaN made by +, which passes 1 back whatever it holds; but the tanh
        // it feeds has the slope 1 - NaN², and relu passes that tanh a grad of 0.
        // (On a graph of its own: the ones above have already shown theirs.)
        let fresh = Graph()
        let n = Value(.infinity, in: fresh) + Value(-.infinity, in: fresh)
        let loss3 = n.tanh().relu()
        loss3.backward()
        #expect(n.grad.isNaN)
        // And on a graph re-run in place, whose pass follows the order found before.
        let rerun = Graph()
        let c = Value(1000.0, in: rerun)
        let rerunLoss = c.exp() * Value(0.0, in: rerun) + Value(1.0, in: rerun)
        rerunLoss.zeroGrad()  // (finds and keeps the order)
        rerunLoss.recompute()
        rerunLoss.backward()
        #expect(c.grad.isNaN)
        // A neuron fed an infinity: its product w·x is one, and relu(-inf) passes the sum a
        // grad of 0, so micrograd adds x.data · 0 (a NaN) to w's grad.
        var generator = PythonRandom(seed: 2)
        let own = Graph()
        let neuron = Neuron(1, activation: .relu, using: &generator, in: own)
        neuron.w[0].data = -1
        let fed = neuron([Value(.infinity, in: own)]) + 1
        fed.backward()
        #expect(neuron.w[0].grad.isNaN)
        // The same through a training step's pass, which vouches that its nodes are new.
        let model = MLP(1, [1], seed: 1, in: Graph())
        let p = model.parameters()[0]
        train(model, steps: 1, learningRate: { _ in 0.1 }) {
            ((p * 0 + 1000).exp() * 0.0 + 1, nil)
        } onStep: { _ in
        }
        #expect(p.grad.isNaN)
    }

    /// A grad set by hand on a node the root does not reach is not passed on: only the
    /// nodes the root depends on take their step, however the pass finds them.
    @Test func aGradSetByHandOffThePathStaysOffIt() {
        let x = Value(2.0, in: graph)
        let y = x * 3
        y.grad = 5  // y is not on the path from the root below
        let root = x + 1
        root.backward()
        #expect(x.grad == 1 && y.grad == 5)
        // And a node stepped by hand (backwardStep) counts as written too.
        let z = x * 4
        z.grad = 0
        let w = z * 1
        w.grad = 2
        w.backwardStep()  // z.grad = 2
        let root2 = x * 1
        x.grad = 0
        root2.backward()
        #expect(x.grad == 1 && z.grad == 2)
    }

    @Test func leavesGoToTheCurrentGraph() {
        let mine = Graph()
        let v = Graph.withCurrent(mine) { Value(1.0) }
        #expect(v.graph === mine)
        #expect(Value.sum([], in: mine).graph === mine)  // an empty sum too
    }

    @Test func equalityIsIdentity() {
        let a = Value(1.0, in: graph), b = Value(1.0, in: graph)
        #expect(a != b && a == a)
        #expect(Set([a, b, a]).count == 2)
    }

    @Test func aMillionStepChainDifferentiatesAndFreesWithoutRecursion() {
        // x = x·1.0001 + 0.5, a million times: 4,000,001 nodes deep.
        var gradient = 0.0, count = 0
        do {
            let deep = Graph()
            let x0 = Value(1.0, in: deep)
            var x = x0
            for _ in 0..<1_000_000 { x = x * 1.0001 + 0.5 }
            x.backward()
            gradient = x0.grad
            count = x.topologicalOrder().count
        }  // the graph is freed here
        #expect(count == 4_000_001)
        let expected = 2.6747109931126675e43  // 1.0001 ** 1_000_000
        #expect(abs(gradient - expected) / expected < 1e-9)
    }
}
