import Micrograd

/// One `:` command: its name, how it is used, what it does (for `:help`), and the code that
/// does it. Every command is one of these in `Command.all`, which help, completion and
/// dispatch all read, so a command cannot be listed but missing.
struct Command: Sendable {
    let name: String
    let usage: String
    let summary: String
    let details: String
    let example: String
    /// How many arguments it takes, when that is all there is to check.
    var arguments: ClosedRange<Int>? = nil
    /// Whether it forgets work: it then runs only when typed in full, never from a prefix.
    var isDestructive = false
    /// Whether it finds the way around (lessons, help) rather than computes: `:save`
    /// leaves it out of the notebook it writes.
    var isNavigation = false
    /// Whether what it prints depends on the terminal's width (a picture, a folded table).
    var drawsToWidth = false
    let run: @Sendable (Session, CommandCall) throws(LanguageError) -> Void

    /// Every command. The order matters: a prefix means the first command it starts, as in
    /// GHCi (so :g is :grad, the one a learner types most, and :s is :step).
    static let all: [Command] = [
        .grad, .backward, .zero, .nudge, .check, .step, .train, .graph, .dot, .svg, .png, .plot, .explain,
        .backstep, .stop, .topo, .vars, .reset, .load, .save, .saveReplacing, .seed, .lessons, .lesson, .next, .back, .again,
        .where, .help, .hint, .solution, .skip, .quit,
    ]

    /// The command a line runs, if it is a command line (`:name …`, perhaps indented).
    static func on(_ line: Substring, inLesson: Bool) -> Command? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let word = String(trimmed.dropFirst().prefix { $0 != " " && $0 != "\t" })
        guard trimmed.first == ":", case .success(let command) = find(word, inLesson: inLesson) else { return nil }
        return command
    }

    /// Whether a chunk typed at the prompt belongs in the notebook `:save` writes: any
    /// statement, and any command but those that find the way around.
    static func belongsInNotebook(_ text: String, inLesson: Bool) -> Bool {
        // A statement (the usual case) is known from its first character.
        guard let first = text.utf8.first(where: { $0 > 32 }) else { return false }
        guard first == UInt8(ascii: ":") else { return true }
        guard let line = Source.split(text).first(where: { !$0.allSatisfy(\.isWhitespace) }), let command = on(line, inLesson: inLesson)
        else { return false }
        return !command.isNavigation
    }

    /// The commands that move through a lesson: in one, a prefix means these first (:n is
    /// :next there, not :nudge; :b is :back, not :backward, which would change the grads).
    static let stepping: [Command] = [.next, .back, .again, .where]

    /// The command `word` names: itself, or the first command in `all` it is a prefix of
    /// (in a lesson, the first of `stepping`, if it is a prefix of one).
    static func find(_ word: String, inLesson: Bool) -> Result<Command, LanguageError> {
        if let exact = all.first(where: { $0.name == word }) { return .success(exact) }
        if !word.isEmpty, inLesson, let step = stepping.first(where: { $0.name.hasPrefix(word) }) { return .success(step) }
        if !word.isEmpty, let first = all.first(where: { $0.name.hasPrefix(word) }) {
            guard !first.isDestructive else {
                return .failure(LanguageError(":\(word) would be :\(first.name) (\(first.summary)), which runs only when typed in full"))
            }
            return .success(first)
        }
        var message = ":\(word) is not a command"
        if let guess = Suggestions.closest(to: word, among: all.map(\.name), limit: 2) {
            message += "; did you mean :\(guess)?"
        } else {
            message += "; :help lists them"
        }
        return .failure(LanguageError(message))
    }

    /// Runs the command on `line`.
    static func run(_ line: CommandLine, in session: Session, source: Source) throws(LanguageError) {
        guard !line.name.isEmpty else {
            throw LanguageError("a command name goes after ':'; :help lists them", at: line.location)
        }
        let command: Command
        switch find(line.name, inLesson: session.inLesson) {
        case .success(let found): command = found
        case .failure(var error):
            error.location = line.location
            throw error
        }
        let call = CommandCall(line: line, command: command, source: source)
        if let range = command.arguments { try call.arity(range) }
        try command.run(session, call)
    }
}

/// A command being run: its line, and where it is.
struct CommandCall {
    let line: CommandLine
    let command: Command
    let source: Source

    var words: [CommandLine.Word] { line.words }
    var location: SourceLocation { line.location }

    /// The usage error, at the first word too many (or at the command).
    func usage(at word: CommandLine.Word? = nil) -> LanguageError {
        LanguageError("usage: \(command.usage)", at: word?.location ?? location)
    }

    func arity(_ range: ClosedRange<Int>) throws(LanguageError) {
        guard range.contains(words.count) else {
            throw usage(at: words.count > range.upperBound ? words[range.upperBound] : nil)
        }
    }
}

// MARK: - Reading a command's arguments

extension Session {
    /// The object a command's argument names (any expression, read where it stands).
    func object(_ word: CommandLine.Word, _ source: Source) throws(LanguageError) -> Object {
        let expr = try Parser.expression(word.text, at: word.location)
        interpreter.markStackBase()
        return try interpreter.evaluate(expr, Context(environment: nil, source: source))
    }

    func value(_ word: CommandLine.Word, _ source: Source) throws(LanguageError) -> Value {
        if word.text.first == "#", let id = Int32(word.text.dropFirst()) { return try numbered(id, at: word.location) }
        let object = try object(word, source)
        guard case .value(let v) = object else {
            throw LanguageError("\(word.text) is \(object.kindName), not a Value", at: word.location)
        }
        return v
    }

    func number(_ word: CommandLine.Word, _ source: Source) throws(LanguageError) -> Double {
        guard let x = try object(word, source).plainNumber.double else {
            throw LanguageError("\(word.text) is not a number", at: word.location)
        }
        guard x.isFinite else { throw LanguageError("\(word.text) is not a finite number", at: word.location) }
        return x
    }

    /// Whether a lesson is open: a short command then means the lesson's own first (see
    /// `Command.find`), wherever a command is looked up.
    var inLesson: Bool { state.lesson != nil }

    /// The Value a command works on: the one named, else the last root, else the last name assigned.
    func rootValue(_ word: CommandLine.Word?, _ call: CommandCall) throws(LanguageError) -> Value {
        if let word { return try value(word, call.source) }
        if let lastRoot = interpreter.lastRoot, Int(lastRoot.id) < graph.count { return lastRoot }
        if let lastAssigned = interpreter.lastAssigned, case .value(let v)? = names[lastAssigned] { return v }
        // (The command's own example: :nudge's root comes third, :nudge a 0.0001 L.)
        let name = call.command.name
        let example = call.command.example.split(separator: "\n").first { $0.hasPrefix(":\(name) ") }.map(String.init) ?? ":\(name) L"
        throw LanguageError("which Value? name it, as in \(example)", at: call.location)
    }

    // MARK: Naming and describing nodes

    /// A node's name in tables: its label, its number for an unlabelled leaf, else how it
    /// was made; or, if that is long, its number in the graph, #N, which a command takes.
    func name(of v: Value) -> String {
        let text = expression(for: v, depth: 0)
        guard text.count > 24 else { return text }
        if numbersShown.moved != nodesMoved { numbersShown = (nodesMoved, []) }
        numbersShown.ids.insert(v.id)
        return "#\(v.id)"
    }

    /// Why `root` does not depend on `leaf`, when the reason is a name given a new Value
    /// after `root` was built from the old one (`f = 3.0` after `L = d * f`): `root` still
    /// has a leaf labelled with the name, which :topo shows. Else "".
    func rebuiltNameNote(_ word: String, leaf: Value, root: Value) -> String {
        guard root.leaves.contains(where: { $0.label == word && $0 != leaf }) else { return "" }
        let rootName = name(of: root)
        return
            ": the name \(word) holds a new Value now, not the \(word) that \(rootName) was built from (which :topo \(rootName) still shows); run \(rootName)'s line again to build it from the new one"
    }

    /// The node a command was given as #N: one `name(of:)` showed since the nodes last
    /// moved (a compaction or :reset numbers them anew, and an old number would be taken
    /// for another node).
    func numbered(_ id: Int32, at location: SourceLocation) throws(LanguageError) -> Value {
        guard numbersShown.moved == nodesMoved, numbersShown.ids.contains(id), Int(id) < graph.count else {
            throw LanguageError(
                "#\(id) is not a node shown by its number since the nodes were last numbered anew (a compaction or :reset does that); show it again (:topo, :graph), or name it: L = …, then use L",
                at: location)
        }
        return Value(graph: graph, id: id)
    }

    /// How a node was made, written out from its inputs' names: `x1*w1 + x2*w2`.
    private func expression(for v: Value, depth: Int) -> String {
        if let label = v.label, !label.isEmpty { return label.escaped() }
        if v.op == .leaf { return v.data.pythonDescription }
        if depth > 3 { return "…" }
        let inputs = v.inputs.map { input -> String in
            let text = expression(for: input, depth: depth + 1)
            // Parenthesise an unlabelled sum inside a product or power.
            let isSum = input.label == nil && input.op == .add
            return isSum && v.op != .add ? "(" + text + ")" : text
        }
        return switch v.op {
        case .add: inputs[0] + " + " + inputs[1]
        case .mul: inputs[0] + "*" + inputs[1]
        case .pow: inputs[0] + v.opName
        case .custom: v.opName + "(" + inputs.joined(separator: ", ") + ")"
        default: v.op.symbol + "(" + inputs[0] + ")"
        }
    }

    func describe(_ v: Value) -> String {
        let made = v.op == .leaf ? "leaf" : "\(v.opName) of " + v.inputs.map(name(of:)).joined(separator: ", ")
        return "\(name(of: v)) = \(v.data.pythonDescription)  (\(made))"
    }

    /// A node's name as a term in a formula: parenthesised if it is itself a formula, or a
    /// negative number (`∂L/∂(-2.0)`, `(-2.0).grad`). A number's exponent is not a minus
    /// (`1e-05`).
    static func grouped(_ name: String) -> String {
        let plain =
            name.first != "-"
            && (name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "#" || $0 == "." } || Double(name) != nil)
        return plain ? name : "(" + name + ")"
    }
}
