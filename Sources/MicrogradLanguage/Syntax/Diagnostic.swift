/// Where something is in the learner's text: 1-based line and column (in characters).
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
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
    /// The text the location is in, when it is not the text being run (a function's body
    /// defined in another cell or file).
    var source: Source?
    /// The calls of the learner's functions the error came out of, innermost first: where
    /// each was called from, as Python's traceback says (at most `maxCalls`, and a count of
    /// the rest).
    var calls: [Call] = []
    var callsLeftOut = 0
    static let maxCalls = 6

    /// A call of a learner's function that an error came out of (`times` in a row, from
    /// the same place: a recursion).
    struct Call: Sendable {
        let function: String
        let location: SourceLocation
        let source: Source
        var times = 1
    }

    /// This error, as it comes out of a call of `function` made at `location` in `source`.
    func passing(outOf function: String, at location: SourceLocation, in source: Source) -> LanguageError {
        // (An error already shown at the call, a one-line function's, needs no more.)
        let elsewhere = self.source.map { $0.file != source.file || $0.line(location.line) != source.line(location.line) } ?? false
        guard self != .interrupted, self.location != location || elsewhere else { return self }
        var error = self
        if let last = error.calls.last, last.function == function, last.location == location, last.source.file == source.file,
            error.callsLeftOut == 0
        {
            error.calls[error.calls.count - 1].times += 1
        } else if error.calls.count < Self.maxCalls {
            error.calls.append(Call(function: function, location: location, source: source))
        } else {
            error.callsLeftOut += 1
        }
        return error
    }

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }

    init(_ message: String, at location: SourceLocation?, in source: Source?) {
        self.message = message
        self.location = location
        self.source = source
    }

    public var description: String { message }

    /// Long work stopped by Ctrl-C.
    public static let interrupted = LanguageError("Interrupted")

    public static func == (a: LanguageError, b: LanguageError) -> Bool {
        a.message == b.message && a.location == b.location
    }
}

/// Text being run: a file's name and its lines, so an error can show the line it is on.
public struct Source: Sendable {
    /// The file's name as errors show it (empty at the REPL's prompt).
    public let file: String
    let lines: [Substring]
    /// The line number of `lines[0]`.
    let firstLine: Int

    public init(file: String, text: String, firstLine: Int = 1) {
        self.file = file
        self.lines = Self.split(text)
        self.firstLine = firstLine
    }

    /// The text of line `number`, if this source has it.
    func line(_ number: Int) -> String? {
        let i = number - firstLine
        return lines.indices.contains(i) ? String(lines[i]) : nil
    }

    /// Lines split at "\n", "\r\n" (which Swift counts as one Character) or a "\r" on its
    /// own (an old Mac's line end, which Python reads as one too).
    /// Found in the UTF-8 bytes: a "\n" or "\r" is always a Character of its own (or
    /// "\r\n"), so this is the same split as by Characters, without their cost.
    static func split(_ text: String) -> [Substring] {
        let bytes = text.utf8
        var lines: [Substring] = []
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == 10 || byte == 13 {
                lines.append(text[start..<i])
                if byte == 13, bytes.index(after: i) < bytes.endIndex, bytes[bytes.index(after: i)] == 10 {
                    i = bytes.index(after: i)
                }
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        lines.append(text[start...])
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }
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

    /// The diagnostic for `error` raised while running `source` (or the source it names).
    init(_ error: LanguageError, in running: Source, severity: String = "error") {
        let source = error.source ?? running
        self.init(
            file: source.file, error: error, sourceLine: error.location.flatMap { source.line($0.line) },
            severity: severity)
    }

    public var description: String {
        if error == .interrupted { return error.message }
        // An empty file name (the REPL) leaves out where: the line is shown anyway.
        // (A file's name with control characters in it is shown escaped, as a line is: an
        // escape sequence in a name went to the terminal.)
        let file = self.file.escaped()
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
            // (Under the column's character however wide those before it show: a Chinese
            // character takes two columns.)
            let before: Int = String(shown.prefix(min(location.column - 1, chars.count) - start)).columns
            text += "\n" + String(repeating: " ", count: prefix.count + before) + "^"
        }
        for call in error.calls {
            // (At the prompt, where a cell has no file name, its line.)
            let place =
                call.source.file.isEmpty
                ? "line \(call.location.line): " : "\(call.source.file.escaped()):\(call.location.line):\(call.location.column): "
            let line = call.source.line(call.location.line).map { String($0.drop { $0 == " " || $0 == "\t" }.prefix(100)) } ?? ""
            text += "\n  in \(call.function), called from \(place)\(line)" + (call.times > 1 ? "  (\(call.times) times)" : "")
        }
        if error.callsLeftOut > 0 { text += "\n  (and \(error.callsLeftOut) calls more, out from these)" }
        return text
    }
}

/// A file's bytes as text, after checking that they are UTF-8. Decoded without the check, a
/// byte that is not (a file saved as Latin-1, say, or not text at all) becomes U+FFFD
/// without a word wherever the lexer does not look: inside a string or a comment.
public struct NotUTF8: Error, Sendable {
    /// Where the first such byte is: its line, and its column in characters.
    public let location: SourceLocation
    public let byte: UInt8
    /// The line it is on, with it shown as U+FFFD.
    public let line: String

    /// Whether the file starts with UTF-16's byte-order mark (Windows' "Unicode" files).
    public let isUTF16: Bool

    /// "byte 0xE9 is not UTF-8 text"
    public var what: String {
        isUTF16
            ? "this file is UTF-16 (it starts with the bytes 0xFF 0xFE or 0xFE 0xFF), not UTF-8 text"
            : "byte 0x" + String(byte, radix: 16, uppercase: true) + " is not UTF-8 text"
    }

    /// The text of `bytes`, or where the first byte that is not UTF-8 is.
    public static func text(of bytes: [UInt8]) -> Result<String, NotUTF8> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        if bytes.count >= 2, (bytes[0], bytes[1]) == (0xFF, 0xFE) || (bytes[0], bytes[1]) == (0xFE, 0xFF) {
            return .failure(NotUTF8(location: SourceLocation(line: 1, column: 1), byte: bytes[0], line: "", isUTF16: true))
        }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0  // (of the first byte not yet read as part of a character)
        reading: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: break reading
            case .emptyInput: return .success(String(decoding: bytes, as: UTF8.self))  // (not reached: it was not valid)
            }
        }
        // Lines end as `Source.split` ends them: at "\n", "\r\n" or a lone "\r".
        var number = 1, start = 0, i = 0
        while i < offset {
            if bytes[i] == 10 || bytes[i] == 13 {
                if bytes[i] == 13, i + 1 < offset, bytes[i + 1] == 10 { i += 1 }
                number += 1
                start = i + 1
            }
            i += 1
        }
        var end = offset
        while end < bytes.count, bytes[end] != 10, bytes[end] != 13 { end += 1 }
        let column = String(decoding: bytes[start..<offset], as: UTF8.self).count + 1
        return .failure(
            NotUTF8(
                location: SourceLocation(line: number, column: column), byte: bytes[offset],
                line: String(decoding: bytes[start..<end], as: UTF8.self), isUTF16: false))
    }

    /// The error as `micrograd run` shows it, for the file named `file`.
    public func diagnostic(file: String) -> Diagnostic {
        Diagnostic(
            file: file,
            error: LanguageError(
                isUTF16
                    ? "\(what): save it as UTF-8; none of it ran"
                    : "\(what): save the file as UTF-8 (it may be in another encoding, such as Latin-1, or not be text at all); none of it ran",
                at: location),
            sourceLine: isUTF16 ? nil : line)
    }
}
