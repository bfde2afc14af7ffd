/// A chapter of the tutorial: Markdown prose, with code cells the learner runs and the
/// output each one prints.
///
/// ````markdown
/// # Derivatives
///
/// Some prose.
///
/// ```micrograd
/// f(x) = 3*x**2 - 4*x + 5
/// f(3.0)
/// ```
///
/// ```output
/// 20.0
/// ```
/// ````
///
/// A `micrograd` fence is a cell; an `output` fence right after it (blank lines between are
/// fine) is exactly what the REPL prints for it; a cell that prints nothing has none. An
/// `exercise` fence is a task the learner does (see ``Exercise``). Any other fence is part
/// of the prose.
public struct Lesson: Equatable, Sendable {
    /// One step: the prose before a cell (or an exercise), the cell, and what it should print.
    public struct Step: Equatable, Sendable {
        public var prose: String
        public var code: String?
        public var expected: String?
        /// The line of the file the code (or the exercise's fence) starts on.
        public var codeLine: Int
        /// The exercise this step sets, if it is one (then `code` is nil).
        public var exercise: Exercise?
        /// The terminal width the cell's pictures were drawn for (` ```micrograd width=60 `),
        /// when not the usual 100 columns.
        public var width: Int?

        public init(prose: String, code: String?, expected: String?, codeLine: Int, exercise: Exercise? = nil, width: Int? = nil) {
            self.prose = prose
            self.code = code
            self.expected = expected
            self.codeLine = codeLine
            self.exercise = exercise
            self.width = width
        }

        /// Whether what the cell prints depends on the terminal's width (it draws a graph or a plot).
        public var drawsToWidth: Bool { code.map(Lesson.drawsToWidth) ?? false }
    }

    /// The file's name without `.md`, such as `01-derivatives`.
    public var name: String
    /// The first `# ` heading.
    public var title: String
    public var steps: [Step]

    /// The number in front of the name (`01-derivatives` is lesson 1), if there is one.
    public var number: Int? { Int(name.prefix { $0.isNumber }) }

    /// The lesson's exercises, in order.
    public var exercises: [Exercise] { steps.compactMap(\.exercise) }

    static let codeFence = "```micrograd"
    /// The width lessons are checked at (and a cell's pictures drawn for, unless it says).
    public static let width = 100

    /// For a cell's opening fence: whether it is one, and the width it gives. (A fence is
    /// three backticks or more, as in CommonMark: a cell whose code has a line starting
    /// with ``` is fenced with more, and only as many or more close it.)
    static func cellFence(_ line: String) -> (isCell: Bool, width: Int?) {
        let ticks = fenceLength(line)
        guard ticks > 0 else { return (false, nil) }
        let text = "```" + line.trimmingTrailingSpaces.dropFirst(ticks)
        if text == codeFence { return (true, nil) }
        guard text.hasPrefix(codeFence + " width="), let width = Int(text.dropFirst(codeFence.count + 7)), (20...1000).contains(width)
        else { return (false, nil) }
        return (true, width)
    }

    /// How many backticks a fence line starts with (0 if fewer than three).
    static func fenceLength(_ line: some StringProtocol) -> Int {
        let n = line.prefix { $0 == "`" }.count
        return n >= 3 ? n : 0
    }

    /// Whether `line` closes a block opened by a fence of `length` backticks: only
    /// backticks, and at least as many.
    static func closes(_ line: String, length: Int) -> Bool {
        let text = line.trimmingTrailingSpaces
        return fenceLength(text) >= length && text.allSatisfy { $0 == "`" }
    }

    /// Whether `line` is an output block's opening fence (of any length).
    static func isOutputFence(_ line: String) -> Bool {
        let ticks = fenceLength(line)
        return ticks > 0 && "```" + line.trimmingTrailingSpaces.dropFirst(ticks) == outputFence
    }

    /// The fence for a block holding `lines`: three backticks, or one more than the most a
    /// line of it starts with.
    static func fence(for lines: [some StringProtocol]) -> String {
        String(repeating: "`", count: max(3, (lines.map { $0.prefix { $0 == "`" }.count }.max() ?? 0) + 1))
    }

    /// Whether code runs a command that draws to the terminal's width.
    static func drawsToWidth(_ code: String) -> Bool {
        // (Asked of every statement kept: most hold no command, and need no splitting.)
        guard code.utf8.contains(UInt8(ascii: ":")) else { return false }
        // (A lesson's own commands draw nothing, so whether one is open does not matter.)
        return Source.split(code).contains { Command.on($0, inLesson: false)?.drawsToWidth == true }
    }
    static let outputFence = "```output"

    /// Reads a lesson from its Markdown text.
    public static func parse(_ text: String, name: String) throws(LanguageError) -> Lesson {
        var steps: [Step] = []
        var prose: [String] = []
        var title: String?
        // Swift reads "\r\n" as one character, so split on both kinds of line end.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        var i = 0
        func block(from start: Int) throws(LanguageError) -> (text: String, next: Int) {
            let length = fenceLength(lines[start])
            var j = start + 1
            var body: [String] = []
            while j < lines.count && !closes(lines[j], length: length) {
                if fenceLength(lines[j]) >= length {
                    throw LanguageError(
                        "a fence opens inside the block that starts on line \(start + 1); close that one with ``` first",
                        at: SourceLocation(line: j + 1, column: 1))
                }
                body.append(lines[j])
                j += 1
            }
            guard j < lines.count else {
                throw LanguageError("the block that starts here is never closed with ```", at: SourceLocation(line: start + 1, column: 1))
            }
            return (body.joined(separator: "\n"), j + 1)
        }
        while i < lines.count {
            let line = lines[i]
            if title == nil, line.hasPrefix("# ") { title = String(line.dropFirst(2)) }
            let fence = cellFence(line)
            if fence.isCell {
                let codeLine = i + 2
                let (code, next) = try block(from: i)
                var k = next
                while k < lines.count && lines[k].allSatisfy(\.isWhitespace) { k += 1 }
                var expected: String?
                if k < lines.count && isOutputFence(lines[k]) {
                    let (output, after) = try block(from: k)
                    expected = output
                    i = after
                } else {
                    i = next
                }
                steps.append(
                    Step(
                        prose: prose.joined(separator: "\n").trimmingBlankLines, code: code,
                        expected: expected, codeLine: codeLine, width: fence.width))
                prose = []
                continue
            }
            if isOutputFence(line) {
                let after = steps.last?.exercise != nil && prose.allSatisfy { $0.allSatisfy(\.isWhitespace) }
                throw LanguageError(
                    after
                        ? "an exercise has no output block: its check says when it is done"
                        : "an output block must follow a ```micrograd block", at: SourceLocation(line: i + 1, column: 1))
            }
            if let id = Exercise.id(fromFence: line) {
                let (body, next) = try block(from: i)
                let exercise = try Exercise.parse(body, id: id ?? "exercise-\(steps.count { $0.exercise != nil } + 1)", fenceLine: i + 1)
                if steps.contains(where: { $0.exercise?.id == exercise.id }) {
                    throw LanguageError(
                        "this lesson already has an exercise called '\(exercise.id)'; give each its own name after ```exercise",
                        at: SourceLocation(line: i + 1, column: 1))
                }
                steps.append(
                    Step(
                        prose: prose.joined(separator: "\n").trimmingBlankLines, code: nil, expected: nil, codeLine: i + 1,
                        exercise: exercise))
                prose = []
                i = next
                continue
            }
            if line.hasPrefix("```") {
                // Some other fence (a shell command, say): prose, kept whole.
                let (body, next) = try block(from: i)
                prose +=
                    [line] + (body.isEmpty ? [] : body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
                    + [String(repeating: "`", count: fenceLength(line))]
                i = next
                continue
            }
            prose.append(line)
            i += 1
        }
        let rest = prose.joined(separator: "\n").trimmingBlankLines
        if !rest.isEmpty { steps.append(Step(prose: rest, code: nil, expected: nil, codeLine: lines.count)) }
        guard let title else {
            throw LanguageError("a lesson starts with a '# Title' line", at: SourceLocation(line: 1, column: 1))
        }
        return Lesson(name: name, title: title, steps: steps)
    }
}
