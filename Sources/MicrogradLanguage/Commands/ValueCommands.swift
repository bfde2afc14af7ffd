import Micrograd

// Looking at what the session holds.
extension Command {
    /// The most lines `:topo` prints unless asked for all.
    static let maxTopoLines = 200

    static let topo = Command(
        name: "topo", usage: ":topo [L] [all]", summary: "L's nodes in topological order",
        details:
            "Lists every node L depends on, each after the nodes it was made from: the order backward visits them in, reversed. A long list is cut after 200 lines; :topo L all prints every one.",
        example: ":topo L", arguments: 0...2
    ) { session, call throws(LanguageError) in
        var words = call.words
        let all = words.last?.text == "all"
        if all { words.removeLast() }
        guard words.count <= 1 else { throw call.usage(at: words[1]) }
        let root = try session.rootValue(words.first, call)
        let nodes = root.topologicalOrder()
        var lines: [String] = []
        for v in nodes.prefix(all ? nodes.count : maxTopoLines) {
            if lines.count & 1023 == 1023 { try session.interpreter.checkInterrupt() }
            lines.append(session.describe(v))
        }
        if nodes.count > lines.count {
            lines.append(
                "… \(nodes.count - lines.count) more (\(nodes.count) in all); :topo \(words.first?.text ?? "") all prints every one")
        }
        session.emit(.result, lines.joined(separator: "\n"))
    }

    static let vars = Command(
        name: "vars", usage: ":vars", summary: "every name, with its data and grad",
        details: "Lists the names you have defined: Values with their data and grad, functions, networks and lists.",
        example: ":vars", arguments: 0...0, isNavigation: true
    ) { session, _ throws(LanguageError) in
        session.emit(.result, session.variables())
    }
}

extension Session {
    func variables() -> String {
        let shown = names.filter { $0.key != "_" }
        if shown.isEmpty { return "no names yet; try a = 2.0" }
        var rows = [["name", "is", "data", "grad"]]
        for (n, object) in shown.sorted(by: { $0.key < $1.key }) {
            switch object {
            case .value(let v): rows.append([n, v.op == .leaf ? "leaf" : v.opName, v.data.pythonDescription, v.grad.pythonDescription])
            case .number, .integer: rows.append([n, "number", object.echo, ""])
            case .list(let l): rows.append([n, "list of \(l.items.count)", "", ""])
            // (A set of the tutorial's `visited` nodes, written out, made the column a
            // hundred wide and every row wrap.)
            case .set(let s): rows.append([n, "set of \(s.order.count)", "", ""])
            case .dict(let d): rows.append([n, "dict of \(d.order.count)", "", ""])
            case .tuple(let t) where object.echo.count > 32: rows.append([n, "tuple of \(t.count)", "", ""])
            case .string(let text) where object.echo.count > 32: rows.append([n, "string of \(text.count)", "", ""])
            case .network(let network): rows.append([n, object.echo, "\(network.parameters().count) parameters", ""])
            case .function(let f): rows.append([n, f.definition.isOneLine ? object.echo : "def " + f.signature, "", ""])
            default: rows.append([n, object.echo, "", ""])
            }
        }
        return columns(rows)
    }
}
