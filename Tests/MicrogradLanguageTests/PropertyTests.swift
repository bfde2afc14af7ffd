import Micrograd
import MicrogradLanguage
import Testing

/// Random expressions generated from the grammar, checked for properties that must hold
/// for every one of them.
@Suite struct PropertyTests {
    /// A random expression over the leaves a, b, c (all positive, so log and fractional
    /// powers stay real), `depth` levels deep at most.
    static func expression(_ depth: Int, _ rng: inout PythonRandom) -> String {
        let leaves = ["a", "b", "c", "2.0", "0.5", "3.0"]
        if depth == 0 || Int.random(in: 0..<4, using: &rng) == 0 { return leaves.randomElement(using: &rng)! }
        let x = expression(depth - 1, &rng), y = expression(depth - 1, &rng)
        switch Int.random(in: 0..<9, using: &rng) {
        case 0: return "\(x) + \(y)"
        case 1: return "\(x) - \(y)"
        case 2: return "\(x) * \(y)"
        case 3: return "(\(x)) / (\(y)*\(y) + 1)"
        case 4: return "(\(x))**2"
        case 5: return "-(\(x))"
        case 6: return ["tanh", "sigmoid", "relu"].randomElement(using: &rng)! + "(\(x))"
        case 7: return "log(exp(\(x)))"
        default: return "(\(x)) * \(Double(Int.random(in: -9...9, using: &rng)))"
        }
    }

    static func fresh() -> Transcript {
        let t = Transcript()
        t.run("a = 0.7; b = 1.3; c = 0.4")
        return t
    }

    @Test func printingThenParsingGivesTheSameGraph() {
        var rng = PythonRandom(seed: 11)
        for _ in 0..<300 {
            let source = Self.expression(4, &rng)
            // Numbers alone make a float, not a Value (y = 2.0 * 3.0 is 6.0, as in Python).
            guard source.contains(/\b[abc]\b/) else { continue }
            let t = Self.fresh()
            t.run("y = \(source)\nf(a, b, c) = \(source)")
            // The function's body prints as the parser read it; parse that text again.
            let printed = String(t.run("f").split(separator: "=", maxSplits: 1)[1].dropFirst())
            t.run("z = \(printed)\ng(a, b, c) = \(printed)")
            #expect(t.run("g") == "g(a, b, c) = \(printed)", "\(source)")
            #expect(t.run("y.data") == t.run("z.data"), "\(source) printed as \(printed)")
            // The same nodes, ops and values in the same order (unnamed nodes' ids differ).
            func shape(_ name: String) -> [String] {
                t.run(":topo \(name)").split(separator: "\n").dropLast().map { line in
                    String(line.split(separator: "=", maxSplits: 1).last!)
                        .replacing(/#[0-9]+/, with: "#")
                }
            }
            #expect(shape("y") == shape("z"), "\(source)")
            #expect(t.errors.isEmpty, "\(source): \(t.errors)")
        }
    }

    @Test func backwardAgreesWithCentralDifferences() {
        var rng = PythonRandom(seed: 12)
        for _ in 0..<150 {
            let source = Self.expression(4, &rng)
            guard source.contains(/\b[abc]\b/) else { continue }
            let t = Self.fresh()
            t.run("y = \(source)")
            let report = t.run(":check y")
            // relu's kink can sit inside the difference's step; anything else must agree.
            if source.contains("relu") { continue }
            #expect(report.contains("leaves agree") || report.contains("the leaf agrees"), "\(source):\n\(report)")
        }
    }

    @Test func aBadLineLeavesTheSessionAsItWas() {
        var rng = PythonRandom(seed: 13)
        let bad = [
            "y = a * nope", "y = (a + ", "y = a ** b", ":nudge y", "y.grad = 'x'", "y = [1, 2] - [1]",
            ":grad nope", "y = a.gradd", "y = MLP(0, [1])", "y = 2x", "a.data = ", "for k in 3: y = k",
        ]
        for line in bad {
            let t = Self.fresh()
            t.run("y = \(Self.expression(3, &rng))\n:grad y")
            let before = (t.run(":vars"), t.session.graph.count, t.run(":topo y"))
            t.run(line)
            #expect(!t.errors.isEmpty, "\(line) should be an error")
            let after = (t.run(":vars"), t.session.graph.count, t.run(":topo y"))
            #expect(before == after, "\(line) changed the session")
        }
    }
}
