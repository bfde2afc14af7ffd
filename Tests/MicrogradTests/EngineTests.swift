import Micrograd
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The engine used from Swift as micrograd is used from Python, with nothing to trip on:
/// training loops that free each step's nodes, handles that cannot alias, async code.
@Suite struct EngineTests {
    @Test func aMicrogradStyleLoopInAStepKeepsTheGraphFlat() {
        let graph = Graph()
        let model = MLP(3, [4, 4, 1], seed: 1, in: graph)
        let xs: [[Double]] = [[2, 3, -1], [3, -1, 0.5], [0.5, 1, 1], [1, 1, -1]]
        let ys: [Double] = [1, -1, -1, 1]
        let before = graph.count
        var losses: [Double] = []
        for _ in 0..<100 {
            losses.append(
                graph.step {
                    let loss = Loss.squaredError(xs.map { model($0)[0] }, ys)
                    model.zeroGrad()
                    loss.backward()
                    sgdStep(model.parameters(), learningRate: 0.05)
                    return loss.data
                })
        }
        #expect(graph.count == before)  // every step's nodes were freed
        #expect(losses.last! < losses.first! / 10)  // and it learned
    }

    @Test func aHandleToAForgottenNodeIsNotEqualToTheNodeInItsPlace() {
        let graph = Graph()
        let a = Value(2.0, in: graph)
        let b = graph.step { a * 3 }  // gone once the step ends
        let c = a * 5  // made in the same slot
        #expect(b != c)
        #expect(Set([b, c]).count == 2)
    }

    @Test func usingAForgottenValueStopsWithAMessage() async {
        await #expect(processExitsWith: .failure) {
            let graph = Graph()
            let a = Value(2.0, in: graph)
            let b = graph.step { a * 3 }
            _ = a * 5
            _ = b.data
        }
    }

    /// A layer of a negative size stops with its sizes named (it stopped in a Range, unsaid).
    @Test func aNegativeLayerSizeStopsWithItsSizes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var generator = PythonRandom(seed: 1)
            _ = Layer(2, -3, using: &generator, in: Graph())
        }
        let message = Array("a layer's sizes are 0 or more, not 2 inputs and -3 neurons".utf8)
        #expect(result.map { $0.standardErrorContent.contains(message) } == true)
    }

    /// A network kept from inside a step stops with the message, as a Value does: it ran on
    /// the nodes that took its parameters' places, and handed those out as its parameters.
    @Test func usingAForgottenNetworkStopsWithAMessage() async {
        // (Each with nodes recorded where the network's were, as a next step would; each
        // stopped by the network's own check, which says why.)
        let message = Array("this network's parameters are gone".utf8)
        let call = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let graph = Graph()
            let model = graph.step { MLP(3, [4, 1], seed: 1, in: graph) }
            _ = (0..<30).map { Value(Double($0), in: graph) }
            _ = model([2.0, 3.0, -1.0])
        }
        let parameters = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let graph = Graph()
            let model = graph.step { MLP(3, [4, 1], seed: 1, in: graph) }
            _ = (0..<30).map { Value(Double($0), in: graph) }
            _ = model.parameters()
        }
        let weights = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let graph = Graph()
            let model = graph.step { MLP(3, [4, 1], seed: 1, in: graph) }
            _ = model.layers[0].neurons[0].w
        }
        for result in [call, parameters, weights] {
            #expect(result.map { $0.standardErrorContent.contains(message) } == true)
        }
        // Made before the step, it goes on working after it.
        let graph = Graph()
        let model = MLP(3, [4, 1], seed: 1, in: graph)
        let inside = graph.step { model([2.0, 3.0, -1.0])[0].data }
        #expect(model([2.0, 3.0, -1.0])[0].data == inside)
    }

    @Test func asyncCodeWithNoGraphBoundStopsWithAMessage() async {
        await #expect(processExitsWith: .failure) {
            _ = Value(1.0)
        }
    }

    @Test func aBoundGraphFollowsATaskAcrossAwaitsAndThreads() async {
        // 200 tasks, each making Values on either side of awaits that may move it to
        // another thread: every Value of a task lands on the task's own graph.
        let results = await withTaskGroup(of: Bool.self) { group in
            for k in 0..<200 {
                group.addTask {
                    let graph = Graph()
                    return await Graph.withCurrent(graph) {
                        let a = Value(Double(k))
                        await Task.yield()
                        try? await Task.sleep(nanoseconds: 1000)
                        let b = Value(2.0)
                        await Task.yield()
                        let c = a * b
                        return a.graph === graph && b.graph === graph && c.data == Double(2 * k)
                    }
                }
            }
            var all: [Bool] = []
            for await ok in group { all.append(ok) }
            return all
        }
        #expect(results.count == 200 && results.allSatisfy { $0 })
    }

    @Test func eachThreadHasItsOwnDefaultGraph() {
        final class Box: @unchecked Sendable { var graphs: [Graph] = [] }
        let box = Box()
        func onThread() {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(box).toOpaque()
            pthread_create(
                &thread, nil,
                { raw in
                    let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
                    let a = Value(1.0), b = Value(2.0)
                    if a.graph === b.graph { box.graphs.append(a.graph) }  // kept, so its address is not reused
                    return nil
                }, context)
            pthread_join(thread, nil)
        }
        onThread()
        onThread()
        #expect(box.graphs.count == 2 && box.graphs[0] !== box.graphs[1])
    }

    @Test func anOperationOfYourOwnWithItsBackward() {
        let graph = Graph()
        let x = Value(0.5, in: graph), y = Value(2.0, in: graph)
        // x·y·y as one node, and its three-input cousin.
        let p = Value(x.data * y.data * y.data, inputs: [x, y], op: "xyy") { out in
            let (x, y) = (out.inputs[0], out.inputs[1])
            x.grad += y.data * y.data * out.grad
            y.grad += 2 * x.data * y.data * out.grad
        }
        #expect(p.opName == "xyy" && p.op == .custom && p.inputs == [x, y])
        let z = (p * 3).tanh()
        z.backward()
        let dz = 1 - z.data * z.data
        #expect(abs(x.grad - dz * 3 * 4) < 1e-12 && abs(y.grad - dz * 3 * 2) < 1e-12)
        // recompute leaves its data alone (the engine cannot work it out).
        x.data = 1
        #expect(p.recompute() == 2.0)
        // It survives a compaction, backward step and all.
        let (copy, moved) = graph.compacted(keeping: [z])
        let z2 = moved(z)!
        #expect(z2.graph === copy && z2.inputs[0].inputs[0].opName == "xyy")
        z2.zeroGrad()
        z2.backward()
        #expect(z2.inputs[0].inputs[0].inputs[0].grad != 0)
    }

    @Test func seededWeightsArePythons() {
        // The numbers CPython's random gives (python3: random.seed(1337), then
        // [random.uniform(-1, 1) for _ in range(3)]); the tutorial's Neuron draws its
        // weights, then its bias, with those calls, so MLP(3, [4, 4, 1]) after
        // random.seed(1337) starts from these.
        let graph = Graph()
        let n = MLP(3, [4, 4, 1], seed: 1337, in: graph)
        #expect(n.parameters().prefix(3).map(\.data) == [0.23550571390294128, 0.06653114721000164, -0.26830328150124894])
        var g = PythonRandom(seed: 1337)
        #expect((0..<3).map { _ in g.uniform(-1, 1) } == [0.23550571390294128, 0.06653114721000164, -0.26830328150124894])
    }

    @Test func pythonRandomDrawsWhatCPythonDraws() {
        // Each expected list is CPython 3's output for the same calls after random.seed(7).
        var g = PythonRandom(seed: 7)
        #expect((0..<3).map { _ in g.random() } == [0.32383276483316237, 0.15084917392450192, 0.6509344730398537])
        g = PythonRandom(seed: 7)
        #expect([1, 7, 32, 33, 64].map { g.randomBits($0) } == [0, 121, 647_892_279, 5_990_721_294, 1_336_213_610_742_710_224])
        g = PythonRandom(seed: 7)
        #expect([1, 2, 3, 1000, 1 << 40].map { g.below($0) } == [0, 0, 1, 666, 159_121_178_576])
        g = PythonRandom(seed: 7)
        #expect((0..<3).map { _ in g.gauss(0, 1) } == [-0.2558802884476004, 0.511431512516514, -0.2260961647831047])
        // A seed's sign is ignored; a seed past 32 bits uses both words.
        g = PythonRandom(seed: -7)
        #expect(g.random() == 0.32383276483316237)
        g = PythonRandom(seed: Int.max)
        #expect(g.random() == 0.3166448820870279)
        // A float seeds by its hash, as in CPython: -1.0 is not 1, 2.0**61 is 1.
        #expect(
            [-1.0, 0.5, -2.5, 0x1p61, .infinity].map { x in
                var g = PythonRandom(seed: x)
                return g.random()
            } == [0.13119521545503066, 0.2794930785867423, 0.4779490710306722, 0.13436424411240122, 0.19236379321481523])
    }
}
