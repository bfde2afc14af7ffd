import Micrograd

/// Plots in characters: a curve in Unicode braille (2×4 dots a character), with a frame,
/// tick labels and the zero line; or in plain ASCII.
struct Plot {
    var width: Int       // characters for the plotting area
    var height: Int      // rows for the plotting area
    var ascii: Bool

    /// Draws the points (x, y), joined, over [xLow, xHigh].
    func draw(_ points: [(Double, Double)], xLow: Double, xHigh: Double, xLabel: String) -> String {
        let finite = points.filter { $0.1.isFinite }
        guard var yLow = finite.map(\.1).min(), var yHigh = finite.map(\.1).max() else {
            return "nothing to plot: every value is inf or nan"
        }
        if yLow == yHigh { yLow -= 1; yHigh += 1 }
        let dotsX = width * (ascii ? 1 : 2), dotsY = height * (ascii ? 1 : 4)
        var grid = [[Bool]](repeating: [Bool](repeating: false, count: dotsX), count: dotsY)
        func row(_ y: Double) -> Int { Int(((yHigh - y) / (yHigh - yLow) * Double(dotsY - 1)).rounded()) }
        func column(_ x: Double) -> Int { Int(((x - xLow) / (xHigh - xLow) * Double(dotsX - 1)).rounded()) }
        var previous: (Int, Int)?
        for (x, y) in points {
            guard y.isFinite else { previous = nil; continue }
            let c = min(max(column(x), 0), dotsX - 1), r = min(max(row(y), 0), dotsY - 1)
            // Join to the previous point with a vertical run, so steep parts stay connected.
            if let (pc, pr) = previous, abs(pc - c) <= 1 {
                for rr in min(pr, r)...max(pr, r) { grid[rr][pc == c ? c : (rr == r ? c : pc)] = true }
            }
            grid[r][c] = true
            previous = (c, r)
        }
        let zeroRow = yLow < 0 && yHigh > 0 ? row(0) : nil
        var lines: [String] = []
        let labels = (yHigh.tick, yLow.tick)
        let labelWidth = max(labels.0.count, labels.1.count, 1)
        for r in 0..<height {
            var line = ""
            for c in 0..<width {
                if ascii {
                    line.append(grid[r][c] ? "*" : (zeroRow == r ? "-" : " "))
                } else {
                    // Braille: dots 1-8 map to bits (0,0)=1 (0,1)=2 (0,2)=4 (1,0)=8 (1,1)=16 (1,2)=32 (0,3)=64 (1,3)=128.
                    let bits = [(0, 0, 1), (0, 1, 2), (0, 2, 4), (1, 0, 8), (1, 1, 16), (1, 2, 32), (0, 3, 64), (1, 3, 128)]
                    var code = 0
                    for (dx, dy, bit) in bits where grid[r * 4 + dy][c * 2 + dx] { code |= bit }
                    let onZero = zeroRow.map { $0 / 4 == r } ?? false
                    if code == 0 && onZero { line.append("┈") } else if code == 0 { line.append(" ") }
                    else { line.unicodeScalars.append(Unicode.Scalar(0x2800 + code)!) }
                }
            }
            let label = r == 0 ? labels.0 : r == height - 1 ? labels.1 : (zeroRow.map { $0 / (ascii ? 1 : 4) == r } ?? false) ? "0" : ""
            let frame = ascii ? "|" : "┤"
            lines.append((String(repeating: " ", count: labelWidth - label.count) + label + " " + (label.isEmpty ? (ascii ? "|" : "│") : frame) + line).trimmingTrailingSpaces)
        }
        let bottom = String(repeating: " ", count: labelWidth + 1) + (ascii ? "+" : "└") + String(repeating: ascii ? "-" : "─", count: width)
        lines.append(bottom)
        let low = xLow.tick, high = xHigh.tick, mid = ((xLow + xHigh) / 2).tick
        var ticks = [Character](repeating: " ", count: labelWidth + 2 + width + high.count)
        func put(_ s: String, at column: Int) {
            for (i, ch) in s.enumerated() where column + i >= 0 && column + i < ticks.count { ticks[column + i] = ch }
        }
        put(low, at: labelWidth + 2)
        put(mid, at: labelWidth + 2 + width / 2 - mid.count / 2)
        put(high, at: labelWidth + 2 + width - high.count)
        lines.append(String(ticks).trimmingTrailingSpaces + (xLabel.isEmpty ? "" : "   " + xLabel))
        return lines.joined(separator: "\n")
    }
}

extension Double {
    /// A short label for an axis: at most 4 significant digits.
    var tick: String {
        if self == rounded() && Swift.abs(self) < 1e6 { return String(Int(self)) }
        let magnitude = Swift.abs(self)
        if magnitude >= 1e6 || magnitude < 1e-3 { return Session.short(self) }
        let places = magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 3
        var text = fixed(places)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
