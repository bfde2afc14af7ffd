import MicrogradPlatform

/// How far the learner got in each lesson, kept beside the history: one `name steps` line
/// per lesson. Saving merges with what is in the file (two REPLs open at once both keep
/// their progress) and writes it by the rules of `Files.write`.
struct ProgressFile {
    let path: String?
    private(set) var steps: [String: Int] = [:]
    /// Set when the file was not in its format (it is then set aside, not lost).
    private(set) var loadWarning: String?
    private var warned = false

    init(path: String? = HistoryFile.defaultPath().map { String($0.dropLast("history".count)) + "progress" }) {
        self.path = path
        guard let path, Files.exists(path) else { return }
        if let bytes = try? Files.read(path, limit: 1 << 20), let parsed = Self.parse(String(decoding: bytes, as: UTF8.self)) {
            steps = parsed
            return
        }
        let aside = Files.setAside(path, suffix: "corrupt") ?? path
        loadWarning = "the lesson progress file \(path) was damaged; it was moved to \(aside) and progress starts afresh"
    }

    static func parse(_ text: String) -> [String: Int]? {
        var steps: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let n = Int(parts[1]), n >= 0 else { return nil }
            steps[String(parts[0])] = n
        }
        return steps
    }

    /// Saves `steps`; returns a warning the first time that fails.
    mutating func save(_ steps: [String: Int]) -> String? {
        self.steps = steps
        guard let path else { return nil }
        do {
            try Files.rewrite(path, limit: 1 << 20, makingFolders: true) { bytes in
                var merged = Self.parse(String(decoding: bytes, as: UTF8.self)) ?? [:]
                merged.merge(steps) { Swift.max($0, $1) }
                return Array(merged.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined().utf8)
            }
            return nil
        } catch {
            if warned { return nil }
            warned = true
            return "cannot save lesson progress to \(path) (\(error))"
        }
    }
}
