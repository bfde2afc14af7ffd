import ArgumentParser
import Micrograd
import MicrogradLanguage

#if canImport(Glibc)
import Glibc
#endif

/// `micrograd lessons`: the chapters, as `:lessons` lists them.
public struct Lessons: ParsableCommand {
    public static let configuration = CommandConfiguration(abstract: "List the tutorial's lessons.")

    public init() {}

    public func run() throws {
        for lesson in Lesson.bundled {
            print("\(lesson.title)  (\(lesson.steps.count) steps)")
        }
    }
}

/// `micrograd lesson …`: showing and checking lessons.
public struct LessonCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Show a lesson, or check that lesson files print what they say.",
        subcommands: [Show.self, Check.self]
    )

    public init() {}

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a lesson with every cell run fresh.")

        @Argument(help: "The lesson's number or part of its name.")
        var lesson: String

        func run() throws {
            let key = lesson.lowercased()
            guard let found = Lesson.bundled.first(where: { "\($0.number ?? -1)" == key || $0.name.lowercased().contains(key) }) else {
                throw UsageError("there is no lesson '\(lesson)'; `micrograd lessons` lists them")
            }
            let outputs = Session().outputs(of: found)
            var cell = 0
            for step in found.steps {
                if !step.prose.isEmpty { print(step.prose + "\n") }
                guard let code = step.code else { continue }
                print(code.split(separator: "\n", omittingEmptySubsequences: false).map { ">>> " + $0 }.joined(separator: "\n"))
                if !outputs[cell].isEmpty { print(outputs[cell]) }
                print()
                cell += 1
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every cell of each lesson in a fresh session and compare with its output block.",
            discussion: "With --update, rewrites the output blocks with what the cells print (for writing lessons)."
        )

        @Flag(help: "Write each cell's actual output into the file.")
        var update = false

        @Argument(help: "Lesson files (default: Lessons/[0-9]*.md here).")
        var files: [String] = []

        func run() throws {
            var paths = files
            if paths.isEmpty {
                paths = Lesson.bundledSources.map { "Lessons/\($0.name).md" }
            }
            var failed = 0
            for path in paths {
                let text: String
                do { text = try readTextFile(path, maxBytes: 10 << 20) } catch { throw UsageError("cannot read \(error)") }
                let name = String(path.split(separator: "/").last!.dropLast(path.hasSuffix(".md") ? 3 : 0))
                let lesson: Lesson
                do { lesson = try Lesson.parse(text, name: name) } catch {
                    Output.error("\(path):\(error.location?.line ?? 1): error: \(error.message)")
                    failed += 1
                    continue
                }
                if update {
                    let updated = Lesson.updating(text, outputs: Session().outputs(of: lesson))
                    if updated != text {
                        do { try writeFileAtomically(updated, to: path) } catch { throw UsageError("cannot write \(path): \(error)") }
                        print("\(path): output blocks updated")
                    }
                    continue
                }
                let mismatches = lesson.check()
                for m in mismatches { Output.error(m.description.replacingFirst(name + ".md", with: path)) }
                print("\(path): \(lesson.steps.filter { $0.code != nil }.count - mismatches.count) of \(lesson.steps.filter { $0.code != nil }.count) cells print what the lesson says")
                failed += mismatches.isEmpty ? 0 : 1
            }
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = range(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }

    func range(of target: String) -> Range<Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            i = index(after: i)
        }
        return nil
    }
}
