import Micrograd

// The session itself: starting over, files, the seed, help, leaving.
extension Command {
    static let reset = Command(
        name: "reset", usage: ":reset", summary: "forget every name and start a fresh graph",
        details:
            "Forgets every name, Value, function and network, the lesson and :backstep in progress and the last training run, and starts the random generator again from the seed. Because it forgets your work (and :save keeps only what came after it), it runs only when typed in full, and at the prompt only when typed twice in a row: the first says what it would forget.",
        example: ":reset", arguments: 0...0, isDestructive: true, isNavigation: true
    ) { session, _ throws(LanguageError) in
        // At the prompt, with work to lose, it is not done at once: it forgot everything, with
        // no undo, and Tab completes it.
        let names = session.nameCount
        if session.isInteractive && names > 0 {
            // (A file :load-ed at the prompt is not the learner asking: it wiped their work.)
            guard session.loading.isEmpty else {
                throw LanguageError(
                    "a file loaded at the prompt does not :reset the session (it would forget the work you typed); type :reset yourself if you want it"
                )
            }
            // Typed, it asks, and goes ahead when typed again as the very next chunk.
            if session.runningTyped && session.resetAskedAt != session.typedChunks - 1 {
                session.resetAskedAt = session.typedChunks
                session.emit(
                    .result,
                    ":reset forgets \(names == 1 ? "the 1 name" : "all \(names) names") and what :save would write; type :reset again to go ahead"
                )
                return
            }
        }
        session.emit(.result, session.resetState())
    }

    static let load = Command(
        name: "load", usage: ":load FILE", summary: "run a file's statements in this session",
        details:
            "Runs every line of FILE as if typed here; the names it defines stay. Errors are shown with the file's line numbers, and the rest of the file still runs. Inside a file, a relative FILE is looked for beside that file first, then in the current folder.",
        example: ":load examples/neuron.mg"
    ) { session, call throws(LanguageError) in
        guard let path = call.line.rest(from: 0) else { throw call.usage() }
        try session.load(path.fileName, at: path.location)
    }

    static let seed = Command(
        name: "seed", usage: ":seed N", summary: "the random seed for the weights of new networks",
        details:
            "Networks made after this, and random's functions, draw from a generator seeded with N, as random.seed(N) seeds it: the same seed gives the same weights every time, and the same numbers as Python's random.seed(N). The session starts with seed 1337.",
        example: ":seed 42\nn = MLP(3, [4, 4, 1])", arguments: 1...1
    ) { session, call throws(LanguageError) in
        // (A whole number, kept as the session's seed: :reset starts from it again.)
        guard let n = try session.object(call.words[0], call.source).exactInteger else {
            throw LanguageError("a seed is a whole number, as in :seed 1337", at: call.words[0].location)
        }
        session.interpreter.seed = n
        session.interpreter.generator = PythonRandom(seed: n)
    }

    static let help = Command(
        name: "help", usage: ":help [COMMAND]", summary: "this list, or one command in full",
        details:
            "Without an argument, lists the commands, the notation and the built-in functions. With one, explains that command with an example.",
        example: ":help nudge", arguments: 0...1, isNavigation: true
    ) { session, call throws(LanguageError) in
        guard let word = call.words.first else {
            session.emit(.result, Command.overview)
            return
        }
        let topic = word.text.hasPrefix(":") ? String(word.text.dropFirst()) : word.text
        switch Command.find(topic, inLesson: session.inLesson) {
        case .success(let command):
            let example = command.example.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            session.emit(.result, "\(command.usage)\n\n\(wrapped(command.details))\n\nExample:\n\(example)")
        case .failure(var error):
            if let b = Builtin(rawValue: topic) {
                session.emit(.result, b.usage)
                return
            }
            // Python's own words: what the notebook does with each (`:help def`).
            if let text = Command.keywordHelp[topic] ?? Parser.refusals[topic] {
                session.emit(.result, wrapped(text))
                return
            }
            error.location = word.location
            throw error
        }
    }

    static let quit = Command(
        name: "quit", usage: ":quit", summary: "leave (Ctrl-D does the same)",
        details: "Ends the session.", example: ":quit", arguments: 0...0, isNavigation: true
    ) { session, _ throws(LanguageError) in
        session.quitRequested = true
    }

    /// What `:help` says of the Python keywords the notebook takes (those it refuses say
    /// what the parser says when it meets them).
    static let keywordHelp: [String: String] = [
        "def":
            "def name(x, y=1.0): starts a function, with its body indented under it, as in Python, and return gives its result. At the prompt each line of the body follows a ... prompt, and a blank line ends the function. A function can be defined inside another (a closure; nonlocal and global work as in Python). To make an operation of your own, make its result with Value(data, (self, other), 'op'), give it out._backward = a function of no arguments that adds to the inputs' grads, and return it: :check then tests that _backward.",
        "lambda": "lambda x: 3*x**2 - 4*x + 5 is a function of one expression, as in Python: f = lambda x: …, or map(lambda x: x*2, xs).",
        "return":
            "return ends a function and gives its result: return x, or return a, b for a tuple; a function that ends without one gives None.",
        "for":
            "for x in xs: runs the indented block under it once for each item of a list, tuple, range, string, dict (its keys) or set; for i, x in enumerate(xs): and for a, b in zip(xs, ys): unpack. break, continue and else work as in Python. Ctrl-C stops a loop between rounds and keeps what it did.",
        "while":
            "while test: runs the indented block under it as long as test is true; break, continue and else work as in Python. Ctrl-C stops it and keeps what it did.",
        "if": "if test:, elif test: and else: run the first block whose test is true, as in Python; x if test else y is the one-line form.",
        "import":
            "import math and import random bring in those modules (math.exp, math.tanh, math.log, math.sqrt, math.pi …; random.uniform, random.seed …). Other modules are not part of the notebook.",
        "global": "global x, inside a def, makes assignments to x change the name outside every function, as in Python.",
        "nonlocal": "nonlocal x, inside a def inside another, makes assignments to x change the x of the function around it, as in Python.",
        "del": "del x forgets the name x; del xs[i] and del d[key] remove an item, as in Python.",
        "assert": "assert test, 'message' stops with the message when test is false, as in Python.",
        "pass": "pass does nothing: a block that must hold a statement, as in Python.",
        "break": "break leaves the innermost for or while loop at once.",
        "continue": "continue goes on to the next round of the innermost for or while loop.",
    ]

    static let overview: String = {
        let commands = columns(Command.all.map { ["  " + $0.usage, $0.summary] })
        return """
            Type Python as in the tutorial; a Value prints as Value(data=...).
              a = 2.0            at the top level a float you write out becomes a Value labelled a
                                 (a computed one, lr = 1 - 0.9*k/100, stays a float)
              e = a*b + c        + - * / ** and ( ); -2**2 is -4, as in Python
              def f(x):          blocks, if/elif/else, for, while, return, lambda, as in Python
                  return 3*x**2 - 4*x + 5
              f(x) = 3*x**2 - 4*x + 5      the notebook's one-line function; then f(3.0)
              a.data, a.grad, a.label      read or set; a.data += 0.01 * a.grad
              o = n.tanh(); o.backward()   also exp log relu sigmoid, as functions or methods
              n = MLP(3, [4, 4, 1])        a network; n([2.0, 3.0, -1.0]); n.parameters()
              loss = sum((n(xs) - ys)**2)  lists with - * / ** (and + or * with a number) go
                                           element by element, where Python would refuse
              [n(x) for x in xs]           comprehensions; import math, import random; f-strings
              x? or help(x)                what x is
            \(wrapped("Built-ins: " + Builtin.allCases.map(\.rawValue).joined(separator: " "), width: 90, continuation: "  "))

            Commands (a prefix is enough: it means the first command below that starts with it,
            so :gr is :grad and :grap is :graph; in a lesson, :n is :next and :b is :back;
            :reset only in full):
            \(commands)

            :help COMMAND explains one, with an example.
            """
    }()
}

extension Session {
    /// Forgets everything `:reset` forgets, and says what that was.
    /// How many names the learner has bound (`_`, the last result, is not one of theirs).
    var nameCount: Int { interpreter.globals.keys.filter { $0 != "_" }.count }

    func resetState() -> String {
        let old = state!
        let nodes = old.interpreter.graph.count, count = nameCount
        var cleared = ["\(count) name\(count == 1 ? "" : "s")", "\(nodes) node\(nodes == 1 ? "" : "s")"]
        if old.lesson != nil { cleared.append("the lesson in progress") }
        if old.backstep != nil { cleared.append("the :backstep") }
        if !old.lossHistory.isEmpty { cleared.append("the last training run") }
        state = State(interpreter: Interpreter(seed: old.interpreter.seed, limits: old.interpreter.limits, console: self))
        sizeAfterCompaction = 0
        nodesMoved += 1
        let list = cleared.count > 1 ? cleared.dropLast().joined(separator: ", ") + " and " + cleared.last! : cleared[0]
        return "forgot \(list); networks draw their weights from seed \(old.interpreter.seed) again"
    }

    /// The names of every command, for completion.
    public static var commandNames: [String] { Command.all.map(\.name) }

    /// Runs a file into the session; errors are reported with its line numbers.
    func load(_ written: String, at location: SourceLocation) throws(LanguageError) {
        // A relative path in a file is that file's neighbour, as an include is, wherever
        // `micrograd run` was started; failing that (or at the prompt), the current folder's.
        var path = written
        var lookedBeside: String?
        if let folder = fileFolders.last, !folder.isEmpty, !written.hasPrefix("/"), !written.hasPrefix("~") {
            let beside = (folder == "/" ? "" : folder) + "/" + written
            if host.fileIdentity(beside) != nil { path = beside } else { lookedBeside = folder }
        }
        let identity = host.fileIdentity(path) ?? path
        guard !loading.contains(identity) && topFile != identity else {
            throw LanguageError(
                "\(path) is already being loaded (it loads itself, directly or through another file); a file runs once at a time",
                at: location)
        }
        guard loading.count < 8 else { throw LanguageError("files load each other more than 8 deep", at: location) }
        let bytes: [UInt8]
        do throws(HostError) {
            bytes = try host.readFile(path, limit: 10 << 20)
        } catch {
            if error.isInterruption { throw .interrupted }
            let also = lookedBeside.map { " (looked in \($0), the running file's folder, and in the current folder)" } ?? ""
            throw LanguageError("cannot load \(path): \(error.reason(for: path))\(also)", at: location)
        }
        let decoded = NotUTF8.text(of: bytes)
        // (Said here once: run, it would say so and then that the lines without errors ran.
        // UTF-16 text holds NULs too, and is said to be UTF-16.)
        if case .failure(let problem) = decoded, problem.isUTF16 {
            throw LanguageError("cannot load \(path): \(problem.what); save it as UTF-8 (nothing in it ran)", at: location)
        }
        if bytes.contains(0) {
            throw LanguageError("cannot load \(path): it holds NUL bytes, so it is a binary file, not a notebook or a script", at: location)
        }
        loading.append(identity)
        fileFolders.append(Self.folder(of: path))
        defer {
            loading.removeLast()
            fileFolders.removeLast()
        }
        // At the prompt, a file's :quit or exit() ends the file, not the session (as
        // IPython's %run): the learner's work stays. (`micrograd run` ends, as Python would.)
        // The file typed at the prompt ends, with every file it is loading: the one it
        // loaded went on after an inner file's exit().
        let wasQuitting = wantsToQuit
        defer {
            if isInteractive && wantsToQuit && !wasQuitting && loading.count == 1 {
                quitRequested = false
                interpreter.wantsToQuit = false
                say("\(path) asked to quit; that ends the file, and the session goes on (:quit leaves)")
            }
        }
        let text: String
        switch decoded {
        case .success(let decoded): text = decoded
        case .failure(let problem):
            throw LanguageError(
                "cannot load \(path): at line \(problem.location.line), column \(problem.location.column), \(problem.what); save it as UTF-8 (nothing in it ran)",
                at: location)
        }
        if !runFile(text, file: path) {
            if host.isInterrupted { throw .interrupted }
            throw LanguageError("\(path) had errors (shown above); the lines without errors ran", at: location)
        }
    }
}
