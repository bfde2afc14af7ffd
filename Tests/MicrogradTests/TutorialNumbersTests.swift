import Micrograd
import Testing

/// The tutorial's numbers, to the last printed digit (Python's `repr` of each float).
@Suite struct TutorialNumbersTests {
    let graph = Graph()

    func value(_ x: Double, _ label: String) -> Value { Value(x, label: label, in: graph) }

    @Test func derivativeOfAPlainFunctionByNudging() {
        func f(_ x: Value) -> Value { 3 * x.pow(2) - 4 * x + 5 }
        let x = value(3.0, "x")
        #expect(f(x).data.pythonDescription == "20.0")
        let h = 0.0001
        let slope = (f(x + h) - f(x)) / h
        #expect(slope.data.pythonDescription == "14.000300000063248")
    }

    /// a = 2, b = -3, c = 10, e = a·b, d = e + c, f = -2, L = d·f
    func tutorialGraph() -> (a: Value, b: Value, c: Value, e: Value, d: Value, f: Value, L: Value) {
        let a = value(2.0, "a"), b = value(-3.0, "b"), c = value(10.0, "c")
        let e = a * b; e.label = "e"
        let d = e + c; d.label = "d"
        let f = value(-2.0, "f")
        let L = d * f; L.label = "L"
        return (a, b, c, e, d, f, L)
    }

    @Test func theGraphAndItsGradients() {
        let (a, b, c, e, d, f, L) = tutorialGraph()
        #expect(L.description == "Value(data=-8.0)")
        L.backward()
        let grads = [a, b, c, e, d, f, L].map { $0.grad.pythonDescription }
        #expect(grads == ["6.0", "-4.0", "-2.0", "-2.0", "-2.0", "4.0", "1.0"])
    }

    @Test func nudgingEachLeafMatchesTheTutorial() {
        let (a, _, c, _, _, _, L) = tutorialGraph()
        let h = 0.0001
        func slope(_ leaf: Value) -> Double {
            let before = L.data
            leaf.data += h
            let after = L.recompute()
            leaf.data -= h
            L.recompute()
            return (after - before) / h
        }
        #expect(slope(a).pythonDescription == "6.000000000021544")
        #expect(slope(c).pythonDescription == "-1.9999999999953388")
        #expect(L.data == -8.0)
    }

    @Test func oneStepAlongTheGradient() {
        let (a, b, c, _, _, f, L) = tutorialGraph()
        L.backward()
        for leaf in [a, b, c, f] { leaf.data += 0.01 * leaf.grad }
        #expect(L.recompute().pythonDescription == "-7.286496")
    }

    /// x1 = 2, x2 = 0, w1 = -3, w2 = 1, b = 6.8813735870195432, o = tanh(x1·w1 + x2·w2 + b)
    func neuron(_ activate: (Value) -> Value) -> (x1: Value, w1: Value, x2: Value, w2: Value, o: Value) {
        let x1 = value(2.0, "x1"), x2 = value(0.0, "x2")
        let w1 = value(-3.0, "w1"), w2 = value(1.0, "w2")
        let b = value(6.8813735870195432, "b")
        let n = x1 * w1 + x2 * w2 + b
        return (x1, w1, x2, w2, activate(n))
    }

    @Test func aNeuron() {
        let (x1, w1, x2, w2, o) = neuron { $0.tanh() }
        #expect(o.data.pythonDescription == "0.7071067811865476")
        o.backward()
        #expect(x1.grad.pythonDescription == "-1.4999999999999996")
        #expect(w1.grad.pythonDescription == "0.9999999999999998")
        #expect(x2.grad.pythonDescription == "0.4999999999999999")
        #expect(w2.grad.pythonDescription == "0.0")
    }

    @Test func tanhRebuiltFromExpAndDivision() {
        // (e - 1) / (e + 1) with e = exp(2n), and division written out as a · b⁻¹.
        let (x1, w1, x2, _, o) = neuron { n in
            let e = (2 * n).exp()
            return (e - 1) * (e + 1).pow(-1)
        }
        #expect(o.data.pythonDescription == "0.7071067811865477")
        o.backward()
        #expect(x1.grad.pythonDescription == "-1.5")
        #expect(w1.grad.pythonDescription == "1.0")
        #expect(x2.grad.pythonDescription == "0.5")
    }

    @Test func theTutorialsNetworkHas41Parameters() {
        #expect(MLP(3, [4, 4, 1], seed: 1, in: graph).parameters().count == 41)
    }

    /// micrograd's own test_engine.py, with the values micrograd computes.
    @Test func microgradSanityCheck() {
        let x = value(-4.0, "x")
        let z = 2 * x + 2 + x
        let q = z.relu() + z * x
        let h = (z * z).relu()
        let y = h + q + q * x
        y.backward()
        #expect(y.data.pythonDescription == "-20.0")
        #expect(x.grad.pythonDescription == "46.0")
    }

    @Test func microgradMoreOps() {
        let a = value(-4.0, "a"), b = value(2.0, "b")
        var c = a + b
        var d = a * b + b.pow(3)
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        let e = c - d
        let f = e.pow(2)
        var g = f / 2.0
        g += 10.0 / f
        g.backward()
        #expect(g.data.pythonDescription == "24.70408163265306")
        #expect(a.grad.pythonDescription == "138.83381924198252")
        #expect(b.grad.pythonDescription == "645.5772594752186")
    }
}
