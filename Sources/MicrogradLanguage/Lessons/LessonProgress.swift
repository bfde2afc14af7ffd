/// How far a learner got in one lesson: the steps seen, and the exercises solved.
public struct LessonProgress: Equatable, Sendable {
    /// How many of the lesson's steps were shown (a lesson opens again at the last of them).
    public var steps: Int
    /// The names of the exercises the learner solved themselves.
    public var solved: Set<String>

    public init(steps: Int = 0, solved: Set<String> = []) {
        self.steps = steps
        self.solved = solved
    }

    /// Both: the most steps, and every exercise either solved.
    public func merged(with other: LessonProgress) -> LessonProgress {
        LessonProgress(steps: Swift.max(steps, other.steps), solved: solved.union(other.solved))
    }

    /// Reads the text form: one line per lesson, `NAME STEPS` and then the solved
    /// exercises' names separated by commas, if any (`04-a-neuron 12 predict-w2,find-bug`).
    /// Nil when any line is not in that form.
    public static func parse(_ text: String) -> [String: LessonProgress]? {
        var all: [String: LessonProgress] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2 || parts.count == 3, let n = Int(parts[1]), n >= 0 else { return nil }
            let solved = parts.count == 3 ? Set(parts[2].split(separator: ",").map(String.init)) : []
            all[String(parts[0]), default: LessonProgress()] = LessonProgress(steps: n, solved: solved)
        }
        return all
    }

    /// The text form of `all`, lessons in order of name.
    public static func text(_ all: [String: LessonProgress]) -> String {
        // A name the form cannot hold (a lesson read from a file named with a space) is not kept.
        all.filter { !$0.key.isEmpty && !$0.key.contains(where: \.isWhitespace) }.sorted { $0.key < $1.key }.map { name, progress in
            "\(name) \(progress.steps)" + (progress.solved.isEmpty ? "" : " " + progress.solved.sorted().joined(separator: ","))
                + "\n"
        }.joined()
    }
}
