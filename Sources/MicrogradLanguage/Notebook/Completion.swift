/// What Tab can complete at a place in a line, worked out from the session's names.
public struct Completion: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// `candidates` are the possible words.
        case words
        /// A file path: the front end lists the files that start with `prefix`.
        case files
    }

    public var kind: Kind
    /// Where the word being completed starts, as a character offset in the line.
    public var start: Int
    /// The part of the word already typed.
    public var prefix: String
    /// Every word that could go there, sorted (for `.words`).
    public var candidates: [String]
    /// The word the typed prefix already means, if it means one (a command prefix runs the
    /// first command it starts): the list of candidates says so.
    public var preferred: String?

    public init(kind: Kind, start: Int, prefix: String, candidates: [String], preferred: String? = nil) {
        self.kind = kind
        self.start = start
        self.prefix = prefix
        self.candidates = candidates
        self.preferred = preferred
    }

    /// The longest text every candidate starts with.
    public static func commonPrefix(_ words: [String]) -> String {
        guard var common = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(common) { common.removeLast() }
        }
        return common
    }
}

extension Session {
    /// Commands that take a file path as one word, and which of their arguments it is (0
    /// for the first after the command): `:svg L FILE` completes L as a name and FILE as a
    /// file. (`:load`'s file is the rest of the line: see `completions`.)
    static let fileArguments: [String: Int] = ["save": 0, "save!": 0, "dot": 1, "svg": 1, "png": 1]

    /// What Tab should offer with the cursor at character `cursor` of `line`.
    public func completions(line: String, cursor: Int) -> Completion {
        let chars = Array(line.prefix(cursor))
        var start = chars.count
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

        let trimmed = String(chars).drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix(":") {
            let afterColon = trimmed.dropFirst()
            if !afterColon.contains(" ") {
                let prefix = String(afterColon)
                let preferred = prefix.isEmpty ? nil : (try? Command.find(prefix, inLesson: inLesson).get())?.name
                return Completion(
                    kind: .words, start: chars.count - prefix.count, prefix: prefix,
                    candidates: Self.commandNames.filter { $0.hasPrefix(prefix) }.sorted(), preferred: preferred)
            }
            let name = String(afterColon.prefix { $0 != " " })
            let resolved = (try? Command.find(name, inLesson: inLesson).get())?.name ?? name
            if resolved == "load" {
                // :load takes the rest of the line, spaces and all, as its file's name (a
                // folder with a space in its name stopped completion at the space).
                var from = chars.prefix { $0 == " " || $0 == "\t" }.count + 1 + name.count
                while from < chars.count && chars[from] == " " { from += 1 }
                return Completion(kind: .files, start: from, prefix: String(chars[from...]), candidates: [])
            }
            while start > 0 && chars[start - 1] != " " { start -= 1 }
            let prefix = String(chars[start...])
            let argument =
                afterColon.drop { $0 != " " }.split(separator: " ", omittingEmptySubsequences: true).count
                - (prefix.isEmpty ? 0 : 1)
            if Self.fileArguments[resolved] == argument {
                return Completion(kind: .files, start: start, prefix: prefix, candidates: [])
            }
            if resolved == "lesson" {
                // Lessons by name: 01-derivatives is offered as 'derivatives'.
                let names = lessons.map { String($0.name.drop { $0.isNumber || $0 == "-" }) }
                return Completion(
                    kind: .words, start: start, prefix: prefix,
                    candidates: names.filter { $0.hasPrefix(prefix) }.sorted())
            }
            if resolved == "help" {
                return Completion(
                    kind: .words, start: start, prefix: prefix,
                    candidates: (Self.commandNames + Builtin.allCases.map(\.rawValue)).filter { $0.hasPrefix(prefix) }.sorted())
            }
            // Other commands take Values: complete names.
            return Completion(
                kind: .words, start: start, prefix: prefix,
                candidates: valueNames().filter { $0.hasPrefix(prefix) })
        }

        while start > 0 && isWordChar(chars[start - 1]) { start -= 1 }
        let prefix = String(chars[start...])
        if start > 0 && chars[start - 1] == "." {
            // An attribute: work out what the path before the dot names, without running calls.
            var baseStart = start - 1
            var depth = 0
            while baseStart > 0 {
                let c = chars[baseStart - 1]
                if c == "]" {
                    depth += 1
                } else if c == "[" {
                    if depth == 0 { break }; depth -= 1
                } else if depth == 0 && !(isWordChar(c) || c == ".") {
                    break
                }
                baseStart -= 1
            }
            let baseText = String(chars[baseStart..<(start - 1)])
            guard !baseText.isEmpty, let expr = try? Parser.expression(baseText, at: SourceLocation(line: 1, column: 1)),
                expr.isPlainPath,
                let base = try? interpreter.evaluate(expr, Context(environment: nil, source: Source(file: "", text: baseText)))
            else {
                return Completion(kind: .words, start: start, prefix: prefix, candidates: [])
            }
            // (A Value's __add__ and the like only once a _ is typed, as IPython offers them.)
            let methods = Interpreter.methods(of: base).filter { prefix.hasPrefix("_") || !$0.hasPrefix("__") }
            // (A Value's and a network's methods take nothing, but their operators: whole, with
            // "()". Others take arguments: "(", as Python's completer gives, so that what is
            // typed next goes inside; random.sample() put it after.)
            let takesNothing: Bool = {
                switch base {
                case .value, .network: true
                default: false
                }
            }()
            let words =
                Interpreter.attributes(of: base) + methods.map { takesNothing && !$0.hasPrefix("__") ? $0 + "()" : $0 + "(" }
            return Completion(
                kind: .words, start: start, prefix: prefix,
                candidates: words.filter { $0.hasPrefix(prefix) }.sorted())
        }
        let words = Set(names.keys).union(Builtin.allCases.map(\.rawValue)).union(Self.completedKeywords)
        return Completion(
            kind: .words, start: start, prefix: prefix,
            candidates: words.filter { $0.hasPrefix(prefix) }.sorted())
    }

    /// The keywords Tab offers: the ones that start statements and expressions.
    static let completedKeywords = [
        "for", "in", "if", "else", "elif", "while", "def", "return", "lambda", "import",
        "True", "False", "None", "and", "or", "not", "break", "continue", "pass",
    ]

    private func valueNames() -> [String] {
        names.filter { if case .value = $0.value { true } else { false } }.keys.sorted()
    }
}

extension Expr {
    /// Names, attributes and literal indexes only: safe to evaluate for completion.
    var isPlainPath: Bool {
        switch kind {
        case .name: true
        case .attribute(let base, _): base.isPlainPath
        case .index(let base, let i): base.isPlainPath && i.kind.isNumberLiteral
        default: false
        }
    }
}
