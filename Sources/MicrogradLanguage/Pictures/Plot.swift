import Micrograd

/// Plots in characters: a curve in Unicode braille (2×4 dots a character), with a frame,
/// tick labels and the zero line; or in plain ASCII.
///
/// Any numbers may come in (inf, NaN, ±1e308, a constant of 1e17): positions are worked
/// out so that nothing overflows, and a point that cannot be placed is left out.
struct Plot {
    var width: Int  // characters for the plotting area
    var height: Int  // rows for the plotting area
    var ascii: Bool
    /// The terminal's width: the axis's name goes beside the last tick if it fits in it.
    var room = Int.max

    /// Where `x` falls between `low` and `high`, as a fraction (halved first, so that
    /// `high - low` cannot overflow).
    static func fraction(_ x: Double, _ low: Double, _ high: Double) -> Double {
        let span = high / 2 - low / 2
        guard span > 0, span.isFinite else { return 0.5 }
        return (x / 2 - low / 2) / span
    }

    /// Sample `i` of `count` from `low` to `high`, without overflowing.
    static func sample(_ i: Int, of count: Int, from low: Double, to high: Double) -> Double {
        let span = high - low
        if span.isFinite { return low + span * Double(i) / Double(count - 1) }
        let t = Double(i) / Double(count - 1)
        return low * (1 - t) + high * t
    }

    /// `x` rounded (or cut) to a whole number in `range` (NaN goes to the bottom of it).
    static func cell(_ x: Double, _ range: ClosedRange<Int>, truncating: Bool = false) -> Int {
        guard x.isFinite else { return x > 0 ? range.upperBound : range.lowerBound }
        let whole = truncating ? x.rounded(.towardZero) : x.rounded()
        return Int(Swift.max(Double(range.lowerBound), Swift.min(Double(range.upperBound), whole)))
    }

    /// The middle of cell `i` of `count` equal cells from `start` to `end` (which may run
    /// downwards), without overflowing.
    static func center(of i: Int, in count: Int, from start: Double, to end: Double) -> Double {
        let span = end - start
        if span.isFinite { return start + span * (Double(i) + 0.5) / Double(count) }
        let t = (Double(i) + 0.5) / Double(count)
        return start * (1 - t) + end * t
    }

    /// Draws the points (x, y), joined, over [xLow, xHigh].
    func draw(_ points: [(Double, Double)], xLow: Double, xHigh: Double, xLabel: String) -> String {
        let finite = points.filter { $0.1.isFinite }
        guard var yLow = finite.map(\.1).min(), var yHigh = finite.map(\.1).max() else {
            return "nothing to plot: every value is inf or nan"
        }
        if yLow == yHigh {
            // A flat line: give it a little room above and below, relative to its size.
            let room = Swift.max(1, Swift.abs(yLow) * 1e-6)
            yLow -= room
            yHigh += room
            if yLow == yHigh { yLow = yLow.nextDown; yHigh = yHigh.nextUp }
        }
        let dotsX = width * (ascii ? 1 : 2), dotsY = height * (ascii ? 1 : 4)
        var grid = [[Bool]](repeating: [Bool](repeating: false, count: dotsX), count: dotsY)
        func row(_ y: Double) -> Int { Self.cell(Self.fraction(-y, -yHigh, -yLow) * Double(dotsY - 1), 0...(dotsY - 1)) }
        func column(_ x: Double) -> Int { Self.cell(Self.fraction(x, xLow, xHigh) * Double(dotsX - 1), 0...(dotsX - 1)) }
        var previous: (Int, Int)?
        for (x, y) in points {
            guard y.isFinite, x.isFinite else { previous = nil; continue }
            let c = column(x), r = row(y)
            // Join to the previous point with a vertical run, so steep parts stay connected.
            if let (pc, pr) = previous, Swift.abs(pc - c) <= 1 {
                for rr in Swift.min(pr, r)...Swift.max(pr, r) { grid[rr][pc == c ? c : (rr == r ? c : pc)] = true }
            }
            grid[r][c] = true
            previous = (c, r)
        }
        let zeroRow = yLow < 0 && yHigh > 0 ? row(0) : nil
        var lines: [String] = []
        let labels = (yHigh.tick, yLow.tick)
        let labelWidth = Swift.max(labels.0.count, labels.1.count, 1)
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
                    if code == 0 && onZero {
                        line.append("┈")
                    } else if code == 0 {
                        line.append(" ")
                    } else {
                        line.unicodeScalars.append(Unicode.Scalar(0x2800 + code)!)
                    }
                }
            }
            let label = r == 0 ? labels.0 : r == height - 1 ? labels.1 : (zeroRow.map { $0 / (ascii ? 1 : 4) == r } ?? false) ? "0" : ""
            let frame = ascii ? "|" : "┤"
            lines.append(
                (String(repeating: " ", count: labelWidth - label.count) + label + " " + (label.isEmpty ? (ascii ? "|" : "│") : frame)
                    + line).trimmingTrailingSpaces)
        }
        let bottom =
            String(repeating: " ", count: labelWidth + 1) + (ascii ? "+" : "└") + String(repeating: ascii ? "-" : "─", count: width)
        lines.append(bottom)
        // (Between whole ends, as a list's steps are, the middle is a whole step too: a loss
        // over 100,000 steps had 49999.5 under it.)
        let middle = xLow / 2 + xHigh / 2
        let wholeEnds = xLow == xLow.rounded() && xHigh == xHigh.rounded() && abs(xHigh - xLow) >= 2
        let low = xLow.tick, high = xHigh.tick, mid = (wholeEnds ? middle.rounded(.down) : middle).tick
        var ticks = [Character](repeating: " ", count: labelWidth + 2 + width + high.count)
        func put(_ s: String, at column: Int) {
            for (i, ch) in s.enumerated() where column + i >= 0 && column + i < ticks.count { ticks[column + i] = ch }
        }
        put(low, at: labelWidth + 2)
        put(mid, at: labelWidth + 2 + width / 2 - mid.count / 2)
        put(high, at: labelWidth + 2 + width - high.count)
        let tickLine = String(ticks).trimmingTrailingSpaces
        let right = labelWidth + 2 + width  // the picture's right edge
        if xLabel.isEmpty {
            lines.append(tickLine)
        } else if tickLine.count + 3 + xLabel.count <= room {
            lines.append(tickLine + "   " + xLabel)
        } else {
            // No room beside the last tick: the axis's name goes under it, at the right edge.
            lines.append(tickLine)
            lines.append(String(repeating: " ", count: max(0, right - xLabel.count)) + xLabel)
        }
        return lines.joined(separator: "\n")
    }
}
