import MicrogradCLI
import MicrogradLanguage

/// A session fed lines as a learner types them, with what it printed. Its host is the
/// program's own, so files are real files and Graphviz really runs.
final class Transcript {
    let host: SystemHost
    let session: Session
    private(set) var out: [String] = []
    private(set) var err: [String] = []
    private(set) var progress: [String] = []

    /// A transcript whose loops reclaim nodes every 50 or so (not every 50,000), so that
    /// what reclaiming moves is tried in a loop of a few rounds.
    static func reclaimingOften() -> Transcript {
        let t = Transcript()
        t.session.loopCompactionThreshold = 50
        return t
    }

    init(seed: Int = 1337) {
        var sink: ((OutputKind, String) -> Void)?
        host = SystemHost { kind, text in sink?(kind, text) }
        host.shouldStop = { false }
        session = Session(host: host, seed: seed)
        sink = { [unowned self] kind, text in
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

    /// Runs `text` as the REPL runs what is typed at its prompt, and returns what it printed.
    @discardableResult
    func atPrompt(_ text: String) -> String {
        out = []
        err = []
        session.runTyped(text)
        return out.joined(separator: "\n")
    }

    /// Runs `text` as one chunk typed at the prompt; returns whether it went without error.
    @discardableResult
    func type(_ text: String) -> Bool {
        out = []
        err = []
        return session.run(text, file: "<test>")
    }

    /// From now on Ctrl-C is pressed when long work asks for the `checks + 1`th time, and
    /// every time after (nil: never again).
    func pressCtrlC(afterChecks checks: Int?) {
        guard let checks else {
            host.shouldStop = { false }
            return
        }
        var asked = 0
        host.shouldStop = {
            asked += 1
            return asked > checks
        }
    }

    /// Standard error of the last run.
    var errors: String { err.joined(separator: "\n") }
}
