import Micrograd
import MicrogradLanguage

#if canImport(Glibc)
import Glibc
#endif

/// A plain prompt loop on a terminal (line editing arrives with the libedit front end).
enum Interactive {
    static func run(_ session: Session) {
        print("micrograd \(MicrogradCommand.configuration.version) — :help for help, :quit to leave")
        session.write = { kind, text in
            switch kind {
            case .result: print(text)
            case .progress: break
            case .warning, .error: Output.error(text)
            }
        }
        var buffer = LineBuffer()
        var lineNumber = 0
        while !session.wantsToQuit {
            print(buffer.isContinuing ? "... " : ">>> ", terminator: "")
            Output.flush()
            guard let line = readLine() else { break }
            lineNumber += 1
            if let chunk = buffer.add(line) {
                session.run(chunk.text, file: "<repl>", firstLine: lineNumber - chunk.text.split(separator: "\n", omittingEmptySubsequences: false).count + 1)
            }
        }
        print()
    }
}
