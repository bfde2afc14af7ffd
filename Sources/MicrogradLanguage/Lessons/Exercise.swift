/// A task in a lesson that the learner does themselves, and the notebook grades.
///
/// ````markdown
/// ```exercise predict-w2
/// check: abs(guess - w2.grad) < 1e-9
/// hint: w2 meets the output only through the product x2*w2.
/// hint: So its grad is x2 times the grad of that product.
/// solution:
/// guess = 0.5
/// ```
/// ````
///
/// The task itself is the prose before the block. Every `check:` is an expression that must
/// hold once the task is done (and not before: `micrograd lessons check` makes sure of both);
/// hints come one at a time; the solution is code, up to the closing fence. A hint
/// continues on lines indented by two spaces.
public struct Exercise: Equatable, Sendable {
    /// The name after `exercise` (or `exercise-N`, the N-th of its lesson).
    public var id: String
    /// Expressions that all hold once the task is done, each with its line in the file.
    public var checks: [(text: String, line: Int)]
    public var hints: [String]
    public var solution: String
    /// The line the solution's code starts on.
    public var solutionLine: Int
    /// The line of the opening fence.
    public var fenceLine: Int

    public static func == (a: Exercise, b: Exercise) -> Bool {
        a.id == b.id && a.checks.map(\.text) == b.checks.map(\.text) && a.checks.map(\.line) == b.checks.map(\.line)
            && a.hints == b.hints && a.solution == b.solution && a.solutionLine == b.solutionLine && a.fenceLine == b.fenceLine
    }

    static let fence = "```exercise"

    /// For an exercise's opening fence: `.some(name)` (nil when it has none); otherwise nil.
    static func id(fromFence line: String) -> String?? {
        let info = line.trimmingTrailingSpaces
        guard info.hasPrefix(fence) else { return nil }
        let rest = info.dropFirst(fence.count)
        if rest.isEmpty { return .some(nil) }
        guard rest.first == " " else { return nil }  // ```exercises, say: some other fence
        return .some(String(rest.drop { $0 == " " }))
    }

    /// Reads an exercise block's lines (`body`, which starts on the line after `fenceLine`).
    static func parse(_ body: String, id: String, fenceLine: Int) throws(LanguageError) -> Exercise {
        func fail(_ message: String, _ line: Int) -> LanguageError { LanguageError(message, at: SourceLocation(line: line, column: 1)) }
        guard !id.isEmpty, id.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }) else {
            throw fail("an exercise's name is letters, digits, - and _ (```exercise predict-w2), not '\(id)'", fenceLine)
        }
        var exercise = Exercise(id: id, checks: [], hints: [], solution: "", solutionLine: 0, fenceLine: fenceLine)
        let lines = body.isEmpty ? [] : body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lastWasHint = false
        for (offset, line) in lines.enumerated() {
            let number = fenceLine + 1 + offset
            if line.hasPrefix("check:") {
                let text = String(line.dropFirst("check:".count)).trimmingCharacters
                guard !text.isEmpty else { throw fail("this check is empty; write an expression that holds once the task is done", number) }
                do throws(LanguageError) {
                    let parsed = try Parser.parse(text)
                    guard parsed.count == 1, case .expression = parsed[0].kind else {
                        throw fail("a check is one expression, such as abs(b.grad - -4.0) < 1e-9", number)
                    }
                } catch {
                    if error.location?.line == number { throw error }
                    throw fail("this check cannot be read: \(error.message)", number)
                }
                exercise.checks.append((text, number))
                lastWasHint = false
            } else if line.hasPrefix("hint:") {
                exercise.hints.append(String(line.dropFirst("hint:".count)).trimmingCharacters)
                lastWasHint = true
            } else if line.hasPrefix("  "), lastWasHint, !line.trimmingCharacters.isEmpty {
                exercise.hints[exercise.hints.count - 1] += " " + line.trimmingCharacters
            } else if line.hasPrefix("solution:") {
                let first = String(line.dropFirst("solution:".count)).trimmingCharacters
                var code = (first.isEmpty ? [] : [first]) + lines[(offset + 1)...]
                var start = first.isEmpty ? number + 1 : number
                while let top = code.first, top.allSatisfy(\.isWhitespace) {  // the code starts at its first line
                    code.removeFirst()
                    start += 1
                }
                exercise.solution = code.joined(separator: "\n").trimmingBlankLines
                exercise.solutionLine = start
                break
            } else if line.allSatisfy(\.isWhitespace) {
                lastWasHint = false
            } else {
                throw fail(
                    "each line of an exercise starts with check:, hint: or solution: (a hint goes on over lines indented by two spaces)",
                    number)
            }
        }
        guard !exercise.checks.isEmpty else {
            throw fail("this exercise has no check: a line 'check: EXPRESSION' that holds once the task is done", fenceLine)
        }
        guard !exercise.solution.isEmpty else {
            throw fail("this exercise has no solution: end it with 'solution:' and the code that does the task", fenceLine)
        }
        return exercise
    }
}
