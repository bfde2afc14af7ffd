import Micrograd

// Graphviz DOT for a graph, as the tutorial draws it.
extension Session {
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
}
