import ArgumentParser
import MicrogradCLI
import MicrogradLanguage
import MicrogradPlatform

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

    @Option(parsing: .unconditional, help: "The random seed for network weights.")
    var seed: Int = 1337

    func run() throws {
        let status =
            Process.isTerminal(0)
            ? REPL(seed: seed, colour: !noColor && Terminal.wantsColour).run()
            : try Script.run(["-"], seed: seed)
        if status != 0 { throw ExitCode(status) }
    }

    /// Parses and runs, and returns the exit status: 0 on success, 1 when a script had
    /// errors, 2 for a usage mistake (an unknown flag, a missing file) with a message saying
    /// what to do, 128 + N after signal N.
    nonisolated static func main(exitingTwoOnUsageErrors: Void) -> Int32 {
        // Output that could not be written (to a full disk, say) is a failure, said so:
        // a script's results must not go missing with a status of 0.
        func checkingOutput(_ status: Int32) -> Int32 {
            guard let problem = Process.standardOutputProblem() else { return status }
            Output.error("error: cannot write to standard output: \(problem)")
            return status == 0 ? 1 : status
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            return checkingOutput(0)
        } catch let code as ExitCode {
            return checkingOutput(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)  // --help, --version
                return checkingOutput(0)
            }
            if !message.isEmpty { Output.error(message) }
            Output.flush()
            return code == .validationFailure || error is UsageError ? 2 : code.rawValue
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

    @Flag(help: "Start from the top, not where you left the lesson.")
    var restart = false

    @Argument(help: ArgumentHelp("restart: the same as --restart (as :lesson N restart says it).", valueName: "restart"))
    var word: String?

    func validate() throws {
        guard word == nil || word == "restart" else {
            throw ValidationError("after the lesson only 'restart' may come (or --restart), not '\(word!)'")
        }
    }

    func run() throws {
        let restart = restart || word == "restart"
        if case .failure(let error) = Lesson.find(lesson, in: Lesson.bundled) {
            throw UsageError(error.message.replacing(":lessons", with: "`micrograd lessons`"))
        }
        guard Process.isTerminal(0) else {
            // Not at a terminal: show the lesson's steps one after another, saying so (its
            // header's "Enter goes on" is for the prompt; what came on standard input is
            // not read).
            Output.error(
                "(standard input is not a terminal, so the lesson is shown whole, its exercises with their solutions; `micrograd run -` runs a script)"
            )
            let session = Session(host: SystemHost { kind, text in if kind != .progress { print(text) } })
            session.run(":lesson \(lesson)", file: "")
            while session.isStepping {
                if session.isAtExercise { session.run(":solution", file: "") }
                session.run(":next", file: "")
            }
            return
        }
        let status = REPL(
            seed: 1337, colour: !noColor && Terminal.wantsColour, firstLine: ":lesson \(lesson)" + (restart ? " restart" : "")
        ).run()
        if status != 0 { throw ExitCode(status) }
    }
}
