/// Where something is in the learner's text: 1-based line and column (in characters).
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A mistake in what the learner typed, or a thing that could not be done, with the place
/// it happened when there is one.
public struct LanguageError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    public var description: String { message }

    /// Long work stopped by Ctrl-C.
    public static let interrupted = LanguageError("Interrupted")
}

/// An error as it is shown: `FILE:LINE:COL: error: message`, the line, and a caret.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var error: LanguageError
    /// The text of the line the error is on, if known.
    public var sourceLine: String?
    public var severity = "error"

    public init(file: String, error: LanguageError, sourceLine: String?, severity: String = "error") {
        self.file = file
        self.error = error
        self.sourceLine = sourceLine
        self.severity = severity
    }

    public var description: String {
        if error == .interrupted { return error.message }
        // An empty file name (the REPL) leaves out where: the line is shown anyway.
        let place = file.isEmpty ? "" : error.location.map { "\(file):\($0.line):\($0.column): " } ?? "\(file): "
        var text = place + "\(severity): \(error.message)"
        guard let location = error.location else { return text }
        if let sourceLine {
            // Long lines are shown around the column, so the caret stays on screen.
            let chars = Array(sourceLine)
            let start = max(0, min(location.column - 1, chars.count) - 60)
            let end = min(chars.count, start + 120)
            let shown = String(chars[start..<end]).map { $0.isASCII && $0.asciiValue! < 32 ? " " : $0 }
            let prefix = start > 0 ? "…" : ""
            text += "\n" + prefix + String(shown) + (end < chars.count ? "…" : "")
            text += "\n" + String(repeating: " ", count: prefix.count + location.column - 1 - start) + "^"
        }
        return text
    }
}
