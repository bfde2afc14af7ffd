#if canImport(Glibc)
import Glibc
#endif
import Micrograd

/// How far the learner got in each lesson, kept beside the history: one `name steps` line
/// per lesson, written to a temporary file and renamed into place.
struct ProgressFile {
    let path: String?
    private(set) var steps: [String: Int] = [:]
    /// Set when the file was not in its format (it is then set aside, not lost).
    private(set) var loadWarning: String?
    private var warned = false

    init() {
        path = HistoryFile.defaultPath().map { String($0.dropLast("history".count)) + "progress" }
        guard let path, access(path, F_OK) == 0 else { return }
        var ok = true
        if let text = try? readTextFile(path, maxBytes: 1 << 20) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let n = Int(parts[1]), n >= 0 { steps[String(parts[0])] = n } else { ok = false }
            }
        } else {
            ok = false
        }
        if !ok {
            steps = [:]
            rename(path, path + ".corrupt")
            loadWarning = "the lesson progress file \(path) was damaged; it was moved to \(path).corrupt and progress starts afresh"
        }
    }

    /// Saves `steps`; returns a warning the first time that fails.
    mutating func save(_ steps: [String: Int]) -> String? {
        self.steps = steps
        guard let path else { return nil }
        let text = steps.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined()
        if writeAtomically(text, to: path) || warned { return nil }
        warned = true
        return "cannot save lesson progress to \(path)"
    }
}

/// Writes `text` to a temporary file beside `path` (mode 0600), then renames it over `path`,
/// so a crash mid-write never leaves a half-written file. Makes the folder if needed.
func writeAtomically(_ text: String, to path: String) -> Bool {
    var partial = ""
    for part in path.split(separator: "/").dropLast() {
        partial += "/" + part
        mkdir(partial, 0o700)
    }
    let temporary = path + ".tmp\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    var copy = text
    let ok = copy.withUTF8 { bytes -> Bool in
        var rest = UnsafeRawBufferPointer(bytes)
        while !rest.isEmpty {
            let n = write(fd, rest.baseAddress, rest.count)
            if n <= 0 { return false }
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
        return true
    }
    guard close(fd) == 0, ok, rename(temporary, path) == 0 else {
        unlink(temporary)
        return false
    }
    return true
}
