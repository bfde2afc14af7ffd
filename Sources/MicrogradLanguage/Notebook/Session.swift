import Micrograd

/// One learner's notebook: an interpreter for what they type, the `:` commands, the lesson
/// and `:backstep` steppers, and the host it talks to the world through.
///
/// ```swift
/// let host = InMemoryHost()
/// let session = Session(host: host)
/// session.run("a = 2.0; b = -3.0; L = a*b")
/// session.run(":grad L")
/// host.written([.result])        // the table
/// ```
public final class Session {
    public let host: Host
    /// The chapters `:lessons` lists (the ones built into the program, unless replaced).
    public lazy var lessons: [Lesson] = Lesson.bundled
    /// How far the learner got in each lesson (steps seen, exercises solved), by lesson name.
    public var progress: [String: LessonProgress] = [:]
    /// Past this many nodes, the session copies what it still uses to a fresh graph
    /// between statements.
    public var compactionThreshold = 2_000_000
    /// Between the rounds of a top-level loop, the statement's own nodes are reclaimed once
    /// there are more than this many (and `loopCompactionGrowth` times what was kept the
    /// time before).
    public var loopCompactionThreshold = 50_000
    static let loopCompactionGrowth = 4
    /// The top-level loop under way, as reclaiming sees it: from the statement's first node.
    var topLoop: InnerLoop?
    /// Set by `:quit`, `exit()` and `quit()`.
    public var wantsToQuit: Bool { quitRequested || state.interpreter.wantsToQuit }
    /// The status the program should end with, when it ends for `exit(n)`.
    public var exitStatus: Int32 { state.interpreter.wantsToQuit ? state.interpreter.exitStatus : 0 }

    /// Everything `:reset` forgets, in one place, so that it forgets all of it.
    struct State {
        var interpreter: Interpreter
        var lesson: LessonStepper?
        var backstep: Backstepper?
        /// The loss at each step of the last `:train`, for `:plot loss`.
        var lossHistory: [Double] = []
        /// What ran so far, one entry per chunk, with what it printed (and the width it drew
        /// its pictures at): what `:save` writes.
        var notebook: [(code: String, output: String, width: Int?)] = []
        var notebookBytes = 0
        /// Whether the learner ran something of their own (not a lesson's cell).
        var hasOwnWork = false
        /// Whether chunks were left out of `notebook` because it reached its size.
        var notebookIsFull = false
        /// Chunks that met an error or Ctrl-C, and so are not in `notebook`: what
        /// they did before they stopped (a loop's rounds) a replay will not do.
        var failedCells = 0
    }

    var state: State!
    var quitRequested = false
    /// Whether the last chunk typed at the prompt was a block (`for …:` and its body).
    var lastTypedWasBlock = false
    /// How many chunks have been typed at the prompt, whether one is running, and the one
    /// at which :reset last asked to be typed again (it goes ahead only when typed as the
    /// very next chunk).
    var typedChunks = 0
    var runningTyped = false
    var resetAskedAt: Int?

    /// Ctrl-C at the prompt: a question asked (":reset again to go ahead") is answered no.
    public func interruptedAtPrompt() { resetAskedAt = nil }
    /// The files `:load` is in the middle of, innermost last, by `Host.fileIdentity` (or by
    /// path): by what file each is, not how it is spelled, so that a link to a file that
    /// is running, or ./self.py, is caught.
    var loading: [String] = []
    /// The file `micrograd run` is running (by `Host.fileIdentity`), which `:load` refuses too.
    var topFile: String?
    /// The folders of the files running (`micrograd run`'s and those `:load` is in the
    /// middle of), innermost last; "" for one named without a folder, or not a file. A
    /// `:load` of a relative path in a file looks in that file's folder first.
    var fileFolders: [String] = []
    /// How many errors have been reported (a script that is not a notebook stops after
    /// `Session.scriptErrorLimit` of its own).
    var errorsReported = 0
    static let scriptErrorLimit = 20
    /// The graph's size after the last compaction (the next waits until it has doubled).
    var sizeAfterCompaction = 0
    /// How many times the graph's nodes have moved (a compaction, a :reset): a node shown
    /// as #N may be typed back only while this is what it was when #N was shown.
    public internal(set) var nodesMoved = 0
    /// The nodes shown by their numbers since the nodes last moved (see `name(of:)`).
    var numbersShown: (moved: Int, ids: Set<Int32>) = (0, [])
    /// Output being noted as well as shown (a lesson's cell, to compare with the lesson).
    private var recording: [String]?
    /// How many bytes `recording` holds; past `Session.notebookBytes` it stops growing.
    private var recordedBytes = 0
    /// The most text the notebook (and one recording) keeps, so a long session or a loop
    /// that prints a million lines does not fill the memory.
    static let notebookBytes = 4 << 20
    /// Each warning shown in the chunk being run, and how many times it came.
    private var repeatedWarnings: [String: (message: String, file: String, count: Int)] = [:]
    /// Whether this chunk has said it was interrupted: once, where it stopped (in a file
    /// `:load` ran, say), not again at each level out.
    var interruptionReported = false
    /// While above 0, output is noted but not shown (a lesson's earlier cells run again).
    var quiet = 0
    /// How deep `run` calls are nested (1: the learner's own line).
    private(set) var runDepth = 0
    /// Whether a chunk being run is already being kept for `:save`.
    private(set) var keepingForNotebook = false

    /// A new session; networks get their weights from a generator started at `seed`.
    public init(host: Host = InMemoryHost(), seed: Int = 1337, limits: Limits = Limits()) {
        self.host = host
        state = State(interpreter: Interpreter(seed: seed, limits: limits, console: self))
    }

    var interpreter: Interpreter { state.interpreter }

    /// The names the learner has bound, and what to.
    public var names: [String: Object] {
        Dictionary(uniqueKeysWithValues: zip(interpreter.globals.keys, interpreter.globals.values))
    }
    /// The graph every Value of this session lives on.
    public var graph: Graph { interpreter.graph }
    /// How much the session may take.
    public var limits: Limits {
        get { interpreter.limits }
        set { interpreter.limits = newValue }
    }

    /// Whether a lesson is open or a :backstep is under way (Enter on an empty line then
    /// means `:next`).
    public var isStepping: Bool { state.lesson != nil || state.backstep != nil }

    /// Whether the open lesson waits for the learner to do an exercise.
    public var isAtExercise: Bool { state.lesson?.waiting != nil }

    // MARK: Output

    func emit(_ kind: OutputKind, _ text: String) {
        if kind != .progress && kind != .echo, recording != nil, recordedBytes < Self.notebookBytes {
            recording?.append(text)
            recordedBytes += text.utf8.count + 1
        }
        if quiet == 0 { host.write(kind, text) }
    }

    /// A note for the learner, its long lines broken to fit the terminal (indented lines,
    /// which are code, are kept whole).
    func say(_ text: String) {
        let width = max(40, host.width - 1)
        let lines = Source.split(text).map { line in
            line.hasPrefix(" ") || line.count <= width ? String(line) : wrapped(String(line), width: width)
        }
        emit(.result, lines.joined(separator: "\n"))
    }

    /// Runs `body` with its output noted but not shown.
    func quietly<T>(_ body: () throws(LanguageError) -> T) throws(LanguageError) -> T {
        quiet += 1
        defer { quiet -= 1 }
        return try body()
    }

    /// Whether someone is at the keyboard to press Enter (not while a lesson's cell runs:
    /// a cell runs straight through, as in a script).
    var isInteractive: Bool { host.isInteractive && quiet == 0 && lessonCells == 0 }
    /// While above 0, a lesson's cell (or an exercise's solution) is running.
    var lessonCells = 0

    /// Runs `body`, and returns what it printed (standard output and errors) besides.
    func recorded(_ body: () -> Void) -> [String] {
        let outer = recording
        if outer == nil { recordedBytes = 0 }
        recording = []
        body()
        let noted = recording ?? []
        recording = outer.map { $0 + noted }
        return noted
    }

    func report(_ error: LanguageError, in source: Source, line: Int? = nil, severity: String = "error") {
        interpreter.flushOutput()
        // After exit(): what it unwinds through is no error (`:plot exit 0 1` said "exit does
        // not give a number", and then the session ended all the same).
        if interpreter.wantsToQuit { return }
        if error == .interrupted {
            if interruptionReported { return }
            interruptionReported = true
            if quiet == 0 {
                host.interrupted(file: source.file, line: line)
                // Inside a :load at the prompt, where in the file it stopped (it said only
                // "Interrupted", and not that the rest of the file had not run). (`micrograd
                // run` says FILE:LINE already.)
                if isInteractive, !loading.isEmpty, !source.file.isEmpty, let line {
                    let outer = loading.count > 1 ? ", nor those after the :load lines of the files that loaded it" : ""
                    emit(.warning, "stopped at \(source.file):\(line); the lines after it in \(source.file) did not run\(outer)")
                }
            }
            recording?.append(error.message)
            return
        }
        let text = Diagnostic(error, in: source, severity: severity).description
        if severity == "error" { errorsReported += 1 }
        if severity == "warning" {
            // The same warning from the same place (a loop setting p.data to nan for every
            // parameter, every step) is shown once per chunk, and then counted.
            repeatedWarnings[text, default: (error.message, source.file, 0)].count += 1
            if repeatedWarnings[text]!.count > 1 { return }
        }
        emit(severity == "error" ? .error : .warning, text)
    }

    /// Says how often each warning shown once in the chunk just run came again.
    func reportRepeatedWarnings() {
        defer { repeatedWarnings = [:] }
        for (message, file, count) in repeatedWarnings.values where count > 1 {
            let note = LanguageError("the warning '\(message)' came \(count - 1) more time\(count == 2 ? "" : "s") from the same place")
            emit(.warning, Diagnostic(note, in: Source(file: file, text: ""), severity: "warning").description)
        }
    }

    // MARK: Running text

    /// Runs one chunk of text typed at a prompt (a line, or a block of lines) that starts
    /// on line `firstLine` of `file`. Nothing of it runs if any of it cannot be read.
    /// Returns false if it reported an error.
    ///
    /// A chunk that ran without error is kept, with what it printed, for `:save` (unless it
    /// is a command that only finds the way around, such as `:help` or `:next`). After the
    /// learner's own chunk, an exercise the lesson waits at is checked.
    @discardableResult
    public func run(_ text: String, file: String = "<input>", firstLine: Int = 1) -> Bool {
        runDepth += 1
        defer { runDepth -= 1 }
        if runDepth == 1 { interruptionReported = false }
        let ok = keepingInNotebook(text, if: !keepingForNotebook) { runChunk(text, file: file, firstLine: firstLine) }
        // (After a line that failed, its error is what to read, not "Not yet".)
        if runDepth == 1 { checkExercise(after: ok ? text : nil) }
        return ok
    }

    /// Runs a chunk typed (or pasted) at the prompt, as `run` does; but a chunk whose first
    /// line is indented is refused, as Python refuses it: it is most often the rest of a
    /// block that a blank line has already ended, and run on its own it would do something
    /// else than the block meant.
    @discardableResult
    public func runTyped(_ text: String, firstLine: Int = 1) -> Bool {
        typedChunks += 1
        runningTyped = true
        defer { runningTyped = false }
        let source = Source(file: "", text: text, firstLine: firstLine)
        let (lines, _) = Lexer.scan(lines: source.lines)
        // (A line that is only a comment is blank here, as it is nothing to Python.)
        let first = lines.firstIndex { !$0.isBlank }
        let wasBlock = lastTypedWasBlock
        lastTypedWasBlock = first.map { lines[$0].endsWithColon } ?? false
        if let first, lines[first].indentation > 0 {
            lastTypedWasBlock = wasBlock
            report(
                LanguageError(
                    wasBlock
                        ? "this line is indented, but no block is open (the one above has ended): type the block again with this line in it, or write it without the indentation"
                        : "this line is indented, but no block is open: write it at the margin, without the spaces before it",
                    at: SourceLocation(line: 1, column: 1)),
                in: Source(file: "", text: String(source.lines[first])))
            return false
        }
        // A pasted cell with a command among its lines (a function, then `:check L`) runs
        // as a script runs: the statements before the command, the command, the rest.
        // Each part is a chunk of its own, and the first that fails stops the rest.
        if lines.count > 1 {
            let commands = lines.indices.filter { lines[$0].indentation == 0 && lines[$0].tokens.first?.kind.isSymbol(":") == true }
            if !commands.isEmpty {
                var start = 0
                for end in commands.flatMap({ [$0, $0 + 1] }) + [lines.count] where end > start {
                    let part = source.lines[start..<end].joined(separator: "\n"), partLine = firstLine + start
                    start = end
                    if part.allSatisfy(\.isWhitespace) { continue }
                    guard run(part, file: "", firstLine: partLine) else { return false }
                }
                return true
            }
        }
        return run(text, file: "", firstLine: firstLine)
    }

    /// Runs `body`, and, if `keep` and it went without error, keeps `text` with what it
    /// printed for `:save` (unless it is a command that only finds the way around).
    func keepingInNotebook(_ text: String, if keep: Bool, _ body: () -> Bool) -> Bool {
        guard keep, Command.belongsInNotebook(text, inLesson: inLesson) else {
            defer { if !keepingForNotebook { reportRepeatedWarnings() } }
            return body()
        }
        var ok = true
        keepingForNotebook = true
        let printed = recorded {
            ok = body()
            reportRepeatedWarnings()
        }
        keepingForNotebook = false
        guard ok else {
            // (A lone simple statement that fails changes nothing; a loop's rounds, or the
            // statements before the one that failed, stay done.)
            // (So do the steps of a :train, and the lines of a :load's file that ran.)
            if let command = Command.on(Substring(text), inLesson: inLesson) {
                if ["train", "load"].contains(command.name) { state.failedCells += 1 }
            } else if let statements = try? Parser.parse(text), statements.count > 1 || statements.contains(where: \.hasRounds) {
                state.failedCells += 1
            }
            return ok
        }
        if lessonCells == 0 && quiet == 0 { state.hasOwnWork = true }
        let drawn = host.width != Lesson.width && Lesson.drawsToWidth(text)
        let entry = (code: text.trimmingBlankLines, output: printed.joined(separator: "\n"), width: drawn ? Optional(host.width) : nil)
        state.notebookBytes += entry.code.utf8.count + entry.output.utf8.count
        if state.notebookBytes <= Self.notebookBytes && recordedBytes < Self.notebookBytes {
            state.notebook.append(entry)
        } else {
            state.notebookIsFull = true
        }
        return ok
    }

    private func runChunk(_ text: String, file: String, firstLine: Int) -> Bool {
        defer {
            interpreter.flushOutput()
            compactIfLarge()
        }
        let source = Source(file: file, text: text, firstLine: firstLine)
        if let line = Source.split(text).firstIndex(where: { !$0.allSatisfy(\.isWhitespace) }),
            Source.split(text)[line].drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(":")
        {
            return runCommand(String(Source.split(text)[line]), line: firstLine + line, in: source)
        }
        let statements: [Statement]
        do throws(LanguageError) {
            statements = try Parser.parse(Self.helpRequest(text) ?? text, firstLine: firstLine, source: source)
        } catch {
            report(error, in: source)
            return false
        }
        for statement in statements {
            do throws(LanguageError) {
                try interpreter.run(statement, in: source)
            } catch {
                report(error, in: source, line: statement.location.line)
                return false
            }
        }
        return true
    }

    /// `x?` (or `n.layers?`) is IPython's `help(x)`: a name, or names joined by dots, and a
    /// question mark. (Not any line that ends in one: `y = 1  # why?` is a statement.)
    static func helpRequest(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters
        guard trimmed.hasSuffix("?"), !trimmed.contains("\n") else { return nil }
        let name = trimmed.dropLast()
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let isName = { (part: Substring) in
            part.first.map { $0.isLetter || $0 == "_" } == true && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }
        guard !name.isEmpty, parts.allSatisfy(isName) else { return nil }
        return "help(" + name + ")"
    }

    /// Runs a command line; returns false if it reported an error.
    func runCommand(_ text: String, line: Int, in source: Source) -> Bool {
        interpreter.flushOutput()
        do throws(LanguageError) {
            try Command.run(CommandLine(text, line: line), in: self, source: source)
            return true
        } catch {
            // (An error that knows no place is at the command's own line.)
            var error = error
            if error.location == nil && error != .interrupted {
                let column = (text.firstIndex(of: ":").map { text.distance(from: text.startIndex, to: $0) } ?? 0) + 1
                error = LanguageError(error.message, at: SourceLocation(line: line, column: column))
            }
            report(error, in: source, line: line)
            return wantsToQuit  // (exit() unwinding is no failure)
        }
    }

    /// A warning from the interpreter, shown with the line it is about.
    func warn(_ error: LanguageError, in source: Source) {
        report(error, in: source, severity: "warning")
    }
}

extension Session: Console {
    func write(_ kind: OutputKind, _ text: String) { emit(kind, text) }

    func warn(_ error: LanguageError) {
        report(error, in: error.source ?? Source(file: "", text: ""), severity: "warning")
    }

    var stopCheck: () -> Bool {
        let host = host
        return { host.isInterrupted }
    }

    var memoryCheck: () -> Int? {
        let host = host
        return { host.memoryLeft }
    }
}
