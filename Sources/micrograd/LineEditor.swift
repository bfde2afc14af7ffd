import CLibEdit
import MicrogradCLI
import MicrogradLanguage
import MicrogradPlatform

/// libedit's line editor: a prompt, Emacs keys (or whatever ~/.editrc says), history, and
/// Tab completion by context.
final class LineEditor {
    enum Input {
        case line(String)
        /// Ctrl-C while typing.
        case interrupted
        /// Ctrl-D on an empty line, or the end of the input.
        case end
        /// SIGTERM or SIGHUP: the program was asked to end.
        case terminated
    }

    /// Why the last key read stopped early.
    private enum Stop { case none, interrupted, terminated, end }
    private var stop = Stop.none
    /// Called when the terminal changes size (after the line is redrawn).
    var onResize: () -> Void = {}

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private var promptText: UnsafeMutablePointer<CChar>
    private let complete: (String) -> Completion
    /// The line and cursor of the last Tab that could not extend the word: a second Tab
    /// there lists the candidates.
    private var lastTab: String?
    /// Bytes read ahead while looking for a paste's start or end, for libedit to have next.
    private var readAhead: [UInt8] = []
    /// Whether the terminal says a paste is coming in (between ESC [200~ and ESC [201~).
    private var pasting = false
    /// Whether the last line was ended by a pasted newline, not by Enter.
    private var lineEndWasPasted = false
    /// Whether the line just read came from a paste: its newline was inside the terminal's
    /// paste brackets, or more input was already waiting behind it. (A blank line in pasted
    /// code is not an Enter that moves a lesson on.)
    private(set) var lastLineWasPasted = false
    /// Whether text of the line just read came from inside the terminal's paste brackets,
    /// however it ended: a paste's last line, with no newline after it, is ended by Enter.
    private(set) var lastLineHadPastedText = false

    /// Asks the terminal to mark pasted text (bracketed paste), so that a paste can be told
    /// from typing; `false` asks it to stop.
    static func markPastes(_ on: Bool) {
        guard Process.isTerminal(0), Process.isTerminal(1), Process.environment("TERM") != "dumb" else { return }
        print(on ? "\u{1B}[?2004h" : "\u{1B}[?2004l", terminator: "")
        Output.flush()
        Signals.notePasteMarking(on)
    }

    /// An editor on the process's terminal; `complete` says what Tab may offer for the text
    /// before the cursor.
    init(historySize: Int32, complete: @escaping (String) -> Completion) {
        setlocale(LC_CTYPE, "")  // without it libedit drops every non-ASCII character
        editor = el_init("micrograd", mg_stdin(), mg_stdout(), mg_stderr())
        history = history_init()
        promptText = strdup(">>> ")
        self.complete = complete
        var event = HistEvent()
        mg_history_setsize(history, &event, historySize)
        mg_history_setunique(history, &event, 1)
        mg_el_set_history(editor, history)
        mg_el_set_editor(editor, "emacs")
        // Keys come through readKey below, which also wakes for Ctrl-C and for a resize;
        // libedit's own signal handling (which re-sends signals to the process group) is off.
        mg_el_set_signal(editor, 0)
        mg_el_set_getcfn(
            editor,
            { el, character in
                guard let el, let character, let editor = LineEditor.from(el) else { return -1 }
                return editor.readKey(into: character)
            })
        mg_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        mg_el_set_prompt_esc(
            editor,
            { el in
                LineEditor.from(el)?.promptText
            }, 1)
        mg_el_add_function(
            editor, "micrograd-complete", "Complete the word at the cursor",
            { el, _ in
                LineEditor.from(el)?.tab() ?? UInt8(CC_ERROR)
            })
        mg_el_bind(editor, "^I", "micrograd-complete")
        mg_el_add_function(editor, "micrograd-search", "Search back through the history") { el, _ in
            LineEditor.from(el)?.search() ?? UInt8(CC_ERROR)
        }
        mg_el_bind(editor, "^R", "micrograd-search")
        // Up and Down move between the lines of a block recalled from the history (as in
        // IPython), and go through the history from its first or last line.
        mg_el_add_function(editor, "micrograd-up", "Up a line of the block, or back in the history") { el, _ in
            LineEditor.from(el)?.moveLine(up: true) ?? UInt8(CC_ERROR)
        }
        mg_el_add_function(editor, "micrograd-down", "Down a line of the block, or on in the history") { el, _ in
            LineEditor.from(el)?.moveLine(up: false) ?? UInt8(CC_ERROR)
        }
        for keys in ["\\e[A", "\\eOA"] { mg_el_bind(editor, keys, "micrograd-up") }
        for keys in ["\\e[B", "\\eOB"] { mg_el_bind(editor, keys, "micrograd-down") }
        // Home and End (and Ctrl-A, Ctrl-E) go to the start and end of the line the cursor
        // is on, in a block recalled from the history too (they went to the block's first
        // and last line: a learner editing line 1 edited line 2).
        mg_el_add_function(editor, "micrograd-line-start", "To the start of this line of the block") { el, _ in
            LineEditor.from(el)?.moveWithinLine(toEnd: false) ?? UInt8(CC_ERROR)
        }
        mg_el_add_function(editor, "micrograd-line-end", "To the end of this line of the block") { el, _ in
            LineEditor.from(el)?.moveWithinLine(toEnd: true) ?? UInt8(CC_ERROR)
        }
        mg_el_bind(editor, "^A", "micrograd-line-start")
        mg_el_bind(editor, "^E", "micrograd-line-end")
        // Home, End and Delete as the common terminals send them (xterm, VT220, rxvt, tmux).
        for (keys, function) in [
            ("\\e[H", "micrograd-line-start"), ("\\eOH", "micrograd-line-start"), ("\\e[1~", "micrograd-line-start"),
            ("\\e[7~", "micrograd-line-start"), ("\\e[F", "micrograd-line-end"), ("\\eOF", "micrograd-line-end"),
            ("\\e[4~", "micrograd-line-end"), ("\\e[8~", "micrograd-line-end"), ("\\e[3~", "ed-delete-next-char"),
        ] {
            mg_el_bind(editor, keys, function)
        }
        // With Ctrl or Alt, Left and Right move by words, as in bash and IPython; with Shift
        // alone, as without. Keys with nothing to do here (PageUp and PageDown, Insert, F1
        // to F12), with any modifier, beep: unbound, their sequences were typed into the
        // line as junk (`5D`, `~`).
        for keys in ["\\e[5D", "\\e\\e[D"] { mg_el_bind(editor, keys, "ed-prev-word") }
        for keys in ["\\e[5C", "\\e\\e[C"] { mg_el_bind(editor, keys, "em-next-word") }
        let tildeKeys = [2, 5, 6, 11, 12, 13, 14, 15, 17, 18, 19, 20, 21, 23, 24]
        for keys in ["\\eOP", "\\eOQ", "\\eOR", "\\eOS"] + tildeKeys.map({ "\\e[\($0)~" }) { mg_el_bind(editor, keys, "ed-unassigned") }
        for modifier in 2...8 {  // xterm's: 1 + (Shift 1, Alt 2, Ctrl 4)
            let byWords = (modifier - 1) & 6 != 0
            for (key, function) in [
                ("A", "micrograd-up"), ("B", "micrograd-down"), ("H", "micrograd-line-start"), ("F", "micrograd-line-end"),
                ("C", byWords ? "em-next-word" : "ed-next-char"), ("D", byWords ? "ed-prev-word" : "ed-prev-char"),
                ("P", "ed-unassigned"), ("Q", "ed-unassigned"), ("R", "ed-unassigned"), ("S", "ed-unassigned"),
            ] {
                mg_el_bind(editor, "\\e[1;\(modifier)\(key)", function)
            }
            mg_el_bind(editor, "\\e[3;\(modifier)~", "ed-delete-next-char")
            for n in tildeKeys { mg_el_bind(editor, "\\e[\(n);\(modifier)~", "ed-unassigned") }
        }
        el_source(editor, nil)  // ~/.editrc, as every libedit program honours it
    }

    deinit {
        el_end(editor)
        history_end(history)
        free(promptText)
    }

    private static func from(_ el: OpaquePointer?) -> LineEditor? {
        guard let el, let data = mg_el_get_clientdata(el) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Reads a line after showing `prompt` (which may hold escape codes between \u{1}s).
    func read(prompt: String) -> Input {
        free(promptText)
        promptText = strdup(prompt)
        stop = .none
        lineEndWasPasted = false
        lastLineHadPastedText = false
        var count: Int32 = 0
        let gotten = el_gets(editor, &count)
        lastLineWasPasted = lineEndWasPasted || !readAhead.isEmpty || Terminal.isReady(0)
        guard let text = gotten else {
            switch stop {
            case .interrupted: return .interrupted
            case .terminated: return .terminated
            case .none, .end: return .end
            }
        }
        var line = String(cString: text)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// libedit's source of keys: one character from standard input, decoded from UTF-8.
    ///
    /// It waits on the terminal and on the signal wake-up pipe together, so Ctrl-C ends
    /// the line at once (whichever thread the signal landed on), a resize redraws it, and
    /// SIGTERM ends the program. Returns 1 with a character, 0 at the end of input, -1 to
    /// make el_gets give up on the line.
    private func readKey(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        var bytes: [UInt8] = []
        while true {
            if Signals.isInterrupted {
                stop = .interrupted
                return -1
            }
            if Signals.termination != nil {
                stop = .terminated
                return -1
            }
            if Signals.takeResize() {
                el_resize(editor)
                // Back to the start of the row and clear it, so the line is drawn once, in place.
                print("\r\u{1B}[K", terminator: "")
                Output.flush()
                mg_el_refresh(editor)
                onResize()
            }
            let byte: UInt8
            if !readAhead.isEmpty {
                byte = readAhead.removeFirst()
            } else {
                switch Terminal.nextByte(from: 0) {
                case .byte(let b): byte = b
                case .signal: continue  // the flags above say which
                case .end:
                    stop = .end
                    return 0
                }
                if byte == 0x1B && bytes.isEmpty && pasteMarker() { continue }
            }
            if pasting {
                if byte == 0x0A || byte == 0x0D { lineEndWasPasted = true } else { lastLineHadPastedText = true }
            }
            bytes.append(byte)
            switch UTF8.decode(bytes) {
            case .complete(let scalar):
                character.pointee = wchar_t(bitPattern: scalar.value)
                return 1
            case .incomplete:
                continue
            case .invalid:
                character.pointee = 0xFFFD
                return 1
            }
        }
    }

    /// After an ESC: reads a paste's start (ESC [200~) or end (ESC [201~) and notes it, or
    /// keeps what it read for libedit (an arrow key, say) and returns false.
    private func pasteMarker() -> Bool {
        let start = Array("[200~".utf8), end = Array("[201~".utf8)
        var seen: [UInt8] = []
        while seen.count < start.count, start.starts(with: seen) || end.starts(with: seen) {
            // The rest of an escape sequence comes with it; a lone ESC waits no longer than this.
            guard let next = Terminal.byteIfReady(from: 0, within: 50) else { break }
            seen.append(next)
            if seen == start || seen == end {
                pasting = seen == start
                return true
            }
            if !(start.starts(with: seen) || end.starts(with: seen)) { break }
        }
        readAhead = seen
        return false
    }

    /// Forgets a paste under way: after Ctrl-C, the terminal has thrown away the input not
    /// yet read, the paste's end mark with it, and what comes next is typed.
    func forgetPaste() {
        pasting = false
        readAhead = []
    }

    /// Adds a line to the history that Up and Down walk through, and Ctrl-R searches.
    func remember(_ line: String) {
        var event = HistEvent()
        mg_history_enter(history, &event, line)
    }

    /// The history's entries, oldest first.
    private func historyEntries() -> [String] {
        var event = HistEvent()
        var newestFirst: [String] = []
        var status = mg_history_first(history, &event)
        while status != -1, let text = event.str {
            newestFirst.append(String(cString: text))
            status = mg_history_next(history, &event)
        }
        return newestFirst.reversed()
    }

    // MARK: Ctrl-R

    /// Ctrl-R: a search back through the history, as bash and IPython have it. Each key typed
    /// shows the latest entry that holds what was typed; Ctrl-R again, the one before;
    /// Backspace takes a key back; Enter runs the entry shown; any other key (an arrow,
    /// Home, Ctrl-A, Tab…) leaves the entry in the line to edit and does what it does there;
    /// Ctrl-G or Esc puts the line back as it was. The search is shown on one row, in the
    /// prompt, however long the entry. (libedit's own search typed an arrow's code into the
    /// line as text: `[D`.)
    private func search() -> UInt8 {
        let original = lineText()
        let prompt = String(cString: promptText)
        let entries = historyEntries()
        setLine("", cursor: nil)
        var pattern = ""
        var found: Int?  // the entry shown, in `entries`
        var failing = false
        func find(before end: Int) {
            var i = min(end, entries.count) - 1
            while i >= 0, !entries[i].contains(pattern) { i -= 1 }
            failing = i < 0
            if i >= 0 { found = i }
        }
        func finish(_ text: String?) {
            if let text {
                // (The cursor on what was searched for, as bash leaves it.)
                let scalars = Array(text.unicodeScalars), wanted = Array(pattern.unicodeScalars)
                setLine(text, cursor: wanted.isEmpty ? nil : scalars.indices.first { scalars[$0...].starts(with: wanted) })
            } else {
                setLine(original.text, cursor: original.cursor)
            }
            setPrompt(prompt)
            redrawRow()
        }
        while true {
            let entry = found.map { entries[$0] }
            let shown = entry.map { e in e.split(separator: "\n").first { $0.contains(pattern) }.map(String.init) ?? e } ?? ""
            setPrompt(Self.fitted("(\(failing ? "failing " : "")search) '\(pattern)': \(shown)", width: (Terminal.width() ?? 80) - 1))
            redrawRow()
            var key: wchar_t = 0
            switch readKey(into: &key) {
            case 1: break
            case 0:
                finish(nil)
                return UInt8(CC_EOF)
            default:  // Ctrl-C, or the program asked to end
                finish(nil)
                return UInt8(CC_EOF)
            }
            switch key {
            case 0x12:  // Ctrl-R: further back
                if !pattern.isEmpty { find(before: found ?? entries.count) }
            case 0x7F, 0x08:  // Backspace
                if !pattern.isEmpty { pattern.removeLast() }
                found = nil
                failing = false
                if !pattern.isEmpty { find(before: entries.count) }
            case 0x0D, 0x0A:
                finish(entry ?? original.text)
                el_push(editor, "\r")  // (Enter as libedit has it: below the whole entry, then a new line)
                return UInt8(CC_REFRESH)
            case 0x07:  // Ctrl-G
                finish(nil)
                return UInt8(CC_REFRESH)
            case 0x1B where readAhead.isEmpty:  // Esc alone
                finish(nil)
                return UInt8(CC_REFRESH)
            case 0x20..<0x7F, 0xA0...:
                pattern.unicodeScalars.append(Unicode.Scalar(UInt32(key)) ?? "\u{FFFD}")
                find(before: (found ?? entries.count - 1) + 1)
            default:  // any other key: edit the entry found, and do what the key does
                finish(entry ?? original.text)
                el_push(editor, String(Character(Unicode.Scalar(UInt32(key)) ?? "\u{FFFD}")))
                return UInt8(CC_REFRESH)
            }
        }
    }

    /// The line being edited, and where the cursor is in it (in characters).
    private func lineText() -> (text: String, cursor: Int) {
        guard let info = el_wline(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor, let end = info.lastchar
        else { return ("", 0) }
        var text = ""
        for c in UnsafeBufferPointer(start: buffer, count: end - buffer) {
            text.unicodeScalars.append(Unicode.Scalar(UInt32(bitPattern: c)) ?? "\u{FFFD}")
        }
        return (text, cursor - buffer)
    }

    /// Replaces the line being edited with `text`, the cursor at `cursor` (or the end).
    private func setLine(_ text: String, cursor: Int?) {
        guard let info = el_wline(editor)?.pointee, let buffer = info.buffer, let at = info.cursor, let end = info.lastchar
        else { return }
        _ = el_cursor(editor, Int32(end - at))
        el_deletestr(editor, Int32(end - buffer))
        if !text.isEmpty { el_insertstr(editor, text) }
        if let cursor { _ = el_cursor(editor, Int32(cursor - text.unicodeScalars.count)) }
    }

    private func setPrompt(_ text: String) {
        free(promptText)
        promptText = strdup(text)
    }

    /// Draws the prompt and line again on the row the cursor is on, cleared first.
    private func redrawRow() {
        print("\r\u{1B}[K", terminator: "")
        Output.flush()
        mg_el_refresh(editor)
    }

    /// `text` cut to `width` columns, with … where it was cut.
    static func fitted(_ text: String, width: Int) -> String {
        var out = "", used = 0
        for c in text {
            let w = c == "\t" ? 1 : c.columns
            if used + w > max(1, width - 1) {
                return out + "…"
            }
            out.append(c == "\t" ? " " : c)
            used += w
        }
        return out
    }

    // MARK: Up and Down

    /// Moves the cursor to the line above (or below) in a line of several, at the same
    /// column or the line's end; from the first (or last) line, goes back (or on) in the
    /// history, by pushing the key that does that (Ctrl-P, Ctrl-N) for libedit to read.
    private func moveLine(up: Bool) -> UInt8 {
        guard let info = el_wline(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor, let end = info.lastchar
        else { return UInt8(CC_ERROR) }
        let chars = UnsafeBufferPointer(start: buffer, count: end - buffer)
        let at = cursor - buffer, newline = wchar_t(10)
        let lineStart = chars[..<at].lastIndex(of: newline).map { $0 + 1 } ?? 0
        let column = at - lineStart
        let target: Int
        if up {
            guard lineStart > 0 else {
                el_push(editor, "\u{10}")
                return UInt8(CC_NORM)
            }
            let start = chars[..<(lineStart - 1)].lastIndex(of: newline).map { $0 + 1 } ?? 0
            target = start + min(column, lineStart - 1 - start)
        } else {
            guard let lineEnd = chars[at...].firstIndex(of: newline) else {
                el_push(editor, "\u{0E}")
                return UInt8(CC_NORM)
            }
            let nextEnd = chars[(lineEnd + 1)...].firstIndex(of: newline) ?? chars.count
            target = lineEnd + 1 + min(column, nextEnd - lineEnd - 1)
        }
        _ = el_cursor(editor, Int32(target - at))
        return UInt8(CC_REFRESH)
    }

    /// Moves the cursor to the start (or end) of the line it is on, in a line of several.
    private func moveWithinLine(toEnd: Bool) -> UInt8 {
        guard let info = el_wline(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor, let end = info.lastchar
        else { return UInt8(CC_ERROR) }
        let chars = UnsafeBufferPointer(start: buffer, count: end - buffer)
        let at = cursor - buffer, newline = wchar_t(10)
        let target =
            toEnd
            ? chars[at...].firstIndex(of: newline) ?? chars.count
            : chars[..<at].lastIndex(of: newline).map { $0 + 1 } ?? 0
        _ = el_cursor(editor, Int32(target - at))
        return UInt8(CC_REFRESH)
    }

    // MARK: Tab

    private func tab() -> UInt8 {
        guard let info = el_line(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer), as: UTF8.self)
        // A tab in pasted text is a tab (the code's own indentation), not a request to
        // complete; and Tab with nothing but spaces before it indents, as in IPython.
        if pasting {
            el_insertstr(editor, "\t")
            return UInt8(CC_REFRESH)
        }
        if before.allSatisfy({ $0 == " " || $0 == "\t" }) {
            el_insertstr(editor, "    ")
            return UInt8(CC_REFRESH)
        }
        let completion = complete(before)
        var candidates = completion.candidates
        if completion.kind == .files { candidates = Self.files(startingWith: completion.prefix) }
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        // (As a shell completes: as far as the candidates agree, and a second Tab lists them.
        // :gr went straight to :grad, the command it runs, and :graph was never offered.)
        var common = Completion.commonPrefix(candidates)
        // (Not to a whole command other than the one the prefix runs: :b runs :backward,
        // and completing it to :back would change what Enter does.)
        if let preferred = completion.preferred, candidates.count > 1, common != preferred, candidates.contains(common) {
            common = completion.prefix
        }
        if candidates.count == 1, completion.kind == .words,
            before.drop(while: { $0 == " " }).hasPrefix(":"), !before.contains(" "), common.count > completion.prefix.count
        {
            common += " "  // a whole command name: ready for its argument
        }
        if common.count > completion.prefix.count {
            let inserted = String(common.dropFirst(completion.prefix.count))
            el_insertstr(editor, inserted)
            // (Several still fit: the next Tab lists them, as a shell's does.)
            lastTab = candidates.count > 1 ? before + inserted : nil
            return UInt8(CC_REFRESH)
        }
        if lastTab == before {
            // The second Tab in the same place: show what could go there.
            // (A file's name may hold an escape sequence: listed raw, it turned the terminal red.)
            print("\n" + Self.laidOut(candidates.prefix(200).map { $0.escaped() }, width: Terminal.width() ?? 80))
            if candidates.count > 200 { print("… (\(candidates.count) in all)") }
            if let preferred = completion.preferred, preferred != completion.prefix {
                print("(:\(completion.prefix) on its own runs :\(preferred))")
            }
            return UInt8(CC_REDISPLAY)
        }
        lastTab = before
        return UInt8(CC_REFRESH_BEEP)
    }

    /// `words` in columns across the terminal, as a shell lists completions: no word is
    /// broken across lines (they were, wherever the terminal's edge fell).
    static func laidOut(_ words: [String], width: Int) -> String {
        let column = (words.map(\.columns).max() ?? 0) + 2  // (a name may be 日本: two columns a character)
        let perLine = max(1, width / column)
        var lines: [String] = []
        for start in stride(from: 0, to: words.count, by: perLine) {
            let row = words[start..<min(start + perLine, words.count)]
            var line = row.map { $0 + String(repeating: " ", count: column - $0.columns) }.joined()
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Paths that start with `prefix`, folders with a trailing '/'.
    static func files(startingWith prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let dir = slash.map { String(prefix[...$0]) } ?? ""
        let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        var path = dir.isEmpty ? "." : dir
        if path.hasPrefix("~/"), let home = Process.environment("HOME") { path = home + path.dropFirst() }
        return Files.entries(in: path)
            .filter { $0.name.hasPrefix(stem) && (stem.hasPrefix(".") || !$0.name.hasPrefix(".")) }
            .map { dir + $0.name + ($0.isFolder ? "/" : "") }
            .sorted()
    }
}

extension UTF8 {
    enum Decoded { case complete(Unicode.Scalar), incomplete, invalid }

    /// The character `bytes` spell, if they are a whole UTF-8 sequence so far.
    static func decode(_ bytes: [UInt8]) -> Decoded {
        guard let first = bytes.first else { return .incomplete }
        let length = first < 0x80 ? 1 : first >> 5 == 0b110 ? 2 : first >> 4 == 0b1110 ? 3 : first >> 3 == 0b11110 ? 4 : 0
        guard length > 0, bytes.dropFirst().allSatisfy({ $0 >> 6 == 0b10 }) else { return .invalid }
        guard bytes.count == length else { return .incomplete }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return .complete(scalar) }
        return .invalid
    }
}
