import Foundation
import MicrogradCLI
import MicrogradLanguage
import Testing

/// Inputs that would exhaust the stack or the memory get a clear error instead.
@Suite struct LimitTests {
    @Test func aVeryLongChainOfOperatorsIsRefusedNotFreedRecursively() {
        // Found by hand while fuzzing: a 300,000-term sum parsed fine, then crashed when the
        // tree was freed (each level released the next).
        let t = Transcript()
        t.run("keep = 42.0")
        let line = "x = " + Array(repeating: "1", count: 300_000).joined(separator: "+")
        t.run(line)
        #expect(
            t.errors.hasPrefix(
                "<test>:1:1004: error: this expression is more than 500 operations deep; split it into several statements, or add a list with sum(...)"
            ))
        #expect(t.run("keep.data") == "42.0")
        #expect(t.run("sum(range(300000))") == "44999850000")
    }

    /// Comprehensions nested in their clauses count their levels too: sixty thousand ran
    /// the parser off the end of the stack (a crash, with nothing said), in a def never
    /// called as well.
    @Test(arguments: ["[1 for a in ", "[1 for a in [1] if ", "(1 for a in [1] for b in ", "{a for a in "])
    func deepComprehensionsAreRefused(opening: String) {
        let t = Transcript()
        let close = opening.first == "[" ? "]" : opening.first == "(" ? ")" : "}"
        t.run("def f():\n    x = " + String(repeating: opening, count: 60_000) + "[1]" + String(repeating: close, count: 60_000))
        #expect(t.errors.contains("error: the expression nests more than 200 levels deep"), "\(t.errors.prefix(300))")
        #expect(t.run("keep = 1\nkeep") == "1")
    }

    @Test func deepNestingIsRefused() {
        let t = Transcript()
        t.run(String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000))
        #expect(t.errors.contains("error: the expression nests more than 200 levels deep"))
        t.run(String(repeating: "-", count: 10_000) + "1")
        #expect(t.errors.contains("more than 200 signs in a row"))
        t.run("x = " + Array(repeating: "2", count: 1000).joined(separator: "**"))
        #expect(t.errors.contains("error:"))
    }

    @Test func runawayRecursionStops() {
        let t = Transcript()
        t.session.limits.callDepth = 100
        t.run("f(x) = f(x)\nf(1)")
        #expect(
            t.errors.contains(
                "error: f was called more than 100 levels deep: does it call itself with no way to stop, as in f(x) = f(x)? Or is what it goes through that deep (a graph of a long chain)? Then go through it with a loop and a list of what is left to visit"
            ))
        t.run("g(x) = h(x) + 1; h(x) = g(x) * 2\ng(1)")
        #expect(t.errors.contains("was called more than 100 levels deep"))
        // A finite recursion well inside the limit is fine.
        t.run("k(x) = x\nk(k(k(k(3))))")
        #expect(t.out == ["3"])
    }

    @Test func theListLimitFitsTheMemoryThereIs() {
        // Plenty of memory: the usual limits. Little: a list may hold a sixteenth of it in
        // items (an item takes a few words in its list, more as a string or a list of its
        // own), and never fewer than 100,000, and a statement make a node for each 160
        // bytes. Unknown: the usual limits.
        let usual = Limits()
        let plenty = Limits.fittingThisMachine(available: 64 << 30)
        #expect(plenty.listItems == usual.listItems && plenty.nodesPerStatement == usual.nodesPerStatement)
        let small = Limits.fittingThisMachine(available: 400 << 20)
        #expect(small.listItems == (400 << 20) / (16 * MemoryLayout<Object>.stride))
        #expect(small.listLength == small.listItems && small.listItems < usual.listItems)
        #expect(small.nodesPerStatement == (400 << 20) / 160)  // (a node's bytes, and its share of a pass's)
        #expect(Limits.fittingThisMachine(available: 1 << 20).listItems == 100_000)
        #expect(Limits.fittingThisMachine(available: nil).listItems == usual.listItems)
        // A limit the memory set says so.
        #expect(small.fitToMemory && !plenty.fitToMemory)
        let t = Transcript()
        t.session.limits = small
        t.run("xs = [0.5] * 2000000")
        #expect(t.errors.contains("items, the most one list may hold with this machine's memory"), "\(t.errors)")
        t.run("xs = list(range(2000000))")
        #expect(t.errors.contains("the limit is \(small.listLength) with this machine's memory"))
    }

    @Test func aStringIsGoneThroughAsAListOfItsCharacters() {
        // A string of ten million letters made a list of 240 MB to be looped over, sliced
        // or indexed: as many characters as a list may hold, no more.
        let t = Transcript()
        t.session.limits.listLength = 100
        t.run("s = 'ab' * 100")
        for line in ["[c for c in s]", "s[1:]", "s[5]", "sorted(s)", "'{}'.format(s)" + " + s.format()"] {
            t.run(line)
            #expect(
                t.errors.contains(
                    "that string has 200 characters; going through it a character at a time makes a list of them, which may hold at most 100 items"
                ), "\(line): \(t.errors)")
        }
        #expect(t.run("len(s), s[:3] if False else 'ok'") == "(200, 'ok')")
        t.run("u = 'é' * 60")  // (120 bytes, 60 characters)
        #expect(t.run("u[59], len([c for c in u])") == "('é', 60)")
    }

    @Test func setsAndDictsCountAgainstTheSessionsItems() {
        // They used to grow without a limit until the memory ran out.
        let t = Transcript()
        t.session.limits.listItems = 5_000
        t.run("s = set()\nfor k in range(100000):\n    s.add(k)")
        #expect(t.errors.contains("the session's lists, sets and dicts would hold more than 5000 items in all"), "\(t.errors)")
        // Full already, a new list is refused for what is held (it spoke of the lists the
        // statement was making, list(range(n)) and its copy).
        t.run("parts = []")
        #expect(
            t.errors.contains(
                "the session's lists, sets and dicts already hold 5001 items in all, the most they may hold, so no new one can be made"),
            "\(t.errors)")
        t.run("d = {}\nfor k in range(100000):\n    d[k] = k")
        #expect(t.errors.contains("the session's lists, sets and dicts would hold more than 5000 items in all"))
        // Let go of, they count no more.
        t.run("del s\ndel d\nxs = list(range(2000))\nd = {}\nfor k in range(100):\n    d[k] = k\nprint(len(xs), len(d))")
        #expect(t.out.last == "2000 100" && t.errors.isEmpty, "\(t.errors)")
    }

    @Test func hugeRangesAndNetworksAreRefused() {
        let t = Transcript()
        t.run("range(100000000)")
        #expect(t.errors.contains("range(…) would hold 100000000 numbers; the limit is 10000000"))
        t.run("MLP(100000, [100000])")
        #expect(t.errors.contains("that network would have 10000100000 parameters; the limit is 1000000"))
        // A layer has the same limit (one of 100,000 × 100,000 took all the machine's memory).
        t.run("Layer(1001, 1000)")
        #expect(t.errors.contains("that Layer would have 1002000 parameters; the limit is 1000000"))
        t.run("a = 1.0; loss = a*a")
        t.run(":train loss 100000000")
        #expect(t.errors.contains("STEPS is a whole number from 1 to 10000000"))
        t.run(":train 5")
        #expect(t.errors.isEmpty)  // STEPS alone trains the last name assigned
        // zip's tuples count as list items: 30 lists of a million are refused before
        // thirty million items are made.
        t.run("xs = list(range(1000000))\nz = zip(" + Array(repeating: "xs", count: 30).joined(separator: ", ") + ")")
        #expect(t.errors.contains("the session's lists would hold more than 20000000 items in all"), "\(t.errors)")
        #expect(t.errors.contains("(counting the lists this statement is making: list(range(n)) makes two"), "\(t.errors)")
        // (Said with the statement's line, as every error is: it had no place.)
        #expect(t.errors.hasPrefix("<test>:2:1: error: the session's lists"), "\(t.errors)")
        t.run("len(zip(xs, xs))")
        #expect(t.out == ["1000000"])
    }

    /// Text longer than a string may be is refused before it is built: a join of a
    /// million long strings, or str of a list of them, used to build gigabytes first (and
    /// str would not stop on Ctrl-C).
    @Test func tooLongTextStopsAtTheLimitNotAfterIt() {
        let t = Transcript()
        t.session.limits.stringLength = 1000
        let tooLong = "that string would be longer than 1000 characters, the longest a string may be"
        t.run("x = 'a' * 100")
        for line in [
            "' '.join([x] * 10**6)", "str([x] * 10**6)", "f'{[x] * 10**6}'", "'%s' % ([x] * 10**6,)", "'%r' % ([x] * 10**6,)",
            "f'{[x] * 10**6!r}'", "print([x] * 10**6)", "str({1: [x] * 10**6})", "str(([x] * 10**6, 1))",
        ] {
            t.run(line)
            #expect(t.errors.contains(tooLong), "\(line): \(t.errors)")
        }
        // Within the limit, as before; the echo of a longer list is cut short, with a note.
        #expect(t.run("len(' '.join([x] * 9))") == "908")
        #expect(t.run("str([1, [2, 'a']])") == "\"[1, [2, 'a']]\"")
        let echo = t.run("[x] * 10**6")
        #expect(
            echo.hasPrefix("['aaa")
                && echo.hasSuffix(
                    "… (cut short: the first 2000 characters of more than 10000000; len(x) counts its items, and x[:10] shows the first ten)"
                ))
        #expect(echo.count < 2200)
        // Every character counts, brackets too: a list of empty lists (or sets, or tuples)
        // is all brackets, and str() of four million of them made 16 million characters.
        #expect(
            t.run("len(str([10] + [1] * 332)), len(str(((),) * 250)), len(str([set()] * 142)), len(str({1: 2, 3: (4,)}))")
                == "(1000, 1000, 994, 15)")
        for line in [
            "str([10] + [1] * 333)", "str(((),) * 251)", "str([set()] * 143)", "str([[]] * 400)", "str([{}] * 400)",
            "str(dict(zip(range(200), [[]] * 200)))",
        ] {
            t.run(line)
            #expect(t.errors.contains(tooLong), "\(line): \(t.errors)")
        }
        let empties = t.run("[[]] * 4000000")
        #expect(
            empties.hasSuffix("of more than 10000000; len(x) counts its items, and x[:10] shows the first ten)") && empties.count < 2200)
    }

    /// str() of a list nested past 500 levels is an error, as in Python: it returned the
    /// echo's text, with [...] for the depths, as if that were the list's text.
    @Test func strOfAListNestedTooDeepIsAnError() {
        let t = Transcript()
        t.run("x = []\nfor k in range(600):\n    x = [x]")
        for line in ["s = str(x)", "print(x)", "f'{x}'", "'%r' % (x,)"] {
            t.run(line)
            #expect(
                t.errors.contains("this nests more than 500 levels deep, too deep to write out (Python stops too)"), "\(line): \(t.errors)")
        }
        #expect(t.session.names["s"] == nil)
        #expect(t.run("x").hasSuffix("[[...]" + String(repeating: "]", count: 500)))
        #expect(t.run("str([[1], (2,)])") == "'[[1], (2,)]'")
    }

    /// Ctrl-C stops work that has no loop of the learner's in it: a recursion, a sort, a
    /// sort's key function.
    @Test func workWithoutALoopStopsWhenInterrupted() {
        let t = Transcript()
        t.run("xs = [str(k) for k in range(200000)]")
        for line in [
            "def f(n):\n    return 1 if n == 0 else f(n - 1) + f(n - 1)\nf(16)", "ys = sorted(xs)",
            "zs = sorted(range(200000), key=lambda k: -k)",
        ] {
            t.pressCtrlC(afterChecks: 100)
            t.run(line)
            #expect(t.errors.hasSuffix("Interrupted"), "\(line): \(t.errors)")
        }
        // Plain numbers are sorted apart from Objects, a pass at a time (18 passes for
        // 200,000), and a set or a dict of many items is asked about as it is made.
        t.pressCtrlC(afterChecks: nil)
        t.run("shuffled = [(k * 7919) % 200000 for k in range(200000)]\nfloats = [k / 3 for k in shuffled]")
        for line in [
            "ns = sorted(shuffled)", "fs = sorted(floats)", "ss = set(range(2000000))", "ds = dict(zip(range(2000000), range(2000000)))",
        ] {
            t.pressCtrlC(afterChecks: 5)
            t.run(line)
            #expect(t.errors.hasSuffix("Interrupted"), "\(line): \(t.errors)")
        }
        t.pressCtrlC(afterChecks: nil)
        #expect(t.run("ns = sorted([3, 1.5, 2, -1] * 3, reverse=True)\nns") == "[3, 3, 3, 2, 2, 2, 1.5, 1.5, 1.5, -1, -1, -1]")
    }

    @Test func longWorkStopsWhenInterrupted() {
        let t = Transcript()
        t.pressCtrlC(afterChecks: 1000)
        t.run("xs = [k*2 for k in range(5000000)]")
        #expect(t.errors == "Interrupted")
        t.run("for k in range(5000000): y = k")
        #expect(t.errors == "Interrupted")
    }
}

@Suite struct LoopTests {
    @Test func aForAfterASemicolonOrInAOneLineBodyIsAnErrorAsInPython() {
        let t = Transcript()
        t.run("for k in range(2): x = k; for j in range(2): print(k, j)")
        #expect(
            t.errors
                == ErrorTests.diagnostic(
                    1, 27, "a 'for' must start its own line", "for k in range(2): x = k; for j in range(2): print(k, j)"))
        t.run("x = 1; for k in range(2): y = k")
        #expect(t.errors.contains("a 'for' must start its own line"))
        // As blocks, they nest.
        #expect(t.run("for k in range(2):\n    x = k\n    for j in range(2):\n        print(k, j)") == "0 0\n0 1\n1 0\n1 1")
    }
}

@Suite struct NodeBudgetTests {
    @Test func aStatementThatRecordsTooManyNodesStopsWithTheLimitNamed() {
        let t = Transcript()
        t.session.limits.nodesPerStatement = 10_000
        t.run("a = 1.0")
        t.run("for k in range(100000): b = a * 2")
        #expect(
            t.errors
                == "<test>:1:1: error: this statement made more than 10000 nodes that are still in use, the most one statement may keep; keep fewer graphs (a list that keeps every step's loss keeps every step's graph), split the work up, or train on a fixed graph with :train\nfor k in range(100000): b = a * 2\n^"
        )
        t.run("xs = [a] * 20000")  // repetition: the same node 20,000 times
        #expect(t.errors.isEmpty)
        t.run("ys = [a for k in range(20000)]")
        t.run("zs = ys * 2.0")  // item by item: 40,000 nodes
        #expect(t.errors.contains("made more than 10000 nodes"))
        #expect(t.run("a.data") == "1.0")
    }
}

@Suite struct NudgeByHandTests {
    @Test func nudgeComparesAGradSetByHandToo() {
        let t = Transcript()
        t.run("a = 2.0; b = -3.0; L = a*b")
        t.run("a.grad = 5.0")
        #expect(t.run(":nudge a 0.0001 L").hasSuffix("a.grad as it is now  5.0  (not what backward gives)"))
        t.run("a.grad = -3.0")
        #expect(!t.run(":nudge a 0.0001 L").contains("as it is now"))
        #expect(t.run("a.grad") == "-3.0")  // :nudge leaves the grads as it found them
    }
}

/// A session on a thread with less stack left than the margin the stack check keeps.
@Suite struct SmallStackTests {
    /// What the thread saw (read after it signals, so never at the same time).
    final class Seen: @unchecked Sendable {
        var output = "", errors = ""
        var outputs: [String] = []
    }

    /// Runs `lines` in a session on a thread with `stack` bytes of stack, and says what it
    /// printed and what errors it showed.
    static func onSmallStack(_ lines: [String], stack: Int) -> (output: [String], errors: String) {
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do {
                let t = Transcript()
                t.session.loopCompactionThreshold = 100
                for line in lines {
                    seen.outputs.append(t.run(line))
                    seen.errors += t.errors
                }
            }  // (the session is freed here, on this thread, with all it held)
            done.signal()
        }
        thread.stackSize = stack
        thread.start()
        done.wait()
        return (seen.outputs, seen.errors)
    }

    /// Containers inside containers tens of thousands deep, on a thread with 4 MB of stack:
    /// freeing them one inside another's release, walking them for a compaction or an
    /// error, or echoing them each went a level deeper on the stack for every level.
    @Test(arguments: ["xs = [xs]", "xs = (xs,)", "xs = {1: xs}", "xs = [(xs, 1.0)]", "xs = wrap(xs)", "xs = [xs.append]"])
    func containersManyLevelsDeepAreFreedWalkedAndShown(step: String) {
        let (output, errors) = Self.onSmallStack(
            [
                "def wrap(g):\n    return lambda: g",
                "xs = []\nfor i in range(40000):\n    \(step)",
                "y = Value(1.0) + 'a'",  // an error: are nodes held from the statement? a walk
                "for k in range(3):\n    L = sum([Value(1.0) for j in range(300)])",  // compactions
                "xs",  // the echo (str of it is an error: it nests past 500 levels)
                "xs = 0",
                "ys = []\nfor i in range(40000):\n    \(step.replacing("xs", with: "ys"))",
            ], stack: 4 << 20)
        #expect(!output[4].isEmpty && output[4].count < 5000, "\(output)")
        #expect(errors.contains("cannot add a Value and a string"), "\(errors)")
        #expect(!errors.contains("too deep"), "\(errors)")
    }

    /// A tuple of a tuple of … let go of anywhere (a list's item, a dict's entry, a
    /// function's old defaults, a call's result used once) went a level deeper on the stack
    /// for every level, when tuples were arrays that Swift freed.
    @Test(arguments: [
        ("xs = [t]", "xs[0] = 0"), ("xs = [t]", "del xs[0]"), ("xs = [t]", "xs.clear()"),
        ("d = {1: t}", "d[1] = 0"), ("d = {1: t}", "del d[1]"),
        ("xs = [t]", "len(xs.pop())"),
        ("def g(a=t):\n    return 1", "def g(a=0):\n    return 1"),
        ("def f(n):\n    u = ()\n    for i in range(n):\n        u = (u,)\n    return u", "len(f(40000))"),
    ])
    func aTupleManyLevelsDeepLetGoOfByAnItemIsFreed(holder: String, drop: String) {
        let (output, errors) = Self.onSmallStack(
            ["t = ()\nfor i in range(40000):\n    t = (t,)", holder + "\nt = 0", drop, "1 + 1"], stack: 4 << 20)
        #expect(output.last == "2" && errors.isEmpty, "\(output) \(errors)")
    }

    /// `t = (t, t)` sixty times is 60 tuples but 2⁶⁰ paths: the walk after a failed
    /// statement, the compaction's remap and `==` went down every path.
    @Test func tuplesThatShareTheirPartsAreGoneThroughOnce() {
        let (output, errors) = Self.onSmallStack(
            [
                "v = Value(2.0)\nt = (v,)\nfor i in range(60):\n    t = (t, t)",
                "y = Value(1.0) * 2 + 'a'",
                "for k in range(3):\n    L = sum([Value(1.0) for j in range(300)])",
                "t == t",
                "x = t\nfor i in range(60):\n    x = x[i % 2]\nx[0] is v and x[0].data == 2.0",
            ], stack: 4 << 20)
        #expect(errors.contains("cannot add a Value and a string"), "\(errors)")
        #expect(output[3] == "True" && output[4] == "True", "\(output)")
    }

    @Test func aTupleManyLevelsDeepIsTooDeepToBeAKey() {
        let (output, errors) = Self.onSmallStack(
            ["t = ()\nfor i in range(40000):\n    t = (t,)", "d = {t: 1}", "1 + 1"], stack: 4 << 20)
        #expect(errors.contains("nest too deep to go through"), "\(errors)")
        #expect(output[2] == "2")
    }

    @Test func aThreadWithLittleStackGetsTooDeepNotATrap() {
        let seen = Seen()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let t = Transcript()
            seen.output = t.run("def f(x):\n    return x + 1\n\nf(1)")
            seen.errors = t.errors
            done.signal()
        }
        thread.stackSize = 512 << 10  // less than the 1 MB margin: no room for any call
        thread.start()
        done.wait()
        #expect(seen.output.isEmpty)
        #expect(seen.errors.contains("this goes too deep for the stack"), "\(seen.errors)")
    }
}
