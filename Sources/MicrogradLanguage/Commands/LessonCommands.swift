import Micrograd

// The tutorial's lessons, step by step.
extension Command {
    static let lessons = Command(
        name: "lessons", usage: ":lessons", summary: "the tutorial's chapters, with how far you got",
        details: "Lists the lessons: the tutorial from a derivative to a trained network, one chapter each, with the steps you have seen.",
        example: ":lessons", arguments: 0...0
    ) { session, _ throws(LanguageError) in
        session.emit(.result, session.lessonList())
    }

    static let lesson = Command(
        name: "lesson", usage: ":lesson N", summary: "start lesson N (or name part of its title)",
        details:
            "Opens a lesson and shows its first step: some text, then a cell of code that runs as if you typed it. Enter on an empty line (or :next) goes on; you can type your own lines in between, and the names the lesson defines are yours to play with.",
        example: ":lesson 1"
    ) { session, call throws(LanguageError) in
        guard let word = call.line.rest(from: 0) else {
            throw LanguageError("which lesson? :lesson 1, or a name from :lessons", at: call.location)
        }
        let lesson: Lesson
        switch Lesson.find(word.text, in: session.lessons) {
        case .success(let found): lesson = found
        case .failure(var error):
            error.location = word.location
            throw error
        }
        session.state.lesson = LessonStepper(lesson: lesson)
        session.interpreter.generator = SeededGenerator(seed: 1337)  // the weights the lesson's outputs were made with
        session.emit(.result, "\(lesson.title)  (\(lesson.steps.count) steps; Enter or :next to go on, :where to see where you are)")
        try session.nextStep()
    }

    static let next = Command(
        name: "next", usage: ":next", summary: "the lesson's next step (Enter on an empty line does the same)",
        details: "Shows the next text of the open lesson and runs its next cell; during a :backstep, visits the next node.",
        example: ":next", arguments: 0...0
    ) { session, _ throws(LanguageError) in
        if session.state.backstep != nil {
            try session.backstepOnce()
        } else {
            try session.nextStep()
        }
    }

    static let back = Command(
        name: "back", usage: ":back", summary: "show the lesson's previous step again",
        details: "Shows the step before the last one again without running it; :again runs it, :next goes on from there.",
        example: ":back", arguments: 0...0
    ) { session, call throws(LanguageError) in
        guard var stepper = session.state.lesson else { throw LanguageError("no lesson is open; :lessons lists them", at: call.location) }
        guard stepper.shown >= 2 else { throw LanguageError("this is the lesson's first step", at: call.location) }
        stepper.shown -= 1
        session.state.lesson = stepper
        session.emit(.result, "(step \(stepper.shown) of \(stepper.lesson.steps.count), shown again without running it; :again runs it)")
        session.show(stepper.lesson.steps[stepper.shown - 1], run: false, proseToo: true)
    }

    static let again = Command(
        name: "again", usage: ":again", summary: "run the lesson's last cell again",
        details: "Runs the cell of the step just shown once more (useful after changing a value).", example: ":again",
        arguments: 0...0
    ) { session, call throws(LanguageError) in
        guard let stepper = session.state.lesson, stepper.shown > 0 else {
            throw LanguageError("no lesson step to run again; :lessons lists them", at: call.location)
        }
        session.show(stepper.lesson.steps[stepper.shown - 1], run: true, proseToo: false)
    }

    static let `where` = Command(
        name: "where", usage: ":where", summary: "which lesson and step you are at",
        details: "Says which lesson is open and how many of its steps you have seen.", example: ":where", arguments: 0...0
    ) { session, _ throws(LanguageError) in
        guard let stepper = session.state.lesson else {
            session.emit(.result, "no lesson is open; :lessons lists them")
            return
        }
        session.emit(.result, "\(stepper.lesson.title): step \(stepper.shown) of \(stepper.lesson.steps.count)")
    }
}

extension Session {
    func lessonList() -> String {
        if lessons.isEmpty { return "no lessons are installed" }
        var rows: [[String]] = []
        for lesson in lessons {
            let done = progress[lesson.name] ?? 0
            let mark = state.lesson?.lesson.name == lesson.name ? "→" : " "
            let status = done == 0 ? "not started" : done >= lesson.steps.count ? "done" : "\(done) of \(lesson.steps.count) steps"
            // Titles carry their number ("1. Derivatives"); the list shows it once.
            let number = lesson.number.map(String.init) ?? "-"
            let title = lesson.title.hasPrefix(number + ". ") ? String(lesson.title.dropFirst(number.count + 2)) : lesson.title
            rows.append(["\(mark) \(number).", title, status])
        }
        return columns(rows) + "\n:lesson N starts one"
    }

    func nextStep() throws(LanguageError) {
        guard var stepper = state.lesson else {
            throw LanguageError("no lesson is open; :lessons lists them, :lesson 1 starts the first")
        }
        guard stepper.shown < stepper.lesson.steps.count else {
            state.lesson = nil
            emit(.result, "That was the end of \(stepper.lesson.title). :lessons shows what comes next.")
            return
        }
        let step = stepper.lesson.steps[stepper.shown]
        stepper.shown += 1
        state.lesson = stepper
        progress[stepper.lesson.name] = max(progress[stepper.lesson.name] ?? 0, stepper.shown)
        host.progressChanged(progress)
        show(step, run: true, proseToo: true)
        if stepper.shown == stepper.lesson.steps.count {
            state.lesson = nil
            emit(.result, "\n(end of the lesson; :lessons shows the others)")
        }
    }
}
