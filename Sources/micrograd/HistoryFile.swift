#if canImport(Glibc)
import Glibc
#endif
import CLibEdit
import Micrograd
import MicrogradLanguage

/// The lines typed in earlier sessions: `$XDG_STATE_HOME/micrograd/history`, else
/// `~/.local/state/micrograd/history`; one line per entry, mode 0600, the newest last.
///
/// Every line typed is saved at once, by writing a new file and renaming it over the old
/// one, so a crash never leaves half a history behind.
struct HistoryFile {
    let path: String?
    let limit: Int
    private(set) var entries: [String] = []
    /// Set when the file could not be read (it is then set aside, not lost).
    private(set) var loadWarning: String?
    private var warnedAboutSaving = false

    init(limit: Int) {
        self.limit = limit
        path = Self.defaultPath()
        guard let path, access(path, F_OK) == 0 else { return }
        do {
            let text = try readTextFile(path, maxBytes: 16 << 20)
            if text.contains("\0") || text.contains("\u{FFFD}") {
                let aside = path + ".corrupt"
                rename(path, aside)
                loadWarning = "the history file \(path) was not text; it was moved to \(aside) and a new one started"
                return
            }
            entries = text.split(separator: "\n").map(String.init).suffix(limit)
        } catch {
            loadWarning = "cannot read the history file: \(error)"
        }
    }

    static func defaultPath() -> String? {
        var base: String
        if let state = getenv("XDG_STATE_HOME"), state.pointee != 0 {
            base = String(cString: state)
        } else if let home = getenv("HOME"), home.pointee != 0 {
            base = String(cString: home) + "/.local/state"
        } else {
            return nil
        }
        base += "/micrograd"
        return base + "/history"
    }

    /// Records a line; returns a warning the first time the file cannot be written.
    mutating func add(_ line: String) -> String? {
        if entries.last == line { return nil }      // consecutive duplicates are kept once
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        guard let path else { return nil }
        if save(to: path) || warnedAboutSaving { return nil }
        warnedAboutSaving = true
        return "cannot save history to \(path) (\(String(cString: strerror(errno)))); this session's lines will not be remembered"
    }

    private func save(to path: String) -> Bool {
        (try? writeFileAtomically(entries.joined(separator: "\n") + "\n", to: path, mode: 0o600, makingFolders: true)) != nil
    }
}
