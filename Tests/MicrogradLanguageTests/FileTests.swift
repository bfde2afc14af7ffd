import Micrograd
import MicrogradLanguage
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// :load and lessons given files of every awkward shape: one clear error each.
@Suite struct FileTests {
    let dir: String

    init() {
        dir = "/tmp/micrograd-files-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(dir, 0o700)
    }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = dir + "/" + name
        let f = fopen(path, "wb")!
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }

    /// Loads `path` into a session holding `keep`, and returns what :load reported.
    func load(_ path: String) -> (session: Transcript, errors: String) {
        let t = Transcript()
        t.run("keep = 42.0")
        t.run(":load \(path)")
        let errors = t.errors
        #expect(t.run("keep.data") == "42.0")
        return (t, errors)
    }

    @Test func aScriptRunsAndItsErrorsCarryItsLineNumbers() {
        let path = write("ok.mg", Array("a = 2.0\nb = a * nope\nc = a + 1\n".utf8))
        let (t, _) = load(path)
        #expect(t.run("c.data") == "3.0")
        t.run(":load \(path)")
        #expect(t.errors.hasPrefix("\(path):2:9: error: 'nope' is not defined"))
        #expect(t.errors.contains("\(path) had errors (shown above); the lines without errors ran"))
    }

    /// A file in another encoding is refused at its first byte that is not UTF-8, and none
    /// of it runs; lines end at CR LF or a lone CR as the lexer's do, and the column counts
    /// characters.
    @Test func aFileThatIsNotUTF8IsNotLoaded() {
        let bytes: [UInt8] = Array("a = 1.0\rb = 'é'\r\nc = 'na".utf8) + [0xEF, 0xBF] + Array("ve'\n".utf8)
        let (t, errors) = load(write("latin1.mg", bytes))
        #expect(
            errors.contains(
                "cannot load \(dir)/latin1.mg: at line 3, column 8, byte 0xEF is not UTF-8 text; save it as UTF-8 (nothing in it ran)"),
            "\(errors)")
        #expect(t.session.names["a"] == nil)
        // The same text as UTF-8 loads.
        let good = Array("a = 1.0\rb = 'é'\r\nc = 'naïve'\n".utf8)
        let (u, fine) = load(write("utf8.mg", good))
        #expect(fine.isEmpty, "\(fine)")
        #expect(u.run("c") == "'naïve'")
        // A byte that cannot start a character, at the very start.
        guard case .failure(let problem) = NotUTF8.text(of: [0x80, 0x41]) else {
            Issue.record("0x80 read as text")
            return
        }
        #expect(problem.location == SourceLocation(line: 1, column: 1) && problem.what == "byte 0x80 is not UTF-8 text")
        // A file saved as UTF-16 (Windows' "Unicode") is said to be that.
        let (_, utf16) = load(write("utf16.mg", [0xFF, 0xFE] + Array("a = 1\n".utf8).flatMap { [$0, 0] }))
        #expect(
            utf16.contains(
                "utf16.mg: this file is UTF-16 (it starts with the bytes 0xFF 0xFE or 0xFE 0xFF), not UTF-8 text; save it as UTF-8 (nothing in it ran)"
            ),
            "\(utf16)")
    }

    @Test func missingDirectoryBinaryHugeAndUnreadableFiles() {
        var t = load(dir + "/missing.mg")
        #expect(t.errors.contains("cannot load \(dir)/missing.mg: No such file or directory"))
        t = load(dir)
        #expect(t.errors.contains("Is a directory"))
        t = load(write("binary.mg", [0x7F, 0x45, 0x4C, 0x46, 0, 0, 1, 2, 0xFF, 0xFE]))
        #expect(t.errors.contains("binary.mg: it holds NUL bytes, so it is a binary file, not a notebook or a script"))
        #expect(!t.errors.contains("had errors"))
        let big = write("big.mg", [UInt8](repeating: 0x20, count: 11 << 20))
        t = load(big)
        #expect(t.errors.contains("larger than 10 MB"))
        let secret = write("secret.mg", Array("a = 1\n".utf8))
        chmod(secret, 0)
        if getuid() != 0 {  // root reads anything, so only a normal user sees this one
            t = load(secret)
            #expect(t.errors.contains("Permission denied"))
        }
        // A FIFO no program writes into: refused at once (opening it waited for ever).
        mkfifo(dir + "/pipe.mg", 0o600)
        t = load(dir + "/pipe.mg")
        #expect(
            t.errors.contains("pipe.mg: a FIFO (a named pipe), which would wait for a program to write into it; give a file"), "\(t.errors)"
        )
        t = load(write("utf.mg", [0x61, 0x20, 0x3D, 0x20, 0xC3, 0x28, 0x0A]))
        #expect(t.errors.contains("at line 1, column 5, byte 0xC3 is not UTF-8 text; save it as UTF-8"), "\(t.errors)")
    }

    /// A relative `:load` inside a file finds the file beside it, wherever the session
    /// runs (it looked only in the current folder), and a nested one beside itself.
    @Test func aRelativeLoadInAFileLooksBesideThatFile() {
        mkdir(dir + "/sub", 0o700)
        mkdir(dir + "/sub/nested", 0o700)
        _ = write("sub/main.mg", Array(":load other.mg\n:load nested/inner.mg\n:load missing.mg\n".utf8))
        _ = write("sub/other.mg", Array("b = 3.0\n".utf8))
        _ = write("sub/nested/inner.mg", Array(":load leaf.mg\n".utf8))
        _ = write("sub/nested/leaf.mg", Array("c = b * 2\n".utf8))
        let (t, errors) = load(dir + "/sub/main.mg")
        #expect(!errors.contains("other.mg") && !errors.contains("leaf.mg"), "\(errors)")
        #expect(
            errors.contains(
                "cannot load missing.mg: No such file or directory (looked in \(dir)/sub, the running file's folder, and in the current folder)"
            ),
            "\(errors)")
        #expect(t.run("b.data, c.data") == "(3.0, 6.0)")
        // At the prompt, a relative path is the current folder's, as before.
        t.run(":load other.mg")
        #expect(t.errors.contains("cannot load other.mg: No such file or directory") && !t.errors.contains("looked in"), "\(t.errors)")
    }

    /// At the prompt, a loaded file's :quit or exit() ends the file, not the session (it
    /// ended the REPL, and the learner's work with it); in a script it ends the run.
    @Test func aLoadedFilesQuitEndsTheFileAtThePrompt() {
        let path = write("quits.mg", Array("print('q1')\n:quit\nprint('never')\n".utf8))
        let t = Transcript()
        t.host.isInteractive = true
        t.run("precious = 5.0")
        let said = t.run(":load \(path)").split(whereSeparator: \.isWhitespace).joined(separator: " ")  // (wrapped to the terminal)
        #expect(said == "q1 \(path) asked to quit; that ends the file, and the session goes on (:quit leaves)")
        #expect(!t.session.wantsToQuit && t.run("precious.data") == "5.0")
        // A file loaded by the one typed ends that one too (it went on after the :load).
        let outer = write("outer.mg", Array("print('o1')\n:load \(path)\nprint('o2')\n".utf8))
        let nested = t.run(":load \(outer)").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(nested == "o1 q1 \(outer) asked to quit; that ends the file, and the session goes on (:quit leaves)", "\(nested)")
        #expect(!t.session.wantsToQuit && t.run("precious.data") == "5.0")
        t.host.isInteractive = false
        t.run(":load \(path)")
        #expect(t.session.wantsToQuit)
    }

    @Test func aFileThatLoadsItselfStops() {
        let path = dir + "/self.mg"
        _ = write("self.mg", Array(":load \(path)\n".utf8))
        #expect(
            load(path).errors.contains(
                "\(path) is already being loaded (it loads itself, directly or through another file); a file runs once at a time"))
    }

    @Test func aLessonWithAnUnterminatedFenceIsOneError() {
        #expect(throws: LanguageError("the block that starts here is never closed with ```", at: SourceLocation(line: 3, column: 1))) {
            try Lesson.parse("# Title\n\n```micrograd\na = 1\n\nmore text\n", name: "broken")
        }
    }
}
