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

extension Session {
    /// Runs each cell of `lesson` in this session, as the REPL would, and returns what each
    /// printed (standard output and errors, in order).
    public func outputs(of lesson: Lesson) -> [String] {
        lesson.steps.compactMap(\.code).map { code in
            recorded { runScript(code, file: "") }.joined(separator: "\n")
        }
    }
}

extension Lesson {
    /// Runs every cell in a fresh session whose host keeps everything in memory (so a cell
    /// that writes or reads a file touches nothing outside), and lists the cells whose
    /// output differs.
    public func check() -> [LessonMismatch] {
        let actual = Session(host: InMemoryHost()).outputs(of: self)
        return zip(steps.filter { $0.code != nil }, actual).compactMap { step, output in
            let expected = step.expected ?? ""
            return expected == output
                ? nil
                : LessonMismatch(lesson: name, line: step.codeLine, expected: expected, actual: output)
        }
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
