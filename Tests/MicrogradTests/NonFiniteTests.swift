import Micrograd
import Testing

/// IEEE results, never a crash: inf and NaN flow through every op and pass.
@Suite struct NonFiniteTests {
    let graph = Graph()

    @Test func ieeeResults() {
        let zero = Value(0.0, in: graph), one = Value(1.0, in: graph)
        #expect((one / zero).data == .infinity)
        #expect((zero / zero).data.isNaN)
        #expect(zero.log().data == -.infinity)
        #expect(Value(-1.0, in: graph).log().data.isNaN)
        #expect(Value(-8.0, in: graph).pow(1.0 / 3).data.isNaN)
        #expect((Value(1e308, in: graph) * 10).data == .infinity)
        #expect(Value(1000, in: graph).exp().data == .infinity)
        #expect(Value(-1000, in: graph).sigmoid().data == 0)
        #expect(Value(1000, in: graph).sigmoid().data == 1)
    }

    @Test(arguments: [355.0, 400.0, 1e10, .greatestFiniteMagnitude, .infinity])
    func tanhOfLargeInputsIsOne(_ x: Double) {
        let v = Value(x, in: graph)
        #expect(v.tanh().data == 1)
        #expect(Value(-x, in: graph).tanh().data == -1)
        let t = v.tanh()
        t.backward()
        #expect(v.grad == 0)
    }

    @Test func tanhIsMicrogradsFormulaEvenWhereItIsInexact() {
        // (e²ˣ − 1) / (e²ˣ + 1), as micrograd computes it: near 0 it loses digits, and the
        // learner comparing with Python sees the same ones (python3's values).
        #expect(Value(1e-10, in: graph).tanh().data == 1.000000082640371e-10)
        #expect(Value(0.52, in: graph).tanh().data == 0.47770001216849806)
        #expect(Value(0.8813735870195432, in: graph).tanh().data == 0.7071067811865476)
        #expect(Value(0.0, in: graph).tanh().data == 0)
    }

    @Test func theGraphSaysWhichNodesAreNotFinite() {
        let a = Value(0.0, label: "a", in: graph), b = Value(3.0, in: graph)
        let l = a.log()
        let y = l + b
        y.backward()
        #expect(y.nonFiniteNodes() == [a, l, y])  // a's grad is 1/0; l and y are -inf
        #expect(a.grad == .infinity && b.grad == 1)
        let fine = Value(2.0, in: graph) * 3
        fine.backward()
        #expect(fine.nonFiniteNodes().isEmpty)
    }

    @Test func nanFlowsThroughBackwardAndRecompute() {
        let a = Value(.nan, in: graph), b = Value(2.0, in: graph)
        let y = (a * b).tanh().relu().sigmoid().exp()
        y.backward()
        #expect(y.data.isNaN && a.grad.isNaN)
        a.data = 1
        #expect(y.recompute().isFinite)
    }
}
