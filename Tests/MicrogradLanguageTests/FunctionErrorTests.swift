import MicrogradLanguage
import Testing

@Suite struct FunctionErrorTests {
    @Test func anErrorInsideAFunctionsBodyPointsAtTheCall() {
        // The body was read on another line: a caret at its column on this line would
        // point at nothing (found by GarbageTests).
        let t = Transcript()
        t.session.limits.callDepth = 100
        t.run("f(x) = x**2 - 1\nh(x) = x + undefined_thing")
        t.run("s = 'text'\ny = 1 + f(s)")
        #expect(t.errors == ErrorTests.diagnostic(2, 10, "cannot raise a string and a number", "y = 1 + f(s)"))
        t.run("g(x) = f(x) * 2\nz = g('a')")
        #expect(t.errors == ErrorTests.diagnostic(2, 6, "cannot raise a string and a number", "z = g('a')"))
        t.run("h(1.0)")
        #expect(
            t.errors
                == ErrorTests.diagnostic(
                    1, 2, "'undefined_thing' is not defined; give it a value first, as in undefined_thing = 2.0", "h(1.0)"))
        t.run("r(x) = r(x)\nr(1)")
        #expect(
            t.errors
                == ErrorTests.diagnostic(
                    2, 2,
                    "r was called more than 100 levels deep: does it call itself with no way to stop, as in f(x) = f(x)? Or is what it goes through that deep (a graph of a long chain)? Then go through it with a loop and a list of what is left to visit",
                    "r(1)"))
    }
}

/// An error out of a learner's function says where each call on the way was made, as
/// Python's traceback does, innermost first; a recursion's calls from one place are one
/// line with a count. (It used to show only the line in the function.)
@Suite struct CallTraceTests {
    @Test func anErrorSaysWhereItsFunctionWasCalledFrom() {
        let t = Transcript()
        t.run("def g(v):\n    y = v * 2\n    return y.dat\n\ndef h2(v):\n    return g(v) + 1\n")
        t.run("z = 1.0\nh2(Value(1.0))")
        #expect(
            t.errors
                == ErrorTests.diagnostic(3, 13, "a Value has no attribute 'dat'; did you mean 'data'?", "    return y.dat")
                + "\n  in g, called from <test>:6:13: return g(v) + 1\n  in h2, called from <test>:2:3: h2(Value(1.0))",
            "\(t.errors)")
        t.run("def down(n):\n    return down(n - 1) if n > 0 else n.nope\ndown(3)")
        #expect(
            t.errors.hasSuffix(
                "\n  in down, called from <test>:2:16: return down(n - 1) if n > 0 else n.nope  (3 times)\n  in down, called from <test>:3:5: down(3)"
            ),
            "\(t.errors)")
        // At the prompt a cell has no file: the line is given. (The call of g sits at the
        // same line and column in its cell as the error in g's: both are shown.)
        t.session.run("def g2(v):\n    return v.dat", file: "")
        t.session.run("def h3(v):\n    return g2(v) + 1", file: "")
        t.session.run("h3(Value(1.0))", file: "")
        #expect(
            t.errors.hasSuffix("^\n  in g2, called from line 2: return g2(v) + 1\n  in h3, called from line 1: h3(Value(1.0))"),
            "\(t.errors)")
        // A recursion too deep is said at its call; only where it began is added.
        t.session.limits.callDepth = 50
        t.run("def deep(n):\n    return deep(n - 1)\ndeep(3)")
        #expect(t.errors.hasSuffix("   ^\n  in deep, called from <test>:3:5: deep(3)"), "\(t.errors)")
        // Past six places, the rest are counted.
        t.run("def a1(x): return x.nope\ndef a2(x): return a1(x)\ndef a3(x): return a2(x)\ndef a4(x): return a3(x)")
        t.run("def a5(x): return a4(x)\ndef a6(x): return a5(x)\ndef a7(x): return a6(x)\na7(1)")
        #expect(t.errors.hasSuffix("\n  (and 1 calls more, out from these)"), "\(t.errors)")
        #expect(t.errors.components(separatedBy: "\n  in ").count == 7)
    }
}

/// A name assigned anywhere in a function is local to it all through, as in Python: read
/// before it is assigned, it is an error, not the global of the same name.
@Suite struct LocalNameTests {
    @Test(arguments: [
        (
            "g = 10\ndef bad():\n    g += 1\n    return g\nbad()", 3, 5,
            "'g' is read before it is given a value in bad: it is assigned in bad, which makes it local there; to change the global g, write global g first",
            "    g += 1"
        ),
        (
            "x = 5\ndef shadow():\n    print(x)\n    x = 3\nshadow()", 3, 11,
            "'x' is read before it is given a value in shadow: it is assigned in shadow, which makes it local there; to change the global x, write global x first",
            "    print(x)"
        ),
        (
            "def later():\n    s = sum([1])\n    sum = 3\n    return s\nlater()", 2, 9,
            "'sum' is read before it is given a value in later: it is assigned in later, which makes it local there; to change the global sum, write global sum first",
            "    s = sum([1])"
        ),
        (
            "def outer():\n    def inner():\n        return y + 1\n    r = inner()\n    y = 1\n    return r\nouter()", 3, 16,
            "'y' is read before it is given a value in outer, the function this one is defined in; assign it there before this function is called",
            "        return y + 1"
        ),
        // A closure changing a name of the function around it: nonlocal is the way (it said
        // global), with or without a global of the same name.
        (
            "x = 0\ndef counter():\n    x = 1\n    def inner():\n        x += 1\n    inner()\ncounter()", 5, 9,
            "'x' is read before it is given a value in inner: it is assigned in inner, which makes it local there; to change the x of counter, the function around it, write nonlocal x first",
            "        x += 1"
        ),
    ])
    func aLocalReadBeforeItIsAssignedIsAnError(source: String, line: Int, column: Int, message: String, text: String) {
        let t = Transcript()
        t.run(source)
        #expect(t.errors.hasPrefix(ErrorTests.diagnostic(line, column, message, text) + "\n  in "), "\(t.errors)")
    }

    @Test func globalsAndAssignedLocalsAreReadAsBefore() {
        let t = Transcript()
        #expect(t.run("g = 10\ndef good():\n    global g\n    g += 1\n    return g\ngood()\ng") == "11\n11")
        #expect(t.run("def ok(a):\n    b = a * 2\n    return [b + k for k in range(2)]\nok(1)") == "[2, 3]")
        #expect(t.run("def f(xs):\n    total = sum(xs)\n    return total\nf([1, 2])") == "3")
        #expect(t.run("def h():\n    for i in range(3):\n        last = i\n    return last\nh()") == "2")
        #expect(t.errors.isEmpty, "\(t.errors)")
    }
}

@Suite struct WindowsLineEndTests {
    @Test func aScriptWithCRLFLineEndsRunsLineByLine() {
        // "\r\n" is a single Character in Swift: splitting at "\n" used to leave the whole
        // script as one chunk, so an error on line 2 stopped lines 3 and 4, with no line shown.
        let t = Transcript()
        #expect(t.run("a = 1.0\r\nb = nope\r\nc = a + 1\r\nc\r\n") == "Value(data=2.0)")
        #expect(t.errors == ErrorTests.diagnostic(2, 5, "'nope' is not defined; give it a value first, as in nope = 2.0", "b = nope"))
        #expect(t.run("xs = [1,\r\n  2]\r\nlen(xs)") == "2")
        #expect(t.errors.isEmpty)
    }

    /// A "\r" on its own ends a line, as in an old Mac's files: Python runs such a file
    /// line by line, where the notebook used to read it as one line and stop at 'b'.
    @Test func aLoneCarriageReturnEndsALine() {
        let t = Transcript()
        #expect(t.run("a = 1\rb = 2\rprint(a + b)\r") == "3")
        #expect(t.errors.isEmpty, "\(t.errors)")
        #expect(t.run("def f(x):\r    return x * 2\r\rf(4)") == "8")
        #expect(t.run("c = 1\r\rd = nope\r\ne = 2\ne") == "2")
        #expect(t.errors == ErrorTests.diagnostic(3, 5, "'nope' is not defined; give it a value first, as in nope = 2.0", "d = nope"))
    }
}
