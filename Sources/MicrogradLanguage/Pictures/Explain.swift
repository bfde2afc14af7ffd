import Micrograd

// The chain rule, path by path.
extension Session {
    /// The most paths `:explain` writes out.
    static let maxExplainedPaths = 50
    /// The most steps of one path written out; a longer one shows its first and last halves.
    static let maxShownLinks = 12

    /// Every path from `root` down to `leaf`, each edge's local derivative in symbols and
    /// numbers, the product along each path and the sum over paths.
    func explanation(of leaf: Value, from root: Value) throws(LanguageError) -> String {
        let rootName = Self.grouped(name(of: root)), leafName = Self.grouped(name(of: leaf))
        if leaf == root {
            return "d\(rootName)/d\(leafName) = 1: \(name(of: root)) is the node itself, so nudging it moves it one for one"
        }
        let grads = try freshGradients(root, at: SourceLocation(line: 1, column: 1))
        // The nodes with a path down to the leaf: inputs come first in topological order.
        var reaches = Set<Value>()
        for v in root.topologicalOrder() where v == leaf || v.inputs.contains(where: reaches.contains) {
            reaches.insert(v)
        }
        guard reaches.contains(root) else {
            throw LanguageError("\(rootName) does not depend on \(leafName), so d\(rootName)/d\(leafName) is 0")
        }
        // Paths found depth first, each a chain of steps pointing back to the one before (so
        // a long path is never copied); at most `maxExplainedPaths` of them.
        var steps: [(node: Value, parent: Int)] = [(root, -1)]
        var stack = [0]
        var ends: [Int] = []
        while let top = stack.popLast() {
            try interpreter.checkInterrupt()
            let node = steps[top].node
            if node == leaf {
                ends.append(top)
                if ends.count >= Self.maxExplainedPaths { break }
                continue
            }
            for input in node.inputs.reversed() where reaches.contains(input) {
                steps.append((input, top))
                stack.append(steps.count - 1)
            }
        }
        // How many paths there are in all (2**60 for x = x + x sixty times), counted node by
        // node up from the leaf, as a Double so that no count overflows.
        var pathsDown: [Value: Double] = [leaf: 1]
        for v in root.topologicalOrder() where v != leaf && reaches.contains(v) {
            pathsDown[v] = v.inputs.reduce(0) { $0 + (pathsDown[$1] ?? 0) }
        }
        let allPaths = pathsDown[root] ?? Double(ends.count)
        let counted =
            allPaths > Double(ends.count)
            ? "the first \(ends.count) of \(allPaths < 1e15 ? String(Int(allPaths)) : allPaths.isFinite ? "about " + allPaths.pythonDescription : "more than 1e308") paths"
            : ends.count == 1 ? "one path" : "\(ends.count) paths"
        var text = ["d\(rootName)/d\(leafName) by the chain rule: \(counted) from \(rootName) down to \(leafName)"]
        var total = 0.0
        var terms: [String] = []
        for (p, end) in ends.enumerated() {
            var path: [Value] = []
            var i = end
            while i >= 0 {
                path.append(steps[i].node)
                i = steps[i].parent
            }
            path.reverse()
            text.append("")
            // (A long path, as down a sum of thousands of terms, shows its first and last
            // steps: all of them were millions of lines.)
            let links = path.count - 1
            let shown = { (k: Int) in links <= Self.maxShownLinks || k < Self.maxShownLinks / 2 || k >= links - Self.maxShownLinks / 2 }
            let hidden = "… \(links - 2 * (Self.maxShownLinks / 2)) more"
            let names = path.indices.filter { shown($0) || $0 == links }.map { name(of: path[$0]) }
            text.append(
                "path \(p + 1): "
                    + (links <= Self.maxShownLinks
                        ? names.joined(separator: " → ")
                        : (names.prefix(Self.maxShownLinks / 2) + [hidden] + names.suffix(Self.maxShownLinks / 2 + 1)).joined(
                            separator: " → ")))
            var product = 1.0
            var factors: [String] = []
            for (k, (outer, inner)) in zip(path, path.dropFirst()).enumerated() {
                try interpreter.checkInterrupt()
                let (symbol, value) = try localDerivative(of: outer, withRespectTo: inner)
                product *= value
                guard shown(k) else {
                    if k == Self.maxShownLinks / 2 {
                        text.append("  \(hidden) steps, each its local derivative")
                        factors.append(hidden)
                    }
                    continue
                }
                text.append("  ∂\(Self.grouped(name(of: outer)))/∂\(Self.grouped(name(of: inner))) = \(symbol)")
                factors.append(value.pythonDescription)
            }
            text.append(
                "  product: " + (factors.count == 1 ? factors[0] : factors.joined(separator: " × ") + " = " + product.pythonDescription))
            total += product
            terms.append(product.pythonDescription)
        }
        text.append("")
        if ends.count > 1 {
            text.append("sum over paths: " + terms.joined(separator: " + ") + " = " + total.pythonDescription)
        } else {
            text.append("d\(rootName)/d\(leafName) = " + total.pythonDescription)
        }
        if ends.count >= Self.maxExplainedPaths {
            text.append("(only the first \(Self.maxExplainedPaths) paths are shown; the sum above is theirs alone)")
        }
        text.append("backward gives \(name(of: leaf)).grad = \((grads[leaf] ?? 0).pythonDescription)")
        return text.joined(separator: "\n")
    }

    /// ∂outer/∂inner written out, and its value.
    func localDerivative(of outer: Value, withRespectTo inner: Value) throws(LanguageError) -> (String, Double) {
        let inputs = outer.inputs
        let x = inputs[0], out = outer.data
        /// "name = value", or just the value when the name is the value (an unnamed number).
        func named(_ name: String, _ value: Double) -> String {
            name == value.pythonDescription ? name : "\(name) = \(value.pythonDescription)"
        }
        switch outer.op {
        case .add:
            return ("1", 1)
        case .mul:
            let other = inputs[0] == inner ? inputs[1] : inputs[0]
            return (named(name(of: other), other.data), other.data)
        case .pow:
            let k = outer.exponent ?? 0
            let value = Op.pow.localDerivatives(x.data, k, out: out).dx
            return (
                "\(k.pythonDescription) · \(Session.grouped(name(of: x)))^\((k - 1).pythonDescription) = \(value.pythonDescription)", value
            )
        case .tanh:
            let value = 1 - out * out
            return ("1 - \(name(of: outer))² = \(value.pythonDescription)", value)
        case .exp:
            return (named(name(of: outer), out), out)
        case .log:
            return ("1 / \(name(of: x)) = \((1 / x.data).pythonDescription)", 1 / x.data)
        case .relu:
            let value: Double = out > 0 ? 1 : 0
            return (out > 0 ? "1 (it was positive)" : "0 (it was cut to 0)", value)
        case .sigmoid:
            let value = out * (1 - out)
            return ("\(name(of: outer)) · (1 - \(name(of: outer))) = \(value.pythonDescription)", value)
        case .leaf:
            return ("0", 0)
        case .custom:
            // The learner's own operation: what its _backward adds, for this input.
            let i = inputs.firstIndex(of: inner) ?? 0
            let value = try interpreter.localGradients(of: outer, at: SourceLocation(line: 1, column: 1))[i]
            return ("\(value.pythonDescription), from \(outer.opName)'s _backward", value)
        }
    }
}
