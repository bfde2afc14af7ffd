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

    static let trainingLoop = """
        n = MLP(3, [4, 4, 1])
        xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
        ys = [1.0, -1.0, -1.0, 1.0]
        losses = []
        for k in range(STEPS):
            ypred = [n(x) for x in xs]
            loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
            for p in n.parameters():
                p.grad = 0.0
            loss.backward()
            for p in n.parameters():
                p.data += -0.1 * p.grad
            losses.append(loss.data)
        """

    @Test func aLoopReclaimsEachRoundsNodesAndGetsTheSameNumbers() {
        let loop = Self.trainingLoop.replacing("STEPS", with: "60")
        let plain = Transcript()
        plain.session.loopCompactionThreshold = .max
        plain.run(loop)
        let reclaiming = Transcript()
        reclaiming.session.loopCompactionThreshold = 500
        reclaiming.run(loop)
        #expect(plain.errors.isEmpty && reclaiming.errors.isEmpty, "\(plain.errors) \(reclaiming.errors)")
        // Bit for bit the same training, in a graph a fraction of the size.
        #expect(reclaiming.run("losses") == plain.run("losses"))
        #expect(reclaiming.run("loss.data; n(xs[0]).data") == plain.run("loss.data; n(xs[0]).data"))
        #expect(plain.session.graph.count > 15_000)
        #expect(reclaiming.session.graph.count < 2_000)
        func table(_ t: Transcript) -> String { t.run(":grad loss").replacing(/#[0-9]+/, with: "#").replacing(/\s+/, with: " ") }
        #expect(table(reclaiming) == table(plain))
        #expect(reclaiming.run("loss.grad") == "1.0")
    }

    /// A network made before a loop is kept where it is as the loop reclaims (not made
    /// again); one made in a round is moved down with what that round keeps, or, made first
    /// in the loop, stays where it is but is renewed with its nodes; all give the same
    /// numbers as without reclaiming, by the same parameters.
    @Test func networksMadeBeforeAndInALoopSurviveItsReclaiming() {
        let loop = """
            random.seed(7)
            before = MLP(2, [4, 1])
            for k in range(40):
                inside = MLP(2, [4, 1])
                if k == 0:
                    first = inside
                junk = sum([before([1.0, 2.0]) * j for j in range(60)])
                out = before([0.5, -1.0]) + inside([1.5, 0.25])
            [out.data, before([1.0, 1.0]).data, inside([1.0, 1.0]).data, first([2.0, 1.0]).data, len(inside.parameters())]
            """
        let plain = Transcript(), reclaiming = Transcript()
        plain.session.loopCompactionThreshold = .max
        reclaiming.session.loopCompactionThreshold = 100
        let expected = plain.run("import random\n" + loop)
        #expect(reclaiming.run("import random\n" + loop) == expected)
        #expect(plain.errors.isEmpty && reclaiming.errors.isEmpty, "\(plain.errors) \(reclaiming.errors)")
        #expect(reclaiming.session.nodesMoved > 5 && reclaiming.session.graph.count < plain.session.graph.count / 4)
        // A pass over each network after the loop, by its parameters' grads.
        let pass = "out.backward()\n[p.grad for p in before.parameters()][:3], [p.grad for p in inside.parameters()][-3:]"
        #expect(reclaiming.run(pass) == plain.run(pass))
        #expect(reclaiming.errors.isEmpty, "\(reclaiming.errors)")
    }

    /// Rounds that read what the round before made, on one side of an operation or the
    /// other: the round a reclaiming ends is then not a block of its own (it is tried as one
    /// first, and put back), and what each round left to nothing is still dropped, with the
    /// same numbers.
    @Test(arguments: ["chain = chain * 0.9 + w * (k / 200)", "chain = (w * 0.001 + 1.0) * chain"])
    func aLoopWhoseRoundsReadTheRoundBeforeGetsTheSameNumbers(step: String) {
        let loop = """
            w = Value(0.5)
            chain = Value(1.0)
            for k in range(200):
                junk = sum([w * j for j in range(40)])
                \(step)
            chain.backward()
            [chain.data, w.grad, junk.data]
            """
        let plain = Transcript(), reclaiming = Transcript()
        plain.session.loopCompactionThreshold = .max
        reclaiming.session.loopCompactionThreshold = 200
        let expected = plain.run(loop)
        #expect(reclaiming.run(loop) == expected)
        #expect(plain.errors.isEmpty && reclaiming.errors.isEmpty, "\(plain.errors) \(reclaiming.errors)")
        #expect(reclaiming.session.nodesMoved > 5 && reclaiming.session.graph.count < plain.session.graph.count / 4)
    }

    /// Nested loops, a step of several rounds' work in each outer round (an epoch of steps):
    /// what is kept is the inner round's graph, as with one loop, not the outer round's so far.
    @Test func nestedLoopsKeepTheInnerRound() {
        let loop = """
            w = Value(0.5)
            for epoch in range(6):
                for i in range(11):
                    loss = sum([w * j for j in range(300)])
                    loss.backward()
                    for p in [w]:
                        p.data -= 1e-7 * p.grad
            [loss.data, w.data]
            """
        let plain = Transcript(), reclaiming = Transcript()
        plain.session.loopCompactionThreshold = .max
        reclaiming.session.loopCompactionThreshold = 600
        // One inner round is some 900 nodes, and reclaiming waits for four times what it
        // kept: room for 8,000 at once is room for a few rounds, not for an epoch's.
        reclaiming.session.limits.nodesPerStatement = 8_000
        let expected = plain.run(loop)
        #expect(reclaiming.run(loop) == expected)
        #expect(plain.errors.isEmpty && reclaiming.errors.isEmpty, "\(plain.errors) \(reclaiming.errors)")
        #expect(reclaiming.session.nodesMoved > 10 && reclaiming.session.graph.count < 4_000, "\(reclaiming.session.graph.count)")
    }

    @Test func aLoopOfAnyLengthRunsInTheMemoryOfAFewRounds() {
        // With room for 3,000 nodes a statement, a loop of 200 rounds of ~500 nodes each runs,
        // since each round's graph is garbage by the next; one that keeps them all stops.
        let t = Transcript()
        t.session.limits.nodesPerStatement = 3_000
        t.session.loopCompactionThreshold = 1_000
        t.run(Self.trainingLoop.replacing("STEPS", with: "200"))
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("len(losses)") == "200")
        t.run("kept = []\nfor k in range(200):\n    kept.append(sum(n(xs[0]) * 2 for x in xs))")
        #expect(t.errors.contains("nodes that are still in use, the most one statement may keep"))
    }

    @Test func theItemsOfLoopsUnderWayMoveWithTheGraph() {
        let t = Transcript.reclaimingOften()
        t.run(
            """
            a = 2.0
            pairs = [(a * k, k) for k in range(30)]
            total = 0
            seen = []
            for v, k in pairs:
                for w in [v * 2, v + 1]:
                    junk = sum([w * j for j in range(20)])
                    seen.append(w.data)
                total = total + v.data
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("total") == "870.0")
        #expect(t.run("seen[-2:]") == "[116.0, 59.0]")
        #expect(t.session.graph.count < 2_000)
    }

    @Test func theListsAZipLoopReadSideBySideMoveWithTheGraph() {
        // `for v, w in zip(vs, ws)` reads the two lists without making pairs; Values made
        // by the loop statement itself (in its lists) must move when a round compacts.
        let t = Transcript.reclaimingOften()
        t.run(
            """
            total = 0
            for v, w in zip([Value(1.0 * k) for k in range(30)], [Value(2.0) * k for k in range(30)]):
                junk = sum([v * j for j in range(20)])
                total = total + (v * w).data
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("total") == "17110.0")
        #expect(t.run("v.data, w.data") == "(29.0, 58.0)")
        #expect(t.session.graph.count < 2_000)
        // The same in a comprehension, and with three lists.
        #expect(t.run("[a * b + c for a, b, c in zip([1, 2, 3], [4.0, 5.0], [10, 20])]") == "[14.0, 30.0]")
    }

    /// A top-level loop reads its list as it is at each round (a queue of work), and that
    /// list, made by the statement itself and held by nothing else, still moves when a
    /// round compacts: its new items are reached, with their Values where they went. So
    /// does `for i, v in enumerate(work)`, as Python's does (it went through the list as
    /// it was when the loop began: one round).
    @Test(arguments: ["for v in work:", "for i, v in enumerate(work, start=1):"])
    func aListThatGrowsDuringItsLoopMovesWithTheGraph(header: String) {
        let t = Transcript.reclaimingOften()
        t.run(
            """
            work = [Value(1.0)]
            seen = 0
            \(header)
                junk = sum([v * j for j in range(20)])
                seen += 1
                if v.data < 40:
                    work.append(v + 1)
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("seen, work[-1].data, len(work)") == "(40, 40.0, 40)")
        #expect(t.session.graph.count < 2_000)
    }

    /// enumerate's loop counts from its start, in a comprehension too, and says what it
    /// takes.
    @Test func anEnumeratedLoopCountsFromItsStart() {
        let t = Transcript()
        #expect(t.run("last = 0\nfor i, x in enumerate([7, 8], start=1): last = i\nlast") == "2")
        #expect(t.run("xs = [1, 2]\n[(i, x) for i, x in enumerate(xs, 5)]") == "[(5, 1), (6, 2)]")
        #expect(t.run("for i, c in enumerate('ab'): print(i, c)") == "0 a\n1 b")
        t.run("for i, x in enumerate(7): pass")
        #expect(t.errors.contains("enumerate goes through a list (such as range(10) or xs), not a number"), "\(t.errors)")
        t.run("for i, x in enumerate([1], 2.5): pass")
        #expect(t.errors.contains("enumerate's start is a whole number"), "\(t.errors)")
    }

    /// A loop inside a function reclaims what its rounds made that nothing reaches any more,
    /// as a top-level loop does: lesson 7's `train(lr, steps)` ran out of nodes at 20
    /// million, every step but the last unreachable. What the function's names, the scopes
    /// around it, a list it was given and an expression waiting on the call hold is kept,
    /// where it moved to.
    @Test func aLoopInsideAFunctionReclaimsWhatItsRoundsMade() {
        let t = Transcript.reclaimingOften()
        t.run(
            """
            w = Value(2.0)
            def outer(n, hist):
                kept = []
                def inner():
                    k = 0
                    while k < n:
                        junk = sum([w * j for j in range(20)])
                        if k % 10 == 0:
                            kept.append(w * k)
                            hist.append(w + k)
                        k += 1
                inner()
                last = None
                for k in range(n):
                    last = sum([w * j for j in range(k % 5 + 1)])
                return [v.data for v in kept], last
            hist = []
            a = (w * 3) + outer(40, hist)[1]
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("a.data") == "26.0")  // 6 + w·(0+1+2+3+4), the last round's
        #expect(t.run("outer(40, [])[0]") == "[0.0, 20.0, 40.0, 60.0]")
        #expect(t.run("[v.data for v in hist]") == "[2.0, 12.0, 22.0, 32.0]")
        #expect(t.session.graph.count < 2_000, "\(t.session.graph.count)")
        // The same training in a def as at the top level, to the last digit.
        t.run(
            """
            import random
            xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
            ys = [1.0, -1.0, -1.0, 1.0]
            def train(lr, steps):
                random.seed(1337)
                m = MLP(3, [4, 4, 1])
                for k in range(steps):
                    loss = sum((m(xs) - ys)**2)
                    m.zero_grad()
                    loss.backward()
                    for p in m.parameters():
                        p.data += -lr * p.grad
                return loss.data
            in_def = train(0.05, 30)
            random.seed(1337)
            m = MLP(3, [4, 4, 1])
            for k in range(30):
                loss = sum((m(xs) - ys)**2)
                m.zero_grad()
                loss.backward()
                for p in m.parameters():
                    p.data += -0.05 * p.grad
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("in_def == loss.data, in_def") == "(True, \(t.run("loss.data")))")
        #expect(t.session.graph.count < 5_000, "\(t.session.graph.count)")
    }

    /// What a call's callers hold is kept too, where it moved: a list of the caller's (or of
    /// an outer call of the same function) that the call filled and then let go of, and a
    /// list held only as an argument, which :check passes to the call again. (The call's
    /// scope is not around its callers', and the Values in them were dropped: the next use
    /// stopped the program.)
    @Test func whatACallsCallersHoldIsKept() {
        let t = Transcript.reclaimingOften()
        t.run(
            """
            w = Value(2.0, label='w')
            def rec(depth, acc):
                if depth == 0:
                    for i in range(40):
                        if acc is not None:
                            acc.append(w * 7)
                            acc = None
                        junk = sum([w * j for j in range(30)])
                    return 0
                mine = []
                rec(depth - 1, mine)
                return mine[0].data
            def op(x, box):
                for i in range(40):
                    if box is not None:
                        box.append(x * 2)
                        box = None
                    junk = sum([x * j for j in range(30)])
                out = Value(x.data * 3, (x,), 'triple')
                def _backward():
                    x.grad += 3 * out.grad
                out._backward = _backward
                return out
            o = op(w, [])
            """)
        #expect(t.run("rec(1, None)") == "14.0")
        #expect(t.run(":check o").hasSuffix("the leaf agrees (relative error 8.3e-12)"))
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    /// Reclaiming walks everything the session holds, so a loop waits at least as many new
    /// nodes as the last one found held before it reclaims again: with 20,000 Values held,
    /// a loop of 60,000 nodes reclaims a few times, not hundreds (each walking all 20,000:
    /// a loop in a def over a large session ran ten times slower).
    @Test(arguments: ["", "def f():\n    "])
    func reclaimingWaitsAsLongAsWhatItWalks(inDef: String) {
        let t = Transcript.reclaimingOften()
        t.run("w = Value(2.0)\nkeep = [w * 1.0 for i in range(20000)]")
        let before = t.session.nodesMoved
        let body = inDef.isEmpty ? "" : "    "
        t.run(inDef + "for i in range(2000):\n" + body + "    junk = sum([w * j for j in range(15)])" + (inDef.isEmpty ? "" : "\nf()"))
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.session.nodesMoved - before < 10, "\(t.session.nodesMoved - before)")
        #expect(t.run("len(keep), keep[-1].data") == "(20000, 2.0)")
    }

    /// A loop inside a function goes on through its list after the name is given another
    /// (`lst = []`): the list, held by the loop alone, keeps the Values appended to it, where
    /// they moved (they were reclaimed under it, and the next round stopped the program).
    @Test func aListHeldOnlyByItsLoopKeepsItsValues() {
        let t = Transcript.reclaimingOften()
        t.run(
            """
            w = Value(2.0)
            def f():
                lst = [w * 1]
                total = 0.0
                for x in lst:
                    junk = sum([w * j for j in range(30)])
                    total += x.data
                    if len(lst) < 60:
                        lst.append(x + 1)
                    if len(lst) == 30:
                        lst = []
                return total
            """)
        #expect(t.run("f()") == "495.0")  // (python3's, with floats for the Values)
        // A comprehension's list too, where a loop in the function it calls reclaims.
        t.run(
            """
            work = [w * 1]
            def g(x):
                global work
                for i in range(3):
                    if i == 0 and len(work) < 30:
                        work.append(x + 1)
                        if len(work) == 30:
                            work = []
                    junk = sum([w * j for j in range(30)])
                return x.data
            """)
        #expect(t.run("sum([g(x) for x in work])") == "495.0")
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    @Test func aLoopInsideAFunctionIsLeftAloneAndStillRight() {
        let t = Transcript.reclaimingOften()
        t.run(
            """
            def run(steps):
                xs = [Value(1.0 * k) for k in range(steps)]
                out = 0.0
                for x in xs:
                    junk = sum([x * j for j in range(10)])
                    out = out + (x * 2).data
                return out, xs[3].data
            result = run(40)
            """)
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("result") == "(1560.0, 3.0)")
    }
}
