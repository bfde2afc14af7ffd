import Micrograd

/// Stepping through a lesson: which one is open, how far it got, and the exercise it waits at.
struct LessonStepper {
    var lesson: Lesson
    /// How many steps have been shown and run; the next `:next` runs `steps[shown]`.
    var shown = 0
    /// A step shown again by `:back` (its index), or nil when at the newest one.
    var viewing: Int?
    /// Each step's cell as it was shown when it ran — prompts and output — by the step's
    /// index (for `:back`).
    var shownCells: [Int: [(kind: OutputKind, text: String)]] = [:]
    /// The exercise at the step just shown, until it is solved or skipped.
    var waiting: Waiting?

    struct Waiting {
        var exercise: Exercise
        /// How many of its hints were shown.
        var hints = 0
        /// Whether `:solution` showed the solution (Enter then runs it).
        var solutionShown = false
    }

    /// The step the learner is looking at.
    var current: Int { viewing ?? shown - 1 }

    /// "exercise 2 of 3", for the exercise `id`.
    func ordinal(of id: String) -> String {
        let all = lesson.exercises
        return "exercise \((all.firstIndex { $0.id == id } ?? 0) + 1) of \(all.count)"
    }
}

extension Session {
    // MARK: Opening and moving through a lesson

    /// Opens `lesson`: where the learner left it (its earlier cells run again quietly, so
    /// the names they made are here), or from the start when `restart` is set or there is
    /// nothing to resume.
    func open(_ lesson: Lesson, restart: Bool) throws(LanguageError) {
        // A lesson starts from an empty session, as its outputs were made in one. What only
        // earlier lessons made goes (:save keeps a record of the reset); the learner's own
        // work stays, with a word on what that means.
        if state.hasOwnWork {
            say(
                "(your own names are still here, so a cell may print something other than the lesson shows; :reset first for an empty session, and :save FILE.md keeps your work)"
            )
        } else if interpreter.globals.keys.contains(where: { $0 != "_" }) || graph.count > 0 {
            let notebook = state.notebook
            let message = resetState()
            state.notebook = notebook + [(":reset", message, nil)]
        }
        state.backstep = nil
        var stepper = LessonStepper(lesson: lesson)
        // The weights the lesson's outputs were made with; :save keeps the reseeding too.
        interpreter.seed = 1337
        interpreter.generator = PythonRandom(seed: 1337)
        state.notebook.append((":seed 1337", "", nil))
        let saved = progress[lesson.name]?.steps ?? 0
        let count = lesson.steps.count
        say("\(lesson.title)  (\(count) steps; Enter or :next goes on, :back goes back, :where says where you are)")
        if !restart && saved > 1 && saved < count {
            say(
                "(resuming at step \(saved): the \(saved - 1) steps before it run again quietly, so their names are here; :lesson \(lesson.number.map(String.init) ?? lesson.name) restart starts over)"
            )
            let replayed = try quietly { () -> Int in
                for index in 0..<(saved - 1) {
                    if host.isInterrupted { return index }
                    let step = lesson.steps[index]
                    if let exercise = step.exercise {
                        runAsTyped(exercise.solution)
                    } else if step.code != nil {
                        stepper.shownCells[index] = show(step, run: true, proseToo: false, noting: false).shown
                    }
                }
                return saved - 1
            }
            stepper.shown = replayed
            state.lesson = stepper
            if replayed < saved - 1 {
                throw LanguageError(
                    "stopped while running the earlier steps again: the lesson is open at step \(replayed + 1); Enter goes on from there")
            }
        } else {
            state.lesson = stepper
        }
        try nextStep()
    }

    func nextStep() throws(LanguageError) {
        guard var stepper = state.lesson else {
            throw LanguageError("no lesson is open; :lessons lists them, :lesson 1 starts the first")
        }
        if let viewing = stepper.viewing {
            // Forward again through steps that already ran: shown as they ran, not run again.
            stepper.viewing = viewing + 1 >= stepper.shown - 1 ? nil : viewing + 1
            state.lesson = stepper
            showAgain(viewing + 1)
            return
        }
        if let waiting = stepper.waiting {
            if waiting.solutionShown {
                try runSolution()
            } else {
                remindOfExercise()
            }
            return
        }
        guard stepper.shown < stepper.lesson.steps.count else {
            finishLesson()
            return
        }
        let index = stepper.shown
        let step = stepper.lesson.steps[index]
        stepper.shown += 1
        state.lesson = stepper
        var done = progress[stepper.lesson.name] ?? LessonProgress()
        done.steps = max(done.steps, stepper.shown)
        progress[stepper.lesson.name] = done
        host.progressChanged(progress)
        if let exercise = step.exercise {
            if !step.prose.isEmpty { emit(.prose, step.prose) }
            state.lesson?.waiting = LessonStepper.Waiting(exercise: exercise)
            say(
                "✎ Your turn (\(stepper.ordinal(of: exercise.id))). Type lines until it is done; the lesson checks after each one. :hint gives a hint, :solution shows a solution, :skip goes on."
            )
            checkExercise(alreadyDone: true)
            return
        }
        let shown = show(step, run: true, proseToo: true).shown  // before the write: show reads the state
        state.lesson?.shownCells[index] = shown
        finishLessonIfAtEnd()
    }

    /// Closes the lesson if its last step has been shown.
    func finishLessonIfAtEnd() {
        if let stepper = state.lesson, stepper.shown == stepper.lesson.steps.count { finishLesson() }
    }

    /// Runs `code` (an exercise's solution) as if typed: shown, with no prose and no note.
    func runAsTyped(_ code: String) {
        show(Lesson.Step(prose: "", code: code, expected: nil, codeLine: 0), run: true, proseToo: false, noting: false)
    }

    /// Closes the lesson after its last step.
    func finishLesson() {
        guard let stepper = state.lesson else { return }
        state.lesson = nil
        let exercises = stepper.lesson.exercises.count
        let solved = progress[stepper.lesson.name]?.solved.count ?? 0
        say(
            "\n(end of \(stepper.lesson.title)"
                + (exercises > 0 ? "; you solved \(solved) of its \(exercises) exercise\(exercises == 1 ? "" : "s")" : "")
                + "; :lessons shows the others)")
    }

    /// Shows step `index` again as it ran, with what it printed then.
    func showAgain(_ index: Int) {
        guard let stepper = state.lesson else { return }
        let step = stepper.lesson.steps[index]
        let count = stepper.lesson.steps.count
        if !step.prose.isEmpty { emit(.prose, step.prose) }
        if let exercise = step.exercise {
            let solved = progress[stepper.lesson.name]?.solved.contains(exercise.id) == true
            let state = stepper.waiting != nil && index == stepper.shown - 1 ? "waiting for you" : solved ? "solved" : "done"
            say("(\(stepper.ordinal(of: exercise.id)): \(state))")
        } else if let code = step.code {
            if let shown = stepper.shownCells[index] {
                for (kind, text) in shown { emit(kind, text) }
            } else {
                emit(.echo, Self.prompted(code))
                if let expected = step.expected, !expected.isEmpty { say(expected) }
            }
        }
        let position = index == stepper.shown - 1 ? "the newest step" : "Enter goes forward"
        say("(step \(index + 1) of \(count), as it ran; \(position))")
    }

    /// Code as it would look typed at the prompt.
    static func prompted(_ code: String) -> String {
        Source.split(code).enumerated().map { ($0.offset == 0 ? ">>> " : "... ") + $0.element }.joined(separator: "\n")
    }

    /// Shows a step's prose and cell, running the cell (unless `run` is false) one
    /// statement at a time as if typed at the prompt, and points out output that differs
    /// from the lesson's (when `noting`). Returns what the cell printed, and the cell as
    /// it was shown (prompts and output in turn).
    @discardableResult
    func show(
        _ step: Lesson.Step, run: Bool, proseToo: Bool, noting: Bool = true
    ) -> (printed: String, shown: [(kind: OutputKind, text: String)]) {
        if proseToo && !step.prose.isEmpty { emit(.prose, step.prose) }
        guard let code = step.code else { return ("", []) }
        var shown: [(kind: OutputKind, text: String)] = []
        let printed = recorded {
            let (lines, _) = Lexer.scan(code)
            let layout = ScriptLayout(lines)
            let text = Source.split(code)
            var i = 0
            while i < lines.count {
                if lines[i].isBlank { i += 1; continue }
                let isCommand = lines[i].tokens.first?.kind.isSymbol(":") == true
                var end = isCommand ? i + 1 : layout.statementEnd(from: i)
                while end > i + 1 && lines[end - 1].isBlank { end -= 1 }
                let chunk = text[i..<end].map(String.init).joined(separator: "\n")
                emit(.echo, Self.prompted(chunk))
                shown.append((.echo, Self.prompted(chunk)))
                if run {
                    lessonCells += 1
                    let output = recorded { self.run(chunk, file: "", firstLine: i + 1) }
                    lessonCells -= 1
                    if !output.isEmpty { shown.append((.result, output.joined(separator: "\n"))) }
                }
                if host.isInterrupted { break }
                i = end
            }
        }.joined(separator: "\n")
        let expected = step.expected ?? ""
        // A picture drawn for this terminal's width is not the lesson's, and not a mistake.
        let redrawn = step.drawsToWidth && host.width != (step.width ?? Lesson.width)
        if run, noting, printed != expected, !redrawn {
            host.write(
                .warning,
                "note: the lesson shows something different here" + (expected.isEmpty ? " (it prints nothing)" : ":\n" + expected)
                    + "\n(a name the lesson uses was changed, or a cell ran twice;\n:reset, then :lesson \(state.lesson?.lesson.number.map(String.init) ?? "N") restart, starts afresh)"
            )
        }
        return (printed, shown)
    }

    // MARK: Exercises

    /// Whether every check of `exercise` holds now (evaluated quietly; an error is false).
    func holds(_ exercise: Exercise) -> Bool {
        exercise.checks.allSatisfy { holds($0) }
    }

    /// Whether one check holds now.
    func holds(_ check: (text: String, line: Int)) -> Bool {
        guard let statements = try? Parser.parse(check.text), statements.count == 1, case .expression(let e) = statements[0].kind
        else { return false }
        let source = Source(file: "", text: check.text)
        return (try? quietly { () throws(LanguageError) -> Bool in interpreter.holds(e, in: source) }) ?? false
    }

    /// After the learner's own line: if the exercise the lesson waits at is now done, says
    /// so, counts it solved, and lets the lesson go on.
    func checkExercise(alreadyDone: Bool = false, after typed: String? = nil) {
        guard let waiting = state.lesson?.waiting else { return }
        let failing = waiting.exercise.checks.first { !holds($0) }
        guard failing == nil, var stepper = state.lesson else {
            if let typed, let failing { sayNotYet(waiting.exercise, failing: failing, after: typed) }
            return
        }
        stepper.waiting = nil
        state.lesson = stepper
        var done = progress[stepper.lesson.name] ?? LessonProgress()
        done.solved.insert(waiting.exercise.id)
        progress[stepper.lesson.name] = done
        host.progressChanged(progress)
        // (Shown without the guards that keep text out, `not isinstance(x, str) and`:
        // what the learner did is the rest.)
        var shown: [String] = []
        for check in waiting.exercise.checks {
            let text = check.text.replacing(#/not isinstance\(\w+, str\) and /#, with: "")
            if !shown.contains(text) { shown.append(text) }
        }
        let checks = shown.joined(separator: " and ")
        say(alreadyDone ? "✓ This one is already done: \(checks) holds. Enter goes on." : "✓ Solved: \(checks) holds now. Enter goes on.")
        finishLessonIfAtEnd()
    }

    /// After the learner's own line, with the exercise not done: what is wrong, if the line
    /// was about it. It names the names the check looks at, or defines a function (which the
    /// check may call: a wrong one, or an error in it, was silent), or names a name one typo
    /// away from one the check looks at and that has no value (`Slope1 = 2` for `slope1`).
    private func sayNotYet(_ exercise: Exercise, failing: (text: String, line: Int), after typed: String) {
        guard !typed.drop(while: \.isWhitespace).hasPrefix(":") else { return }
        let checked = Self.checkedNames(exercise)
        let typedNames = Self.identifiers(in: typed)
        let error = interpreter.checkError
        // (An error that is only "not made yet" is no news.)
        let realError = error.map { $0 == .interrupted || !$0.message.contains("is not defined") } ?? false
        let definesFunction = typed.split(separator: "\n").contains { $0.drop(while: \.isWhitespace).hasPrefix("def ") }
        if typedNames.contains(where: checked.contains) || definesFunction {
            if let error, error == .interrupted {
                say("Not yet: checking it was stopped by Ctrl-C; does your function come to an end?")
            } else if let error, realError {
                say("Not yet: checking it stopped with an error: \(error.message). :hint gives a hint.")
            } else if exercise.checks.count == 1 {
                say("Not yet: the exercise's check does not hold. :hint gives a hint.")
            } else {
                // (Which one, not its text: a check can hold the answer.)
                let k = (exercise.checks.firstIndex { $0.line == failing.line } ?? 0) + 1
                say(
                    "Not yet: check \(k) of the exercise's \(exercise.checks.count) does not hold\(k > 1 ? " (the one\(k > 2 ? "s" : "") before it \(k > 2 ? "do" : "does"))" : ""). :hint gives a hint."
                )
            }
            return
        }
        let unset = checked.filter { interpreter.globals[$0] == nil }.sorted()
        for name in typedNames where !checked.contains(name) {
            guard let meant = Suggestions.closest(to: name, among: unset) else { continue }
            say(
                "Not yet: the check looks at '\(meant)', which has no value; you typed '\(name)'. Names are told apart letter by letter, capitals too."
            )
            return
        }
    }

    /// The names an exercise's checks look at (not the built-in functions they call).
    static func checkedNames(_ exercise: Exercise) -> Set<String> {
        let builtins = Set(
            Builtin.allCases.map(\.rawValue) + ["and", "or", "not", "in", "is", "True", "False", "None", "if", "else", "lambda", "for"])
        return Set(exercise.checks.flatMap { identifiers(in: $0.text) }).subtracting(builtins)
    }

    /// The words in `text` that could be names.
    static func identifiers(in text: String) -> [String] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init).filter { $0.first?.isNumber == false }
    }

    /// What to do at an exercise, when Enter was pressed there.
    func remindOfExercise() {
        say(
            "The lesson waits for the exercise above: type lines until it is done. :hint gives a hint, :solution shows a solution, :skip goes on without it; :lesson close leaves the lesson."
        )
    }

    /// The exercise the lesson waits at, or an error saying there is none.
    func waitingExercise(_ call: CommandCall) throws(LanguageError) -> LessonStepper.Waiting {
        guard let stepper = state.lesson else { throw LanguageError("no lesson is open; :lessons lists them", at: call.location) }
        guard let waiting = stepper.waiting else {
            throw LanguageError("the lesson is not at an exercise now; Enter (or :next) goes on", at: call.location)
        }
        return waiting
    }

    /// Runs the solution `:solution` showed, as if typed, and says whether the check holds.
    func runSolution() throws(LanguageError) {
        guard let waiting = state.lesson?.waiting else { return }
        runAsTyped(waiting.exercise.solution)
        if host.isInterrupted { throw .interrupted }
        if holds(waiting.exercise) {
            state.lesson?.waiting = nil
            say(
                "✓ The check holds now. (A solution run for you is not counted as solved by you; :lessons counts the ones you did.) Enter goes on."
            )
            finishLessonIfAtEnd()
        } else {
            say(
                "The solution ran, but the check still does not hold: a name the lesson uses may have been changed. :skip goes on; :lesson \(state.lesson?.lesson.number.map(String.init) ?? "N") restart starts afresh."
            )
        }
    }
}
