/// A lesson's Markdown made ready for a terminal: paragraphs and list items reflowed to a
/// width, `*emphasis*`, `**strong**`, `` `code` `` and headings drawn with terminal styles
/// (or, plainly, just their text), code blocks indented, tables lined up — and never a raw
/// Markdown symbol left on the screen.
///
/// ```swift
/// Prose.render("Some *very* `plain` text.", width: 60, styled: false)   // "Some very plain text."
/// ```
public enum Prose {
    /// `markdown` laid out in lines of at most `width` columns (code and table rows that
    /// cannot be broken excepted), with escape codes for the styles when `styled`.
    public static func render(_ markdown: String, width: Int, styled: Bool, unicode: Bool = true) -> String {
        var renderer = Renderer(width: Swift.max(20, width), styled: styled, unicode: unicode)
        renderer.run(Source.split(markdown).map(String.init))
        return renderer.blocks.joined(separator: "\n\n")
    }

    /// A terminal style, as an escape code.
    enum Style: String {
        case emphasis = "\u{1B}[3m"
        case strong = "\u{1B}[1m"
        case code = "\u{1B}[36m"
        case heading = "\u{1B}[1;4m"
        case faint = "\u{1B}[2m"
    }

    /// A word as it shows: runs of characters in one style, and how many columns it takes.
    struct Word {
        var pieces: [(style: Style?, text: String)] = []
        var columns = 0

        /// The word with an escape code before each styled run and a reset after it.
        var text: String {
            pieces.map { piece in piece.style.map { $0.rawValue + piece.text + "\u{1B}[0m" } ?? piece.text }.joined()
        }

        mutating func append(_ c: Character, _ style: Style?) {
            if let last = pieces.last, last.style == style {
                pieces[pieces.count - 1].text.append(c)
            } else {
                pieces.append((style, String(c)))
            }
            columns += c.columns
        }

        mutating func append(_ other: Word) {
            for piece in other.pieces {
                for c in piece.text { append(c, piece.style) }
            }
        }
    }

    struct Renderer {
        let width: Int
        let styled: Bool
        let unicode: Bool
        var blocks: [String] = []

        init(width: Int, styled: Bool, unicode: Bool) {
            self.width = width
            self.styled = styled
            self.unicode = unicode
        }

        func paint(_ text: String, _ style: Style) -> String {
            styled && !text.isEmpty ? style.rawValue + text + "\u{1B}[0m" : text
        }

        // MARK: Blocks

        mutating func run(_ lines: [String]) {
            var i = 0
            while i < lines.count {
                let line = lines[i]
                let trimmed = line.drop { $0 == " " }
                if trimmed.isEmpty {
                    i += 1
                } else if Lesson.fenceLength(trimmed) > 0 {
                    // (As the lesson reads its blocks: a fence of N backticks is closed by
                    // one of N or more, so a longer fence can hold a line that starts ```.)
                    let length = Lesson.fenceLength(trimmed)
                    let info = String(trimmed.dropFirst(length)).trimmingCharacters
                    var code: [String] = []
                    i += 1
                    while i < lines.count && !Lesson.closes(String(lines[i].drop(while: { $0 == " " })), length: length) {
                        code.append(lines[i])
                        i += 1
                    }
                    i += 1
                    codeBlock(code, language: info)
                } else if let level = Self.headingLevel(line) {
                    heading(String(line.dropFirst(level + 1)), level: level)
                    i += 1
                } else if trimmed.hasPrefix("|") {
                    var rows: [String] = []
                    while i < lines.count && lines[i].drop(while: { $0 == " " }).hasPrefix("|") {
                        rows.append(String(lines[i].drop { $0 == " " }))
                        i += 1
                    }
                    table(rows)
                } else if trimmed.hasPrefix("> ") || trimmed == ">" {
                    var quoted: [String] = []
                    while i < lines.count, lines[i].hasPrefix(">") {
                        quoted.append(String(lines[i].dropFirst().drop { $0 == " " }))
                        i += 1
                    }
                    let bar = paint(unicode ? "│ " : "| ", .faint)
                    blocks.append(fill(quoted.joined(separator: " "), width: width - 2).map { bar + $0 }.joined(separator: "\n"))
                } else if Self.listMarker(line) != nil {
                    var items: [String] = []
                    while i < lines.count {
                        if let (marker, rest) = Self.listMarker(lines[i]) {
                            items.append(marker + "\u{0}" + rest)
                        } else if lines[i].hasPrefix("  "), !lines[i].trimmingCharacters.isEmpty, !items.isEmpty {
                            items[items.count - 1] += " " + lines[i].trimmingCharacters
                        } else {
                            break
                        }
                        i += 1
                    }
                    list(items)
                } else {
                    var paragraph: [String] = []
                    while i < lines.count, !lines[i].trimmingCharacters.isEmpty, paragraph.isEmpty || !Self.startsBlock(lines[i]) {
                        paragraph.append(lines[i].trimmingCharacters)
                        i += 1
                    }
                    blocks.append(fill(paragraph.joined(separator: " "), width: width).joined(separator: "\n"))
                }
            }
        }

        static func headingLevel(_ line: String) -> Int? {
            let hashes = line.prefix { $0 == "#" }.count
            guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
            return hashes
        }

        /// A list item's marker as shown ("•", "3.") and the rest of its line.
        static func listMarker(_ line: String) -> (String, String)? {
            if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { return ("-", String(line.dropFirst(2))) }
            let digits = line.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count < 4, line.dropFirst(digits.count).hasPrefix(". ") else { return nil }
            return (digits + ".", String(line.dropFirst(digits.count + 2)))
        }

        static func startsBlock(_ line: String) -> Bool {
            let trimmed = line.drop { $0 == " " }
            return trimmed.hasPrefix("```") || headingLevel(line) != nil || trimmed.hasPrefix("|") || line.hasPrefix("> ")
                || listMarker(line) != nil
        }

        mutating func heading(_ text: String, level: Int) {
            if styled {
                blocks.append(fill(text, width: width, base: level == 1 ? .heading : .strong).joined(separator: "\n"))
            } else {
                let plain = Self.words(in: text, styled: false).map(\.text).joined(separator: " ")
                let lines = fill(plain, width: width)
                let rule = String(
                    repeating: unicode ? (level == 1 ? "═" : "─") : (level == 1 ? "=" : "-"), count: lines.map(\.count).max() ?? 0)
                blocks.append((lines + [rule]).joined(separator: "\n"))
            }
        }

        mutating func codeBlock(_ code: [String], language: String) {
            var lines: [String] = []
            if !language.isEmpty { lines.append(paint("(\(language), for reading: not run here)", .faint)) }
            for line in code {
                let indent = line.count + 2 <= width ? "  " : ""
                lines.append(indent + paint(line, .code))
            }
            blocks.append(lines.joined(separator: "\n"))
        }

        mutating func list(_ items: [String]) {
            var lines: [String] = []
            let markerWidth = items.map { $0.prefix { $0 != "\u{0}" }.count }.max() ?? 1
            for item in items {
                let parts = item.split(separator: "\u{0}", maxSplits: 1, omittingEmptySubsequences: false)
                var marker = String(parts[0])
                if marker == "-" { marker = unicode ? "•" : "-" }
                let body = fill(parts.count > 1 ? String(parts[1]) : "", width: width - markerWidth - 2)
                let pad = String(repeating: " ", count: markerWidth + 2)
                for (k, line) in body.enumerated() {
                    lines.append(k == 0 ? " " + marker + String(repeating: " ", count: markerWidth - marker.count + 1) + line : pad + line)
                }
            }
            blocks.append(lines.joined(separator: "\n"))
        }

        mutating func table(_ rows: [String]) {
            func cells(_ row: String) -> [String] {
                var parts = row.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingCharacters }
                if parts.first?.isEmpty == true { parts.removeFirst() }
                if parts.last?.isEmpty == true { parts.removeLast() }
                return parts
            }
            let isRule: (String) -> Bool = { row in row.allSatisfy { "|-: ".contains($0) } }
            let header = rows.first.map(cells) ?? []
            let body = rows.dropFirst().filter { !isRule($0) }.map(cells)
            let all = [header] + body
            let count = all.map(\.count).max() ?? 0
            let rendered = all.map { row in
                (0..<count).map { c in c < row.count ? Self.words(in: row[c], styled: styled) : [] }
            }
            let widths = (0..<count).map { c in rendered.map { Self.columns(of: $0[c]) }.max() ?? 0 }
            let total = widths.reduce(0, +) + 2 * Swift.max(0, count - 1)
            guard total <= width else {
                // Too wide to line up: each row as a list item of "header: cell" pairs.
                let items = body.map { row in
                    "-\u{0}" + zip(header, row).map { $0.isEmpty ? $1 : "\($0): \($1)" }.joined(separator: "; ")
                }
                list(items)
                return
            }
            var lines: [String] = []
            for (r, row) in rendered.enumerated() {
                var line = ""
                for (c, words) in row.enumerated() {
                    var cell = words.map(\.text).joined(separator: " ")
                    if r == 0 && styled { cell = paint(words.map(\.text).joined(separator: " "), .strong) }
                    line += cell + String(repeating: " ", count: widths[c] - Self.columns(of: words) + (c == count - 1 ? 0 : 2))
                }
                lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
                if r == 0 && !styled { lines.append(String(repeating: unicode ? "─" : "-", count: total)) }
            }
            blocks.append(lines.joined(separator: "\n"))
        }

        static func columns(of words: [Word]) -> Int {
            words.isEmpty ? 0 : words.map(\.columns).reduce(0, +) + words.count - 1
        }

        // MARK: Lines

        /// `text`'s words in lines of at most `width` columns (a longer word gets a line of its own).
        func fill(_ text: String, width: Int, base: Style? = nil) -> [String] {
            var lines: [String] = []
            var line: [Word] = []
            var used = 0
            for word in Self.words(in: text, styled: styled, base: base) {
                if !line.isEmpty && used + 1 + word.columns > width {
                    lines.append(line.map(\.text).joined(separator: " "))
                    line = []
                    used = 0
                }
                used += (line.isEmpty ? 0 : 1) + word.columns
                line.append(word)
            }
            if !line.isEmpty { lines.append(line.map(\.text).joined(separator: " ")) }
            return lines
        }

        // MARK: Inline

        static func words(in text: String, styled: Bool, base: Style? = nil) -> [Word] {
            var words: [Word] = []
            var current = Word()
            var style: [Style] = base.map { [$0] } ?? []
            func add(_ c: Character) {
                if c == " " {
                    if current.columns > 0 { words.append(current) }
                    current = Word()
                    return
                }
                current.append(c, styled ? style.last : nil)
            }
            let chars = Array(text)
            var i = 0
            func isBoundary(_ k: Int) -> Bool {
                k < 0 || k >= chars.count || chars[k].isWhitespace || "([{\"'.,;:!?)]}—–-/".contains(chars[k])
            }
            func closing(_ delimiter: String, from start: Int) -> Int? {
                let d = Array(delimiter)
                var k = start
                while k + d.count <= chars.count {
                    if Array(chars[k..<(k + d.count)]) == d, k > start, !chars[k - 1].isWhitespace, isBoundary(k + d.count) { return k }
                    k += 1
                }
                return nil
            }
            while i < chars.count {
                let c = chars[i]
                if c == "\\", i + 1 < chars.count, "\\`*_[]()#|<>".contains(chars[i + 1]) {
                    add(chars[i + 1])
                    i += 2
                } else if c == "`", let end = chars[(i + 1)...].firstIndex(of: "`") {
                    style.append(.code)
                    for k in (i + 1)..<end { add(chars[k]) }
                    style.removeLast()
                    i = end + 1
                } else if c == "*" || c == "_", i + 1 < chars.count, chars[i + 1] == c, i + 2 < chars.count, !chars[i + 2].isWhitespace,
                    isBoundary(i - 1), let end = closing(String([c, c]), from: i + 2)
                {
                    var inner = Self.words(in: String(chars[(i + 2)..<end]), styled: styled, base: .strong)
                    if !inner.isEmpty {
                        // The first inner word joins what came right before, the last what comes after.
                        current.append(inner.removeFirst())
                        if !inner.isEmpty {
                            words.append(current)
                            current = inner.removeLast()
                            words += inner
                        }
                    }
                    i = end + 2
                } else if c == "*" || c == "_", i + 1 < chars.count, !chars[i + 1].isWhitespace, chars[i + 1] != c, isBoundary(i - 1),
                    let end = closing(String(c), from: i + 1)
                {
                    style.append(.emphasis)
                    var k = i + 1
                    while k < end {
                        if chars[k] == "`", let close = chars[(k + 1)..<end].firstIndex(of: "`") {
                            style.append(.code)
                            for j in (k + 1)..<close { add(chars[j]) }
                            style.removeLast()
                            k = close + 1
                        } else {
                            add(chars[k])
                            k += 1
                        }
                    }
                    style.removeLast()
                    i = end + 1
                } else if c == "[", let close = chars[(i + 1)...].firstIndex(of: "]"), close + 1 < chars.count, chars[close + 1] == "(",
                    let paren = chars[(close + 1)...].firstIndex(of: ")")
                {
                    for k in (i + 1)..<close { add(chars[k]) }
                    add(" ")
                    style.append(.faint)
                    for ch in "(" + String(chars[(close + 2)..<paren]) + ")" { add(ch) }
                    style.removeLast()
                    i = paren + 1
                } else {
                    add(c)
                    i += 1
                }
            }
            if current.columns > 0 { words.append(current) }
            return words
        }
    }
}
