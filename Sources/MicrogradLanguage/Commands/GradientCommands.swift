import Micrograd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Gradients: working them out, and checking them.
extension Command {
    static let grad = Command(
        name: "grad", usage: ":grad [L]", summary: "zero L's grads, backward from L, and show every node",
        details:
            "Sets every grad in L's graph to 0, runs backward from L, and prints a table of every node L depends on: its name (its label, or how it was made), the op that made it ('leaf' for a value you typed), its data, and its grad, which is dL/d(node). A graph of more than 200 nodes (a network's) is shown by its root and its labelled nodes.",
        example: "a = 2.0; b = -3.0; L = a*b\n:grad L", arguments: 0...1
    ) { session, call throws(LanguageError) in
        let root = try session.rootValue(call.words.first, call)
        root.zeroGrad()
        try session.interpreter.backward(from: root, at: call.location)
        session.interpreter.lastRoot = root
        session.emit(.result, session.table(for: root))
    }

    static let backward = Command(
        name: "backward", usage: ":backward [L]", summary: "backward from L, exactly like L.backward()",
        details:
            "Sets L's grad to 1 and adds every node's share of dL/d(node) to its grad, as micrograd does. Grads accumulate: running it twice doubles them, so use :zero (or :grad) for a fresh start.",
        example: ":backward L", arguments: 0...1
    ) { session, call throws(LanguageError) in
        let root = try session.rootValue(call.words.first, call)
        try session.interpreter.backward(from: root, at: call.location)
        session.interpreter.lastRoot = root
        let name = session.name(of: root)
        let count = root.topologicalOrder().count
        session.emit(
            .result,
            "backward from \(name): \(count) node\(count == 1 ? " now holds" : "s now hold") d\(name)/d(node); :grad shows \(count == 1 ? "it" : "them")"
        )
    }

    static let zero = Command(
        name: "zero", usage: ":zero [L]", summary: "set grads to 0 (L's graph, or every Value)",
        details: "With L, zeroes the grad of L and of every node L depends on; alone, zeroes every grad in the session.",
        example: ":zero L", arguments: 0...1
    ) { session, call throws(LanguageError) in
        if let word = call.words.first {
            try session.value(word, call.source).zeroGrad()
        } else {
            session.graph.zeroGrad()
        }
    }

    static let nudge = Command(
        name: "nudge", usage: ":nudge a h [L]", summary: "nudge a by h and compare the slope of L with its gradient",
        details:
            "Adds h to a's data, re-runs L's forward pass, and prints L before and after, the slope (L2 - L1)/h beside the gradient dL/da that backward gives, and their difference. Then puts a back as it was. a must be a leaf (a value you typed). Without L it uses the root of the last :grad or :backward, else the last name you assigned.",
        example: ":nudge a 0.0001 L", arguments: 2...3
    ) { session, call throws(LanguageError) in
        let words = call.words
        let leaf = try session.value(words[0], call.source)
        let h = try session.number(words[1], call.source)
        guard h != 0 else { throw LanguageError("h must not be 0 (the slope divides by it)", at: words[1].location) }
        let root = try session.rootValue(words.count > 2 ? words[2] : nil, call)
        guard leaf.op == .leaf else {
            let leaves = root.leaves.filter { $0.label != nil }.map(session.name(of:))
            throw LanguageError(
                "\(words[0].text) is computed from other values, so a nudge would be undone by the forward pass; nudge a leaf\(leaves.isEmpty ? "" : " (" + leaves.joined(separator: ", ") + ")")",
                at: words[0].location)
        }
        let rootName = session.name(of: root), leafName = session.name(of: leaf)
        guard root.leaves.contains(leaf) else {
            let note = session.rebuiltNameNote(words[0].text, leaf: leaf, root: root)
            throw LanguageError(
                "\(rootName) does not depend on \(leafName)\(note.isEmpty ? ", so nudging it changes nothing" : note)",
                at: words[0].location)
        }
        let gradient = try session.freshGradients(root, at: call.location)[leaf] ?? 0
        let original = leaf.data
        // (A step of a power of ten: 0.0001, or a millionth of a large leaf's size.)
        func step(atLeast x: Double) -> String { pow(10, ceil(log10(x))).pythonDescription }
        guard original.isFinite else {
            throw LanguageError(
                "\(leafName) is \(original.pythonDescription), which no step moves; give it a finite value first", at: words[0].location)
        }
        guard original + h != original else {
            let rest = ([words[0].text, step(atLeast: Swift.max(1e-4, abs(original) * 1e-6))] + words.dropFirst(2).map(\.text))
            throw LanguageError(
                "\(leafName) + \(words[1].text) is \(leafName) again: a float next to \(original.pythonDescription) is \(original.ulp.pythonDescription) away, so a step of \(h.pythonDescription) is lost; try :nudge \(rest.joined(separator: " "))",
                at: words[1].location)
        }
        defer { leaf.data = original; _ = try? session.interpreter.recompute(root, at: call.location) }
        let before = try session.interpreter.recompute(root, at: call.location)
        leaf.data = original + h
        let after = try session.interpreter.recompute(root, at: call.location)
        let slope = (after - before) / h
        var rows = [
            ["\(rootName) before", before.pythonDescription],
            ["\(rootName) after \(leafName) += \(h.pythonDescription)", after.pythonDescription],
            // (`(#1162 - #1161)/h` read as two nodes: a number's name is written after.)
            [rootName.hasPrefix("#") ? "slope (after - before)/h" : "slope (\(rootName)2 - \(rootName)1)/h", slope.pythonDescription],
            ["d\(rootName)/d\(leafName) from backward", gradient.pythonDescription],
            ["difference", (slope - gradient).pythonDescription],
        ]
        // A grad set by hand (or left over from another backward) is shown beside, so a
        // learner checking their own work sees it compared too.
        if leaf.grad != 0 && leaf.grad != gradient {
            rows.append(["\(leafName).grad as it is now", leaf.grad.pythonDescription + "  (not what backward gives)"])
        }
        session.emit(.result, columns(rows))
        // A step so small that the rounding of L's last digit is a large part of L2 - L1:
        // the slope is then mostly that rounding, and looks like a wrong gradient.
        // (Both 0: the slope is right, rounding or not.)
        let rounding = (before.ulp + after.ulp) / abs(h), scale = Swift.max(abs(gradient), abs(slope))
        if rounding.isFinite, scale > 0, rounding > 0.01 * scale {
            let enough = step(atLeast: (before.ulp + after.ulp) / (0.01 * scale))
            session.warn(
                LanguageError(
                    "h = \(h.pythonDescription) is so small that rounding in \(rootName)'s last digits moves the slope by up to \(rounding.pythonDescription); an h of \(enough) or more shows the slope",
                    at: words[1].location, in: call.source))
        }
    }

    /// How many node steps :check takes before it warns that it will take a while (about
    /// a second's work).
    static let checkStepsWithoutWarning = 2e8

    static let check = Command(
        name: "check", usage: ":check [L]", summary: "check backward against finite differences for every leaf",
        details:
            "For every leaf of L's graph, compares dL/d(leaf) from backward with the central difference (L(x+h) - L(x-h))/2h, h = 1e-6, and prints one line per leaf with the relative error and whether it passes (relative error below 1e-4).",
        example: ":check L", arguments: 0...1, drawsToWidth: true
    ) { session, call throws(LanguageError) in
        let root = try session.rootValue(call.words.first, call)
        let gradients = try session.freshGradients(root, at: call.location)
        let h = 1e-6
        var rows = [["leaf", "backward", "numeric", "rel. error", ""]]
        var failed = 0, worst = 0.0
        let leaves = root.leaves
        // Each leaf costs two forward passes over the graph: a network's worth of leaves
        // takes minutes, so say so before it starts rather than sit silent.
        let steps = Double(leaves.count) * Double(gradients.count) * 3
        if steps > Self.checkStepsWithoutWarning {
            session.warn(
                LanguageError(
                    "checking \(leaves.count) leaves takes 3 passes each over \(gradients.count) nodes, which may take minutes and prints a line per leaf; Ctrl-C stops it, and a small network (or one neuron) checks as well",
                    at: call.location), in: call.source)
        }
        // The leaves that functions of the learner's made as they ran: the function runs
        // again when a leaf changes, and hands back only those its `Value(x)` made.
        var madeBy: [Value: String] = [:]
        for (node, producer) in session.interpreter.learner.producers {
            for made in producer.madeLeaves { madeBy[made.leaf] = producer.function.functionName ?? node.opName }
        }
        var unreached = 0
        for leaf in leaves {
            try session.interpreter.checkInterrupt()
            let leafName = session.name(of: leaf)
            let original = leaf.data
            defer { leaf.data = original; _ = try? session.interpreter.recompute(root, at: call.location) }
            session.interpreter.replayedLeaves = []
            leaf.data = original + h
            let up = try session.interpreter.recompute(root, at: call.location)
            leaf.data = original - h
            let down = try session.interpreter.recompute(root, at: call.location)
            let numeric = (up - down) / (2 * h)
            let analytic = gradients[leaf] ?? 0
            if let maker = madeBy[leaf], !session.interpreter.replayedLeaves.contains(leaf) {
                // (`self * 2.0` inside a function makes its 2.0 anew each run: no nudge reaches it.)
                rows.append([leafName, analytic.pythonDescription, "-", "-", "made anew by \(maker)"])
                unreached += 1
                continue
            }
            let scale = max(abs(analytic), abs(numeric), 1e-8)
            let error = abs(analytic - numeric) / scale
            let ok = error < 1e-4 || abs(analytic - numeric) < 1e-8
            if !ok { failed += 1 }
            if error.isNaN || error > worst { worst = error }
            // The estimate to 11 digits: its last ones are noise, and the table then fits 60 columns.
            rows.append([leafName, analytic.pythonDescription, numeric.significant(11), error.short, ok ? "ok" : "FAIL"])
        }
        var text = columns(rows)
        let checked = leaves.count - unreached
        text +=
            failed == 0
            ? (checked == 1
                ? "\nthe leaf agrees (relative error \(worst.short))"
                : "\nall \(checked) leaves agree (largest relative error \(worst.short))")
            : (checked == 1 ? "\nthe leaf disagrees" : "\n\(failed) of \(checked) leaves disagree")
        if unreached > 0 {
            text +=
                "\n"
                + wrapped(
                    "(\(unreached == 1 ? "1 leaf was" : "\(unreached) leaves were") made inside a function of yours, which makes \(unreached == 1 ? "it" : "them") anew each time it runs, so a nudge does not reach \(unreached == 1 ? "it" : "them"); to check \(unreached == 1 ? "it" : "them"), pass \(unreached == 1 ? "it" : "them") in as an argument)",
                    width: max(40, session.host.width - 1))
        }
        text += try session.checkLearnerNodes(below: root, at: call.location)
        session.emit(.result, text)
    }
}

extension Session {
    /// Runs backward from `root` on fresh grads and returns them, leaving every grad as it was.
    func freshGradients(_ root: Value, at location: SourceLocation) throws(LanguageError) -> [Value: Double] {
        let nodes = root.topologicalOrder()
        let saved = nodes.map(\.grad)
        defer { for (v, g) in zip(nodes, saved) { v.grad = g } }
        root.zeroGrad()
        try interpreter.backward(from: root, at: location)
        var result: [Value: Double] = [:]
        for v in nodes { result[v] = v.grad }
        return result
    }

    /// For each node of the learner's own below `root`, its `_backward` checked against the
    /// slope of the function that made it, input by input: a line for each that disagrees.
    func checkLearnerNodes(below root: Value, at location: SourceLocation) throws(LanguageError) -> String {
        var lines: [String] = []
        for node in root.topologicalOrder() where node.op == .custom {
            try interpreter.checkInterrupt()
            let made = "the '\(node.opName)' node \(name(of: node))"
            guard interpreter.learner.producers[node] != nil else {
                lines.append("\(made) was made directly, not by a function, so it cannot be checked on its own")
                continue
            }
            let analytic = try interpreter.localGradients(of: node, at: location)
            let numeric = try interpreter.numericGradients(of: node, at: location)
            for (input, (a, n)) in zip(node.inputs, zip(analytic, numeric)) {
                guard let n else {
                    let maker = interpreter.learner.producers[node]?.function.functionName ?? "its function"
                    let line = wrapped(
                        "\(made): its input \(name(of: input)) is made anew each time \(maker) runs, so its share there is checked only through the leaves above",
                        width: max(40, host.width - 1))
                    if !lines.contains(line) { lines.append(line) }
                    continue
                }
                let error = abs(a - n) / max(abs(a), abs(n), 1e-8)
                guard error >= 1e-4 && abs(a - n) >= 1e-8 else { continue }
                let inputName = name(of: input)
                // (The tutorial's `a + a`: an input that is two of the inputs gets both
                // shares only if each is added; `=` keeps the last.)
                let twice = node.inputs.filter { $0 == input }.count > 1
                let advice =
                    twice
                    ? "\(inputName) is \(node.inputs.filter { $0 == input }.count) of its inputs, and each must add its share: does its _backward set \(inputName).grad with = where it should add with +=?"
                    : "look at what its _backward adds to \(inputName).grad"
                let line = wrapped(
                    "\(made): its _backward changes \(inputName).grad by \(a.pythonDescription) × grad, but the slope of \(node.opName) in \(inputName) is \(n.pythonDescription) (relative error \(error.short)); \(advice)",
                    width: max(40, host.width - 1))
                if !lines.contains(line) { lines.append(line) }  // an input used twice (a + a) is one finding
            }
        }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")
    }

    /// The most rows `:grad` shows: past them, a network's graph (65,000 nodes for the two
    /// moons) would push the whole session out of the terminal's scrollback.
    static let maxTableRows = 200

    /// Every node `root` depends on, with its op, data and grad; for a graph of more than
    /// `maxTableRows` nodes, the labelled ones (and the root), and how to see the rest.
    func table(for root: Value) -> String {
        let nodes = root.topologicalOrder()
        let shown = nodes.count <= Self.maxTableRows ? nodes : nodes.filter { $0 == root || $0.label?.isEmpty == false }
        var rows = [["node", "op", "data", "grad"]]
        for v in shown.prefix(Self.maxTableRows) {
            rows.append([name(of: v), v.op == .leaf ? "leaf" : v.opName, v.data.pythonDescription, v.grad.pythonDescription])
        }
        var text = columns(rows)
        if shown.count < nodes.count || shown.count > Self.maxTableRows {
            let rootName = name(of: root)
            text +=
                "\n"
                + wrapped(
                    "(\(rootName) depends on \(nodes.count) nodes, more than the \(Self.maxTableRows) a table shows: above are \(min(shown.count, Self.maxTableRows)) of them, the root and labelled nodes. Each node's grad is set: read one as x.grad, give nodes a label to list them here, or write the whole graph with :dot \(rootName) FILE.)",
                    width: max(40, host.width - 1))
        }
        let bad = root.nonFiniteNodes()
        if !bad.isEmpty {
            text +=
                "\nwarning: \(bad.count) node\(bad.count == 1 ? " has" : "s have") inf or nan data or grad: "
                + bad.prefix(8).map(name(of:)).joined(separator: ", ")
        }
        return text
    }
}
