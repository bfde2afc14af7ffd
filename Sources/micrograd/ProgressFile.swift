#if canImport(Glibc)
import Glibc
#endif
import Micrograd
import MicrogradLanguage

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
        if (try? writeFileAtomically(text, to: path, mode: 0o600, makingFolders: true)) != nil || warned { return nil }
        warned = true
        return "cannot save lesson progress to \(path)"
    }
}
