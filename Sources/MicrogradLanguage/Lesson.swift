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
/// fine) is exactly what the REPL prints for it; a cell that prints nothing has none. Any
/// other fence is part of the prose.
public struct Lesson: Equatable, Sendable {
    /// One step: the prose before a cell, the cell, and what it should print.
    public struct Step: Equatable, Sendable {
        public var prose: String
        public var code: String?
        public var expected: String?
        /// The line of the file the code starts on.
        public var codeLine: Int
    }

    /// The file's name without `.md`, such as `01-derivatives`.
    public var name: String
    /// The first `# ` heading.
    public var title: String
    public var steps: [Step]

    /// The number in front of the name (`01-derivatives` is lesson 1), if there is one.
    public var number: Int? { Int(name.prefix { $0.isNumber }) }

    static let codeFence = "```micrograd"
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
            var j = start + 1
            var body: [String] = []
            while j < lines.count && lines[j].trimmingTrailingSpaces != "```" {
                if lines[j].hasPrefix("```") {
                    throw LanguageError("a fence opens inside the block that starts on line \(start + 1); close that one with ``` first",
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
            if line.trimmingTrailingSpaces == codeFence {
                let codeLine = i + 2
                let (code, next) = try block(from: i)
                var k = next
                while k < lines.count && lines[k].allSatisfy(\.isWhitespace) { k += 1 }
                var expected: String?
                if k < lines.count && lines[k].trimmingTrailingSpaces == outputFence {
                    let (output, after) = try block(from: k)
                    expected = output
                    i = after
                } else {
                    i = next
                }
                steps.append(Step(prose: prose.joined(separator: "\n").trimmingBlankLines, code: code,
                                  expected: expected, codeLine: codeLine))
                prose = []
                continue
            }
            if line.trimmingTrailingSpaces == outputFence {
                throw LanguageError("an output block must follow a ```micrograd block", at: SourceLocation(line: i + 1, column: 1))
            }
            if line.hasPrefix("```") {
                // Some other fence (a shell command, say): prose, kept whole.
                let (body, next) = try block(from: i)
                prose += [line] + (body.isEmpty ? [] : body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) + ["```"]
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

    /// The lesson with every output block replaced by what its cell printed.
    public static func updating(_ text: String, outputs: [String]) -> String {
        var result: [String] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0, cell = 0
        while i < lines.count {
            let line = lines[i]
            result.append(line)
            i += 1
            guard line.trimmingTrailingSpaces == codeFence else {
                if line.hasPrefix("```") {   // copy any other block whole
                    while i < lines.count && lines[i].trimmingTrailingSpaces != "```" { result.append(lines[i]); i += 1 }
                    if i < lines.count { result.append(lines[i]); i += 1 }
                }
                continue
            }
            while i < lines.count && lines[i].trimmingTrailingSpaces != "```" { result.append(lines[i]); i += 1 }
            if i < lines.count { result.append(lines[i]); i += 1 }
            // Drop the old output block, if any, and write the new one.
            var k = i
            while k < lines.count && lines[k].allSatisfy(\.isWhitespace) { k += 1 }
            if k < lines.count && lines[k].trimmingTrailingSpaces == outputFence {
                k += 1
                while k < lines.count && lines[k].trimmingTrailingSpaces != "```" { k += 1 }
                i = k + 1
            }
            let output = cell < outputs.count ? outputs[cell] : ""
            cell += 1
            if !output.isEmpty { result += ["", outputFence] + output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) + ["```"] }
        }
        return result.joined(separator: "\n")
    }
}

extension Session {
    /// Runs each cell of `lesson` in this session, as the REPL would, and returns what each
    /// printed (standard output and errors, in order).
    public func outputs(of lesson: Lesson) -> [String] {
        let saved = write
        defer { write = saved }
        var printed: [String] = []
        write = { kind, text in if kind != .progress { printed.append(text) } }
        var outputs: [String] = []
        for step in lesson.steps {
            guard let code = step.code else { continue }
            printed = []
            runScript(code, file: "")
            outputs.append(printed.joined(separator: "\n"))
        }
        return outputs
    }
}

/// A cell whose output is not what the lesson says.
public struct LessonMismatch: Equatable, Sendable, CustomStringConvertible {
    public var lesson: String
    public var line: Int
    public var expected: String
    public var actual: String

    public var description: String {
        "\(lesson).md:\(line): the cell's output differs from the lesson's (- lesson, + now)\n" + diff
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

extension Lesson {
    /// Runs every cell in a fresh session and lists the ones whose output differs.
    public func check() -> [LessonMismatch] {
        let actual = Session().outputs(of: self)
        return zip(steps.filter { $0.code != nil }, actual).compactMap { step, output in
            let expected = step.expected ?? ""
            return expected == output ? nil
                : LessonMismatch(lesson: name, line: step.codeLine, expected: expected, actual: output)
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }

    var trimmingBlankLines: String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
