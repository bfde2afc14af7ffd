import Foundation
import Testing

/// `micrograd run` and `micrograd` on a pipe, through the built binary.
@Suite struct RunTests {
    static let tutorial = """
        a = 2.0
        b = -3.0
        c = 10.0
        e = a*b; d = e + c
        f = -2.0
        L = d * f
        L
        :grad L
        a.grad
        """

    @Test func runFromStandardInput() throws {
        let run = try Run("run", "-", stdin: Self.tutorial)
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout.hasPrefix("Value(data=-8.0)\nnode  op    data  grad\n"))
        #expect(run.stdout.hasSuffix("L     *     -8.0  1.0\n6.0\n"))
    }

    /// exit(n) ends a script with status n, and exit('why') says why and ends with 1, as in
    /// Python (both ended with 0).
    @Test func exitGivesItsStatus() throws {
        for (script, status, stderr) in [
            ("exit(3)\nprint('never')", Int32(3), ""), ("quit(1)", 1, ""), ("exit('bye')", 1, "bye\n"), ("x = 1\nexit()", 0, ""),
        ] {
            let run = try Run("run", "-", stdin: script)
            #expect(run.status == status && run.stderr == stderr && run.stdout.isEmpty, "\(script): \(run.status) \(run.stderr)")
        }
    }

    @Test func recursionGoesAsDeepAsPythonsOnTheProgramsStack() throws {
        // The tutorial's recursive build_topo on a deep graph needs hundreds of levels; the
        // program's thread has the stack for Python's 1,000 (then a clear error).
        let run = try Run(
            "run", "-", stdin: "def down(n):\n    if n == 0:\n        return 0\n    return 1 + down(n - 1)\n\ndown(990)\ndown(1200)\n")
        #expect(run.stdout == "990\n")
        #expect(run.stderr.contains("down was called more than 1000 levels deep"))
    }

    @Test func runningShortOfMemoryIsAnErrorAndTheSessionGoesOn() throws {
        // With 250 MB of address space: statements that each add a graph of half a million
        // nodes, kept, until the graph cannot grow: each of those stops with an error, and
        // once the graphs are let go of, their memory serves again. A list too large for
        // the memory left is refused by a limit made to fit it. Nothing stops the program.
        let script =
            "l = Layer(500, 499)\nx = [Value(1.0)] * 500\nys = []\ndef grow():\n    ys.append(l(x))\n\n"
            + String(repeating: "grow()\n", count: 12)
                + """
                print("kept", len(ys) < 12)
                ys = []
                z = l(x)
                print("again", len(z), z[0].data == l(x)[0].data)
                xs = [0.5] * 9000000
                print("alive")

                """
        let run = try Run(memoryLimit: 250_000, "run", "-", stdin: script)
        // (Stopped as the memory left falls below a margin, or when the graph cannot grow.)
        #expect(
            run.stderr.contains("error: out of memory: the program is within")
                || run.stderr.contains("error: out of memory: the graph (") && run.stderr.contains("cannot grow any more on this machine"),
            "\(run.stderr)")
        // (The list is refused by the limit made to fit it, or, where memory is already
        // within the margin as the statement starts, by the memory watch: which comes first
        // depends on how the address space lies, in a debug build too.)
        #expect(
            run.stderr.contains("<stdin>:23:12: error: that list would hold more than")
                || run.stderr.contains("<stdin>:23:1: error: out of memory: the program is within"), "\(run.stderr)")
        #expect(!run.stderr.contains("crashed") && !run.stderr.contains("Fatal error"))
        #expect(run.stdout == "kept True\nagain 499 True\nalive\n")
        #expect(run.status == 1)
    }

    /// A script of many short lines is refused before it is split into them, in whatever way
    /// it comes (a file, standard input, a notebook, lessons check): nine million newlines
    /// stopped the program with "failed to allocate" in the splitting, under a memory limit.
    @Test func manyShortLinesAreRefusedBeforeTheyAreSplit() throws {
        let newlines = String(repeating: "\n", count: 9_000_000)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-lines-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try newlines.write(toFile: dir + "/nl.md", atomically: false, encoding: .utf8)
        for arguments in [["run", "-"], ["run", dir + "/nl.md"], ["lessons", "check", dir + "/nl.md"]] {
            let run = try Run(
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", "ulimit -v 400000 && exec \"$0\" \"$@\"", Run.binary.path] + arguments,
                stdin: arguments.last == "-" ? newlines : "")
            #expect(run.stderr.contains("MB, and reading it takes up to 350 times that"), "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("crashed"), "\(arguments)")
            // (run's status for a script that failed; lessons check's for a file it cannot take.)
            #expect(run.status == (arguments[0] == "lessons" ? 2 : 1), "\(arguments): \(run.status)")
        }
    }

    /// A script too big to read in the memory left is refused, saying so (a list of 1.5
    /// million numbers, 3 MB, under a limit of 400 MB stopped the program with "failed to
    /// allocate"); the same script reads where there is room.
    @Test func aScriptTooBigToReadInTheMemoryLeftIsRefused() throws {
        let script = "x = [" + Array(repeating: "1", count: 1_500_000).joined(separator: ",") + "]\nprint(len(x))\n"
        let short = try Run(memoryLimit: 400_000, "run", "-", stdin: script)
        #expect(short.status == 1, "\(short.stderr.prefix(300))")
        #expect(short.stderr.contains("<stdin> is 2 MB, and reading it takes up to 350 times that, more than the"), "\(short.stderr)")
        let roomy = try Run("run", "-", stdin: script)
        #expect(roomy.status == 0 && roomy.stdout == "1500000\n", "\(roomy.stderr.prefix(300))")
    }

    /// What no limit counts fills memory too: long strings, a network's forward pass and
    /// the compaction after it, a dict growing with no room left. Each stopped the program
    /// ("failed to allocate"); now the statement stops with an error while there is memory
    /// left, and the session goes on.
    @Test func memoryThatNoLimitCountsRunningShortIsAnError() throws {
        let script = """
            kept = 123.0
            xs = ["a"*500000 + str(i) for i in range(2000)]
            ys = []
            for i in range(3000):
                ys.append("b"*300000)
            ys = []
            n = MLP(1000, [900, 100, 1])
            o = n([1.0]*1000)
            keep = []
            for i in range(100000):
                keep.append("c"*500000)
            d = {}
            for i in range(10000000):
                d[i] = i
            keep = None
            d = None
            print("alive", kept.data)

            """
        let run = try Run(memoryLimit: 400_000, "run", "-", stdin: script)
        #expect(run.stderr.contains("<stdin>:2:1: error: out of memory: the program is within"), "\(run.stderr)")
        #expect(run.stderr.contains("<stdin>:4:1: error: out of memory: the program is within"), "\(run.stderr)")
        // (The loop's appends stay done; then a dict that would double its storage past the
        // memory left is refused before it asks.)
        #expect(run.stderr.contains("<stdin>:10:1: error: out of memory: the program is within"), "\(run.stderr)")
        #expect(run.stderr.contains("<stdin>:13:1: error: out of memory: the program is within"), "\(run.stderr)")
        #expect(!run.stderr.contains("crashed") && !run.stderr.contains("Fatal error"), "\(run.stderr)")
        #expect(run.stdout == "alive 123.0\n", "\(run.stdout)")
        #expect(run.status == 1)
    }

    /// After a statement stopped for want of memory, the session's tidying between
    /// statements went through everything the names hold (a Set the size of the tuples)
    /// and rebuilt the labels of every node, and that took the memory that was not there:
    /// the program printed its error, then stopped ("failed to allocate"), losing the rest.
    @Test func whatFollowsAStatementStoppedForMemoryRuns() throws {
        for script in [
            "t = ()\nwhile True:\n    t = (t, 1)\nprint('after')\n",
            "d = {}\ni = 0\nwhile True:\n    d[i] = (i, i, i)\n    i += 1\nprint('after')\n",
        ] {
            let run = try Run(memoryLimit: 500_000, "run", "-", stdin: script)
            // (The dict may meet the limit on items made to fit the memory first.)
            #expect(
                run.stderr.contains("error: out of memory: the program is within") || run.stderr.contains("would hold more than"),
                "\(run.stderr.prefix(400))")
            #expect(!run.stderr.contains("crashed") && !run.stderr.contains("Fatal error"), "\(run.stderr.prefix(600))")
            #expect(run.stdout == "after\n" && run.status == 1, "\(run.stdout) \(run.status)")
        }
    }

    @Test func aPipeWithoutSubcommandIsTheSameAsRunDash() throws {
        let piped = try Run(stdin: Self.tutorial)
        let dash = try Run("run", "-", stdin: Self.tutorial)
        #expect(piped.status == 0 && piped.stdout == dash.stdout)
        #expect(!piped.stdout.contains(">>>") && !piped.stdout.contains("micrograd 0"))  // no prompt, no banner
        #expect(!piped.stdout.contains("\u{1B}") && !piped.stderr.contains("\u{1B}"))  // no escape codes
    }

    @Test func errorsGoToStandardErrorWithACaretAndTheRestStillRuns() throws {
        let run = try Run("run", "-", stdin: "a = 2.0\nb = a * nope\nc = a + 1\nc\n")
        #expect(run.status == 1)
        #expect(run.stdout == "Value(data=3.0)\n")
        #expect(
            run.stderr == """
                <stdin>:2:9: error: 'nope' is not defined; give it a value first, as in nope = 2.0
                b = a * nope
                        ^

                """)
    }

    @Test func runFilesInOneSession() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-run-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let first = dir.appendingPathComponent("first.mg"), second = dir.appendingPathComponent("second.mg")
        try "x = 3.0\nf(x) = 3*x**2 - 4*x + 5\n".write(to: first, atomically: true, encoding: .utf8)
        try "f(x).data\nf(oops)\n".write(to: second, atomically: true, encoding: .utf8)
        let run = try Run("run", first.path, second.path)
        #expect(run.status == 1)
        #expect(run.stdout == "20.0\n")
        #expect(run.stderr.hasPrefix("\(second.path):2:3: error: 'oops' is not defined"))
        let missing = try Run("run", dir.appendingPathComponent("none.mg").path)
        #expect(missing.status == 2)  // a usage mistake
        #expect(missing.stderr.contains("none.mg: No such file or directory"))
    }
}

@Suite struct LessonCommandTests {
    @Test func checkPrintsFileLineAndADiffAndExitsOne() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("99-stale-\(getpid()).md").path
        try "# 99. Stale\n\n```micrograd\na = 2.0\na * 3\n```\n\n```output\nValue(data=7.0)\n```\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let check = try Run("lessons", "check", path)
        #expect(check.status == 1)
        #expect(
            check.stderr
                == "\(path):4: the cell's output differs from the lesson's (- lesson, + now)\n- Value(data=7.0)\n+ Value(data=6.0)\n")
        let update = try Run("lessons", "update", path)
        #expect(update.status == 0 && update.stdout == "\(path): output blocks updated\n")
        let again = try Run("lessons", "check", path)
        #expect(again.status == 0 && again.stdout == "\(path): 1 of 1 cells print what the lesson says\n")
        try "# Broken\n```micrograd\na = 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try Run("lessons", "check", path)
        #expect(broken.status == 2 && broken.stderr.contains("\(path):2: the block that starts here is never closed"))
    }

    @Test func lessonNWithoutATerminalShowsTheLesson() throws {
        let run = try Run("lesson", "1")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("1. Derivatives  (10 steps;"))
        // Its exercises are shown with a solution, which runs, so the steps after them work.
        #expect(run.stdout.contains("✎ Your turn (exercise 1 of 2)"))
        #expect(run.stdout.contains("A solution:\n    slope1 = "))
        #expect(
            run.stderr
                == "(standard input is not a terminal, so the lesson is shown whole, its exercises with their solutions; `micrograd run -` runs a script)\n",
            "\(run.stderr)")
        #expect(run.stdout.contains(">>> (f(x + h) - f(x)) / h\nValue(data=14.000300000063248)"))
        #expect(try Run("lesson", "99").status == 2)
        #expect(try Run("lessons").stdout.hasPrefix("1. Derivatives  (10 steps, 2 exercises)\n2. The Value object"))
    }
}
