import Foundation
import Testing

/// The built `micrograd` binary, run as a user runs it.
struct Run {
    let status: Int32
    let stdout: String
    let stderr: String

    /// The `micrograd` beside the test bundle in the build folder.
    static let binary: URL = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("micrograd").path),
            dir.path != "/"
        {
            dir.deleteLastPathComponent()
        }
        return dir.appendingPathComponent("micrograd")
    }()

    init(_ arguments: String..., stdin: String = "", directory: String? = nil, environment: [String: String] = [:]) throws {
        try self.init(arguments: arguments, stdin: stdin, directory: directory, environment: environment)
    }

    /// The binary run with at most `kilobytes` of address space (`ulimit -v`), as a
    /// machine short of memory runs it.
    init(memoryLimit kilobytes: Int, _ arguments: String..., stdin: String = "") throws {
        try self.init(
            executable: URL(fileURLWithPath: "/bin/sh"),
            arguments: ["-c", "ulimit -v \(kilobytes) && exec \"$0\" \"$@\"", Self.binary.path] + arguments, stdin: stdin)
    }

    init(
        executable: URL = Run.binary, arguments: [String], stdin: String = "", directory: String? = nil,
        environment: [String: String] = [:]
    ) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: out, as: UTF8.self)
        stderr = String(decoding: err, as: UTF8.self)
    }
}

@Suite struct CommandLineTests {
    /// `lessons show` prints each statement of a cell and then what it printed, as at the
    /// prompt, a block's lines after '...' (it printed a cell's statements, then all their
    /// outputs together).
    @Test func lessonsShowPutsEachOutputAfterItsStatement() throws {
        let show = try Run("lessons", "show", "2", "--width", "80")
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains(">>> e.data\n-6.0\n>>> d.data\n4.0\n>>> L.data\n-8.0\n"), "\(show.stdout)")
        let four = try Run("lessons", "show", "4", "--width", "80")
        #expect(four.stdout.contains(">>> def test_square():\n...     p = Value(3.0)\n"), "\(four.stdout)")
        #expect(four.stdout.contains("...     return p.grad\n>>> test_mul()\n[2.0, 2.0]\n"), "\(four.stdout)")
    }

    /// Outside the source tree, `lessons check` checks the lessons built in (it failed,
    /// looking for Lessons/ here), and `lessons update` says to name the files.
    @Test func lessonsCheckOutsideTheSourceTreeChecksTheBuiltInLessons() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-lessons-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let check = try Run(arguments: ["lessons", "check"], directory: dir)
        #expect(check.status == 0 && check.stderr.isEmpty, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("01-derivatives.md (built in): 7 of 7 cells print what the lesson says"), "\(check.stdout)")
        #expect(check.stdout.split(separator: "\n").count == 8)
        let update = try Run(arguments: ["lessons", "update"], directory: dir)
        #expect(update.status == 2)
        #expect(update.stderr.contains("there is no Lessons folder here: name the lesson files"), "\(update.stderr)")
    }

    @Test func demoMoonsPrintsMicrogradsLosses() throws {
        let run = try Run("demo", "moons")
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 100)
        #expect(lines.first == "step 0 loss 0.8958441028683222, accuracy 50.0%")
        #expect(lines.last == "step 99 loss 0.010978370135492717, accuracy 100.0%")
    }

    @Test func demoMoonsReadsDataAndInitFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let run = try Run(
            "demo", "moons", "--data", root.appendingPathComponent("Data/moons100.csv").path,
            "--init", root.appendingPathComponent("Data/init_mlp_2_16_16_1_seed1337.txt").path,
            "--steps", "2")
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                step 0 loss 0.8958441028683222, accuracy 50.0%
                step 1 loss 1.723590533697202, accuracy 81.0%

                """)
    }

    @Test func demoMoonsExplainsBadInput() throws {
        let missing = try Run("demo", "moons", "--data", "/nonexistent/moons.csv")
        #expect(missing.status == 2 && missing.stdout.isEmpty)
        #expect(missing.stderr.contains("/nonexistent/moons.csv: No such file or directory"))
        let steps = try Run("demo", "moons", "--steps=-3")
        #expect(steps.status == 2)
        #expect(steps.stderr.contains("--steps must be 1 or more, not -3"))
        // A negative number after a space is the option's value, not another option (it was
        // "Missing value for '--steps'"); 0 steps, which printed nothing, is refused.
        for (arguments, message) in [
            (["demo", "moons", "--steps", "-1"], "--steps must be 1 or more, not -1"),
            (["demo", "moons", "--steps", "0"], "--steps must be 1 or more, not 0"),
            (["--seed", "1.5", "run", "-"], "The value '1.5' is invalid for '--seed <seed>'"),
            (["lesson", "1", "again"], "after the lesson only 'restart' may come (or --restart), not 'again'"),
        ] {
            let run = try Run(arguments: arguments)
            #expect(run.status == 2 && run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
        // `lesson N restart`, as :lesson N restart is written, is --restart (it was refused).
        #expect(try Run("lesson", "1", "restart").status == 0)
        let shortInit = FileManager.default.temporaryDirectory.appendingPathComponent("short-init-\(getpid()).txt")
        try "0.5\n0.25\n".write(to: shortInit, atomically: true, encoding: .utf8)
        let short = try Run("demo", "moons", "--init", shortInit.path)
        #expect(short.status == 2)
        #expect(short.stderr.contains("the model has 337 parameters but 2 numbers were given"))
        // A bad row quoted in the error has its control characters shown, not sent to the
        // terminal (an escape sequence in it turned the terminal red).
        let badRow = FileManager.default.temporaryDirectory.appendingPathComponent("bad-row-\(getpid()).csv")
        defer { try? FileManager.default.removeItem(at: badRow) }
        try "x,y,label\n0.5,\u{1B}[31mred,1\n".write(to: badRow, atomically: true, encoding: .utf8)
        let bad = try Run("demo", "moons", "--data", badRow.path)
        #expect(bad.status == 2 && bad.stderr.contains("got '0.5,\\x1b[31mred,1'") && !bad.stderr.contains("\u{1B}"), "\(bad.stderr)")
    }

    /// Data and parameter files with Windows line ends read as they do with "\n" ("no data
    /// rows", and the whole file as one number, before); inf, nan and more rows than the demo
    /// can hold are refused with the line (nan trained to a loss of nan; 100,000 rows ran out
    /// of memory and stopped the program); a run past 100 steps keeps its rate above 0 (the
    /// loss climbed after step 111).
    @Test func demoMoonsReadsWindowsFilesAndRefusesWhatItCannotTrainOn() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mg-demo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func windows(_ name: String) throws -> String {
            let text = try String(contentsOfFile: root.appendingPathComponent("Data/" + name).path, encoding: .utf8)
            let path = dir + "/" + name
            try text.replacing("\n", with: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let run = try Run(
            "demo", "moons", "--data", try windows("moons100.csv"), "--init", try windows("init_mlp_2_16_16_1_seed1337.txt"), "--steps",
            "1")
        #expect(run.status == 0 && run.stdout == "step 0 loss 0.8958441028683222, accuracy 50.0%\n", "\(run.stderr)")
        let many = "x,y,label\n" + String(repeating: "0.5,0.25,1\n", count: 10_001)
        for (name, text, message) in [
            ("nan.csv", "x,y,label\n1,2,1\n1,nan,-1\n", "nan.csv: line 3: expected x,y,label with finite x and y and a label of -1 or 1"),
            ("many.csv", many, "many.csv: more than 10000 rows, the most the demo trains on"),
        ] {
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
            let bad = try Run("demo", "moons", "--data", dir + "/" + name)
            #expect(bad.status == 2 && bad.stderr.contains(message), "\(bad.stderr)")
        }
        try "0.5\ninf\n".write(toFile: dir + "/inf.txt", atomically: true, encoding: .utf8)
        let inf = try Run("demo", "moons", "--init", dir + "/inf.txt")
        #expect(inf.status == 2 && inf.stderr.contains("inf.txt: line 2: 'inf' is not a finite number"), "\(inf.stderr)")
        let long = try Run("demo", "moons", "--steps", "200").stdout.split(separator: "\n")
        let losses = long.map { Double($0.split(separator: " ")[3].dropLast())! }
        #expect(losses[199] < losses[111] && losses[111] < losses[99], "\(losses[99]) \(losses[111]) \(losses[199])")
    }

    @Test func benchPrintsItsFiguresAsJSON() throws {
        let run = try Run("bench", "--json", "--steps", "3", "--runs", "1", "--chain", "1000", "--notebook-steps", "3")
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let figures = try #require(object)
        for key in ["ms_per_step", "nodes_per_step", "ns_per_node", "peak_rss_mb", "final_loss", "replay_ms_per_step"] {
            #expect(figures[key] is NSNumber, "\(key)")
        }
        #expect(figures["nodes_per_step"] as? Int == 65_481)
        #expect(run.stdout.contains("\"final_loss\": 0.7429006313851131,"))  // micrograd's step 2
        #expect((figures["chain_dx_dx0"] as? Double).map { abs($0 / 1.1051653 - 1) < 1e-6 } == true)  // 1.0001^1000
        for key in ["chain_reused_ns_per_node", "chain_reused_forward_ns_per_node", "chain_reused_backward_ns_per_node"] {
            #expect(figures[key] is NSNumber, "\(key)")
        }
    }

    @Test func benchRefusesAnEmptyNotebookLoop() throws {
        let run = try Run("bench", "--notebook-only", "--notebook-steps", "0")
        #expect(run.status == 64 || run.status == 2)
        #expect(run.stderr.contains("--notebook-steps must be positive"), "\(run.stderr)")
    }

    /// A chain past what a graph holds, or the memory, is refused before it starts: a
    /// billion steps stopped the program ("out of memory for a graph of 4000000001 nodes").
    @Test func benchRefusesAChainTooLongToBuild() throws {
        let run = try Run("bench", "--runs", "1", "--steps", "1", "--chain", "1000000000")
        #expect(run.status == 64 || run.status == 2, "\(run.status)")
        #expect(run.stderr.contains("--chain 1000000000 is more than this machine can build: at most"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"))
    }
}

@Suite struct UsageTests {
    @Test func unknownFlagsAndSubcommandsExitTwoWithAMessage() throws {
        let flag = try Run("--frobnicate")
        #expect(flag.status == 2 && flag.stderr.contains("Unknown option '--frobnicate'"))
        let sub = try Run("run", "--nope")
        #expect(sub.status == 2)
    }

    @Test func versionAndHelp() throws {
        let version = try Run("--version")
        #expect(version.status == 0 && version.stdout == "0.1.0\n")
        for args in [["--help"], ["run", "--help"], ["demo", "moons", "--help"], ["bench", "--help"]] {
            let help = try Run(arguments: args)
            #expect(help.status == 0 && help.stdout.contains("USAGE"), "\(args)")
        }
    }
}
