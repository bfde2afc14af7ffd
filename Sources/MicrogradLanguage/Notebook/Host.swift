/// What a line of output is, so a host can route and colour it.
public enum OutputKind: Sendable, Equatable {
    /// An echoed value, a table, a command's report: standard output.
    case result
    /// A running report that a terminal may redraw in place (training progress).
    case progress
    /// A warning (an inf or NaN appeared): standard error.
    case warning
    /// An error, already formatted with file, line, column and caret: standard error.
    case error
    /// A lesson's text, between its cells.
    case prose
    /// A lesson's cell, shown with prompts as if typed, before it runs.
    case echo
}

/// Why a host could not do something, in words for the learner.
public struct HostError: Error, Equatable, CustomStringConvertible {
    public let description: String
    /// Whether Ctrl-C (or a request to end) stopped it.
    public let isInterruption: Bool
    /// Whether a file was not written because one is already there (and replacing was not asked for).
    public let exists: Bool

    public init(_ description: String, isInterruption: Bool = false, exists: Bool = false) {
        self.description = description
        self.isInterruption = isInterruption
        self.exists = exists
    }

    /// The problem with `path`, without `path` again where the description starts with it
    /// ("cannot write P: P: File name too long" named a long path twice).
    func reason(for path: String) -> String {
        description.hasPrefix(path + ": ") ? String(description.dropFirst(path.count + 2)) : description
    }
}

/// Everything a notebook needs from the world around it, given to it once: where output
/// goes, files, Graphviz, Ctrl-C, the terminal's width. The REPL, `micrograd run`, the
/// lesson checker, the tests and the fuzzer each bring their own.
public protocol Host: AnyObject {
    /// Shows text (one or more whole lines, without the final newline).
    func write(_ kind: OutputKind, _ text: String)
    /// The bytes of a file (for `:load`), at most `limit` of them.
    func readFile(_ path: String, limit: Int) throws(HostError) -> [UInt8]
    /// Writes a file (for `:dot`, `:svg`, `:save`), by the host's rules for files that are
    /// not its own; a file already there is replaced only as `replacing` says (if not, the
    /// error says it `exists`).
    func writeFile(_ path: String, _ bytes: [UInt8], replacing: Replacing) throws(HostError)
    /// What file `path` names, the same for every path to it (links, `./`): so that a
    /// file that loads itself under another name is caught. Nil if unknown.
    func fileIdentity(_ path: String) -> String?
    /// DOT source drawn by Graphviz in `format` ("svg" or "png").
    func render(dot: String, format: String) throws(HostError) -> [UInt8]
    /// Checked between steps of long work; true stops it.
    var isInterrupted: Bool { get }
    /// Columns to draw pictures in.
    var width: Int { get }
    /// Whether box drawing and braille characters show.
    var unicode: Bool { get }
    /// Whether someone is at the keyboard (then `:backstep` waits for Enter between steps).
    var isInteractive: Bool { get }
    /// The learner's progress through the lessons changed; a host that keeps it saves it.
    func progressChanged(_ progress: [String: LessonProgress])
    /// Work stopped on Ctrl-C while running line `line` of `file`.
    func interrupted(file: String, line: Int?)
    /// How many more bytes the program may take (its limits, and the machine's free
    /// memory), or nil if unknown. Asked every few milliseconds of work at most.
    var memoryLeft: Int? { get }
}

extension Host {
    public var memoryLeft: Int? { nil }
}

/// Which file already at a path a write may replace.
public enum Replacing: Sendable, Equatable {
    /// None: a file there is left alone (`:save`).
    case nothing
    /// Any file (`:save!`, which says so); through a link, only to a `.md` file (a link
    /// named like a notebook may point at a learner's script).
    case anyFile
    /// Only a file holding `mark` at byte `offset`, where only this program puts it (a
    /// picture `:dot`, `:svg` or `:png` drew before): never a learner's own file, even
    /// one that quotes the mark. Through a link, only to a file whose name ends in
    /// `suffix` (.dot): a link that points nowhere yet, named like a picture, may point
    /// at a name such as a script's, and the picture was written there.
    case ownFile(mark: [UInt8], offset: Int, suffix: String)
}

/// A host with no world around it: output is kept in memory, files live in a dictionary,
/// and nothing outside is ever read, written or run. The tests, the fuzzer and
/// `micrograd lessons check` use one.
public final class InMemoryHost: Host {
    /// Everything written, in order.
    public private(set) var output: [(kind: OutputKind, text: String)] = []
    /// The files: those put here, and those the notebook wrote.
    public var files: [String: [UInt8]] = [:]
    public var width = Lesson.width
    public var unicode = true
    public var isInteractive = false
    /// Asked between steps of long work (by default: never stop).
    /// (Read every round of every loop: the compiler's check that no one is setting it at
    /// that moment cost more than the read. It is set only while the host is being set up.)
    @exclusivity(unchecked) public var shouldStop: () -> Bool = { false }
    public private(set) var progress: [String: LessonProgress] = [:]

    public init() {}

    public func write(_ kind: OutputKind, _ text: String) { output.append((kind, text)) }

    /// What was written of `kinds`, one entry per write.
    public func written(_ kinds: Set<OutputKind>) -> [String] {
        output.filter { kinds.contains($0.kind) }.map(\.text)
    }

    /// Forgets what was written.
    public func clear() { output = [] }

    public func readFile(_ path: String, limit: Int) throws(HostError) -> [UInt8] {
        guard let bytes = files[path] else { throw HostError("\(path): No such file or directory") }
        guard bytes.count <= limit else { throw HostError("\(path): larger than \(limit >> 20) MB, the most that is read here") }
        return bytes
    }

    public func writeFile(_ path: String, _ bytes: [UInt8], replacing: Replacing) throws(HostError) {
        if let old = files[path] {
            switch replacing {
            case .nothing: throw HostError("\(path) exists", exists: true)
            case .anyFile: break
            case .ownFile(let mark, let offset, _):
                guard old.count >= offset + mark.count, old[offset..<(offset + mark.count)].elementsEqual(mark) else {
                    throw HostError("\(path) exists, and this program did not write it", exists: true)
                }
            }
        }
        files[path] = bytes
    }

    /// Files here have no other names than their own.
    public func fileIdentity(_ path: String) -> String? { files[path] == nil ? nil : path }

    /// A stand-in for Graphviz's picture, so that cells that draw run the same way. (A
    /// PNG starts as one does, with a header micrograd's mark can follow.)
    public func render(dot: String, format: String) throws(HostError) -> [UInt8] {
        let text = Array("<\(format) drawn from \(dot.utf8.count) bytes of DOT>".utf8)
        guard format == "png" else { return text }
        let header: [UInt8] = [0, 0, 0, 13] + Array("IHDR".utf8) + [UInt8](repeating: 0, count: 17)
        return PictureFormat.pngSignature + header + text
    }

    public var isInterrupted: Bool { shouldStop() }

    public func progressChanged(_ progress: [String: LessonProgress]) { self.progress = progress }

    public func interrupted(file: String, line: Int?) { write(.error, LanguageError.interrupted.message) }
}
