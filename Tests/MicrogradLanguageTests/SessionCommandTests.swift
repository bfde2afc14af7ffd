import MicrogradLanguage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// :train, and the session commands (:topo, :vars, :reset, :seed, :load, :help, :quit).
extension CommandTests {
    @Test func trainLowersTheLossOfTheTutorialsNetwork() {
        let t = Transcript()
        t.run(Self.network)
        let report = t.run(":train loss 20 0.05")
        // (Steps 0 and 2 are the losses Python's micrograd prints for the same network after
        // random.seed(1337), to the last digit.)
        #expect(report.hasPrefix("step 0 loss 6.005402783252284\nstep 2 loss 3.038719710839991\n"))
        #expect(
            report.hasSuffix(
                "step 19 loss 0.05964201764201716\nloss 0.05354162702729173 after 20 steps\n(each step: data -= 0.05 * grad; a step's line\nshows the loss before its update, this one after the last)"
            ))
        #expect(t.progress.count == 20)
        let losses = t.progress.map { Double($0.split(separator: " ").last!)! }
        #expect(losses.last! < losses.first! / 50)
        // The trained network's loss, built afresh, is the one reported.
        #expect(t.run("sum((n(xs) - ys)**2).data") == "0.05354162702729173")
        // Without L: the last root.
        #expect(t.run(":train 2 0.05").contains("after 2 steps"))
        #expect(t.errors.isEmpty)
    }

    /// A target written as a float (`ygt = 1.0`) is a named leaf, as every float typed at
    /// the top level is: :train and :step move the network's parameters and leave it, as a
    /// loop over n.parameters() would. (They moved it too, so the loss went to 0 by bringing
    /// the target down to the output.) A graph without a network still trains its names.
    @Test func trainingMovesTheNetworkNotItsTarget() {
        let t = Transcript()
        t.run("n = MLP(3, [4, 4, 1])\nx = [2.0, 3.0, -1.0]\nygt = 1.0\nloss = (n(x) - ygt)**2")
        t.run(":train loss 20 0.1")
        #expect(t.run("ygt") == "Value(data=1.0)")
        #expect(t.run("x") == "[2.0, 3.0, -1.0]")
        #expect(abs(Double(t.run("n(x).data"))! - 1) < 0.1, "\(t.out)")
        t.run(":grad loss")
        t.run(":step -0.1 loss")
        #expect(t.run("ygt") == "Value(data=1.0)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        // No network: the named leaves are what moves.
        let u = Transcript()
        u.run("a = 2.0\nb = 3.0\nL = (a*b - 1)**2")
        u.run(":train L 3 0.01")
        #expect(u.run("a.data") != "2.0" && u.run("b.data") != "3.0")
    }

    /// :train descends with a positive rate; a negative one is said to climb (:step takes
    /// the sign the other way, so it is an easy slip).
    @Test func trainWarnsOfANegativeRate() {
        let t = Transcript()
        t.run(Self.network)
        t.run(":train loss 2 -0.05")
        #expect(t.errors.contains("warning: the learning rate is -0.05 at step 0"), "\(t.errors)")
        #expect(t.errors.components(separatedBy: "warning:").count == 2)
        t.run(":train loss 2 0.05 - 0.1*k")
        #expect(t.errors.contains("the learning rate is -0.05 at step 1"), "\(t.errors)")
        t.run(":train loss 2 0.05")
        #expect(t.errors.isEmpty)
    }

    /// A network built by hand, its weights in a list: :train moves them all, as the loop
    /// written out does, and says what it moves (it moved only the named bias, and the loss
    /// hardly fell, without a word).
    @Test func trainMovesTheWeightsOfANetworkBuiltByHand() {
        let setup = """
            import random
            random.seed(1)
            w = [Value(random.uniform(-1, 1)) for _ in range(3)]
            b = Value(0.0)
            def neuron(x): return sum((wi*xi for wi, xi in zip(w, x)), b).tanh()
            xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
            ys = [1.0, -1.0, -1.0, 1.0]
            loss = sum((neuron(x) - y)**2 for x, y in zip(xs, ys))
            """
        let t = Transcript()
        t.run(setup)
        let report = t.run(":train loss 5 0.1")
        #expect(
            report.hasPrefix(
                "moving the 4 leaves of loss that your names hold: b and 3 in w (its other 17 leaves, numbers it was given, stay as they are)\n"
            ), "\(report)")
        // The same five steps written out, every parameter moved.
        let u = Transcript()
        u.run(setup)
        u.run(
            """
            for k in range(5):
                loss = sum((neuron(x) - y)**2 for x, y in zip(xs, ys))
                for p in w + [b]: p.grad = 0.0
                loss.backward()
                for p in w + [b]: p.data -= 0.1 * p.grad
            """)
        let final = u.run("sum((neuron(x) - y)**2 for x, y in zip(xs, ys)).data")
        #expect(report.contains("loss \(final) after 5 steps"), "\(report)\n\(final)")
        #expect(t.run("[p.data for p in w]") == u.run("[p.data for p in w]"))
        #expect(t.errors.isEmpty && u.errors.isEmpty, "\(t.errors) \(u.errors)")
        // Inputs held as Values are said to move too, by the name that holds them; every
        // leaf named, :train names them, and :step (the tutorial's update of a, b, c, f)
        // says nothing more than its table.
        let v = Transcript()
        v.run("a = 2.0; b = -3.0\nL = a*b\nvx = [Value(1.0)]\nM = L * vx[0]")
        #expect(v.run(":train L 1 0.01").hasPrefix("moving the 2 leaves of L that your names hold: a and b\n"))
        #expect(v.run(":train M 1 0.01").hasPrefix("moving the 3 leaves of M that your names hold: a, b and 1 in vx\n"))
        #expect(!v.run(":step 0.01 L").contains("moving the"))
    }

    @Test func trainTakesAScheduleInK() {
        let t = Transcript()
        t.run(Self.network)
        let report = t.run(":train loss 10 1 - 0.9*k/100")
        #expect(report.hasPrefix("step 0 loss 6.005402783252284\n"))
        let losses = t.progress.map { Double($0.split(separator: " ").last!)! }
        #expect(losses.count == 10 && losses.last! < losses.first!)
        // With a rate of k the first step moves nothing: steps 0 and 1 see the same loss.
        let u = Transcript()
        u.run(Self.network)
        u.run(":train loss 3 k")
        #expect(u.progress[0] == "step 0 loss 6.005402783252284")
        #expect(u.progress[1] == "step 1 loss 6.005402783252284")
        #expect(u.progress[2] != "step 2 loss 6.005402783252284")
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
        #expect(t.run("loss.data") == "6.005402783252284")
    }

    @Test func anInterruptedTrainingStopsBetweenSteps() {
        let t = Transcript(), reference = Transcript()
        t.run(Self.network)
        reference.run(Self.network)
        t.pressCtrlC(afterChecks: 3)
        #expect(!t.session.run(":train loss 10 0.05", file: "<test>"))
        #expect(t.errors == "Interrupted")
        #expect(t.progress.count == 3)
        t.pressCtrlC(afterChecks: nil)
        // Three whole steps happened: the parameters are exactly those of three steps, and
        // the loss they give is said.
        let trained = reference.run(":train loss 3 0.05").split(separator: "\n")
        let after = trained.first { $0.hasSuffix(" after 3 steps") }!.split(separator: " ")[1]
        #expect(t.out.last == "stopped after 3 of 10 steps: loss is \(after) now", "\(t.out)")
        #expect(t.run("n.parameters()") == reference.run("n.parameters()"))
        #expect(t.run("sum((n(xs) - ys)**2).data") == reference.run("sum((n(xs) - ys)**2).data"))
        // And the session goes on as normal.
        #expect(t.run(":train loss 1 0.05").contains("after 1 step\n"))
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
                name  is                              data          grad
                L     *                               -8.0          0.0
                a     leaf                            2.0           0.0
                b     leaf                            -3.0          0.0
                c     leaf                            10.0          0.0
                f     leaf                            -2.0          0.0
                g     g(x) = x + 1
                k     number                          2
                m     MLP(2, [1], activation='tanh')  3 parameters
                s     'hi'
                xs    list of 2
                y     ReLU                            2.0           0.0
                """)
        // Sets, dicts and long tuples and strings are summed up, as lists are.
        let t2 = Transcript()
        t2.run("a = 2.0\nb = a*3.0\nvisited = set([a, b, a*b, a+b])\nd = {'x': 1}\nlong = tuple(range(20))\nshort = (1, 2)\nw = 'x' * 40")
        #expect(
            t2.run(":vars") == """
                name     is            data  grad
                a        leaf          2.0   0.0
                b        *             6.0   0.0
                d        dict of 1
                long     tuple of 20
                short    (1, 2)
                visited  set of 4
                w        string of 40
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
        // Each command's own way: :nudge's root comes after the leaf and the step.
        t.run("a = 2.0\nk = 3")
        t.run(":nudge a 0.01")
        #expect(t.errors.contains("which Value? name it, as in :nudge a 0.0001 L"), "\(t.errors)")
        t.run(":graph")
        #expect(t.errors.contains("which Value? name it, as in :graph L"), "\(t.errors)")
        t.run(":reset")
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
        (":seed 1.5", "<test>:1:7: error: a seed is a whole number, as in :seed 1337\n:seed 1.5\n      ^"),
        (":seed 1e30", "<test>:1:7: error: a seed is a whole number, as in :seed 1337\n:seed 1e30\n      ^"),
        (":seed", "<test>:1:1: error: usage: :seed N\n:seed\n^"),
        (":seed 1 2", "<test>:1:9: error: usage: :seed N\n:seed 1 2\n        ^"),
    ])
    func badSeeds(line: String, expected: String) {
        let t = Transcript()
        t.run(line)
        #expect(t.errors == expected)
    }

    /// A negative seed is its magnitude, as in Python (random.seed(-1) is random.seed(1):
    /// python3 then draws -0.7312715117751976 from uniform(-1, 1)).
    @Test func aNegativeSeedIsPythons() {
        let t = Transcript()
        t.run(":seed -1\nn = MLP(1, [1])")
        #expect(t.run("n.parameters()[0].data") == "-0.7312715117751976")
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    /// Ctrl-C in a file run by :load says where in the file it stopped (it said only
    /// "Interrupted"), and the lines after it have not run.
    @Test func ctrlCInALoadedFileSaysWhereItStopped() {
        let path = Self.temporaryFile("a = 1\nwhile True: a += 1\nb = 2\n")
        defer { unlink(path) }
        let t = Transcript()
        t.host.isInteractive = true  // (at the prompt)
        t.pressCtrlC(afterChecks: 50)
        t.type(":load \(path)")
        #expect(t.errors.contains("stopped at \(path):2; the lines after it in \(path) did not run"), "\(t.errors)")
        t.pressCtrlC(afterChecks: nil)
        t.run("b")
        #expect(t.errors.contains("'b' is not defined"), "\(t.errors)")
        // Typed at the prompt, no file: only "Interrupted", as before.
        t.pressCtrlC(afterChecks: 50)
        t.type("while True: a += 1")
        #expect(t.errors == "Interrupted", "\(t.errors)")
    }

    /// :reset typed once at the prompt, with work to lose, says what it would forget and
    /// waits to be typed again at once (it forgot everything, with no undo, and Tab
    /// completes it); in a file, or with nothing to lose, it goes ahead.
    @Test func resetAtThePromptAsksFirst() {
        let t = Transcript()
        t.host.isInteractive = true
        t.atPrompt("a = 2.0; b = 3")
        #expect(t.atPrompt(":reset") == ":reset forgets all 2 names and what :save would write; type :reset again to go ahead")
        #expect(t.atPrompt("a") == "Value(data=2.0)")
        // Not right after: it asks again.
        #expect(t.atPrompt(":reset").hasPrefix(":reset forgets all 2 names"))
        // Ctrl-C at the prompt answers no.
        t.session.interruptedAtPrompt()
        #expect(t.atPrompt(":reset").hasPrefix(":reset forgets all 2 names"))
        #expect(t.atPrompt(":reset").hasPrefix("forgot 2 names"))
        #expect(t.session.names.isEmpty)
        #expect(t.atPrompt(":reset").hasPrefix("forgot 0 names"))  // (nothing to lose)
        // A file loaded at the prompt does not :reset what was typed (it wiped it unasked).
        t.atPrompt("kept = 42")
        let path = Self.temporaryFile("b = 3\n:reset\n")
        defer { unlink(path) }
        t.atPrompt(":load \(path)")
        #expect(t.errors.contains("a file loaded at the prompt does not :reset the session"), "\(t.errors)")
        #expect(t.atPrompt("kept") == "42")
        t.host.isInteractive = false
        t.run("c = 1")
        #expect(t.run(":reset").hasPrefix("forgot 3 names"))
    }

    /// A step whose update would take a leaf past the largest float is not made, by :train
    /// or by :step (which left it inf), and a loss that is not finite stops before its
    /// update (one more update ran, and left every leaf nan).
    @Test func trainStopsBeforeALeafIsLostToInfinity() {
        let t = Transcript()
        // (d first, and its update finite: a step that moved leaves until one went bad
        // would have moved it.)
        t.run("d = 1.0\na = 2.0\nc = 3.0\nL = c * a * a + d")
        t.run(":train L 3 1e308")
        #expect(
            t.errors.contains(
                "step 0's update would take a leaf to -inf (its grad times 1e+308 is past the largest float), so it was not made; try a smaller learning rate"
            ),
            "\(t.errors)")
        #expect(t.run("a.data, c.data, d.data") == "(2.0, 3.0, 1.0)")
        t.run(":grad L\n:step 1e308 L")
        #expect(
            t.errors.contains(
                "this step would take a leaf to inf (its grad times 1e308 is past the largest float), so nothing moved; try a smaller learning rate"
            ),
            "\(t.errors)")
        #expect(t.run("a.data, c.data, d.data, L.data") == "(2.0, 3.0, 1.0, 13.0)")
        // A grad that is nan is said to be one, not blamed on the learning rate.
        t.run("a.grad = float('nan')\n:step 0.1 L")
        #expect(
            t.errors.contains(
                "this step would take a leaf to nan (its grad is nan), so nothing moved; a nan in the graph's numbers makes one; find it with :grad"
            ),
            "\(t.errors)")
        #expect(t.run("a.data, d.data") == "(2.0, 1.0)")
        t.run("b = 1e308\nM = b * 10")
        t.run(":train M 2 0.1")
        #expect(
            t.errors.contains("M became inf at step 0; try a smaller learning rate (the leaves are as they were before this step)"),
            "\(t.errors)")
        #expect(t.run("b.data") == "1e+308")
    }

    /// :seed N starts the numbers again from N, and so does a :reset after it: the same
    /// weights each time, and not those of the session's first seed.
    @Test func aResetStartsAgainFromTheSeedGiven() {
        let t = Transcript()
        let weight = "MLP(1, [1]).parameters()[0].data"
        let first = t.run(weight)
        t.run(":seed 5")
        let seeded = t.run(weight)
        #expect(t.run(":reset").hasSuffix("from seed 5 again"), "\(t.out)")
        #expect(t.run(weight) == seeded)
        #expect(seeded != first, "\(seeded) \(first)")
        #expect(t.errors.isEmpty, "\(t.errors)")
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

    /// :grad on a network's graph shows the root and the labelled nodes, and says how to
    /// see the rest: every row of a big graph (65,000 for the two moons) used to be printed.
    @Test func gradOfABigGraphShowsTheLabelledNodes() {
        let t = Transcript()
        t.run("n = MLP(3, [4, 4, 1])\nxs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]")
        t.run("ys = [n(x) for x in xs]\nys[0].label = 'y0'\nloss = sum((y - 1)**2 for y in ys)\nloss.label = 'loss'")
        let table = t.run(":grad loss").split(separator: "\n").map(String.init)
        #expect(table.count == 6, "\(table)")
        #expect(table[0].hasPrefix("node") && table[1].hasPrefix("y0    tanh") && table[2].hasPrefix("loss  +"), "\(table)")
        #expect(table[3].hasPrefix("(loss depends on 362 nodes, more than the 200 a table shows"), "\(table)")
        #expect(t.run("n.parameters()[0].grad != 0") == "True")
        // Up to the cap, every node: one forward pass of the network is 117.
        t.run("one = ys[1]")
        #expect(t.run(":grad one").split(separator: "\n").count == 1 + 117)
    }

    /// A cell that stopped with an error is not in a saved notebook, though what it did
    /// before it stopped stays in the session: the report says the replay lacks it (it
    /// used to promise the whole replay).
    @Test func aSavedNotebookSaysWhatCellsThatStoppedLeaveOut() throws {
        let path = Self.temporaryFile("")
        defer { unlink(path + ".md") }
        let t = Transcript()
        t.run("xs = []\nfor i in range(5):\n    xs.append(i)\n    if i == 3: oops")
        #expect(t.run("len(xs)") == "4")
        #expect(
            t.run(":save! \(path).md").hasSuffix(
                "2 cells.\nLeft out: 1 cell that stopped with an error or Ctrl-C. What it did before stopping is not in the file, so a later cell that needs it may fail when the file runs.\nmicrograd run \(path).md replays the rest"
            ))
        // A :load whose file had an error, after lines that ran, and a :train stopped by Ctrl-C.
        let loaded = Self.temporaryFile("a = 1\nfor i in range(3):\n    a = a + nope\n")
        defer { unlink(loaded) }
        t.run(":load \(loaded)")
        t.run("n = MLP(2, [2, 1])\nL = (n([1.0, 2.0]) - 1)**2")
        t.pressCtrlC(afterChecks: 3)
        t.run(":train L 100 0.01")
        t.pressCtrlC(afterChecks: nil)
        #expect(t.run(":save! \(path).md").contains("Left out: 3 cells that stopped with an error or Ctrl-C. What they did"), "\(t.out)")
    }

    /// A cell with a line that starts with ``` (in its code, or in what it printed) is saved
    /// inside a longer fence, as CommonMark allows, and replays and checks as it ran. (It
    /// was left out of the notebook, the learner's code with it.)
    @Test func aCellWithAFenceInItIsSavedInALongerOne() {
        let path = Self.temporaryFile("") + ".md"
        defer { unlink(path) }
        let t = Transcript()
        #expect(t.session.runTyped("s = \"\"\"\n```\n\"\"\""))
        #expect(t.session.runTyped("print('````x')\nn = len(s)"))
        t.run(":save \(path)")
        #expect(t.out == ["wrote \(path): 2 cells; micrograd run \(path) replays it"], "\(t.out)")
        let text = String(decoding: (try? t.host.readFile(path, limit: 1 << 20)) ?? [], as: UTF8.self)
        #expect(text.contains("\n````micrograd\ns = \"\"\"\n```\n\"\"\"\n````\n"), "\(text)")
        #expect(text.contains("\n`````output\n````x\n`````\n"), "\(text)")
        let lesson = try? Lesson.parse(text, name: "saved")
        #expect(lesson?.steps.compactMap(\.code) == ["s = \"\"\"\n```\n\"\"\"", "print('````x')\nn = len(s)"])
        #expect(lesson?.steps.compactMap(\.expected) == ["````x"])
        // Updating its outputs keeps the fences.
        #expect(Lesson.updating(text, outputs: ["", "````x"]) == text)
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
                <test>:1:7: error: \(path) had errors (shown above); the lines without errors ran
                :load \(path)
                      ^
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
                == "<test>:1:7: error: cannot load /nonexistent/missing.mg: No such file or directory\n:load /nonexistent/missing.mg\n      ^"
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
        // The built-ins, on lines that fit a terminal of 90 columns (the line was wider than
        // 120, and the terminal broke it inside a word).
        #expect(overview.contains("Built-ins: tanh exp log relu sigmoid len sum range zip abs print Value MLP Layer Neuron"))
        #expect(overview.split(separator: "\n").allSatisfy { $0.count <= 92 }, "\(overview)")
        for builtin in ["moons_init", "reversed", "isinstance", "dict"] {
            #expect(overview.contains(" \(builtin) ") || overview.contains(" \(builtin)\n"), "\(builtin)")
        }
        #expect(overview.hasSuffix(":help COMMAND explains one, with an example."))
        let grad = """
            :grad [L]

            Sets every grad in L's graph to 0, runs backward from L, and prints a table of
            every node L depends on: its name (its label, or how it was made), the op that
            made it ('leaf' for a value you typed), its data, and its grad, which is
            dL/d(node). A graph of more than 200 nodes (a network's) is shown by its root
            and its labelled nodes.

            Example:
                a = 2.0; b = -3.0; L = a*b
                :grad L
            """
        #expect(t.run(":help grad") == grad)
        #expect(t.run(":help :grad") == grad)
        #expect(t.run(":help gr") == grad)
        #expect(t.run(":help tanh") == "tanh(x): of a number, a Value (recorded on the graph) or each item of a list")
        #expect(t.run(":help nudge").hasPrefix(":nudge a h [L]\n\nAdds h to a's data"))
        // Python's keywords: what the notebook does with each (":help def" said ":def is not a
        // command; did you mean :dot?").
        #expect(t.run(":help def").hasPrefix("def name(x, y=1.0): starts a function"))
        #expect(t.run(":help for").hasPrefix("for x in xs: runs the indented block"))
        #expect(t.run(":help class").hasPrefix("classes are not part of the notebook: write each method as a function"))
        #expect(t.run(":help try").hasPrefix("try/except is not part of the notebook"))
        for word in [
            "def", "lambda", "return", "for", "while", "if", "import", "global", "nonlocal", "del", "assert", "pass", "class", "with",
        ] {
            #expect(t.run(":help \(word)").split(separator: "\n").allSatisfy { $0.count <= 78 }, "\(word)")
        }
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
