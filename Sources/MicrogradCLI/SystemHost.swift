import MicrogradLanguage
import MicrogradPlatform

#if canImport(Glibc)
import Glibc
#endif

/// A host on this machine: files by the rules of `Files` (nothing that is not ours is
/// replaced), Graphviz run in a private folder, Ctrl-C from the signal flags. Where output
/// goes is the one thing each front end decides.
public final class SystemHost: Host {
    /// Where output goes.
    public let output: (OutputKind, String) -> Void
    public var width = 100
    public var unicode = true
    public var isInteractive = false
    /// Asked between steps of long work (by default: Ctrl-C or a request to end).
    /// (Read every round of every loop: the compiler's check that no one is setting it at
    /// that moment cost more than the read. It is set only while the host is being set up.)
    @exclusivity(unchecked) public var shouldStop: () -> Bool = { Signals.shouldStop } {
        didSet { stopsOnSignals = false }
    }
    /// Whether `shouldStop` is still the default, so `isInterrupted` can read the flags
    /// without a call through the closure (it is read every round of every loop).
    private var stopsOnSignals = true
    /// Called when lesson progress changes.
    public var onProgress: ([String: LessonProgress]) -> Void = { _ in }
    /// How an interruption is shown (by default, "Interrupted" as an error).
    public var onInterrupted: (String, Int?) -> Void

    public init(output: @escaping (OutputKind, String) -> Void) {
        self.output = output
        onInterrupted = { _, _ in output(.error, LanguageError.interrupted.message) }
    }

    public func write(_ kind: OutputKind, _ text: String) { output(kind, text) }

    /// `path` with a leading `~` (alone or before `/`) read as the home folder, as a shell
    /// reads it: Tab completes such names, so the commands take them too.
    static func expandingHome(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/"), let home = Process.environment("HOME"), !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    public func readFile(_ path: String, limit: Int) throws(HostError) -> [UInt8] {
        let path = Self.expandingHome(path)
        do {
            return try Files.read(path, limit: limit, refusingPipes: true, shouldStop: shouldStop)
        } catch {
            throw HostError(error.description, isInterruption: error.isInterruption)
        }
    }

    public func writeFile(_ path: String, _ bytes: [UInt8], replacing: Replacing) throws(HostError) {
        let path = Self.expandingHome(path)
        do {
            switch replacing {
            case .nothing: try Files.write(bytes, to: path, replacing: false)
            case .anyFile: try Files.write(bytes, to: path, linkedTargetEndingIn: path.hasSuffix(".md") ? ".md" : nil)
            case .ownFile(let mark, let offset, let suffix):
                try Files.write(bytes, to: path, ownMark: (mark, offset), linkedTargetEndingIn: suffix)
            }
        } catch {
            throw HostError(error.description, isInterruption: error.isInterruption, exists: error.exists)
        }
    }

    public var memoryLeft: Int? { Process.memoryAvailable() }

    public func fileIdentity(_ path: String) -> String? { Files.identity(of: Self.expandingHome(path)) }

    public func render(dot: String, format: String) throws(HostError) -> [UInt8] {
        let outcome: Programs.Outcome
        do {
            outcome = try Programs.run("dot", ["-T" + format], input: Array(dot.utf8), shouldStop: shouldStop)
        } catch {
            if error.isInterruption { throw HostError("interrupted", isInterruption: true) }
            if error.description.hasSuffix("is not installed") {
                throw HostError("Graphviz's dot program is not installed; install it with: sudo apt-get install graphviz")
            }
            throw HostError(error.description)
        }
        guard outcome.status == 0 else {
            if outcome.status == 128 + SIGXFSZ {
                throw HostError(
                    "dot was stopped by the file size limit (ulimit -f) as it wrote the picture; raise the limit, or draw a smaller graph")
            }
            // (A status past 128 is a signal's, as the shell numbers them: 139 is SIGSEGV.)
            let status = outcome.status > 128 ? "it was stopped by signal \(outcome.status - 128)" : "exit status \(outcome.status)"
            let first = outcome.errors.split(separator: "\n").first.map(String.init) ?? status
            throw HostError("dot failed: " + first)
        }
        return outcome.output
    }

    public var isInterrupted: Bool { stopsOnSignals ? Signals.shouldStop : shouldStop() }

    public func progressChanged(_ progress: [String: LessonProgress]) { onProgress(progress) }

    public func interrupted(file: String, line: Int?) { onInterrupted(file, line) }
}
