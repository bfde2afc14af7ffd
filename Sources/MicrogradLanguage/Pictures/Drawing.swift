import Micrograd

/// A left-to-right picture of a graph in characters, for the terminal.
extension Session {
    /// A graph with more nodes than this is summarised instead of drawn.
    static let maxDrawnNodes = 60

    /// `root`'s graph drawn left to right: each value a box `label │ data │ grad`, each
    /// operation a small node joining its inputs, lines of box-drawing characters (or ASCII).
    /// A node used twice is drawn once; its second use points back to it.
    func drawing(of root: Value, ascii: Bool, width: Int) -> String {
        let nodes = root.topologicalOrder()
        guard nodes.count <= Self.maxDrawnNodes else { return summary(of: root, nodes: nodes) }
        var drawn = Set<Value>()
        let block = draw(root, ascii: ascii, drawn: &drawn)
        let lines = block.lines.map { $0.trimmingTrailingSpaces }
        let widest = lines.map(\.columns).max() ?? 0
        guard widest > width, width >= 10 else { return lines.joined(separator: "\n") }
        // Too wide: show it in slices the width of the terminal, left part first.
        var slices: [String] = []
        var start = 0
        while start < widest {
            let end = min(widest, start + width)
            slices.append("(columns \(start + 1)–\(end) of \(widest))")
            for line in lines { slices.append(line.inColumns(start..<end)) }
            start = end
        }
        return slices.joined(separator: "\n")
    }

    /// Lines of text, and the row whose right end is the value's output.
    struct Block {
        var lines: [String]
        var anchor: Int
        /// In columns of the terminal (a Chinese label's characters take two each).
        var width: Int { lines.map(\.columns).max() ?? 0 }
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
            line += String(repeating: isAnchor ? Character(h) : " ", count: max(0, inner + 1 - line.columns))
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
        let width = max(40, host.width - 1)
        return [
            wrapped(
                "\(name(of: root)) depends on \(nodes.count) nodes, too many to draw here (more than \(Self.maxDrawnNodes)):", width: width),
            wrapped("  by operation: \(ops)", width: width),
            wrapped(
                "  leaves: \(counts["leaf"] ?? 0), root: \(name(of: root)) = \(root.data.pythonDescription), depth: \(depth[root] ?? 0)",
                width: width),
            wrapped(
                ":dot \(name(of: root)) FILE writes it for Graphviz, and :svg \(name(of: root)) FILE draws it as a picture.", width: width),
        ].joined(separator: "\n")
    }
}
