import Micrograd

/// Stepping through lessons in a session: which lesson is open, and how far the learner got.
struct LessonState {
    var lesson: Lesson
    /// How many steps have been shown; the next `:next` shows `steps[shown]`.
    var shown = 0
}

extension Session {
    /// Whether a lesson is open or a :backstep is under way (Enter on an empty line then
    /// means `:next`).
    public var isStepping: Bool { lessonState != nil || backstepState != nil }

    func lessonCommand(_ name: String, _ args: [Word], at start: SourceLocation) throws(LanguageError) {
        switch name {
        case "lessons":
            write(.result, lessonList())
        case "lesson":
            guard let word = args.first else { throw LanguageError("which lesson? :lesson 1, or a name from :lessons", at: start) }
            let lesson = try findLesson(word.text, at: word.location)
            lessonState = LessonState(lesson: lesson)
            generator = SeededGenerator(seed: 1337)     // the weights the lesson's outputs were made with
            write(.result, "\(lesson.title)  (\(lesson.steps.count) steps; Enter or :next to go on, :where to see where you are)")
            try nextStep()
        case "next":
            try nextStep()
        case "again":
            guard let state = lessonState, state.shown > 0 else { throw LanguageError("no lesson step to run again; :lessons lists them", at: start) }
            try show(state.lesson.steps[state.shown - 1], run: true, proseToo: false)
        case "back":
            guard var state = lessonState else { throw LanguageError("no lesson is open; :lessons lists them", at: start) }
            guard state.shown >= 2 else { throw LanguageError("this is the lesson's first step", at: start) }
            state.shown -= 1
            lessonState = state
            write(.result, "(step \(state.shown) of \(state.lesson.steps.count), shown again without running it; :again runs it)")
            try show(state.lesson.steps[state.shown - 1], run: false, proseToo: true)
        case "where":
            guard let state = lessonState else {
                write(.result, "no lesson is open; :lessons lists them")
                return
            }
            write(.result, "\(state.lesson.title): step \(state.shown) of \(state.lesson.steps.count)")
        default:
            break
        }
    }

    private func lessonList() -> String {
        if lessons.isEmpty { return "no lessons are installed" }
        var rows: [[String]] = []
        for lesson in lessons {
            let done = progress[lesson.name] ?? 0
            let mark = lessonState?.lesson.name == lesson.name ? "→" : " "
            let status = done == 0 ? "not started" : done >= lesson.steps.count ? "done" : "\(done) of \(lesson.steps.count) steps"
            // Titles carry their number ("1. Derivatives"); the list shows it once.
            let number = lesson.number.map(String.init) ?? "-"
            let title = lesson.title.hasPrefix(number + ". ") ? String(lesson.title.dropFirst(number.count + 2)) : lesson.title
            rows.append(["\(mark) \(number).", title, status])
        }
        return Self.columns(rows) + "\n:lesson N starts one"
    }

    private func findLesson(_ text: String, at location: SourceLocation) throws(LanguageError) -> Lesson {
        if let n = Int(text), let lesson = lessons.first(where: { $0.number == n }) { return lesson }
        let key = text.lowercased()
        let matches = lessons.filter { $0.name.lowercased().contains(key) || $0.title.lowercased().contains(key) }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw LanguageError("'\(text)' could be " + matches.map { "\($0.number ?? 0) (\($0.title))" }.joined(separator: " or "), at: location)
        }
        throw LanguageError("there is no lesson '\(text)'; :lessons lists them", at: location)
    }

    private func nextStep() throws(LanguageError) {
        guard var state = lessonState else { throw LanguageError("no lesson is open; :lessons lists them, :lesson 1 starts the first") }
        guard state.shown < state.lesson.steps.count else {
            lessonState = nil
            write(.result, "That was the end of \(state.lesson.title). :lessons shows what comes next.")
            return
        }
        let step = state.lesson.steps[state.shown]
        state.shown += 1
        lessonState = state
        progress[state.lesson.name] = max(progress[state.lesson.name] ?? 0, state.shown)
        onProgress(progress)
        try show(step, run: true, proseToo: true)
        if state.shown == state.lesson.steps.count {
            lessonState = nil
            write(.result, "\n(end of the lesson; :lessons shows the others)")
        }
    }

    private func show(_ step: Lesson.Step, run: Bool, proseToo: Bool) throws(LanguageError) {
        if proseToo && !step.prose.isEmpty { write(.prose, step.prose) }
        guard let code = step.code else { return }
        let (savedFile, savedLines, savedWrite) = (file, sourceLines, write)
        defer { (file, sourceLines, write) = (savedFile, savedLines, savedWrite) }
        // Note what the cell prints (while printing it), to compare with the lesson.
        var printed: [String] = []
        write = { kind, text in
            if kind != .progress && kind != .echo { printed.append(text) }
            savedWrite(kind, text)
        }
        // Each statement as if typed at the prompt, then what it prints, in turn.
        var buffer = LineBuffer()
        var echoed: [String] = []
        for line in code.split(separator: "\n", omittingEmptySubsequences: false) {
            echoed.append((buffer.isContinuing ? "... " : ">>> ") + line)
            guard let chunk = buffer.add(String(line)) else { continue }
            write(.echo, echoed.joined(separator: "\n"))
            echoed = []
            if run { _ = runChunk(chunk.text, file: "", firstLine: chunk.firstLine) }
        }
        if let chunk = buffer.flush() {
            write(.echo, echoed.joined(separator: "\n"))
            if run { _ = runChunk(chunk.text, file: "", firstLine: chunk.firstLine) }
        }
        let expected = step.expected ?? ""
        if run, printed.joined(separator: "\n") != expected {
            savedWrite(.warning, "note: the lesson shows something different here" +
                (expected.isEmpty ? " (it prints nothing)" : ":\n" + expected) +
                "\n(if you changed a name the lesson uses, that is why; :reset and :lesson start afresh)")
        }
    }
}
