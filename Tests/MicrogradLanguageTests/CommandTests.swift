import MicrogradLanguage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every `:` command, with what it prints and what it leaves behind.
@Suite struct CommandTests {
    static let tutorial = "a = 2.0; b = -3.0; c = 10.0; f = -2.0\nL = (a*b + c)*f"

    static func tutorialSession() -> Transcript {
        let t = Transcript()
        t.run(tutorial)
        return t
    }

    static let network = """
        n = MLP(3, [4, 4, 1])
        xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
        ys = [1.0, -1.0, -1.0, 1.0]
        loss = sum((n(xs) - ys)**2)
        """

    @Test func gradPrintsEveryNodeWithItsGradient() {
        let t = Self.tutorialSession()
        let table = """
            node     op    data  grad
            a        leaf  2.0   6.0
            b        leaf  -3.0  -4.0
            c        leaf  10.0  -2.0
            f        leaf  -2.0  4.0
            a*b      *     -6.0  -2.0
            a*b + c  +     4.0   -2.0
            L        *     -8.0  1.0
            """
        #expect(t.run(":grad L") == table)
        // It zeroes first, so running it again gives the same table, not doubled grads.
        #expect(t.run(":grad L") == table)
        // Without an argument it uses the last root.
        #expect(t.run(":grad") == table)
        #expect(t.errors.isEmpty)
    }

    @Test func gradOfAnExpressionAndOfANonFiniteGraph() {
        let t = Transcript()
        t.run("x = 3.0")
        #expect(t.run(":grad x*x") == "node  op    data  grad\nx     leaf  3.0   6.0\nx*x   *     9.0   1.0")
        t.run("z = 0.0; w = z.log()")
        #expect(t.run(":grad w").hasSuffix("warning: 2 nodes have inf or nan data or grad: z, w"))
    }

    @Test func backwardAccumulatesExactlyLikeTheMethod() {
        let byCommand = Self.tutorialSession(), byMethod = Self.tutorialSession()
        #expect(byCommand.run(":backward L") == "backward from L: 7 nodes now hold dL/d(node); :grad shows them")
        byMethod.run("L.backward()")
        let grads = "a.grad; b.grad; c.grad; f.grad; L.grad; L.inputs[0].grad"
        #expect(byCommand.run(grads) == "6.0\n-4.0\n-2.0\n4.0\n1.0\n-2.0")
        #expect(byMethod.run(grads) == byCommand.run(grads))
        // A second backward adds to every grad below the root, as micrograd's does.
        byCommand.run(":backward")
        byMethod.run("L.backward()")
        #expect(byCommand.run(grads) == "24.0\n-16.0\n-6.0\n8.0\n1.0\n-4.0")
        #expect(byMethod.run(grads) == byCommand.run(grads))
        #expect(byCommand.errors.isEmpty && byMethod.errors.isEmpty)
        #expect(Transcript().run("one = Value(3.0)\n:backward one") == "backward from one: 1 node now holds done/d(node); :grad shows it")
    }

    @Test func zeroWithAndWithoutAnArgument() {
        let t = Self.tutorialSession()
        t.run("z = 5.0; z.grad = 7")
        t.run(":grad L")
        #expect(t.run(":zero L").isEmpty)
        #expect(t.run("a.grad; f.grad; L.grad; z.grad") == "0.0\n0.0\n0.0\n7.0")  // z is not in L's graph
        t.run(":grad L")
        #expect(t.run(":zero").isEmpty)
        #expect(t.run("a.grad; L.grad; z.grad") == "0.0\n0.0\n0.0")
        #expect(t.errors.isEmpty)
        t.run(":zero nope")
        #expect(t.errors == "<test>:1:7: error: 'nope' is not defined; give it a value first, as in nope = 2.0\n:zero nope\n      ^")
    }

    @Test func nudgeMeasuresTheSlopeAndPutsTheLeafBack() {
        let t = Self.tutorialSession()
        #expect(
            t.run(":nudge a 0.0001 L") == """
                L before             -8.0
                L after a += 0.0001  -7.999399999999998
                slope (L2 - L1)/h    6.000000000021544
                dL/da from backward  6.0
                difference           2.1543655748246238e-11
                """)
        #expect(t.run("a.data; L.data; a.grad") == "2.0\n-8.0\n0.0")  // the leaf, the root and the grads as they were
        // Without L: the last name assigned.
        #expect(
            t.run(":nudge f 0.5") == """
                L before             -8.0
                L after f += 0.5     -6.0
                slope (L2 - L1)/h    4.0
                dL/df from backward  4.0
                difference           0.0
                """)
        #expect(t.errors.isEmpty)
        // A leaf assigned after it (the tutorial's h = 0.0001) does not take L's place; it
        // did, and :nudge said h does not depend on a.
        t.run("h = 0.0001")
        #expect(t.run(":nudge f 0.5").hasPrefix("L before             -8.0"), "\(t.errors)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        // A step so small that rounding is most of the slope is said to be, not left to
        // look like a wrong gradient; the tutorial's 0.0001 is not.
        #expect(t.run(":nudge a 1e-14 L").contains("slope (L2 - L1)/h    6.039613253960852"))
        #expect(
            t.errors
                == "<test>:1:10: warning: h = 1e-14 is so small that rounding in L's last digits moves the slope by up to 0.26645352591003757; an h of 1e-13 or more shows the slope\n:nudge a 1e-14 L\n         ^"
        )
        // No warning where the slope and the gradient are both 0 (a review found one);
        // the step suggested fits the sizes: a root of 1e12 needs more than 0.0001, and a
        // leaf of 1e17 a step of 1e11.
        let r = Transcript()
        r.run("a = 2.0\nM = a*0 + 1\nN = Value(1e12) + a\nx = Value(1e17)")
        r.run(":nudge a 0.0001 M")
        #expect(r.errors.isEmpty, "\(r.errors)")
        r.run(":nudge a 0.001 N")
        #expect(r.errors.contains("an h of 0.1 or more shows the slope"), "\(r.errors)")
        r.run(":nudge x 1 x")
        #expect(r.errors.contains("so a step of 1.0 is lost; try :nudge x 100000000000.0 x"), "\(r.errors)")
    }

    @Test(arguments: [
        (
            ":nudge L 0.001 L",
            "<test>:1:8: error: L is computed from other values, so a nudge would be undone by the forward pass; nudge a leaf (a, b, c, f)\n:nudge L 0.001 L\n       ^"
        ),
        (":nudge a 0 L", "<test>:1:10: error: h must not be 0 (the slope divides by it)\n:nudge a 0 L\n         ^"),
        (":nudge z 0.1 L", "<test>:1:8: error: L does not depend on z, so nudging it changes nothing\n:nudge z 0.1 L\n       ^"),
        (":nudge a h L", "<test>:1:10: error: 'h' is not defined; give it a value first, as in h = 2.0\n:nudge a h L\n         ^"),
        (":nudge a 'x' L", "<test>:1:10: error: 'x' is not a number\n:nudge a 'x' L\n         ^"),
        (":nudge a 1e999 L", "<test>:1:10: error: 1e999 is not a finite number\n:nudge a 1e999 L\n         ^"),
        (":nudge xs 1 L", "<test>:1:8: error: xs is a list, not a Value\n:nudge xs 1 L\n       ^"),
        (
            ":nudge a 1e-20 L",
            "<test>:1:10: error: a + 1e-20 is a again: a float next to 2.0 is 4.440892098500626e-16 away, so a step of 1e-20 is lost; try :nudge a 0.0001 L\n:nudge a 1e-20 L\n         ^"
        ),
    ])
    func nudgeRefusesWhatItCannotDo(line: String, expected: String) {
        let t = Self.tutorialSession()
        t.run("z = 5.0; xs = [1]")
        t.run(line)
        #expect(t.errors == expected)
        #expect(t.run("a.data; L.data") == "2.0\n-8.0")
    }

    /// A leaf that is inf or nan: no step moves it (it suggested a step of inf).
    @Test func nudgeRefusesALeafThatIsNotFinite() {
        let t = Transcript()
        t.run("a = Value(float('-inf'))\nb = a * 2")
        t.run(":nudge a 1e308 b")
        #expect(t.errors.contains("error: a is -inf, which no step moves; give it a finite value first"), "\(t.errors)")
    }

    /// A name given a new Value after L was built from the old one: L depends on the old f
    /// (which :topo shows as f), and the error says so, rather than just "does not depend".
    @Test func nudgeSaysWhenANameHoldsANewValue() {
        let t = Self.tutorialSession()
        t.run("f = 3.0")
        t.run(":nudge f 0.0001 L")
        #expect(
            t.errors.contains(
                "error: L does not depend on f: the name f holds a new Value now, not the f that L was built from (which :topo L still shows); run L's line again to build it from the new one"
            ), "\(t.errors)")
    }

    @Test func checkAgreesOnTheTutorialAndFailsAtAKink() {
        let t = Self.tutorialSession()
        #expect(
            t.run(":check L") == """
                leaf  backward  numeric        rel. error
                a     6.0       6.0            8.3e-12     ok
                b     -4.0      -4.0000000006  1.4e-10     ok
                c     -2.0      -1.9999999985  7.5e-10     ok
                f     4.0       4.0000000001   2.9e-11     ok
                all 4 leaves agree (largest relative error 7.5e-10)
                """)
        #expect(t.run("a.data; a.grad; L.data") == "2.0\n0.0\n-8.0")  // data and grads put back
        // relu at exactly 0: backward says 0, the central difference says 1/2.
        t.run("x = 0.0; y = x.relu()")
        #expect(
            t.run(":check y") == "leaf  backward  numeric  rel. error\nx     0.0       0.5      1.0e0       FAIL\nthe leaf disagrees")
        #expect(t.errors.isEmpty)
    }

    @Test func checkOnANetworkAgrees() {
        let t = Transcript()
        t.run(Self.network)
        let report = t.run(":check loss")
        let lines = report.split(separator: "\n")
        #expect(lines.count > 41 + 2)  // a line for each parameter at least, a header and a summary
        #expect(lines.last!.hasPrefix("all \(lines.count - 2) leaves agree (largest relative error "))
        #expect(!report.contains("FAIL"))
    }

    /// :check on a large network says first that it will take a while (it used to run
    /// for minutes without a word), and Ctrl-C stops it; a small one runs without the note.
    @Test func checkOnALargeNetworkSaysItWillTakeAWhile() {
        let t = Transcript()
        t.run("model = MLP(2, [100, 100, 1])\nL = model([1.0, 2.0])")
        t.pressCtrlC(afterChecks: 3)
        t.run(":check L")
        #expect(
            t.errors.hasPrefix(
                "<test>:1:1: warning: checking 10503 leaves takes 3 passes each over 31304 nodes, which may take minutes and prints a line per leaf; Ctrl-C stops it"
            ), "\(t.errors)")
        #expect(t.errors.hasSuffix("Interrupted"), "\(t.errors)")
        t.pressCtrlC(afterChecks: nil)
        t.run("small = MLP(2, [4, 1])\nS = small([1.0, 2.0])\n:check S")
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    @Test func stepMovesNamedLeavesAlongTheirGrads() {
        let t = Self.tutorialSession()
        t.run(":grad L")
        #expect(t.run(":step 0.01 L") == "L: -8.0 -> -7.286496  (each leaf: data += 0.01 * grad)")
        #expect(t.run("a.data; b.data; c.data; f.data") == "2.06\n-3.04\n9.98\n-1.96")
        // A negative rate descends; without L, the last root.
        t.run(":grad L")
        let report = t.run(":step -0.01").split(separator: " ")  // L: before -> after  (…)
        #expect(report.count > 4 && report[0] == "L:" && report[2] == "->")
        #expect(Double(report[3])! < Double(report[1])!)
        #expect(t.errors.isEmpty)
    }

    @Test func stepWarnsWhenEveryGradIsZero() {
        let t = Self.tutorialSession()
        #expect(t.run(":step 0.01 L") == "L: -8.0 -> -8.0  (each leaf: data += 0.01 * grad)")
        #expect(t.errors == "<test>:1:1: warning: every grad is 0, so nothing moves; run :grad L first\n:step 0.01 L\n^")
        t.run(":step 0.1 Value(1.0)*2")
        #expect(
            t.errors
                == "<test>:1:1: error: 1.0*2.0 has no network parameters, and no leaves your names hold, to move\n:step 0.1 Value(1.0)*2\n^"
        )
    }

    @Test func stepDoesNotMoveALeafThatReusedTheIdsOfAFailedNetwork() {
        // A statement that made a network and then failed is undone; the ids its parameters
        // had are reused by the next nodes, which must not be trained as parameters.
        let t = Transcript()
        t.run("x = 1.0\nMLP(1, [1]) + nope\nL = x * 3.0")
        t.run(":grad L")
        #expect(t.run(":step 0.1 L") == "L: 3.0 -> 3.9000000000000004  (each leaf: data += 0.1 * grad)")
        #expect(t.run("L.inputs") == "[Value(data=1.3), Value(data=3.0)]")
    }
}
