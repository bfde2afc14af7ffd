import ArgumentParser
import Micrograd
import MicrogradLanguage

#if canImport(Glibc)
import Glibc
#endif

public struct Run: ParsableCommand {
    public init() {}

    public static let configuration = CommandConfiguration(
        abstract: "Run notebook files (or standard input, as -) without a prompt.",
        discussion: """
        Prints what the REPL would print for each statement. Errors go to standard error as \
        FILE:LINE:COL: error: message, with the line and a caret; the rest still runs, and \
        the exit status is 1 if anything failed.
        """
    )

    @Argument(help: "Files to run in one session, in order; - reads standard input.")
    var files: [String] = ["-"]

    @Option(help: "The random seed for network weights.")
    var seed: UInt64 = 1337

    public func run() throws {
        for file in files where file != "-" && access(file, R_OK) != 0 {
            throw UsageError("cannot read \(file): \(String(cString: strerror(errno)))")
        }
        let session = Session(seed: seed)
        let ok = Script.run(files, in: session)
        if !ok { throw ExitCode(1) }
    }
}

/// Running files and standard input through a session, output to stdout and stderr.
public enum Script {
    public static func run(_ files: [String], in session: Session) -> Bool {
        session.write = { kind, text in
            switch kind {
            case .result, .prose, .echo: print(text)
            case .progress: break
            case .warning, .error:
                Output.error(text)
            }
        }
        var ok = true
        for file in files {
            if file == "-" {
                var lines: [String] = []
                while let line = readLine(strippingNewline: true) { lines.append(line) }
                if !session.runScript(lines.joined(separator: "\n"), file: "<stdin>") { ok = false }
            } else {
                do {
                    let text = try readTextFile(file, maxBytes: 10 << 20)
                    if !session.runScript(text, file: file) { ok = false }
                } catch {
                    Output.error("micrograd: cannot run \(error)")
                    ok = false
                }
            }
            if session.wantsToQuit { break }
        }
        Output.flush()
        return ok
    }
}
