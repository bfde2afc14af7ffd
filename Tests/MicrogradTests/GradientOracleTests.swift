import Micrograd
import Testing
import _Differentiation

#if canImport(Glibc)
import Glibc
#endif

/// Every op's gradient against two outside sources: Swift's compiler autodiff, and central
/// finite differences.
@Suite struct GradientOracleTests {
    /// One op, written once on Values and once on Doubles for the compiler to differentiate.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let onValues: @Sendable (Value, Value) -> Value
        let onDoubles: @Sendable @differentiable(reverse) (Double, Double) -> Double
        /// Where the op is differentiable and well-conditioned.
        let domain: @Sendable (Double, Double) -> Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a + b", onValues: { $0 + $1 }, onDoubles: { $0 + $1 }, domain: { _, _ in true }),
        Case(name: "a * b", onValues: { $0 * $1 }, onDoubles: { $0 * $1 }, domain: { _, _ in true }),
        Case(name: "a - b", onValues: { $0 - $1 }, onDoubles: { $0 - $1 }, domain: { _, _ in true }),
        Case(name: "a / b", onValues: { $0 / $1 }, onDoubles: { $0 / $1 }, domain: { _, b in abs(b) > 0.3 }),
        Case(name: "-a * b", onValues: { -$0 * $1 }, onDoubles: { -$0 * $1 }, domain: { _, _ in true }),
        Case(
            name: "2 - a / 3 + 1 / b", onValues: { 2 - $0 / 3 + 1 / $1 }, onDoubles: { 2 - $0 / 3 + 1 / $1 },
            domain: { _, b in abs(b) > 0.3 }),
        Case(
            name: "a ** 3 + b ** 2", onValues: { $0.pow(3) + $1.pow(2) },
            onDoubles: { pow($0, 3) + pow($1, 2) }, domain: { _, _ in true }),
        Case(
            name: "a ** 0.5 * b", onValues: { $0.pow(0.5) * $1 },
            onDoubles: { pow($0, 0.5) * $1 }, domain: { a, _ in a > 0.1 }),
        Case(
            name: "tanh(a * b)", onValues: { ($0 * $1).tanh() }, onDoubles: { tanh($0 * $1) },
            domain: { _, _ in true }),
        Case(
            name: "exp(a) * b", onValues: { $0.exp() * $1 }, onDoubles: { exp($0) * $1 },
            domain: { _, _ in true }),
        Case(
            name: "log(a) + b", onValues: { $0.log() + $1 }, onDoubles: { log($0) + $1 },
            domain: { a, _ in a > 0.1 }),
        Case(
            name: "relu(a - b)", onValues: { ($0 - $1).relu() }, onDoubles: { reluD($0 - $1) },
            domain: { a, b in abs(a - b) > 1e-3 }),
        Case(
            name: "sigmoid(a) * b", onValues: { $0.sigmoid() * $1 }, onDoubles: { 1 / (1 + exp(-$0)) * $1 },
            domain: { _, _ in true }),
        Case(
            name: "a * a * b (a used twice)", onValues: { $0 * $0 * $1 }, onDoubles: { $0 * $0 * $1 },
            domain: { _, _ in true }),
    ]

    /// Random points in [-3, 3]², the same on every run.
    static func points(for c: Case) -> [(Double, Double)] {
        var rng = PythonRandom(seed: 7)
        var out: [(Double, Double)] = []
        while out.count < 200 {
            let p = (Double.random(in: -3...3, using: &rng), Double.random(in: -3...3, using: &rng))
            if c.domain(p.0, p.1) { out.append(p) }
        }
        return out
    }

    static func close(_ x: Double, _ y: Double, tolerance: Double) -> Bool {
        abs(x - y) <= tolerance * max(1, abs(x), abs(y))
    }

    @Test(arguments: cases)
    func matchesCompilerAutodiff(_ c: Case) {
        let graph = Graph()
        for (x, y) in Self.points(for: c) {
            let a = Value(x, in: graph), b = Value(y, in: graph)
            let out = c.onValues(a, b)
            out.backward()
            let (da, db) = gradient(at: x, y, of: c.onDoubles)
            #expect(Self.close(out.data, c.onDoubles(x, y), tolerance: 1e-12), "value at (\(x), \(y))")
            #expect(Self.close(a.grad, da, tolerance: 1e-12), "d/da at (\(x), \(y)): \(a.grad) vs \(da)")
            #expect(Self.close(b.grad, db, tolerance: 1e-12), "d/db at (\(x), \(y)): \(b.grad) vs \(db)")
        }
    }

    @Test(arguments: cases)
    func matchesCentralDifferences(_ c: Case) {
        let graph = Graph()
        for (x, y) in Self.points(for: c) {
            let a = Value(x, in: graph), b = Value(y, in: graph)
            let out = c.onValues(a, b)
            out.backward()
            for leaf in [a, b] {
                let h = 1e-6
                leaf.data += h
                let up = out.recompute()
                leaf.data -= 2 * h
                let down = out.recompute()
                leaf.data += h
                out.recompute()
                let numeric = (up - down) / (2 * h)
                #expect(Self.close(leaf.grad, numeric, tolerance: 1e-5), "\(c.name) at (\(x), \(y)): \(leaf.grad) vs \(numeric)")
            }
        }
    }
}

@differentiable(reverse)
func reluD(_ x: Double) -> Double { x < 0 ? 0 : x }
