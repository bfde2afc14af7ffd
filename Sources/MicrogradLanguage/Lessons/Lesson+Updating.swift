extension Lesson {
    /// The lesson with every output block replaced by what its cell printed. Each line keeps
    /// its own line ending ("\n" or "\r\n"), and new lines take the ending of the cell's fence.
    public static func updating(_ text: String, outputs: [String]) -> String {
        let lines = Self.linesKeepingEndings(text)
        var result: [(text: String, ending: String)] = []
        var i = 0, cell = 0
        func closes(_ k: Int, _ length: Int) -> Bool { k < lines.count && Self.closes(lines[k].text, length: length) }
        while i < lines.count {
            let line = lines[i]
            let length = fenceLength(line.text)
            result.append(line)
            i += 1
            guard cellFence(line.text).isCell else {
                if length > 0 {  // copy any other block whole
                    while i < lines.count && !closes(i, length) { result.append(lines[i]); i += 1 }
                    if i < lines.count { result.append(lines[i]); i += 1 }
                }
                continue
            }
            while i < lines.count && !closes(i, length) { result.append(lines[i]); i += 1 }
            if i < lines.count { result.append(lines[i]); i += 1 }
            // Drop the old output block, if any, and write the new one.
            var k = i
            while k < lines.count && lines[k].text.allSatisfy(\.isWhitespace) { k += 1 }
            if k < lines.count && isOutputFence(lines[k].text) {
                let outputLength = fenceLength(lines[k].text)
                k += 1
                while k < lines.count && !closes(k, outputLength) { k += 1 }
                i = k + 1
                // The old block's closing fence may have been the file's last line.
                if i > lines.count { i = lines.count }
            }
            let output = cell < outputs.count ? outputs[cell] : ""
            cell += 1
            let ending = line.ending.isEmpty ? "\n" : line.ending
            if result.last?.ending.isEmpty == true { result[result.count - 1].ending = ending }
            if !output.isEmpty {
                let outputLines = output.split(separator: "\n", omittingEmptySubsequences: false)
                let fence = Self.fence(for: outputLines)
                result += [("", ending), (fence + "output", ending)]
                result += outputLines.map { (String($0), ending) }
                result.append((fence, i < lines.count ? ending : (lines.last?.ending ?? "")))
            }
        }
        return result.map { $0.text + $0.ending }.joined()
    }

    /// The lines of `text`, each with the line ending that followed it ("" for the last).
    static func linesKeepingEndings(_ text: String) -> [(text: String, ending: String)] {
        var lines: [(String, String)] = []
        var rest = Substring(text)
        while let end = rest.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) {
            lines.append((String(rest[..<end]), String(rest[end])))
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { lines.append((String(rest), "")) }
        return lines
    }
}
