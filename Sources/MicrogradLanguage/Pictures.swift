import Micrograd

/// Drawings of a graph: Graphviz DOT like the tutorial's, and a left-to-right picture in
/// characters for the terminal.
extension Session {
    /// A graph with more nodes than this is summarised instead of drawn.
    static let maxDrawnNodes = 60

    // MARK: DOT

    /// Graphviz DOT for `root`'s graph, as the tutorial draws it: a record per value
    /// `{ label | data %.4f | grad %.4f }`, a small node per operation, left to right.
    func dot(for root: Value) -> String {
        var lines = ["digraph {", "  rankdir=LR;", "  node [fontname=\"Helvetica\"];"]
        for v in root.topologicalOrder() {
            let id = "n\(v.id)"
            let label = Self.dotEscaped(v.label ?? "")
            lines.append("  \(id) [shape=record, label=\"{ \(label) | data \(v.data.fixed(4)) | grad \(v.grad.fixed(4)) }\"];")
            if v.op != .leaf {
                lines.append("  \(id)op [label=\"\(Self.dotEscaped(v.opName))\"];")
                lines.append("  \(id)op -> \(id);")
                for input in v.inputs { lines.append("  n\(input.id) -> \(id)op;") }
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    static func dotEscaped(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\"{}|<>\\".contains(c) { out.append("\\") }
            out.append(c == "\n" ? " " : c)
        }
        return out
    }

    // MARK: In the terminal

    /// `root`'s graph drawn left to right: each value a box `label │ data │ grad`, each
    /// operation a small node joining its inputs, lines of box-drawing characters (or ASCII).
    /// A node used twice is drawn once; its second use points back to it.
    func drawing(of root: Value, ascii: Bool, width: Int) -> String {
        let nodes = root.topologicalOrder()
        guard nodes.count <= Self.maxDrawnNodes else { return summary(of: root, nodes: nodes) }
        var drawn = Set<Value>()
        let block = draw(root, ascii: ascii, drawn: &drawn)
        let lines = block.lines.map { $0.trimmingTrailingSpaces }
        let widest = lines.map(\.count).max() ?? 0
        guard widest > width else { return lines.joined(separator: "\n") }
        // Too wide: show it in slices the width of the terminal, left part first.
        var slices: [String] = []
        var start = 0
        while start < widest {
            let end = min(widest, start + width)
            slices.append("(columns \(start + 1)–\(end) of \(widest))")
            for line in lines {
                let chars = Array(line)
                slices.append(start < chars.count ? String(chars[start..<min(end, chars.count)]) : "")
            }
            start = end
        }
        return slices.joined(separator: "\n")
    }

    /// Lines of text, and the row whose right end is the value's output.
    struct Block {
        var lines: [String]
        var anchor: Int
        var width: Int { lines.map(\.count).max() ?? 0 }
    }

    /// `[label │ data │ grad]`, numbers to 4 decimals without trailing zeros.
    private func box(_ v: Value, ascii: Bool) -> String {
        let bar = ascii ? "|" : "│"
        return "[\(name(of: v)) \(bar) \(v.data.compact) \(bar) \(v.grad.compact)]"
    }

    private func draw(_ v: Value, ascii: Bool, drawn: inout Set<Value>) -> Block {
        if drawn.contains(v) {
            return Block(lines: [(ascii ? "(see " : "↺ ") + name(of: v) + (ascii ? " above)" : " (drawn above)")], anchor: 0)
        }
        drawn.insert(v)
        guard v.op != .leaf else { return Block(lines: [box(v, ascii: ascii)], anchor: 0) }
        // The inputs, stacked with a blank line between, padded to one width.
        var children = v.inputs.map { draw($0, ascii: ascii, drawn: &drawn) }
        let inner = children.map(\.width).max() ?? 0
        var lines: [String] = []
        var anchors: [Int] = []
        for (i, child) in children.enumerated() {
            if i > 0 { lines.append("") }
            anchors.append(lines.count + child.anchor)
            lines += child.lines
        }
        children = []
        let top = anchors.first!, bottom = anchors.last!
        let opRow = (top + bottom) / 2
        let h = ascii ? "-" : "─"
        let opText = "(" + v.opName + ")" + h + box(v, ascii: ascii)
        for row in lines.indices {
            let isAnchor = anchors.contains(row)
            // An input's line runs on to the joint; other lines are padded with spaces.
            var line = isAnchor ? lines[row] + h : lines[row]
            line += String(repeating: isAnchor ? Character(h) : " ", count: max(0, inner + 1 - line.count))
            let joint: String
            if top == bottom {
                joint = row == top ? h : " "
            } else if row == top {
                joint = ascii ? "+" : "┐"
            } else if row == bottom {
                joint = ascii ? "+" : "┘"
            } else if row > top && row < bottom {
                joint = isAnchor ? (ascii ? "+" : "┤") : (row == opRow ? (ascii ? "+" : "├") : (ascii ? "|" : "│"))
            } else {
                joint = " "
            }
            var j = joint
            if row == opRow && top != bottom && isAnchor && !ascii { j = "┼" }
            line += j
            if row == opRow { line += h + opText }
            lines[row] = line
        }
        return Block(lines: lines, anchor: opRow)
    }

    /// Counts instead of a drawing, for a graph too large to read.
    func summary(of root: Value, nodes: [Value]) -> String {
        var counts: [String: Int] = [:]
        var depth: [Value: Int] = [:]
        for v in nodes {
            counts[v.op == .leaf ? "leaf" : v.op.symbol, default: 0] += 1
            depth[v] = (v.inputs.map { depth[$0] ?? 0 }.max() ?? -1) + 1
        }
        let ops = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return """
            \(name(of: root)) depends on \(nodes.count) nodes, too many to draw here (more than \(Self.maxDrawnNodes)):
              by operation: \(ops)
              leaves: \(counts["leaf"] ?? 0), root: \(name(of: root)) = \(root.data.pythonDescription), depth: \(depth[root] ?? 0)
            :dot \(name(of: root)) FILE writes it for Graphviz, and :svg \(name(of: root)) FILE draws it as a picture.
            """
    }

    // MARK: The chain rule, path by path

    /// Every path from `root` down to `leaf`, each edge's local derivative in symbols and
    /// numbers, the product along each path and the sum over paths.
    func explanation(of leaf: Value, from root: Value) throws(LanguageError) -> String {
        let rootName = Self.grouped(name(of: root)), leafName = Self.grouped(name(of: leaf))
        let grads = freshGradients(root)
        // Paths, found by walking from the root through inputs (depth-first, a stack of
        // partial paths, so no recursion); capped so a wide graph cannot explode.
        var paths: [[Value]] = []
        var stack: [[Value]] = [[root]]
        var truncated = false
        // The nodes with a path down to the leaf: inputs come first in topological order.
        var reaches = Set<Value>()
        for v in root.topologicalOrder() where v == leaf || v.inputs.contains(where: reaches.contains) {
            reaches.insert(v)
        }
        while let path = stack.popLast() {
            try checkInterrupt()
            let last = path.last!
            if last == leaf {
                paths.append(path)
                if paths.count >= 50 { truncated = true; break }
                continue
            }
            for input in last.inputs.reversed() where reaches.contains(input) { stack.append(path + [input]) }
        }
        guard !paths.isEmpty else {
            throw LanguageError("\(rootName) does not depend on \(leafName), so d\(rootName)/d\(leafName) is 0")
        }
        var text = ["d\(rootName)/d\(leafName) by the chain rule: \(paths.count == 1 ? "one path" : "\(paths.count) paths") from \(rootName) down to \(leafName)"]
        var total = 0.0
        var terms: [String] = []
        for (p, path) in paths.enumerated() {
            text.append("")
            text.append("path \(p + 1): " + path.map(name(of:)).joined(separator: " → "))
            var product = 1.0
            var factors: [String] = []
            for (outer, inner) in zip(path, path.dropFirst()) {
                // Which operand `inner` is (a node used twice counts once per use: each use is a path).
                let (symbol, value) = localDerivative(of: outer, withRespectTo: inner)
                text.append("  ∂\(Self.grouped(name(of: outer)))/∂\(Self.grouped(name(of: inner))) = \(symbol)")
                product *= value
                factors.append(value.pythonDescription)
            }
            text.append("  product: " + factors.joined(separator: " × ") + " = " + product.pythonDescription)
            total += product
            terms.append(product.pythonDescription)
        }
        text.append("")
        if paths.count > 1 { text.append("sum over paths: " + terms.joined(separator: " + ") + " = " + total.pythonDescription) }
        else { text.append("d\(rootName)/d\(leafName) = " + total.pythonDescription) }
        if truncated { text.append("(only the first 50 paths are shown; the sum above is theirs alone)") }
        text.append("backward gives \(name(of: leaf)).grad = \((grads[leaf] ?? 0).pythonDescription)")
        return text.joined(separator: "\n")
    }

    /// ∂outer/∂inner written out, and its value.
    func localDerivative(of outer: Value, withRespectTo inner: Value) -> (String, Double) {
        let inputs = outer.inputs
        let x = inputs[0], out = outer.data
        switch outer.op {
        case .add:
            return ("1", 1)
        case .mul:
            let other = inputs[0] == inner ? inputs[1] : inputs[0]
            return ("\(name(of: other)) = \(other.data.pythonDescription)", other.data)
        case .pow:
            let k = outer.exponent ?? 0
            let value = Op.pow.localDerivatives(x.data, k, out: out).dx
            return ("\(k.pythonDescription) · \(name(of: x))^\((k - 1).pythonDescription) = \(value.pythonDescription)", value)
        case .tanh:
            let value = 1 - out * out
            return ("1 - \(name(of: outer))² = \(value.pythonDescription)", value)
        case .exp:
            return ("\(name(of: outer)) = \(out.pythonDescription)", out)
        case .log:
            return ("1 / \(name(of: x)) = \((1 / x.data).pythonDescription)", 1 / x.data)
        case .relu:
            let value: Double = out > 0 ? 1 : 0
            return ("\(out > 0 ? "1 (it was positive)" : "0 (it was cut to 0)")", value)
        case .sigmoid:
            let value = out * (1 - out)
            return ("\(name(of: outer)) · (1 - \(name(of: outer))) = \(value.pythonDescription)", value)
        case .leaf:
            return ("0", 0)
        }
    }
}

extension Session {
    /// A node's name as a term in a formula: parenthesised if it is itself a formula.
    static func grouped(_ name: String) -> String {
        name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "#" || $0 == "." || $0 == "-" } ? name : "(" + name + ")"
    }
}

extension Double {
    /// To 4 decimals, without trailing zeros: 2.0, -1.5, 0.7071.
    var compact: String {
        var text = fixed(4)
        guard text.contains("."), isFinite, Swift.abs(self) < 9e11 else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text += "0" }
        return text
    }
}

extension Double {
    /// Fixed-point with `places` decimals, as C's %.4f writes it for ordinary sizes.
    func fixed(_ places: Int) -> String {
        guard isFinite else { return pythonDescription }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        guard Swift.abs(self) * scale < 9e15 else { return pythonDescription }
        let scaled = (Swift.abs(self) * scale).rounded()
        let whole = Int(scaled)
        var digits = String(whole)
        if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
        let point = digits.index(digits.endIndex, offsetBy: -places)
        let sign = self < 0 && scaled != 0 ? "-" : ""
        return sign + digits[..<point] + (places > 0 ? "." + digits[point...] : "")
    }
}
