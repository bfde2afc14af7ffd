import Micrograd

// Training: moving the leaves along their grads.
extension Command {
    static let step = Command(
        name: "step", usage: ":step LR [L]", summary: "data += LR*grad on L's parameters, re-run L (LR < 0 descends)",
        details:
            "Moves the network parameters in L's graph (or, in a graph with no network, every leaf your names hold, directly or in a list, dict or function) by LR times its grad, re-runs the forward pass, and prints L before -> after. A positive LR climbs L; a negative LR descends, which is what training does (:train takes a positive LR and descends). Run :grad L first so the grads are fresh.",
        example: ":grad L\n:step 0.01 L", arguments: 1...2
    ) { session, call throws(LanguageError) in
        let lr = try session.number(call.words[0], call.source)
        let root = try session.rootValue(call.words.count > 1 ? call.words[1] : nil, call)
        let leaves = session.trainableLeaves(of: root)
        let rootName = session.name(of: root)
        guard !leaves.isEmpty else {
            throw LanguageError("\(rootName) has no network parameters, and no leaves your names hold, to move", at: call.location)
        }
        if leaves.allSatisfy({ $0.grad == 0 }) {
            session.warn(
                LanguageError("every grad is 0, so nothing moves; run :grad \(rootName) first", at: call.location), in: call.source)
        }
        if let note = session.movedLeavesNote(leaves, of: root, always: false) { session.emit(.result, note) }
        let before = root.data
        if let refused = Session.move(leaves, by: lr, shownAs: call.words[0].text) {
            throw LanguageError("this step would take \(refused.what), so nothing moved; \(refused.advice)", at: call.location)
        }
        let after = try session.interpreter.recompute(root, at: call.location)
        session.emit(
            .result,
            "\(rootName): \(before.pythonDescription) -> \(after.pythonDescription)  (each leaf: data += \(call.words[0].text) * grad)")
    }

    static let train = Command(
        name: "train", usage: ":train [L] STEPS [LR]", summary: "STEPS rounds of forward, zero, backward, data -= LR*grad",
        details:
            "Trains on L's graph as it stands: each step re-runs the forward pass, zeroes the grads, runs backward, and moves the network parameters in it by -LR*grad (so a positive LR descends, unlike :step's); in a graph with no network, it moves the leaves your names hold, directly or in a list, dict or function (a network built by hand), and says which. The numbers the graph was given stay as they are, as do named leaves beside a network, its inputs and targets. LR is a number or an expression in the step number k, such as 1 - 0.9*k/100; it is 0.05 if left out. Progress is printed as it goes, with the loss each step began with; the last line is the loss after the last update. Ctrl-C stops after the current step, leaving the parameters where they got to.",
        example: "n = MLP(3, [4, 4, 1])\nloss = sum((n(xs) - ys)**2)\n:train loss 100 0.05"
    ) { session, call throws(LanguageError) in
        try session.train(call)
    }
}

extension Session {
    /// Moves every leaf by `factor` (written `shownAs`) times its grad, :step's and :train's
    /// update, unless that would take a finite leaf past the largest float, or to nan (its
    /// grad is nan): then nothing moves, and what it would have become, and why, is returned
    /// with what to do. (Checked first, so nothing has to be taken back.)
    static func move(_ leaves: [Value], by factor: Double, shownAs shown: String) -> (what: String, advice: String)? {
        for leaf in leaves {
            let new = leaf.data + factor * leaf.grad
            guard leaf.data.isFinite && !new.isFinite else { continue }
            if leaf.grad.isNaN {
                return ("a leaf to nan (its grad is nan)", "a nan in the graph's numbers makes one; find it with :grad")
            }
            return ("a leaf to \(new.pythonDescription) (its grad times \(shown) is past the largest float)", "try a smaller learning rate")
        }
        for leaf in leaves { leaf.data += factor * leaf.grad }
        return nil
    }

    /// The leaves of `root`'s graph that training and `:step` move: the network parameters,
    /// as a training loop over `n.parameters()` moves them; or, in a graph with no network,
    /// the leaves the learner holds, by a name (`a`, `b`, … of a hand-made expression) or
    /// in a list, dict or function a name holds (the weights of a network built by hand,
    /// `w = [Value(…) for _ in range(3)]`). The numbers an expression was given (`x * 2.0`,
    /// a float input) are held by nothing and stay. Named leaves beside a network stay put
    /// too: they are its inputs and targets (`ygt = 1.0`), and moving a target toward the
    /// output brings the loss down without teaching the network anything.
    func trainableLeaves(of root: Value) -> [Value] {
        let leaves = root.leaves
        let parameters = leaves.filter { interpreter.modelParameters.contains($0.id) }
        guard parameters.isEmpty else { return parameters }
        var held = Set<Int32>()
        interpreter.forEachNode { held.insert($0) }
        return leaves.filter { held.contains($0.id) }
    }

    /// What :train and :step say they move in a graph with no network, by the names that
    /// hold it: `x1, w1 and b`, or `41 in mine and 12 in vx` (the inputs, held as Values in a
    /// list, move too, and the learner should see that they do). Nil for a network's
    /// parameters; and, unless `always`, when every leaf moved has a name of its own (:step
    /// on the tutorial's L moves a, b, c and f, as its table shows). (It moved only the
    /// named leaves of a network built by hand, unsaid.)
    func movedLeavesNote(_ leaves: [Value], of root: Value, always: Bool) -> String? {
        guard !leaves.contains(where: { interpreter.modelParameters.contains($0.id) }) else { return nil }
        // Each leaf's holder: the name that is the leaf itself, else the first name, in
        // order, that reaches it (`k` named a leaf that a dict `d` held too: "1 in d").
        // (`names` is made afresh each time it is asked for: asked once, not once a leaf.)
        var holder: [Int32: String] = [:], named = Set<Int32>()
        let sorted = names.sorted(by: { $0.key < $1.key })
        for (name, object) in sorted {
            if case .value(let v) = object, holder[v.id] == nil {
                holder[v.id] = name
                named.insert(v.id)
            }
        }
        for (name, object) in sorted {
            var walker = ObjectWalker { id in if holder[id] == nil { holder[id] = name } }
            walker.walk(object)
        }
        var bare: [String] = [], held: [String: Int] = [:], elsewhere = 0
        for leaf in leaves {
            guard let name = holder[leaf.id] else {
                elsewhere += 1
                continue
            }
            if named.contains(leaf.id) { bare.append(name) } else { held[name, default: 0] += 1 }
        }
        guard always || bare.count < leaves.count else { return nil }
        var parts = bare.count > 6 ? Array(bare.prefix(5)) + ["\(bare.count - 5) more by name"] : bare
        parts += held.sorted { $0.key < $1.key }.map { "\($0.value) in \($0.key)" }
        if elsewhere > 0 { parts.append("\(elsewhere) held elsewhere") }
        let list = parts.count > 1 ? parts.dropLast().joined(separator: ", ") + " and " + parts.last! : parts.joined()
        let what = leaves.count == 1 ? "the leaf" : "the \(leaves.count) leaves"
        let others = root.leaves.count - leaves.count
        let staying =
            others == 0
            ? ""
            : " (its other \(others == 1 ? "leaf, a number" : "\(others) leaves, numbers") it was given, stay\(others == 1 ? "s" : "") as \(others == 1 ? "it is" : "they are"))"
        return "moving \(what) of \(name(of: root)) that your names hold: \(list)\(staying)"
    }

    fileprivate func train(_ call: CommandCall) throws(LanguageError) {
        var rest = call.words[...]
        let root: Value
        if let first = rest.first, let kind = try? Parser.expression(first.text, at: first.location).kind, kind.isNumberLiteral {
            root = try rootValue(nil, call)
        } else if let first = rest.first {
            root = try value(first, call.source)
            rest = rest.dropFirst()
        } else {
            throw LanguageError("usage: :train [L] STEPS [LR]", at: call.location)
        }
        guard let stepsWord = rest.first else { throw LanguageError("how many steps? usage: :train [L] STEPS [LR]", at: call.location) }
        let stepsNumber = try number(stepsWord, call.source)
        guard stepsNumber >= 1, stepsNumber == stepsNumber.rounded(), stepsNumber <= 10_000_000 else {
            throw LanguageError("STEPS is a whole number from 1 to 10000000", at: stepsWord.location)
        }
        let steps = Int(stepsNumber)
        // The learning rate: the rest of the line, an expression that may use the step number k.
        var schedule = Expr(kind: .number(0.05), location: call.location)
        var scheduleText = "0.05"
        if let lr = call.line.rest(from: call.words.count - rest.count + 1) {
            schedule = try Parser.expression(lr.text, at: lr.location)
            scheduleText = schedule.kind.isNumberLiteral ? lr.text : "(\(lr.text))"
        }
        let leaves = trainableLeaves(of: root)
        let rootName = name(of: root)
        guard !leaves.isEmpty else {
            throw LanguageError("\(rootName) has no network parameters, and no leaves your names hold, to train", at: call.location)
        }
        // (Always: training a graph built by hand moved the inputs typed as floats too.)
        if let note = movedLeavesNote(leaves, of: root, always: true) { emit(.result, note) }
        let every = max(1, steps / 10)
        var warnedOfAscent = false
        let scope = Environment(parent: nil, definition: nil)
        let context = Context(environment: scope, source: call.source)
        for k in 0..<steps {
            do throws(LanguageError) {
                try interpreter.checkInterrupt()
            } catch {
                // Ctrl-C between steps: every parameter has had k updates. Say how far it got.
                if error == .interrupted, k > 0, let loss = try? interpreter.recompute(root, at: call.location) {
                    emit(.result, "stopped after \(k) of \(steps) steps: \(rootName) is \(loss.pythonDescription) now")
                }
                throw error
            }
            scope.values["k"] = .integer(k)
            guard let lr = try interpreter.evaluate(schedule, context).plainNumber.double, lr.isFinite else {
                throw LanguageError("the learning rate must be a finite number (at step \(k))", at: schedule.location)
            }
            if lr < 0 && !warnedOfAscent {
                warnedOfAscent = true
                warn(
                    LanguageError(
                        "the learning rate is \(lr.pythonDescription) at step \(k): :train takes data -= LR*grad, so a negative LR climbs \(rootName) (:step is the one that takes a negative LR to descend)",
                        at: schedule.location), in: call.source)
            }
            let loss = try interpreter.recompute(root, at: call.location)
            // (A loss that is not finite stops before its update: the update after it left
            // every leaf nan.)
            if !loss.isFinite {
                throw LanguageError(
                    "\(rootName) became \(loss.pythonDescription) at step \(k); try a smaller learning rate (the leaves are as they were before this step)",
                    at: call.location)
            }
            root.zeroGrad()
            try interpreter.backward(from: root, at: call.location)
            // (An update past the largest float is not made, rather than left for the next step.)
            if let refused = Session.move(leaves, by: -lr, shownAs: lr.pythonDescription) {
                throw LanguageError(
                    "step \(k)'s update would take \(refused.what), so it was not made; \(refused.advice)", at: call.location)
            }
            if k == 0 { state.lossHistory = [] }
            state.lossHistory.append(loss)
            let line = "step \(k) \(rootName) \(loss.pythonDescription)"
            emit(.progress, line)
            if k % every == 0 || k == steps - 1 { emit(.result, line) }
        }
        interpreter.lastRoot = root
        emit(
            .result,
            "\(rootName) \(try interpreter.recompute(root, at: call.location).pythonDescription) after \(steps) step\(steps == 1 ? "" : "s")\n(each step: data -= \(scheduleText) * grad; a step's line\nshows the loss before its update, this one after the last)"
        )
    }
}
