import Micrograd
import Testing

/// The README's tour, with the outputs its comments promise.
@Suite struct ReadmeTests {
    @Test func theEngineTour() {
        Graph.withCurrent(Graph()) {
            let a = Value(2.0, label: "a")
            let b = Value(-3.0, label: "b")
            let c = Value(10.0, label: "c")
            let f = Value(-2.0, label: "f")
            let L = (a * b + c) * f
            #expect("\(L)" == "Value(data=-8.0)")
            L.backward()
            #expect("\(a.grad) \(b.grad)" == "6.0 -4.0")
            a.data += 0.0001
            #expect("\((L.recompute() - -8.0) / 0.0001)" == "6.000000000021544")
        }
    }

    @Test func theNeuronTour() {
        Graph.withCurrent(Graph()) {
            let x1 = Value(2.0), x2 = Value(0.0), w1 = Value(-3.0), w2 = Value(1.0)
            let o = (x1 * w1 + x2 * w2 + 6.8813735870195432).tanh()
            o.backward()
            #expect("\(o.data) \(x1.grad) \(w1.grad)" == "0.7071067811865476 -1.4999999999999996 0.9999999999999998")
        }
    }

    @Test func theNetworkTour() {
        Graph.withCurrent(Graph()) {
            let n = MLP(3, [4, 4, 1], seed: 1)
            #expect(n.parameters().count == 41)
            let ys = [[2.0, 3, -1], [3, -1, 0.5]].map { n($0)[0] }
            let loss = Loss.squaredError(ys, [1, -1])
            n.zeroGrad(); loss.backward(); sgdStep(n.parameters(), learningRate: 0.05)
            let ys2 = [[2.0, 3, -1], [3, -1, 0.5]].map { n($0)[0] }
            #expect(Loss.squaredError(ys2, [1, -1]).data < loss.data)
        }
    }
}

extension ReadmeTests {
    @Test func theStepLoopTrainsInFlatMemory() {
        Graph.withCurrent(Graph()) {
            let n = MLP(3, [4, 4, 1], seed: 1)
            let graph = Graph.current
            let before = graph.count
            var losses: [Double] = []
            for _ in 0..<100 {
                let loss = graph.step {
                    let loss = Loss.squaredError([[2.0, 3, -1], [3, -1, 0.5]].map { n($0)[0] }, [1, -1])
                    n.zeroGrad(); loss.backward(); sgdStep(n.parameters(), learningRate: 0.05)
                    return loss.data
                }
                losses.append(loss)
            }
            #expect(graph.count == before)  // every step's nodes forgotten
            #expect(losses.last! < losses.first! / 10)
        }
    }
}

/// The DocC article "Training a network": its code, with what it says happens.
@Suite struct TrainingArticleTests {
    @Test func theArticlesLoopsTrainInFlatMemory() {
        let graph = Graph()
        let model = MLP(3, [4, 4, 1], seed: 1337, in: graph)
        let xs: [[Double]] = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
        let ys: [Double] = [1.0, -1.0, -1.0, 1.0]
        #expect(model.parameters().count == 41)
        let start = graph.count
        var first = 0.0, last = 0.0
        for k in 0..<100 {
            let lossValue = graph.step {
                let loss = Loss.squaredError(xs.map { model($0)[0] }, ys)
                model.zeroGrad()
                loss.backward()
                sgdStep(model.parameters(), learningRate: 0.05)
                return loss.data
            }
            if k == 0 { first = lossValue }
            last = lossValue
        }
        #expect(first == 6.005402783252284 && last < 0.05 && graph.count == start)
        var seen: [Double] = []
        train(model, steps: 10, learningRate: { _ in 0.05 }) {
            (Loss.squaredError(xs.map { model($0)[0] }, ys), nil)
        } onStep: { step in
            seen.append(step.loss)
        }
        #expect(seen.count == 10 && graph.count == start)
    }

    @Test func theArticlesAsyncAndCustomOperation() async throws {
        let product = try await Graph.withCurrent(Graph()) {
            let a = Value(2.0)
            try await Task.sleep(for: .milliseconds(1))
            let b = Value(3.0)
            return (a * b).data
        }
        #expect(product == 6)
        let graph = Graph()
        let x = Value(0.5, in: graph)
        let cube = Value(x.data * x.data * x.data, inputs: [x], op: "cube") { out in
            let x = out.inputs[0]
            x.grad += 3 * x.data * x.data * out.grad
        }
        cube.backward()
        #expect(x.grad == 0.75)
    }
}
