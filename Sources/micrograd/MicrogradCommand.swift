#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CLibEdit
import MicrogradCLI
import MicrogradLanguage

/// `micrograd`: an interactive session on a terminal, a script from a pipe, or a subcommand.
struct MicrogradCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "micrograd",
        abstract: "Learn how neural networks learn: micrograd's engine in Swift, with a notebook REPL.",
        discussion: """
        Without a subcommand, starts an interactive session on a terminal, or runs standard \
        input as a script when it is not a terminal (like `micrograd run -`).
        """,
        version: version,
        subcommands: [Run.self, StartLesson.self, Lessons.self, Demo.self, Bench.self]
    )

    @Flag(help: "No colour, even on a terminal (NO_COLOR in the environment does the same).")
    var noColor = false

    @Option(help: "The random seed for network weights.")
    var seed: UInt64 = 1337

    func run() throws {
        let session = Session(seed: seed)
        if isatty(STDIN_FILENO) == 0 {
            if !Script.run(["-"], in: session) { throw ExitCode(1) }
            return
        }
        REPL(session: session, colour: !noColor && Terminal.wantsColour).run()
    }

    /// Parses, runs, and exits: 0 on success, 1 when a script had errors, 2 for a usage
    /// mistake (an unknown flag, a missing file) with a message saying what to do.
    nonisolated static func mainExitingTwoOnUsageErrors() -> Never {
        do {
            var command = try parseAsRoot()
            try command.run()
            exit(withError: nil)
        } catch let code as ExitCode {
            exit(withError: code)
        } catch {
            let code = exitCode(for: error)
            if code == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { Output.error(message) }
            Output.flush()
            Glibc.exit(code == .validationFailure || error is UsageError ? 2 : code.rawValue)
        }
    }
}

/// `micrograd lesson N`: the REPL, opened at lesson N.
struct StartLesson: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Start the REPL at a lesson (its number, or part of its name)."
    )

    @Argument(help: "The lesson: 1 to 8, or part of its title.")
    var lesson: String

    @Flag(help: "No colour, even on a terminal.")
    var noColor = false

    func run() throws {
        let key = lesson.lowercased()
        guard Lesson.bundled.contains(where: { "\($0.number ?? -1)" == key || $0.title.lowercased().contains(key) }) else {
            throw UsageError("there is no lesson '\(lesson)'; `micrograd lessons` lists them")
        }
        let session = Session()
        guard isatty(STDIN_FILENO) != 0 else {
            // Not at a terminal: show the lesson's steps one after another.
            session.write = { kind, text in if kind != .progress { print(text) } }
            session.run(":lesson \(lesson)", file: "")
            while session.isStepping { session.run(":next", file: "") }
            return
        }
        REPL(session: session, colour: !noColor && Terminal.wantsColour, firstLine: ":lesson \(lesson)").run()
    }
}

/// The whole program, as a thread's body (see main.swift).
func runMicrograd(_: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    MicrogradCommand.mainExitingTwoOnUsageErrors()
}
