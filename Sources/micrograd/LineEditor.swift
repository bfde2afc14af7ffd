#if canImport(Glibc)
import Glibc
#endif
import CLibEdit
import MicrogradLanguage

/// libedit's line editor: a prompt, Emacs keys (or whatever ~/.editrc says), history, and
/// Tab completion by context.
final class LineEditor {
    enum Input {
        case line(String)
        /// Ctrl-C while typing.
        case interrupted
        /// Ctrl-D on an empty line, or the end of the input.
        case end
    }

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private var promptText: UnsafeMutablePointer<CChar>
    private let complete: (String) -> Completion
    /// The line and cursor of the last Tab that could not extend the word: a second Tab
    /// there lists the candidates.
    private var lastTab: String?

    /// An editor on the process's terminal; `complete` says what Tab may offer for the text
    /// before the cursor.
    init(historySize: Int32, complete: @escaping (String) -> Completion) {
        setlocale(LC_CTYPE, "")     // without it libedit drops every non-ASCII character
        editor = el_init("micrograd", mg_stdin(), mg_stdout(), mg_stderr())
        history = history_init()
        promptText = strdup(">>> ")
        self.complete = complete
        var event = HistEvent()
        mg_history_setsize(history, &event, historySize)
        mg_history_setunique(history, &event, 1)
        mg_el_set_history(editor, history)
        mg_el_set_editor(editor, "emacs")
        mg_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        mg_el_set_prompt_esc(editor, { el in
            LineEditor.from(el)?.promptText
        }, 1)
        mg_el_add_function(editor, "micrograd-complete", "Complete the word at the cursor", { el, _ in
            LineEditor.from(el)?.tab() ?? UInt8(CC_ERROR)
        })
        mg_el_bind(editor, "^I", "micrograd-complete")
        el_source(editor, nil)      // ~/.editrc, as every libedit program honours it
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
        var count: Int32 = 0
        errno = 0
        guard let text = el_gets(editor, &count) else {
            if count == -1 || mg_interrupt_pending() != 0 {
                return .interrupted
            }
            return .end
        }
        var line = String(cString: text)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a line to the history that Up and Down walk through.
    func remember(_ line: String) {
        var event = HistEvent()
        mg_history_enter(history, &event, line)
    }

    // MARK: Tab

    private func tab() -> UInt8 {
        guard let info = el_line(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return UInt8(CC_ERROR)
        }
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: cursor - buffer), as: UTF8.self)
        let completion = complete(before)
        var candidates = completion.candidates
        if completion.kind == .files { candidates = Self.files(startingWith: completion.prefix) }
        guard !candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        var common = Completion.commonPrefix(candidates)
        if let preferred = completion.preferred, preferred.count > completion.prefix.count {
            common = preferred      // what the prefix already means: :gr runs :grad, so Tab writes it
        }
        if candidates.count == 1 || completion.preferred != nil, completion.kind == .words,
           before.drop(while: { $0 == " " }).hasPrefix(":"), !before.contains(" "), common.count > completion.prefix.count {
            common += " "       // a whole command name: ready for its argument
        }
        if common.count > completion.prefix.count {
            el_insertstr(editor, String(common.dropFirst(completion.prefix.count)))
            lastTab = nil
            return UInt8(CC_REFRESH)
        }
        if lastTab == before {
            // The second Tab in the same place: show what could go there.
            let shown = candidates.prefix(200).joined(separator: "  ")
            print("\n" + shown + (candidates.count > 200 ? "  … (\(candidates.count) in all)" : ""))
            return UInt8(CC_REDISPLAY)
        }
        lastTab = before
        return UInt8(CC_REFRESH_BEEP)
    }

    /// Paths that start with `prefix`, directories with a trailing '/'.
    static func files(startingWith prefix: String) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let dir = slash.map { String(prefix[...$0]) } ?? ""
        let stem = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
        var path = dir.isEmpty ? "." : dir
        if path.hasPrefix("~/"), let home = getenv("HOME") { path = String(cString: home) + path.dropFirst() }
        guard let handle = opendir(path) else { return [] }
        defer { closedir(handle) }
        var found: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name.hasPrefix(stem), name != ".", name != "..", stem.hasPrefix(".") || !name.hasPrefix(".") else { continue }
            let isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            found.append(dir + name + (isDirectory ? "/" : ""))
        }
        return found.sorted()
    }
}
