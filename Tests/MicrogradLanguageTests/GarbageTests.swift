import Micrograd
import MicrogradLanguage
import Testing

/// Thousands of lines of garbage fed to one session: it must not crash or hang, every
/// diagnostic must be well formed, and a name bound before must keep its value.
@Suite(.serialized) struct GarbageTests {
    /// A session that cannot touch the disk, with its output collected.
    final class Harness {
        let host = InMemoryHost()
        let session: Session
        var out: [String] { host.written([.result, .prose, .echo]) }
        var diagnostics: [String] { host.written([.warning, .error]) }
        var checks = 0
        var slowest: (Duration, String) = (.zero, "")
        var lines = 0
        /// Lines that printed something, and lines that reported an error, over the whole run.
        var printed = 0, failed = 0

        init() {
            // Files live in memory (there are none to read), and Graphviz is a stand-in.
            var limits = Limits()
            limits.nodesPerStatement = 200_000
            session = Session(host: host, seed: 5, limits: limits)
            // Ctrl-C after 2,000 checks, so a loop over a huge range stops instead of hanging.
            host.shouldStop = { [unowned self] in
                checks += 1; return checks > 2_000
            }
            session.run("keep = 42.0; a = 0.5; b = -1.5; c = 2.0; y = a*b + c; xs = [[1.0, 2.0], [0.5, -1.0]]; ys = [1.0, -1.0]")
            session.run("n = MLP(2, [3, 1]); f(x) = x**2 - 1; loss = sum((n(xs) - ys)**2)")
        }

        /// Feeds one line (or chunk), as a learner's REPL would.
        func feed(_ text: String) {
            // :reset (or a prefix of it) is the one thing that legitimately forgets keep.
            let trimmed = text.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix(":"), let word = trimmed.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).first,
                "reset".hasPrefix(word)
            {
                return
            }
            checks = 0
            host.clear()
            lines += 1
            let clock = ContinuousClock()
            let elapsed = clock.measure { session.run(text, file: "<garbage>") }
            if elapsed > slowest.0 { slowest = (elapsed, text) }
            if !out.isEmpty { printed += 1 }
            if diagnostics.contains(where: { $0.contains(" error: ") }) { failed += 1 }
            for d in diagnostics { Self.checkWellFormed(d, from: text) }
        }

        /// A diagnostic is `<garbage>: …` or `<garbage>:L:C: …`, and with a location it shows
        /// the line and a caret no further right than one past the shown line's end.
        static func checkWellFormed(_ diagnostic: String, from source: String) {
            if diagnostic == "Interrupted" { return }
            let lines = diagnostic.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[0].hasPrefix("<garbage>:"), "\(diagnostic.debugDescription) from \(source.debugDescription)")
            #expect(lines[0].contains(" error: ") || lines[0].contains(" warning: "), "\(diagnostic.debugDescription)")
            guard lines.count > 1 else { return }
            #expect(lines.count == 3, "\(diagnostic.debugDescription) from \(source.debugDescription)")
            let caret = lines[lines.count - 1]
            #expect(caret.last == "^" && caret.dropLast().allSatisfy { $0 == " " }, "\(diagnostic.debugDescription)")
            #expect(caret.count <= lines[1].count + 1, "\(diagnostic.debugDescription) from \(source.debugDescription)")
        }

        func expectIntact(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            checks = 0
            host.clear()
            session.run("keep.data; keep.label; 1 + 1")
            #expect(out == ["42.0", "'keep'", "2"], "\(diagnostics)", sourceLocation: sourceLocation)
            #expect(
                slowest.0 < .seconds(2), "the slowest line took \(slowest.0): \(slowest.1.debugDescription)", sourceLocation: sourceLocation
            )
        }
    }

    // MARK: Generators

    static let names = [
        "a", "b", "c", "y", "xs", "ys", "n", "f", "x", "k", "loss", "L", "p", "q",
        "data", "grad", "label", "op", "inputs", "layers", "neurons", "w",
        "tanh", "exp", "log", "relu", "sigmoid", "backward", "_backward", "zero_grad", "parameters",
        "len", "sum", "range", "zip", "abs", "print", "Value", "MLP", "Layer", "Neuron",
        "for", "in", "activation", "label",
    ]
    static let symbols = ["**", "+=", "-=", "*=", "/=", "+", "-", "*", "/", "=", "(", ")", "[", "]", ",", ".", ":", ";", "#"]
    static let literals = ["0", "1", "2", "3", "0.5", "2.0", "-1.0", "1e-3", "1e3", "'relu'", "'a'", "\"s\"", "10"]
    static let commands = [
        "grad", "backward", "zero", "nudge", "check", "step", "train", "topo", "vars", "seed",
        "help", "graph", "dot", "explain", "plot", "backstep", "stop", "lessons", "where", "load", "svg", "quit",
    ]

    static func tokenSoup(_ rng: inout PythonRandom) -> String {
        var line = Int.random(in: 0..<10, using: &rng) == 0 ? ":" + commands.randomElement(using: &rng)! + " " : ""
        for _ in 0..<Int.random(in: 1...14, using: &rng) {
            let token =
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: names.randomElement(using: &rng)!
                case 1: symbols.randomElement(using: &rng)!
                default: literals.randomElement(using: &rng)!
                }
            line += token + (Bool.random(using: &rng) ? " " : "")
        }
        return line
    }

    static func expression(_ depth: Int, _ rng: inout PythonRandom) -> String {
        let leaves = ["a", "b", "c", "y", "2", "0.5", "-1.0", "xs[0]", "ys", "xs", "n(xs[1])", "k", "f(a)"]
        if depth == 0 || Int.random(in: 0..<3, using: &rng) == 0 { return leaves.randomElement(using: &rng)! }
        let x = expression(depth - 1, &rng), y = expression(depth - 1, &rng)
        switch Int.random(in: 0..<14, using: &rng) {
        case 0: return "\(x) + \(y)"
        case 1: return "\(x) - \(y)"
        case 2: return "\(x) * \(y)"
        case 3: return "\(x) / \(y)"
        case 4: return "(\(x))**\(["2", "-1", "0.5", "3", "a"].randomElement(using: &rng)!)"
        case 5: return "-(\(x))"
        case 6: return ["tanh", "exp", "log", "relu", "sigmoid", "abs", "len", "sum"].randomElement(using: &rng)! + "(\(x))"
        case 7: return "(\(x)).\(["tanh()", "exp()", "data", "grad", "label", "op", "inputs", "relu()"].randomElement(using: &rng)!)"
        case 8: return "[\(x), \(y)]"
        case 9: return "[\(x) for k in range(\(Int.random(in: 0...4, using: &rng)))]"
        case 10: return "sum(\(x) for k in \(["xs", "ys", "range(3)", "zip(xs, ys)"].randomElement(using: &rng)!))"
        case 11: return "\(x)[\(Int.random(in: -2...2, using: &rng))]"
        case 12: return "zip(\(x), \(y))"
        default: return "f(\(x))"
        }
    }

    static func statement(_ rng: inout PythonRandom) -> String {
        let e = expression(3, &rng)
        let target = ["p", "q", "y", "a", "c", "z"].randomElement(using: &rng)!
        switch Int.random(in: 0..<12, using: &rng) {
        case 0, 1, 2: return e
        case 3, 4: return "\(target) = \(e)"
        case 5: return "\(target) \(["+=", "-=", "*=", "/="].randomElement(using: &rng)!) \(e)"
        case 6: return "\(target).\(["data", "grad", "label"].randomElement(using: &rng)!) = \(e)"
        case 7: return "g(x, k) = \(e)"
        case 8: return "for k in \(["range(3)", "xs", "ys", "zip(xs, ys)", e].randomElement(using: &rng)!): \(target) = \(e)"
        case 9:
            return ":" + ["grad", "backward", "zero", "check", "topo", "step 0.01", "train 3 0.01", "nudge a 0.001", "explain a", "graph"]
                .randomElement(using: &rng)! + " " + target
        case 10: return "\(target) = \(e); :grad \(target)"
        default: return "print(\(e), \(target))"
        }
    }

    // MARK: Tests

    @Test func randomBytes() {
        let h = Harness()
        var rng = PythonRandom(seed: 2024)
        for _ in 0..<5_000 {
            var bytes = (0..<Int.random(in: 0...60, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Mostly printable ASCII, so some of it lexes and parses a little way.
            if Bool.random(using: &rng) { bytes = bytes.map { 32 + $0 % 95 } }
            h.feed(String(decoding: bytes, as: UTF8.self))
        }
        #expect(h.lines > 4_900)
        // (Some get far enough to print something: a dozen, from this seed.)
        #expect(h.failed > 2_500 && h.printed > 5, "failed \(h.failed), printed \(h.printed)")
        h.expectIntact()
    }

    @Test func tokenSoup() {
        let h = Harness()
        var rng = PythonRandom(seed: 7)
        for _ in 0..<10_000 { h.feed(Self.tokenSoup(&rng)) }
        #expect(h.lines > 9_900)
        #expect(h.failed > 5_000 && h.printed > 200)
        h.expectIntact()
    }

    @Test func validLookingStatements() {
        let h = Harness()
        var rng = PythonRandom(seed: 99)
        var succeeded = 0
        for _ in 0..<4_000 {
            h.feed(Self.statement(&rng))
            if !h.diagnostics.contains(where: { $0.contains(" error: ") }) { succeeded += 1 }
        }
        // Most of them are fine statements, so the session really did work between the garbage.
        #expect(succeeded > 1_000 && h.printed > 500)
        h.expectIntact()
    }

    @Test func scriptsOfGarbageWithBracketsLeftOpen() {
        // Whole scripts through runScript: unclosed brackets swallow lines, notes follow, the rest runs.
        let h = Harness()
        var rng = PythonRandom(seed: 31)
        for _ in 0..<300 {
            var script: [String] = []
            for _ in 0..<Int.random(in: 1...12, using: &rng) {
                script.append(Bool.random(using: &rng) ? Self.tokenSoup(&rng) : Self.statement(&rng))
            }
            let text = script.filter { !$0.hasPrefix(":r") }.joined(separator: "\n")
            h.checks = 0
            h.host.clear()
            h.session.runScript(text, file: "<garbage>")
            for d in h.diagnostics where !d.hasPrefix("<garbage>: note:") { Harness.checkWellFormed(d, from: text) }
        }
        h.expectIntact()
    }
}
