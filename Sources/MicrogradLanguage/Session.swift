import Micrograd

/// One learner's notebook: the names they defined, the graph their Values live on, and
/// everything needed to run what they type next. It does no terminal I/O: text goes in
/// through `run`, and what it prints comes out through `write`.
///
/// ```swift
/// let session = Session()
/// session.write = { kind, text in print(text) }
/// session.run("a = 2.0; b = -3.0; L = a*b")
/// session.run(":grad L")
/// ```
public final class Session {
    /// What a line of output is, so a front end can route and colour it.
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

    /// Where output goes. By default it is dropped.
    public var write: (OutputKind, String) -> Void = { _, _ in }
    /// Checked between steps of long work (loops, `:train`, `:check`); return true to stop it.
    public var isInterrupted: () -> Bool = { false }
    /// Reads a file for `:load` (10 MB at most, by default).
    public var readFile: (String) throws -> String = { path in try readTextFile(path, maxBytes: 10 << 20) }
    /// Set by `:quit`.
    public internal(set) var wantsToQuit = false

    /// The names the learner has bound, and what to.
    public internal(set) var names: [String: Object] = [:]
    /// The graph every Value of this session lives on.
    public internal(set) var graph = Graph()
    var seed: UInt64
    var generator: SeededGenerator
    /// The parameters of every network made in this session (`:step` and `:train` move them).
    var modelParameters: Set<Int32> = []
    /// The root of the last `:grad` or `:backward`, and the last name assigned.
    var lastRoot: Value?
    var lastAssigned: String?
    /// How deep evaluation has gone (user functions calling user functions).
    var evaluationDepth = 0
    /// How deep user functions are calling each other right now.
    var callDepth = 0
    /// The graph's size when the running statement began.
    var statementStart = 0
    /// Past this many nodes, the session copies what it still uses to a fresh graph.
    public var compactionThreshold = 2_000_000
    /// The graph's size after the last compaction (the next waits until it has doubled).
    var sizeAfterCompaction = 0
    /// The most nodes one statement may add to the graph (about 25 bytes each).
    public var maxNodesPerStatement = 20_000_000
    /// How many `:load`s are running inside each other.
    var loadDepth = 0

    /// The chapters `:lessons` lists (the ones built into the program, unless replaced).
    public lazy var lessons: [Lesson] = Lesson.bundled
    /// How many steps of each lesson the learner has seen, by lesson name.
    public var progress: [String: Int] = [:]
    /// Called when `progress` changes, so a front end can save it.
    public var onProgress: ([String: Int]) -> Void = { _ in }
    var lessonState: LessonState?

    /// Columns to draw pictures in (a front end sets the terminal's width).
    public var width = 100
    /// Whether pictures may use Unicode box-drawing and braille characters.
    public var unicode = true
    /// Whether someone is at the keyboard (then :backstep waits for Enter between steps).
    public var isInteractive = false
    /// Writes a file for `:dot` (by default through a temporary file renamed into place).
    public var writeFile: (String, String) throws -> Void = { text, path in try writeFileAtomically(text, to: path) }
    /// Renders DOT source to a picture file for `:svg` and `:png` (by default with Graphviz).
    public var render: (String, String, String) throws -> Void = { source, format, path in
        try renderWithGraphviz(source, format, path)
    }
    /// The loss at each step of the last `:train`, for `:plot loss`.
    var lossHistory: [Double] = []
    var backstepState: BackstepState?

    /// The lines of the text being run, for showing the line an error is on.
    var sourceLines: [Int: String] = [:]
    var file = "<input>"

    /// A new session; networks get their weights from a generator started at `seed`.
    public init(seed: UInt64 = 1337) {
        self.seed = seed
        generator = SeededGenerator(seed: seed)
    }

    // MARK: Running text

    /// Whether `text` is unfinished: an open `(` or `[`, so the next line continues it.
    public static func needsMoreInput(_ text: String) -> Bool {
        if text.trimmingLeadingSpaces.hasPrefix(":") { return false }
        var depth = 0
        for line in text.split(separator: "\n") {
            var quote: Character?
            for c in line {
                if let q = quote {
                    if c == q { quote = nil }
                    continue
                }
                if c == "#" { break }
                switch c {
                case "\"", "'": quote = c
                case "(", "[": depth += 1
                case ")", "]": depth -= 1
                default: break
                }
            }
        }
        return depth > 0
    }

    /// Runs a whole script, line by line, joining lines while a bracket is open; the
    /// lines after an error still run. Returns false if any line reported an error.
    @discardableResult
    public func runScript(_ text: String, file: String) -> Bool {
        if text.contains("\0") {
            self.file = file
            report(LanguageError("\(file) holds NUL bytes: it looks like a binary file, not a script"))
            return false
        }
        var ok = true
        // (A Windows line end "\r\n" is one Character, which a split at "\n" would not see.)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewlineForScripts).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var i = 0
        while i < lines.count {
            if isInterrupted() {
                self.file = file
                report(LanguageError.interrupted)
                return false
            }
            // A chunk is one line, or several while a bracket is open.
            let first = i
            var chunk = lines[i]
            i += 1
            while Self.needsMoreInput(chunk) && i < lines.count {
                chunk += "\n" + lines[i]
                i += 1
            }
            defer { if loadDepth == 0 { compactIfLarge() } }
            switch runChunk(chunk, file: file, firstLine: first + 1) {
            case .ok: break
            case .failed: ok = false
            case .syntaxError:
                ok = false
                // Most often a bracket was never closed and swallowed the lines after it:
                // say so, and carry on from the line after the one that opened it.
                if i - first > 1 {
                    report(LanguageError("a bracket opened on line \(first + 1) was still open, so lines \(first + 1)–\(i) were read as one statement; going on from line \(first + 2)"), severity: "note")
                    i = first + 1
                }
            }
            if wantsToQuit { return ok }
        }
        return ok
    }

    /// Runs one chunk of text (a line, or lines joined because brackets were open) that
    /// starts on line `firstLine` of `file`. Returns false if it reported an error.
    @discardableResult
    public func run(_ text: String, file: String = "<input>", firstLine: Int = 1) -> Bool {
        defer { compactIfLarge() }
        return runChunk(text, file: file, firstLine: firstLine) == .ok
    }

    enum Outcome { case ok, syntaxError, failed }

    func runChunk(_ text: String, file: String, firstLine: Int) -> Outcome {
        self.file = file
        sourceLines = [:]
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewlineForScripts).enumerated() {
            sourceLines[firstLine + i] = String(line)
        }
        do {
            let trimmed = text.trimmingLeadingSpaces
            if trimmed.hasPrefix(":") {
                let column = text.count - trimmed.count + 1
                try command(String(trimmed.dropFirst()), at: SourceLocation(line: firstLine, column: column))
                return .ok
            }
            let statements: [Statement]
            do {
                statements = try Parser.parse(text, firstLine: firstLine)
            } catch {
                report(error)
                return .syntaxError
            }
            for statement in statements { try execute(statement) }
            return .ok
        } catch {
            report(error)
            return .failed
        }
    }


    func report(_ error: LanguageError, severity: String = "error") {
        let diagnostic = Diagnostic(file: file, error: error,
                                    sourceLine: error.location.flatMap { sourceLines[$0.line] },
                                    severity: severity)
        write(severity == "error" ? .error : .warning, diagnostic.description)
    }

    func warn(_ message: String, at location: SourceLocation?) {
        report(LanguageError(message, at: location), severity: "warning")
    }

    // MARK: Statements

    func execute(_ statement: Statement) throws(LanguageError) {
        let mark = graph.count
        statementStart = mark
        do {
            try perform(statement)
        } catch {
            // A failed statement binds nothing, so the nodes it made can go (not so for a
            // loop, whose earlier rounds may have bound them).
            if case .loop = statement.kind {} else if graph.count > mark, !referencesNodes(from: mark) {
                graph.truncate(to: mark)
                // A network made by the failed statement is gone too: its ids will be reused
                // by new nodes, which must not be taken for parameters by :step and :train.
                modelParameters = modelParameters.filter { Int($0) < mark }
            }
            throw error
        }
    }

    /// Whether any binding or remembered root refers to a node made at `mark` or later.
    func referencesNodes(from mark: Int) -> Bool {
        if let r = lastRoot, Int(r.id) >= mark { return true }
        return names.values.contains { $0.refersToNodes(from: mark) }
    }

    private func perform(_ statement: Statement) throws(LanguageError) {
        switch statement.kind {
        case .expression(let e):
            let result = try evaluate(e)
            warnIfNotFinite(result, at: e.location)
            if case .none = result { return }
            write(.result, result.echo)
        case .assignment(let target, let op, let valueExpr):
            try assign(target, op: op, valueExpr, at: statement.location)
        case .function(let name, let parameters, let body):
            if let builtin = Builtin(rawValue: name) {
                warn("'\(name)' was a built-in (\(builtin.usage)); it now means your function", at: statement.location)
            }
            names[name] = .function(UserFunction(name: name, parameters: parameters, body: body))
        case .loop(let targets, let iterableExpr, let body):
            let items = try iterate(try evaluate(iterableExpr), at: iterableExpr.location)
            for item in items {
                try checkInterrupt()
                for (name, value) in try unpack(item, into: targets, at: statement.location) {
                    names[name] = value
                }
                for s in body { try perform(s) }
            }
        }
    }

    /// Called between steps of long work: stops it on Ctrl-C, or when one statement has
    /// recorded more nodes than memory should hold.
    func checkInterrupt() throws(LanguageError) {
        if isInterrupted() { throw LanguageError.interrupted }
        if graph.count - statementStart > maxNodesPerStatement {
            throw LanguageError("this statement made more than \(maxNodesPerStatement) nodes, the most one statement may; split the work up, or train on a fixed graph with :train")
        }
    }

    private func warnIfNotFinite(_ result: Object, at location: SourceLocation) {
        let bad = result.numbers.filter { !$0.isFinite }
        guard let first = bad.first else { return }
        let what = first.isNaN ? "nan (not a number: 0/0, log of a negative, a fractional power of a negative…)"
            : "\(first.pythonDescription) (too large for a Double, or a division by zero)"
        warn("the result is \(what)", at: location)
    }

    private func assign(_ target: Expr, op: String?, _ valueExpr: Expr, at location: SourceLocation,
                        value given: Object? = nil) throws(LanguageError) {
        var value: Object
        if let given { value = given } else { value = try evaluate(valueExpr) }
        switch target.kind {
        case .name(let name):
            if let op {
                guard let current = names[name] else {
                    throw LanguageError("'\(name)' has no value yet, so '\(op)=' has nothing to add to", at: target.location)
                }
                value = try arithmetic(op, current, value, at: location)
            }
            if case .none = value {
                throw LanguageError("\(valueExpr) gives nothing to assign", at: valueExpr.location)
            }
            if !value.isValue, case .number(let x) = value.plainNumber { value = .value(Value(x, in: graph)) }
            if case .value(let v) = value, v.label == nil { v.label = name }
            warnIfNotFinite(value, at: valueExpr.location)
            names[name] = value
            lastAssigned = name
        case .attribute(let baseExpr, let attribute):
            let base = try evaluate(baseExpr)
            guard case .value(let v) = base else {
                throw LanguageError("only a Value's data, grad and label can be set, not an attribute of \(base.kindName)", at: target.location)
            }
            try setAttribute(attribute, of: v, to: value, op: op, at: target.location)
        case .list(let targets):
            let names = targets.compactMap { if case .name(let n) = $0.kind { n } else { nil } }
            // Unlike a loop's single name, [a] = 3 must not bind the whole value to a.
            guard case .list(let items) = value, items.count == names.count else {
                throw LanguageError("cannot split \(value.kindName) into \(names.count) name\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", ")))", at: valueExpr.location)
            }
            for (name, part) in zip(names, items) {
                try assign(Expr(kind: .name(name), location: target.location), op: nil,
                           Expr(kind: .name("\u{0}value"), location: valueExpr.location), at: location, value: part)
            }
        case .index(let baseExpr, let indexExpr):
            if case .name(let name) = baseExpr.kind, names[name] == nil {
                _ = try lookup(name, in: Scope(), at: baseExpr.location)    // says it is not defined
            }
            guard case .name(let name) = baseExpr.kind, case .list(var items)? = names[name] else {
                throw LanguageError("only an item of a list held by a name can be set, as in xs[0] = 1.0", at: target.location)
            }
            let i = try listIndex(try evaluate(indexExpr), count: items.count, at: indexExpr.location)
            if let op { value = try arithmetic(op, items[i], value, at: location) }
            items[i] = value
            names[name] = .list(items)
        default:
            throw LanguageError("cannot assign to \(target)", at: target.location)
        }
    }

    private func setAttribute(_ attribute: String, of v: Value, to value: Object, op: String?,
                              at location: SourceLocation) throws(LanguageError) {
        switch attribute {
        case "data", "grad":
            var number: Double
            guard case .number(let x) = value.plainNumber else {
                throw LanguageError("\(attribute) takes a number, not \(value.kindName)", at: location)
            }
            number = x
            let current = attribute == "data" ? v.data : v.grad
            if let op {
                guard case .number(let x) = try arithmetic(op, .number(current), .number(number), at: location) else { return }
                number = x
            }
            if attribute == "data" { v.data = number } else { v.grad = number }
            if !number.isFinite { warn("\(attribute) is now \(number.pythonDescription)", at: location) }
        case "label":
            guard op == nil else { throw LanguageError("a label can only be set with '=', as in a.label = 'a'", at: location) }
            guard case .string(let s) = value else {
                throw LanguageError("a label is text in quotes, as in a.label = 'a'", at: location)
            }
            v.label = s
        default:
            throw LanguageError("a Value's \(attribute) cannot be set; only data, grad and label can", at: location)
        }
    }

    // MARK: Helpers shared with expressions and commands

    func iterate(_ object: Object, at location: SourceLocation) throws(LanguageError) -> [Object] {
        guard case .list(let items) = object else {
            throw LanguageError("a loop needs a list (such as range(10) or xs), not \(object.kindName)", at: location)
        }
        return items
    }

    func unpack(_ item: Object, into targets: [String], at location: SourceLocation) throws(LanguageError) -> [(String, Object)] {
        if targets.count == 1 { return [(targets[0], item)] }
        guard case .list(let parts) = item, parts.count == targets.count else {
            throw LanguageError("cannot split \(item.kindName) into \(targets.count) names (\(targets.joined(separator: ", ")))", at: location)
        }
        return Array(zip(targets, parts))
    }

    func listIndex(_ index: Object, count: Int, at location: SourceLocation) throws(LanguageError) -> Int {
        guard case .number(let x) = index.plainNumber, x == x.rounded(), abs(x) < 1e15 else {
            throw LanguageError("a list index is a whole number, not \(index.kindName)", at: location)
        }
        let i = Int(x) < 0 ? Int(x) + count : Int(x)
        guard 0 <= i && i < count else {
            throw LanguageError("index \(Int(x)) is out of range for a list of \(count) items", at: location)
        }
        return i
    }
}

extension Object {
    /// A number as itself, a Value as its data; anything else unchanged.
    var plainNumber: Object {
        switch self {
        case .value(let v): .number(v.data)
        case .integer(let i): .number(Double(i))
        default: self
        }
    }

    func refersToNodes(from mark: Int) -> Bool {
        switch self {
        case .value(let v): Int(v.id) >= mark
        case .list(let items): items.contains { $0.refersToNodes(from: mark) }
        case .model(let m): m.parameters().contains { Int($0.id) >= mark }
        case .layer(let l): l.parameters().contains { Int($0.id) >= mark }
        case .neuron(let n): n.parameters().contains { Int($0.id) >= mark }
        default: false
        }
    }
}

extension Character {
    /// Where a script's lines end: "\n", or "\r\n" (which Swift counts as one Character).
    var isNewlineForScripts: Bool { self == "\n" || self == "\r\n" }
}

extension String {
    var trimmingLeadingSpaces: Substring { drop { $0 == " " || $0 == "\t" } }
}

/// Collects lines into chunks to run: a line on its own, or several while a `(` or `[` is
/// still open.
public struct LineBuffer {
    public private(set) var pending = ""
    private var firstLine = 1
    private var lineNumber = 0

    public init() {}

    /// Whether a chunk has started and waits for more lines.
    public var isContinuing: Bool { !pending.isEmpty }

    /// Adds the next line; returns a chunk when one is complete.
    public mutating func add(_ line: String) -> (text: String, firstLine: Int)? {
        lineNumber += 1
        if pending.isEmpty { firstLine = lineNumber; pending = line } else { pending += "\n" + line }
        return Session.needsMoreInput(pending) ? nil : flush()
    }

    /// Whatever is pending, complete or not (at the end of the input).
    public mutating func flush() -> (text: String, firstLine: Int)? {
        defer { pending = "" }
        return pending.isEmpty ? nil : (pending, firstLine)
    }

    /// Drops a half-typed chunk (Ctrl-C at a continuation prompt).
    public mutating func discard() { pending = "" }
}

// MARK: - Keeping memory in check

extension Session {
    /// Between statements, once the graph is large, copies only the nodes that names (and
    /// networks, the last root, a :backstep in progress) still use to a new graph and drops
    /// the rest: a graph only grows, and a long session would otherwise keep every
    /// expression it ever built.
    func compactIfLarge() {
        guard graph.count > compactionThreshold, graph.count > 2 * sizeAfterCompaction else { return }
        var roots = Array(modelParameters)
        func collect(_ object: Object) {
            switch object {
            case .value(let v): roots.append(v.id)
            case .list(let items): items.forEach(collect)
            case .model, .layer, .neuron: roots += Self.parameters(of: object).map(\.id)
            default: break
            }
        }
        names.values.forEach(collect)
        if let lastRoot { roots.append(lastRoot.id) }
        if let state = backstepState { roots += [state.root.id] + state.pending.map(\.id) }
        let (copy, newIndex) = graph.compacted(keeping: roots)
        func moved(_ object: Object) -> Object {
            switch object {
            case .value(let v): v.moved(to: copy, newIndex).map(Object.value) ?? .none
            case .list(let items): .list(items.map(moved))
            case .model(let m): m.moved(to: copy, newIndex).map(Object.model) ?? .none
            case .layer(let l): l.moved(to: copy, newIndex).map(Object.layer) ?? .none
            case .neuron(let n): n.moved(to: copy, newIndex).map(Object.neuron) ?? .none
            default: object
            }
        }
        names = names.mapValues(moved)
        modelParameters = Set(modelParameters.compactMap(newIndex))
        lastRoot = lastRoot?.moved(to: copy, newIndex)
        if let state = backstepState, let root = state.root.moved(to: copy, newIndex) {
            backstepState = BackstepState(root: root, pending: state.pending.compactMap { $0.moved(to: copy, newIndex) }, step: state.step)
        }
        graph = copy
        sizeAfterCompaction = graph.count
    }
}
