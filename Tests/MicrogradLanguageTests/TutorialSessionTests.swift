import MicrogradLanguage
import Testing

/// The tutorial's whole sequence typed into a session, with exact expected output.
@Suite struct TutorialSessionTests {
    @Test func derivativesOfAPlainFunction() {
        let t = Transcript()
        #expect(
            t.run(
                """
                f(x) = 3*x**2 - 4*x + 5
                f(3.0)
                h = 0.0001
                x = 3.0
                (f(x + h) - f(x)) / h
                """) == "20.0\nValue(data=14.000300000063248)")
        #expect(t.errors.isEmpty)
    }

    @Test func theValueGraphBackpropagationAndNudging() {
        let t = Transcript()
        t.run(
            """
            a = 2.0
            b = -3.0
            c = 10.0
            e = a*b
            d = e + c
            f = -2.0
            L = d * f
            """)
        #expect(t.run("L") == "Value(data=-8.0)")
        #expect(
            t.run(":grad L") == """
                node  op    data  grad
                a     leaf  2.0   6.0
                b     leaf  -3.0  -4.0
                c     leaf  10.0  -2.0
                e     *     -6.0  -2.0
                d     +     4.0   -2.0
                f     leaf  -2.0  4.0
                L     *     -8.0  1.0
                """)
        #expect(t.run("a.grad; b.grad; c.grad; f.grad") == "6.0\n-4.0\n-2.0\n4.0")
        #expect(
            t.run(":nudge a 0.0001 L") == """
                L before             -8.0
                L after a += 0.0001  -7.999399999999998
                slope (L2 - L1)/h    6.000000000021544
                dL/da from backward  6.0
                difference           2.1543655748246238e-11
                """)
        #expect(t.run(":nudge c 0.0001 L").contains("slope (L2 - L1)/h    -1.9999999999953388"))
        #expect(t.run("a.data") == "2.0")  // the nudge put a back
        t.run(
            """
            a.data += 0.01 * a.grad
            b.data += 0.01 * b.grad
            c.data += 0.01 * c.grad
            f.data += 0.01 * f.grad
            e = a * b
            d = e + c
            L = d * f
            """)
        #expect(t.run("L.data") == "-7.286496")
        #expect(t.errors.isEmpty)
    }

    @Test func stepDoesTheTutorialsUpdate() {
        let t = Transcript()
        t.run("a = 2.0; b = -3.0; c = 10.0; f = -2.0; L = (a*b + c) * f")
        t.run(":grad L")
        #expect(t.run(":step 0.01 L") == "L: -8.0 -> -7.286496  (each leaf: data += 0.01 * grad)")
    }

    @Test func aNeuronByHandAndByBackward() {
        let t = Transcript()
        t.run(
            """
            x1 = 2.0
            x2 = 0.0
            w1 = -3.0
            w2 = 1.0
            b = 6.8813735870195432
            n = x1*w1 + x2*w2 + b
            o = n.tanh()
            """)
        #expect(t.run("o.data") == "0.7071067811865476")
        // By hand: do/dn = 1 - o², then the chain rule node by node.
        #expect(t.run("1 - o.data**2") == "0.4999999999999999")
        t.run("o.grad = 1.0; o._backward(); n._backward()")
        #expect(t.run("n.grad; b.grad") == "0.4999999999999999\n0.4999999999999999")
        t.run(":grad o")
        #expect(t.run("x1.grad; w1.grad; x2.grad; w2.grad") == "-1.4999999999999996\n0.9999999999999998\n0.4999999999999999\n0.0")
        #expect(t.errors.isEmpty)
    }

    @Test func tanhFromExpGivesTheSameGradients() {
        let t = Transcript()
        t.run("x1 = 2.0; x2 = 0.0; w1 = -3.0; w2 = 1.0; b = 6.8813735870195432")
        t.run("n = x1*w1 + x2*w2 + b; e = (2*n).exp(); o = (e - 1) / (e + 1)")
        #expect(t.run("o") == "Value(data=0.7071067811865477)")
        t.run(":grad o")
        #expect(t.run("x1.grad; w1.grad; x2.grad") == "-1.5\n1.0\n0.5")
    }

    @Test func aNodeUsedTwice() {
        let t = Transcript()
        t.run("a = 3.0; b = a + a")
        t.run("b.backward()")
        #expect(t.run("a.grad") == "2.0")
    }

    @Test func theMultiLayerPerceptronChapter() {
        let t = Transcript()
        t.run(
            """
            n = MLP(3, [4, 4, 1])
            xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
            ys = [1.0, -1.0, -1.0, 1.0]
            """)
        #expect(t.run("len(n.parameters())") == "41")
        #expect(t.run("n([2.0, 3.0, -1.0])").hasPrefix("Value(data="))
        t.run(
            """
            ypred = [n(x) for x in xs]
            loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
            loss.backward()
            """)
        let grad = t.run("n.layers[0].neurons[0].w[0].grad")
        #expect(Double(grad) != nil && Double(grad) != 0)
        // The same loss in element-wise form, and a training loop on one line.
        let before = Double(t.run("sum((n(xs) - ys)**2).data"))!
        t.run("for k in range(30): ypred = n(xs); loss = sum((ypred - ys)**2); n.zero_grad(); loss.backward(); for_ = 0")
        #expect(t.errors.isEmpty)
        t.run("for p in n.parameters(): p.data += -0.05 * p.grad")
        let after = Double(t.run("sum((n(xs) - ys)**2).data"))!
        #expect(after < before)
        t.run("loss = sum((n(xs) - ys)**2)")
        let report = t.run(":train loss 200 0.05")
        let final = Double(report.split(separator: "\n").first { $0.hasPrefix("loss ") }!.split(separator: " ")[1])!
        #expect(final < 0.01)
        #expect(t.errors.isEmpty)
    }
}
