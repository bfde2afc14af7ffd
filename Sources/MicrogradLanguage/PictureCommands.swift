import Micrograd

#if canImport(Glibc)
import Glibc
#endif

/// Stepping backward one node at a time.
struct BackstepState {
    var root: Value
    /// The nodes still to visit, the next one last.
    var pending: [Value]
    var step = 0
}

extension Session {
    func pictureCommand(_ name: String, _ args: [Word], at start: SourceLocation) throws(LanguageError) {
        var words = args
        let ascii = words.contains { $0.text == "--ascii" } || !unicode
        words.removeAll { $0.text == "--ascii" }
        switch name {
        case "graph":
            guard words.count <= 1 else { throw LanguageError("usage: :graph [L] [--ascii]", at: words[1].location) }
            let root = try rootValue(words.first, at: start)
            write(.result, drawing(of: root, ascii: ascii, width: width))
        case "dot":
            guard words.count <= 2 else { throw LanguageError("usage: :dot [L] [FILE]", at: words[2].location) }
            let root = try rootValue(words.first, at: start)
            let text = dot(for: root) + "\n"
            if words.count == 2 {
                do { try writeFile(text, words[1].text) } catch {
                    throw LanguageError("cannot write \(words[1].text): \(error)", at: words[1].location)
                }
                write(.result, "wrote \(words[1].text) (\(root.topologicalOrder().count) values); dot -Tsvg \(words[1].text) -o graph.svg draws it")
            } else {
                write(.result, text.trimmingBlankLines)
            }
        case "svg", "png":
            guard words.count == 2 else { throw LanguageError("usage: :\(name) L FILE", at: start) }
            let root = try value(words[0])
            do { try render(dot(for: root), name, words[1].text) } catch {
                throw LanguageError("\(error)", at: words[1].location)
            }
            write(.result, "wrote \(words[1].text)")
        case "plot":
            try plot(words, at: start, ascii: ascii)
        case "explain":
            guard (1...2).contains(words.count) else { throw LanguageError("usage: :explain a [L]", at: start) }
            let leaf = try value(words[0])
            let root = try rootValue(words.count > 1 ? words[1] : nil, at: start)
            write(.result, try explanation(of: leaf, from: root))
        case "backstep":
            guard words.count <= 1 else { throw LanguageError("usage: :backstep [L]", at: words[1].location) }
            let root = try rootValue(words.first, at: start)
            root.zeroGrad()
            root.grad = 1
            lastRoot = root
            backstepState = BackstepState(root: root, pending: Array(root.topologicalOrder().filter { $0.op != .leaf }))
            write(.result, "backward from \(self.name(of: root)), one node at a time: every grad in its graph is 0, and \(self.name(of: root)).grad = 1")
            if isInteractive {
                try backstep()
                if backstepState != nil { write(.result, "(Enter or :next for the next node, :stop to end here)") }
            } else {
                while backstepState != nil { try checkInterrupt(); try backstep() }
            }
        case "stop":
            guard let state = backstepState else { throw LanguageError("nothing to stop: :backstep L starts stepping", at: start) }
            backstepState = nil
            write(.result, "stopped after \(state.step) of \(state.step + state.pending.count) nodes; the grads are as far as they got")
        default:
            break
        }
    }

    /// Whether `:next` (and Enter) should step backward rather than through a lesson.
    var isBackstepping: Bool { backstepState != nil }

    /// One node's step of backward: its upstream grad, and what it adds to each input.
    func backstep() throws(LanguageError) {
        guard var state = backstepState else { return }
        guard let v = state.pending.popLast() else {
            backstepState = nil
            return
        }
        state.step += 1
        let vName = name(of: v), rootName = name(of: state.root)
        var lines = ["step \(state.step): \(vName) = \(v.opName) of \(v.inputs.map(name(of:)).joined(separator: ", ")), with grad d\(rootName)/d\(Self.grouped(vName)) = \(v.grad.pythonDescription)"]
        var running: [Value: Double] = [:]
        for input in v.inputs {
            let (symbol, local) = localDerivative(of: v, withRespectTo: input)
            let before = running[input] ?? input.grad
            let after = before + local * v.grad
            running[input] = after
            let inputName = name(of: input)
            lines.append("  \(inputName).grad += ∂\(Self.grouped(vName))/∂\(Self.grouped(inputName)) × \(v.grad.pythonDescription) = (\(symbol)) × \(v.grad.pythonDescription), so \(before.pythonDescription) → \(after.pythonDescription)")
        }
        v.backwardStep()
        write(.result, lines.joined(separator: "\n"))
        if state.pending.isEmpty {
            backstepState = nil
            write(.result, "done: every node of \(rootName)'s graph holds d\(rootName)/d(node), as backward would leave it")
        } else {
            backstepState = state
        }
    }

    private func plot(_ words: [Word], at start: SourceLocation, ascii: Bool) throws(LanguageError) {
        let usage = "usage: :plot f LO HI (a function of one number), :plot loss (after :train), or :plot n xs ys (a two-input network over data)"
        guard let first = words.first else { throw LanguageError(usage, at: start) }
        let plotWidth = max(20, min(width - 10, 72)), plotHeight = 14
        let canvas = Plot(width: plotWidth, height: plotHeight, ascii: ascii)
        if first.text == "loss" && words.count == 1 {
            guard lossHistory.count >= 2 else { throw LanguageError("no training to plot yet: :train a loss first", at: first.location) }
            let points = lossHistory.enumerated().map { (Double($0.offset), $0.element) }
            write(.result, "loss per step (\(lossHistory.count) steps)\n" + canvas.draw(points, xLow: 0, xHigh: Double(lossHistory.count - 1), xLabel: "step"))
            return
        }
        let target = try object(first)
        switch target {
        case .model, .layer, .neuron:
            guard words.count == 3 else { throw LanguageError("usage: :plot n xs ys (the network, its inputs and their labels)", at: start) }
            write(.result, try boundary(target, xs: try object(words[1]), ys: try object(words[2]), at: start, ascii: ascii))
        case .function, .builtin:
            guard words.count == 3 else { throw LanguageError(usage, at: start) }
            let low = try number(words[1]), high = try number(words[2])
            guard low < high else { throw LanguageError("LO must be below HI", at: words[1].location) }
            let mark = graph.count
            defer { if graph.count > mark, !referencesNodes(from: mark) { graph.truncate(to: mark) } }
            var points: [(Double, Double)] = []
            let samples = plotWidth * (ascii ? 1 : 2)
            for i in 0..<samples {
                let x = low + (high - low) * Double(i) / Double(samples - 1)
                let call = Expr(kind: .call(Expr(kind: .name("\u{0}f"), location: first.location),
                                            [CallArgument(label: nil, value: Expr(kind: .number(x), location: first.location))]),
                                location: first.location)
                var scope = Scope()
                scope.locals["\u{0}f"] = target
                guard case .number(let y) = try evaluate(call, in: scope).plainNumber else {
                    throw LanguageError("\(first.text) does not give a number", at: first.location)
                }
                points.append((x, y))
            }
            write(.result, "\(first.text)(x) for x from \(low.tick) to \(high.tick)\n" + canvas.draw(points, xLow: low, xHigh: high, xLabel: "x"))
        default:
            throw LanguageError("\(first.text) is \(target.kindName); " + usage, at: first.location)
        }
    }

    /// Where a two-input network says yes and no, over the box around the data.
    private func boundary(_ network: Object, xs: Object, ys: Object, at start: SourceLocation, ascii: Bool) throws(LanguageError) -> String {
        guard case .list(let rows) = xs, case .list(let labels) = ys, rows.count == labels.count, !rows.isEmpty else {
            throw LanguageError("xs and ys must be lists of the same length", at: start)
        }
        var points: [(Double, Double, Double)] = []
        for (row, label) in zip(rows, labels) {
            guard case .list(let pair) = row, pair.count == 2, case .number(let a) = pair[0].plainNumber,
                  case .number(let b) = pair[1].plainNumber, case .number(let y) = label.plainNumber else {
                throw LanguageError("each x must be a pair of numbers and each y a number", at: start)
            }
            points.append((a, b, y))
        }
        let models = Self.parameters(of: network)
        guard let graphOfModel = models.first?.graph, graphOfModel === graph else { throw LanguageError("not a network of this session", at: start) }
        let columns = max(20, min(width - 4, 80)), rowsCount = 24
        let (x0, x1) = (points.map(\.0).min()! - 0.25, points.map(\.0).max()! + 0.25)
        let (y0, y1) = (points.map(\.1).min()! - 0.25, points.map(\.1).max()! + 0.25)
        var canvas = [[Character]](repeating: [Character](repeating: " ", count: columns), count: rowsCount)
        let mark = graph.count
        defer { graph.truncate(to: mark) }
        for r in 0..<rowsCount {
            try checkInterrupt()
            for c in 0..<columns {
                let x = x0 + (x1 - x0) * (Double(c) + 0.5) / Double(columns)
                let y = y1 - (y1 - y0) * (Double(r) + 0.5) / Double(rowsCount)
                let out = try callNetwork(network, [x, y], at: start)
                canvas[r][c] = out > 0 ? (ascii ? "." : "░") : " "
                graph.truncate(to: mark)
            }
        }
        var wrong = 0
        for (a, b, label) in points {
            let c = min(columns - 1, max(0, Int((a - x0) / (x1 - x0) * Double(columns))))
            let r = min(rowsCount - 1, max(0, Int((y1 - b) / (y1 - y0) * Double(rowsCount))))
            let score = try callNetwork(network, [a, b], at: start)
            graph.truncate(to: mark)
            let right = (label > 0) == (score > 0)
            if !right { wrong += 1 }
            canvas[r][c] = label > 0 ? (right ? "o" : "O") : (right ? "x" : "X")
        }
        let frame = ascii ? "+" + String(repeating: "-", count: columns) + "+" : "┌" + String(repeating: "─", count: columns) + "┐"
        let bottom = ascii ? frame : "└" + String(repeating: "─", count: columns) + "┘"
        let side: Character = ascii ? "|" : "│"
        let body = canvas.map { String(side) + String($0) + String(side) }
        return ([frame] + body + [bottom]).joined(separator: "\n") +
            "\n\(ascii ? "." : "░") where the network scores above 0; o and x are points labelled 1 and -1 (capital where it gets them wrong: \(wrong) of \(points.count))"
    }

    private func callNetwork(_ network: Object, _ input: [Double], at start: SourceLocation) throws(LanguageError) -> Double {
        let x = input.map { Value($0, in: graph) }
        let out: [Value]
        switch network {
        case .model(let m): out = m(x)
        case .layer(let l): out = l(x)
        case .neuron(let n): out = [n(x)]
        default: out = []
        }
        guard out.count == 1 else { throw LanguageError("the network must have one output to draw its boundary", at: start) }
        return out[0].data
    }

}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`, so an
/// interrupted write never leaves a half-written file (and the old one stays whole).
/// `makingFolders` creates missing folders on the way (mode 0700).
public func writeFileAtomically(_ text: String, to path: String, mode: mode_t = 0o644,
                                makingFolders: Bool = false) throws {
    if makingFolders {
        var partial = ""
        for part in path.split(separator: "/").dropLast() {
            partial += "/" + part
            mkdir(partial, 0o700)
        }
    }
    let temporary = path + ".tmp\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode)
    guard fd >= 0 else { throw FileProblem(String(cString: strerror(errno))) }
    var copy = text
    let written = copy.withUTF8 { bytes -> Bool in
        var rest = UnsafeRawBufferPointer(bytes)
        while !rest.isEmpty {
            let n = write(fd, rest.baseAddress, rest.count)
            if n <= 0 { return false }
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
        return true
    }
    let reason = String(cString: strerror(errno))
    guard close(fd) == 0, written, rename(temporary, path) == 0 else {
        unlink(temporary)
        throw FileProblem(reason)
    }
}

struct FileProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs Graphviz's `dot` on `source`, writing `format` (svg or png) to `path`.
func renderWithGraphviz(_ source: String, _ format: String, _ path: String) throws {
    let input = "/tmp/micrograd-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).dot"
    let errors = input + ".err"
    try writeFileAtomically(source, to: input)
    defer { unlink(input); unlink(errors) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 2, errors, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let arguments = ["dot", "-T\(format)", "-o", path, input]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for a in argv { free(a) } }
    var pid: pid_t = 0
    let status = posix_spawnp(&pid, "dot", &actions, nil, &argv, nil)
    guard status == 0 else {
        throw FileProblem(status == ENOENT
            ? "Graphviz's dot program is not installed; install it with: sudo apt-get install graphviz"
            : "cannot run dot: \(String(cString: strerror(status)))")
    }
    var exit: Int32 = 0
    while waitpid(pid, &exit, 0) == -1 && errno == EINTR {}
    guard exit == 0 else {
        let message = (try? readTextFile(errors, maxBytes: 1 << 16)) ?? ""
        throw FileProblem("dot failed: " + (message.split(separator: "\n").first.map(String.init) ?? "exit status \(exit)"))
    }
}
