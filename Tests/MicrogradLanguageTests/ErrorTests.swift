import Foundation
import MicrogradLanguage
import Testing

/// Errors: the whole of what goes to standard error, `<test>:LINE:COL: error: message`, the
/// line, and a caret pinned under the place.
@Suite struct ErrorTests {
    /// Standard error of `source` run in a fresh session; standard output must be `out`.
    static func stderr(of source: String, out: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let t = Transcript()
        let printed = t.run(source)
        #expect(printed == out, "\(source)", sourceLocation: sourceLocation)
        return t.errors
    }

    /// A diagnostic as the session formats it.
    static func diagnostic(_ line: Int, _ column: Int, _ message: String, _ source: String, severity: String = "error") -> String {
        "<test>:\(line):\(column): \(severity): \(message)\n\(source)\n" + String(repeating: " ", count: column - 1) + "^"
    }

    @Test(arguments: [
        ("x = (1 + 2", diagnostic(1, 11, "the line ended early: expected ')' to close the '(' at 1:5", "x = (1 + 2")),
        ("y = 1 + 2)", diagnostic(1, 10, "unexpected ')': expected the end of the statement", "y = 1 + 2)")),
        ("[1, 2", diagnostic(1, 6, "the line ended early: expected ']' to close the '[' at 1:1", "[1, 2")),
        ("f(1, 2", diagnostic(1, 7, "the line ended early: expected ')' to close the call", "f(1, 2")),
        ("(1]", diagnostic(1, 3, "unexpected ']': expected ')' to close the '(' at 1:1", "(1]")),
        ("x = )", diagnostic(1, 5, "unexpected ')': expected a number, a name, '(' or '['", "x = )")),
        ("xs[0", diagnostic(1, 5, "the line ended early: expected ']' to close the index", "xs[0")),
        ("1 +", diagnostic(1, 4, "the line ended early: expected a number, a name, '(' or '['", "1 +")),
    ])
    func unbalancedBrackets(source: String, expected: String) {
        #expect(Self.stderr(of: source) == expected)
    }

    @Test(arguments: [
        ("alpha = 2.0\nalpah + 1", diagnostic(2, 1, "'alpah' is not defined; did you mean 'alpha'?", "alpah + 1")),
        ("tnah(1.0)", diagnostic(1, 1, "'tnah' is not defined; did you mean 'tanh'?", "tnah(1.0)")),
        ("a = 2.0\nb = a * nope", diagnostic(2, 9, "'nope' is not defined; give it a value first, as in nope = 2.0", "b = a * nope")),
        (
            "learning_rate = 0.1\nlearning_rat",
            diagnostic(2, 1, "'learning_rat' is not defined; did you mean 'learning_rate'?", "learning_rat")
        ),
        ("zz[0] = 1", diagnostic(1, 1, "'zz' is not defined; give it a value first, as in zz = 2.0", "zz[0] = 1")),
        // A typo in an argument is found where it is, not at the call.
        ("a = 2.0\ntanh(a + bb)", diagnostic(2, 10, "'bb' is not defined; give it a value first, as in bb = 2.0", "tanh(a + bb)")),
    ])
    func unknownNames(source: String, expected: String) {
        #expect(Self.stderr(of: source) == expected)
    }

    @Test(arguments: [
        (":frob", diagnostic(1, 1, ":frob is not a command; :help lists them", ":frob")),
        (":grd L", diagnostic(1, 1, ":grd is not a command; did you mean :grad?", ":grd L")),
        (":nuge a 1", diagnostic(1, 1, ":nuge is not a command; did you mean :nudge?", ":nuge a 1")),
        ("   :frob", diagnostic(1, 4, ":frob is not a command; :help lists them", "   :frob")),
        (":", diagnostic(1, 1, "a command name goes after ':'; :help lists them", ":")),
        (":help zork", diagnostic(1, 7, ":zork is not a command; did you mean :zero?", ":help zork")),
        (":quit now", diagnostic(1, 7, "usage: :quit", ":quit now")),
        (":nudge", diagnostic(1, 1, "usage: :nudge a h [L]", ":nudge")),
        (":grad a b", diagnostic(1, 9, "usage: :grad [L]", ":grad a b")),
    ])
    func unknownCommands(source: String, expected: String) {
        #expect(Self.stderr(of: source) == expected)
    }

    @Test func aPrefixSharedByCommandsMeansTheFirstInTheList() {
        // Not an error: as in GHCi, :g is :grad, :gra is :grad, :grap is :graph, :s is :step.
        let t = Transcript()
        t.run("a = 2.0; b = -3.0; L = a*b")
        let table = "node  op    data  grad\na     leaf  2.0   -3.0\nb     leaf  -3.0  2.0\nL     *     -6.0  1.0"
        #expect(t.run(":g L") == table)
        #expect(t.run(":gra L") == table)
        #expect(t.run(":grap L").contains("(*)"))
        #expect(t.run(":s 0.5 L") == "L: -6.0 -> -1.0  (each leaf: data += 0.5 * grad)")
        #expect(t.errors.isEmpty)
    }

    @Test(arguments: [
        ("a = 2.0\na.dat", diagnostic(2, 2, "a Value has no attribute 'dat'; did you mean 'data'?", "a.dat")),
        (
            "a = 2.0\na.foo",
            diagnostic(
                2, 2,
                "a Value has no attribute 'foo' (it has data, grad, label, op, inputs, _op, _prev; and methods tanh(), exp(), log(), relu(), sigmoid(), backward(), _backward(), zero_grad(), and Python's operator methods, such as __add__() and __mul__())",
                "a.foo")
        ),
        ("a = 2.0\na.tanh", diagnostic(2, 2, "tanh is a method; call it: .tanh()", "a.tanh")),
        ("a = 2.0\na.data()", diagnostic(2, 7, "data is a number, not something to call; leave out the (): a.data", "a.data()")),
        ("a = 2.0\na.tnah()", diagnostic(2, 2, "a Value has no attribute 'tnah'; did you mean 'tanh'?", "a.tnah()")),
        ("n = MLP(2, [1])\nn.layer", diagnostic(2, 2, "an MLP has no attribute 'layer'; did you mean 'layers'?", "n.layer")),
        ("xs = [1]\nxs.data", diagnostic(2, 3, "a list has no attribute 'data'", "xs.data")),
        ("a = 2.0\na.gradd", diagnostic(2, 2, "a Value has no attribute 'gradd'; did you mean 'grad'?", "a.gradd")),
    ])
    func unknownAttributes(source: String, expected: String) {
        #expect(Self.stderr(of: source) == expected)
    }

    @Test(arguments: [
        ("g(a, b) = a*b\ng(1)", diagnostic(2, 2, "g(a, b) takes 2 arguments, not 1", "g(1)")),
        ("g(a, b) = a*b\ng(1, 2, 3)", diagnostic(2, 2, "g(a, b) takes 2 arguments, not 3", "g(1, 2, 3)")),
        ("h(x) = x\nh()", diagnostic(2, 2, "h(x) takes 1 argument, not 0", "h()")),
        ("h(x) = x\nh(x=1)", diagnostic(2, 2, "h takes its arguments by position, as in h(x)", "h(x=1)")),
        (
            "tanh(1, 2)",
            diagnostic(
                1, 5, "tanh takes 1 argument, not 2. tanh(x): of a number, a Value (recorded on the graph) or each item of a list",
                "tanh(1, 2)")
        ),
        ("len()", diagnostic(1, 4, "len takes 1 argument, not 0. len(xs): how many items a list has", "len()")),
        (
            "range(1, 2, 3, 4)",
            diagnostic(
                1, 6, "range takes 1 to 3 arguments, not 4. range(n) or range(a, b): the numbers a, a+1, …, b-1", "range(1, 2, 3, 4)")
        ),
        (
            "MLP(3)",
            diagnostic(
                1, 4,
                "MLP takes 2 arguments, not 1. MLP(3, [4, 4, 1]): 3 inputs, layers of 4, 4 and 1 neurons, tanh throughout (the video's); MLP(2, [16, 16, 1], activation='relu', output='linear') is micrograd's repo's",
                "MLP(3)")
        ),
        ("x = 2.0\nx.tanh(1)", diagnostic(2, 8, ".tanh() takes no arguments", "x.tanh(1)")),
        (
            "Value(1.0, name='a')",
            diagnostic(
                1, 17,
                "Value has no argument named 'name'. Value(2.0) or Value(2.0, label='a'): a new leaf; Value(data, (a, b), 'op') a node of your own",
                "Value(1.0, name='a')")
        ),
        ("n = MLP(3, [1])\nn([1.0, 2.0])", diagnostic(2, 3, "the network takes 3 inputs, but this list has 2", "n([1.0, 2.0])")),
    ])
    func wrongArgumentCounts(source: String, expected: String) {
        #expect(Self.stderr(of: source) == expected)
    }

    @Test(arguments: [
        ("y = 2x", diagnostic(1, 6, "a number runs into a name here; put an operator between them (2*x, not 2x)", "y = 2x")),
        ("2x", diagnostic(1, 2, "a number runs into a name here; put an operator between them (2*x, not 2x)", "2x")),
        ("3.5e2abc", diagnostic(1, 6, "a number runs into a name here; put an operator between them (2*x, not 2x)", "3.5e2abc")),
        ("1_000x", diagnostic(1, 6, "a number runs into a name here; put an operator between them (2*x, not 2x)", "1_000x")),
        ("x = 2^3", diagnostic(1, 6, "'^' is not a power here; write x**2 for x squared", "x = 2^3")),
        ("1 & 2", diagnostic(1, 3, "bitwise operators are not part of the language; for both, either or not, write and, or, not", "1 & 2")),
        (
            "a != !b",
            diagnostic(
                1, 6,
                "'!' is not part of the language; write != for 'not equal' and not x for 'not' (and Jupyter's !command, to run a shell command, is not here)",
                "a != !b")
        ),
        ("if x = 3: print(x)", diagnostic(1, 6, "'=' gives a name a value; to compare, write ==, as in x == 3", "if x = 3: print(x)")),
        ("print 'hi'", diagnostic(1, 7, "print is a function, as in Python 3: print(…) with the parentheses", "print 'hi'")),
        (
            "(y := 3)",
            diagnostic(1, 4, "the notebook has no := (the walrus operator); give the name its value on a line of its own first", "(y := 3)")
        ),
        (
            "%matplotlib inline",
            diagnostic(
                1, 1,
                "a line starting with % is a Jupyter magic, which the notebook does not have; its own commands start with ':' (:help lists them; pictures are :graph, :dot and :plot)",
                "%matplotlib inline")
        ),
        ("x = 'open", diagnostic(1, 5, "this string has no closing '", "x = 'open")),
    ])
    func badWords(source: String, expected: String) {
        #expect(Self.stderr(of: source) == expected)
    }

    @Test(arguments: [
        (
            "a = 2.0\na ** a",
            diagnostic(2, 3, "the exponent must be a plain number (micrograd's ** takes a constant), not a Value; use a.data", "a ** a")
        ),
        (
            "a = 2.0\na ** (a*1)",
            diagnostic(
                2, 3, "the exponent must be a plain number (micrograd's ** takes a constant), not a Value; use its .data", "a ** (a*1)")
        ),
        (
            "a = 2.0\n2 ** a",
            diagnostic(
                2, 3, "a number raised to a Value's power is not an op here (** takes a constant exponent); try exp(a * log(2.0))", "2 ** a"
            )
        ),
    ])
    func powerWithAValueExponent(source: String, expected: String) {
        #expect(Self.stderr(of: source) == expected)
    }

    @Test(arguments: [
        (
            "1 + 2 = 3",
            diagnostic(
                1, 7, "cannot assign to 1 + 2; the left of '=' must be a name, an attribute such as a.data, or an item such as xs[0]",
                "1 + 2 = 3")
        ),
        (
            "3 = 4",
            diagnostic(
                1, 3, "cannot assign to 3; the left of '=' must be a name, an attribute such as a.data, or an item such as xs[0]", "3 = 4")
        ),
        (
            "a = 1.0\na + 1 += 2",
            diagnostic(
                2, 7, "cannot assign to a + 1; the left of '+=' must be a name, an attribute such as a.data, or an item such as xs[0]",
                "a + 1 += 2")
        ),
        ("f(1) = 2", diagnostic(1, 3, "a function's parameters must be plain names, as in g(a, b) = a*b + 1", "f(1) = 2")),
        ("f(x, x) = x", diagnostic(1, 6, "the parameter 'x' appears twice", "f(x, x) = x")),
        ("a = 1.0\na.tanh() = 1", diagnostic(2, 1, "only a name can be defined as a function, as in f(x) = x**2", "a.tanh() = 1")),
        ("a = 1.0\na.op = 'x'", diagnostic(2, 2, "a Value's op cannot be set; only data, grad, label and _backward can", "a.op = 'x'")),
        ("a = 1.0\na.label += 'x'", diagnostic(2, 2, "a label can only be set with '=', as in a.label = 'a'", "a.label += 'x'")),
        ("a = 1.0\na.label = 3", diagnostic(2, 2, "a label is text in quotes, as in a.label = 'a'", "a.label = 3")),
        ("a = 1.0\na.data = 'x'", diagnostic(2, 2, "data takes a number, not a string", "a.data = 'x'")),
        (
            "n = MLP(2, [1])\nn.layers = 3",
            diagnostic(2, 2, "only a Value's data, grad and label can be set, not an attribute of an MLP", "n.layers = 3")
        ),
        (
            "[a, 1] = [5, 6]",
            diagnostic(
                1, 8, "cannot assign to [a, 1]; only names can be unpacked into, with '=', as in [xs, ys] = pairs", "[a, 1] = [5, 6]")
        ),
        (
            "[a, b] += [5, 6]",
            diagnostic(
                1, 8, "cannot assign to [a, b]; only names can be unpacked into, with '=', as in [xs, ys] = pairs", "[a, b] += [5, 6]")
        ),
        ("[a] = 3", diagnostic(1, 7, "cannot split a number into 1 name (a)", "[a] = 3")),
        ("a, b = [1, 2, 3]", diagnostic(1, 8, "cannot split a list into 2 names (a, b)", "a, b = [1, 2, 3]")),
        // (The first eight names only: three million made a message of megabytes.)
        (
            "a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 = 1",
            diagnostic(
                1, 42, "cannot split a number into 10 names (a0, a1, a2, a3, a4, a5, a6, a7, …)",
                "a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 = 1")
        ),
        ("a, 1 = [1, 2]", diagnostic(1, 4, "only names can be unpacked into, as in xs, ys = pairs", "a, 1 = [1, 2]")),
        ("y += 1", diagnostic(1, 1, "'y' has no value yet, so '+=' has nothing to add to", "y += 1")),
        ("x = print(1)", diagnostic(1, 10, "print(1) gives nothing to assign", "x = print(1)")),
    ])
    func assigningToWhatCannotBeAssigned(source: String, expected: String) {
        #expect(Self.stderr(of: source, out: source == "x = print(1)" ? "1" : "") == expected)
    }

    @Test(arguments: [
        "keep = 1 + nope", "keep = (1 +", "keep += nope", "keep.data = nope", "keep, other = [1]",
        "keep = 2x", "keep = MLP(2, [1]) * nope", "keep = [1, 2] - [1]",
        "[keep, 1] = [1, 2]", "[keep] = 5", "keep.data += 'x'", "keep = keep ** keep", "for k in 3: keep = k",
    ])
    func aNameKeepsItsValueAfterABadLine(bad: String) {
        let t = Transcript()
        t.run("keep = 42.0")
        let nodes = t.session.graph.count
        t.run(bad)
        #expect(t.errors.contains("error:"), "\(bad)")
        #expect(t.run("keep.data") == "42.0", "\(bad)")
        #expect(t.run("keep.label") == "'keep'", "\(bad)")
        #expect(t.session.graph.count == nodes, "\(bad) left nodes behind")
    }

    @Test(arguments: [
        (
            "1/0", "inf",
            diagnostic(
                1, 2, "the result is inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "1/0",
                severity: "warning")
        ),
        (
            "-1/0", "-inf",
            diagnostic(
                1, 3, "the result is -inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "-1/0",
                severity: "warning")
        ),
        (
            "0/0", "nan",
            diagnostic(
                1, 2, "the result is nan (not a number: 0/0, log of a negative, a fractional power of a negative…)", "0/0",
                severity: "warning")
        ),
        (
            "log(-1)", "nan",
            diagnostic(
                1, 4, "the result is nan (not a number: 0/0, log of a negative, a fractional power of a negative…)", "log(-1)",
                severity: "warning")
        ),
        (
            "1e308*10", "inf",
            diagnostic(
                1, 6, "the result is inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "1e308*10",
                severity: "warning")
        ),
        (
            "log(0)", "-inf",
            diagnostic(
                1, 4, "the result is -inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "log(0)",
                severity: "warning")
        ),
        (
            "(-8)**0.5", "nan",
            diagnostic(
                1, 5, "the result is nan (not a number: 0/0, log of a negative, a fractional power of a negative…)", "(-8)**0.5",
                severity: "warning")
        ),
        (
            "a = 0.0\n1.0/a", "Value(data=inf)",
            diagnostic(
                2, 4, "the result is inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "1.0/a",
                severity: "warning")
        ),
        (
            "[1, 1/0]", "[1, inf]",
            diagnostic(
                1, 1, "the result is inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "[1, 1/0]",
                severity: "warning")
        ),
        (
            "q = 1.0\nq = q / 0\nq.data", "inf",
            diagnostic(
                2, 7, "the result is inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "q = q / 0",
                severity: "warning")
                + "\n"
                + diagnostic(
                    3, 2, "the result is inf (past the largest float, about 1.8e308; or a division by zero, or the log of 0)", "q.data",
                    severity: "warning")
        ),
        ("a = 1.0\na.data = 1e308*10", "", diagnostic(2, 2, "data is now inf", "a.data = 1e308*10", severity: "warning")),
        // Asked for by name (a running minimum starts at float('inf')): no warning.
        ("best = float('inf')\nworst = -float('-Infinity')\nimport math\nm = -math.inf\nfloat('nan')\nprint(best)", "nan\ninf", ""),
    ])
    func ieeeResultsAreWarningsNotErrors(source: String, out: String, expected: String) {
        let t = Transcript()
        #expect(t.session.runScript(source, file: "<test>"))  // true: nothing failed
        #expect(t.out.joined(separator: "\n") == out)
        #expect(t.errors == expected)
        #expect(!t.errors.contains("error:"))
    }

    @Test(arguments: ["(", "["])
    func tenThousandNestedBracketsAreOneClearError(open: String) {
        let t = Transcript()
        t.run("keep = 42.0")
        let close = open == "(" ? ")" : "]"
        t.run(String(repeating: open, count: 10_000) + "1" + String(repeating: close, count: 10_000))
        #expect(t.err.count == 1)
        // The line is shown around the caret: 120 characters from column 141, with ellipses.
        #expect(
            t.errors == "<test>:1:201: error: the expression nests more than 200 levels deep; split it into several statements\n"
                + "…" + String(repeating: open, count: 120) + "…\n" + String(repeating: " ", count: 61) + "^")
        // Unclosed, it is the same one error.
        t.run(String(repeating: open, count: 10_000))
        #expect(t.err.count == 1)
        #expect(t.errors.hasPrefix("<test>:1:201: error: the expression nests more than 200 levels deep"))
        #expect(t.run("keep.data") == "42.0")
    }

    @Test func aMegabyteLine() {
        let t = Transcript()
        let megabyte = String(repeating: "b", count: 1 << 20)
        // A megabyte string, comment and number are fine.
        #expect(t.run("s = '\(megabyte)'\nlen(s)") == "1048576")
        #expect(t.run("keep = 42.0 # \(megabyte)\nkeep.data") == "42.0")
        #expect(t.errors.isEmpty)
        // A megabyte name is one error, shown around the caret, quickly (no did-you-mean search).
        let clock = ContinuousClock()
        let elapsed = clock.measure { t.run(megabyte) }
        #expect(elapsed < .seconds(3))
        #expect(t.err.count == 1)
        #expect(t.errors.hasPrefix("<test>:1:1: error: 'bbbb"))
        #expect(t.errors.hasSuffix("\n" + String(repeating: "b", count: 120) + "…\n^"))
        // A megabyte command word, likewise.
        #expect(clock.measure { t.run(":" + megabyte) } < .seconds(3))
        #expect(t.errors.hasPrefix("<test>:1:1: error: :bbbb"))
        #expect(t.errors.contains("is not a command; :help lists them"))
        // An error at the far end of a megabyte line: the caret stays on screen.
        t.run("x = '\(megabyte)' + nope")
        #expect(t.errors.hasPrefix("<test>:1:\(megabyte.count + 10): error: 'nope' is not defined"))
        #expect(t.errors.hasSuffix("\n…" + String(repeating: "b", count: 56) + "' + nope\n" + String(repeating: " ", count: 61) + "^"))
        #expect(t.run("keep.data") == "42.0")
    }

    /// Tabs and spaces that line up only at some tab widths are refused, as Python refuses
    /// them (TabError); a file indented with tabs alone runs.
    @Test(arguments: [
        "def f(x):\n    y = 1\n\treturn y + x\nf(1)",
        "def f(x):\n\ty = 1\n        return y + x\nf(1)",
        "if True:\n    if True:\n\tx = 1\nx",
    ])
    func tabsAndSpacesThatDoNotLineUp(source: String) {
        let t = Transcript()
        t.run(source)
        #expect(
            t.errors.hasPrefix(
                "<test>:3:1: error: this line's indentation mixes tabs and spaces, so whether it lines up with the lines above depends on how wide a tab is; indent with spaces only (here a tab is 8 columns)"
            ), "\(t.errors)")
        #expect(t.run("def g(x):\n\ty = 1\n\tif y:\n\t\treturn y + x\ng(1)") == "2")
    }

    static func builtInOperation(_ name: String) -> String {
        "a Value's \(name) is built in and cannot be replaced; write your operation as a function that makes out = Value(…, (self, other), 'op') and sets out._backward, as in :lesson 4, and call it: add(a, b)"
    }

    /// A name that means nothing gets the advice that fits how it is used.
    @Test(arguments: [
        ("math.log(2.0)", "'math' is not defined; import it first: import math"),
        ("divmod(7, 2)", "'divmod' is one of Python's built-ins that the notebook does not have; :help lists those it has"),
        ("foo(3)", "'foo' is not defined; define it first, as in def foo(x): …"),
        ("foo", "'foo' is not defined; give it a value first, as in foo = 2.0"),
        (
            "xs = [1.0, 2.0]\n3*xs - 2*xs",
            "the lists have 6 and 4 items; element-wise '-' needs the same number (an int times a list repeats it, as in Python: 3*xs has 3 times the items, while 3.0*xs multiplies each one; to call a function on each item of a list, write [f(x) for x in xs])"
        ),
        ("[1.0, 2.0, 3.0] - [1.0, 2.0]", "the lists have 3 and 2 items; element-wise '-' needs the same number\n"),
        // micrograd's demo turns make_moons's 0/1 labels into -1/1 with numpy's y*2 - 1: here
        // that repeated the list and subtracted item by item, and trained on 200 wrong labels.
        (
            "X, y = moons()\ny = y*2 - 1",
            "ys*2 has 200 items), and '-' with a number would then go item by item over all 200; to scale each item instead, multiply by a float: ys*2.0. These are already -1 and 1, as moons() gives its labels"
        ),
        (
            "ws = [1.0, 3.0]*2\n1 + ws",
            "this list was made by repeating a list of 2 items 2 times (an int times a list repeats it, as in Python: ys*2 has 4 items), and '+' with a number would then go item by item over all 4; to scale each item instead, multiply by a float: ys*2.0\n"
        ),
        (
            "range(-5, 5, 0.25)",
            "range takes whole numbers, not 0.25, which has a fraction; for steps of a fraction, scale a range of whole numbers, as in [k * 0.25 for k in range(-20, 21)]"
        ),
        ("range(10**18)", "range takes whole numbers smaller than 10**15, not 1000000000000000000, which is too large"),
        ("int(1e300)", "int takes a number or a string of digits, not 1e+300, which is too large"),
        ("[1, 2][0.5]", "a list index is a whole number, not 0.5, which has a fraction"),
        ("[1, 2][0.5:]", "a slice's bounds are whole numbers, not 0.5, which has a fraction"),
        ("int('9' * 30)", "'999999999999999999999999999999' is past the largest whole number here (2**63 - 1)"),
        // Each of these stopped the program (a float too large for an Int, or nan, made one).
        ("enumerate([1], 1e300)", "enumerate's start is a whole number, not 1e+300, which is too large"),
        ("enumerate([1], float('nan'))", "enumerate's start is a whole number, not nan"),
        ("enumerate([1], start=2.5)", "enumerate's start is a whole number, not 2.5, which has a fraction"),
        ("import random\nrandom.randint(1e300, 1e300)", "random.randint takes whole numbers smaller than 2**62, not 1e+300"),
        ("import random\nrandom.randint(5, 2)", "random.randint(5, 2) has no numbers to draw from"),
        ("int('9' * 100000)", "'9999999999999999999999999999999999999999… (100000 characters)' is past the largest whole number"),
        ("range('a')", "range takes whole numbers, not a string"),
        ("'%d' % 'x'", "%d takes a whole number (or a float, cut to one), not a string"),
        ("'ab'.split('')", "split's separator cannot be empty; list(s) gives each character"),
        // Numbers as Python writes them, and ones it refuses.
        ("print(0xzz)", "'0xzz' is not a number in base 16"),
        ("print(1j)", "complex numbers (1j) are not part of the language"),
        ("print(0777)", "a whole number cannot start with 0 (Python says so too): write 777, or 0o777 for octal"),
        ("print(09)", "a whole number cannot start with 0 (Python says so too): write 9\n"),
        ("print(1.2.3)", "a number has one decimal point at most"),
        ("print(0x8000000000000000)", "that whole number is larger than the largest here (2**63 - 1)"),
        (
            "print(12345678901234567890)",
            "that whole number is larger than the largest here (2**63 - 1); for a float, write it with a point: 12345678901234567890.0"
        ),
        ("print(1 << 2)", "shifts (<< and >>) are bitwise operators, which are not part of the language"),
        (">>> a = 2", "'>>>' is Python's prompt, not part of the code: copy only what comes after it"),
        ("print('abc'[10])", "index 10 is out of range for a string of 3 characters"),
        ("'{x}'.format(y=1)", "format has no argument named x for {x}; give it one, as in .format(x=…)"),
        ("'{} {}'.format(1)", "format has 1 argument, too few for {} in '{} {}'"),
        ("'a}b'.format()", "a single '}' in a format string is written }}"),
        // A % format's error shows it as written (it showed '>.2f', which no one wrote).
        ("print('%.2f' % 'x')", "format '%.2f' is for numbers, not a string"),
        // nan as a key: put in, never found again; printing the dict stopped the program.
        ("d = {float('nan'): 1}\nprint(d)", "nan cannot go in a set or be a dict's key: it equals nothing, not even itself"),
        ("s = set()\ns.add((1, 0.0 * float('inf')))", "nan cannot go in a set or be a dict's key: it equals nothing, not even itself"),
        ("print('%999999999d' % 1)", "'%999999999d' asks for a width of 999999999; at most 1000 is padded here"),
        // A width or precision past the most is said to be that, not an unknown format.
        ("y = 3\nprint(f'{y:>100000}')", "'>100000' asks for a width of 100000; at most 1000 is padded here"),
        ("print(f'{3.0:.500f}')", "'.500f' asks for 500 digits after the point; at most 100 are written here"),
        ("print(f'{3:q}')", "'q' is not a format this notebook knows (try .4f, .2e, 10, >8, d or %)"),
        ("print(f'{3:2000q}')", "'2000q' is not a format this notebook knows (try .4f, .2e, 10, >8, d or %)"),
        ("xs = [1, 2, 3, 4]\nxs[1:3] = [9]", "assigning to a slice (xs[1:3] = …) is not part of the language; make the new list"),
        ("print((1, 2)[5])", "index 5 is out of range for a tuple of 2 items"),
        // Python's way to add an operation to a class points to the notebook's way.
        ("def add(self, other):\n    return self\nValue.__add__ = add", Self.builtInOperation("__add__")),
        ("a = Value(1.0)\na.__mul__ = lambda s, o: s", Self.builtInOperation("__mul__")),
        ("a = Value(1.0)\na.tanh = lambda: a", Self.builtInOperation("tanh")),
        ("Value.data = 2.0", "only a Value's data, grad and label can be set, not an attribute of the built-in Value"),
        // A method written without its (), and a number or list written with them.
        ("n = MLP(3, [4, 1])\nfor p in n.parameters:\n    pass", "not the method parameters; call it: .parameters()"),
        ("n = MLP(3, [4, 1])\nlen(n.parameters)", "len takes a list, not the method parameters; call it: .parameters()"),
        ("a = Value(2.0)\na.grad()", "grad is a number, not something to call; leave out the (): a.grad"),
        // A float that happens to be whole is no index, as in Python (it was taken).
        ("[1, 2][1.0]", "a list index is an int, not 1.0, a float, as in Python: write int(…) around it, or divide with // to get an int"),
        ("xs = [1, 2, 3, 4]\nxs[len(xs)/2]", "a list index is an int, not 2.0, a float"),
        ("i = 1.0\n[1, 2][i]", "a list index is an int, not Value(data=1.0), a Value"),
        ("xs = [1, 2]\nxs.pop(0.0)", "a list index is an int, not 0.0, a float"),
        // math on a Value names the method that records a node, where there is one.
        (
            "import math\nv = Value(0.5)\nmath.tanh(v)",
            "math.tanh takes a number, not a Value; math works on plain numbers: pass the Value's .data, or write .tanh() after the Value itself to record a node"
        ),
        // A float typed at the top level is a Value: said, where the learner asked for none.
        (
            "import math\nx = 2.0\nmath.exp(x)",
            "math.exp takes a number, not a Value; math works on plain numbers: pass the Value's .data, or write .exp() after the Value itself to record a node (x = 2.0, typed at the top level, made x a Value: the notebook does that with every float typed there)"
        ),
        (
            "import math\nmath.sin(Value(1.0))",
            "math.sin takes a number, not a Value; math works on plain numbers: pass the Value's .data\n"
        ),
        // A network's parts, read as lists, are copies: changing one changed nothing, silently.
        (
            "n = MLP(3, [4, 1])\nn.layers[0].neurons[0].w[0] = Value(0.5)",
            "this list is a copy of a Neuron's weights, made as it was read, so changing it would not change the network; a weight or bias changes through its data, as in n.layers[0].neurons[0].w[0].data = 0.5"
        ),
        ("n = MLP(3, [4, 1])\nn.layers.append(Layer(1, 1))", "this list is a copy of an MLP's layers, made as it was read"),
        ("n = MLP(3, [4, 1])\nn.layers[0].neurons.pop()", "this list is a copy of a Layer's neurons, made as it was read"),
        ("n = MLP(3, [4, 1])\nws = n.layers[0].neurons[0].w\nws += [Value(1.0)]", "this list is a copy of a Neuron's weights"),
        ("n = MLP(3, [4, 1])\nws = n.layers[0].neurons[0].w\ndel ws[0]", "this list is a copy of a Neuron's weights"),
        ("n = MLP(3, [4, 1])\nn.layers[0].neurons[0].w.sort(key=lambda w: w.data)", "this list is a copy of a Neuron's weights"),
        (":save! /tmp/.md", "a notebook's file needs a name before its .md, such as my-work.md"),
        (
            "a = Value(1.0)\n:dot a '/tmp/a\u{1B}]0;x\u{7}.dot'",
            "the name /tmp/a\\x1b]0;x\\x07.dot holds control characters, which a terminal would take as orders"
        ),
        (":save '/tmp/e\u{1B}[2J.md'", "the name /tmp/e\\x1b[2J.md holds control characters"),
        (
            "a = Value(1.0)\nb = a + 2\nb.inputs.append(a)",
            "this list is a copy of a Value's inputs, made as it was read: a Value's inputs are fixed"
        ),
    ])
    func adviceFitsTheMistake(source: String, message: String) {
        let t = Transcript()
        t.run(source)
        #expect(t.errors.contains(message), "\(source): \(t.errors)")
    }

    /// Reading a network's parts as lists, copying one and changing the copy, and setting a
    /// weight through its data, all still work.
    @Test func aCopyOfANetworksPartsCanBeReadAndCopied() {
        let t = Transcript()
        t.run("n = MLP(3, [4, 1])\nws = n.layers[0].neurons[0].w\nc = ws.copy()\nc.append(1)\nd = list(ws)\nd.pop()")
        #expect(t.run("len(ws), len(c), len(d), ws.index(ws[1]), ws.count(ws[0])") == "(3, 4, 2, 1, 1)")
        t.run("n.layers[0].neurons[0].w[0].data = 0.5")
        #expect(t.run("n.layers[0].neurons[0].w[0].data") == "0.5")
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    /// `y = y*2 - 1` leaves y as it was; a list of one item repeated (`[0.0]*n`, how a list
    /// is started) and a list scaled by a float still go item by item.
    @Test func aRepeatedListRefusesItemByItemArithmeticAndLosesNothing() {
        let t = Transcript()
        t.run("X, y = moons()\ny = y*2 - 1")
        #expect(t.errors.contains("made by repeating a list of 100 items 2 times"), "\(t.errors)")
        #expect(t.run("len(y), y[:2]") == "(100, [-1.0, -1.0])")
        #expect(
            t.run("[0.0]*3 - 1, [1.0, -1.0]*2.0 - 1, ([1.0, 2.0]*2)*2")
                == "([-1.0, -1.0, -1.0], [1.0, -3.0], [1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 1.0, 2.0])")
        // Scaling a repeated list, as the error advises, goes item by item; and once the
        // list is changed, it is a list like any other.
        #expect(
            t.run("ys = [1.0, -1.0]*2\nys * 2.0, ys / 2, ys * [1, 2, 3, 4]")
                == "([2.0, -2.0, 2.0, -2.0], [0.5, -0.5, 0.5, -0.5], [1.0, -2.0, 3.0, -4.0])")
        #expect(t.run("ys.append(5.0)\nys - 1") == "[0.0, -2.0, 0.0, -2.0, 4.0]")
        #expect(t.errors.isEmpty, "\(t.errors)")
        // A list of numbers cleared is empty (clear() left one with no list in it as it was).
        #expect(t.run("xs = [1, 2, 3]\nxs.clear()\nxs, len(xs)") == "([], 0)")
    }

    /// Nothing repeated a huge number of times is nothing, at once (`[] * 10**18` went round
    /// an empty loop 10**18 times, and Ctrl-C could not stop it).
    @Test func nothingRepeatedIsNothingAtOnce() {
        let t = Transcript()
        #expect(t.run("[] * 10**18, () * 10**18, '' * 10**18, 10**18 * []") == "([], (), '', [])")
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    /// The caret stands under the error's place on a terminal, where a Chinese character
    /// before it takes two columns (it used to stand one column short for each).
    /// A file's name is shown with its control characters escaped, as a line is: an escape
    /// sequence in a name went to the terminal as it was.
    @Test func aFileNameCannotSendTheTerminalEscapes() {
        let error = LanguageError("x is not defined", at: SourceLocation(line: 1, column: 1))
        let shown = Diagnostic(file: "a\u{1B}[31m\n.mg", error: error, sourceLine: "x").description
        #expect(shown.hasPrefix("a\\x1b[31m\\n.mg:1:1: error: x is not defined"), "\(shown)")
        #expect(!shown.contains("\u{1B}"))
    }

    @Test func theCaretCountsColumnsNotCharacters() {
        let t = Transcript()
        t.run("s = '损失' + 1")
        #expect(
            t.errors == "<test>:1:10: error: cannot add a string and a number\ns = '损失' + 1\n" + String(repeating: " ", count: 11) + "^")
    }

    /// A file that is not a notebook at all stops after twenty errors, not one for each of
    /// its lines; a :load that had errors says where the :load is.
    @Test func aScriptStopsAfterTwentyErrors() {
        let t = Transcript()
        let lines = (1...50).map { "root:x:\($0):0:root:/root:/bin/bash" }
        t.run(lines.joined(separator: "\n") + "\n")
        #expect(t.err.count == 21, "\(t.err.count)")
        #expect(t.err.last == "<test>: error: stopped after 20 errors, before line 21 of 50; is <test> a notebook file?")
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("mg-bad-\(UUID().uuidString).mg").path
        try? "x = nope\n".write(toFile: bad, atomically: true, encoding: .utf8)
        t.run("y = 1\n:load \(bad)")
        #expect(t.err.last?.hasPrefix("<test>:2:7: error: \(bad) had errors (shown above)") == true, "\(t.err)")
        // A loaded file's errors are its own: the file that loads it goes on (it was
        // stopped, and called no notebook, by the errors of /etc/passwd).
        let passwd = FileManager.default.temporaryDirectory.appendingPathComponent("mg-passwd-\(UUID().uuidString)").path
        try? (lines.joined(separator: "\n") + "\n").write(toFile: passwd, atomically: true, encoding: .utf8)
        #expect(t.run(":load \(passwd)\nprint('after')") == "after")
        #expect(
            t.err.suffix(2).first?.hasSuffix("stopped after 20 errors, before line 21 of 50; is \(passwd) a notebook file?") == true,
            "\(t.err)")
    }

    /// A whole number past 64 bits becomes a float with a warning (it did so silently, so
    /// 2**63 - 1 printed 9.223372036854776e+18 as if that were exact); 2**-1 and 7/2 are
    /// floats in Python too, and say nothing.
    @Test func aWholeNumberPast64BitsWarns() {
        let t = Transcript()
        #expect(t.run("x = 2**63 - 1\nx") == "9.223372036854776e+18")
        #expect(
            t.errors
                == Self.diagnostic(
                    1, 6,
                    "2 ** 63 is past the largest whole number here (2**63 - 1), so it was worked out as a float, 9.223372036854776e+18, with about 16 digits right; Python's int would be exact",
                    "x = 2**63 - 1", severity: "warning"))
        #expect(
            t.run("2**-1, 7/2, 2**62 + (2**62 - 1), -2**62 * 2, (-2**62 * 2) % -1")
                == "(0.5, 3.5, 9223372036854775807, -9223372036854775808, 0)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        // x += … and xs[0] *= … too (they were silent).
        t.run("y = 2**62\ny += 2**62\nys = [2**62]\nys[0] *= 4")
        #expect(
            t.errors.contains("<test>:2:1: warning: 4611686018427387904 + 4611686018427387904 is past the largest whole number"),
            "\(t.errors)")
        #expect(t.errors.contains("<test>:4:3: warning: 4611686018427387904 * 4 is past the largest whole number"), "\(t.errors)")
        // sum() and abs() too, at the call, also when another built-in calls them; a sum
        // with a float in it is a float in Python too.
        #expect(t.run("big = [2**62, 2**62, 1]\nsum(big)") == "9.223372036854776e+18")
        #expect(t.errors.contains("<test>:2:4: warning: the sum passed the largest whole number here (2**63 - 1) at item 1"), "\(t.errors)")
        // A count of bools that passes it too (it was silent).
        #expect(t.run("top = 2**62 + (2**62 - 1)\nsum([True] * 5, top - 3)") == "9.223372036854776e+18")
        #expect(t.errors.contains("<test>:2:4: warning: the sum passed the largest whole number here (2**63 - 1) at item 3"), "\(t.errors)")
        #expect(t.run("low = -2**62 - 2**62\nlist(map(abs, [low, -3]))") == "[9.223372036854776e+18, 3]")
        #expect(t.errors.contains("<test>:2:9: warning: abs(-9223372036854775808) is past the largest whole number"), "\(t.errors)")
        // And negation: -(-2**63) was silent.
        #expect(t.run("low = -2**62 - 2**62\n-low") == "9.223372036854776e+18")
        #expect(t.errors.contains("<test>:2:1: warning: -(-9223372036854775808) is past the largest whole number"), "\(t.errors)")
        #expect(
            t.run("sum([2**62, 0.5, 2**62]), sum([2**62, 2**62 - 1]), abs(-2**62)")
                == "(9.223372036854776e+18, 9223372036854775807, 4611686018427387904)")
        #expect(t.errors.isEmpty, "\(t.errors)")
        // Past the largest float too: no digits are right, and the warning says so.
        #expect(t.run("10**400") == "inf")
        #expect(
            t.errors.contains(
                "10 ** 400 is past the largest whole number here (2**63 - 1), and past the largest float too, so it is inf; Python's int would be exact"
            ), "\(t.errors)")
        #expect(!t.errors.contains("with about 16 digits right"), "\(t.errors)")
    }

    /// A mistake inside balanced brackets is one error: the brackets after it still count,
    /// so the lines below are not taken for the rest of its statement.
    @Test func aMistakeInsideBracketsLeavesTheNextLinesAlone() {
        let t = Transcript()
        #expect(t.run("s = {1}\nprint(s | {5})\nprint('next')\nprint('after')") == "next\nafter")
        #expect(!t.errors.contains("still open"), "\(t.errors)")
        #expect(t.run("print(0x10, 0o17, 0b101, 0X1f, 0x_ff, 00, 0e1)") == "16 15 5 31 255 0 0.0")
    }

    /// A command's error that knows no place of its own is shown at the command's line (it
    /// was shown with the file's name only).
    @Test func aCommandsErrorIsShownAtItsLine() {
        let t = Transcript()
        t.run("a = 1\n  :next")
        #expect(t.errors.hasPrefix("<test>:2:3: error: no lesson is open"), "\(t.errors)")
    }

    @Test func nulBytes() {
        let t = Transcript()
        t.run("keep = 42.0")
        // In a script, a NUL means a binary file: one error for the whole text.
        t.run("x = 1\0\ny = 2")
        #expect(t.errors == "<test>: error: <test> holds NUL bytes: it looks like a binary file, not a script")
        // A byte-order mark at the start of a file is not part of its text.
        #expect(t.run("\u{FEFF}bom = 2.0\nbom.data") == "2.0")
        #expect(t.errors.isEmpty, "\(t.errors)")
        // A NUL that a combining accent joins to it is one Character with the accent, and
        // still a NUL byte.
        t.run("x = 1\0\u{301}\ny = 2")
        #expect(t.errors == "<test>: error: <test> holds NUL bytes: it looks like a binary file, not a script")
        // Typed as one line, it is a character the language does not have, shown as a space.
        #expect(!t.type("x = 1\0 + 2"))
        #expect(t.err == [Self.diagnostic(1, 6, "a NUL byte is not part of the language", "x = 1  + 2")])
        #expect(t.session.names["x"] == nil)
        #expect(t.session.names["keep"]?.echo == "Value(data=42.0)")
    }

    @Test func invalidUTF8() {
        let t = Transcript()
        t.run("keep = 42.0")
        let bytes: [UInt8] = Array("x = 1 + ".utf8) + [0xC3, 0x28] + Array(" + 2".utf8)
        let text = String(decoding: bytes, as: UTF8.self)
        t.run(text)
        #expect(t.errors == Self.diagnostic(1, 9, "this is not valid UTF-8 text", "x = 1 + \u{FFFD}( + 2"))
        // Inside a string or a comment it is only text.
        t.run(String(decoding: Array("s = '".utf8) + [0xFF, 0xFE] + Array("'".utf8), as: UTF8.self))
        #expect(t.errors.isEmpty)
        t.run(String(decoding: Array("# ".utf8) + [0xFF] + Array("\nlen(s)".utf8), as: UTF8.self))
        #expect(t.errors.isEmpty)
        #expect(t.out == ["2"])
        #expect(t.run("keep.data") == "42.0")
    }

    @Test func aCombiningAccentIsOneColumn() {
        // é as e + U+0301: the caret goes under the name, as the line is shown.
        let source = "x = 'e\u{301}' + nope"
        #expect(Self.stderr(of: source) == Self.diagnostic(1, 11, "'nope' is not defined; give it a value first, as in nope = 2.0", source))
    }

    @Test func anUnclosedBracketInAScriptIsAnErrorThereAndTheLinesAfterItRun() {
        let t = Transcript()
        let out = t.run(
            """
            a = 1.0
            xs = [1, 2
            b = 2.0
            c = a + b
            c.data
            """)
        #expect(out == "3.0")
        #expect(
            t.errors
                == Self.diagnostic(
                    2, 6,
                    "this '[' is never closed, so the lines after it were read as inside it; close it where it should end (the file goes on from the next statement)",
                    "xs = [1, 2"))
        #expect(t.session.names["xs"] == nil)
        // Two left open: each is said once, at its own line (the second was said twice, and
        // the first not at all).
        let u = Transcript()
        #expect(u.run("print(1\nprint('ok')\nx = [1, 2, 3\ny = 5\nprint('after', y)") == "ok\nafter 5")
        #expect(u.errors.components(separatedBy: "never closed").count == 3, "\(u.errors)")
        #expect(u.errors.contains("<test>:1:6: error: this '(' is never closed"), "\(u.errors)")
        #expect(u.errors.contains("<test>:3:5: error: this '[' is never closed"), "\(u.errors)")
    }

    /// A block's header with a bracket never closed (`def f(x:`) is one error, at the
    /// bracket, as Python's "'(' was never closed"; its block goes with it, and what follows
    /// runs. It was an error about the line after it ("'return' cannot start an
    /// expression"), a note, and an error for each line of the block.
    @Test func aHeaderWithABracketNeverClosedIsOneErrorAtTheBracket() {
        let t = Transcript()
        let out = t.run(
            """
            def f(x:
                y = x * 2

                return y
            print('after')
            """)
        #expect(out == "after")
        #expect(
            t.errors
                == Self.diagnostic(
                    1, 6,
                    "this '(' is never closed, so the lines after it were read as inside it; close it where it should end (the file goes on from the next statement)",
                    "def f(x:"
                ))
        #expect(t.session.names["f"] == nil)
        // Closed, however late, it is not this error.
        t.run("xs = [1,\n      2 3]\nprint('next')")
        #expect(!t.errors.contains("never closed"), "\(t.errors)")
    }

    @Test func aBracketClosedOnALaterLineIsOneStatement() {
        let t = Transcript()
        #expect(t.run("xs = [1,\n      2,\n      3]\nlen(xs)\nnope") == "3")
        #expect(t.errors == Self.diagnostic(5, 1, "'nope' is not defined; give it a value first, as in nope = 2.0", "nope"))
    }

    @Test func anErrorInsideAMultiLineStatementNamesItsOwnLine() {
        let t = Transcript()
        #expect(!t.session.run("xs = [1,\n  2 +,\n  3]", file: "<test>"))
        #expect(t.errors == Self.diagnostic(2, 6, "unexpected ',': expected a number, a name, '(' or '['", "  2 +,"))
    }
}
