import ArgumentParser
import Micrograd

/// The `micrograd` command: its subcommands are in the files beside this one.
public struct MicrogradCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "micrograd",
        abstract: "Learn how neural networks learn: micrograd's engine in Swift.",
        version: "0.1.0",
        subcommands: [Demo.self, Bench.self]
    )

    public init() {}
}
