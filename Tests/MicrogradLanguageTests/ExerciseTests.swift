import Foundation
import MicrogradLanguage
import Testing

/// Exercises: read from a lesson, graded as the learner types, and checked so that none is vacuous.
@Suite struct ExerciseTests {
    static let sample = """
        # 9. A sample

        Some text.

        ```micrograd
        a = 2.0
        b = a * 3
        ```

        Now you: make `c` equal to b times 2.

        ```exercise double
        check: abs(c.data - 12.0) < 1e-9
        hint: b is 6.0.
        hint: multiply
          by two.
        solution:
        c = b * 2
        ```

        ```micrograd
        c + 1
        ```

        ```output
        Value(data=13.0)
        ```

        The end.
        """

    static func session() throws -> Transcript {
        let t = Transcript()
        t.session.lessons = [try Lesson.parse(sample, name: "09-sample")]
        return t
    }

    @Test func anExerciseIsReadWithItsChecksHintsAndSolution() throws {
        let lesson = try Lesson.parse(Self.sample, name: "09-sample")
        #expect(lesson.steps.count == 4)
        let exercise = try #require(lesson.steps[1].exercise)
        #expect(lesson.steps[1].prose == "Now you: make `c` equal to b times 2.")
        #expect(lesson.steps[1].code == nil)
        #expect(exercise.id == "double")
        #expect(exercise.checks.map(\.text) == ["abs(c.data - 12.0) < 1e-9"] && exercise.checks.map(\.line) == [13])
        #expect(exercise.hints == ["b is 6.0.", "multiply by two."])
        #expect(exercise.solution == "c = b * 2" && exercise.solutionLine == 18)
        #expect(lesson.exercises.map(\.id) == ["double"])
        #expect(lesson.check().isEmpty)
    }

    @Test(arguments: [
        (
            "```exercise\nhint: h\nsolution:\nx = 1\n```",
            "this exercise has no check: a line 'check: EXPRESSION' that holds once the task is done", 3
        ),
        ("```exercise\ncheck: x == 1\n```", "this exercise has no solution: end it with 'solution:' and the code that does the task", 3),
        (
            "```exercise\ncheck: x == 1\nprint(x)\nsolution:\nx = 1\n```",
            "each line of an exercise starts with check:, hint: or solution: (a hint goes on over lines indented by two spaces)", 5
        ),
        (
            "```exercise two words\ncheck: x == 1\nsolution:\nx = 1\n```",
            "an exercise's name is letters, digits, - and _ (```exercise predict-w2), not 'two words'", 3
        ),
        ("```exercise\ncheck: x = 1\nsolution:\nx = 1\n```", "a check is one expression, such as abs(b.grad - -4.0) < 1e-9", 4),
        ("```exercise\ncheck:\nsolution:\nx = 1\n```", "this check is empty; write an expression that holds once the task is done", 4),
        (
            "```exercise a\ncheck: x == 1\nsolution:\nx = 1\n```\n```exercise a\ncheck: x == 2\nsolution:\nx = 2\n```",
            "this lesson already has an exercise called 'a'; give each its own name after ```exercise", 8
        ),
        (
            "```exercise\ncheck: x == 1\nsolution:\nx = 1\n```\n\n```output\n1\n```",
            "an exercise has no output block: its check says when it is done", 9
        ),
    ])
    func aBadExerciseSaysWhereAndWhat(_ block: String, _ message: String, _ line: Int) {
        #expect(throws: LanguageError(message, at: SourceLocation(line: line, column: 1))) {
            try Lesson.parse("# T\n\n" + block, name: "bad")
        }
    }

    @Test func theRightAnswerIsGradedAndTheLessonGoesOn() throws {
        let t = try Self.session()
        t.type(":lesson 9")
        t.type(":next")
        #expect(t.session.isAtExercise)
        #expect(t.out.last?.hasPrefix("✎ Your turn (exercise 1 of 1).") == true)
        // A wrong answer changes nothing; Enter reminds what the lesson waits for.
        t.type("c = b + 2")
        #expect(t.out == ["Not yet: the exercise's check does not hold. :hint gives a hint."] && t.session.isAtExercise)
        t.type("d = 1")  // nothing the check looks at: no word
        #expect(t.out.isEmpty)
        t.type(":next")
        #expect(t.out.joined().hasPrefix("The lesson waits for the exercise above"))
        // The right one.
        t.type("c = b * 2")
        #expect(t.out == ["✓ Solved: abs(c.data - 12.0) < 1e-9 holds now. Enter goes on."])
        #expect(!t.session.isAtExercise)
        #expect(t.session.progress["09-sample"]?.solved == ["double"])
        // The solution, to compare with (it said the lesson was not at an exercise).
        t.type(":solution")
        #expect(t.out == ["This exercise is done; the lesson's solution, to compare with yours:\n    c = b * 2\nEnter goes on."])
        #expect(t.type(":next") && t.out.contains("Value(data=13.0)"))
        #expect(t.errors.isEmpty, "\(t.errors)")
    }

    /// An exit() that a check reaches, in the learner's own function, stops the check, not
    /// the session: it said the check stopped with an error, and then ended the session.
    @Test func anExitInACheckStopsOnlyTheCheck() throws {
        let lesson = "# 9. Exits\n\nWrite f.\n\n```exercise twice\ncheck: f(2) == 4\nsolution:\nf = lambda x: 2 * x\n```\n\nThe end.\n"
        let t = Transcript()
        t.session.lessons = [try Lesson.parse(lesson, name: "09-exits")]
        t.type(":lesson 9")
        t.type("kept = 1")
        t.type("def f(x):\n    exit(3)")
        #expect(t.out.contains { $0.hasPrefix("Not yet: checking it stopped with an error: exit() was called") }, "\(t.out)")
        #expect(!t.session.wantsToQuit && t.session.exitStatus == 0)
        #expect(t.type("kept") && t.out == ["1"])
        #expect(t.type("def f(x):\n    return 2 * x") && t.out.last?.hasPrefix("✓ Solved") == true, "\(t.out)")
    }

    @Test func hintsComeOneAtATime() throws {
        let t = try Self.session()
        t.type(":lesson 9")
        t.type(":next")
        t.type(":hint")
        #expect(t.out == ["hint 1 of 2: b is 6.0."])
        t.type(":hint")
        #expect(t.out == ["hint 2 of 2: multiply by two."])
        t.type(":hint")
        #expect(t.out == ["that was the last hint; :solution shows a solution"])
        #expect(t.session.isAtExercise)
    }

    @Test func theSolutionIsShownThenRunOnEnterAndNotCountedAsSolved() throws {
        let t = try Self.session()
        t.type(":lesson 9")
        t.type(":next")
        t.type(":solution")
        #expect(t.out == ["A solution:\n    c = b * 2\nEnter runs it here; or type it (or your own) yourself."])
        #expect(t.session.isAtExercise && t.session.names["c"] == nil)  // shown, not run
        t.type(":next")
        #expect(t.out.first == ">>> c = b * 2")
        #expect(t.out.last?.hasPrefix("✓ The check holds now.") == true)
        #expect(!t.session.isAtExercise)
        #expect(t.session.progress["09-sample"]?.solved.isEmpty == true)
        t.type(":next")
        #expect(t.out.contains("Value(data=13.0)"))
    }

    @Test func skippingRunsTheSolutionQuietlySoTheNextCellsWork() throws {
        let t = try Self.session()
        t.type(":lesson 9")
        t.type(":next")
        t.type(":skip")
        #expect(t.out == ["Skipped. Its solution ran quietly, so the next steps have what they need:\n    c = b * 2\nEnter goes on."])
        #expect(!t.session.isAtExercise)
        #expect(t.session.progress["09-sample"]?.solved.isEmpty == true)
        t.type(":next")
        #expect(t.out.contains("Value(data=13.0)"))
        #expect(t.errors.isEmpty, "\(t.errors)")
        t.type(":skip")
        #expect(t.errors.contains("the lesson is not at an exercise now; Enter (or :next) goes on"))
    }

    @Test func aCheckThatHoldsAlreadyIsDoneAtOnce() throws {
        let t = try Self.session()
        t.type(":lesson 9")
        t.type("c = 12.0")  // done before it was asked
        t.type(":next")
        #expect(t.out.last == "✓ This one is already done: abs(c.data - 12.0) < 1e-9 holds. Enter goes on.")
        #expect(!t.session.isAtExercise)
    }

    @Test func checkingAPrintingCheckShowsNothingAndKeepsNoNodes() throws {
        let text = Self.sample.replacing("check: abs(c.data - 12.0) < 1e-9", with: "check: print('peek') or (c * 1).data == 12.0")
        let t = Transcript()
        t.session.lessons = [try Lesson.parse(text, name: "09-sample")]
        t.type(":lesson 9")
        t.type(":next")
        t.type("c = 5.0")  // so the check's (c * 1) makes a node each time it runs
        let before = t.session.graph.count
        t.type("x = 1")
        #expect(t.session.isAtExercise)
        #expect(t.out.isEmpty)
        #expect(t.session.graph.count == before)
    }

    @Test func aVacuousCheckOrABrokenSolutionIsReportedWithItsLine() throws {
        let vacuous = Self.sample.replacing("check: abs(c.data - 12.0) < 1e-9", with: "check: abs(b.data - 6.0) < 1e-9")
        let problems = try Lesson.parse(vacuous, name: "v").check()
        #expect(problems.map(\.line) == [13])
        #expect(
            problems.first?.summary
                == "exercise 'double': this check already holds before the solution runs, so it would pass a learner who did nothing")
        #expect(problems.first?.exercise == "double")

        let wrong = Self.sample.replacing("c = b * 2\n```", with: "c = b * 3\n```")
        let failing = try Lesson.parse(wrong, name: "w").check()
        #expect(failing.map(\.summary).contains("exercise 'double': this check does not hold after the solution runs"))
        #expect(failing.contains { $0.line == 13 })

        let broken = Self.sample.replacing("c = b * 2\n```", with: "c = nope * 2\n```")
        let errors = try Lesson.parse(broken, name: "b").check()
        #expect(errors.contains { $0.line == 18 && $0.summary.hasPrefix("exercise 'double': the solution has errors:\n") })
    }

    /// A check that stops with an error in the learner's own function says so, with the
    /// error: it used to be only "Not yet", as if the function had given a wrong answer.
    @Test func aCheckThatStopsWithAnErrorSaysWhich() throws {
        let t = Transcript()
        t.type(":lesson 7")
        while !t.session.isAtExercise { t.type(":next") }
        t.type("def count(a, b):\n    return [1][5]")
        #expect(t.out.first?.hasPrefix("Not yet: checking it stopped with an error: ") == true, "\(t.out)")
        t.pressCtrlC(afterChecks: 5)
        t.type("def count(a, b):\n    while True: pass")
        #expect(t.out.contains("Not yet: checking it was stopped by Ctrl-C; does your function come to an end?"), "\(t.out)")
        t.pressCtrlC(afterChecks: nil)
    }

    /// What a wrong try gets told: which check of several fails (lesson 4's fix-mul took
    /// `=` for `+=`: only one check, on two different inputs); an error in the function just
    /// defined (it was silent: the line named no name the check looks at); a name one typo
    /// from the one the check looks at (silent too).
    @Test func aWrongTrySaysWhatIsWrong() throws {
        let t = Transcript()
        t.type(":lesson 4")
        while !t.session.isAtExercise { t.type(":next") }
        t.type(
            """
            def mul(self, other):
                out = Value(self.data * other.data, (self, other), '*')
                def _backward():
                    self.grad = other.data * out.grad
                    other.grad = self.data * out.grad
                out._backward = _backward
                return out
            """)
        #expect(t.out == ["Not yet: check 2 of the exercise's 2 does not hold (the one before it does). :hint gives a hint."], "\(t.out)")
        t.type(
            """
            def mul(self, other):
                out = Value(self.data * other.data, (self, other), '*')
                def _backward():
                    self.grad += other.dat * out.grad
                out._backward = _backward
                return out
            """)
        #expect(t.out.first?.hasPrefix("Not yet: checking it stopped with an error: a Value has no attribute 'dat'") == true, "\(t.out)")
        t.type(":solution")
        let l1 = Transcript()
        l1.type(":lesson 1")
        while !l1.session.isAtExercise { l1.type(":next") }
        l1.type("Slope1 = 2")
        #expect(
            l1.out.map { $0.replacing("\n", with: " ") } == [
                "Not yet: the check looks at 'slope1', which has no value; you typed 'Slope1'. Names are told apart letter by letter, capitals too."
            ], "\(l1.out)")
        l1.type("slope1 = 2")
        #expect(!l1.session.isAtExercise)
    }

    /// Lesson 2's build-k takes only the graph's own nodes as k's inputs: `z = 0.0; k = a + z`
    /// passed (z, a new node, has a label too), and `k = e - L` fails with a hint that says
    /// why (its second input is -L, a node made first).
    @Test func buildKTakesOnlyTheGraphsOwnNodes() throws {
        let t = Transcript()
        t.type(":lesson 2")
        while !t.session.isAtExercise { t.type(":next") }
        t.type("guess = -3.0")  // (walk-back, the lesson's first exercise)
        while !t.session.isAtExercise { t.type(":next") }
        t.type("z = 0.0\nk = a + z")
        #expect(
            t.session.isAtExercise
                && t.out == ["Not yet: check 3 of the exercise's 3 does not hold (the ones before it do). :hint gives a hint."], "\(t.out)")
        t.type("k = e - L")
        #expect(t.session.isAtExercise)
        t.type(":hint")
        #expect(t.out.joined().replacing("\n", with: " ").contains("e - L adds e to -L, a new node made first"), "\(t.out)")
        t.type("k = d + f")
        #expect(!t.session.isAtExercise, "\(t.out)")
    }

    /// A check that reads the answer through float() passes it written as text too
    /// (`slope1 = "2"`); the lesson check says so, and a check that asks the type passes.
    @Test func aCheckThatTakesTheAnswerAsTextIsReported() throws {
        let loose = Self.sample.replacing("check: abs(c.data - 12.0) < 1e-9", with: "check: abs(float(c) - 12.0) < 1e-9")
        let problems = try Lesson.parse(loose, name: "t").check()
        #expect(
            problems.map(\.summary) == [
                "exercise 'double': the checks also pass c = '12.0', the answer written as text; check the type too: not isinstance(c, str) and …"
            ])
        #expect(problems.map(\.line) == [13])
        let strict = Self.sample.replacing(
            "check: abs(c.data - 12.0) < 1e-9", with: "check: not isinstance(c, str) and abs(float(c) - 12.0) < 1e-9")
        #expect(try Lesson.parse(strict, name: "s").check().isEmpty)
        // The built-in lesson 1: the answer as text is not the answer; solved, the check is
        // shown without its guard. A line that fails shows its error, not "Not yet".
        let t = Transcript()
        t.type(":lesson 1")
        while !t.session.isAtExercise { t.type(":next") }
        t.type("slope1 = '2'")
        #expect(t.session.isAtExercise && t.out == ["Not yet: the exercise's check does not hold. :hint gives a hint."])
        t.type("slope1 = nope")
        #expect(t.out.isEmpty && t.err.joined().contains("'nope' is not defined"), "\(t.out) \(t.err)")
        t.type("slope1 = 2")
        #expect(!t.session.isAtExercise, "\(t.out)")
        #expect(t.out == ["✓ Solved: abs(float(slope1) - 2) < 1e-3 holds now. Enter goes on."], "\(t.out)")
    }

    @Test func theProgressFormKeepsStepsAndSolvedExercises() {
        let all = [
            "04-a-neuron": LessonProgress(steps: 12, solved: ["predict-w2", "fix-mul"]), "01-derivatives": LessonProgress(steps: 3),
        ]
        let text = LessonProgress.text(all)
        #expect(text == "01-derivatives 3\n04-a-neuron 12 fix-mul,predict-w2\n")
        #expect(LessonProgress.parse(text) == all)
        #expect(LessonProgress.parse("01-derivatives 3\n") == ["01-derivatives": LessonProgress(steps: 3)])  // the older form
        #expect(LessonProgress.parse("01-derivatives three\n") == nil)
        #expect(
            LessonProgress(steps: 3, solved: ["a"]).merged(with: LessonProgress(steps: 2, solved: ["b"]))
                == LessonProgress(steps: 3, solved: ["a", "b"]))
    }
}

/// Moving around a lesson: resuming, going back, and the list.
@Suite struct LessonNavigationTests {
    static let lesson = """
        # 9. Counting

        First.

        ```micrograd
        a = 1.0
        a.grad = 0.0
        ```

        Second.

        ```micrograd
        a.grad += 1.0
        a.grad
        ```

        ```output
        1.0
        ```

        Third.

        ```micrograd
        b = a * 2
        ```

        Fourth.

        ```micrograd
        b
        ```

        ```output
        Value(data=2.0)
        ```
        """

    static func session() throws -> Transcript {
        let t = Transcript()
        t.session.lessons = [try Lesson.parse(lesson, name: "09-counting")]
        return t
    }

    @Test func backShowsTheCellBeforeWithItsOutputAndForwardDoesNotRunItAgain() throws {
        let t = try Self.session()
        t.type(":lesson 9")
        t.type(":next")
        t.type(":next")
        t.type(":back")
        #expect(t.out == ["Second.", ">>> a.grad += 1.0", ">>> a.grad", "1.0", "(step 2 of 4, as it ran; Enter goes forward)"])
        t.type(":back")
        #expect(t.out.first == "# 9. Counting\n\nFirst.")
        t.type(":back")
        #expect(t.errors.contains("this is the lesson's first step"))
        // Forward again: shown as it ran, not run, so the += does not add twice.
        t.type(":next")
        t.type(":next")
        #expect(t.out.last == "(step 3 of 4, as it ran; the newest step)")
        #expect(t.run("a.grad") == "1.0")
        t.type(":next")
        #expect(t.out.contains("Value(data=2.0)"))
    }

    @Test func aLessonOpensAgainWhereItWasLeftWithItsNames() throws {
        let t = try Self.session()
        t.session.progress = ["09-counting": LessonProgress(steps: 3)]
        t.type(":lesson 9")
        #expect(t.out.contains { $0.hasPrefix("(resuming at step 3: the 2 steps before it run again quietly") })
        #expect(!t.out.contains { $0.hasSuffix("First.") } && t.out.contains("Third."))
        #expect(t.run("a.grad") == "1.0")  // the earlier cells ran, once each
        #expect(t.session.names["b"] != nil)
        t.type(":where")
        #expect(t.out == ["9. Counting: step 3 of 4"])
        // And from the top, on request.
        t.type(":reset")
        t.type(":lesson 9 restart")
        #expect(t.out.contains { $0.hasSuffix("First.") } && !t.out.contains { $0.hasPrefix("(resuming") })
        t.type(":where")
        #expect(t.out == ["9. Counting: step 1 of 4"])
    }

    @Test func theListShowsStepsAndExercisesInEightyColumns() throws {
        let t = Transcript()
        t.session.progress = ["04-a-neuron": LessonProgress(steps: 5, solved: ["predict-w2"])]
        let list = t.run(":lessons")
        #expect(list.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(list)")
        let neuron = try #require(list.split(separator: "\n").first { $0.contains("A neuron") })
        let lesson = try #require(t.session.lessons.first { $0.name == "04-a-neuron" })
        #expect(neuron.contains("5 of \(lesson.steps.count) steps"))
        #expect(lesson.exercises.count > 1)
        #expect(neuron.contains("1 of \(lesson.exercises.count) exercises"))
    }

    static let drawing = """
        # 9. Drawing

        A picture.

        ```micrograd
        a = 2.0; b = -3.0; L = a*b + 1.0
        :backstep L
        :graph L
        ```
        """

    @Test func aPictureDrawnForANarrowTerminalIsNotAMistakeAndACellRunsStraightThrough() throws {
        var text = Self.drawing
        let lesson = try Lesson.parse(text, name: "09-drawing")
        text = Lesson.updating(text, outputs: Session().outputs(of: lesson))
        let t = Transcript()
        t.host.isInteractive = true  // someone at the keyboard: a :backstep typed would wait
        t.host.width = 40
        t.session.lessons = [try Lesson.parse(text, name: "09-drawing")]
        t.type(":lesson 9")
        // The cell ran whole (a lesson's cell never waits), and its picture fits 40 columns.
        #expect(t.out.contains { $0.hasPrefix("step 2:") } && t.out.contains { $0.contains("done: every node") })
        #expect(!t.session.isStepping)  // the one-step lesson is over, and no :backstep waits
        #expect(t.out.last?.split(separator: "\n").allSatisfy { $0.count <= 40 } == true)
        #expect(t.errors.isEmpty, "\(t.errors)")  // and no note that it differs from the lesson's
    }

    @Test func aSavedNotebookCountsItsCellsNotTheFencesInsideThem() throws {
        let t = Transcript()
        t.type("fence = '```micrograd'")  // a cell whose text holds a fence's opening
        t.type("a = 2.0")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mg-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        t.type(":save \(path)")
        #expect(t.out.last?.hasPrefix("wrote \(path): 2 cells;") == true, "\(t.out)")
    }

    @Test func aNotebookSavedOnANarrowTerminalChecksAtThatWidth() throws {
        let t = Transcript()
        t.host.width = 50
        t.type("a = 2.0; b = -3.0; L = a*b + 1.0")
        t.type(":graph L")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mg-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        t.type(":save \(path)")
        let saved = try String(contentsOfFile: path, encoding: .utf8)
        #expect(saved.contains("```micrograd width=50\n:graph L\n```"))
        let lesson = try Lesson.parse(saved, name: "saved")
        #expect(lesson.steps.contains { $0.width == 50 })
        #expect(lesson.check().isEmpty)
    }

    @Test func aLessonStartsEmptyUnlessTheLearnerHasWorkOfTheirOwn() throws {
        let t = try ExerciseTests.session()  // (the lesson with an exercise)
        t.type(":lesson 9")
        t.type(":next")
        t.type(":skip")  // the exercise's solution makes c; all of it the lesson's
        #expect(t.session.names["c"] != nil)
        t.type(":lesson 9 restart")
        #expect(t.session.names["c"] == nil)  // what only the lesson made is gone
        t.type("mine = 5.0")
        t.type(":lesson 9 restart")
        #expect(t.session.names["mine"] != nil)
        #expect(t.out.contains { $0.hasPrefix("(your own names are still here") })
    }
}
