import CMicrogradPlatform
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Running another program (Graphviz's `dot`) in a private temporary folder.
public enum Programs {
    /// What a program printed and how it ended.
    public struct Outcome {
        public var status: Int32
        public var output: [UInt8]
        public var errors: String
    }

    /// Runs `program` with `arguments`, feeding it `input` on standard input, and returns
    /// what it wrote to standard output. Every file involved lives in a temporary folder
    /// of our own, removed afterwards. Ctrl-C (or `shouldStop`) ends the program at once.
    public static func run(
        _ program: String, _ arguments: [String], input: [UInt8],
        shouldStop: () -> Bool = { Signals.shouldStop }
    ) throws(FileProblem) -> Outcome {
        let folder = try temporaryFolder()
        defer { removeFolder(folder) }
        let inputPath = folder + "/input", outputPath = folder + "/output", errorPath = folder + "/errors"
        do throws(FileProblem) {
            try Files.write(input, to: inputPath, newFileMode: 0o600)
        } catch {
            // (Said of the program's input, not of a temporary file the learner never named.)
            guard !error.isInterruption else { throw error }
            let reason =
                error.description.hasPrefix(inputPath + ": ") ? String(error.description.dropFirst(inputPath.count + 2)) : error.description
            throw FileProblem("cannot hand \(program) its input: \(reason)")
        }
        let inputFD = open(inputPath, O_RDONLY | O_CLOEXEC)
        let outputFD = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let errorFD = open(errorPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        defer { for fd in [inputFD, outputFD, errorFD] where fd >= 0 { close(fd) } }
        guard inputFD >= 0, outputFD >= 0, errorFD >= 0 else {
            throw FileProblem("cannot set up files for \(program): \(Process.message(for: errno))")
        }
        var argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let status = mg_spawn(program, &argv, inputFD, outputFD, errorFD, &pid)
        guard status == 0 else {
            throw FileProblem(status == ENOENT ? "\(program) is not installed" : "cannot run \(program): \(Process.message(for: status))")
        }
        let exit = try wait(for: pid, shouldStop: shouldStop)
        let output = (try? Files.read(outputPath, limit: 1 << 30, shouldStop: { false })) ?? []
        let errors = (try? Files.read(errorPath, limit: 1 << 16, shouldStop: { false })) ?? []
        return Outcome(status: exit, output: output, errors: String(decoding: errors, as: UTF8.self))
    }

    /// Waits for `pid` to end, polling so that Ctrl-C can end it first (SIGTERM, then
    /// SIGKILL a moment later if it is still there).
    static func wait(for pid: pid_t, shouldStop: () -> Bool) throws(FileProblem) -> Int32 {
        var status: Int32 = 0
        while true {
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid { return exitCode(status) }
            if done == -1 && errno != EINTR { return -1 }
            if shouldStop() {
                kill(pid, SIGTERM)
                for _ in 0..<20 {
                    if waitpid(pid, &status, WNOHANG) == pid { throw .interrupted }
                    usleep(10_000)
                }
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                throw .interrupted
            }
            usleep(5_000)
        }
    }

    static func exitCode(_ status: Int32) -> Int32 {
        // WIFEXITED / WEXITSTATUS, which Swift does not import as functions.
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// A new folder only we can use, in $TMPDIR or /tmp.
    static func temporaryFolder() throws(FileProblem) -> String {
        let base = Process.environment("TMPDIR") ?? "/tmp"
        var template = Array((base + "/micrograd-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw FileProblem("cannot make a temporary folder in \(base): \(Process.message(for: errno))")
        }
        return String(cString: made)
    }

    static func removeFolder(_ folder: String) {
        for (name, _) in Files.entries(in: folder) { unlink(folder + "/" + name) }
        rmdir(folder)
    }
}
