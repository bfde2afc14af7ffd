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
    ])
    func nudgeRefusesWhatItCannotDo(line: String, expected: String) {
        let t = Self.tutorialSession()
        t.run("z = 5.0; xs = [1]")
        t.run(line)
        #expect(t.errors == expected)
        #expect(t.run("a.data; L.data") == "2.0\n-8.0")
    }

    @Test func checkAgreesOnTheTutorialAndFailsAtAKink() {
        let t = Self.tutorialSession()
        #expect(
            t.run(":check L") == """
                leaf  backward  numeric             rel. error
                a     6.0       5.999999999950489   8.3e-12     ok
                b     -4.0      -4.000000000559112  1.4e-10     ok
                c     -2.0      -1.999999998503199  7.5e-10     ok
                f     4.0       4.000000000115023   2.9e-11     ok
                all 4 leaves agree (largest relative error 7.5e-10)
                """)
        #expect(t.run("a.data; a.grad; L.data") == "2.0\n0.0\n-8.0")  // data and grads put back
        // relu at exactly 0: backward says 0, the central difference says 1/2.
        t.run("x = 0.0; y = x.relu()")
        #expect(
            t.run(":check y") == "leaf  backward  numeric  rel. error\nx     0.0       0.5      1.0e0       FAIL\n1 of 1 leaves disagree")
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
        #expect(t.errors == "<test>:1:1: error: 1.0*2.0 has no named leaves or network parameters to move\n:step 0.1 Value(1.0)*2\n^")
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

    @Test func trainLowersTheLossOfTheTutorialsNetwork() {
        let t = Transcript()
        t.run(Self.network)
        let report = t.run(":train loss 20 0.05")
        #expect(report.hasPrefix("step 0 loss 6.217674584538253\nstep 2 loss 3.008028079037304\n"))
        #expect(
            report.hasSuffix(
                "step 19 loss 0.0776755665889966\nloss 0.07065098178662474 after 20 steps\n(each step: data -= 0.05 * grad; a step's line shows the loss\nbefore its update, this one the loss after the last)"
            ))
        #expect(t.progress.count == 20)
        let losses = t.progress.map { Double($0.split(separator: " ").last!)! }
        #expect(losses.last! < losses.first! / 50)
        // The trained network's loss, built afresh, is the one reported.
        #expect(t.run("sum((n(xs) - ys)**2).data") == "0.07065098178662474")
        // Without L: the last root.
        #expect(t.run(":train 2 0.05").contains("after 2 steps"))
        #expect(t.errors.isEmpty)
    }

    @Test func trainTakesAScheduleInK() {
        let t = Transcript()
        t.run(Self.network)
        let report = t.run(":train loss 10 1 - 0.9*k/100")
        #expect(report.hasPrefix("step 0 loss 6.217674584538253\n"))
        let losses = t.progress.map { Double($0.split(separator: " ").last!)! }
        #expect(losses.count == 10 && losses.last! < losses.first!)
        // With a rate of k the first step moves nothing: steps 0 and 1 see the same loss.
        let u = Transcript()
        u.run(Self.network)
        u.run(":train loss 3 k")
        #expect(u.progress[0] == "step 0 loss 6.217674584538253")
        #expect(u.progress[1] == "step 1 loss 6.217674584538253")
        #expect(u.progress[2] != "step 2 loss 6.217674584538253")
        // A constant written as an expression is the same constant.
        let v = Transcript(), w = Transcript()
        v.run(Self.network); w.run(Self.network)
        func steps(_ report: String) -> [Substring] {
            report.split(separator: "\n").filter { $0.hasPrefix("step ") || $0.hasPrefix("loss ") }
        }
        #expect(steps(v.run(":train loss 3 0.05")) == steps(w.run(":train loss 3 0.1/2 + 0*k")))
        #expect(t.errors.isEmpty && u.errors.isEmpty && v.errors.isEmpty && w.errors.isEmpty)
    }

    @Test(arguments: [
        (":train loss 0", "<test>:1:13: error: STEPS is a whole number from 1 to 10000000\n:train loss 0\n            ^"),
        (":train loss 2.5", "<test>:1:13: error: STEPS is a whole number from 1 to 10000000\n:train loss 2.5\n            ^"),
        (":train loss", "<test>:1:1: error: how many steps? usage: :train [L] STEPS [LR]\n:train loss\n^"),
        (
            ":train loss 5 nope",
            "<test>:1:15: error: 'nope' is not defined; give it a value first, as in nope = 2.0\n:train loss 5 nope\n              ^"
        ),
        (
            ":train loss 5 1/0",
            "<test>:1:16: error: the learning rate must be a finite number (at step 0)\n:train loss 5 1/0\n               ^"
        ),
        (":train xs 5", "<test>:1:8: error: xs is a list, not a Value\n:train xs 5\n       ^"),
    ])
    func trainRefusesBadArguments(line: String, expected: String) {
        let t = Transcript()
        t.run(Self.network)
        t.run(line)
        #expect(t.errors == expected)
        #expect(t.run("loss.data") == "6.217674584538253")
    }

    @Test func anInterruptedTrainingStopsBetweenSteps() {
        let t = Transcript(), reference = Transcript()
        t.run(Self.network)
        reference.run(Self.network)
        var checks = 0
        t.host.shouldStop = {
            checks += 1; return checks > 3
        }
        #expect(!t.session.run(":train loss 10 0.05", file: "<test>"))
        #expect(t.errors == "Interrupted")
        #expect(t.progress.count == 3)
        t.host.shouldStop = { false }
        // Three whole steps happened: the parameters are exactly those of three steps.
        reference.run(":train loss 3 0.05")
        #expect(t.run("n.parameters()") == reference.run("n.parameters()"))
        #expect(t.run("sum((n(xs) - ys)**2).data") == reference.run("sum((n(xs) - ys)**2).data"))
        // And the session goes on as normal.
        #expect(t.run(":train loss 1 0.05").contains("after 1 steps"))
        #expect(t.errors.isEmpty)
    }

    @Test func topoListsNodesAfterTheirInputs() {
        let t = Self.tutorialSession()
        #expect(
            t.run(":topo L") == """
                a = 2.0  (leaf)
                b = -3.0  (leaf)
                c = 10.0  (leaf)
                f = -2.0  (leaf)
                a*b = -6.0  (* of a, b)
                a*b + c = 4.0  (+ of a*b, c)
                L = -8.0  (* of a*b + c, f)
                """)
        t.run("o = (a*2).tanh()")
        #expect(
            t.run(":topo o") == "a = 2.0  (leaf)\n2.0 = 2.0  (leaf)\na*2.0 = 4.0  (* of a, 2.0)\no = 0.999329299739067  (tanh of a*2.0)")
    }

    @Test func varsListsEveryName() {
        let t = Transcript()
        #expect(t.run(":vars") == "no names yet; try a = 2.0")
        t.run(Self.tutorial)
        t.run("g(x) = x + 1\nxs = [1, 2]\nm = MLP(2, [1])\ns = 'hi'\nk = len(xs)\ny = a.relu()")
        #expect(
            t.run(":vars") == """
                name  is            data          grad
                L     *             -8.0          0.0
                a     leaf          2.0           0.0
                b     leaf          -3.0          0.0
                c     leaf          10.0          0.0
                f     leaf          -2.0          0.0
                g     g(x) = x + 1
                k     number        2
                m     MLP(2, [1])   3 parameters
                s     'hi'
                xs    list of 2
                y     ReLU          2.0           0.0
                """)
        #expect(t.run(":vars x").isEmpty)
        #expect(t.errors == "<test>:1:7: error: usage: :vars\n:vars x\n      ^")
    }

    @Test func resetForgetsEverythingAndRestartsTheWeights() {
        let t = Transcript()
        let first = t.run("n = MLP(2, [2])\nn.parameters()")
        t.run(Self.tutorial)
        #expect(t.run(":reset") == "forgot 6 names and 13 nodes; networks draw their weights from seed 1337 again")
        #expect(t.run(":vars") == "no names yet; try a = 2.0")
        #expect(t.session.names.isEmpty && t.session.graph.count == 0)
        t.run("L")
        #expect(t.errors == "<test>:1:1: error: 'L' is not defined; give it a value first, as in L = 2.0\nL\n^")
        t.run(":grad")
        #expect(t.errors == "<test>:1:1: error: which Value? name it, as in :grad L\n:grad\n^")
        #expect(t.run("n = MLP(2, [2])\nn.parameters()") == first)
    }

    @Test func theSameSeedGivesTheSameWeights() {
        let weights = "n = MLP(3, [4, 4, 1])\nn.parameters()"
        let a = Transcript(), b = Transcript(), c = Transcript(seed: 42)
        a.run(":seed 42"); b.run(":seed 42")
        let fromA = a.run(weights)
        #expect(fromA == b.run(weights))
        #expect(fromA == c.run(weights))
        #expect(fromA != Transcript().run(weights))
        // Setting the seed again restarts the generator.
        a.run(":seed 42")
        #expect(a.run(weights) == fromA)
        #expect(a.errors.isEmpty)
    }

    @Test(arguments: [
        (":seed -1", "<test>:1:7: error: a seed is a whole number from 0 up\n:seed -1\n      ^"),
        (":seed 1.5", "<test>:1:7: error: a seed is a whole number from 0 up\n:seed 1.5\n      ^"),
        (":seed", "<test>:1:1: error: usage: :seed N\n:seed\n^"),
        (":seed 1 2", "<test>:1:9: error: usage: :seed N\n:seed 1 2\n        ^"),
    ])
    func badSeeds(line: String, expected: String) {
        let t = Transcript()
        t.run(line)
        #expect(t.errors == expected)
    }

    static func temporaryFile(_ text: String) -> String {
        let path = "/tmp/micrograd-commands-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).mg"
        let f = fopen(path, "w")!
        fputs(text, f)
        fclose(f)
        return path
    }

    @Test func loadRunsAFileIntoTheSession() {
        let path = Self.temporaryFile("a = 2.0\nb = -3.0\nL = a*b\nL\n")
        defer { unlink(path) }
        let t = Transcript()
        #expect(t.run(":load \(path)") == "Value(data=-6.0)")
        #expect(t.run(":grad L") == "node  op    data  grad\na     leaf  2.0   -3.0\nb     leaf  -3.0  2.0\nL     *     -6.0  1.0")
        #expect(t.errors.isEmpty)
    }

    @Test func loadReportsErrorsWithTheFilesLineNumbersAndRunsTheRest() {
        let path = Self.temporaryFile("a = 2.0\nb = a * nope\nc = a + 1\nxs = [1,\n")
        defer { unlink(path) }
        let t = Transcript()
        #expect(t.run(":load \(path)\nc") == "Value(data=3.0)")
        #expect(
            t.errors == """
                \(path):2:9: error: 'nope' is not defined; give it a value first, as in nope = 2.0
                b = a * nope
                        ^
                \(path):4:9: error: the line ended early: expected a number, a name, '(' or '['
                xs = [1,
                        ^
                <test>: error: \(path) had errors (shown above); the lines without errors ran
                """)
        // Errors after the load are the session's own again.
        t.run("nope2")
        #expect(t.errors.hasPrefix("<test>:1:1: error: 'nope2' is not defined"))
    }

    @Test func loadingAMissingFile() {
        let t = Transcript()
        t.run("keep = 42.0")
        t.run(":load /nonexistent/missing.mg")
        #expect(
            t.errors
                == "<test>:1:7: error: cannot load /nonexistent/missing.mg: /nonexistent/missing.mg: No such file or directory\n:load /nonexistent/missing.mg\n      ^"
        )
        t.run(":load")
        #expect(t.errors == "<test>:1:1: error: usage: :load FILE\n:load\n^")
        #expect(t.run("keep.data") == "42.0")
    }

    @Test func helpListsEveryCommandAndExplainsOne() {
        let t = Transcript()
        let overview = t.run(":help")
        #expect(overview.hasPrefix("Type Python as in the tutorial; a Value prints as Value(data=...).\n"))
        for command in Session.commandNames {
            #expect(overview.contains("\n  :\(command)"), "\(command)")
        }
        #expect(
            overview.contains(
                "Built-ins: tanh exp log relu sigmoid len sum range zip abs print Value MLP Layer Neuron moons moons_init min max"))
        #expect(overview.hasSuffix(":help COMMAND explains one, with an example."))
        let grad = """
            :grad [L]

            Sets every grad in L's graph to 0, runs backward from L, and prints a table of
            every node L depends on: its name (its label, or how it was made), the op that
            made it ('leaf' for a value you typed), its data, and its grad, which is
            dL/d(node).

            Example:
                a = 2.0; b = -3.0; L = a*b
                :grad L
            """
        #expect(t.run(":help grad") == grad)
        #expect(t.run(":help :grad") == grad)
        #expect(t.run(":help gr") == grad)
        #expect(t.run(":help tanh") == "tanh(x): of a number, a Value (recorded on the graph) or each item of a list")
        #expect(t.run(":help nudge").hasPrefix(":nudge a h [L]\n\nAdds h to a's data"))
        // Every command's help has a usage line, a paragraph and an example.
        for command in Session.commandNames {
            let text = t.run(":help \(command)")
            #expect(text.hasPrefix(":\(command)"), "\(command)")
            #expect(text.contains("\n\nExample:\n    "), "\(command)")
            #expect(text.split(separator: "\n").allSatisfy { $0.count <= 78 }, "\(command)")
        }
        #expect(t.errors.isEmpty)
    }

    @Test(arguments: [
        (":gr L", ":grad L"), (":g L", ":grad L"), (":b L", ":backward L"), (":ba L", ":backward L"),
        (":z L", ":zero L"), (":n a 0.001 L", ":nudge a 0.001 L"), (":c L", ":check L"),
        (":to L", ":topo L"), (":v", ":vars"), (":h nudge", ":help nudge"), (":he", ":help"),
        (":st 0.01 L", ":step 0.01 L"), (":sto", ":stop"), (":tr L 2 0.01", ":train L 2 0.01"),
    ])
    func aUniquePrefixMeansTheCommand(short: String, full: String) {
        let a = Self.tutorialSession(), b = Self.tutorialSession()
        a.run(":grad L"); b.run(":grad L")
        #expect(a.run(short) == b.run(full))
        #expect(a.errors.split(separator: "\n").first == b.errors.split(separator: "\n").first)
        #expect(a.run(":vars") == b.run(":vars"))
    }

    @Test func quitSetsWantsToQuitAndAScriptStopsThere() {
        let t = Transcript()
        #expect(!t.session.wantsToQuit)
        #expect(t.run("print(1)\n:quit\nprint(2)") == "1")
        #expect(t.session.wantsToQuit)
        #expect(t.errors.isEmpty)
        let u = Transcript()
        u.run(":q")
        #expect(u.session.wantsToQuit)
    }
}

/// The command table is the one list that help, completion and dispatch read.
@Suite struct CommandTableTests {
    @Test func everyCommandIsListedOnceHelpedAndRun() {
        let names = Session.commandNames
        #expect(Set(names).count == names.count, "a name is registered twice")
        let t = Transcript()
        let overview = t.run(":help")
        for name in names {
            // :help lists it, and explains it on its own with an example.
            #expect(overview.contains(":" + name), "\(name) missing from :help")
            let help = t.run(":help \(name)")
            #expect(help.contains("Example:"), "\(name): \(help)")
            // Typed in full it reaches the command (its own usage error, never 'not a command').
            t.type(":\(name) 1 2 3 4 5")
            #expect(!t.errors.contains("is not a command"), "\(name): \(t.errors)")
        }
        #expect(t.session.completions(line: ":", cursor: 1).candidates.sorted() == names.sorted())
    }
}
