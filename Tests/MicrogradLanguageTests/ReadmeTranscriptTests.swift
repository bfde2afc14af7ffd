import MicrogradPlatform
import Testing

/// Every REPL transcript in the README, typed into a session: it prints what the README shows.
@Suite struct ReadmeTranscriptTests {
    /// One exchange: what is typed (a line, or a block with its `...` lines), and what
    /// the README says comes out (`...` alone on a line stands for lines left out).
    struct Exchange {
        var input: [String]
        var output: [String] = []
    }

    static let readme: String = {
        let path = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/") + "/README.md"
        return (try? Files.read(path, limit: 1 << 20)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }()

    /// The README's plain fenced blocks that are REPL sessions, as exchanges.
    static let transcripts: [[Exchange]] = {
        var blocks: [[String]] = []
        var current: [String]?
        var inOtherFence = false  // one with a language (```swift): not a transcript
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if inOtherFence {
                if line == "```" { inOtherFence = false }
            } else if let block = current {
                if line == "```" {
                    blocks.append(block)
                    current = nil
                } else {
                    current!.append(line)
                }
            } else if line == "```" {
                current = []
            } else if line.hasPrefix("```") {
                inOtherFence = true
            }
        }
        return blocks.compactMap { block -> [Exchange]? in
            var lines = block[...]
            if lines.first == "$ micrograd" { lines = lines.drop { !$0.hasPrefix(">>> ") } }
            guard lines.first?.hasPrefix(">>> ") == true else { return nil }
            var exchanges: [Exchange] = []
            var typing = false
            for line in lines {
                if line.hasPrefix(">>> ") {
                    exchanges.append(Exchange(input: [String(line.dropFirst(4))]))
                    typing = true
                } else if typing, line.hasPrefix("... ") || (line == "..." && exchanges[exchanges.count - 1].input.last!.hasPrefix(" ")) {
                    // (A bare "..." ends a block typed in; after a one-line input it stands for output left out.)
                    exchanges[exchanges.count - 1].input.append(String(line.dropFirst(4)))
                } else {
                    typing = false
                    exchanges[exchanges.count - 1].output.append(line)
                }
            }
            return exchanges
        }
    }()

    /// Whether `actual` is what `expected` shows, where a `...` line may stand for any lines.
    static func matches(_ actual: [String], _ expected: [String]) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first == "..." {
            return (0...actual.count).contains { matches(Array(actual[$0...]), Array(expected.dropFirst())) }
        }
        return actual.first == first && matches(Array(actual.dropFirst()), Array(expected.dropFirst()))
    }

    @Test func theReadmeHasTranscripts() {
        #expect(Self.transcripts.count >= 4)
    }

    @Test(arguments: transcripts.indices)
    func eachTranscriptPrintsWhatTheReadmeShows(_ index: Int) {
        let t = Transcript()
        for exchange in Self.transcripts[index] {
            t.type(exchange.input.joined(separator: "\n"))
            let printed = (t.out + t.err).joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let shown = printed == [""] ? [] : printed
            #expect(Self.matches(shown, exchange.output), "README, after >>> \(exchange.input[0]):\n\(shown.joined(separator: "\n"))")
        }
    }
}
