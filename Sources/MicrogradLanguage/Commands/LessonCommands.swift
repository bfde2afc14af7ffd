import Micrograd

// The tutorial's lessons, step by step.
extension Command {
    static let lessons = Command(
        name: "lessons", usage: ":lessons", summary: "the tutorial's chapters, with how far you got",
        details: "Lists the lessons: the tutorial from a derivative to a trained network, one chapter each, with the steps you have seen.",
        example: ":lessons", arguments: 0...0, isNavigation: true
    ) { session, _ throws(LanguageError) in
        session.say(session.lessonList())
    }

    static let lesson = Command(
        name: "lesson", usage: ":lesson N [restart]", summary: "open lesson N where you left it (restart: from the top)",
        details:
            "Opens a lesson: some text, then a cell of code that runs as if you typed it. Enter on an empty line (or :next) goes on; you can type your own lines in between, and the names the lesson defines are yours to play with. At an exercise the lesson waits until its check holds (:hint, :solution, :skip). A lesson you left part way opens where you were, after running its earlier cells again quietly; ':lesson N restart' starts from the top. ':lesson close' leaves the open lesson, keeping your names and where you got to.",
        example: ":lesson 1\n:lesson 4 restart\n:lesson close", arguments: 0...2, isNavigation: true
    ) { session, call throws(LanguageError) in
        var words = call.words
        guard let first = words.first else {
            throw LanguageError(
                session.state.lesson.map {
                    "\($0.lesson.title) is open (:where says where); ':lesson close' leaves it, :lessons lists the others"
                }
                    ?? "which lesson? usage: :lesson N (:lessons lists them)", at: call.location)
        }
        if first.text == "close" && words.count == 1 {
            guard let open = session.state.lesson else { throw LanguageError("no lesson is open; :lessons lists them", at: call.location) }
            session.state.lesson = nil
            let reopen = open.lesson.number.map(String.init) ?? open.lesson.name
            // (A lesson seen to its end opens from the top, to read again: see `open`.)
            let finished = (session.progress[open.lesson.name]?.steps ?? 0) >= open.lesson.steps.count
            session.say(
                "closed \(open.lesson.title); your names stay, and :lesson \(reopen) opens it again "
                    + (finished ? "from the top, as you have seen it to the end" : "where you were"))
            return
        }
        let restart = words.count == 2 && words[1].text == "restart"
        if restart { words.removeLast() }
        guard words.count == 1 else {
            throw LanguageError("usage: :lesson N, or :lesson N restart to start from the top", at: words[1].location)
        }
        let lesson: Lesson
        switch Lesson.find(words[0].text, in: session.lessons) {
        case .success(let found): lesson = found
        case .failure(var error):
            error.location = words[0].location
            throw error
        }
        try session.open(lesson, restart: restart)
    }

    static let next = Command(
        name: "next", usage: ":next", summary: "the lesson's next step (Enter on an empty line does the same)",
        details: "Shows the next text of the open lesson and runs its next cell; during a :backstep, visits the next node.",
        example: ":next", arguments: 0...0, isNavigation: true
    ) { session, _ throws(LanguageError) in
        if session.state.backstep != nil {
            try session.backstepOnce()
        } else {
            try session.nextStep()
        }
    }

    static let back = Command(
        name: "back", usage: ":back", summary: "show the lesson's step before this one, as it ran",
        details:
            "Shows the step before the one you are looking at again, with the output its cell printed, without running it. :back again goes further back; Enter goes forward again; :again runs the cell once more.",
        example: ":back", arguments: 0...0, isNavigation: true
    ) { session, call throws(LanguageError) in
        guard var stepper = session.state.lesson else { throw LanguageError("no lesson is open; :lessons lists them", at: call.location) }
        guard stepper.current >= 1 else { throw LanguageError("this is the lesson's first step", at: call.location) }
        stepper.viewing = stepper.current - 1
        session.state.lesson = stepper
        session.showAgain(stepper.current)
    }

    static let again = Command(
        name: "again", usage: ":again", summary: "run the cell of the step you are looking at again",
        details: "Runs the cell of the step just shown (or shown again by :back) once more; useful after changing a value.",
        example: ":again", arguments: 0...0, isNavigation: true
    ) { session, call throws(LanguageError) in
        guard let stepper = session.state.lesson, stepper.shown > 0 else {
            throw LanguageError("no lesson step to run again; :lessons lists them", at: call.location)
        }
        let step = stepper.lesson.steps[stepper.current]
        guard step.code != nil else {
            throw LanguageError(
                step.exercise != nil ? "this step is an exercise, not a cell; :solution shows a solution" : "this step has no cell to run",
                at: call.location)
        }
        // (What it prints now is what :back shows of it from here on.)
        let shown = session.show(step, run: true, proseToo: false).shown
        session.state.lesson?.shownCells[stepper.current] = shown
    }

    static let `where` = Command(
        name: "where", usage: ":where", summary: "which lesson and step you are at",
        details: "Says which lesson is open, which of its steps you are looking at, and the exercise it waits at, if any.",
        example: ":where", arguments: 0...0, isNavigation: true
    ) { session, _ throws(LanguageError) in
        guard let stepper = session.state.lesson else {
            session.say("no lesson is open; :lessons lists them")
            return
        }
        var text = "\(stepper.lesson.title): step \(stepper.current + 1) of \(stepper.lesson.steps.count)"
        if stepper.viewing != nil { text += " (looking back; the newest is step \(stepper.shown))" }
        if let waiting = stepper.waiting {
            text += "; waiting for \(stepper.ordinal(of: waiting.exercise.id)) (:hint, :solution, :skip)"
        }
        session.say(text)
    }

    static let hint = Command(
        name: "hint", usage: ":hint", summary: "a hint for the lesson's exercise (the next one each time)",
        details: "At an exercise, shows its next hint; when they run out, :solution shows a solution.", example: ":hint",
        arguments: 0...0, isNavigation: true
    ) { session, call throws(LanguageError) in
        let waiting = try session.waitingExercise(call)
        let hints = waiting.exercise.hints
        guard waiting.hints < hints.count else {
            session.say(
                hints.isEmpty
                    ? "this exercise has no hints; :solution shows a solution" : "that was the last hint; :solution shows a solution")
            return
        }
        session.state.lesson?.waiting?.hints += 1
        // Hints are written in the lessons' Markdown; shown here as plain text.
        let hint = Prose.render(hints[waiting.hints], width: 10_000, styled: false)
        session.say("hint \(waiting.hints + 1) of \(hints.count): \(hint)")
    }

    static let solution = Command(
        name: "solution", usage: ":solution", summary: "show a solution to the lesson's exercise (Enter then runs it)",
        details:
            "At an exercise, shows a solution without running it. Enter on an empty line then runs it, as if you typed it; or type it (or your own) yourself. A solution run for you does not count as solved by you.",
        example: ":solution", arguments: 0...0, isNavigation: true
    ) { session, call throws(LanguageError) in
        // Right after an exercise is solved, its solution is there to compare with.
        if let stepper = session.state.lesson, stepper.waiting == nil, stepper.shown > 0,
            let done = stepper.lesson.steps[stepper.current].exercise
        {
            session.say(
                "This exercise is done; the lesson's solution, to compare with yours:\n"
                    + Source.split(done.solution).map { "    " + $0 }.joined(separator: "\n") + "\nEnter goes on.")
            return
        }
        let code = try session.waitingExercise(call).exercise.solution
        session.state.lesson?.waiting?.solutionShown = true
        session.say(
            "A solution:\n" + Source.split(code).map { "    " + $0 }.joined(separator: "\n")
                + "\nEnter runs it here; or type it (or your own) yourself.")
    }

    static let skip = Command(
        name: "skip", usage: ":skip", summary: "go on past the lesson's exercise",
        details:
            "Leaves the exercise the lesson waits at unsolved and goes on. Its solution runs quietly, so the steps after it have the names they need, and is shown so you can read it.",
        example: ":skip", arguments: 0...0, isNavigation: true
    ) { session, call throws(LanguageError) in
        let waiting = try session.waitingExercise(call)
        let code = waiting.exercise.solution
        _ = try session.quietly { () throws(LanguageError) in
            session.runAsTyped(code)
        }
        if session.host.isInterrupted { throw .interrupted }
        session.state.lesson?.waiting = nil
        session.say(
            "Skipped. Its solution ran quietly, so the next steps have what they need:\n"
                + Source.split(code).map { "    " + $0 }.joined(separator: "\n")
                + "\nEnter goes on.")
        session.finishLessonIfAtEnd()
    }
}

extension Session {
    /// The lessons, each with the steps seen and the exercises solved, in 80 columns.
    func lessonList() -> String {
        if lessons.isEmpty { return "no lessons are installed" }
        var rows: [[String]] = []
        for lesson in lessons {
            let done = progress[lesson.name] ?? LessonProgress()
            let count = lesson.steps.count
            let mark = state.lesson?.lesson.name == lesson.name ? "→" : " "
            let status = done.steps == 0 ? "not started" : done.steps >= count ? "done" : "\(done.steps) of \(count) steps"
            let ids = Set(lesson.exercises.map(\.id))
            let exercises = ids.isEmpty ? "" : "\(done.solved.intersection(ids).count) of \(ids.count) exercise\(ids.count == 1 ? "" : "s")"
            // Titles carry their number ("1. Derivatives"); the list shows it once.
            let number = lesson.number.map(String.init) ?? "-"
            var title = lesson.title.hasPrefix(number + ". ") ? String(lesson.title.dropFirst(number.count + 2)) : lesson.title
            if title.count > 34 { title = title.prefix(33) + "…" }
            rows.append(["\(mark) \(number).", title, status, exercises])
        }
        return columns(rows)
            + "\n:lesson N opens one where you left it (one seen to its end, from the top);\n:lesson N restart starts it over"
    }
}
