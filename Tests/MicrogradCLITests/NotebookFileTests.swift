import Foundation
import MicrogradPlatform
import Testing

/// `:save FILE.md`: the session as a notebook in the lessons' format, which `micrograd run`
/// replays and `micrograd lessons check` checks; never written over a file that is there
/// unless asked, and then only by the file rules.
@Suite struct NotebookFileTests {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-save-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    static let work = """
        a = 2.0; b = -3.0
        L = a*b + 1
        L.backward()
        nope + 1
        :help grad
        :grad L
        def twice(x):
            return 2 * x

        twice(L)
        n = MLP(2, [2, 1])
        n([1.0, 2.0])

        """

    @Test func aSavedNotebookReplaysAndChecksAsItRan() throws {
        let path = dir + "/mine.md"
        let first = try Run("run", "-", stdin: Self.work + ":save \(path)\n")
        #expect(first.stderr.contains("'nope' is not defined"))
        #expect(first.stdout.hasSuffix("wrote \(path): 8 cells; micrograd run \(path) replays it\n"), "\(first.stdout)")
        let saved = try text(path)
        #expect(saved.hasPrefix("# mine\n"))
        #expect(!saved.contains("nope") && !saved.contains(":help"))  // what failed, and what only helps, is left out
        #expect(saved.contains("```micrograd\ndef twice(x):\n    return 2 * x\n```"))
        #expect(saved.contains("```micrograd\n:grad L\n```\n\n```output\nnode"))
        // It checks, and it replays to the same output (without the :help and the error).
        let check = try Run("lessons", "check", path)
        #expect(check.status == 0 && check.stdout == "\(path): 8 of 8 cells print what the lesson says\n", "\(check.stderr)")
        let replay = try Run("run", path)
        #expect(replay.status == 0 && replay.stderr.isEmpty)
        let expected = first.stdout.replacingOccurrences(of: "wrote \(path): 8 cells; micrograd run \(path) replays it\n", with: "")
        let helpText = try Run("run", "-", stdin: ":help grad\n").stdout
        #expect(replay.stdout == expected.replacingOccurrences(of: helpText, with: ""))
    }

    @Test func anExistingFileIsLeftAloneUnlessSaveBangReplacesIt() throws {
        let path = dir + "/taken.md"
        try "mine, not yours\n".write(toFile: path, atomically: false, encoding: .utf8)
        let refused = try Run("run", "-", stdin: "a = 1.0\n:save \(path)\n")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("\(path) is already there and was left as it is; :save! \(path) replaces it"))
        #expect(try text(path) == "mine, not yours\n")
        let replaced = try Run("run", "-", stdin: "a = 1.0\n:save! \(path)\n")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try text(path).contains("```micrograd\na = 1.0\n```"))
    }

    @Test func linksAndOtherThingsAtThePathAreNotReplaced() throws {
        // A link, even one that points nowhere, is something there: :save leaves it.
        let dangling = dir + "/dangling.md"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "nowhere.md")
        let run = try Run("run", "-", stdin: "a = 1.0\n:save \(dangling)\n:save \(dir)\n:save \(dir)/x.txt\n")
        #expect(run.stderr.contains("\(dangling) is already there and was left as it is"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/nowhere.md"))
        #expect(run.stderr.contains("a notebook is a Markdown file: give a name ending in .md"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling) == "nowhere.md")
        // :save! through a link writes where it points, and the link stays a link.
        let target = dir + "/real.md", link = dir + "/link.md"
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.md")
        let bang = try Run("run", "-", stdin: "a = 1.0\n:save! \(link)\n")
        #expect(bang.status == 0, "\(bang.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.md")
        #expect(try text(target).hasPrefix("# link\n"))
        // A folder named .md is refused, not replaced.
        try FileManager.default.createDirectory(atPath: dir + "/folder.md", withIntermediateDirectories: false)
        let folder = try Run("run", "-", stdin: "a = 1.0\n:save! \(dir)/folder.md\n")
        #expect(folder.stderr.contains("is a folder"))
    }

    @Test func writingWithoutReplacingRefusesAnythingThereAtTheLastMoment() throws {
        let file = dir + "/file", fifo = dir + "/fifo", fresh = dir + "/fresh"
        try "keep".write(toFile: file, atomically: false, encoding: .utf8)
        #expect(mkfifo(fifo, 0o600) == 0)
        for path in [file, fifo] {
            #expect(throws: FileProblem("\(path) is already there", exists: true)) {
                try Files.write(Array("new".utf8), to: path, replacing: false)
            }
        }
        #expect(try text(file) == "keep")
        try Files.write(Array("made".utf8), to: fresh, replacing: false)
        #expect(try text(fresh) == "made")
        // No temporary file is left behind either way.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["fifo", "file", "fresh"])
    }
}
