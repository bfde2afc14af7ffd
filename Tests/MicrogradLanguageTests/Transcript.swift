import MicrogradLanguage

/// A session fed lines as a learner types them, with what it printed.
final class Transcript {
    let session: Session
    private(set) var out: [String] = []
    private(set) var err: [String] = []
    private(set) var progress: [String] = []

    init(seed: UInt64 = 1337) {
        session = Session(seed: seed)
        session.write = { [unowned self] kind, text in
            switch kind {
            case .result, .prose, .echo: out.append(text)
            case .progress: progress.append(text)
            case .warning, .error: err.append(text)
            }
        }
    }

    /// Runs `text` as a script and returns what it printed to standard output.
    @discardableResult
    func run(_ text: String) -> String {
        out = []
        err = []
        session.runScript(text, file: "<test>")
        return out.joined(separator: "\n")
    }

    /// Standard error of the last run.
    var errors: String { err.joined(separator: "\n") }
}
