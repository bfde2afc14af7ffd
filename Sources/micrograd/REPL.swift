#if canImport(Glibc)
import Glibc
#endif
import CLibEdit
import Micrograd
import MicrogradCLI
import MicrogradLanguage

/// The interactive session: read a line, run it, show what it printed, remember it.
struct REPL {
    let session: Session
    let colour: Bool
    /// A command to run before the first prompt (`micrograd lesson 3` opens lesson 3).
    let firstLine: String?

    init(session: Session, colour: Bool, firstLine: String? = nil) {
        self.session = session
        self.colour = colour
        self.firstLine = firstLine
    }

    func run() {
        mg_install_sigint_handler()     // (shim.h: SIGINT only sets a flag)
        var history = HistoryFile(limit: 1000)
        let editor = LineEditor(historySize: 1000) { [session] before in
            session.completions(line: before, cursor: before.count)
        }
        for line in history.entries { editor.remember(line) }
        if let warning = history.loadWarning { Output.error(paint("warning: ", .yellow) + warning) }

        var progress = ProgressFile()
        session.progress = progress.steps
        if let warning = progress.loadWarning { Output.error(paint("warning: ", .yellow) + warning) }
        session.onProgress = { steps in
            if let warning = progress.save(steps) { Output.error(Terminal.paint("warning: ", .yellow, if: colour) + warning) }
        }
        print("micrograd \(MicrogradCommand.version) — :lessons for the tutorial, :help for help, Ctrl-D to leave")
        var progressShown = false
        session.write = { kind, text in
            if progressShown {
                print(Terminal.clearLine, terminator: "")
                progressShown = false
            }
            switch kind {
            case .result:
                print(colour ? highlighted(text) : text)
            case .prose:
                print("\n" + text + "\n")
            case .echo:
                print(paint(text, .cyan))
            case .progress:
                // One line, redrawn in place, cut to the terminal's width.
                print(Terminal.clearLine + String(text.prefix(Terminal.width() - 1)), terminator: "")
                Output.flush()
                progressShown = true
            case .warning:
                Output.error(paint(text, .yellow))
            case .error:
                Output.error(text == LanguageError.interrupted.message ? paint(text, .yellow) : paint(text, .red))
            }
        }
        session.isInterrupted = { mg_interrupt_pending() != 0 }
        session.isInteractive = true
        session.width = Terminal.width()
        session.unicode = Terminal.isUTF8

        if let firstLine { session.run(firstLine, file: "") }
        var buffer = LineBuffer()
        while !session.wantsToQuit {
            let prompt = buffer.isContinuing ? "..." : ">>>"
            // Escape codes go between \u{1}s so libedit does not count them as columns; the
            // reset comes before the space, as libedit drops invisible text at a prompt's end.
            switch editor.read(prompt: colour ? "\u{1}\u{1B}[1;32m\u{1}" + prompt + "\u{1}\u{1B}[0m\u{1} " : prompt + " ") {
            case .end:
                if buffer.isContinuing {
                    buffer.discard()
                    print()
                    continue
                }
                print()
                return
            case .interrupted:
                // Ctrl-C while typing: drop the line, keep everything else.
                buffer.discard()
                mg_clear_interrupt()
                print()
            case .line(let line):
                if !line.allSatisfy(\.isWhitespace) {
                    editor.remember(line)
                    if let warning = history.add(line) { Output.error(paint("warning: ", .yellow) + warning) }
                }
                if line.allSatisfy(\.isWhitespace) && !buffer.isContinuing {
                    if session.isStepping { session.run(":next", file: "") }   // Enter steps through a lesson
                    continue
                }
                mg_clear_interrupt()
                session.width = Terminal.width()
                if let chunk = buffer.add(line) {
                    session.run(chunk.text, file: "", firstLine: chunk.firstLine)
                    buffer = LineBuffer()
                }
                if progressShown { print() }
                progressShown = false
                mg_clear_interrupt()
            }
        }
    }

    /// A Value's number in colour, and a table's header in bold.
    private func highlighted(_ text: String) -> String {
        if text.hasPrefix("Value(data="), text.hasSuffix(")"), !text.contains("\n") {
            return "Value(data=" + paint(String(text.dropFirst(11).dropLast()), .cyan) + ")"
        }
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        if lines.count == 2, ["node ", "name ", "leaf "].contains(where: { lines[0].hasPrefix($0) }) {
            return paint(String(lines[0]), .bold) + "\n" + lines[1]
        }
        return text
    }

    private func paint(_ text: String, _ style: Terminal.Style) -> String {
        Terminal.paint(text, style, if: colour)
    }
}
