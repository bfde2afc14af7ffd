import Micrograd

/// The `:` commands: what each takes, and the help that explains it.
struct CommandInfo {
    let name: String
    let usage: String
    let summary: String
    let details: String
    let example: String

    static let all: [CommandInfo] = [
        CommandInfo(name: "grad", usage: ":grad [L]", summary: "zero L's grads, backward from L, and show every node",
                    details: "Sets every grad in L's graph to 0, runs backward from L, and prints a table of every node L depends on: its name (its label, or how it was made), the op that made it ('leaf' for a value you typed), its data, and its grad, which is dL/d(node).",
                    example: "a = 2.0; b = -3.0; L = a*b\n:grad L"),
        CommandInfo(name: "backward", usage: ":backward [L]", summary: "backward from L, exactly like L.backward()",
                    details: "Sets L's grad to 1 and adds every node's share of dL/d(node) to its grad, as micrograd does. Grads accumulate: running it twice doubles them, so use :zero (or :grad) for a fresh start.",
                    example: ":backward L"),
        CommandInfo(name: "zero", usage: ":zero [L]", summary: "set grads to 0 (L's graph, or every Value)",
                    details: "With L, zeroes the grad of L and of every node L depends on; alone, zeroes every grad in the session.",
                    example: ":zero L"),
        CommandInfo(name: "nudge", usage: ":nudge a h [L]", summary: "nudge a by h and compare the slope of L with its gradient",
                    details: "Adds h to a's data, re-runs L's forward pass, and prints L before and after, the slope (L2 - L1)/h beside the gradient dL/da that backward gives, and their difference. Then puts a back as it was. a must be a leaf (a value you typed). Without L it uses the root of the last :grad or :backward, else the last name you assigned.",
                    example: ":nudge a 0.0001 L"),
        CommandInfo(name: "check", usage: ":check [L]", summary: "check backward against finite differences for every leaf",
                    details: "For every leaf of L's graph, compares dL/d(leaf) from backward with the central difference (L(x+h) - L(x-h))/2h, h = 1e-6, and prints one line per leaf with the relative error and whether it passes (relative error below 1e-4).",
                    example: ":check L"),
        CommandInfo(name: "step", usage: ":step LR [L]", summary: "data += LR*grad on L's named leaves, re-run L (LR < 0 descends)",
                    details: "Moves every leaf of L's graph that has a name (and every network parameter) by LR times its grad, re-runs the forward pass, and prints L before -> after. A positive LR climbs L; a negative LR descends, which is what training does. Run :grad L first so the grads are fresh.",
                    example: ":grad L\n:step 0.01 L"),
        CommandInfo(name: "train", usage: ":train [L] STEPS [LR]", summary: "STEPS rounds of forward, zero, backward, data -= LR*grad",
                    details: "Trains on L's graph as it stands: each step re-runs the forward pass, zeroes the grads, runs backward, and moves every network parameter and named leaf by -LR*grad (so a positive LR descends). LR is a number or an expression in the step number k, such as 1 - 0.9*k/100; it is 0.05 if left out. Progress is printed as it goes; Ctrl-C stops after the current step, leaving the parameters where they got to.",
                    example: "n = MLP(3, [4, 4, 1])\nloss = sum((n(xs) - ys)**2)\n:train loss 100 0.05"),
        CommandInfo(name: "graph", usage: ":graph [L] [--ascii]", summary: "draw L's graph: each value a box, each operation a node",
                    details: "Draws L's graph left to right, as the tutorial's pictures do: each value a box 'label | data | grad', each operation a small node joining its inputs. A value used twice is drawn once and pointed back to. A graph of more than 60 nodes gets a summary instead; :dot and :svg draw those.",
                    example: ":grad L\n:graph L"),
        CommandInfo(name: "dot", usage: ":dot [L] [FILE]", summary: "L's graph in Graphviz's DOT language",
                    details: "Prints (or writes to FILE) L's graph for Graphviz: a record per value { label | data | grad } and a node per operation, left to right, as the tutorial draws it.",
                    example: ":dot L graph.dot"),
        CommandInfo(name: "svg", usage: ":svg L FILE", summary: "draw L's graph as an SVG picture (needs Graphviz)",
                    details: "Runs Graphviz's dot on L's graph and writes an SVG file you can open in a browser. Says how to install Graphviz if it is missing.",
                    example: ":svg L graph.svg"),
        CommandInfo(name: "png", usage: ":png L FILE", summary: "draw L's graph as a PNG picture (needs Graphviz)",
                    details: "Like :svg, but writes a PNG image.", example: ":png L graph.png"),
        CommandInfo(name: "plot", usage: ":plot f LO HI", summary: "plot a function; :plot loss and :plot n xs ys draw training",
                    details: "':plot f -5 5' draws a function of one number (yours or a built-in such as tanh) with braille dots, axes and the zero line. ':plot loss' draws the loss at each step of the last :train. ':plot n xs ys' shades where a two-input network scores above 0 and marks the data points.",
                    example: "f(x) = 3*x**2 - 4*x + 5\n:plot f -5 5"),
        CommandInfo(name: "explain", usage: ":explain a [L]", summary: "the chain rule from L down to a, path by path",
                    details: "Lists every path from L down to a, with each edge's local derivative written out (the other factor of a product, 1 for a sum, 1 - o² for tanh, ...), the product along each path, and the sum over all paths, which is dL/da, the grad backward gives.",
                    example: ":explain a L"),
        CommandInfo(name: "backstep", usage: ":backstep [L]", summary: "run backward one node at a time",
                    details: "Zeroes L's grads, sets L.grad = 1, and then visits the nodes in backward's order, one per Enter (or :next): each step names the node, its grad, and the += it adds to each input. :stop ends early. In a script it runs to the end.",
                    example: ":backstep L"),
        CommandInfo(name: "stop", usage: ":stop", summary: "end a :backstep here",
                    details: "Ends a :backstep, leaving the grads as far as it got.", example: ":stop"),
        CommandInfo(name: "topo", usage: ":topo [L]", summary: "L's nodes in topological order",
                    details: "Lists every node L depends on, each after the nodes it was made from: the order backward visits them in, reversed.",
                    example: ":topo L"),
        CommandInfo(name: "vars", usage: ":vars", summary: "every name, with its data and grad",
                    details: "Lists the names you have defined: Values with their data and grad, functions, networks and lists.",
                    example: ":vars"),
        CommandInfo(name: "reset", usage: ":reset", summary: "forget every name and start a fresh graph",
                    details: "Forgets every name, Value, function and network, and starts the random generator again from the seed.",
                    example: ":reset"),
        CommandInfo(name: "load", usage: ":load FILE", summary: "run a file's statements in this session",
                    details: "Runs every line of FILE as if typed here; the names it defines stay. Errors are shown with the file's line numbers, and the rest of the file still runs.",
                    example: ":load examples/neuron.mg"),
        CommandInfo(name: "seed", usage: ":seed N", summary: "the random seed for the weights of new networks",
                    details: "Networks made after this start from a generator seeded with N, so the same seed gives the same weights every time. The session starts with seed 1337.",
                    example: ":seed 42\nn = MLP(3, [4, 4, 1])"),
        CommandInfo(name: "lessons", usage: ":lessons", summary: "the tutorial's chapters, with how far you got",
                    details: "Lists the lessons: the tutorial from a derivative to a trained network, one chapter each, with the steps you have seen.",
                    example: ":lessons"),
        CommandInfo(name: "lesson", usage: ":lesson N", summary: "start lesson N (or name part of its title)",
                    details: "Opens a lesson and shows its first step: some text, then a cell of code that runs as if you typed it. Enter on an empty line (or :next) goes on; you can type your own lines in between, and the names the lesson defines are yours to play with.",
                    example: ":lesson 1"),
        CommandInfo(name: "next", usage: ":next", summary: "the lesson's next step (Enter on an empty line does the same)",
                    details: "Shows the next text of the open lesson and runs its next cell.", example: ":next"),
        CommandInfo(name: "back", usage: ":back", summary: "show the lesson's previous step again",
                    details: "Shows the step before the last one again without running it; :again runs it, :next goes on from there.",
                    example: ":back"),
        CommandInfo(name: "again", usage: ":again", summary: "run the lesson's last cell again",
                    details: "Runs the cell of the step just shown once more (useful after changing a value).", example: ":again"),
        CommandInfo(name: "where", usage: ":where", summary: "which lesson and step you are at",
                    details: "Says which lesson is open and how many of its steps you have seen.", example: ":where"),
        CommandInfo(name: "help", usage: ":help [COMMAND]", summary: "this list, or one command in full",
                    details: "Without an argument, lists the commands, the notation and the built-in functions. With one, explains that command with an example.",
                    example: ":help nudge"),
        CommandInfo(name: "quit", usage: ":quit", summary: "leave (Ctrl-D does the same)",
                    details: "Ends the session.", example: ":quit"),
    ]

    /// The command `word` names: itself, or the first command in `all` it is a prefix of,
    /// as GHCi does (so :gr is :grad, the one a learner types most, and :grap is :graph).
    static func find(_ word: String) -> Result<CommandInfo, LanguageError> {
        if let exact = all.first(where: { $0.name == word }) { return .success(exact) }
        if !word.isEmpty, let first = all.first(where: { $0.name.hasPrefix(word) }) { return .success(first) }
        var message = ":\(word) is not a command"
        // (Names whose length differs by more than 2 cannot be within 2 edits, and comparing a
        // megabyte-long word with each would take seconds.)
        if let guess = all.map(\.name).filter({ abs($0.count - word.count) <= 2 })
            .min(by: { editDistance(word, $0) < editDistance(word, $1) }),
           editDistance(word, guess) <= 2 {
            message += "; did you mean :\(guess)?"
        } else {
            message += "; :help lists them"
        }
        return .failure(LanguageError(message))
    }
}

/// A word of a command line and the column it starts at.
struct Word {
    let text: String
    let location: SourceLocation
}

extension Session {
    /// The names of every command, for completion.
    public static var commandNames: [String] { CommandInfo.all.map(\.name) }

    func command(_ text: String, at start: SourceLocation) throws(LanguageError) {
        var words: [Word] = []
        var column = start.column + 1
        var current = "", currentStart = column
        for c in text {
            if c == " " || c == "\t" {
                if !current.isEmpty { words.append(Word(text: current, location: SourceLocation(line: start.line, column: currentStart))) }
                current = ""
                currentStart = column + 1
            } else {
                if current.isEmpty { currentStart = column }
                current.append(c)
            }
            column += 1
        }
        if !current.isEmpty { words.append(Word(text: current, location: SourceLocation(line: start.line, column: currentStart))) }
        guard let first = words.first else {
            throw LanguageError("a command name goes after ':'; :help lists them", at: start)
        }
        let info: CommandInfo
        switch CommandInfo.find(first.text) {
        case .success(let found): info = found
        case .failure(var error):
            error.location = start
            throw error
        }
        let args = Array(words.dropFirst())
        func arity(_ range: ClosedRange<Int>) throws(LanguageError) {
            guard range.contains(args.count) else {
                let at = args.count > range.upperBound ? args[range.upperBound].location : start
                throw LanguageError("usage: \(info.usage)", at: at)
            }
        }
        switch info.name {
        case "grad":
            try arity(0...1)
            let root = try rootValue(args.first, at: start)
            root.zeroGrad()
            root.backward()
            lastRoot = root
            write(.result, table(for: root))
        case "backward":
            try arity(0...1)
            let root = try rootValue(args.first, at: start)
            root.backward()
            lastRoot = root
            write(.result, "backward from \(name(of: root)): \(root.topologicalOrder().count) nodes now hold d\(name(of: root))/d(node); :grad shows them")
        case "zero":
            try arity(0...1)
            if let word = args.first {
                try value(word).zeroGrad()
            } else {
                graph.zeroGrad()
            }
        case "nudge":
            try arity(2...3)
            try nudge(leafWord: args[0], hWord: args[1], rootWord: args.count > 2 ? args[2] : nil, at: start)
        case "check":
            try arity(0...1)
            try check(try rootValue(args.first, at: start))
        case "step":
            try arity(1...2)
            let lr = try number(args[0])
            let root = try rootValue(args.count > 1 ? args[1] : nil, at: start)
            try step(root, learningRate: lr, at: start)
        case "train":
            try train(args, at: start)
        case "topo":
            try arity(0...1)
            let root = try rootValue(args.first, at: start)
            write(.result, root.topologicalOrder().map(describe).joined(separator: "\n"))
        case "vars":
            try arity(0...0)
            write(.result, variables())
        case "reset":
            try arity(0...0)
            names = [:]
            graph = Graph()
            generator = SeededGenerator(seed: seed)
            modelParameters = []
            lastRoot = nil
            lastAssigned = nil
        case "load":
            guard !args.isEmpty else { throw LanguageError("usage: \(info.usage)", at: start) }
            let path = String(text.drop { $0 == " " || $0 == "\t" }.dropFirst(first.text.count).drop { $0 == " " || $0 == "\t" })
            try load(path, at: args[0].location)
        case "seed":
            try arity(1...1)
            let n = try number(args[0])
            guard n >= 0, n == n.rounded(), n < 1.8e19 else {
                throw LanguageError("a seed is a whole number from 0 up", at: args[0].location)
            }
            seed = UInt64(n)
            generator = SeededGenerator(seed: seed)
        case "graph", "dot", "svg", "png", "plot", "explain", "backstep", "stop":
            try pictureCommand(info.name, args, at: start)
        case "next" where backstepState != nil:
            try backstep()
        case "lessons", "lesson", "next", "again", "back", "where":
            try arity(info.name == "lesson" ? 1...1 : 0...0)
            try lessonCommand(info.name, args, at: start)
        case "help":
            try arity(0...1)
            write(.result, try help(args.first))
        case "quit":
            try arity(0...0)
            wantsToQuit = true
        default:
            break
        }
    }

    // MARK: Arguments

    /// The object a command argument names (any expression without spaces).
    func object(_ word: Word) throws(LanguageError) -> Object {
        let expr = try Parser.expression(word.text, firstLine: word.location.line)
        return try evaluate(expr.shifted(by: word.location.column - 1))
    }

    func value(_ word: Word) throws(LanguageError) -> Value {
        let object = try object(word)
        guard case .value(let v) = object else {
            throw LanguageError("\(word.text) is \(object.kindName), not a Value", at: word.location)
        }
        return v
    }

    func number(_ word: Word) throws(LanguageError) -> Double {
        guard case .number(let x) = try object(word).plainNumber else {
            throw LanguageError("\(word.text) is not a number", at: word.location)
        }
        guard x.isFinite else { throw LanguageError("\(word.text) is not a finite number", at: word.location) }
        return x
    }

    /// The Value a command works on: the one named, else the last root, else the last name assigned.
    func rootValue(_ word: Word?, at location: SourceLocation) throws(LanguageError) -> Value {
        if let word { return try value(word) }
        if let lastRoot, Int(lastRoot.id) < graph.count { return lastRoot }
        if let lastAssigned, case .value(let v)? = names[lastAssigned] { return v }
        throw LanguageError("which Value? name it, as in :grad L", at: location)
    }

    // MARK: Naming and describing nodes

    /// A node's name in tables: its label, its number for an unlabelled leaf, else how it was made.
    func name(of v: Value) -> String {
        let text = expression(for: v, depth: 0)
        return text.count <= 24 ? text : "#\(v.id)"
    }

    /// How a node was made, written out from its inputs' names: `x1*w1 + x2*w2`.
    private func expression(for v: Value, depth: Int) -> String {
        if let label = v.label, !label.isEmpty { return label }
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
        default: v.op.symbol + "(" + inputs[0] + ")"
        }
    }

    func describe(_ v: Value) -> String {
        let made = v.op == .leaf ? "leaf" : "\(v.opName) of " + v.inputs.map(name(of:)).joined(separator: ", ")
        return "\(name(of: v)) = \(v.data.pythonDescription)  (\(made))"
    }

    func table(for root: Value) -> String {
        let nodes = root.topologicalOrder()
        var rows = [["node", "op", "data", "grad"]]
        for v in nodes {
            rows.append([name(of: v), v.op == .leaf ? "leaf" : v.opName, v.data.pythonDescription, v.grad.pythonDescription])
        }
        var text = Self.columns(rows)
        let bad = root.nonFiniteNodes()
        if !bad.isEmpty {
            text += "\nwarning: \(bad.count) node\(bad.count == 1 ? " has" : "s have") inf or nan data or grad: " +
                bad.prefix(8).map(name(of:)).joined(separator: ", ")
        }
        return text
    }

    /// Rows laid out in left-aligned columns.
    static func columns(_ rows: [[String]]) -> String {
        guard let width = rows.first?.count else { return "" }
        let widths = (0..<width).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == width - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count + 2)
            }.joined().trimmingTrailingSpaces
        }.joined(separator: "\n")
    }

    // MARK: Commands that measure

    /// Runs backward from `root` on fresh grads and returns them, leaving every grad as it was.
    func freshGradients(_ root: Value) -> [Value: Double] {
        let nodes = root.topologicalOrder()
        let saved = nodes.map(\.grad)
        root.zeroGrad()
        root.backward()
        var result: [Value: Double] = [:]
        for v in nodes { result[v] = v.grad }
        for (v, g) in zip(nodes, saved) { v.grad = g }
        return result
    }

    private func nudge(leafWord: Word, hWord: Word, rootWord: Word?, at start: SourceLocation) throws(LanguageError) {
        let leaf = try value(leafWord)
        let h = try number(hWord)
        guard h != 0 else { throw LanguageError("h must not be 0 (the slope divides by it)", at: hWord.location) }
        let root = try rootValue(rootWord, at: start)
        guard leaf.op == .leaf else {
            let leaves = root.leaves.filter { $0.label != nil }.map(name(of:))
            throw LanguageError("\(leafWord.text) is computed from other values, so a nudge would be undone by the forward pass; nudge a leaf\(leaves.isEmpty ? "" : " (" + leaves.joined(separator: ", ") + ")")", at: leafWord.location)
        }
        let rootName = name(of: root), leafName = name(of: leaf)
        guard root.leaves.contains(leaf) else {
            throw LanguageError("\(rootName) does not depend on \(leafName), so nudging it changes nothing", at: leafWord.location)
        }
        let gradient = freshGradients(root)[leaf] ?? 0
        let original = leaf.data
        let before = root.recompute()
        leaf.data = original + h
        let after = root.recompute()
        leaf.data = original
        root.recompute()
        let slope = (after - before) / h
        var rows = [
            ["\(rootName) before", before.pythonDescription],
            ["\(rootName) after \(leafName) += \(h.pythonDescription)", after.pythonDescription],
            ["slope (\(rootName)2 - \(rootName)1)/h", slope.pythonDescription],
            ["d\(rootName)/d\(leafName) from backward", gradient.pythonDescription],
            ["difference", (slope - gradient).pythonDescription],
        ]
        // A grad set by hand (or left over from another backward) is shown beside, so a
        // learner checking their own work sees it compared too.
        if leaf.grad != 0 && leaf.grad != gradient {
            rows.append(["\(leafName).grad as it is now", leaf.grad.pythonDescription + "  (not what backward gives)"])
        }
        write(.result, Self.columns(rows))
    }

    private func check(_ root: Value) throws(LanguageError) {
        let gradients = freshGradients(root)
        let h = 1e-6
        var rows = [["leaf", "backward", "numeric", "rel. error", ""]]
        var failed = 0, worst = 0.0
        let leaves = root.leaves
        for leaf in leaves {
            try checkInterrupt()
            let original = leaf.data
            leaf.data = original + h
            let up = root.recompute()
            leaf.data = original - h
            let down = root.recompute()
            leaf.data = original
            root.recompute()
            let numeric = (up - down) / (2 * h)
            let analytic = gradients[leaf] ?? 0
            let scale = max(abs(analytic), abs(numeric), 1e-8)
            let error = abs(analytic - numeric) / scale
            let ok = error < 1e-4 || abs(analytic - numeric) < 1e-8
            if !ok { failed += 1 }
            if error.isNaN || error > worst { worst = error }
            rows.append([name(of: leaf), analytic.pythonDescription, numeric.pythonDescription,
                         Self.short(error), ok ? "ok" : "FAIL"])
        }
        var text = Self.columns(rows)
        text += failed == 0
            ? "\nall \(leaves.count) leaves agree (largest relative error \(Self.short(worst)))"
            : "\n\(failed) of \(leaves.count) leaves disagree"
        write(.result, text)
    }

    /// A number to two significant digits, for errors: 6.6e-12.
    static func short(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return x.pythonDescription }
        var exponent = 0
        var m = abs(x)
        while m >= 10 { m /= 10; exponent += 1 }
        while m < 1 { m *= 10; exponent -= 1 }
        let digits = (m * 10).rounded() / 10
        return "\(digits == 10 ? "1.0" : digits.pythonDescription)e\(digits == 10 ? exponent + 1 : exponent)"
    }

    /// The leaves of `root`'s graph that training and `:step` move: those with a name, and
    /// network parameters.
    func trainableLeaves(of root: Value) -> [Value] {
        var named = Set<Value>()
        for object in names.values { if case .value(let v) = object, v.op == .leaf { named.insert(v) } }
        return root.leaves.filter { named.contains($0) || modelParameters.contains($0.id) }
    }

    private func step(_ root: Value, learningRate lr: Double, at start: SourceLocation) throws(LanguageError) {
        let leaves = trainableLeaves(of: root)
        guard !leaves.isEmpty else {
            throw LanguageError("\(name(of: root)) has no named leaves or network parameters to move", at: start)
        }
        if leaves.allSatisfy({ $0.grad == 0 }) {
            warn("every grad is 0, so nothing moves; run :grad \(name(of: root)) first", at: start)
        }
        let before = root.data
        for leaf in leaves { leaf.data += lr * leaf.grad }
        let after = root.recompute()
        write(.result, "\(name(of: root)): \(before.pythonDescription) -> \(after.pythonDescription)")
    }

    private func train(_ args: [Word], at start: SourceLocation) throws(LanguageError) {
        var rest = args[...]
        var root: Value
        if let first = rest.first, let kind = try? Parser.expression(first.text).kind, kind.isNumberLiteral {
            root = try rootValue(nil, at: start)
        } else if let first = rest.first {
            root = try value(first)
            rest = rest.dropFirst()
        } else {
            throw LanguageError("usage: :train [L] STEPS [LR]", at: start)
        }
        guard let stepsWord = rest.first else { throw LanguageError("how many steps? usage: :train [L] STEPS [LR]", at: start) }
        let stepsNumber = try number(stepsWord)
        guard stepsNumber >= 1, stepsNumber == stepsNumber.rounded(), stepsNumber <= 10_000_000 else {
            throw LanguageError("STEPS is a whole number from 1 to 10000000", at: stepsWord.location)
        }
        let steps = Int(stepsNumber)
        // The learning rate: the rest of the line, an expression that may use the step number k.
        var schedule = Expr(kind: .number(0.05), location: start)
        if let lrWord = rest.dropFirst().first {
            let text = rest.dropFirst().map(\.text).joined(separator: " ")
            schedule = try Parser.expression(text, firstLine: lrWord.location.line).shifted(by: lrWord.location.column - 1)
        }
        let leaves = trainableLeaves(of: root)
        guard !leaves.isEmpty else {
            throw LanguageError("\(name(of: root)) has no network parameters or named leaves to train", at: start)
        }
        let rootName = name(of: root)
        let every = max(1, steps / 10)
        for k in 0..<steps {
            try checkInterrupt()
            var scope = Scope()
            scope.locals["k"] = .number(Double(k))
            guard case .number(let lr) = try evaluate(schedule, in: scope).plainNumber, lr.isFinite else {
                throw LanguageError("the learning rate must be a finite number (at step \(k))", at: schedule.location)
            }
            let loss = root.recompute()
            root.zeroGrad()
            root.backward()
            for leaf in leaves { leaf.data -= lr * leaf.grad }
            if k == 0 { lossHistory = [] }
            lossHistory.append(loss)
            let line = "step \(k) \(rootName) \(loss.pythonDescription)"
            write(.progress, line)
            if k % every == 0 || k == steps - 1 { write(.result, line) }
            if !loss.isFinite {
                throw LanguageError("\(rootName) became \(loss.pythonDescription) at step \(k); try a smaller learning rate", at: start)
            }
        }
        lastRoot = root
        write(.result, "\(rootName) \(root.recompute().pythonDescription) after \(steps) steps")
    }

    // MARK: Other commands

    private func variables() -> String {
        if names.isEmpty { return "no names yet; try a = 2.0" }
        var rows = [["name", "is", "data", "grad"]]
        for (n, object) in names.sorted(by: { $0.key < $1.key }) {
            switch object {
            case .value(let v): rows.append([n, v.op == .leaf ? "leaf" : v.opName, v.data.pythonDescription, v.grad.pythonDescription])
            case .number, .integer: rows.append([n, "number", object.echo, ""])
            case .list(let items): rows.append([n, "list of \(items.count)", "", ""])
            case .model, .layer, .neuron:
                rows.append([n, object.echo, "\(Self.parameters(of: object).count) parameters", ""])
            default: rows.append([n, object.echo, "", ""])
            }
        }
        return Self.columns(rows)
    }

    private func help(_ word: Word?) throws(LanguageError) -> String {
        guard let word else { return Self.overview }
        let topic = word.text.hasPrefix(":") ? String(word.text.dropFirst()) : word.text
        switch CommandInfo.find(topic) {
        case .success(let info):
            let example = info.example.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
            return "\(info.usage)\n\n\(Self.wrapped(info.details))\n\nExample:\n\(example)"
        case .failure(var error):
            if let b = Builtin(rawValue: topic) { return b.usage }
            error.location = word.location
            throw error
        }
    }

    /// Text broken into lines of at most `width` characters, at spaces.
    static func wrapped(_ text: String, width: Int = 78) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return (lines + [line]).joined(separator: "\n")
    }

    static let overview: String = {
        let commands = columns(CommandInfo.all.map { ["  " + $0.usage, $0.summary] })
        return """
        Type expressions and assignments as in Python; a Value prints as Value(data=...).
          a = 2.0            a leaf labelled a (numbers you assign become Values)
          e = a*b + c        + - * / ** and ( ); -2**2 is -4, as in Python
          f(x) = 3*x**2 - 4*x + 5      a function; then f(3.0)
          a.data, a.grad, a.label      read or set; a.data += 0.01 * a.grad
          o = n.tanh(); o.backward()   also exp log relu sigmoid, as functions or methods
          n = MLP(3, [4, 4, 1])        a network; n([2.0, 3.0, -1.0]); n.parameters()
          ypred = n(xs)                a network over a list of inputs
          loss = sum((ypred - ys)**2)  lists add, subtract, multiply element by element
          [n(x) for x in xs]           comprehensions, as in Python; also sum(... for ...)
          for p in n.parameters(): p.data += -0.05 * p.grad
        Built-ins: \(Builtin.allCases.map(\.rawValue).joined(separator: " "))

        Commands (a prefix is enough: it means the first command below that starts with it,
        so :gr is :grad and :grap is :graph):
        \(commands)

        :help COMMAND explains one, with an example.
        """
    }()

    // MARK: Files

    /// Runs a file into the session; errors are reported with its line numbers.
    func load(_ path: String, at location: SourceLocation) throws(LanguageError) {
        guard loadDepth < 8 else { throw LanguageError("files load each other more than 8 deep", at: location) }
        let text: String
        do {
            text = try readFile(path)
        } catch {
            throw LanguageError("cannot load \(path): \(error)", at: location)
        }
        let (savedFile, savedLines) = (file, sourceLines)
        loadDepth += 1
        defer {
            loadDepth -= 1
            (file, sourceLines) = (savedFile, savedLines)
        }
        if !runScript(text, file: path) {
            throw LanguageError("\(path) had errors (shown above); the lines without errors ran")
        }
    }
}

extension Expr {
    /// The same expression with every column moved right by `offset` (an argument parsed
    /// on its own, placed back where it sits on the command line).
    func shifted(by offset: Int) -> Expr {
        var copy = self
        copy.location.column += offset
        switch kind {
        case .list(let items): copy.kind = .list(items.map { $0.shifted(by: offset) })
        case .comprehension(let e, let t, let i): copy.kind = .comprehension(element: e.shifted(by: offset), targets: t, iterable: i.shifted(by: offset))
        case .unary(let op, let x): copy.kind = .unary(op, x.shifted(by: offset))
        case .binary(let op, let l, let r): copy.kind = .binary(op, l.shifted(by: offset), r.shifted(by: offset))
        case .call(let f, let args):
            copy.kind = .call(f.shifted(by: offset), args.map { CallArgument(label: $0.label, value: $0.value.shifted(by: offset)) })
        case .attribute(let b, let n): copy.kind = .attribute(b.shifted(by: offset), n)
        case .index(let b, let i): copy.kind = .index(b.shifted(by: offset), i.shifted(by: offset))
        default: break
        }
        return copy
    }
}
