import Micrograd
import MicrogradLanguage
import MicrogradPlatform
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// :graph, :dot, :plot, :explain and :backstep, with their exact output.
@Suite struct PictureTests {
    static let tutorial = "a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d*f\n:grad L"
    static let neuron = """
        x1 = 2.0; x2 = 0.0; w1 = -3.0; w2 = 1.0; b = 6.8813735870195432
        n = x1*w1 + x2*w2 + b
        o = n.tanh()
        :grad o
        """

    /// A label's control characters are shown as escapes wherever a node is named: a
    /// label cannot break a drawing's lines or send the terminal an escape sequence.
    @Test func aLabelsControlCharactersAreShownAsEscapes() {
        let t = Transcript()
        t.run("a = Value(1.0)\na.label = 'a\\nb\\x1b[31mRED'\nb = a * 3")
        for command in [":graph b", ":topo b", "help(a)"] {
            let out = t.run(command)
            #expect(out.contains("a\\nb\\x1b[31mRED"), "\(command): \(out)")
            #expect(!out.contains("\u{1B}") && !out.contains("a\nb"), "\(command): \(out.debugDescription)")
        }
        // A string's repr escapes the same way (a line end of two characters, and the
        // one-byte escape 0x9B, were shown raw), and a label with none is drawn as it is.
        #expect(t.run("'x\\r\\ny'\n'\\x9b[31m'\n'a\\\\b'") == "'x\\r\\ny'\n'\\x9b[31m'\n'a\\\\b'")
        t.run("a.label = 'a\\\\b'")
        #expect(t.run(":graph b").contains("[a\\b │"), "\(t.out)")
    }

    /// A DOT file holds no control characters: a NUL in a label made one dot could not read.
    @Test func aDotFileHoldsNoControlCharacters() throws {
        let t = Transcript()
        let path = "/tmp/micrograd-dot-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).dot"
        defer { unlink(path) }
        t.run("a = Value(2.0)\na.label = 'x\\x00y\\x07'\nb = a * 2\n:dot b \(path)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        let bytes = try #require(try? Files.read(path, limit: 1 << 20))
        #expect(!bytes.contains(where: { $0 < 0x20 && $0 != 0x0A }))
        #expect(String(decoding: bytes, as: UTF8.self).contains("x\u{FFFD}y\u{FFFD}"))
    }

    /// A Chinese (or emoji) label takes two columns a character on a terminal: the
    /// drawing's lines are padded by columns, so the joints line up under each other.
    @Test func wideLabelsKeepTheDrawingInLine() {
        let t = Transcript()
        t.run("a = Value(2.0, label='损失')\nb = Value(3.0, label='b')\nc = a*b; c.label = '結果🙂'")
        #expect(
            t.run(":graph c") == """
                [损失 │ 2.0 │ 0.0]─┐
                                   ├─(*)─[結果🙂 │ 6.0 │ 0.0]
                [b │ 3.0 │ 0.0]────┘
                """)
        // Tables too: a column is as wide as its widest cell on the screen.
        t.run("x = Value(2.0, label='日本')\ny = Value(3.0, label='y')\nz = x*y")
        #expect(t.run(":grad z") == "node  op    data  grad\n日本  leaf  2.0   3.0\ny     leaf  3.0   2.0\nz     *     6.0   1.0")
        // Sliced to the terminal's width by columns too: each slice is at most 20 wide.
        t.host.width = 20
        #expect(
            t.run(":graph c") == """
                (columns 1–20 of 45)
                [损失 │ 2.0 │ 0.0]─┐
                                   ├
                [b │ 3.0 │ 0.0]────┘
                (columns 21–40 of 45)

                ─(*)─[結果🙂 │ 6.0 │

                (columns 41–45 of 45)

                 0.0]

                """)
    }

    @Test func graphOfTheTutorialsExpression() {
        let t = Transcript()
        t.run(Self.tutorial)
        #expect(
            t.run(":graph L") == """
                [a │ 2.0 │ 6.0]───┐
                                  ├─(*)─[e │ -6.0 │ -2.0]─┐
                [b │ -3.0 │ -4.0]─┘                       ├─(+)─[d │ 4.0 │ -2.0]─┐
                                                          │                      │
                [c │ 10.0 │ -2.0]─────────────────────────┘                      ├─(*)─[L │ -8.0 │ 1.0]
                                                                                 │
                [f │ -2.0 │ 4.0]─────────────────────────────────────────────────┘
                """)
        #expect(
            t.run(":graph L --ascii") == """
                [a | 2.0 | 6.0]---+
                                  +-(*)-[e | -6.0 | -2.0]-+
                [b | -3.0 | -4.0]-+                       +-(+)-[d | 4.0 | -2.0]-+
                                                          |                      |
                [c | 10.0 | -2.0]-------------------------+                      +-(*)-[L | -8.0 | 1.0]
                                                                                 |
                [f | -2.0 | 4.0]-------------------------------------------------+
                """)
    }

    @Test func graphOfTheNeuronAndOfANodeUsedTwice() {
        let t = Transcript()
        t.host.width = 200
        t.run(Self.neuron)
        #expect(
            t.run(":graph o") == """
                [x1 │ 2.0 │ -1.5]─┐
                                  ├─(*)─[x1*w1 │ -6.0 │ 0.5]─┐
                [w1 │ -3.0 │ 1.0]─┘                          │
                                                             ├─(+)─[x1*w1 + x2*w2 │ -6.0 │ 0.5]─┐
                [x2 │ 0.0 │ 0.5]─┐                           │                                  │
                                 ├─(*)─[x2*w2 │ 0.0 │ 0.5]───┘                                  ├─(+)─[n │ 0.8814 │ 0.5]───(tanh)─[o │ 0.7071 │ 1.0]
                [w2 │ 1.0 │ 0.0]─┘                                                              │
                                                                                                │
                [b │ 6.8814 │ 0.5]──────────────────────────────────────────────────────────────┘
                """)
        t.run("z = x1 + x1\n:grad z")
        #expect(t.run(":graph z") == "[x1 │ 2.0 │ 2.0]───┐\n                   ├─(+)─[z │ 4.0 │ 1.0]\n↺ x1 (drawn above)─┘")
    }

    @Test func aGraphTooWideIsFoldedAndTooLargeIsSummarised() {
        let t = Transcript()
        t.host.width = 40
        t.run(Self.tutorial)
        let folded = t.run(":graph L")
        #expect(folded.hasPrefix("(columns 1–40 of 87)\n[a │ 2.0 │ 6.0]───┐"))
        #expect(folded.split(separator: "\n").allSatisfy { $0.count <= 40 })
        t.run("n = MLP(3, [4, 4, 1]); y = n([1.0, 2.0, 3.0])")
        let summary = t.run(":graph y")
        #expect(summary.hasPrefix("y depends on "))
        #expect(summary.replacing("\n", with: " ").contains("too many to draw here (more than 60)"))
        #expect(summary.split(separator: "\n").allSatisfy { $0.count <= 40 })  // folded to the width
        #expect(summary.contains(":dot y FILE"))
    }

    @Test func explainWalksEveryPath() {
        let t = Transcript()
        t.run(Self.tutorial)
        #expect(
            t.run(":explain a L") == """
                dL/da by the chain rule: one path from L down to a

                path 1: L → d → e → a
                  ∂L/∂d = f = -2.0
                  ∂d/∂e = 1
                  ∂e/∂a = b = -3.0
                  product: -2.0 × 1.0 × -3.0 = 6.0

                dL/da = 6.0
                backward gives a.grad = 6.0
                """)
        t.run("q = a*a + a")
        #expect(
            t.run(":explain a q") == """
                dq/da by the chain rule: 3 paths from q down to a

                path 1: q → a*a → a
                  ∂q/∂(a*a) = 1
                  ∂(a*a)/∂a = a = 2.0
                  product: 1.0 × 2.0 = 2.0

                path 2: q → a*a → a
                  ∂q/∂(a*a) = 1
                  ∂(a*a)/∂a = a = 2.0
                  product: 1.0 × 2.0 = 2.0

                path 3: q → a
                  ∂q/∂a = 1
                  product: 1.0

                sum over paths: 2.0 + 2.0 + 1.0 = 5.0
                backward gives a.grad = 5.0
                """)
        t.run(":explain L a")
        #expect(t.errors.contains("a does not depend on L"))
    }

    @Test func aLongPathShowsItsEndsAndBigGraphsAreRefusedByDot() {
        // Down a sum of thousands of terms every path is thousands of steps: :explain shows
        // the first and last six of each (all of them were millions of lines).
        let t = Transcript()
        t.run("a = 2.0\nL = a * 3.0\nfor k in range(20):\n    L = L + 1.0")
        let explained = t.run(":explain a L")
        #expect(explained.contains("path 1: L → "), "\(explained)")
        #expect(explained.contains("… 9 more →"))
        #expect(explained.contains("  … 9 more steps, each its local derivative"))
        #expect(explained.contains("  product: 1.0 × 1.0 × 1.0 × 1.0 × 1.0 × 1.0 × … 9 more × 1.0 × 1.0 × 1.0 × 1.0 × 1.0 × 3.0 = 3.0"))
        #expect(explained.split(separator: "\n").count < 25)
        #expect(explained.hasSuffix("backward gives a.grad = 3.0"))
        // :dot writes at most 100,000 values; past :svg's 5,000 it says where to draw them.
        let big = "/tmp/micrograd-test-\(getpid())-big.dot", huge = "/tmp/micrograd-test-\(getpid())-huge.dot"
        defer { unlink(big) }
        t.run("xs = [Value(1.0 * k) for k in range(6000)]\nS = sum(xs)")
        #expect(t.run(":dot S \(big)").contains("wrote \(big) (12001 values); too many to draw here (:svg draws up to 5000)"))
        t.run("ys = [Value(1.0 * k) for k in range(51000)]\nT = sum([y * y for y in ys])")
        t.run(":dot T \(huge)")
        #expect(t.errors.contains("T's graph has 153001 values; :dot writes at most 100000"), "\(t.errors)")
        #expect(access(huge, F_OK) != 0)  // (refused before anything was written)
    }

    /// A node too long to write out is shown as #N, and the commands :graph suggests with
    /// it take #N (they read it as a comment, and failed); once the nodes have moved, #N is
    /// refused with why, never taken for another node.
    @Test func aNodeShownByItsNumberCanBeTypedBack() {
        let t = Transcript()
        t.run("nm = MLP(3, [4, 4, 1])")
        let summary = t.run(":graph nm([2.0, 3.0, -1.0])")
        #expect(summary.contains(":dot #116 FILE writes it for Graphviz, and :svg #116 FILE draws it"), "\(summary)")
        let path = "/tmp/micrograd-test-\(getpid())-numbered.dot"
        defer { unlink(path) }
        #expect(t.run(":dot #116 \(path)").hasPrefix("wrote \(path) (117 values)"))
        #expect(t.run(":grad #116").contains("#116                      tanh  0.42767811248845455    1.0"))
        #expect(t.run(":nudge nm.parameters()[0] 0.001 #116").contains("slope (after - before)/h"), "\(t.errors)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        t.run(":grad #9999")
        #expect(t.errors.contains("#9999 is not a node shown by its number since the nodes were last numbered anew"))
        t.run(":grad #3")  // (a node, but never shown by its number)
        #expect(t.errors.contains("#3 is not a node shown by its number"), "\(t.errors)")
        // A compaction moves the nodes: a number shown before is refused, even once other
        // nodes have been shown by their new numbers.
        t.session.compactionThreshold = 10
        t.run("junk = 1.0")
        t.session.compactionThreshold = 2_000_000
        t.run("more = [Value(1.0) for k in range(500)]")  // (so that no new number is 116)
        #expect(t.run(":grad nm([2.0, 3.0, -1.0])").contains("#"))
        t.run(":grad #116")
        #expect(t.errors.contains("#116 is not a node shown by its number since the nodes were last numbered anew"), "\(t.errors)")
    }

    @Test func explainOnTheNeuron() {
        let t = Transcript()
        t.run(Self.neuron)
        #expect(
            t.run(":explain w1 o").contains(
                """
                  ∂o/∂n = 1 - o² = 0.4999999999999999
                  ∂n/∂(x1*w1 + x2*w2) = 1
                  ∂(x1*w1 + x2*w2)/∂(x1*w1) = 1
                  ∂(x1*w1)/∂w1 = x1 = 2.0
                  product: 0.4999999999999999 × 1.0 × 1.0 × 2.0 = 0.9999999999999998
                """))
    }

    /// The sum over paths is the gradient backward computes, on random graphs.
    @Test func explainAgreesWithBackwardOnRandomGraphs() {
        var rng = PythonRandom(seed: 99)
        for round in 0..<40 {
            let t = Transcript()
            var names = ["a", "b", "c"]
            t.run(
                "a = \(Double.random(in: 0.5...2, using: &rng)); b = \(Double.random(in: 0.5...2, using: &rng)); c = \(Double.random(in: 0.5...2, using: &rng))"
            )
            for i in 0..<8 {
                let x = names.randomElement(using: &rng)!, y = names.randomElement(using: &rng)!
                let op = ["+", "*", "-"].randomElement(using: &rng)!
                let form = ["\(x) \(op) \(y)", "(\(x) \(op) \(y)).tanh()", "\(x)**2 \(op) \(y)", "\(x) / (\(y)*\(y) + 1)"].randomElement(
                    using: &rng)!
                t.run("v\(i) = \(form)")
                names.append("v\(i)")
            }
            let report = t.run(":explain a v7")
            guard !report.isEmpty, !report.contains("only the first 50 paths") else { continue }
            let lines = report.split(separator: "\n")
            let sum = Double(lines.first { $0.hasPrefix("sum over paths") || $0.hasPrefix("dv7/da = ") }!.split(separator: " ").last!)!
            let backward = Double(lines.last!.split(separator: " ").last!)!
            #expect(abs(sum - backward) <= 1e-12 * max(1, abs(backward)), "round \(round): \(sum) vs \(backward)")
        }
    }

    /// :explain counts every path, not only those it writes out: x = x + x sixty times has
    /// 2**60 from x down to a, and it said "50 paths".
    @Test func explainCountsThePathsItDoesNotShow() {
        let t = Transcript()
        t.run("a = 2.0\nx = a\nfor i in range(60):\n    x = x + x\ny = a\nfor i in range(6):\n    y = y + y")
        #expect(
            t.run(":explain a x").hasPrefix("dx/da by the chain rule: the first 50 of about 1.152921504606847e+18 paths from x down to a\n")
        )
        #expect(t.run(":explain a y").hasPrefix("dy/da by the chain rule: the first 50 of 64 paths from y down to a\n"))
        // Past what a Double counts: said so, not 'about inf'.
        t.run("z = a\nfor i in range(1100):\n    z = z + z*0.5")
        #expect(t.run(":explain a z").hasPrefix("dz/da by the chain rule: the first 50 of more than 1e308 paths from z down to a\n"))
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    @Test func backstepInAScriptRunsToTheEnd() {
        let t = Transcript()
        t.run(Self.tutorial)
        #expect(
            t.run(":backstep L") == """
                backward from L, one node at a time: every grad in its graph is 0, and L.grad = 1
                step 1: L = * of d, f, with grad dL/dL = 1.0
                  d.grad += ∂L/∂d × L.grad
                      = (f = -2.0) × 1.0: 0.0 → -2.0
                  f.grad += ∂L/∂f × L.grad
                      = (d = 4.0) × 1.0: 0.0 → 4.0
                step 2: d = + of e, c, with grad dL/dd = -2.0
                  e.grad += ∂d/∂e × d.grad
                      = (1) × -2.0: 0.0 → -2.0
                  c.grad += ∂d/∂c × d.grad
                      = (1) × -2.0: 0.0 → -2.0
                step 3: e = * of a, b, with grad dL/de = -2.0
                  a.grad += ∂e/∂a × e.grad
                      = (b = -3.0) × -2.0: 0.0 → 6.0
                  b.grad += ∂e/∂b × e.grad
                      = (a = 2.0) × -2.0: 0.0 → -4.0
                done: every node of L's graph holds dL/d(node), as backward would leave it
                """)
        #expect(t.run("a.grad; b.grad") == "6.0\n-4.0")
    }

    /// A node with no name of its own is written as its formula, and a formula or a negative
    /// number is parenthesised wherever it is a term: `(a*b + c).grad`, not `a*b + c.grad`.
    @Test func backstepGroupsFormulasAndNegativeNumbers() {
        let t = Transcript()
        t.run("a = Value(2.0); b = Value(-3.0); c = Value(10.0)")
        t.run("L = (a*b + c)*Value(-2.0)")
        let lines = t.run(":backstep L").split(separator: "\n").map(String.init)
        #expect(lines.contains("  (a*b + c).grad += ∂L/∂(a*b + c) × L.grad"), "\(lines)")
        #expect(lines.contains("  (-2.0).grad += ∂L/∂(-2.0) × L.grad"), "\(lines)")
        #expect(lines.contains("  (a*b).grad += ∂(a*b + c)/∂(a*b) × (a*b + c).grad"), "\(lines)")
        #expect(lines.contains("  c.grad += ∂(a*b + c)/∂c × (a*b + c).grad"), "\(lines)")
        // (A number's exponent is not a minus.)
        t.run("M = a * 1e-05")
        #expect(t.run(":backstep M").contains("  1e-05.grad += ∂M/∂1e-05 × M.grad"))
    }

    @Test func backstepAtAKeyboardWaitsAndCanStop() {
        let t = Transcript()
        t.host.isInteractive = true
        t.run("a = 3.0; q = a*a + a")
        let first = t.run(":backstep q")
        #expect(first.hasSuffix("(Enter or :next for the next node, :stop to end here)"))
        #expect(t.session.isStepping)  // Enter now means :next
        #expect(
            t.run(":next") == """
                step 2: a*a = * of a, a, with grad dq/d(a*a) = 1.0
                  a.grad += ∂(a*a)/∂a × (a*a).grad
                      = (a = 3.0) × 1.0: 1.0 → 4.0
                  a.grad += ∂(a*a)/∂a × (a*a).grad
                      = (a = 3.0) × 1.0: 4.0 → 7.0
                done: every node of q's graph holds dq/d(node), as backward would leave it
                """)
        t.run(":backstep q")
        #expect(t.run(":stop") == "stopped after 1 of 2 nodes; the grads are as far as they got")
        #expect(t.run("a.grad") == "1.0")
    }

    @Test func dotIsTheTutorialsDrawingAndGraphvizAcceptsIt() throws {
        let t = Transcript()
        t.run(Self.tutorial)
        let dot = t.run(":dot L")
        #expect(dot.hasPrefix("digraph {\n  rankdir=LR;"))
        #expect(dot.contains("n0 [shape=record, label=\"{ a | data 2.0000 | grad 6.0000 }\"];"))
        #expect(dot.contains("n3op [label=\"*\"];\n  n3op -> n3;\n  n0 -> n3op;\n  n1 -> n3op;"))
        let path = "/tmp/micrograd-test-\(getpid())-graph.svg"
        defer { unlink(path) }
        t.run(":svg L \(path)")
        #expect(t.errors.isEmpty, "Graphviz's dot must be installed (scripts/setup) and accept the DOT: \(t.errors)")
        let svg = String(decoding: try Files.read(path, limit: 1 << 24), as: UTF8.self)
        #expect(svg.contains("<svg") && svg.contains("grad 6.0000"))
        t.run(":png L /nonexistent-dir/x.png")
        #expect(t.errors.contains("cannot write /nonexistent-dir/x.png: there is no folder /nonexistent-dir; make it first"), "\(t.errors)")
        // A picture named for another kind is refused, with the name it should have.
        t.run(":svg L /tmp/micrograd-test-\(getpid())-graph.png")
        #expect(
            t.errors.contains(
                "/tmp/micrograd-test-\(getpid())-graph.png ends in .png, but :svg writes an SVG; name it /tmp/micrograd-test-\(getpid())-graph.svg, or use :png"
            ), "\(t.errors)")
        t.run(":dot L /tmp/micrograd-test-\(getpid())-graph.SVG")
        #expect(t.errors.contains("ends in .SVG, but :dot writes a DOT file"), "\(t.errors)")
        #expect(access("/tmp/micrograd-test-\(getpid())-graph.png", F_OK) != 0)
        t.run(":svg L /tmp/micrograd-test-\(getpid())-graph.jpg")
        #expect(
            t.errors.contains("graph.jpg ends in .jpg, but :svg writes an SVG; name it /tmp/micrograd-test-\(getpid())-graph.svg"),
            "\(t.errors)")
        #expect(!t.errors.contains(", or use"), "\(t.errors)")
        t.run(":svg L /tmp/micrograd-test-\(getpid())-graph.gv")
        #expect(
            t.errors.contains("ends in .gv, but :svg writes an SVG; name it /tmp/micrograd-test-\(getpid())-graph.svg, or use :dot"),
            "\(t.errors)")
        // A graph of a few hundred nodes, which Graphviz can take minutes over, is said to
        // be drawing while it is (it looked like a hang); a small one is not.
        #expect(!t.progress.contains { $0.contains("Graphviz is drawing") })
        t.run("S = sum(Value(float(i)) for i in range(110))")
        t.run(":svg S \(path)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(
            t.progress.contains("Graphviz is drawing 221 nodes; a graph this size can take a while (Ctrl-C stops it)"),
            "\(t.progress)")
    }

    /// Labels in e-notation keep their sign: -1e7 was shown as 1.0e7, so a falling curve
    /// looked as if it rose.
    @Test func aNegativeLabelInENotationKeepsItsSign() {
        let t = Transcript()
        t.run("def g(x):\n    return -1e7 * x*x")
        let plot = t.run(":plot g 1 2")
        #expect(plot.hasPrefix("g(x) for x from 1 to 2\n-1.0e7 ┤"), "\(plot)")
        #expect(plot.contains("\n-4.0e7 ┤"), "\(plot)")
        let wide = t.run(":plot abs -1e10 1e10")
        #expect(wide.hasPrefix("abs(x) for x from -1.0e10 to 1.0e10\n"), "\(wide)")
        #expect(wide.contains("-1.0e10") && wide.hasSuffix("1.0e10   x"), "\(wide)")
    }

    /// Between whole ends (steps, say) the middle tick is whole too: a loss over 100,000
    /// steps had 49999.5 under it. Between ends one apart it is a fraction, as it must be.
    @Test func theMiddleTickBetweenWholeEndsIsWhole() {
        let t = Transcript()
        t.run("def g(x):\n    return x")
        let steps = t.run(":plot g 0 99999")
        #expect(steps.hasSuffix("0                                 49999                            99999   x"), "\(steps)")
        #expect(t.run(":plot g 0 1").contains("0.5"))
    }

    @Test func plotsCellByCell() {
        let t = Transcript()
        t.host.width = 30  // a 20-column plot
        t.run("g(x) = x")
        #expect(
            t.run(":plot g -1 1 --ascii") == """
                g(x) for x from -1 to 1
                 1 |                   *
                   |                 **
                   |                *
                   |              **
                   |             *
                   |           **
                   |          *
                 0 |---------*----------
                   |       **
                   |      *
                   |    **
                   |   *
                   | **
                -1 |*
                   +--------------------
                    -1        0        1   x
                """)
        let braille = t.run(":plot tanh -3 3")
        let rows = braille.split(separator: "\n")
        #expect(rows.count == 18 && rows[0] == "tanh(x) for x from -3 to 3")
        #expect(rows[1].hasPrefix(" 0.995 ┤") && rows[14].hasPrefix("-0.995 ┤"))
        #expect(braille.contains("┈"))  // the zero line
        // At 30 columns the axis's name has no room beside the last tick: it goes under it.
        #expect(rows[15].hasSuffix("─") && rows[16].hasSuffix("3") && rows[17].hasSuffix("x"))
        #expect(rows.allSatisfy { $0.count <= 29 })
        t.run(":plot loss")
        #expect(t.errors.contains("no training to plot yet"))
        t.run("n = MLP(2, [3, 1]); loss = sum((n([[1.0, 2.0], [2.0, 1.0]]) - [1.0, -1.0])**2)")
        t.run(":train loss 30 0.05")
        let lossPlot = t.run(":plot loss --ascii").split(separator: "\n")
        #expect(lossPlot.first == "loss per step (30 steps)")
        #expect(lossPlot.last?.hasSuffix("step") == true && lossPlot[lossPlot.count - 2].hasSuffix("29"))
        #expect(lossPlot[1].contains("*") && lossPlot[1].hasPrefix(" "))  // the first, highest loss is top left
    }

    @Test func decisionBoundaryOfATwoInputNetwork() {
        let t = Transcript()
        t.host.width = 44  // a 40-column picture
        t.run("n = MLP(2, [4, 1]); xs = [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]]; ys = [1.0, 1.0, -1.0, -1.0]")
        let before = t.session.graph.count
        let picture = t.run(":plot n xs ys --ascii")
        let rows = picture.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(rows.count == 29)  // the key under it folds to the picture's width
        #expect(rows.allSatisfy { $0.count <= 42 })
        #expect(rows[0] == "+" + String(repeating: "-", count: 40) + "+")
        #expect(rows[1...24].allSatisfy { $0.count == 42 && $0.hasPrefix("|") && $0.hasSuffix("|") })
        let marks = rows[1...24].joined().filter { "oOxX".contains($0) }
        #expect(marks.count == 4 && marks.filter { $0 == "o" || $0 == "O" }.count == 2)
        #expect(rows[26...].joined(separator: " ").hasPrefix(". where the network scores above 0; o and x are points labelled 1 and -1"))
        #expect(t.session.graph.count == before)  // the grid's forward passes left no nodes behind
        t.run(":plot n xs")
        #expect(t.errors.contains("usage: :plot n xs ys"))
    }
}
