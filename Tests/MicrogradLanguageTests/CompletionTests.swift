import MicrogradLanguage
import Testing

/// What Tab offers, by context.
@Suite struct CompletionTests {
    let t = Transcript()

    init() {
        t.run("alpha = 2.0; alps = [1, 2]; n = MLP(2, [3, 1]); f(x) = x*2")
    }

    func complete(_ line: String) -> Completion {
        t.session.completions(line: line, cursor: line.count)
    }

    @Test func commandNamesAfterAColon() {
        #expect(complete(":gr") == Completion(kind: .words, start: 1, prefix: "gr", candidates: ["grad", "graph"], preferred: "grad"))
        #expect(complete(":grap").preferred == "graph")
        #expect(complete("  :s").candidates == ["save", "save!", "seed", "skip", "solution", "step", "stop", "svg"])
        #expect(complete("  :s").preferred == "step")
        #expect(complete(":").preferred == nil)
        #expect(complete(":").candidates.count == Session.commandNames.count)
    }

    @Test func valueNamesAfterACommandAndCommandsAfterHelp() {
        #expect(complete(":grad al") == Completion(kind: .words, start: 6, prefix: "al", candidates: ["alpha"]))
        #expect(complete(":help nu").candidates == ["nudge"])
        #expect(complete(":help ta").candidates == ["tanh"])
    }

    @Test func lessonNamesAfterLesson() {
        #expect(complete(":lesson de").candidates == ["derivatives"])
        #expect(complete(":lesson t").candidates == ["the-value-object", "two-moons"])
        #expect(complete(":lesson ").candidates.count == 8)
        t.run(":lesson derivatives")
        #expect(t.session.isStepping)
    }

    @Test func filesAfterLoad() {
        #expect(complete(":load Less") == Completion(kind: .files, start: 6, prefix: "Less", candidates: []))
        #expect(complete(":lo ./x").kind == .files)
    }

    /// Every command that writes a file completes its name (only :load did): :save's first
    /// argument, and :dot, :svg and :png's second, the first being a Value's name.
    @Test func filesWhereACommandTakesOne() {
        #expect(complete(":save no") == Completion(kind: .files, start: 6, prefix: "no", candidates: []))
        #expect(complete(":save! ").kind == .files)
        #expect(complete(":svg alpha gr") == Completion(kind: .files, start: 11, prefix: "gr", candidates: []))
        #expect(complete(":png alpha ").kind == .files)
        #expect(complete(":dot alpha g").kind == .files)
        #expect(complete(":svg al").candidates == ["alpha"])
        // :load's file is the rest of the line: a name with spaces completes whole.
        #expect(complete(":load my folder/n") == Completion(kind: .files, start: 6, prefix: "my folder/n", candidates: []))
    }

    @Test func namesFunctionsAndBuiltins() {
        #expect(complete("y = al").candidates == ["all", "alpha", "alps"])
        #expect(complete("y = al").start == 4)
        #expect(complete("ta").candidates == ["tanh"])
        #expect(complete("f").candidates == ["f", "filter", "float", "for"])
    }

    @Test func attributesAfterADot() {
        #expect(complete("alpha.gr").candidates == ["grad"])
        #expect(
            complete("alpha.").candidates == [
                "_backward()", "_op", "_prev", "backward()", "data", "exp()", "grad", "inputs", "label",
                "log()", "op", "relu()", "sigmoid()", "tanh()", "zero_grad()",
            ])
        #expect(complete("n.la").candidates == ["layers"])
        #expect(complete("n.layers[0].ne").candidates == ["neurons"])
        #expect(complete("n.layers[0].neurons[1].").candidates == ["b", "parameters()", "w", "zero_grad()"])
        // A function that takes arguments completes to its "(" (random.sample() put what was
        // typed next after the brackets).
        t.run("import random")
        #expect(complete("random.sa").candidates == ["sample("])
        #expect(complete("alps.app").candidates == ["append("])
    }

    @Test func completionNeverRunsCallsOrCrashesOnNonsense() {
        let before = t.session.graph.count
        #expect(complete("n([1.0, 2.0]).da").candidates.isEmpty)  // a call is not evaluated
        #expect(t.session.graph.count == before)
        #expect(complete("nosuch.gr").candidates.isEmpty)
        #expect(complete("((((.").candidates.isEmpty)
        #expect(complete("").candidates.contains("alpha"))
    }

    @Test func commonPrefix() {
        #expect(Completion.commonPrefix(["alpha", "alps"]) == "alp")
        #expect(Completion.commonPrefix(["grad"]) == "grad")
        #expect(Completion.commonPrefix([]) == "")
    }
}
