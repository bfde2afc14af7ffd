import MicrogradCLI
import MicrogradLanguage
import MicrogradPlatform

/// The interactive session: read a line, run it, show what it printed, remember it.
struct REPL {
    let seed: Int
    let colour: Bool
    /// A command to run before the first prompt (`micrograd lesson 3` opens lesson 3).
    let firstLine: String?

    init(seed: Int, colour: Bool, firstLine: String? = nil) {
        self.seed = seed
        self.colour = colour
        self.firstLine = firstLine
    }

    /// Runs until Ctrl-D or :quit (status 0), or until SIGTERM or SIGHUP (128 + its number).
    func run() -> Int32 {
        if let reason = HistoryFile.nowhereToKeep() { Output.error(paint("warning: ", .yellow) + reason) }
        var history = HistoryFile(limit: 1000)
        if let warning = history.loadWarning { Output.error(paint("warning: ", .yellow) + warning) }
        var progress = ProgressFile()
        if let warning = progress.loadWarning { Output.error(paint("warning: ", .yellow) + warning) }
        print(Self.fitted("micrograd \(MicrogradCommand.version) — :lessons for the tutorial, :help for help, Ctrl-D to leave"))

        var progressShown = false
        let colour = self.colour
        let host = SystemHost { kind, text in
            if progressShown {
                print(Ansi.clearLine, terminator: "")
                progressShown = false
            }
            switch kind {
            case .result:
                print(colour ? Self.highlighted(text) : text)
            case .prose:
                // Laid out at the width the terminal has now (it may have been resized).
                let width = Swift.min(Terminal.width() ?? 80, 100)
                print("\n" + Prose.render(text, width: width, styled: colour, unicode: Terminal.isUTF8) + "\n")
            case .echo:
                print(Ansi.paint(text, .cyan, if: colour))
            case .progress:
                // One line, redrawn in place, cut to the terminal's width.
                print(Ansi.clearLine + String(text.prefix((Terminal.width() ?? 80) - 1)), terminator: "")
                Output.flush()
                progressShown = true
            case .warning:
                Output.error(Ansi.paint(Self.fitted(text, firstLineOnly: true), .yellow, if: colour))
            case .error:
                Output.error(
                    Ansi.paint(
                        Self.fitted(text, firstLineOnly: true), text == LanguageError.interrupted.message ? .yellow : .red, if: colour))
            }
        }
        host.isInteractive = true
        host.width = Terminal.width() ?? 80
        host.unicode = Terminal.isUTF8
        host.onProgress = { steps in
            if let warning = progress.save(steps) { Output.error(Ansi.paint("warning: ", .yellow, if: colour) + warning) }
        }
        let session = Session(host: host, seed: seed, limits: .fittingThisMachine())
        session.progress = progress.lessons
        Signals.handleSuspend()  // (before the editor changes the terminal's modes)
        let editor = LineEditor(historySize: 1000) { [session] before in
            session.completions(line: before, cursor: before.count)
        }
        for entry in history.entries { editor.remember(entry) }
        editor.onResize = { host.width = Terminal.width() ?? 80 }

        LineEditor.markPastes(true)
        defer { LineEditor.markPastes(false) }
        if let firstLine { session.run(firstLine, file: "") }
        var buffer = LineBuffer()
        // A chunk (a line, or a whole block) is one history entry.
        func run(_ chunk: LineBuffer.Chunk) {
            editor.remember(chunk.text)
            if let warning = history.add(chunk.text) { Output.error(paint("warning: ", .yellow) + warning) }
            session.runTyped(chunk.text, firstLine: chunk.firstLine)
        }
        while !session.wantsToQuit {
            if let signal = Signals.termination { return Signals.exitStatus(for: signal) }
            // A Ctrl-C that reached nothing (pressed as a command finished) is forgotten, so
            // it cannot stop the next one. (The terminal threw away the unread input: a
            // paste's end mark may have gone with it, so no paste is under way any more.)
            if Signals.isInterrupted { editor.forgetPaste() }
            Signals.clearInterrupt()
            let prompt = buffer.isContinuing ? "..." : ">>>"
            // Escape codes go between \u{1}s so libedit does not count them as columns; the
            // reset comes before the space, as libedit drops invisible text at a prompt's end.
            switch editor.read(prompt: colour ? "\u{1}\u{1B}[1;32m\u{1}" + prompt + "\u{1}\u{1B}[0m\u{1} " : prompt + " ") {
            case .end:
                print()
                // Ctrl-D at '...' ends the chunk and runs it, as Python's prompt does (a
                // second Ctrl-D leaves). It used to drop the block, unsaid.
                if buffer.isContinuing {
                    if let chunk = buffer.flush() { run(chunk) }
                    buffer = LineBuffer()
                    continue
                }
                return 0
            case .terminated:
                print()
                return Signals.exitStatus(for: Signals.termination ?? 15)
            case .interrupted:
                // Ctrl-C while typing: drop the line (and a half-typed block), keep everything
                // else; and :reset's question is answered no.
                buffer.discard()
                session.interruptedAtPrompt()
                print()
            case .line(let typed):
                // A block recalled from history comes back whole, lines and all.
                let lines = typed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.count == 1 && typed.allSatisfy(\.isWhitespace) && !buffer.isContinuing {
                    // Enter steps through a lesson; a blank line inside pasted code does not.
                    if session.isStepping && !editor.lastLineWasPasted { session.run(":next", file: "") }
                    continue
                }
                host.width = Terminal.width() ?? 80
                var chunks: [LineBuffer.Chunk] = []
                // (The lines of a block recalled from history are one chunk, blank ones and all.
                // A paste's last line, ended by Enter, is part of the pasted block too: run on
                // its own, it ran though the block stopped at an error above it.)
                let pasted = editor.lastLineWasPasted || lines.count > 1 || editor.lastLineHadPastedText
                for line in lines { chunks += buffer.add(line, pasted: pasted) }
                // A block recalled from history that the buffer holds open waits at '...' for
                // more, as a typed block does, and an empty line runs it (as IPython's prompt
                // does): it ran at once, so a block cut short by an error, recalled and mended,
                // ran without the rest of its body. (Pasted lines that leave it open still run.)
                let recalled = !editor.lastLineWasPasted && !editor.lastLineHadPastedText
                if chunks.isEmpty && lines.count > 1 && !recalled, let chunk = buffer.flush() { chunks = [chunk] }
                for chunk in chunks {
                    run(chunk)
                    if Signals.isInterrupted { break }  // (Ctrl-C stops what came in with it too)
                }
                if !chunks.isEmpty && !buffer.isContinuing { buffer = LineBuffer() }
                if progressShown { print() }
                progressShown = false
            }
        }
        return session.exitStatus
    }

    /// Text with its long lines broken at spaces to fit the terminal (only the first line:
    /// an error's message, not the source line and caret under it).
    static func fitted(_ text: String, firstLineOnly: Bool = false) -> String {
        let width = (Terminal.width() ?? 80) - 1
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for k in lines.indices where (!firstLineOnly || k == 0) && lines[k].count > width {
            lines[k] = wrapped(lines[k], width: width, continuation: "  ")
        }
        return lines.joined(separator: "\n")
    }

    /// A Value's number in colour, and a table's header in bold.
    private static func highlighted(_ text: String) -> String {
        if text.hasPrefix("Value(data="), text.hasSuffix(")"), !text.contains("\n") {
            return "Value(data=" + Ansi.paint(String(text.dropFirst(11).dropLast()), .cyan, if: true) + ")"
        }
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        if lines.count == 2, ["node ", "name ", "leaf "].contains(where: { lines[0].hasPrefix($0) }) {
            return Ansi.paint(String(lines[0]), .bold, if: true) + "\n" + lines[1]
        }
        return text
    }

    private func paint(_ text: String, _ style: Ansi.Style) -> String {
        Ansi.paint(text, style, if: colour)
    }
}
