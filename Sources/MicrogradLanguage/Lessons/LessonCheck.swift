/// A cell whose output is not what the lesson says, or an exercise that cannot grade.
public struct LessonMismatch: Equatable, Sendable, CustomStringConvertible {
    public var lesson: String
    public var line: Int
    public var expected: String
    public var actual: String
    /// For an exercise: what is wrong with it (then `expected` and `actual` are empty).
    public var problem: String?
    /// The exercise it is about, if any.
    public var exercise: String?

    public init(lesson: String, line: Int, expected: String, actual: String, problem: String? = nil, exercise: String? = nil) {
        self.lesson = lesson
        self.line = line
        self.expected = expected
        self.actual = actual
        self.problem = problem
        self.exercise = exercise
    }

    /// What is wrong, in words (a cell's is followed by ``diff``).
    public var summary: String { problem ?? "the cell's output differs from the lesson's (- lesson, + now)" }

    public var description: String {
        "\(lesson).md:\(line): \(summary)" + (problem == nil ? "\n" + diff : "")
    }

    /// The two outputs line by line: shared lines once, then the lesson's lines marked -
    /// and the actual ones marked +, for the part that differs.
    public var diff: String {
        let old = expected.isEmpty ? [] : expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.isEmpty ? [] : actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var start = 0
        while start < old.count && start < new.count && old[start] == new[start] { start += 1 }
        var end = 0
        while end < old.count - start && end < new.count - start && old[old.count - 1 - end] == new[new.count - 1 - end] { end += 1 }
        var lines = old[..<start].map { "  " + $0 }
        lines += old[start..<(old.count - end)].map { "- " + $0 }
        lines += new[start..<(new.count - end)].map { "+ " + $0 }
        lines += old[(old.count - end)...].map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

extension Session {
    /// Runs each cell of `lesson` in this session, as the REPL would, and returns what each
    /// printed (standard output and errors, in order). An exercise's solution runs where
    /// the exercise is, as if the learner had done it.
    public func outputs(of lesson: Lesson) -> [String] {
        var outputs: [String] = []
        replay(lesson) { _, output in
            outputs.append(output)
        } exercise: { _ in
        }
        return outputs
    }

    /// Each cell of `lesson` cut into its statements (a block with its body), each with what
    /// it printed, run in this session as the cells would be: the lesson as it looks typed
    /// at the prompt, a statement and then its output. (`lessons show` printed a cell's
    /// statements and then all their outputs together.)
    public func statementsAndOutputs(of lesson: Lesson) -> [[(code: String, output: String)]] {
        var cells: [[(code: String, output: String)]] = []
        replay(
            lesson,
            running: { code -> [(code: String, output: String)] in
                let lines = Source.split(code)
                let layout = ScriptLayout(Lexer.scan(lines: lines).lines)
                var pieces: [(code: String, output: String)] = []
                var i = 0
                while i < lines.count {
                    if layout.lines[i].isBlank {
                        i += 1
                        continue
                    }
                    let end = max(i + 1, layout.statementEnd(from: i))
                    let piece = lines[i..<min(end, lines.count)].joined(separator: "\n")
                    pieces.append((piece, recorded { runScript(piece, file: "") }.joined(separator: "\n")))
                    i = end
                }
                return pieces
            }, cell: { cells.append($1) }, exercise: { _ in })
        return cells
    }

    /// Runs `lesson` step by step: `cell` gets each cell and what it printed; `exercise` is
    /// called at each exercise before its solution runs, and returns the problems found
    /// after (a check that still fails, a solution that fails).
    func replay(
        _ lesson: Lesson, cell: (Lesson.Step, String) -> Void,
        exercise: (Exercise) -> Void, after: (Exercise, _ solutionFailed: String?) -> Void = { _, _ in }
    ) {
        replay(
            lesson, running: { code in recorded { runScript(code, file: "") }.joined(separator: "\n") }, cell: cell,
            exercise: exercise, after: after)
    }

    /// `replay`, with each cell run by `running`, which gives what `cell` is given.
    private func replay<Printed>(
        _ lesson: Lesson, running: (String) -> Printed, cell: (Lesson.Step, Printed) -> Void,
        exercise: (Exercise) -> Void, after: (Exercise, _ solutionFailed: String?) -> Void = { _, _ in }
    ) {
        for step in lesson.steps {
            if host.isInterrupted { return }  // (Ctrl-C: the cells after it are not run)
            if let code = step.code {
                // Pictures are drawn at the width the lesson says (an InMemoryHost's is settable).
                let memory = host as? InMemoryHost
                let width = memory?.width
                if let memory, step.drawsToWidth { memory.width = step.width ?? Lesson.width }
                defer { if let memory, let width { memory.width = width } }
                cell(step, running(code))
            } else if let task = step.exercise {
                exercise(task)
                var ok = true
                let printed = recorded { ok = runScript(task.solution, file: "") }
                after(task, ok ? nil : printed.joined(separator: "\n"))
            }
        }
    }
}

extension Lesson {
    /// Runs every cell in a fresh session whose host keeps everything in memory (so a cell
    /// that writes or reads a file touches nothing outside), and lists the cells whose
    /// output differs, and the exercises that cannot grade: a check that holds before the
    /// solution runs (it would pass a learner who did nothing), a solution that fails, a
    /// check that does not hold after it, or checks that pass the answer written as text
    /// (`float(guess)` reads `guess = '2'` as well as `guess = 2`).
    /// `shouldStop` is asked as cells run (Ctrl-C, for `micrograd lessons check`): once it
    /// says so, the rest is not run, and the problems found so far are returned.
    public func check(stoppingWhen shouldStop: @escaping () -> Bool = { false }) -> [LessonMismatch] {
        let host = InMemoryHost()
        host.shouldStop = shouldStop
        let session = Session(host: host)
        var problems: [LessonMismatch] = []
        var vacuous: Set<String> = []
        func problem(_ line: Int, _ task: Exercise, _ text: String) {
            problems.append(
                LessonMismatch(
                    lesson: name, line: line, expected: "", actual: "", problem: "exercise '\(task.id)': " + text, exercise: task.id))
        }
        session.replay(self) { step, output in
            let expected = step.expected ?? ""
            if expected != output {
                problems.append(LessonMismatch(lesson: name, line: step.codeLine, expected: expected, actual: output))
            }
        } exercise: { task in
            for check in task.checks where session.holds(check) {
                problem(check.line, task, "this check already holds before the solution runs, so it would pass a learner who did nothing")
                vacuous.insert(task.id)
            }
        } after: { task, failed in
            if let failed {
                problem(task.solutionLine, task, "the solution has errors:\n" + failed)
            }
            for check in task.checks where !session.holds(check) {
                problem(check.line, task, "this check does not hold after the solution runs")
            }
            // (A check that passes anything passes text too: said once, above.)
            if failed == nil, !vacuous.contains(task.id), let (name, text) = session.passesAsText(task) {
                problem(
                    task.checks.first?.line ?? task.solutionLine, task,
                    "the checks also pass \(name) = '\(text)', the answer written as text; check the type too: not isinstance(\(name), str) and …"
                )
            }
        }
        return problems
    }

    /// The lesson `key` names in `lessons`: its number (1, 01), or part of its name or title.
    public static func find(_ key: String, in lessons: [Lesson]) -> Result<Lesson, LanguageError> {
        if !key.isEmpty, key.allSatisfy(\.isASCIIDigit) {
            let numbers = lessons.compactMap(\.number).sorted()
            if let n = Int(key), let lesson = lessons.first(where: { $0.number == n }) { return .success(lesson) }
            let range = numbers.isEmpty ? "" : "; they are numbered \(numbers.first!) to \(numbers.last!)"
            return .failure(LanguageError("there is no lesson \(Int(key).map(String.init) ?? key)\(range)"))
        }
        let lowered = key.lowercased()
        let matches = lessons.filter { $0.name.lowercased().contains(lowered) || $0.title.lowercased().contains(lowered) }
        if matches.count == 1 { return .success(matches[0]) }
        if matches.count > 1 {
            return .failure(
                LanguageError("'\(key)' could be " + matches.map { "\($0.number ?? 0) (\($0.title))" }.joined(separator: " or ")))
        }
        return .failure(LanguageError("there is no lesson '\(key)'; :lessons lists them"))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Session {
    /// A name the solution of `task` gave a number (or a Value) that the task's checks would
    /// also take as text: the name and the text, if its number written in quotes passes
    /// them all. (The name keeps what it held afterwards.)
    fileprivate func passesAsText(_ task: Exercise) -> (name: String, text: String)? {
        // The names the solution's statements assign (read by the parser, as they run).
        var assigned: [String] = []
        for statement in (try? Parser.parse(task.solution)) ?? [] {
            guard case .assignment(let targets, _) = statement.kind else { continue }
            for case .name(let name, _) in targets { assigned.append(name) }
        }
        for name in Set(assigned).sorted() {
            guard let held = interpreter.globals[name] else { continue }
            let text: String
            switch held {
            case .integer, .number: text = held.printed
            case .value(let v): text = v.data.pythonDescription
            default: continue
            }
            interpreter.globals[name] = .string(text)
            defer { interpreter.globals[name] = held }
            if holds(task) { return (name, text) }
        }
        return nil
    }
}
