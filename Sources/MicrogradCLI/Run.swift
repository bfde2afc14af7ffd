import ArgumentParser
import MicrogradLanguage
import MicrogradPlatform
import SystemPackage

public struct Run: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Run notebook files (or standard input, as -) without a prompt.",
        discussion: """
            Prints what the REPL would print for each statement. Errors go to standard error as \
            FILE:LINE:COL: error: message, with the line and a caret; the rest still runs, and \
            the exit status is 1 if anything failed. Ctrl-C (or SIGTERM) stops it, saying \
            FILE:LINE: interrupted, with status 130 (143).
            """
    )

    @Argument(help: "Files to run in one session, in order; - reads standard input.")
    var files: [String] = ["-"]

    @Option(parsing: .unconditional, help: "The random seed for network weights.")
    var seed: Int = 1337

    public func run() throws {
        let status = try Script.run(files, seed: seed)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Running files and standard input through a session, output to stdout and stderr.
public enum Script {
    /// The most a script may hold, from a file or from standard input.
    public static let maxBytes = 10 << 20

    /// Runs `files` (- for standard input) in one session and returns the exit status: 0,
    /// 1 if anything failed, 128 + N after signal N. A file that cannot be read is a
    /// usage error, and one that is not UTF-8 an error, both found before anything runs.
    public static func run(_ files: [String], seed: Int) throws -> Int32 {
        var texts: [(name: String, text: String)] = []
        var notText: [Diagnostic] = []
        for file in files {
            if file == "-", Process.isTerminal(0) {
                // (Else it would wait at a terminal with nothing on the screen.)
                Output.error("reading a script from the terminal until Ctrl-D; for the REPL, run micrograd with no arguments")
            }
            do {
                let bytes =
                    file == "-"
                    ? try Files.read(FileDescriptor.standardInput, named: "<stdin>", limit: maxBytes)
                    : try Files.read(file, limit: maxBytes)
                let name = file == "-" ? "<stdin>" : file
                switch NotUTF8.text(of: bytes) {
                case .success(let text): texts.append((name, text))
                case .failure(let problem): notText.append(problem.diagnostic(file: name))
                }
            } catch {
                if error.isInterruption { return Signals.exitStatus(for: Signals.termination ?? Signals.interruptNumber) }
                throw UsageError("cannot read \(error)")
            }
        }
        // (A file that is not UTF-8 stops them all before anything runs, as Python's
        // SyntaxError does: half a script's work, from a file in the wrong encoding, is no use.)
        if !notText.isEmpty {
            for problem in notText { Output.error(problem.description) }
            return 1
        }
        let host = SystemHost { kind, text in
            switch kind {
            case .result, .prose, .echo: print(text)
            case .progress: break
            case .warning, .error: Output.error(text)
            }
        }
        host.onInterrupted = { file, line in Output.error("\(file):\(line.map(String.init) ?? "?"): interrupted") }
        let session = Session(host: host, seed: seed, limits: .fittingThisMachine())
        var ok = true
        for (name, text) in texts {
            // (`run - < nb.md`: standard input is nb.md, which :save! must not replace.)
            let identity = name == "<stdin>" ? Files.identity(of: "/dev/stdin") : nil
            if !session.runTopFile(text, file: name, identity: identity) { ok = false }
            if Signals.shouldStop { break }
            if session.wantsToQuit { break }
        }
        Output.flush()
        if let signal = Signals.termination { return Signals.exitStatus(for: signal) }
        if Signals.isInterrupted { return Signals.exitStatus(for: Signals.interruptNumber) }
        if session.wantsToQuit, session.exitStatus != 0 || ok { return session.exitStatus }
        return ok ? 0 : 1
    }
}
