import MicrogradPlatform

/// The lines typed in earlier sessions: `$XDG_STATE_HOME/micrograd/history`, else
/// `~/.local/state/micrograd/history`, mode 0600, the newest last.
///
/// Each entry is appended as it is typed (under a lock, so two REPLs at once both keep
/// theirs); once the file holds twice `limit` entries it is rewritten with the newest
/// `limit`. A block of several lines is one entry: its second and later lines are written
/// with a leading tab, which no typed line can start with (Tab completes).
struct HistoryFile {
    let path: String?
    let limit: Int
    private(set) var entries: [String] = []
    /// Set when the file could not be read (it is then set aside, not lost).
    private(set) var loadWarning: String?
    private var warnedAboutSaving = false
    /// Entries in the file, counting those other sessions appended since it was read.
    private var entriesInFile = 0
    /// The most the file may hold before it is set aside unread.
    static let maxBytes = 16 << 20

    init(limit: Int, path: String? = HistoryFile.defaultPath()) {
        self.limit = limit
        self.path = path
        guard let path, Files.exists(path) else { return }
        // (Not read through a link either, as it is not written through one: the file it
        // points at is not the history, and its lines came back as entries to run.)
        if Files.isLink(path) {
            loadWarning = "the history file \(path) is a symbolic link, which is not followed; history will not be saved"
            return
        }
        do {
            let bytes = try Files.read(path, limit: Self.maxBytes, onlyAPlainFile: true)
            // A NUL means a binary file. A line that is not UTF-8 (or holds U+FFFD, which a
            // byte typed in another encoding becomes) is read as well as it can be: one odd
            // line does not cost the rest of the history.
            if bytes.contains(0) {
                loadWarning = setAside(path, because: "was not text")
                return
            }
            (entries, entriesInFile) = Self.newest(limit, of: bytes)
        } catch {
            loadWarning =
                error.description.contains("larger than")
                ? setAside(path, because: "is larger than \(Self.maxBytes >> 20) MB")
                : "cannot read the history file: \(error)"
        }
    }

    private func setAside(_ path: String, because reason: String) -> String {
        if let aside = Files.setAside(path, suffix: "corrupt") {
            return "the history file \(path) \(reason); it was moved to \(aside) and a new one started"
        }
        return "the history file \(path) \(reason), and could not be moved aside; history will not be saved"
    }

    /// Where the history is kept: below `$XDG_STATE_HOME`, else below `$HOME` if that is a
    /// folder there is (a `HOME` of `/nonexistent`, a daemon's, is not made); else nowhere.
    static func defaultPath() -> String? {
        if let state = Process.environment("XDG_STATE_HOME"), !state.isEmpty { return state + "/micrograd/history" }
        if let home = Process.environment("HOME"), !home.isEmpty, Files.isFolder(home) { return home + "/.local/state/micrograd/history" }
        return nil
    }

    /// Why there is nowhere to keep history and lesson progress, if there is not: said as
    /// the REPL starts, so that a learner does not count on them (with HOME a folder that
    /// is not there, `:lesson close` promised a place to come back to, and none was kept).
    static func nowhereToKeep() -> String? {
        guard defaultPath() == nil else { return nil }
        let why =
            switch Process.environment("HOME") {
            case nil: "HOME is not set"
            case "": "HOME is empty"
            case let home?: "HOME (\(home)) is not a folder"
            }
        return why
            + ", so this session's history and lesson progress will not be kept; set HOME (or XDG_STATE_HOME) to a folder to keep them"
    }

    /// The newest `limit` entries of a history file's bytes, and how many it holds: only
    /// those are decoded (the entries of a 16 MB file, every one decoded, took 130 MB at
    /// once, and where memory was limited the program stopped as it started).
    static func newest(_ limit: Int, of bytes: [UInt8]) -> (entries: [String], count: Int) {
        // An entry starts at a line that is not empty and not a tab-led continuation; the
        // first line that is not empty starts one either way, as `decode` takes it.
        let first = bytes.firstIndex { $0 != 0x0A } ?? bytes.endIndex
        let starts = bytes.indices.lazy.filter { i in
            i == first || (i > first && bytes[i - 1] == 0x0A && bytes[i] != 0x0A && bytes[i] != 0x09)
        }
        let count = starts.count
        let from = starts.dropFirst(max(0, count - limit)).first ?? bytes.endIndex
        return (decode(String(decoding: bytes[from...], as: UTF8.self)), count)
    }

    /// The entries a history file's text holds.
    static func decode(_ text: String) -> [String] {
        var entries: [String] = []
        for line in text.split(separator: "\n") {
            if line.hasPrefix("\t"), !entries.isEmpty {
                entries[entries.count - 1] += "\n" + line.dropFirst()
            } else {
                entries.append(String(line))
            }
        }
        return entries
    }

    /// One entry as it is written to the file.
    static func encode(_ entry: String) -> String {
        entry.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n\t") + "\n"
    }

    /// Records an entry; returns a warning the first time the file cannot be written.
    mutating func add(_ entry: String) -> String? {
        if entries.last == entry { return nil }  // consecutive duplicates are kept once
        entries.append(entry)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
        guard let path, loadWarning?.hasSuffix("will not be saved") != true, !warnedAboutSaving else { return nil }
        do {
            try Files.append(Array(Self.encode(entry).utf8), to: path, newFileMode: 0o600, makingFolders: true)
            entriesInFile += 1
            if entriesInFile > 2 * limit { try compact(path) }
            return nil
        } catch {
            if warnedAboutSaving { return nil }
            warnedAboutSaving = true
            return "cannot save history to \(path) (\(error)); this session's lines will not be remembered"
        }
    }

    /// Rewrites the file with its newest `limit` entries (including other sessions').
    private mutating func compact(_ path: String) throws(FileProblem) {
        var kept = 0
        let limit = self.limit
        try Files.rewrite(path, limit: Self.maxBytes) { bytes in
            let newest = Self.newest(limit, of: bytes).entries
            kept = newest.count
            return Array(newest.map(Self.encode).joined().utf8)
        }
        entriesInFile = kept
    }
}
