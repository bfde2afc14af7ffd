import MicrogradLanguage
import MicrogradPlatform

/// How far the learner got in each lesson, kept beside the history in the form
/// `LessonProgress.text` writes: one line per lesson, its steps seen and exercises solved.
/// Saving merges with what is in the file (two REPLs open at once both keep their
/// progress) and writes it by the rules of `Files.write`.
struct ProgressFile {
    let path: String?
    private(set) var lessons: [String: LessonProgress] = [:]
    /// Set when the file could not be read, or was not in its format (it is then set
    /// aside, not lost).
    private(set) var loadWarning: String?
    private var warned = false

    init(path: String? = HistoryFile.defaultPath().map { String($0.dropLast("history".count)) + "progress" }) {
        self.path = path
        guard let path, Files.exists(path) else { return }
        let bytes: [UInt8]
        do {
            bytes = try Files.read(path, limit: 1 << 20, onlyAPlainFile: true)
        } catch {
            // Not read (no permission, too many files open): the file is not known to be
            // damaged, and stays where it is; saving merges with it once it can be read.
            loadWarning = "cannot read the lesson progress file (\(error)); lessons start from their beginning this time"
            return
        }
        if let parsed = LessonProgress.parse(String(decoding: bytes, as: UTF8.self)) {
            lessons = parsed
            return
        }
        let aside = Files.setAside(path, suffix: "corrupt") ?? path
        loadWarning = "the lesson progress file \(path) was damaged; it was moved to \(aside) and progress starts afresh"
    }

    /// Saves `lessons`; returns a warning the first time that fails.
    mutating func save(_ lessons: [String: LessonProgress]) -> String? {
        self.lessons = lessons
        // (After a failure, not tried again this session: a lock another program held was
        // waited for at every step of a lesson.)
        guard let path, !warned else { return nil }
        do {
            try Files.rewrite(path, limit: 1 << 20, makingFolders: true) { bytes in
                var merged = LessonProgress.parse(String(decoding: bytes, as: UTF8.self)) ?? [:]
                merged.merge(lessons) { $0.merged(with: $1) }
                return Array(LessonProgress.text(merged).utf8)
            }
            return nil
        } catch {
            if warned { return nil }
            warned = true
            return "cannot save lesson progress to \(path) (\(error)); this session's progress will not be kept"
        }
    }
}
