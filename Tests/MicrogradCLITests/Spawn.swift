import Foundation

/// Starts `path` with `arguments` as a shell would: an empty signal mask and default signal
/// handling, in a session of its own (so signals sent to its group reach only it and its
/// children). With `terminal`, that terminal is its standard input, output and error and its
/// controlling terminal; otherwise `stdin`, `stdout` and `stderr` are used.
func spawn(
    _ path: String, _ arguments: [String], environment: [String: String], terminal: String? = nil,
    stdin: Int32 = -1, stdout: Int32 = -1, stderr: Int32 = -1
) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), defaults = sigset_t()
    sigemptyset(&none)
    sigemptyset(&defaults)
    for s in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGWINCH, SIGTSTP, SIGXFSZ] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | 0x80 /* POSIX_SPAWN_SETSID */))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let terminal {
        // Opened by a session leader with no controlling terminal, it becomes the controlling one.
        posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
    } else {
        if stdin >= 0 { posix_spawn_file_actions_adddup2(&actions, stdin, 0) }
        if stdout >= 0 { posix_spawn_file_actions_adddup2(&actions, stdout, 1) }
        if stderr >= 0 { posix_spawn_file_actions_adddup2(&actions, stderr, 2) }
    }
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EINVAL) }
    return pid
}

/// `micrograd` on pipes, started as a shell starts it, so that signals can be sent to it.
final class PipedProgram {
    let pid: pid_t
    private let input: FileHandle
    private let output: FileHandle, errors: FileHandle
    private(set) var stdout = "", stderr = ""

    /// Starts it with standard input from a pipe (or from the file `stdinFile`), and
    /// standard output to a pipe (or to the file `stdoutFile`).
    init(
        _ arguments: [String], environment: [String: String] = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
        stdinFile: String? = nil, stdoutFile: String? = nil
    ) throws {
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        let file = stdinFile.map { open($0, O_RDONLY) }
        let outFile = stdoutFile.map { open($0, O_WRONLY) }
        defer {
            if let file { close(file) }
            if let outFile { close(outFile) }
        }
        pid = try spawn(
            Run.binary.path, arguments, environment: environment,
            stdin: file ?? inPipe.fileHandleForReading.fileDescriptor,
            stdout: outFile ?? outPipe.fileHandleForWriting.fileDescriptor,
            stderr: errPipe.fileHandleForWriting.fileDescriptor)
        try inPipe.fileHandleForReading.close()
        try outPipe.fileHandleForWriting.close()
        try errPipe.fileHandleForWriting.close()
        input = inPipe.fileHandleForWriting
        output = outPipe.fileHandleForReading
        errors = errPipe.fileHandleForReading
        for handle in [output, errors] { _ = fcntl(handle.fileDescriptor, F_SETFL, fcntl(handle.fileDescriptor, F_GETFL) | O_NONBLOCK) }
    }

    deinit { kill(-pid, SIGKILL) }

    func send(_ text: String) { input.write(Data(text.utf8)) }
    func closeInput() { try? input.close() }
    func signal(_ signal: Int32) { kill(pid, signal) }

    private func drain() {
        for (handle, isOut) in [(output, true), (errors, false)] {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(handle.fileDescriptor, &buffer, buffer.count)
                if n <= 0 { break }
                let text = String(decoding: buffer[0..<n], as: UTF8.self)
                if isOut { stdout += text } else { stderr += text }
            }
        }
    }

    /// Waits until standard output shows `text`; false after `seconds`.
    func waitFor(_ text: String, seconds: Double = 15) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            drain()
            if stdout.contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    /// Waits for the program to end; its exit status (128 + N after signal N).
    func exitStatus(seconds: Double = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            drain()
            var s: Int32 = 0
            if waitpid(pid, &s, WNOHANG) == pid {
                drain()
                return (s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f)
            }
            usleep(20_000)
        }
        return nil
    }
}
