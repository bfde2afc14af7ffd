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
                    2, 2, "r was called more than 100 levels deep: does it call itself with no way to stop, as in f(x) = f(x)?", "r(1)"))
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
}
