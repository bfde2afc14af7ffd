import ArgumentParser
import MicrogradLanguage
import MicrogradPlatform

/// `micrograd lessons`: listing, showing, checking and updating the lessons.
public struct Lessons: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "List the tutorial's lessons, or check that lesson files print what they say.",
        subcommands: [List.self, Show.self, Check.self, Update.self],
        defaultSubcommand: List.self
    )

    public init() {}

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the lessons (`micrograd lesson N` opens one).")

        func run() throws {
            for lesson in Lesson.bundled {
                let exercises = lesson.exercises.count
                print(
                    "\(lesson.title)  (\(lesson.steps.count) steps"
                        + (exercises > 0 ? ", \(exercises) exercise\(exercises == 1 ? "" : "s"))" : ")"))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a lesson with every cell run fresh (a number, part of a title, or a lesson file).")

        @Argument(help: "The lesson's number, part of its name, or a file such as draft.md.")
        var lesson: String

        @Option(help: "Lay the text out for this many columns (default: the terminal's, or 80).")
        var width: Int?

        func run() throws {
            let found: Lesson
            if lesson.hasSuffix(".md") {
                found = try LessonFiles.read([lesson])[0].lesson
            } else {
                switch Lesson.find(lesson, in: Lesson.bundled) {
                case .success(let l): found = l
                case .failure(let error): throw UsageError(error.message.replacing(":lessons", with: "`micrograd lessons`"))
                }
            }
            let columns = width ?? Terminal.width() ?? 80
            let styled = Terminal.wantsColour
            var cells = try LessonFiles.replaying(lesson) { $0.statementsAndOutputs(of: found) }[...]
            for step in found.steps {
                if !step.prose.isEmpty { print(Prose.render(step.prose, width: min(columns, 100), styled: styled) + "\n") }
                if let exercise = step.exercise {
                    print("✎ Exercise '\(exercise.id)': done when " + exercise.checks.map(\.text).joined(separator: " and "))
                    for (k, hint) in exercise.hints.enumerated() { print("  hint \(k + 1): \(hint)") }
                    print(
                        "  solution:\n"
                            + exercise.solution.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(
                                separator: "\n") + "\n")
                }
                guard step.code != nil, let cell = cells.popFirst() else { continue }
                // As typed at the prompt: each statement, its block's lines after '...', then
                // what it printed.
                for (code, output) in cell {
                    let lines = code.split(separator: "\n", omittingEmptySubsequences: false)
                    print(lines.enumerated().map { ($0.offset == 0 ? ">>> " : "... ") + $0.element }.joined(separator: "\n"))
                    if !output.isEmpty { print(output) }
                }
                print()
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay each lesson in a fresh session; print FILE:LINE and a diff for every cell whose output differs.",
            discussion: "Cells run in a sandbox: files they write or read live in memory, and nothing outside is touched."
        )

        @Argument(help: "Lesson files (default: Lessons/[0-9]*.md here, or else the lessons built in).")
        var files: [String] = []

        func run() throws {
            var failed = false
            for file in try LessonFiles.read(files, orBuiltIn: true) {
                let mismatches = file.lesson.check(stoppingWhen: { Signals.shouldStop })
                try LessonFiles.stopIfAsked(file.path)
                for m in mismatches {
                    Output.error("\(file.path):\(m.line): \(m.summary)" + (m.problem == nil ? "\n" + m.diff : ""))
                }
                let cells = file.lesson.steps.filter { $0.code != nil }.count
                let exercises = file.lesson.exercises.count
                let badCells = Set(mismatches.filter { $0.problem == nil }.map(\.line)).count
                let badExercises = Set(mismatches.compactMap(\.exercise)).count
                print(
                    "\(file.path): \(cells - badCells) of \(cells) cells print what the lesson says"
                        + (exercises == 0 ? "" : "; \(exercises - badExercises) of \(exercises) exercise\(exercises == 1 ? "" : "s") grade")
                )
                if !mismatches.isEmpty { failed = true }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite each lesson's output blocks with what its cells print (for writing lessons)."
        )

        @Argument(help: "Lesson files (default: Lessons/[0-9]*.md here).")
        var files: [String] = []

        func run() throws {
            for file in try LessonFiles.read(files) {
                let updated = Lesson.updating(file.text, outputs: try LessonFiles.replaying(file.path) { $0.outputs(of: file.lesson) })
                guard updated != file.text else { continue }
                do {
                    try Files.write(Array(updated.utf8), to: file.path, linkedTargetEndingIn: file.path.hasSuffix(".md") ? ".md" : nil)
                } catch {
                    throw UsageError("cannot write \(file.path): \(error)")
                }
                print("\(file.path): output blocks updated")
            }
        }
    }
}

/// Lesson files named on the command line (by default, the bundled lessons' files here).
enum LessonFiles {
    /// What `run` gives with a session whose files live in memory and which Ctrl-C or
    /// SIGTERM stops (a cell that loops for ever went on deaf to both), saying so, with 130
    /// or 143.
    static func replaying<T>(_ name: String, _ run: (Session) -> T) throws -> T {
        let host = InMemoryHost()
        host.shouldStop = { Signals.shouldStop }
        let result = run(Session(host: host))
        try stopIfAsked(name)
        return result
    }

    /// After Ctrl-C or SIGTERM: says where, and ends with the signal's status.
    static func stopIfAsked(_ name: String) throws {
        guard Signals.shouldStop else { return }
        Output.error("\(name): interrupted")
        throw ExitCode(Signals.exitStatus(for: Signals.termination ?? Signals.interruptNumber))
    }

    /// The files' lessons; with no files, those of Lessons/ here, or (`orBuiltIn`, where there
    /// is no Lessons/ folder here: outside the source tree) the lessons built in.
    static func read(_ files: [String], orBuiltIn: Bool = false) throws -> [(path: String, text: String, lesson: Lesson)] {
        if files.isEmpty && orBuiltIn && !Files.isFolder("Lessons") {
            return zip(Lesson.bundledSources, Lesson.bundled).map { ("\($0.name).md (built in)", $0.text, $1) }
        }
        if files.isEmpty && !Files.isFolder("Lessons") {
            throw UsageError("there is no Lessons folder here: name the lesson files, or run this where Lessons/ is")
        }
        let paths = files.isEmpty ? Lesson.bundledSources.map { "Lessons/\($0.name).md" } : files
        var result: [(path: String, text: String, lesson: Lesson)] = []
        for path in paths {
            let bytes: [UInt8]
            do { bytes = try Files.read(path, limit: 10 << 20, refusingPipes: true) } catch {
                throw UsageError(error.isInterruption ? "stopped while reading \(path)" : "cannot read \(error)")
            }
            let text: String
            switch NotUTF8.text(of: bytes) {
            case .success(let decoded): text = decoded
            case .failure(let problem):
                throw UsageError("\(path):\(problem.location): \(problem.what); save the lesson as UTF-8")
            }
            let file = path.split(separator: "/").last.map(String.init) ?? path
            let name = file.hasSuffix(".md") ? String(file.dropLast(3)) : file
            if let error = Session.tooLargeToRead(text, file: path, memoryLeft: Process.memoryAvailable()) {
                throw UsageError(error.message)
            }
            do {
                result.append((path, text, try Lesson.parse(text, name: name)))
            } catch {
                throw UsageError("\(path):\(error.location?.line ?? 1): \(error.message)")
            }
        }
        return result
    }
}
