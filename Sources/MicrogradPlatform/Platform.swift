import CMicrogradPlatform

// The one place that says which C library this is. Everything else in the package that
// needs the operating system goes through this module's functions.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the running process and its environment.
public enum Process {
    /// The value of environment variable `name`, if it is set and not empty.
    public static func environment(_ name: String) -> String? {
        guard let value = getenv(name), value.pointee != 0 else { return nil }
        return String(cString: value)
    }

    /// Opens /dev/null on each of descriptors 0, 1 and 2 that is closed (`<&-`, `>&-`), the
    /// wrong way round, so that reading or writing it fails and says so. Left closed, the
    /// first file or pipe the program opened took its number: with both closed, `print`
    /// wrote into the program's own signal pipe, and the output was lost with a status of 0.
    public static func openClosedStandardDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
            if opened >= 0 && opened != fd {
                _ = dup2(opened, fd)
                _ = close(opened)
            }
        }
    }

    /// Writes out what C's standard output buffers hold (Swift's `print` uses them).
    public static func flushOutput() { mg_flush_output() }

    /// Flushes standard output and says why not everything written to it arrived (a full
    /// disk, say), or nil if it all did.
    public static func standardOutputProblem() -> String? {
        let code = mg_stdout_failed()
        return code == 0 ? nil : message(for: code)
    }

    /// This process's id.
    public static var id: Int32 { getpid() }

    /// Whether file descriptor `fd` (0, 1, 2) is a terminal.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

    /// Ends the process at once with `status`, after flushing C's output buffers.
    public static func exit(_ status: Int32) -> Never {
        fflush(nil)
        #if canImport(Glibc)
        Glibc.exit(status)
        #elseif canImport(Musl)
        Musl.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }

    /// The most memory the process has held at once, in megabytes.
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        guard getrusage(0 /* RUSAGE_SELF on Linux and Darwin */, &usage) == 0 else { return .nan }
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / 1_048_576  // bytes on Darwin
        #else
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #endif
    }

    /// About how many more bytes this process can have before the system refuses it
    /// memory: the least of what its address-space and data limits leave (`ulimit -v`,
    /// `ulimit -d`), what its control group's memory limit leaves, and what the machine
    /// has available. Nil where none of them can be read.
    public static func memoryAvailable() -> Int? {
        var room: [Int] = []
        if let left = addressSpaceLeft() { room.append(left) }
        #if os(Linux)
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_DATA.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
            let data = bytesInUse(field: 5)
        {
            room.append(Int(clamping: limit.rlim_cur) - data)
        }
        #endif
        if let line = systemFile("/proc/meminfo")?.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        {
            room.append(kilobytes * 1024)
        }
        // A control group's limit: version 2's files, else version 1's.
        for (limitFile, usageFile) in [
            ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
            ("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"),
        ] {
            if let limit = systemFile(limitFile).flatMap({ Int($0.filter(\.isNumber)) }),
                let usage = systemFile(usageFile).flatMap({ Int($0.filter(\.isNumber)) }), limit < Int.max / 2
            {
                room.append(limit - usage)
            }
        }
        return room.min().map { Swift.max(0, $0) }
    }

    /// How much address space this process may still take under its limit (`ulimit -v`),
    /// or nil if it has none (or it cannot be read).
    public static func addressSpaceLeft() -> Int? {
        #if os(Linux)
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
            let size = bytesInUse(field: 0)
        else { return nil }
        return Int(clamping: limit.rlim_cur) - size
        #else
        return nil
        #endif
    }

    /// A field of /proc/self/statm, in bytes: 0 the address space's size, then what is
    /// resident, shared, text, libraries, and 5 data (with the stack).
    private static func bytesInUse(field: Int) -> Int? {
        guard let fields = systemFile("/proc/self/statm")?.split(separator: " "), field < fields.count,
            let pages = Int(fields[field])
        else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The text of a small file the system keeps (under /proc or /sys), or nil.
    private static func systemFile(_ path: String) -> String? {
        (try? Files.read(path, limit: 1 << 16, shouldStop: { false })).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The message the C library gives for error number `code`.
    public static func message(for code: Int32) -> String { String(cString: strerror(code)) }
}

/// The terminal a stream is connected to.
public enum Terminal {
    #if os(Linux)
    static let getWindowSize: UInt = 0x5413  // TIOCGWINSZ
    #else
    static let getWindowSize: UInt = 0x4008_7468  // TIOCGWINSZ on Darwin and the BSDs
    #endif

    /// The width in columns of the terminal on `fd`, or nil when it is not a terminal.
    public static func width(of fd: Int32 = 1) -> Int? {
        var size = winsize()
        guard ioctl(fd, getWindowSize, &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Whether the locale's characters are UTF-8, so box drawing and braille will show.
    public static var isUTF8: Bool {
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let value = Process.environment(name) {
                let text = value.lowercased()
                return text.contains("utf-8") || text.contains("utf8")
            }
        }
        return false
    }

    /// What waiting for a key brought.
    public enum Wake: Equatable {
        case byte(UInt8)
        /// A signal arrived (Ctrl-C, a resize, a request to end): check `Signals`.
        case signal
        /// The input ended (or failed).
        case end
    }

    /// Waits for one byte on `fd`, or for a signal, whichever comes first.
    public static func nextByte(from fd: Int32) -> Wake {
        var waiting = [
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: Signals.wakeupDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        if poll(&waiting, 2, -1) < 0 { return .signal }  // EINTR
        if waiting[1].revents != 0 {
            Signals.drainWakeups()
            return .signal
        }
        var byte: UInt8 = 0
        let n = read(fd, &byte, 1)
        if n == 1 { return .byte(byte) }
        return n < 0 && (errno == EINTR || errno == EAGAIN) ? .signal : .end
    }

    /// A byte from `fd` if one comes within `milliseconds` (0: only one already there).
    public static func byteIfReady(from fd: Int32, within milliseconds: Int32) -> UInt8? {
        guard isReady(fd, within: milliseconds) else { return nil }
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 1 ? byte : nil
    }

    /// Whether `fd` has input waiting (or comes within `milliseconds`).
    public static func isReady(_ fd: Int32, within milliseconds: Int32 = 0) -> Bool {
        var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&waiting, 1, milliseconds) == 1 && waiting.revents & Int16(POLLIN) != 0
    }

    /// Colour only on a terminal, and only when NO_COLOR is not set.
    public static var wantsColour: Bool {
        Process.isTerminal(1) && getenv("NO_COLOR") == nil
    }
}

/// Threads, for the one thing the program needs them for.
public enum Threads {
    /// Runs `body` on a new thread with a stack of `stackBytes` (deep recursion in the
    /// interpreter needs more than the main thread's 8 MB), waits for it, and exits with
    /// what it returns. The calling thread blocks the signals first, so they land on the
    /// new thread (see `Signals`). If no thread can be made, `body` runs here.
    ///
    /// (One thread runs the program's work, and the other only waits for it: the release
    /// build of the notebook counts references without atomics on that promise. See the
    /// MicrogradLanguage target in Package.swift before running a session on another.)
    public static func runOnLargeStack(_ stackBytes: Int, _ body: @escaping () -> Int32) -> Never {
        final class Box {
            let body: () -> Int32
            var status: Int32 = 0
            init(_ body: @escaping () -> Int32) { self.body = body }
        }
        let box = Box(body)
        Signals.blockInThisThread()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, stackBytes)
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let started = pthread_create(
            &thread, &attributes,
            { raw in
                let box = Unmanaged<Box>.fromOpaque(raw!).takeUnretainedValue()
                box.status = box.body()
                return nil
            }, Unmanaged.passUnretained(box).toOpaque())
        guard started == 0 else {
            Signals.install()
            Process.exit(body())
        }
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
        Process.exit(box.status)
    }
}
