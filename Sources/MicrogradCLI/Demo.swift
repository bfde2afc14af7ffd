import ArgumentParser
import Micrograd
import MicrogradDemo
import MicrogradLanguage
import MicrogradPlatform

public struct Demo: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Run one of micrograd's demos.",
        subcommands: [Moons.self]
    )
}

extension Demo {
    struct Moons: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train MLP(2, [16, 16, 1]) on two moons, as micrograd's demo notebook does.",
            discussion: """
                ReLU hidden layers, a linear output, loss mean(relu(1 - y*score)) + 1e-4*sum(p*p), \
                full-batch SGD with lr = 1 - 0.9*k/100. With the bundled data and starting \
                parameters the losses match micrograd's to the last digit.
                """
        )

        @Option(help: "A CSV file of x,y,label rows (header first). Default: the bundled 100 points.")
        var data: String?

        @Option(help: "A file of 337 starting parameters. Default: the bundled ones (micrograd's seed 1337).")
        var `init`: String?

        @Option(parsing: .unconditional, help: "How many training steps.")
        var steps = 100

        func validate() throws {
            guard steps >= 1 else { throw ValidationError("--steps must be 1 or more, not \(steps)") }
        }

        func run() throws {
            Signals.restoreDefaults()  // (nothing here asks whether to stop: Ctrl-C ends it)
            let demo: MoonsDemo
            do {
                let dataset = try data.map { path throws in try Dataset(csv: try Self.text(of: path), path: path) } ?? .moons100
                let initial =
                    try `init`.map { path throws in try parameters(fromText: try Self.text(of: path), path: path) }
                    ?? MoonsDemo.initialParameters
                do {
                    demo = try MoonsDemo(data: dataset, initial: initial)
                } catch {
                    throw UsageError("\(`init` ?? "the starting parameters"): \(error)")
                }
            } catch let error as DataFileError {
                // (A bad row is quoted: its escape sequences, if any, are shown, not obeyed.)
                throw UsageError(error.description.escaped())
            }
            MoonsReport.run(demo: demo, steps: steps) { print($0) }
        }

        static func text(of path: String) throws -> String {
            do { return String(decoding: try Files.read(path, limit: 64 << 20, refusingPipes: true), as: UTF8.self) } catch {
                throw UsageError(error.isInterruption ? "stopped while reading \(path)" : error.description)
            }
        }
    }
}

/// The demo's printed lines, as micrograd's notebook prints them.
enum MoonsReport {
    static func run(demo: MoonsDemo, steps: Int, emit: (String) -> Void) {
        demo.train(steps: steps) { step in
            let accuracy = (step.accuracy ?? 0) * 100
            emit("step \(step.step) loss \(step.loss.pythonDescription), accuracy \(accuracy.pythonDescription)%")
        }
    }
}
