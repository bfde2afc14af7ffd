// Writes Swift source holding files' contents, for the EmbedFiles build plugin:
//   EmbedTool lessons OUTPUT LESSON.md…       Lesson.bundledSources, one entry per file
//   EmbedTool moons OUTPUT DATA.csv INIT.txt  Dataset.moons100 and MoonsDemo.initialParameters
import Foundation

// (A @main type rather than top-level code, so that the fuzz build's -parse-as-library
// can build it too.)
@main
enum EmbedTool {
    static func contents(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            FileHandle.standardError.write(Data("EmbedTool: cannot read \(path)\n".utf8))
            exit(1)
        }
        return text
    }

    /// A Swift string literal holding `text` exactly: raw, with more #s than the text has.
    static func literal(_ text: String) -> String {
        var hashes = "#"
        while text.contains("\"" + hashes) { hashes += "#" }
        return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
    }

    static func main() {

        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count >= 2, let kind = arguments.first else {
            FileHandle.standardError.write(Data("usage: EmbedTool lessons|moons OUTPUT FILE…\n".utf8))
            exit(2)
        }
        let output = arguments.dropFirst().first!
        let files = Array(arguments.dropFirst(2))

        var source = "// Made at build time by the EmbedFiles plugin; not in the repository.\n\n"
        switch kind {
        case "lessons":
            source +=
                "extension Lesson {\n    /// The text of every lesson in Lessons/, by name.\n    public static let bundledSources: [(name: String, text: String)] = [\n"
            for file in files {
                let name = (file as NSString).lastPathComponent.replacingOccurrences(of: ".md", with: "")
                var text = contents(file)
                if text.hasSuffix("\n") { text.removeLast() }
                source += "        (\"\(name)\", \(literal(text))),\n"
            }
            source += "    ]\n}\n"
        default:
            let rows = contents(files[0]).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }.filter { $0.count == 3 }
            let parameters = contents(files[1]).split(whereSeparator: \.isWhitespace)
            source +=
                "import Micrograd\n\nextension Dataset {\n    /// The 100 two-moons points of Data/moons100.csv (micrograd's demo data, seed 1337).\n"
            source += "    public static let moons100 = Dataset(x: [\n" + rows.map { "        [\($0[0]), \($0[1])],\n" }.joined()
            source += "    ], y: [\n" + rows.map { "        \(Double($0[2])!),\n" }.joined() + "    ])\n}\n\n"
            source += "extension MoonsDemo {\n    /// The 337 starting parameters of Data/init_mlp_2_16_16_1_seed1337.txt.\n"
            source +=
                "    public static let initialParameters: [Double] = [\n" + parameters.map { "        \($0),\n" }.joined() + "    ]\n}\n"
        }
        do {
            try source.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("EmbedTool: cannot write \(output): \(error)\n".utf8))
            exit(1)
        }
    }
}
