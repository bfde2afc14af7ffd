import Micrograd
import MicrogradLanguage
import Testing

/// A long session's graph is copied down to what its names still use.
@Suite struct CompactionTests {
    @Test func namesNetworksAndGradsSurviveACompaction() {
        let t = Transcript()
        t.session.compactionThreshold = 2_000
        t.run("a = 2.0; b = -3.0; c = 10.0; f = -2.0; L = (a*b + c)*f")
        t.run(":grad L")
        let table = t.run(":grad L")
        t.run("n = MLP(3, [4, 4, 1]); xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5]]; ys = [1.0, -1.0]")
        t.run("loss = sum((n(xs) - ys)**2)")
        let before = t.run("loss.data")
        t.run("keep = [a, L, 3.0]")
        // Plenty of throwaway work: every round's graph is garbage afterwards.
        for _ in 0..<200 { t.run("junk = sum((n(xs) - ys)**2)") }  // about 32,000 nodes in all
        #expect(t.session.graph.count < 5_000)
        #expect(t.errors.isEmpty)
        #expect(t.run(":grad L") == table)  // labels, ops, data, grads all kept
        #expect(t.run("loss.data") == before)
        #expect(t.run("keep[1].data") == "-8.0")
        #expect(t.run("len(n.parameters())") == "41")
        #expect(t.run("sum((n(xs) - ys)**2).data") == before)  // the network still computes the same
        #expect(t.run(":step 0.01 L") == "L: -8.0 -> -7.286496  (each leaf: data += 0.01 * grad)")
        #expect(t.run(":train loss 3 0.05").contains("after 3 steps"))
        #expect(t.errors.isEmpty)
    }

    @Test func theTutorialStillPrintsItsNumbersWithCompactionAtEveryStatement() {
        let t = Transcript()
        t.session.compactionThreshold = 1
        t.run(
            """
            x1 = 2.0; x2 = 0.0; w1 = -3.0; w2 = 1.0; b = 6.8813735870195432
            n = x1*w1 + x2*w2 + b
            o = n.tanh()
            :grad o
            """)
        #expect(
            t.run("x1.grad; w1.grad; x2.grad; w2.grad; o.data")
                == "-1.4999999999999996\n0.9999999999999998\n0.4999999999999999\n0.0\n0.7071067811865476")
        #expect(t.run(":nudge w1 0.0001 o").contains("do/dw1 from backward  0.9999999999999998"))
    }
}
