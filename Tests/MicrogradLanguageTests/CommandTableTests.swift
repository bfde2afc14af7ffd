import MicrogradLanguage
import Testing

/// The command table is the one list that help, completion and dispatch read.
@Suite struct CommandTableTests {
    @Test func everyCommandIsListedOnceHelpedAndRun() {
        let names = Session.commandNames
        #expect(Set(names).count == names.count, "a name is registered twice")
        let t = Transcript()
        let overview = t.run(":help")
        for name in names {
            // :help lists it, and explains it on its own with an example.
            #expect(overview.contains(":" + name), "\(name) missing from :help")
            let help = t.run(":help \(name)")
            #expect(help.contains("Example:"), "\(name): \(help)")
            // Typed in full it reaches the command (its own usage error, never 'not a command').
            t.type(":\(name) 1 2 3 4 5")
            #expect(!t.errors.contains("is not a command"), "\(name): \(t.errors)")
        }
        #expect(t.session.completions(line: ":", cursor: 1).candidates.sorted() == names.sorted())
    }
}
