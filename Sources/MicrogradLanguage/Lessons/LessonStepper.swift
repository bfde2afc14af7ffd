/// Stepping through a lesson: which one is open, and how many of its steps were shown.
struct LessonStepper {
    var lesson: Lesson
    /// How many steps have been shown; the next `:next` shows `steps[shown]`.
    var shown = 0
}

extension Session {
    /// Shows a step's prose and cell, running the cell (unless `run` is false) one
    /// statement at a time as if typed at the prompt, and points out output that differs
    /// from the lesson's.
    func show(_ step: Lesson.Step, run: Bool, proseToo: Bool) {
        if proseToo && !step.prose.isEmpty { emit(.prose, step.prose) }
        guard let code = step.code else { return }
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
                let chunk = text[i..<end].map(String.init)
                emit(.echo, chunk.enumerated().map { ($0.offset == 0 ? ">>> " : "... ") + $0.element }.joined(separator: "\n"))
                if run { self.run(chunk.joined(separator: "\n"), file: "", firstLine: i + 1) }
                i = end
            }
        }
        let expected = step.expected ?? ""
        if run, printed.joined(separator: "\n") != expected {
            host.write(
                .warning,
                "note: the lesson shows something different here" + (expected.isEmpty ? " (it prints nothing)" : ":\n" + expected)
                    + "\n(if you changed a name the lesson uses, that is why; :reset and :lesson start afresh)")
        }
    }
}
