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

    /// `s` as a record label's text: its special characters escaped, and control
    /// characters (a NUL in a label made a file dot could not read) shown as � .
    static func dotEscaped(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\"{}|<>\\".contains(c) { out.append("\\") }
            if c == "\n" || c == "\r\n" {
                out.append(" ")
            } else if c.unicodeScalars.contains(where: \.isControl) {
                out.append("\u{FFFD}")
            } else {
                out.append(c)
            }
        }
        return out
    }
}
