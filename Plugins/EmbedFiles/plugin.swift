import Foundation
import PackagePlugin

/// Builds the lessons (Lessons/*.md) and the demo's data (Data/) into the program, as Swift
/// source made at build time: edit a lesson and the next build carries it.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let tool = try context.tool(named: "EmbedTool").url
        let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(target.name).swift")
        let inputs: [URL]
        let kind: String
        switch target.name {
        case "MicrogradLanguage":
            kind = "lessons"
            let folder = root.appending(path: "Lessons")
            inputs = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasSuffix(".md") && $0.first?.isNumber == true }
                .sorted()
                .map { folder.appending(path: $0) }
        default:
            kind = "moons"
            inputs = [root.appending(path: "Data/moons100.csv"), root.appending(path: "Data/init_mlp_2_16_16_1_seed1337.txt")]
        }
        return [
            .buildCommand(
                displayName: "Embedding \(kind) in \(target.name)", executable: tool,
                arguments: [kind, output.path] + inputs.map(\.path),
                inputFiles: inputs, outputFiles: [output])
        ]
    }
}
