import Foundation
import Micrograd
import MicrogradLanguage
import MicrogradPlatform
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Every lesson in Lessons/ prints, cell by cell, exactly what it says it prints.
@Suite struct LessonTests {
    static let folder = "/" + #filePath.split(separator: "/").dropLast(3).joined(separator: "/") + "/Lessons"

    /// The lesson files on disk, by name.
    static let files: [(name: String, text: String)] = {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name.hasSuffix(".md"), name.first?.isNumber == true { names.append(String(name.dropLast(3))) }
        }
        return names.sorted().map { name in
            (name, (try? Files.read(folder + "/" + name + ".md", limit: 1 << 24)).map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
    }()

    @Test func thereAreLessons() {
        #expect(!Self.files.isEmpty)
    }

    @Test(arguments: files.map(\.name))
    func everyCellPrintsWhatTheLessonSays(_ name: String) throws {
        let text = Self.files.first { $0.name == name }!.text
        let lesson = try Lesson.parse(text, name: name)
        #expect(lesson.steps.contains { $0.code != nil })
        for mismatch in lesson.check() {
            Issue.record("\(mismatch)")
        }
    }

    @Test func theProgramCarriesTheLessonsAsTheyAreOnDisk() {
        let bundled = Lesson.bundledSources.map { "\($0.name)\n\($0.text)" }
        let onDisk = Self.files.map { "\($0.name)\n\($0.text.hasSuffix("\n") ? String($0.text.dropLast()) : $0.text)" }
        #expect(bundled == onDisk, "the EmbedFiles plugin builds Lessons/ into the program")
        #expect(Lesson.bundled.count == Lesson.bundledSources.count)  // every one parses
    }
}

/// The lesson reader and the REPL's lesson commands.
@Suite struct LessonReaderTests {
    static let sample = """
        # 9. A sample

        Some text.

        ```micrograd
        a = 2.0
        a * 3
        ```

        ```output
        Value(data=6.0)
        ```

        More text, with a shell block:

        ```sh
        echo hi
        ```

        ```micrograd
        a.data
        ```

        The end.
        """

    @Test func readsStepsProseCellsAndOutputs() throws {
        let lesson = try Lesson.parse(Self.sample, name: "09-sample")
        #expect(lesson.title == "9. A sample" && lesson.number == 9)
        #expect(lesson.steps.count == 3)
        #expect(lesson.steps[0].prose == "# 9. A sample\n\nSome text.")
        #expect(lesson.steps[0].code == "a = 2.0\na * 3" && lesson.steps[0].expected == "Value(data=6.0)")
        #expect(lesson.steps[0].codeLine == 6)
        #expect(lesson.steps[1].prose == "More text, with a shell block:\n\n```sh\necho hi\n```")
        #expect(lesson.steps[1].expected == nil)
        #expect(lesson.steps[2].code == nil && lesson.steps[2].prose == "The end.")
        let mismatches = lesson.check()
        #expect(mismatches.map(\.line) == [21])  // `a.data` prints 2.0 but no output block says so
        #expect(mismatches.first?.actual == "2.0")
    }

    @Test func updatingFillsTheOutputBlocks() throws {
        let lesson = try Lesson.parse(Self.sample, name: "09-sample")
        let updated = Lesson.updating(Self.sample, outputs: Session().outputs(of: lesson))
        #expect(try Lesson.parse(updated, name: "09-sample").check().isEmpty)
        #expect(updated.contains("```micrograd\na.data\n```\n\n```output\n2.0\n```"))
        #expect(Lesson.updating(updated, outputs: Session().outputs(of: lesson)) == updated)
    }

    @Test(arguments: [
        ("# T\n```micrograd\na = 1\n", "the block that starts here is never closed with ```", 2),
        ("# T\n```output\n1\n```\n", "an output block must follow a ```micrograd block", 2),
        ("no title\n```micrograd\n1\n```\n", "a lesson starts with a '# Title' line", 1),
        ("# T\n```micrograd\n```sh\n```\n", "a fence opens inside the block that starts on line 2; close that one with ``` first", 3),
    ])
    func badLessonsSayWhereAndWhat(_ text: String, _ message: String, _ line: Int) {
        #expect(throws: LanguageError(message, at: SourceLocation(line: line, column: 1))) {
            try Lesson.parse(text, name: "bad")
        }
    }

    /// In a lesson, a short command means the lesson's own first: :n is :next and :b is
    /// :back (a learner's :b ran :backward, on a root from before the lesson). Outside one,
    /// :n is :nudge and :b is :backward, as before, and a whole name always means itself.
    @Test func inALessonShortCommandsMoveThroughIt() throws {
        let t = Transcript()
        t.session.lessons = [try Lesson.parse(Self.sample, name: "09-sample")]
        t.run("L = Value(2.0) * 3")
        #expect(t.run(":b").hasPrefix("backward from L"), "\(t.out)")
        t.run(":lesson 9")
        #expect(t.run(":n") == "More text, with a shell block:\n\n```sh\necho hi\n```\n>>> a.data\n2.0")
        #expect(t.run(":w") == "9. A sample: step 2 of 3")
        #expect(t.run(":b").hasSuffix("(step 1 of 3, as it ran; Enter goes forward)"))
        #expect(t.session.completions(line: ":n", cursor: 2).preferred == "next")
        #expect(t.run(":help n").hasPrefix(":next"), "\(t.out.last ?? "")")
        // They find the way around, so a saved notebook leaves them out (it kept them, as
        // :nudge and :backward, which then failed when the notebook ran).
        let typed = Transcript()
        typed.session.lessons = t.session.lessons
        for line in ["L = Value(2.0) * 3", ":b", ":lesson 9", ":n", ":w", ":b"] { typed.type(line) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mg-\(UUID().uuidString).md").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        typed.type(":save \(path)")
        let saved = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        // (The one :b kept is the :backward typed before the lesson.)
        #expect(
            saved.contains("L = Value(2.0) * 3") && !saved.contains(":n\n") && !saved.contains(":w\n")
                && saved.components(separatedBy: ":b\n").count == 2,
            "\(saved)")
        #expect(t.run(":backward L").hasPrefix("backward from L"))
        t.run(":nu")
        #expect(t.errors.contains(":nudge"), "\(t.errors)")
    }

    @Test func steppingThroughALessonInTheSession() throws {
        let t = Transcript()
        t.session.lessons = [try Lesson.parse(Self.sample, name: "09-sample")]
        #expect(
            t.run(":lessons")
                == "  9.  A sample  not started\n:lesson N opens one where you left it (one seen to its end, from the top);\n:lesson N restart starts it over"
        )
        let first = t.run(":lesson 9")
        #expect(
            first
                == "9. A sample  (3 steps; Enter or :next goes on, :back goes back, :where says where you are)\n# 9. A sample\n\nSome text.\n>>> a = 2.0\n>>> a * 3\nValue(data=6.0)"
        )
        #expect(t.session.isStepping)
        #expect(t.run(":where") == "9. A sample: step 1 of 3")
        #expect(t.run(":next") == "More text, with a shell block:\n\n```sh\necho hi\n```\n>>> a.data\n2.0")
        // The sample's second cell has no output block, so what it printed is pointed out.
        #expect(
            t.errors
                == "note: the lesson shows something different here (it prints nothing)\n(a name the lesson uses was changed, or a cell ran twice;\n:reset, then :lesson 9 restart, starts afresh)"
        )
        t.run("a = 5.0")  // the learner changes a name the lesson relies on
        #expect(t.run(":again") == ">>> a.data\n5.0")
        #expect(t.errors.hasPrefix("note: the lesson shows something different here"))
        #expect(t.run(":back").hasSuffix("(step 1 of 3, as it ran; Enter goes forward)"))
        #expect(t.session.progress["09-sample"] == LessonProgress(steps: 2))
        // Forward again, the step shows as :again ran it last (it showed the first run's 2.0).
        #expect(t.run(":next").contains(">>> a.data\n5.0\n(step 2 of 3, as it ran"), "\(t.out)")
        #expect(t.run(":next").hasPrefix("The end."))
        #expect(!t.session.isStepping)
        #expect(t.run(":lessons").contains("done"))
        t.run(":lesson nothing")
        #expect(t.errors.contains("there is no lesson 'nothing'"))
    }

    /// A lesson can be left without :reset (which forgets every name) and without finishing
    /// it: Enter then stops showing its steps, the names stay, and it opens again where it was.
    @Test func aLessonCanBeClosedAndOpenedAgainWhereItWas() throws {
        let t = Transcript()
        t.session.lessons = [try Lesson.parse(Self.sample, name: "09-sample")]
        t.run(":lesson close")
        #expect(t.errors.contains("no lesson is open"), "\(t.errors)")
        t.run(":lesson 9")
        t.run(":next")
        t.run(":lesson")
        #expect(t.errors.contains("9. A sample is open") && t.errors.contains(":lesson close"), "\(t.errors)")
        #expect(t.run(":lesson close") == "closed 9. A sample; your names stay, and :lesson 9 opens it again where you were")
        #expect(!t.session.isStepping)
        #expect(t.run("a.data") == "2.0")
        #expect(t.run(":where") == "no lesson is open; :lessons lists them")
        t.run(":lesson 9")
        #expect(t.run(":where") == "9. A sample: step 2 of 3")
        // One seen to its end opens from the top again, and closing it says so.
        t.run(":next")
        t.run(":next")
        t.run(":lesson 9")
        t.run(":next")
        #expect(
            t.run(":lesson close").replacingOccurrences(of: "\n", with: " ")
                .hasSuffix(":lesson 9 opens it again from the top, as you have seen it to the end"))
    }
}

@Suite struct LessonLineEndTests {
    @Test func aLessonWithWindowsLineEndsReadsTheSame() throws {
        let unix = "# T\n\nText.\n\n```micrograd\na = 2.0\na * 3\n```\n\n```output\nValue(data=6.0)\n```\n"
        let windows = unix.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        #expect(try Lesson.parse(windows, name: "w") == Lesson.parse(unix, name: "w"))
        #expect(try Lesson.parse(windows, name: "w").check().isEmpty)
    }
}
