import Foundation
import MicrogradPlatform
import Testing

/// Writing files that are not ours: every rule, as root too (these tests run as whoever
/// runs them, and check the mode bits themselves where root could otherwise write anything).
@Suite struct FileSafetyTests {
    let dir: String

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    func mode(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
    }

    func text(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// A script or lesson saved in another encoding (Latin-1's é is the byte 0xE9) is refused
    /// before anything runs, at the byte's line and column. Its bytes used to become U+FFFD
    /// without a word inside strings and comments, and the rest ran.
    @Test func aFileThatIsNotUTF8IsRefusedWhereTheByteIs() throws {
        try "print('first')\n".write(toFile: dir + "/first.mg", atomically: false, encoding: .utf8)
        let latin1: [UInt8] = Array("x = 1\r\n# caf".utf8) + [0xE9] + Array("\nname = 'Jos".utf8) + [0xE9] + Array("'\n".utf8)
        try Data(latin1).write(to: URL(fileURLWithPath: dir + "/latin1.mg"))
        let run = try Run(arguments: ["run", "first.mg", "latin1.mg"], directory: dir)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty, "\(run.stdout)")  // (first.mg did not run either)
        #expect(
            run.stderr == """
                latin1.mg:2:6: error: byte 0xE9 is not UTF-8 text: save the file as UTF-8 (it may be in another encoding, such as Latin-1, or not be text at all); none of it ran
                # caf\u{FFFD}
                     ^

                """, "\(run.stderr)")
        var lesson = Array("# Lesson\n\nSome prose, caf".utf8)
        lesson += [0xE9, 0x0A]
        try Data(lesson).write(to: URL(fileURLWithPath: dir + "/lesson.md"))
        let check = try Run(arguments: ["lessons", "check", "lesson.md"], directory: dir)
        #expect(check.status == 2)
        #expect(check.stderr.contains("lesson.md:3:16: byte 0xE9 is not UTF-8 text; save the lesson as UTF-8"), "\(check.stderr)")
    }

    /// A link named like a notebook is followed by :save! and `lessons update` only to a .md
    /// file: `:save! link.md` replaced the script it pointed at.
    /// A dot that ends well but gives nothing (or not a picture) is an error, and nothing is
    /// written (an empty file was, which the next :png then refused as not its own); a dot
    /// stopped by a signal says which.
    @Test func aPictureGraphvizDidNotMakeIsNotWritten() throws {
        let bin = dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try "#!/bin/sh\ncat > /dev/null\n".write(toFile: bin + "/dot", atomically: false, encoding: .utf8)
        chmod(bin + "/dot", 0o755)
        let environment = ["PATH": bin + ":/usr/bin:/bin"]
        let run = try Run(
            arguments: ["run", "-"], stdin: "b = Value(2.0) * 3\n:png b f.png\n:svg b f.svg\n", directory: dir, environment: environment)
        #expect(run.stderr.contains("Graphviz's dot ended without error but gave nothing, so nothing was written"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/f.png") && !FileManager.default.fileExists(atPath: dir + "/f.svg"))
        try "#!/bin/sh\ncat > /dev/null\nkill -SEGV $$\n".write(toFile: bin + "/dot", atomically: false, encoding: .utf8)
        let killed = try Run(
            arguments: ["run", "-"], stdin: "b = Value(2.0) * 3\n:png b f.png\n", directory: dir, environment: environment)
        #expect(killed.stderr.contains("dot failed: it was stopped by signal 11"), "\(killed.stderr)")
    }

    /// A pipe the program holds for itself (/proc/self/fd/N) is not written into: :dot
    /// wrote into its own signal pipe, and a large graph waited there until Ctrl-C.
    @Test func aPipeTheProgramHoldsIsNotWrittenTo() throws {
        var script = "b = Value(2.0) * 3\n"
        for fd in 3...4 { script += ":dot b /proc/self/fd/\(fd)\n" }  // (its signal pipe's two ends)
        let run = try Run(arguments: ["run", "-"], stdin: script + "print('alive')\n")
        #expect(run.stdout == "alive\n", "\(run.stdout)")
        #expect(
            run.stderr.components(separatedBy: "it is a pipe this program itself holds open, not a file; it was left as it is").count == 3,
            "\(run.stderr)")
    }

    @Test func aNotebookLinkIsFollowedOnlyToANotebook() throws {
        let lesson = "# L\n\n```micrograd\n1 + 1\n```\n\n```output\n3\n```\n"
        try "my precious script\n".write(toFile: dir + "/target.txt", atomically: false, encoding: .utf8)
        try lesson.write(toFile: dir + "/lesson.txt", atomically: false, encoding: .utf8)
        try "# old\n".write(toFile: dir + "/real.md", atomically: false, encoding: .utf8)
        for (link, target) in [("link.md", "target.txt"), ("lesson.md", "lesson.txt"), ("ok.md", "real.md")] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + link, withDestinationPath: target)
        }
        let save = try Run(arguments: ["run", "-"], stdin: "a = 1\n:save! link.md\n:save! ok.md\n", directory: dir)
        #expect(
            save.stderr.contains("cannot write link.md: link.md is a link to target.txt, which is not a .md file; it was left as it is"))
        #expect(try text(dir + "/target.txt") == "my precious script\n")
        #expect(save.stdout.contains("wrote ok.md: 1 cell"), "\(save.stdout)")
        #expect(try text(dir + "/real.md").hasPrefix("# ok\n"))
        let update = try Run(arguments: ["lessons", "update", "lesson.md"], directory: dir)
        #expect(
            update.status == 2 && update.stderr.contains("lesson.md is a link to lesson.txt, which is not a .md file"), "\(update.stderr)")
        #expect(try text(dir + "/lesson.txt") == lesson)
    }

    /// A picture goes through a link only to a file named as a picture of its kind: a link
    /// pointing nowhere yet, named d.dot, made evil.sh (a DOT file) where it pointed.
    @Test func aPictureLinkIsFollowedOnlyToAPicture() throws {
        for (link, target) in [
            ("d.dot", "evil.sh"), ("d.svg", "evil.txt"), ("d.png", "evil"), ("ok.dot", "drawn.dot"), ("up.dot", "UP.DOT"),
        ] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + link, withDestinationPath: target)
        }
        let run = try Run(
            arguments: ["run", "-"], stdin: "a = 2.0\nL = a * a\n:dot L d.dot\n:svg L d.svg\n:png L d.png\n:dot L ok.dot\n:dot L up.dot\n",
            directory: dir)
        #expect(
            run.stderr.contains("cannot write d.dot: d.dot is a link to evil.sh, which is not a .dot file; it was left as it is"),
            "\(run.stderr)")
        #expect(run.stderr.contains("d.svg is a link to evil.txt, which is not a .svg file"), "\(run.stderr)")
        for name in ["evil.sh", "evil.txt", "evil"] { #expect(!FileManager.default.fileExists(atPath: dir + "/" + name), "\(name)") }
        #expect(try text(dir + "/drawn.dot").hasPrefix("// drawn by micrograd's :dot"))
        #expect(try text(dir + "/UP.DOT").hasPrefix("// drawn by micrograd's :dot"))  // (a name's case is not its kind)
    }

    @Test func aDeviceIsWrittenThroughNotReplaced() throws {
        try Files.write(Array("ignored\n".utf8), to: "/dev/null")
        let attributes = try FileManager.default.attributesOfItem(atPath: "/dev/null")
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
        // :dot to /dev/stdout prints the drawing, through the device.
        let run = try Run("run", "-", stdin: "a = 2.0; L = a * 3\n:dot L /dev/stdout\n")
        #expect(run.status == 0 && run.stdout.hasPrefix("// drawn by micrograd's :dot\ndigraph {"), "\(run.stderr)")
    }

    /// A device is written to only when it is /dev/null or the program's own output: a link
    /// named like a notebook or a picture, to another program's terminal, had :save!, :dot
    /// and :svg write into it. (/dev/zero stands in for the terminal: it takes anything.)
    @Test func aDeviceThatIsNotOurOutputIsLeftAlone() throws {
        for name in ["notes.md", "pic.dot", "pic.svg"] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: "/dev/zero")
        }
        let script = "a = 2.0; L = a * 3\n:save! notes.md\n:dot L pic.dot\n:dot L /dev/zero\n:dot L /dev/null\nprint('alive')\n"
        let run = try Run(arguments: ["run", "-"], stdin: script, directory: dir)
        let refusal = "is a device (a terminal, say), not a file: of devices, only /dev/null and this program's own output"
        #expect(run.stderr.components(separatedBy: refusal).count == 4, "\(run.stderr)")
        #expect(run.stderr.contains("cannot write notes.md: notes.md " + refusal), "\(run.stderr)")
        #expect(run.stdout == "wrote /dev/null (3 values); :svg L FILE draws it with Graphviz\nalive\n", "\(run.stdout)")
        #expect(!run.stderr.contains("<stdin>:5:"), "\(run.stderr)")
    }

    /// A file in a folder that is not there says which folder (it said "No such file or
    /// directory" alone).
    @Test func aMissingFolderIsNamed() throws {
        let run = try Run(arguments: ["run", "-"], stdin: "a = Value(1.0)\n:dot a new/sub/x.dot\n:save new/x.md\n", directory: dir)
        #expect(
            run.stderr.contains(
                "cannot write new/sub/x.dot: there is no folder new/sub; make it first (mkdir -p new/sub), or choose another"),
            "\(run.stderr)")
        #expect(run.stderr.contains("cannot write new/x.md: there is no folder new; make it first (mkdir -p new)"), "\(run.stderr)")
    }

    /// A folder made read-only is left so, as a read-only file is: root could write in it
    /// anyway, and :dot and :save did.
    @Test func aReadOnlyFolderIsLeftAloneAsRootToo() throws {
        try FileManager.default.createDirectory(atPath: dir + "/ro", withIntermediateDirectories: false)
        chmod(dir + "/ro", 0o555)
        defer { chmod(dir + "/ro", 0o755) }
        let run = try Run(arguments: ["run", "-"], stdin: "a = 2.0; L = a * 3\n:dot L ro/x.dot\n:save ro/x.md\n", directory: dir)
        #expect(!FileManager.default.fileExists(atPath: dir + "/ro/x.dot") && !FileManager.default.fileExists(atPath: dir + "/ro/x.md"))
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir + "/ro")).isEmpty)
        #expect(
            run.stderr.components(separatedBy: "goes in ro, which is not writable (mode 0555), so nothing was written").count == 3,
            "\(run.stderr)")
    }

    /// Past the file size limit (ulimit -f) a write fails, and says so: SIGXFSZ ended the
    /// program, with a temporary file left behind.
    @Test func aFileSizeLimitIsAnErrorNotAnEnd() throws {
        // (Started as a shell starts it: a test runner's children may ignore SIGXFSZ.)
        let outside = dir + "-io"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try "xs = [Value(float(i)) for i in range(400)]\ny = sum(xs)\n:dot y big.dot\n:svg y big.svg\nprint('alive')\n"
            .write(toFile: outside + "/big.mg", atomically: false, encoding: .utf8)
        let input = open(outside + "/big.mg", O_RDONLY), output = open(outside + "/out", O_WRONLY | O_CREAT, 0o600)
        let errors = open(outside + "/err", O_WRONLY | O_CREAT, 0o600)
        let pid = try spawn(
            "/bin/sh", ["-c", "cd \"$1\" && ulimit -f 8 && exec \"$0\" run -", Run.binary.path, dir],
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": outside], stdin: input, stdout: output, stderr: errors)
        [input, output, errors].forEach { close($0) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        let stderr = try text(outside + "/err")
        #expect(status & 0x7f == 0 && (status >> 8) & 0xff == 1, "status \(status): \(stderr)")  // (not killed by a signal)
        #expect(try text(outside + "/out") == "alive\n")
        #expect(stderr.contains("cannot write big.dot") && stderr.contains("large"), "\(stderr)")
        // Graphviz, under the same limit, is stopped by it (or not handed its input), and
        // that is what is said: not an exit status, nor a temporary file's name.
        #expect(
            stderr.contains("dot was stopped by the file size limit (ulimit -f)")
                || stderr.contains("cannot hand dot its input: File too large"),
            "\(stderr)")
        #expect(!stderr.contains("micrograd-") && !stderr.contains("exit status"), "\(stderr)")
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir)).isEmpty)
    }

    /// :dot, :svg and :png replace only a picture of their own kind that micrograd drew:
    /// a learner's script (through a link too, or the very script that is running) and
    /// another kind of picture are left as they are, with the reason. They used to
    /// replace anything.
    @Test func aPictureReplacesOnlyAPictureMicrogradDrew() throws {
        try "my precious script\n".write(toFile: dir + "/important.py", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.dot", withDestinationPath: "important.py")
        // The mark only quoted near the top (it used to be enough for the file to count as
        // a picture micrograd drew): not ours either.
        let quoting = "# the file :dot writes begins \"// drawn by micrograd's :dot\"\n:dot L running.mg\n"
        try quoting.write(toFile: dir + "/running.mg", atomically: false, encoding: .utf8)
        let script = """
            a = 2.0; L = a * 3
            :dot L important.py
            :dot L link.dot
            :dot L 'my graph.dot'
            :dot L 'my graph.dot'
            :svg L 'my graph.dot'
            :svg L g.svg
            :svg L g.svg
            :png L g.svg
            :png L g.png
            :png L g.png
            :load running.mg
            :dot L ""

            """
        let run = try Run("run", "-", stdin: script, directory: dir)
        #expect(try text(dir + "/important.py") == "my precious script\n")
        #expect(try text(dir + "/running.mg") == quoting)
        #expect(try text(dir + "/my graph.dot").hasPrefix("// drawn by micrograd's :dot\ndigraph {"))
        let svg = try text(dir + "/g.svg")
        #expect(svg.hasPrefix("<!-- drawn by micrograd's :svg -->\n") && svg.contains("<svg"))
        let png = try Data(contentsOf: URL(fileURLWithPath: dir + "/g.png"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.range(of: Data("tEXtSoftware\0drawn by micrograd's :png".utf8)) != nil)
        func refused(_ line: Int, _ file: String, _ kind: String) -> String {
            "\(file) is already there, and it is not \(kind) that micrograd drew, so it was left as it is; choose another name, or remove it first"
        }
        for (line, file, kind) in [(2, "important.py", "a DOT file"), (2, "running.mg", "a DOT file")] {
            #expect(run.stderr.contains(refused(line, file, kind)), "\(file): \(run.stderr)")
        }
        // (A picture of one kind named for another is refused before that: by its name.)
        #expect(
            run.stderr.contains("my graph.dot ends in .dot, but :svg writes an SVG; name it my graph.svg, or use :dot"), "\(run.stderr)")
        #expect(run.stderr.contains("g.svg ends in .svg, but :png writes a PNG; name it g.png, or use :svg"), "\(run.stderr)")
        // (A link is followed only to a picture's name: link.dot points at important.py.)
        #expect(run.stderr.contains("link.dot is a link to important.py, which is not a .dot file; it was left as it is"))
        #expect(run.stderr.contains("give the file a name, as in graph.dot"))
        // (The seventh says that running.mg had errors.)
        #expect(run.stderr.components(separatedBy: "error:").count - 1 == 7, "\(run.stderr)")
    }

    @Test func aSymlinkStaysALinkAndItsTargetIsWritten() throws {
        let target = dir + "/real.dot", link = dir + "/link.dot"
        try "old".write(toFile: target, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.dot")
        try Files.write(Array("new".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.dot")
        #expect(try text(target) == "new")
        // A link to a file that is not there yet: the file is made where it points.
        let dangling = dir + "/dangling.dot"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "later.dot")
        try Files.write(Array("made".utf8), to: dangling)
        #expect(try text(dir + "/later.dot") == "made")
    }

    /// A file that loads itself is caught by what file it is, not how it is named: the
    /// file `run` runs was not counted (it ran twice), and each link to it counted as
    /// another file (seven links made one file run 13,700 times).
    @Test func aFileThatLoadsItselfUnderAnyNameRunsOnce() throws {
        var script = "print('top')\n:load self.mg\n:load ./self.mg\n"
        for k in 1...3 {
            try FileManager.default.createSymbolicLink(atPath: dir + "/a\(k).mg", withDestinationPath: "self.mg")
            script += ":load a\(k).mg\n"
        }
        try (script + "print('bottom')\n").write(toFile: dir + "/self.mg", atomically: false, encoding: .utf8)
        let run = try Run("run", "self.mg", directory: dir)
        #expect(run.stdout == "top\nbottom\n", "\(run.stdout)")
        #expect(run.status == 1)
        for (line, name) in [(2, "self.mg"), (3, "./self.mg"), (4, "a1.mg"), (6, "a3.mg")] {
            #expect(
                run.stderr.contains(
                    "self.mg:\(line):7: error: \(name) is already being loaded (it loads itself, directly or through another file)"),
                "\(run.stderr)")
        }
    }

    /// :save! onto the notebook that is running (under any name) would cut it short as it
    /// runs: it is refused, and the notebook is whole afterwards.
    @Test func aNotebookCannotSaveOverItselfAsItRuns() throws {
        let notebook = "# self\n\n```micrograd\na = 2.0\n```\n\n```micrograd\n:save! link.md\n```\n\n```micrograd\nprint(a*5)\n```\n"
        try notebook.write(toFile: dir + "/self.md", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.md", withDestinationPath: "self.md")
        let run = try Run("run", "self.md", directory: dir)
        #expect(run.stdout == "Value(data=10.0)\n", "\(run.stdout)")
        #expect(run.stderr.contains("link.md is the notebook being run, so it was left as it is"), "\(run.stderr)")
        #expect(try text(dir + "/self.md") == notebook)
        // A notebook given on standard input (`run - < piped.md`).
        let pipedNotebook = "# piped\n\n```micrograd\na = 2.0\n:save! \(dir)/piped.md\n```\n"
        try pipedNotebook.write(toFile: dir + "/piped.md", atomically: false, encoding: .utf8)
        let piped = try PipedProgram(["run", "-"], stdinFile: dir + "/piped.md")
        _ = piped.exitStatus()
        #expect(piped.stderr.contains("piped.md is the notebook being run, so it was left as it is"), "\(piped.stderr)")
        #expect(try text(dir + "/piped.md") == pipedNotebook)
    }

    /// A name starting with ~/ is in the home folder, as a shell reads it (Tab completes
    /// such names): :save, :load and the pictures take them.
    @Test func aFileNameStartingWithTildeIsInTheHomeFolder() throws {
        let run = try Run(
            "run", "-", stdin: "a = 2.0\nb = a*3\n:save ~/work.md\n:dot b ~/b.dot\n:load ~/more.mg\n", directory: dir,
            environment: ["HOME": dir])
        #expect(run.stderr.contains("cannot load ~/more.mg"), "\(run.stderr)")  // not there: said with the name typed
        #expect(FileManager.default.fileExists(atPath: dir + "/work.md") && FileManager.default.fileExists(atPath: dir + "/b.dot"))
        try "print('loaded')\n".write(toFile: dir + "/more.mg", atomically: false, encoding: .utf8)
        #expect(try Run("run", "-", stdin: ":load ~/more.mg\n", environment: ["HOME": dir]).stdout == "loaded\n")
    }

    /// Messages about files say each thing once: a binary file given to :load is refused
    /// in one error (it also said the lines without errors ran, though none had), a path
    /// too long is named once (not "P: P: File name too long"), and one value is "1 value".
    @Test func fileMessagesSayEachThingOnce() throws {
        try Data([0x61, 0x00, 0x62]).write(to: URL(fileURLWithPath: dir + "/binary.mg"))
        let long = String(repeating: "d", count: 300)
        let run = try Run("run", "-", stdin: "a = 2.0\n:load binary.mg\n:dot a \(long)/x.dot\n:dot a one.dot\n", directory: dir)
        #expect(
            run.stderr.contains(
                "<stdin>:2:7: error: cannot load binary.mg: it holds NUL bytes, so it is a binary file, not a notebook or a script"),
            "\(run.stderr)")
        #expect(!run.stderr.contains("had errors") && !run.stderr.contains("binary.mg holds NUL"), "\(run.stderr)")
        #expect(run.stderr.contains("error: cannot write \(long)/x.dot: File name too long"), "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: long).count == 2, "\(run.stderr)")  // (the line shown is cut short)
        #expect(run.stdout.contains("wrote one.dot (1 value);"), "\(run.stdout)")
    }

    /// A file name of up to 255 bytes can be written, though its temporary name beside it
    /// would be longer (a 234-letter name was "File name too long"); two long names that
    /// differ only past the part the temporary keeps are two files.
    @Test func aLongFileNameIsWritten() throws {
        let a = String(repeating: "y", count: 230) + "a.dot", b = String(repeating: "y", count: 230) + "b.dot"
        let run = try Run("run", "-", stdin: "x = 2.0\n:dot x \(a)\n:dot x \(b)\n", directory: dir)
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir + "/" + a) && FileManager.default.fileExists(atPath: dir + "/" + b))
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("micrograd-temporary") }
        #expect(left.isEmpty, "\(left)")
    }

    /// A picture written to a FIFO that no program reads is refused at once (it waited for
    /// a reader until Ctrl-C); with a reader, it is written through.
    @Test func aFIFOWithNoReaderIsRefusedAtOnce() throws {
        let fifo = dir + "/pipe.dot"
        #expect(mkfifo(fifo, 0o600) == 0)
        let run = try Run("run", "-", stdin: "a = 2.0\n:dot a \(fifo)\nprint('next')\n")
        #expect(run.stderr.contains("cannot write \(fifo): it is a FIFO that no program is reading"), "\(run.stderr)")
        #expect(run.stdout == "next\n")
        // A reader (opened without waiting for a writer); the drawing fits the pipe's buffer.
        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }
        let writer = try Run("run", "-", stdin: "a = 2.0\n:dot a \(fifo)\n")
        #expect(writer.stdout.hasPrefix("wrote \(fifo) (1 value)"), "\(writer.stderr)")
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(reader, &buffer, buffer.count)
        #expect(n > 0 && String(decoding: buffer.prefix(max(0, n)), as: UTF8.self).contains("digraph"))
    }

    /// A picture bigger than a pipe holds, written to a FIFO whose reader stops early, is
    /// an error and the run goes on (SIGPIPE ended the program, and a REPL's session with
    /// it); to one whose reader does not read, Ctrl-C stops the wait.
    @Test func aFIFOReaderThatStopsOrStallsLosesNothing() throws {
        let fifo = dir + "/stall.dot"
        #expect(mkfifo(fifo, 0o600) == 0)
        let script = "a = Value(2.0)\nc = Value(0.0)\nfor i in range(3000):\n    c = c + a\n:dot c \(fifo)\nprint('next')\n"
        for ending in ["close", "interrupt"] {
            let reader = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC)  // (not also held by the program)
            #expect(reader >= 0)
            try script.write(toFile: dir + "/stall.mg", atomically: false, encoding: .utf8)
            let writer = try PipedProgram(["run", dir + "/stall.mg"])
            usleep(600_000)
            if ending == "close" {
                close(reader)
                #expect(writer.exitStatus() == 1)
                #expect(writer.stderr.contains("\(fifo): the program reading it stopped before the end"), "\(writer.stderr)")
                #expect(writer.stdout.hasSuffix("next\n"), "\(writer.stdout)")
            } else {
                writer.signal(SIGINT)
                #expect(writer.exitStatus() == 130)
                #expect(writer.stderr.contains("stall.mg:5: interrupted"), "\(writer.stderr)")
                close(reader)
            }
        }
    }

    @Test func aReadOnlyFileIsRefusedEvenForRoot() throws {
        let path = dir + "/readonly.dot"
        try "keep me".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o444)
        #expect(throws: FileProblem.self) { try Files.write(Array("x".utf8), to: path) }
        #expect(try text(path) == "keep me" && (try mode(path)) == 0o444)
        do { try Files.write(Array("x".utf8), to: path) } catch {
            #expect(
                error.description
                    == "\(path) is not writable (mode 0444), so it was left as it is; choose another name, or chmod u+w it first")
        }
        // A DOT file micrograd drew, made read-only, is left alone too.
        chmod(path, 0o644)
        try "// drawn by micrograd's :dot\nkeep me".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o444)
        let run = try Run("run", "-", stdin: "a = 2.0\n:dot a \(path)\n")
        #expect(run.status == 1 && run.stderr.contains("is not writable (mode 0444)"), "\(run.stderr)")
    }

    /// A file of another user's, which root is held to the bits of, says whose it is:
    /// "chmod u+w it" would not help when the owner's bit is already set.
    @Test func anotherUsersFileSaysWhoseItIs() throws {
        let path = dir + "/owned.dot"
        try "theirs".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        guard geteuid() == 0, chown(path, 65534, 65534) == 0 else { return }  // (only root can give a file away)
        do {
            try Files.write(Array("x".utf8), to: path)
            Issue.record("another user's file was written")
        } catch {
            #expect(
                error.description
                    == "\(path) belongs to another user (uid 65534) and is not writable by others (mode 0640), so it was left as it is; choose another name"
            )
        }
        #expect(try text(path) == "theirs")
    }

    @Test func aFileKeepsItsModeAndANewOneGetsTheUmasks() throws {
        let kept = dir + "/kept.dot"
        try "old".write(toFile: kept, atomically: false, encoding: .utf8)
        chmod(kept, 0o640)
        try Files.write(Array("new".utf8), to: kept)
        #expect(try mode(kept) == 0o640 && (try text(kept)) == "new")
        let old = umask(0o027)
        defer { umask(old) }
        try Files.write(Array("fresh".utf8), to: dir + "/fresh.dot")
        #expect(try mode(dir + "/fresh.dot") == 0o640)
    }

    @Test func noTemporaryFileIsLeftAndStaleOnesAreCleanedUp() throws {
        let path = dir + "/graph.dot"
        // One left by a run that was killed (pid 999999 is not running).
        try "half".write(toFile: dir + "/.graph.dot.micrograd-temporary-999999", atomically: false, encoding: .utf8)
        // The learner's own files that only look like temporaries are left alone.
        let theirs = ["graph.dot.tmp99999", "graph.dot.tmp0099998", "graph.dot.tmp+77777", ".graph.dot.micrograd-temporary-+999999"]
        for name in theirs { try "mine".write(toFile: dir + "/" + name, atomically: false, encoding: .utf8) }
        try Files.write(Array("whole".utf8), to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == (["graph.dot"] + theirs).sorted())
        for name in theirs { try FileManager.default.removeItem(atPath: dir + "/" + name) }
        // A refused write leaves nothing behind either.
        try FileManager.default.createDirectory(atPath: dir + "/sub.dot", withIntermediateDirectories: true)
        #expect(throws: FileProblem.self) { try Files.write(Array("x".utf8), to: dir + "/sub.dot") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["graph.dot", "sub.dot"])
    }

    @Test func killedMidWriteTheFileIsWholeOldOrWholeNew() throws {
        // A drawing of a big graph, written again and again by a program killed at random moments.
        let path = dir + "/big.dot"
        let script = dir + "/write.mg"
        try
            "xs = [Value(float(i)) for i in range(20000)]\ns = sum(x*x for x in xs)\nfor i in range(100):\n    pass\n:dot s \(path)\n:dot s \(path)\n:dot s \(path)\n"
            .write(toFile: script, atomically: false, encoding: .utf8)
        for attempt in 0..<6 {
            let program = try PipedProgram(["run", script])
            usleep(UInt32(200_000 + attempt * 60_000))
            kill(program.pid, SIGKILL)
            _ = program.exitStatus()
            if let contents = try? text(path) {
                #expect(
                    contents.hasPrefix("// drawn by micrograd's :dot\ndigraph {") && contents.hasSuffix("}\n"),
                    "attempt \(attempt): \(contents.count) bytes")
            }
        }
    }

    @Test func aPathStartingWithADashIsAFileNotAnOption() throws {
        let run = try Run("run", "-", stdin: "a = 2.0; L = a * 3\n:svg L -graph.svg\n", directory: dir)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try text(dir + "/-graph.svg").contains("<svg"))
    }

    @Test func aLessonIsUpdatedThroughItsLinkAndKeepsItsLineEnds() throws {
        let real = dir + "/99-real.md", link = dir + "/99-link.md"
        let lesson = "# 99. T\r\n\r\n```micrograd\r\na = 2.0\r\na * 3\r\n```\r\n\r\nText.\r\n"
        try lesson.write(toFile: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let update = try Run("lessons", "update", link)
        #expect(update.status == 0, "\(update.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == real)
        #expect(
            try text(real)
                == "# 99. T\r\n\r\n```micrograd\r\na = 2.0\r\na * 3\r\n```\r\n\r\n```output\r\nValue(data=6.0)\r\n```\r\n\r\nText.\r\n")
        #expect(try Run("lessons", "check", link).status == 0)
    }

    @Test func lessonsCheckTouchesNoFileOutside() throws {
        let lesson = dir + "/98-writes.md"
        try "# 98. W\n\n```micrograd\na = 2.0\n:dot a out.dot\n:load \(lesson)\n```\n".write(
            toFile: lesson, atomically: false, encoding: .utf8)
        let check = try Run(arguments: ["lessons", "check", lesson], directory: dir)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.dot"))
        #expect(check.stderr.contains("+ wrote out.dot"))  // it ran, in memory
        #expect(check.stderr.contains("No such file or directory"))  // and read nothing real
    }
}
