/// A command line, `:name argument…`: the command's name and its arguments, split at white
/// space outside brackets and quotes, each with the place it starts. An argument is read as
/// an expression (or a file name, or a word) by the command that takes it, where it stands.
public struct CommandLine: Sendable {
    public struct Word: Sendable, Equatable {
        public let text: String
        public let location: SourceLocation

        /// The word as a file name: without the quotes around it, if it is quoted (the way
        /// to give a name with spaces: :dot L 'my graph.dot').
        public var fileName: String {
            guard text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first else { return text }
            return String(text.dropFirst().dropLast())
        }
    }

    /// The name as typed (perhaps a prefix), and where the ':' is.
    public let name: String
    public let location: SourceLocation
    public let words: [Word]
    /// The text after the name, for arguments that take the rest of the line.
    private let characters: [Character]
    private let offsets: [Int]

    /// Reads `text`, a line that starts with ':' after `indent` characters of white space.
    init(_ text: String, line: Int) {
        let chars = Array(text)
        var i = 0
        while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
        location = SourceLocation(line: line, column: i + 1)
        i += 1  // the ':'
        var name = ""
        while i < chars.count, chars[i] != " " && chars[i] != "\t" {
            name.append(chars[i])
            i += 1
        }
        self.name = name
        var words: [Word] = [], offsets: [Int] = []
        var current = "", start = 0, depth = 0
        var quote: Character?
        while i <= chars.count {
            let c: Character? = i < chars.count ? chars[i] : nil
            if let c, let q = quote {
                current.append(c)
                if c == q { quote = nil }
            } else if let c, c != " " && c != "\t" || depth > 0 {
                if current.isEmpty { start = i }
                current.append(c)
                if c == "'" || c == "\"" { quote = c }
                if "([{".contains(c) { depth += 1 }
                if ")]}".contains(c) { depth = max(0, depth - 1) }
            } else if !current.isEmpty {
                words.append(Word(text: current, location: SourceLocation(line: line, column: start + 1)))
                offsets.append(start)
                current = ""
            }
            i += 1
        }
        self.words = words
        self.offsets = offsets
        characters = chars
    }

    /// Words `from` to the end, as one argument (a learning rate written with spaces, a
    /// file name with spaces), or nil if there are none.
    public func rest(from index: Int) -> Word? {
        guard index < words.count else { return nil }
        var text = String(characters[offsets[index]...])
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return Word(text: text, location: words[index].location)
    }
}
