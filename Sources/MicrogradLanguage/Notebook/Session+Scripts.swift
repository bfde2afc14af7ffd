extension Session {
    /// Runs a file as `micrograd run` does, as `runFile`; a `:load` of the same file
    /// within it (by any name) is refused, as is a `:save!` onto it. `identity` is the
    /// file's when its name is not a path (standard input redirected from a file).
    public func runTopFile(_ text: String, file: String, identity: String? = nil) -> Bool {
        topFile = identity ?? host.fileIdentity(file)
        fileFolders = [identity == nil ? Self.folder(of: file) : ""]
        defer {
            topFile = nil
            fileFolders = []
        }
        return runFile(text, file: file)
    }

    /// The folder part of a path ("" for a bare name; "/" for one at the root).
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Runs a file: a script, or — for a name ending in `.md` — a lesson or a saved notebook,
    /// whose cells (and exercises' solutions) run in order, with errors at the file's lines.
    @discardableResult
    public func runFile(_ text: String, file: String) -> Bool {
        guard file.hasSuffix(".md") else { return runScript(text, file: file) }
        if let error = Self.tooLargeToRead(text, file: file, memoryLeft: host.memoryLeft) {
            report(error, in: Source(file: file, text: ""))
            return false
        }
        let lesson: Lesson
        do throws(LanguageError) {
            lesson = try Lesson.parse(text, name: String(file.dropLast(3)))
        } catch {
            report(error, in: Source(file: file, text: text))
            return false
        }
        // Every line but the code blanked out, so that each keeps its own line number.
        var lines = Array(repeating: "", count: Source.split(text).count)
        for step in lesson.steps {
            let (code, first) = step.exercise.map { ($0.solution, $0.solutionLine) } ?? (step.code ?? "", step.codeLine)
            for (k, line) in Source.split(code).enumerated() where first - 1 + k < lines.count { lines[first - 1 + k] = String(line) }
        }
        return runScript(lines.joined(separator: "\n"), file: file)
    }

    /// Bytes of memory that reading a script may take for each byte of it (measured: 167 for a
    /// list of a million 1s, 141 for blank lines, 92 for short statements; and, for a line
    /// in error of a million `[a],`, 300, and for five million brackets deep, 320).
    static let readingCost = 350

    /// The error for a script or lesson too large to read in the memory `memoryLeft`: reading
    /// takes up to `readingCost` bytes for each of its own (its lines, their tokens, and the
    /// statements made of them). Asked before the text is even split into lines: a file of 9
    /// million newlines stopped the program with "failed to allocate" in the splitting.
    public static func tooLargeToRead(_ text: String, file: String, memoryLeft: Int?) -> LanguageError? {
        let size = text.utf8.count
        guard size > 1 << 16, let left = memoryLeft, size * readingCost > left - Interpreter.memoryMargin else { return nil }
        return LanguageError(
            "\(file) is \(size >= 1 << 20 ? "\(size >> 20) MB" : "\(size >> 10) KB"), and reading it takes up to \(readingCost) times that, more than the \(max(0, left >> 20)) MB of memory left; split it into smaller files"
        )
    }

    /// Runs a whole script (a file, a pipe, a lesson's cell) statement by statement: each
    /// runs as soon as it is read, and the statements after one with an error still run.
    /// Returns false if any statement reported an error. Ctrl-C stops it where it is.
    ///
    /// Everything here is linear in the script's length: its lines are scanned once, and
    /// where each statement ends is found from the bracket depths without reading again.
    @discardableResult
    public func runScript(_ text: String, file: String) -> Bool {
        // A byte-order mark (some editors on Windows start a file with one) is not text.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        if let error = Self.tooLargeToRead(text, file: file, memoryLeft: host.memoryLeft) {
            report(error, in: Source(file: file, text: ""))
            return false
        }
        let source = Source(file: file, text: text)
        if text.utf8.contains(0) {  // (by bytes: a search by String costs 20 times as much)
            report(LanguageError("\(file) holds NUL bytes: it looks like a binary file, not a script"), in: source)
            return false
        }
        let (lines, open) = Lexer.scan(lines: source.lines)
        let layout = ScriptLayout(lines)
        let base = lines.first { !$0.isBlank }?.indentation ?? 0
        // A script run on its own (not by :load, not a lesson's cell) is kept for :save.
        let keep = loading.isEmpty && !keepingForNotebook && runDepth == 0
        if loading.isEmpty && runDepth == 0 { interruptionReported = false }
        var ok = true
        var i = 0
        // (This file's own errors: those of a file it loads are that file's, and the
        // :load's one error for them is this file's.)
        let outerErrors = errorsReported
        errorsReported = 0
        defer {
            errorsReported = outerErrors
            interpreter.flushOutput()
            if loading.isEmpty { compactIfLarge() }
        }
        while i < lines.count {
            if lines[i].isBlank {
                i += 1
                continue
            }
            if errorsReported >= Self.scriptErrorLimit {
                // (A file that is not a notebook at all, /etc/passwd say, would otherwise
                // give an error for every line.)
                report(
                    LanguageError(
                        "stopped after \(Self.scriptErrorLimit) errors, before line \(i + 1) of \(lines.count); is \(file.isEmpty ? "this" : file) a notebook file?"
                    ), in: source)
                return false
            }
            if host.isInterrupted {
                report(.interrupted, in: source, line: i + 1)
                return false
            }
            if lines[i].tokens.first?.kind.isSymbol(":") == true, let line = source.line(i + 1) {
                let done = keepingInNotebook(line, if: keep) { runCommand(line, line: i + 1, in: source) }
                ok = done && ok
                // (A command stopped by Ctrl-C has said so at its line; the next line has
                // not run, and is not to be reported as interrupted too.)
                if !done && host.isInterrupted { return false }
                if keep { checkExercise() }
                i += 1
                if wantsToQuit { return ok }
                continue
            }
            let end = layout.statementEnd(from: i)
            if lines[i].indentation > base {
                report(
                    LanguageError(
                        "this line is indented, but no block opens above it (a line ending in ':'); Python's 'unexpected indent'",
                        at: SourceLocation(line: i + 1, column: 1)), in: source)
                ok = false
                i = end
                continue
            }
            if let open, open.start.line - 1 < end, open.start.line - 1 >= i {
                report(Parser.unclosed(open), in: source)
                return false
            }
            var statements: [Statement] = []
            do throws(LanguageError) {
                if end == i + 1, i < source.lines.count, let request = Self.helpRequest(String(source.lines[i])) {
                    // `x?` on a line of its own is IPython's help(x), in a file as at the prompt.
                    statements = try Parser.parse(request, firstLine: i + 1, source: source)
                } else {
                    var parser = Parser(TokenStream(lines, i..<end), source: source)
                    while parser.peek != .eof { statements += try parser.statement() }
                }
            } catch {
                ok = false
                let logicalEnd = layout.logicalLineEnd(from: i)
                // A bracket that nothing below closes (`def f(x:`) swallowed every line after
                // it: that is the mistake, said at the bracket, as Python's "'(' was never
                // closed". (The parser's error was about some later line, read as inside it;
                // and going on from the next line gave an error for each line of the block.)
                // The lines indented under it go with it.
                if logicalEnd - i > 1, let bracket = layout.neverClosed(from: i, to: logicalEnd) {
                    report(
                        LanguageError(
                            "this '\(bracket.symbol)' is never closed, so the lines after it were read as inside it; close it where it should end (the file goes on from the next statement)",
                            at: bracket.location), in: source)
                    let header = lines[i].indentation
                    i += 1
                    while i < lines.count && (lines[i].isBlank || lines[i].indentation > header) { i += 1 }
                    continue
                }
                report(error, in: source)
                // Most often a bracket was never closed and swallowed the lines after it:
                // say so, and carry on from the line after the one that opened it.
                if logicalEnd - i > 1 && lines[i].bracketDelta > 0 {
                    report(
                        LanguageError(
                            "a bracket opened on line \(i + 1) was still open, so lines \(i + 1)–\(logicalEnd) were read as one statement; going on from line \(i + 2)"
                        ), in: source, severity: "note")
                    i += 1
                } else {
                    i = end
                }
                continue
            }
            var stop = false
            let chunk =
                !keep
                ? ""
                : end == i + 1 && i < source.lines.count
                    ? String(source.lines[i])
                    : source.lines[i..<min(end, source.lines.count)].joined(separator: "\n")
            ok =
                keepingInNotebook(chunk, if: keep) {
                    for statement in statements {
                        do throws(LanguageError) {
                            try interpreter.run(statement, in: source)
                        } catch {
                            report(error, in: source, line: statement.location.line)
                            stop = error == .interrupted
                            return wantsToQuit  // (exit() unwinding is no failure)
                        }
                        if wantsToQuit { break }
                    }
                    return true
                } && ok
            if stop { return false }
            if keep { checkExercise() }
            if wantsToQuit { return ok }
            if loading.isEmpty { compactIfLarge() }
            i = end
        }
        return ok
    }
}

/// Where statements start and end in a script's scanned lines, from the bracket depths
/// alone: a logical line runs on while a bracket it opened is still open (or a line ends
/// with a backslash), and a compound statement takes the more indented lines below it.
struct ScriptLayout {
    let lines: [ScannedLine]
    /// For each line i, the first line j ≥ i at whose end the brackets open before line i
    /// are all that is open (or fewer): where a logical line starting at i ends.
    private var closes: [Int]

    init(_ lines: [ScannedLine]) {
        self.lines = lines
        // depthBefore[k] is the bracket depth at the start of line k (k = lines.count: the end).
        var depthBefore = [0]
        for line in lines { depthBefore.append(depthBefore.last! + line.bracketDelta) }
        // The next k > i with depthBefore[k] <= depthBefore[i], by a stack kept increasing.
        closes = Array(repeating: lines.count, count: lines.count)
        var stack: [Int] = []
        for k in stride(from: lines.count, through: 0, by: -1) {
            while let top = stack.last, depthBefore[top] > depthBefore[k] { stack.removeLast() }
            if k < lines.count { closes[k] = (stack.last ?? lines.count + 1) - 1 }
            stack.append(k)
        }
    }

    /// The bracket that kept the logical line from line `i` to `end` open: the innermost one
    /// opened on line `i` that is still open after them (a later line's open bracket is a
    /// mistake of its own, said when the file goes on to it), or else the innermost of all.
    func neverClosed(from i: Int, to end: Int) -> (symbol: Symbol, location: SourceLocation)? {
        var open: [(symbol: Symbol, location: SourceLocation)] = []
        for line in lines[i..<end] {
            for token in line.tokens {
                guard case .symbol(let s) = token.kind else { continue }
                if s == "(" || s == "[" || s == "{" {
                    open.append((s, token.location))
                } else if s == ")" || s == "]" || s == "}", !open.isEmpty {
                    open.removeLast()
                }
            }
        }
        return open.last { $0.location.line == lines[i].tokens.first?.location.line } ?? open.last
    }

    /// The line after the logical line that starts at line `i`.
    func logicalLineEnd(from i: Int) -> Int {
        var j = Swift.min(closes[i], lines.count - 1)
        while j < lines.count - 1 && lines[j].continues { j = Swift.min(closes[j + 1], lines.count - 1) }
        return j + 1
    }

    /// The line after the top-level statement that starts at line `i`: its logical line,
    /// and for a compound statement its block and any elif, else lines after it.
    func statementEnd(from i: Int) -> Int {
        var end = logicalLineEnd(from: i)
        guard isCompound(i) else { return end }
        let base = lines[i].indentation
        var j = end
        while j < lines.count {
            if lines[j].isBlank {
                j += 1
                continue
            }
            if lines[j].indentation > base || (lines[j].indentation == base && continuesCompound(j)) {
                j = logicalLineEnd(from: j)
                end = j
            } else {
                break
            }
        }
        return end
    }

    // (Switches, not `[…].contains`: an array literal is built anew on every call, and
    // these are asked about every line of a script.)
    private func isCompound(_ i: Int) -> Bool {
        guard case .keyword(let word)? = lines[i].tokens.first?.kind else { return false }
        switch word {
        case "def", "if", "for", "while", "class", "try", "with": return true
        default: return Self.isContinuation(word)
        }
    }

    private func continuesCompound(_ j: Int) -> Bool {
        guard case .keyword(let word)? = lines[j].tokens.first?.kind else { return false }
        return Self.isContinuation(word)
    }

    static func isContinuation(_ word: String) -> Bool {
        switch word {
        case "elif", "else", "except", "finally": true
        default: false
        }
    }
}

/// Collects lines typed at a prompt into chunks to run, by Python's interactive rules: a
/// line on its own, or several while a bracket is open or a line ends with a backslash,
/// and a block (a line ending in ':') up to the blank line after it.
public struct LineBuffer {
    /// Lines to run together, and the number of the first.
    public typealias Chunk = (text: String, firstLine: Int)
    public private(set) var pending = ""
    private var firstLine = 1
    private var lineNumber = 0
    private var depth = 0
    private var open: OpenString?
    private var continues = false
    private var isBlock = false
    /// Lines of the open block after its first (its body so far; not blank lines or
    /// comments).
    private var bodyLines = 0
    /// The last statement in the block: the indentation of its first line, and whether
    /// its last line ends in ':' (it opens a block of its own; a header may span lines, as
    /// `if (x >` … `1):` does).
    private var lastCode: (indentation: Int, opens: Bool)?
    /// The indentation of the first line of the statement being typed.
    private var statementIndentation = 0

    public init() {}

    /// Whether a chunk has started and waits for more lines.
    public var isContinuing: Bool { !pending.isEmpty }

    /// Adds the next line; returns the chunks it completes (none, or one; two when a line
    /// typed at the margin ends a block and is a statement of its own). A blank line ends a
    /// block, unless it was `pasted`: a cell pasted from a notebook or a tutorial often has
    /// blank lines inside its blocks, and ending the block there would run the rest of its
    /// body on its own. (A pasted block ends at the next blank line typed.)
    ///
    /// A line typed at the margin (not `else:` and the like, nor a comment) ends a block
    /// too, as it would in a script: the block is a chunk, and the line starts the next.
    /// (Python's prompt refuses such a line; kept in the block, it and every line after it
    /// waited for a blank line, and a learner took them for run.) Right after the block's
    /// first line, the line is where its body was missing: the chunk ends with it, and is
    /// refused with that mistake.
    public mutating func add(_ line: String, pasted: Bool = false) -> [Chunk] {
        lineNumber += 1
        let isBlank = line.allSatisfy(\.isWhitespace)
        if isBlock && !pasted && depth == 0 && open == nil && !continues && Self.startsAtMargin(line) {
            if bodyLines == 0 {
                pending += "\n" + line
                return flush().map { [$0] } ?? []
            }
            let block = flush()
            lineNumber = 0
            return (block.map { [$0] } ?? []) + add(line)
        }
        let wasBlock = isBlock
        if pending.isEmpty {
            if isBlank { return [] }
            firstLine = lineNumber
            pending = line
        } else {
            pending += "\n" + line
        }
        if !isBlock && depth == 0 && open == nil && !continues && line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix(":") {
            return flush().map { [$0] } ?? []  // a command is always one line
        }
        let wasInside = depth > 0 || open != nil || continues
        let scanned = Lexer.scan(Substring(line), number: lineNumber, open: &open)
        if wasBlock && !scanned.isBlank { bodyLines += 1 }  // (a comment is no body)
        if !wasInside && !scanned.isBlank {
            // A typed line indented deeper than the code above it, which opens no block, is
            // refused at once, as Python's prompt refuses it (it waited for the block's end,
            // and was then reported as though no block were open).
            if wasBlock && !pasted, let last = lastCode, !last.opens, scanned.indentation > last.indentation {
                return flush().map { [$0] } ?? []
            }
            statementIndentation = scanned.indentation
        }
        // (A string left open by the end of its line ends the chunk, brackets open or not:
        // `print("hi` waited at `...` for a closing bracket, taking the lines after it in.)
        if scanned.hasUnclosedString && !scanned.continues { return flush().map { [$0] } ?? [] }
        depth = Swift.max(0, depth + scanned.bracketDelta)
        continues = scanned.continues
        let statementEnds = depth == 0 && open == nil && !continues
        if statementEnds && !scanned.isBlank { lastCode = (statementIndentation, scanned.endsWithColon) }
        // (A header may end a statement begun lines above: `for x in [1,` … `2]:`.)
        if statementEnds && scanned.endsWithColon {
            // A block typed indented at the prompt is refused at once, as Python's prompt
            // does, not after its body and a blank line have been typed.
            if !wasBlock && !pasted && pending == line && line.first?.isWhitespace == true { return flush().map { [$0] } ?? [] }
            isBlock = true
        }
        if !statementEnds { return [] }
        if isBlock && (!isBlank || pasted) { return [] }
        return flush().map { [$0] } ?? []
    }

    /// Whether `line` is a statement at the margin: not blank, not indented, not a comment,
    /// and not a part of a compound statement (`else:`, `elif …:`, `except`, `finally:`).
    private static func startsAtMargin(_ line: String) -> Bool {
        guard let first = line.first, !first.isWhitespace, first != "#" else { return false }
        let word = line.prefix { $0.isLetter || $0.isNumber || $0 == "_" }  // (else_ = 3 is a name)
        return !ScriptLayout.isContinuation(String(word))
    }

    /// Whatever is pending, complete or not (at the end of the input), without the blank
    /// line that ended a block.
    public mutating func flush() -> Chunk? {
        defer { discard() }
        var lines = pending.split(separator: "\n", omittingEmptySubsequences: false)
        while lines.count > 1, lines.last!.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return pending.isEmpty ? nil : (lines.joined(separator: "\n"), firstLine)
    }

    /// Drops a half-typed chunk (Ctrl-C at a continuation prompt).
    public mutating func discard() {
        pending = ""
        depth = 0
        open = nil
        continues = false
        isBlock = false
        bodyLines = 0
        lastCode = nil
    }
}
