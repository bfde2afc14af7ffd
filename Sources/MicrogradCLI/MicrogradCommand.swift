import ArgumentParser
import Micrograd
import MicrogradLanguage

#if canImport(Glibc)
import Glibc
#endif

/// The `micrograd` command: its subcommands are in the files beside this one.
public struct MicrogradCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "micrograd",
        abstract: "Learn how neural networks learn: micrograd's engine in Swift.",
        version: "0.1.0",
        subcommands: [Run.self, Demo.self, Bench.self]
    )

    public init() {}

    /// With no subcommand: a script from a pipe, else an interactive session.
    public func run() throws {
        let session = Session()
        if isatty(STDIN_FILENO) == 0 {
            if !Script.run(["-"], in: session) { throw ExitCode(1) }
        } else {
            Interactive.run(session)
        }
    }
}
