import Foundation
import Testing

/// Ctrl-C, resizing, editing keys and requests to end, at a terminal started as a shell
/// starts a program.
@Suite(.serialized) struct SignalTests {
    let home: String

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("mg-signals-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    @Test func ctrlCAtThePromptDropsTheHalfTypedLine() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("qq = 1 + ")
        #expect(t.waitFor("qq = 1 + "))
        t.type("\u{3}")
        t.typeAtPrompt("zz = 5.0\n")
        t.typeAtPrompt("zz\n")
        #expect(t.waitFor("Value(data=5.0)"), "\(t.screen)")
        t.typeAtPrompt("qq\n")
        #expect(t.waitFor("'qq' is not defined"))
        #expect(!t.screen.contains("qq = 1 + zz"))
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func ctrlCAtAContinuationPromptCancelsTheBlock() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("def twice(x):\n")
        #expect(t.waitFor("... "))
        t.typeAtPrompt("    return 2 * x\n")
        t.waitForPrompt()
        t.type("\u{3}")
        #expect(t.waitFor(">>> ", after: t.screen.count))
        t.typeAtPrompt("twice\n")
        #expect(t.waitFor("'twice' is not defined"), "\(t.screen)")
        // And a block finished with a blank line runs.
        t.typeAtPrompt("def thrice(x):\n")
        t.typeAtPrompt("    return 3 * x\n")
        t.typeAtPrompt("\n")
        t.typeAtPrompt("thrice(2)\n")
        #expect(t.waitFor("\n6\n"), "\(t.screen)")
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func aCtrlCAtAnIdlePromptDoesNotStopTheNextLessonStep() throws {
        let t = try PseudoTerminal(home: home, arguments: ["lesson", "7"])
        #expect(t.waitFor("steps; Enter or :next"))
        for _ in 0..<5 { t.typeAtPrompt("\n") }
        t.waitForPrompt()
        t.type("\u{3}")
        let mark = t.screen.count
        t.typeAtPrompt("\n")
        t.waitForPrompt()
        t.typeAtPrompt(":where\n")
        #expect(t.waitFor("step 7 of", after: mark), "\(t.screen)")
        #expect(!t.screen.dropFirst(mark).contains("Interrupted"))
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func homeEndAndDeleteMoveAndDelete() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        // Each way terminals send Home and End: type "bc = 1.5", go Home, type "a", go End, type "0".
        for (home, end) in [("\u{1B}[H", "\u{1B}[F"), ("\u{1B}[1~", "\u{1B}[4~"), ("\u{1B}OH", "\u{1B}OF"), ("\u{1B}[7~", "\u{1B}[8~")] {
            t.typeAtPrompt("bc = 1.5" + home + "a" + end + "0\n")
            t.typeAtPrompt("abc.data\n")
            #expect(t.waitFor("1.5\n", after: t.screen.count - 20), "\(t.screen.suffix(200))")
            #expect(!t.screen.contains("~"), "\(t.screen.suffix(200))")
        }
        // Delete removes the character under the cursor: "xy = 2" with the x deleted.
        t.typeAtPrompt("xy = 2.0" + "\u{1B}[H" + "\u{1B}[3~" + "\n")
        t.typeAtPrompt("y\n")
        #expect(t.waitFor("Value(data=2.0)"), "\(t.screen.suffix(200))")
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func aResizeKeepsTheLineBeingTypedAndTheNewWidthIsUsed() throws {
        let t = try PseudoTerminal(home: home, columns: 100)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("wide = 2")
        #expect(t.waitFor("wide = 2"))
        let mark = t.screen.count
        t.resize(columns: 40)
        // libedit heard of it: the prompt and the line are drawn again.
        #expect(t.waitFor(">>> wide = 2", after: mark), "\(t.screen.suffix(200))")
        t.type(".5\n")
        t.typeAtPrompt("wide\n")
        #expect(t.waitFor("Value(data=2.5)"), "\(t.screen.suffix(200))")
        // Pictures follow the new width.
        t.typeAtPrompt("a = 2.0; b = -3.0; c = 10.0; e = a*b; d = e + c; f = -2.0; L = d*f\n")
        t.typeAtPrompt(":graph L\n")
        #expect(t.waitFor("(columns 1–40 of"), "\(t.screen.suffix(400))")
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func sigtermAtThePromptEndsWithStatus143AndKeepsTheHistory() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("kept = 1.0\n")
        t.waitForPrompt()
        t.signal(SIGTERM)
        #expect(t.exitStatus() == 143)
        let history = try String(contentsOfFile: home + "/.local/state/micrograd/history", encoding: .utf8)
        #expect(history == "kept = 1.0\n")
    }

    /// A FIFO that no program writes into is refused by :load at once (it waited, until
    /// Ctrl-C; and `micrograd run` of a script that loaded one waited for ever).
    @Test func loadingAFIFOThatNobodyWritesIsRefusedAtOnce() throws {
        let fifo = home + "/pipe.mg"
        #expect(mkfifo(fifo, 0o600) == 0)
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("keep = 3.0\n")
        t.typeAtPrompt(":load \(fifo)\n")
        #expect(t.waitFor("give a file"), "\(t.screen.suffix(300))")  // (the message is wrapped to the terminal)
        t.typeAtPrompt("keep\n")
        #expect(t.waitFor("Value(data=3.0)"))
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func ctrlCStopsGraphvizAndNoDotIsLeftRunning() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        // 4,000 nodes: under the limit, and a few seconds of work for dot.
        t.typeAtPrompt("xs = [Value(float(i)) for i in range(1000)]; s = sum(x*x for x in xs)\n")
        t.typeAtPrompt(":svg s \(home)/big.svg\n")
        usleep(400_000)
        t.type("\u{3}")
        #expect(t.waitFor("Interrupted"), "\(t.screen.suffix(300))")
        usleep(300_000)
        #expect(!FileManager.default.fileExists(atPath: home + "/big.svg"))
        // (Only the program's own: another dot on the machine is not its doing.)
        #expect(!processes(childrenOf: t.pid).contains { $0.contains("dot -Tsvg") })
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    /// The command lines of the processes running now (those whose parent is `parent`, if
    /// given).
    func processes(childrenOf parent: pid_t? = nil) -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { $0.allSatisfy(\.isNumber) }.compactMap { id in
            if let parent {
                // (/proc/ID/stat: "ID (name) state PPID …"; the name may hold spaces.)
                guard let stat = try? String(contentsOfFile: "/proc/\(id)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")"),
                    stat[stat.index(after: close)...].split(separator: " ").dropFirst().first == "\(parent)"
                else { return nil }
            }
            return (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(id)/cmdline")))
                .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self) }
        }
    }
}

/// `micrograd run` stopped by a signal.
@Suite struct RunSignalTests {
    static let slow = """
        print('start')
        a = 1.0
        for k in range(5000000):
            b = a * 2
        print('never')
        """

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func aSignalStopsTheScriptSaysWhereAndFlushesWhatItPrinted(signal: Int32, status: Int32) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-run-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("slow.mg").path
        try Self.slow.write(toFile: script, atomically: true, encoding: .utf8)
        let program = try PipedProgram(["run", script])
        // Output to a pipe is buffered: 'start' is only seen once the program flushes on the way out.
        usleep(700_000)
        program.signal(signal)
        #expect(program.exitStatus() == status)
        #expect(program.stdout == "start\n")
        #expect(program.stderr == "\(script):3: interrupted\n", "\(program.stderr)")
    }

    /// Writes `files` (name, text) to a folder of their own, runs the first with
    /// `micrograd run`, and sends `signal` once it is under way; returns the program and
    /// each file's path.
    func runSignalled(_ files: [(name: String, text: String)], signal: Int32 = SIGINT) throws -> (PipedProgram, [String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-run-signal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var paths: [String] = []
        for file in files {
            let path = dir.appendingPathComponent(file.name).path
            try file.text.replacing("$DIR", with: dir.path).write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let program = try PipedProgram(["run", paths[0]])
        usleep(700_000)
        program.signal(signal)
        return (program, paths)
    }

    /// A recursion with no loop in it stops on Ctrl-C, SIGTERM and SIGHUP (closing the
    /// terminal). It used to run on: a closed terminal left it burning a core.
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func aRecursionStopsOnASignal(signal: Int32, status: Int32) throws {
        let (program, paths) = try runSignalled(
            [("rec.mg", "def f(n):\n    return 1 if n == 0 else f(n - 1) + f(n - 1)\nprint(f(40))\n")], signal: signal)
        #expect(program.exitStatus() == status)
        #expect(program.stderr.hasSuffix("\(paths[0]):3: interrupted\n"), "\(program.stderr)")
    }

    /// A command stopped by Ctrl-C is reported once, at its line: the line after it, which
    /// never ran, was reported as interrupted too.
    @Test func anInterruptedCommandIsReportedOnce() throws {
        let (program, paths) = try runSignalled(
            [("train.mg", "n = MLP(3, [4, 4, 1])\nloss = (n([1.0, 2.0, 3.0]) - 1)**2\n:train loss 10000000 0.001\nprint('after')\n")])
        #expect(program.exitStatus() == 130)
        #expect(program.stderr.hasSuffix("\(paths[0]):3: interrupted\n"), "\(program.stderr)")
        #expect(
            !program.stderr.contains(":4: interrupted") && !program.stdout.split(separator: "\n").contains("after"), "\(program.stderr)")
    }

    /// Ctrl-C in a file that another loaded is said once, where it stopped: not again at
    /// the :load line of each file out (nor a second time at the prompt).
    @Test func anInterruptionInALoadedFileIsReportedOnce() throws {
        // (The outer file runs first, and loads the slow one from the same folder.)
        let (program, paths) = try runSignalled([
            ("outer.mg", ":load $DIR/slow.mg\nprint('after')\n"), ("slow.mg", "i = 0\nwhile True:\n    i += 1\n"),
        ])
        let slow = paths[1]
        #expect(program.exitStatus() == 130)
        #expect(program.stderr == "\(slow):2: interrupted\n" || program.stderr == "\(slow):3: interrupted\n", "\(program.stderr)")
    }

    /// `demo` and `bench` run no notebook, so nothing of theirs asks whether to stop:
    /// Ctrl-C ends them as it ends any program (they used to ignore it).
    @Test(arguments: [["demo", "moons", "--steps", "100000000"], ["bench", "--steps", "100000", "--runs", "1"]])
    func demoAndBenchEndOnCtrlC(arguments: [String]) throws {
        let program = try PipedProgram(arguments)
        usleep(700_000)
        program.signal(SIGINT)
        #expect(program.exitStatus() == 130)
    }

    /// Closed standard descriptors are failures said so: with standard input and output
    /// both closed, `print` wrote into the program's own pipe, and it ended with 0.
    @Test(arguments: [
        ("run - <&- >&-", Int32(2), "cannot read <stdin>: Bad file descriptor"),
        ("run \"$1\" <&- >&-", 1, "error: cannot write to standard output: Bad file descriptor"),
    ])
    func closedStandardDescriptorsAreFailuresSaidSo(redirection: String, status: Int32, message: String) throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("mg-closed-\(UUID().uuidString).mg").path
        try "print(1)\n".write(toFile: script, atomically: true, encoding: .utf8)
        defer { unlink(script) }
        let run = try Run(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "exec \"$0\" \(redirection)", Run.binary.path, script])
        #expect(run.status == status, "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    /// A lesson cell that loops for ever stops `lessons check`, `update` and `show` on Ctrl-C
    /// and SIGTERM, saying so, with 130 or 143, and update writes nothing (they went on,
    /// deaf to both, until SIGKILL).
    @Test(arguments: [("check", SIGINT), ("update", SIGTERM), ("show", SIGINT)])
    func aLessonThatLoopsForEverStopsOnASignal(command: String, signal: Int32) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mg-hang-\(UUID().uuidString).md").path
        let text = "# H\n\n```micrograd\nwhile True:\n    pass\n```\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let program = try PipedProgram(["lessons", command, path])
        usleep(700_000)
        program.signal(signal)
        #expect(program.exitStatus() == 128 + signal)
        #expect(program.stderr.contains("\(path): interrupted"), "\(program.stderr)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    /// Output that cannot be written (to a full disk) fails the run, with the reason: a
    /// script's results used to vanish with a status of 0.
    @Test(arguments: [["run", "-"], ["lessons", "show", "1"], ["--version"], ["--help"], ["run", "--help"]])
    func outputThatCannotBeWrittenIsAnError(arguments: [String]) throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }  // (Linux has it)
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("mg-full-\(UUID().uuidString).mg").path
        try "print(1)\n".write(toFile: script, atomically: true, encoding: .utf8)
        let program = try PipedProgram(arguments, stdinFile: script, stdoutFile: "/dev/full")
        #expect(program.exitStatus() == 1)
        #expect(program.stderr.contains("error: cannot write to standard output: No space left on device"), "\(program.stderr)")
    }

    @Test func standardInputOverTenMegabytesIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mg-big-\(UUID().uuidString).mg").path
        let line = String(repeating: "# padding padding padding padding padding padding padding\n", count: 1000)
        try String(repeating: line, count: 200).write(toFile: path, atomically: true, encoding: .utf8)  // 11.6 MB
        defer { unlink(path) }
        let program = try PipedProgram(["run", "-"], stdinFile: path)
        #expect(program.exitStatus() == 2)
        #expect(program.stderr.contains("cannot read <stdin>: larger than 10 MB"), "\(program.stderr)")
    }
}

/// The history file: appended to, never rewritten line by line, never lost.
@Suite(.serialized) struct HistoryTests {
    let home: String

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("mg-history-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.local/state/micrograd", withIntermediateDirectories: true)
    }

    var path: String { home + "/.local/state/micrograd/history" }

    func inode(_ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64) ?? nil
    }

    @Test func eachLineIsAppendedToTheSameFile() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("first = 1.0\n")
        t.waitForPrompt()
        let before = inode(path)
        t.typeAtPrompt("second = 2.0\n")
        t.typeAtPrompt("def f(x):\n")
        t.typeAtPrompt("    return x\n")
        t.typeAtPrompt("\n")
        t.quit()
        #expect(t.exitStatus() == 0)
        #expect(before != nil && inode(path) == before)  // appended, not replaced
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first = 1.0\nsecond = 2.0\ndef f(x):\n\t    return x\n")
    }

    @Test func twoREPLsAtOnceKeepEachOthersLines() throws {
        let a = try PseudoTerminal(home: home), b = try PseudoTerminal(home: home)
        #expect(a.waitFor(">>> ") && b.waitFor(">>> "))
        for i in 0..<3 {
            a.typeAtPrompt("a\(i) = 1.0\n")
            b.typeAtPrompt("b\(i) = 1.0\n")
        }
        a.quit()
        b.quit()
        #expect(a.exitStatus() == 0 && b.exitStatus() == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(Set(lines) == ["a0 = 1.0", "a1 = 1.0", "a2 = 1.0", "b0 = 1.0", "b1 = 1.0", "b2 = 1.0"])
    }

    /// A history that is a link is not written through: linked to someone's notes, it had
    /// them cut to its newest thousand lines.
    @Test func aLinkedHistoryLeavesWhatItLinksToAlone() throws {
        let notes = home + "/notes.txt"
        let text = (0..<2500).map { "important line \($0)\n" }.joined()
        try text.write(toFile: notes, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: notes)
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor("is a symbolic link, which is not followed; history will not be saved"), "\(t.screen)")
        #expect(t.waitFor(">>> "))
        t.type("\u{1B}[A")  // Up: nothing (it gave the linked file's lines, to run)
        usleep(300_000)
        #expect(!t.screen.contains("important line"), "\(t.screen)")
        t.type("\u{3}")
        t.typeAtPrompt("a = 1.0\n")
        t.typeAtPrompt("b = 2.0\n")
        t.quit()
        #expect(t.exitStatus() == 0)
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == text)
    }

    /// Another program holding the history's lock is waited for a moment, then the line runs
    /// and the history is not kept: the prompt froze until the lock was let go.
    @Test func aLockedHistoryDoesNotFreezeThePrompt() throws {
        FileManager.default.createFile(atPath: path, contents: Data("old = 1.0\n".utf8))
        let fd = open(path, O_RDWR)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("print('hel' + 'lo')\n")
        #expect(t.waitFor("hello", seconds: 10), "\(t.screen)")
        #expect(t.waitFor("is locked by another program"), "\(t.screen)")
        let clock = ContinuousClock()
        let later = clock.measure {
            t.typeAtPrompt("print('again' * 2)\n")
            _ = t.waitFor("againagain", seconds: 10)
        }
        #expect(t.screen.contains("againagain") && later < .seconds(1.5), "\(later)")  // (not waited for again)
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    /// A large history (under the 16 MB that is read at all) starts where memory is short:
    /// only its newest entries are decoded. All two million, decoded, took 130 MB at once.
    @Test func aLargeHistoryStartsInLittleMemory() throws {
        try (String(repeating: "x\n", count: 7_000_000) + "the newest = 1.0\n").write(toFile: path, atomically: false, encoding: .utf8)
        let t = try PseudoTerminal(home: home, limit: "-v 300000")
        #expect(t.waitFor(">>> "), "\(t.screen)")
        t.type("\u{1B}[A")  // Up: the newest entry
        #expect(t.waitFor("the newest = 1.0"), "\(t.screen)")
        t.type("\u{3}")
        t.quit()
        #expect(t.exitStatus() == 0, "\(t.screen)")
        #expect(!t.screen.contains("Fatal error"))
    }

    /// A line that does not fit under the file size limit (ulimit -f) is not kept in part:
    /// the history ended in half a line, and the next session's first line was joined to it.
    @Test func aLineThatDoesNotFitIsNotKeptInPart() throws {
        let old = (0..<1000).map { "v\($0) = \($0)\n" }.joined()  // about 10 KB
        try old.write(toFile: path, atomically: false, encoding: .utf8)
        let size = old.utf8.count
        // (dash's ulimit -f counts 512-byte blocks: room for 200 bytes more.)
        let t = try PseudoTerminal(home: home, limit: "-f \((size + 200) / 512 + 1)")
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("b = 3.0  # " + String(repeating: "a long comment ", count: 40) + "\n")
        #expect(t.waitFor("cannot save history"), "\(t.screen)")
        t.typeAtPrompt("c = 4.0\n")
        t.quit()
        #expect(t.exitStatus() == 0, "\(t.screen)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == old)
    }

    @Test func aHistoryTooBigIsSetAsideNotOverwrittenAndEarlierOnesAreKept() throws {
        try String(repeating: "x = 1.0\n", count: 2_200_000).write(toFile: path, atomically: false, encoding: .utf8)  // 17.6 MB
        try "an earlier one".write(toFile: path + ".corrupt", atomically: false, encoding: .utf8)
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor("is larger than 16 MB; it was moved to \(path).corrupt.1 and a new one started"), "\(t.screen)")
        t.typeAtPrompt("y = 2.0\n")
        t.quit()
        #expect(t.exitStatus() == 0)
        #expect(try String(contentsOfFile: path + ".corrupt", encoding: .utf8) == "an earlier one")
        #expect((try FileManager.default.attributesOfItem(atPath: path + ".corrupt.1")[.size] as? Int) == 17_600_000)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "y = 2.0\n")
    }
}
