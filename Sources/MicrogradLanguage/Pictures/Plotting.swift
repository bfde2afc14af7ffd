import Micrograd

// :plot — a function, the last training run, or a network's decision boundary.
extension Session {
    func plot(_ call: CommandCall) throws(LanguageError) {
        let (words, ascii) = flags(call)
        let usage =
            "usage: :plot f LO HI (a function of one number), :plot loss (after :train), or :plot n xs ys (a two-input network over data)"
        guard let first = words.first else { throw LanguageError(usage, at: call.location) }
        let plotWidth = max(20, min(host.width - 10, 72)), plotHeight = 14
        var canvas = Plot(width: plotWidth, height: plotHeight, ascii: ascii)
        canvas.room = host.width - 1
        if first.text == "loss" && words.count == 1 {
            let history = state.lossHistory
            guard history.count >= 2 else { throw LanguageError("no training to plot yet: :train a loss first", at: first.location) }
            let points = history.enumerated().map { (Double($0.offset), $0.element) }
            emit(
                .result,
                "loss per step (\(history.count) steps)\n" + canvas.draw(points, xLow: 0, xHigh: Double(history.count - 1), xLabel: "step"))
            return
        }
        let target = try object(first, call.source)
        switch target {
        case .network(let network):
            guard words.count == 3 else {
                throw LanguageError("usage: :plot n xs ys (the network, its inputs and their labels)", at: call.location)
            }
            let xs = try object(words[1], call.source), ys = try object(words[2], call.source)
            emit(.result, try boundary(network, xs: xs, ys: ys, at: call.location, ascii: ascii))
        case .function, .builtin, .method:
            guard words.count == 3 else { throw LanguageError(usage, at: call.location) }
            let low = try number(words[1], call.source), high = try number(words[2], call.source)
            guard low < high else { throw LanguageError("LO must be below HI", at: words[1].location) }
            let mark = graph.count
            defer { if graph.count > mark, !interpreter.holdsNodes(from: mark) { graph.truncate(to: mark) } }
            var points: [(Double, Double)] = []
            let samples = plotWidth * (ascii ? 1 : 2)
            for i in 0..<samples {
                try interpreter.checkInterrupt()
                let x = Plot.sample(i, of: samples, from: low, to: high)
                let y = try interpreter.call(target, Arguments(.number(x), at: first.location), at: first.location)
                guard let number = y.plainNumber.double else {
                    throw LanguageError("\(first.text) does not give a number (it gave \(y.kindName))", at: first.location)
                }
                points.append((x, number))
            }
            emit(
                .result,
                "\(first.text)(x) for x from \(low.tick) to \(high.tick)\n" + canvas.draw(points, xLow: low, xHigh: high, xLabel: "x"))
        default:
            throw LanguageError("\(first.text) is \(target.kindName); " + usage, at: first.location)
        }
    }

    /// Where a two-input network says yes and no, over the box around the data.
    private func boundary(
        _ network: any Network, xs: Object, ys: Object, at start: SourceLocation, ascii: Bool
    ) throws(LanguageError) -> String {
        guard network.inputCount == 2, network.outputCount == 1 else {
            throw LanguageError(
                "the network takes \(network.inputCount) inputs and gives \(network.outputCount) outputs; a boundary is drawn for 2 inputs and 1 output",
                at: start)
        }
        guard let rows = xs.sequence, let labels = ys.sequence, rows.count == labels.count, !rows.isEmpty else {
            throw LanguageError("xs and ys must be lists of the same length", at: start)
        }
        var points: [(Double, Double, Double)] = []
        for (row, label) in zip(rows, labels) {
            guard let pair = row.sequence, pair.count == 2, let a = pair[0].plainNumber.double,
                let b = pair[1].plainNumber.double, let y = label.plainNumber.double
            else {
                throw LanguageError("each x must be a pair of numbers and each y a number", at: start)
            }
            guard a.isFinite, b.isFinite, y.isFinite else {
                throw LanguageError(
                    "the data holds inf or nan (\(a.pythonDescription), \(b.pythonDescription)), which has no place on a picture", at: start
                )
            }
            points.append((a, b, y))
        }
        guard network.graph === graph else { throw LanguageError("not a network of this session", at: start) }
        let columns = max(20, min(host.width - 4, 80)), rowsCount = 24
        let (x0, x1) = (points.map(\.0).min()! - 0.25, points.map(\.0).max()! + 0.25)
        let (y0, y1) = (points.map(\.1).min()! - 0.25, points.map(\.1).max()! + 0.25)
        var canvas = [[Character]](repeating: [Character](repeating: " ", count: columns), count: rowsCount)
        let mark = graph.count
        defer { graph.truncate(to: mark) }
        func score(_ a: Double, _ b: Double) -> Double {
            defer { graph.truncate(to: mark) }
            return network.outputs([Value(a, in: graph), Value(b, in: graph)])[0].data
        }
        for r in 0..<rowsCount {
            try interpreter.checkInterrupt()
            for c in 0..<columns {
                let x = Plot.center(of: c, in: columns, from: x0, to: x1)
                let y = Plot.center(of: r, in: rowsCount, from: y1, to: y0)
                canvas[r][c] = score(x, y) > 0 ? (ascii ? "." : "░") : " "
            }
        }
        var wrong = 0
        for (a, b, label) in points {
            let c = Plot.cell(Plot.fraction(a, x0, x1) * Double(columns), 0...(columns - 1), truncating: true)
            let r = Plot.cell(Plot.fraction(-b, -y1, -y0) * Double(rowsCount), 0...(rowsCount - 1), truncating: true)
            let right = (label > 0) == (score(a, b) > 0)
            if !right { wrong += 1 }
            canvas[r][c] = label > 0 ? (right ? "o" : "O") : (right ? "x" : "X")
        }
        let frame = ascii ? "+" + String(repeating: "-", count: columns) + "+" : "┌" + String(repeating: "─", count: columns) + "┐"
        let bottom = ascii ? frame : "└" + String(repeating: "─", count: columns) + "┘"
        let side: Character = ascii ? "|" : "│"
        let body = canvas.map { String(side) + String($0) + String(side) }
        return ([frame] + body + [bottom]).joined(separator: "\n")
            + "\n"
            + wrapped(
                "\(ascii ? "." : "░") where the network scores above 0; o and x are points labelled 1 and -1 (capital where it gets them wrong: \(wrong) of \(points.count))",
                width: columns + 2)
    }
}
