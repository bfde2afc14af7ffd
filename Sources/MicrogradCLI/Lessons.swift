import ArgumentParser
import MicrogradLanguage
import MicrogradPlatform

/// `micrograd lessons`: listing, showing, checking and updating the lessons.
public struct Lessons: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "List the tutorial's lessons, or check that lesson files print what they say.",
        subcommands: [List.self, Show.self, Check.self, Update.self],
        defaultSubcommand: List.self
    )

    public init() {}

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the lessons (`micrograd lesson N` opens one).")

        func run() throws {
            for lesson in Lesson.bundled {
                print("\(lesson.title)  (\(lesson.steps.count) steps)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a lesson with every cell run fresh.")

        @Argument(help: "The lesson's number or part of its name.")
        var lesson: String

        func run() throws {
            let found: Lesson
            switch Lesson.find(lesson, in: Lesson.bundled) {
            case .success(let l): found = l
            case .failure(let error): throw UsageError(error.message.replacing(":lessons", with: "`micrograd lessons`"))
            }
            let outputs = Session(host: InMemoryHost()).outputs(of: found)
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
            abstract: "Replay each lesson in a fresh session; print FILE:LINE and a diff for every cell whose output differs.",
            discussion: "Cells run in a sandbox: files they write or read live in memory, and nothing outside is touched."
        )

        @Argument(help: "Lesson files (default: Lessons/[0-9]*.md here).")
        var files: [String] = []

        func run() throws {
            var failed = false
            for file in try LessonFiles.read(files) {
                let mismatches = file.lesson.check()
                for m in mismatches {
                    Output.error("\(file.path):\(m.line): the cell's output differs from the lesson's (- lesson, + now)\n" + m.diff)
                }
                let cells = file.lesson.steps.filter { $0.code != nil }.count
                print("\(file.path): \(cells - mismatches.count) of \(cells) cells print what the lesson says")
                if !mismatches.isEmpty { failed = true }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrite each lesson's output blocks with what its cells print (for writing lessons)."
        )

        @Argument(help: "Lesson files (default: Lessons/[0-9]*.md here).")
        var files: [String] = []

        func run() throws {
            for file in try LessonFiles.read(files) {
                let updated = Lesson.updating(file.text, outputs: Session(host: InMemoryHost()).outputs(of: file.lesson))
                guard updated != file.text else { continue }
                do { try Files.write(Array(updated.utf8), to: file.path) } catch {
                    throw UsageError("cannot write \(file.path): \(error)")
                }
                print("\(file.path): output blocks updated")
            }
        }
    }
}

/// Lesson files named on the command line (by default, the bundled lessons' files here).
enum LessonFiles {
    static func read(_ files: [String]) throws -> [(path: String, text: String, lesson: Lesson)] {
        let paths = files.isEmpty ? Lesson.bundledSources.map { "Lessons/\($0.name).md" } : files
        var result: [(path: String, text: String, lesson: Lesson)] = []
        for path in paths {
            let text: String
            do { text = String(decoding: try Files.read(path, limit: 10 << 20), as: UTF8.self) } catch {
                throw UsageError("cannot read \(error)")
            }
            let file = path.split(separator: "/").last.map(String.init) ?? path
            let name = file.hasSuffix(".md") ? String(file.dropLast(3)) : file
            do {
                result.append((path, text, try Lesson.parse(text, name: name)))
            } catch {
                throw UsageError("\(path):\(error.location?.line ?? 1): \(error.message)")
            }
        }
        return result
    }
}
