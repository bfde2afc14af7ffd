import Foundation
import Testing

/// `micrograd` on a pseudo-terminal, typed at as a person types: keys in, screen out.
///
/// The program is started as a shell starts it: in a session of its own whose controlling
/// terminal is the pseudo-terminal (so Ctrl-C sends SIGINT), with an empty signal mask and
/// default signal handling. (A test runner, and Foundation's Process from inside one, would
/// hand it SIGINT blocked, and a test could then pass while Ctrl-C is broken for a person.)
final class PseudoTerminal {
    private let master: Int32
    let pid: pid_t
    private var status: Int32?
    /// Everything the program has written, escape codes removed.
    private(set) var screen = ""
    /// Everything the program has written, as written.
    private(set) var raw = ""

    /// The program on a terminal of its own; with `limit`, under that `ulimit` (`-v 300000`:
    /// at most 300,000 KB of address space, as a machine short of memory runs it).
    init(
        home: String, environment extra: [String: String] = [:], arguments: [String] = [], columns: UInt16 = 100,
        limit: String? = nil
    ) throws {
        // posix_openpt and friends, spelled with Linux's ioctls (Swift does not import them).
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0, number: UInt32 = 0
        guard master >= 0, ioctl(master, UInt(0x4004_5431) /* TIOCSPTLCK */, &unlock) == 0,
            ioctl(master, UInt(0x8004_5430) /* TIOCGPTN */, &number) == 0
        else {
            throw POSIXError(.ENOTTY)
        }
        let name = "/dev/pts/\(number)"
        var size = winsize(ws_row: 30, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(0x5414) /* TIOCSWINSZ */, &size)
        let environment = ["HOME": home, "LANG": "C.UTF-8", "TERM": "xterm", "PATH": "/usr/bin:/bin"]
            .merging(extra) { _, new in new }
        if let limit {
            pid = try spawn(
                "/bin/sh", ["-c", "ulimit \(limit) && exec \"$0\" \"$@\"", Run.binary.path] + arguments,
                environment: environment, terminal: name)
        } else {
            pid = try spawn(Run.binary.path, arguments, environment: environment, terminal: name)
        }
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        // The program leads a session of its own: end its whole process group.
        if status == nil {
            kill(-pid, SIGKILL)
            var s: Int32 = 0
            waitpid(pid, &s, 0)
        }
        close(master)
    }

    /// Sends `signal` to the program.
    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Changes the terminal's size, as a window being resized does (SIGWINCH follows).
    func resize(columns: UInt16, rows: UInt16 = 30) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(0x5414) /* TIOCSWINSZ */, &size)
    }

    /// How much of the screen had been read when keys were last typed.
    private var typedAt = 0

    func type(_ keys: String) {
        drain()
        typedAt = screen.count
        var bytes = Array(keys.utf8)
        _ = write(master, &bytes, bytes.count)
    }

    /// Waits until the screen shows `text` after character `from`; false after `seconds`.
    @discardableResult
    func waitFor(_ text: String, after from: Int = 0, seconds: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            drain()
            if screen.count >= from, screen.dropFirst(from).contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    /// Types `keys` once the prompt is idle (a person cannot type into the instant between
    /// libedit drawing the prompt and taking the terminal).
    func typeAtPrompt(_ keys: String) {
        waitForPrompt()
        usleep(150_000)
        type(keys)
    }

    /// Waits until the program is idle at a prompt (the screen ends with it), so keys typed
    /// next reach the line editor rather than a terminal in the middle of a command.
    @discardableResult
    func waitForPrompt(seconds: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            drain()
            // A prompt drawn after the last keys typed (not the one they were typed at).
            if screen.count > typedAt + 4, screen.hasSuffix(">>> ") || screen.hasSuffix("... ") { return true }
            usleep(20_000)
        }
        return false
    }

    /// Ctrl-D at an idle prompt.
    func quit() {
        waitForPrompt()
        // libedit draws the prompt a moment before it puts the terminal in raw mode; a Ctrl-D
        // arriving in between is taken by the terminal driver and lost. No hand is that fast.
        usleep(150_000)
        type("\u{4}")
    }

    /// Waits for the program to end and returns its exit status (128 + N after signal N).
    func exitStatus(seconds: Double = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while status == nil && Date() < deadline {
            drain()
            var s: Int32 = 0
            if waitpid(pid, &s, WNOHANG) == pid { status = (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f) } else { usleep(20_000) }
        }
        drain()
        return status
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { return }
            let text = String(decoding: buffer[0..<n], as: UTF8.self)
            raw += text
            screen += Self.stripped(text)
        }
    }

    /// Text without ANSI escape sequences or carriage returns.
    static func stripped(_ s: String) -> String {
        var out = "", escape = false, csi = false
        for scalar in s.unicodeScalars {
            if escape {
                if scalar == "[" && !csi { csi = true; continue }
                if !csi || (scalar.value >= 0x40 && scalar.value <= 0x7E) { escape = false; csi = false }
                continue
            }
            if scalar == "\u{1B}" { escape = true; continue }
            if scalar == "\r" || scalar == "\u{7}" || scalar == "\u{1}" { continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}

@Suite(.serialized) struct TerminalTests {
    let home: String

    init() throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("mg-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    /// A PNG is not written to the terminal the program runs on (its bytes filled the screen);
    /// a drawing in text still is.
    @Test func aPictureThatIsNotTextIsNotWrittenToTheTerminal() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("L = Value(2.0) * 3\n")
        t.typeAtPrompt(":png L /dev/stdout\n")
        #expect(t.waitFor("/dev/stdout is this terminal, and what would go there is not text"), "\(t.screen)")
        #expect(!t.raw.contains("IHDR"))  // (a PNG's first chunk)
        t.typeAtPrompt(":dot L /dev/stdout\n")
        #expect(t.waitFor("digraph {"), "\(t.screen)")
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    /// With HOME a folder that is not there, nothing is kept, and the REPL says so as it
    /// starts (it kept neither history nor lesson progress, and said nothing).
    @Test func aHomeThatIsNotThereIsSaidAtTheStart() throws {
        let t = try PseudoTerminal(home: home + "/not-there")
        #expect(t.waitFor(">>> "))
        #expect(t.screen.contains("HOME (\(home)/not-there) is not a folder"), "\(t.screen)")
        #expect(t.screen.contains("lesson progress will not be kept"), "\(t.screen)")
        t.quit()
        #expect(t.exitStatus() == 0)
        // With a HOME that is there, no such warning.
        let u = try PseudoTerminal(home: home)
        #expect(u.waitFor(">>> "))
        #expect(!u.screen.contains("will not be kept"), "\(u.screen)")
        u.quit()
        #expect(u.exitStatus() == 0)
    }

    @Test func completionOfCommandsNamesAndAttributes() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.type("myvalue = 2.0\n")
        // As a shell completes: as far as the commands agree (:gra), then a second Tab lists
        // them, and says which one the prefix runs.
        t.type(":gr\t")
        #expect(t.waitFor(":gra"))
        let commandsMark = t.screen.count
        t.type("\t")
        #expect(t.waitFor("graph", after: commandsMark))
        #expect(t.waitFor("(:gra on its own runs :grad)", after: commandsMark))
        t.type("d myv\t\n")
        #expect(t.waitFor("myvalue  leaf  2.0   1.0"))
        // Never to a whole command the prefix does not run: :b runs :backward, and Tab made
        // it :back (which then said no lesson was open).
        let backMark = t.screen.count
        t.type(":b\t\t")
        #expect(t.waitFor("(:b on its own runs :backward)", after: backMark))
        t.type("\n")
        #expect(t.waitFor("backward from myvalue: 1 node now holds", after: backMark))
        let mark = t.screen.count
        t.type("myvalue.gr\t\n")
        #expect(t.waitFor("myvalue.grad", after: mark))
        #expect(t.waitFor("1.0", after: mark))
        // A second Tab lists what could go there.
        let listMark = t.screen.count
        t.type("ta\t\t")
        #expect(t.waitFor("tanh", after: listMark))
        t.type("\u{15}\n")  // Ctrl-U clears the line; Enter gives a fresh prompt
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    /// The second Tab's list is laid out in columns that fit the terminal: no name is
    /// broken across lines (at 40 columns, log() came out as l / og()).
    @Test func completionsAreListedInColumnsThatFit() throws {
        let t = try PseudoTerminal(home: home, columns: 40)
        #expect(t.waitFor(">>> "))
        t.type("import math\n")
        let mark = t.screen.count
        t.type("math.\t\t")
        #expect(t.waitFor("sqrt(", after: mark), "\(t.screen.suffix(400).debugDescription)")
        let listed = t.screen.dropFirst(mark).split(separator: "\n").dropFirst().filter { !$0.contains(">>>") }
        #expect(!listed.isEmpty && listed.allSatisfy { $0.count <= 40 }, "\(listed)")
        #expect(listed.contains { $0.contains("log(") } && listed.contains { $0.contains("exp(") }, "\(listed)")
        t.type("\u{15}\n")
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func historyIsRecalledAfterARestartAndKeptPrivate() throws {
        let first = try PseudoTerminal(home: home)
        #expect(first.waitFor(">>> "))
        first.type("remembered = 5.0\n")
        first.quit()
        #expect(first.exitStatus() == 0)
        let path = home + "/.local/state/micrograd/history"
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "remembered = 5.0\n")

        let second = try PseudoTerminal(home: home)
        #expect(second.waitFor(">>> "))
        second.type("\u{1B}[A\n")  // Up, Enter: runs the remembered line again
        second.type("remembered\n")
        #expect(second.waitFor("Value(data=5.0)"))
        second.quit()
        #expect(second.exitStatus() == 0)
    }

    @Test func ctrlCDropsAHalfTypedLineAndStopsLongWork() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.type("half typed")
        #expect(t.waitFor("half typed"))
        var mark = t.screen.count
        t.type("\u{3}")
        // The terminal throws away what is typed between Ctrl-C and the new prompt: wait.
        #expect(t.waitFor(">>> ", after: mark))
        mark = t.screen.count
        t.type("1 + 1\n")
        #expect(t.waitFor("\n2\n", after: mark), "\(t.screen)")
        t.type("n = MLP(2, [8, 1]); loss = sum((n([[1.0, 2.0], [2.0, -1.0]]) - [1.0, -1.0])**2)\n")
        t.type(":train loss 10000000 0.001\n")
        #expect(t.waitFor("step 0"))
        t.type("\u{3}")
        #expect(t.waitFor("Interrupted"), "\(t.screen)")
        #expect(t.waitFor(">>> ", after: t.screen.count - 5))
        mark = t.screen.count
        t.type("len(n.parameters())\n")
        #expect(t.waitFor("33", after: mark))  // the binding survived
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    /// Ctrl-\ (SIGQUIT) is taken as Ctrl-C: at the prompt it printed a backtrace of a crash
    /// that was none (Swift's crash reporter caught it), and during work it killed the
    /// session.
    @Test func ctrlBackslashIsCtrlC() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("kept = 42\n")
        t.typeAtPrompt("\u{1C}")
        t.typeAtPrompt("while True:\n")
        t.typeAtPrompt("    kept += 0\n")
        t.typeAtPrompt("\n")
        usleep(300_000)
        t.type("\u{1C}")
        #expect(t.waitFor("Interrupted"), "\(t.screen)")
        t.typeAtPrompt("kept\n")
        #expect(t.waitFor("\n42\n>>> "), "\(t.screen)")
        #expect(!t.screen.contains("crashed"), "\(t.screen)")
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func ctrlCWhileOutputIsBlockedLosesNothing() throws {
        // The terminal is not read for a while (as when paused with Ctrl-S), so the REPL's
        // writes block; Ctrl-C then interrupts one (EINTR). That stopped the loop, as it
        // should, but marked standard output as failed: the program ended with status 1
        // and "cannot write to standard output".
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        for _ in 0..<3 {  // (a Ctrl-C finds the REPL in a write most times, not every time)
            let mark = t.screen.count
            t.type("for k in range(100000):\n    print('x' * 60, k)\n\n")
            usleep(500_000)  // (nothing read: the terminal's buffer fills, and the REPL waits in write)
            t.type("\u{3}")
            #expect(t.waitFor("Interrupted", after: mark), "\(t.screen.suffix(400))")
            #expect(t.waitFor(">>> ", after: t.screen.count - 5))
        }
        let mark = t.screen.count
        t.type("k < 100000\n")
        #expect(t.waitFor("True", after: mark))
        t.quit()
        #expect(t.exitStatus() == 0, "\(t.screen.suffix(400))")
        #expect(!t.screen.contains("cannot write to standard output"))
    }

    @Test func unicodeInputWorks() throws {
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.type("é = 3.0\n")
        t.type("é.data\n")
        #expect(t.waitFor("3.0"))
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func aCorruptHistoryIsSetAsideWithAWarning() throws {
        let dir = home + "/.local/state/micrograd"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data([0x61, 0x00, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: dir + "/history"))
        try Data("01-derivatives three\n".utf8).write(to: URL(fileURLWithPath: dir + "/progress"))
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor("was not text; it was moved to \(dir)/history.corrupt"))
        #expect(t.waitFor("was damaged; it was moved to \(dir)/progress.corrupt"))
        #expect(t.waitFor(">>> "))
        t.type("1 + 2\n")
        #expect(t.waitFor("3"))
        t.quit()
        #expect(t.exitStatus() == 0)
        #expect(FileManager.default.fileExists(atPath: dir + "/history.corrupt"))
        #expect(FileManager.default.fileExists(atPath: dir + "/progress.corrupt"))
        #expect(try String(contentsOfFile: dir + "/history", encoding: .utf8) == "1 + 2\n")
    }

    /// The state folder is made only below a HOME that is there; a history that is a FIFO
    /// does not hold up the start (opening it waited for a writer); a progress file that
    /// cannot be read is not taken for a damaged one and moved aside; and a folder that
    /// cannot be made is named as the problem.
    @Test func stateFilesThatAreNotPlainAreLeftAlone() throws {
        let missing = home + "/not-there/x"
        let a = try PseudoTerminal(home: missing)
        #expect(a.waitFor(">>> "))
        a.type("1 + 1\n")
        #expect(a.waitFor("2\n>>> "))
        a.quit()
        #expect(a.exitStatus() == 0)
        #expect(!FileManager.default.fileExists(atPath: home + "/not-there"))

        let dir = home + "/.local/state/micrograd"
        try FileManager.default.createDirectory(atPath: dir + "/progress", withIntermediateDirectories: true)
        #expect(mkfifo(dir + "/history", 0o600) == 0)
        let b = try PseudoTerminal(home: home)
        #expect(b.waitFor("is not a plain file"), "\(b.screen.suffix(300).debugDescription)")
        #expect(b.waitFor("cannot read the lesson progress file"), "\(b.screen.suffix(300).debugDescription)")
        #expect(b.waitFor(">>> "))
        b.quit()
        #expect(b.exitStatus() == 0)
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/progress", isDirectory: &isFolder) && isFolder.boolValue)
        #expect(!FileManager.default.fileExists(atPath: dir + "/progress.corrupt"))

        let file = home + "/a-file"
        try "x".write(toFile: file, atomically: false, encoding: .utf8)
        let c = try PseudoTerminal(home: home, environment: ["XDG_STATE_HOME": file + "/state"])
        #expect(c.waitFor(">>> "))
        c.type("2 + 2\n")
        #expect(c.waitFor("cannot make the folder \(file)/state: Not a directory"), "\(c.screen.suffix(300).debugDescription)")
        c.quit()
        #expect(c.exitStatus() == 0)
    }

    @Test func aHistoryLineInAnotherEncodingCostsNothingElse() throws {
        let dir = home + "/.local/state/micrograd"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // A Latin-1 byte typed at the prompt, and the U+FFFD it becomes when read back.
        let lines = Array("first = 41\nb = 'caf".utf8) + [0xE9] + Array("'\nc = 'caf\u{FFFD}'\nlast = 42\n".utf8)
        try Data(lines).write(to: URL(fileURLWithPath: dir + "/history"))
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.typeAtPrompt("\u{1B}[A\n")  // Up: the newest entry
        t.typeAtPrompt("last + 1\n")
        #expect(t.waitFor("43"), "\(t.screen.suffix(300).debugDescription)")
        t.quit()
        #expect(t.exitStatus() == 0)
        #expect(!t.screen.contains("was not text"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/history.corrupt"))
    }

    @Test func anUnwritableHistoryWarnsOnceAndTheSessionGoesOn() throws {
        // A state folder under a regular file can never be created, even by root.
        let t = try PseudoTerminal(home: home, environment: ["XDG_STATE_HOME": "/dev/null/state"])
        #expect(t.waitFor(">>> "))
        t.type("a = 2.0\n")
        #expect(t.waitFor("cannot save history to /dev/null/state/micrograd/history"))
        t.type("a * 3\n")
        #expect(t.waitFor("Value(data=6.0)"))
        t.type("a * 4\n")
        #expect(t.waitFor("Value(data=8.0)"))
        #expect(t.screen.components(separatedBy: "cannot save history").count == 2)  // once
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func theEditrcIsHonoured() throws {
        // A key bound to a string in ~/.editrc types that string.
        try "bind -s ^X 20+22\n".write(toFile: home + "/.editrc", atomically: true, encoding: .utf8)
        let t = try PseudoTerminal(home: home)
        #expect(t.waitFor(">>> "))
        t.type("\u{18}\n")
        #expect(t.waitFor("42"))
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func colourOnATerminalUnlessNoColourOrTheFlag() throws {
        let bold = "\u{1B}[1;32m", red = "\u{1B}[31m"
        let coloured = try PseudoTerminal(home: home)
        #expect(coloured.waitFor(">>> "))
        coloured.type("nope\n")
        #expect(coloured.waitFor("not defined"))
        #expect(coloured.raw.contains(bold) && coloured.raw.contains(red))
        coloured.quit()
        for (environment, arguments) in [(["NO_COLOR": "1"], [String]()), ([:], ["--no-color"])] {
            let plain = try PseudoTerminal(home: home, environment: environment, arguments: arguments)
            #expect(plain.waitFor(">>> "))
            plain.type("nope\n")
            #expect(plain.waitFor("not defined"))
            #expect(!plain.raw.contains(bold) && !plain.raw.contains(red), "\(environment) \(arguments)")
            plain.quit()
            #expect(plain.exitStatus() == 0)
        }
    }

    @Test func lessonNOpensTheREPLAtThatLessonAndProgressIsRemembered() throws {
        let first = try PseudoTerminal(home: home, arguments: ["lesson", "1"])
        #expect(first.waitFor("1. Derivatives  ("))
        #expect(first.waitFor(">>> f(3.0)\n20.0"))
        first.typeAtPrompt("\n")  // Enter: the next step
        #expect(first.waitFor("Value(data=14.000300000063248)"))
        first.quit()
        #expect(first.exitStatus() == 0)
        let progress = try String(contentsOfFile: home + "/.local/state/micrograd/progress", encoding: .utf8)
        #expect(progress == "01-derivatives 2\n")

        let second = try PseudoTerminal(home: home)
        #expect(second.waitFor(">>> "))
        second.type(":lessons\n")
        #expect(second.waitFor(" 2 of 10 steps  0 of 2 exercises"))
        // Opened again, the lesson resumes at the step it was left at, with its names.
        second.type(":lesson 1\n")
        #expect(second.waitFor("(resuming at step 2:"))
        #expect(second.waitFor("Value(data=14.000300000063248)"))
        second.typeAtPrompt("f(1.0)\n")
        #expect(second.waitFor("f(1.0)\n4.0"))
        second.quit()
        #expect(second.exitStatus() == 0)
    }

    @Test func blankLinesInPastedCodeDoNotMoveALessonOn() throws {
        let terminal = try PseudoTerminal(home: home, arguments: ["lesson", "1"])
        #expect(terminal.waitFor(">>> f(3.0)\n20.0"))
        // Pasted all at once: the blank line has more input right behind it.
        terminal.typeAtPrompt("x = 1\n\n\ny = 2\n")
        // (Wait for the prompt after the last line: keys typed while a line runs are echoed
        // by the terminal itself, which would garble the screen.)
        #expect(terminal.waitFor(">>> y = 2\n>>> "))
        // Pasted by a terminal that marks pastes, ending in blank lines. (Typed once libedit
        // has the terminal: in the moment after the prompt is drawn, the terminal driver
        // would still echo the keys itself.)
        terminal.typeAtPrompt("\u{1B}[200~z = 3\n\n\u{1B}[201~")
        #expect(terminal.waitFor(">>> z = 3\n>>> \n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.typeAtPrompt(":where\n")
        #expect(terminal.waitFor("1. Derivatives: step 1 of"))
        // Enter typed on its own still goes on.
        terminal.typeAtPrompt("\n")
        #expect(terminal.waitFor("Value(data=14.000300000063248)"))
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
        #expect(terminal.raw.contains("\u{1B}[?2004h") && terminal.raw.contains("\u{1B}[?2004l"))  // asked for, and given back
    }

    @Test func runWithNoFileAtATerminalSaysWhatItWaitsFor() throws {
        let t = try PseudoTerminal(home: home, arguments: ["run"])
        #expect(t.waitFor("reading a script from the terminal until Ctrl-D; for the REPL, run micrograd with no arguments"))
        t.type("x = 1 + 2\nprint(x)\n\u{4}")
        #expect(t.waitFor("3"))
        #expect(t.exitStatus() == 0)
    }

    @Test func aPastedBlockKeepsItsBlankLines() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        // A tutorial's cell, blank line and all: the loop's body is both halves. (Ending the
        // block at the blank line ran the second half once, on its own: 13.)
        terminal.typeAtPrompt("\u{1B}[200~total = 0\nfor i in range(3):\n    total = total + i\n\n    total = total + 10\n\u{1B}[201~")
        #expect(terminal.waitFor("...     total = total + 10\n... "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.typeAtPrompt("\n")  // typed: ends the block
        terminal.typeAtPrompt("total\n")
        #expect(terminal.waitFor("total\n33\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        // Typed after a blank line has ended its block, an indented line is refused, not run
        // on its own.
        terminal.typeAtPrompt("    total = 0\n")
        #expect(terminal.waitFor("this line is indented, but no block is open"), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.typeAtPrompt("total\n")
        #expect(terminal.waitFor("total\n33\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// A pasted cell whose last line has no newline after it is one cell when Enter ends
    /// it: it stops at its first error, its last line included. (The last line ran on its
    /// own: q9 was set, and q8 above it was not.)
    @Test func aPastesLastLineEndedByEnterIsPartOfThePaste() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("\u{1B}[200~def g(x):\n    return x\n\nq7 = nothere\nq8 = 1\nq9 = 2\u{1B}[201~")
        #expect(terminal.waitFor("... q9 = 2"), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.type("\n")  // (the screen ends with the pasted line, not a prompt)
        terminal.typeAtPrompt("\n")  // typed: ends the cell
        #expect(terminal.waitFor("'nothere' is not defined"), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.typeAtPrompt("q9\n")
        #expect(terminal.waitFor("'q9' is not defined"), "\(terminal.screen.suffix(400).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// Ctrl-Left moves back a word; PageUp, Insert and F5 do nothing to the line (their
    /// sequences used to be typed into it as `5D` and `~`).
    @Test func wordMovesAndIdleKeysLeaveNoJunk() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("y = 40")
        // (With modifiers too: Shift-F5, Ctrl-Insert, Shift-F1, Alt-PageUp; Shift-Right and
        // Shift-Left move a character each.)
        for keys in [
            "\u{1B}[1;5D", "\u{1B}[5~", "\u{1B}[2~", "\u{1B}[15~", "\u{1B}OP", "\u{1B}[15;2~", "\u{1B}[2;5~", "\u{1B}[1;2P",
            "\u{1B}[5;3~", "\u{1B}[1;2C", "\u{1B}[1;2D",
        ] {
            terminal.type(keys)
            usleep(60_000)
        }
        terminal.type("2\n")
        terminal.typeAtPrompt("y\n")
        #expect(terminal.waitFor("y\n240\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// Ctrl-Z (SIGTSTP) puts the terminal back as the shell left it and stops; continued,
    /// the line being typed is drawn again and editing goes on. (Here the program leads a
    /// session of its own, so the kernel does not stop it: the handler runs straight
    /// through to the redraw. In tmux under dash and bash, it stops, and while it is
    /// stopped the terminal is in the shell's modes, icanon and echo.)
    @Test func ctrlZDrawsTheLineAgainWhenContinued() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("y = 4")
        #expect(terminal.waitFor("y = 4"))
        let mark = terminal.screen.count
        terminal.signal(SIGTSTP)
        #expect(terminal.waitFor(">>> y = 4", after: mark), "\(terminal.screen.suffix(200).debugDescription)")
        terminal.type("2\n")
        terminal.typeAtPrompt("y\n")
        #expect(terminal.waitFor("y\n42\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// Up and Down move between the lines of a block recalled from the history, as in
    /// IPython, and go through the history from its first or last line. (Up went to the
    /// entry before at once: only Left and Right crossed the block's lines.)
    @Test func upAndDownMoveWithinARecalledBlock() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("x = 5\n")
        for line in ["if True:\n", "    a = 1\n", "    b = 2\n", "\n"] { terminal.typeAtPrompt(line) }
        terminal.typeAtPrompt("a, b\n")
        #expect(terminal.waitFor("(1, 2)\n>>> "))
        // Up twice: the block; up once more: its second line, where 0 makes a = 10.
        for _ in 0..<3 {
            terminal.type("\u{1B}[A")
            usleep(80_000)
        }
        terminal.type("0\n")
        terminal.typeAtPrompt("a, b\n")
        #expect(terminal.waitFor("(10, 2)\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        // Up, Up: the block again (at its last line); Up, Down: back on that line, where 0
        // makes b = 20. Up from a one-line entry is the history's entry before it.
        terminal.typeAtPrompt("")
        for key in ["A", "A", "A", "B"] {
            terminal.type("\u{1B}[" + key)
            usleep(80_000)
        }
        terminal.type("0\n")
        terminal.typeAtPrompt("a, b\n")
        #expect(terminal.waitFor("(10, 20)\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// A block recalled from the history whose last line is inside it waits at '...' for
    /// more, as a typed block does (it ran at once: a def cut short by an error, recalled and
    /// mended, ran without the rest of its body).
    @Test func aRecalledBlockWaitsForTheRestOfItsBody() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        for line in ["def g():\n", "    x = 1\n", "\n"] { terminal.typeAtPrompt(line) }
        terminal.typeAtPrompt("\u{1B}[A")
        usleep(80_000)
        terminal.type("\n")
        #expect(terminal.waitForPrompt())
        #expect(terminal.screen.hasSuffix("... "), "\(terminal.screen.suffix(200).debugDescription)")
        terminal.type("    return x + 1\n")
        terminal.typeAtPrompt("\n")
        terminal.typeAtPrompt("g()\n")
        #expect(terminal.waitFor("2\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        // The whole block, recalled (Up past g()), then an empty line: it runs as it is.
        terminal.typeAtPrompt("x = 5\n")
        for key in ["\u{1B}[A", "\u{1B}[A", "\u{1B}[A", "\n"] {
            terminal.type(key)
            usleep(80_000)
        }
        terminal.typeAtPrompt("\n")
        let mark = terminal.screen.count
        terminal.typeAtPrompt("g() + x\n")
        #expect(terminal.waitFor("7\n>>> ", after: mark), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// Home and End (and Ctrl-A, Ctrl-E) keep to the line the cursor is on in a recalled
    /// block. (They went to the block's first and last line: End on the first line and a
    /// digit typed changed the last.)
    @Test func homeAndEndKeepToTheLineOfARecalledBlock() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        for line in ["if True:\n", "    a = 1\n", "    b = 2\n", "\n"] { terminal.typeAtPrompt(line) }
        terminal.typeAtPrompt("a, b\n")
        #expect(terminal.waitFor("(1, 2)\n>>> "))
        // Up twice: the block, on its last line; Up: its second line; Home, then End, then 0:
        // a = 10. Then on the last line, Ctrl-A: the line's start, where "c = 3;" goes.
        for key in ["\u{1B}[A", "\u{1B}[A", "\u{1B}[A", "\u{1B}[H", "\u{1B}[F", "0", "\u{1B}[B", "\u{1}"] {
            terminal.type(key)
            usleep(80_000)
        }
        terminal.type("c = 3;\n")
        terminal.typeAtPrompt("a, b, c\n")
        #expect(terminal.waitFor("(10, 2, 3)\n>>> "), "\(terminal.screen.suffix(400).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// Ctrl-R searches back through the history: each key narrows it, Ctrl-R again goes
    /// further back, an arrow key leaves the entry to edit (libedit's own search typed the
    /// arrow's code into the line: `[D`), Enter runs the entry found, a whole block too,
    /// and Ctrl-G puts back the line as it was.
    @Test func ctrlRSearchesTheHistoryAndArrowsEditWhatItFound() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        for line in ["a = 2.0\n", "b = a * 3\n", "def f(x):\n", "    return x * 10\n", "\n", "c = 5.0\n"] {
            terminal.typeAtPrompt(line)
        }
        // 'a' finds b = a * 3 first, then (Ctrl-R) a = 2.0; Right, then "1" makes a1 = 2.0.
        // (Each first key once the prompt is up: typed before, the terminal echoes it.)
        terminal.typeAtPrompt("\u{12}")
        for key in ["a", "\u{12}", "\u{1B}[C", "1"] {
            usleep(80_000)
            terminal.type(key)
        }
        usleep(80_000)
        terminal.type("\n")
        terminal.typeAtPrompt("a1\n")
        #expect(terminal.waitFor("Value(data=2.0)\n>>> "), "\(terminal.screen.suffix(400).debugDescription)")
        // A half-typed line, a search that finds nothing, Ctrl-G: the line is back as it was.
        terminal.typeAtPrompt("c + ")
        for key in ["\u{12}", "zzz", "\u{7}"] {
            usleep(80_000)
            terminal.type(key)
        }
        usleep(80_000)
        terminal.type("1\n")
        #expect(terminal.waitFor("Value(data=6.0)\n>>> "), "\(terminal.screen.suffix(400).debugDescription)")
        // A block found and run again, then called.
        terminal.typeAtPrompt("\u{12}")
        for key in ["return", "\r"] {
            usleep(80_000)
            terminal.type(key)
        }
        terminal.typeAtPrompt("f(2)\n")
        #expect(terminal.waitFor("f(2)\n20\n>>> "), "\(terminal.screen.suffix(400).debugDescription)")
        #expect(!terminal.screen.contains("[C"), "\(terminal.screen.suffix(400).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// Ctrl-D at a '...' prompt runs the block typed so far, as Python's prompt does, and
    /// keeps it in the history; a second Ctrl-D leaves. (It used to drop the block, unsaid.)
    @Test func ctrlDAtAContinuationPromptRunsTheBlock() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("def f(x):\n")
        terminal.typeAtPrompt("    return x*2\n")
        #expect(terminal.waitFor("... "))
        terminal.type("\u{4}")
        #expect(terminal.waitFor(">>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.typeAtPrompt("f(3)\n")
        #expect(terminal.waitFor("f(3)\n6\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.type("\u{4}")
        #expect(terminal.exitStatus() == 0)
    }

    /// Ctrl-C while a pasted line runs makes the terminal throw away the unread rest of the
    /// paste, its end mark too: what is typed next is typed, not pasted (Tab completes, a
    /// blank line ends a block). The REPL used to stay in the paste until the next one.
    @Test func ctrlCDuringAPastedLineEndsThePaste() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("\u{1B}[200~for i in range(10**7): x = [i*i for j in range(10)]\nw = 7\n\u{1B}[201~")
        usleep(700_000)
        terminal.type("\u{3}")
        #expect(terminal.waitFor("Interrupted"), "\(terminal.screen.suffix(300).debugDescription)")
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("if 1:\n")
        terminal.typeAtPrompt("    y = 3\n")
        terminal.typeAtPrompt("\n")
        terminal.typeAtPrompt("y\n")
        #expect(terminal.waitFor("y\n3\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    /// A tab in a pasted block is the block's indentation (it used to start a completion
    /// and vanish), and Tab typed at the start of a line indents it.
    @Test func tabIndentsWhenThereIsNothingToComplete() throws {
        let terminal = try PseudoTerminal(home: home)
        #expect(terminal.waitFor(">>> "))
        terminal.typeAtPrompt("\u{1B}[200~def h(x):\n\treturn x * 3\n\u{1B}[201~")
        #expect(terminal.waitFor("... "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.typeAtPrompt("\n")
        terminal.typeAtPrompt("h(4)\n")
        #expect(terminal.waitFor("h(4)\n12\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.typeAtPrompt("def k(x):\n")
        #expect(terminal.waitFor("... "))
        terminal.typeAtPrompt("\t")
        usleep(100_000)
        terminal.typeAtPrompt("return x + 1\n\n")
        terminal.typeAtPrompt("k(1)\n")
        #expect(terminal.waitFor("k(1)\n2\n>>> "), "\(terminal.screen.suffix(300).debugDescription)")
        terminal.quit()
        #expect(terminal.exitStatus() == 0)
    }

    @Test func aLessonsTextIsLaidOutForTheWidthTheTerminalHasNow() throws {
        let t = try PseudoTerminal(home: home, arguments: ["lesson", "2"], columns: 100)
        #expect(t.waitFor(">>> L\nValue(data=-8.0)"))
        let before = t.screen.count
        t.resize(columns: 50)
        t.typeAtPrompt("\n")  // the next step's text, after the resize
        #expect(t.waitFor(">>> e.data", after: before))
        let text = t.screen.dropFirst(before).split(separator: "\n")
        #expect(text.contains { $0.hasPrefix("Check it by hand") })
        #expect(text.allSatisfy { $0.count <= 50 }, "\(text.filter { $0.count > 50 })")
        t.quit()
        #expect(t.exitStatus() == 0)
    }

    @Test func lessonNRestartStartsFromTheTopWhateverWasSaved() throws {
        try FileManager.default.createDirectory(atPath: home + "/.local/state/micrograd", withIntermediateDirectories: true)
        try "01-derivatives 3\n".write(toFile: home + "/.local/state/micrograd/progress", atomically: true, encoding: .utf8)
        let resumed = try PseudoTerminal(home: home, arguments: ["lesson", "1"])
        #expect(resumed.waitFor("(resuming at step 3:"))
        resumed.quit()
        #expect(resumed.exitStatus() == 0)
        let restarted = try PseudoTerminal(home: home, arguments: ["lesson", "1", "--restart"])
        #expect(restarted.waitFor(">>> f(3.0)\n20.0"))
        #expect(!restarted.screen.contains("(resuming"))
        restarted.quit()
        #expect(restarted.exitStatus() == 0)
    }
}
