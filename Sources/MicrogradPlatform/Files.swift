import CMicrogradPlatform
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be read or written, in words for the learner.
public struct FileProblem: Error, Equatable, CustomStringConvertible {
    public let description: String
    /// Whether Ctrl-C (or a request to end) stopped the work, rather than the file.
    public let isInterruption: Bool
    /// Whether nothing was written because something is already at the path (and
    /// replacing it was not asked for).
    public let exists: Bool

    public init(_ description: String, isInterruption: Bool = false, exists: Bool = false) {
        self.description = description
        self.isInterruption = isInterruption
        self.exists = exists
    }

    static let interrupted = FileProblem("interrupted", isInterruption: true)

    init(_ path: String, _ errno: Errno) {
        self.init("\(path): \(Process.message(for: errno.rawValue))")
    }

    init(_ path: String, _ error: any Error) {
        self.init(path, error as? Errno ?? .ioError)
    }
}

/// Reading and writing files so that nothing that is not ours is ever touched:
///
/// - a write goes to a temporary file beside the target, renamed over it only once it is
///   whole, so a crash (even SIGKILL) never leaves a half-written file; the temporary file
///   is removed on every error, and ones left by a killed run are cleaned up next time;
/// - a symbolic link stays a link: its target is written;
/// - a device or FIFO (`/dev/null`, `/dev/stdout`) is written through, never replaced;
/// - a file the user could not write (by its mode bits, root included) is refused;
/// - an existing file keeps its mode (and, for root, its owner); a new one gets the umask's.
public enum Files {
    // MARK: Reading

    /// The bytes of `path` (a file, a device or a FIFO), refusing more than `limit`.
    ///
    /// A read that waits (a FIFO with no writer yet) stops when `shouldStop` says so.
    public static func read(
        _ path: String, limit: Int, onlyAPlainFile: Bool = false, refusingPipes: Bool = false,
        shouldStop: () -> Bool = { Signals.shouldStop }
    ) throws(FileProblem) -> [UInt8] {
        // (Asked before opening: opening a FIFO waits for a writer, and reading it waits for
        // what the writer sends.)
        // (Only when asked: the memory check reads files under /proc every few milliseconds.)
        let status = onlyAPlainFile || refusingPipes ? try? Stat(FilePath(path), followTargetSymlink: true) : nil
        if onlyAPlainFile, let status, status.type != .regular {
            throw FileProblem("\(path) is not a plain file")
        }
        if refusingPipes, let status, status.type == .fifo {
            throw FileProblem("\(path): a FIFO (a named pipe), which would wait for a program to write into it; give a file")
        }
        var descriptor: FileDescriptor?
        while descriptor == nil {
            do {
                descriptor = try FileDescriptor.open(
                    FilePath(path), .readOnly, options: [.closeOnExec],
                    retryOnInterrupt: false)
            } catch Errno.interrupted {
                if shouldStop() { throw .interrupted }
            } catch {
                throw FileProblem(path, error as? Errno ?? .ioError)
            }
        }
        let fd = descriptor!
        defer { try? fd.close() }
        if let status = try? fd.stat(), status.type == .directory {
            throw FileProblem(path, Errno.isDirectory)
        }
        return try read(fd, named: path, limit: limit, shouldStop: shouldStop)
    }

    /// The bytes of an open descriptor (standard input, say), refusing more than `limit`.
    public static func read(
        _ fd: FileDescriptor, named name: String, limit: Int,
        shouldStop: () -> Bool = { Signals.shouldStop }
    ) throws(FileProblem) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n: Int
            do {
                n = try buffer.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: false) }
            } catch Errno.interrupted {
                if shouldStop() { throw .interrupted }
                continue
            } catch {
                throw FileProblem(name, error as? Errno ?? .ioError)
            }
            if n == 0 { return bytes }
            bytes += buffer[0..<n]
            if bytes.count > limit {
                throw FileProblem("\(name): larger than \(limit / (1 << 20)) MB, the most that is read here")
            }
        }
    }

    // MARK: Writing

    /// Writes `bytes` to `path` by the rules above. `newFileMode` is the mode of a file
    /// that does not exist yet (the umask's 0666 by default); `makingFolders` creates
    /// missing folders on the way, mode 0700. When `replacing` is false, anything already
    /// at `path` (a file, a link, even one that points nowhere) is left alone, and the
    /// problem says it `exists` — checked at the moment the file is put in place. Given
    /// an `ownMark`, a file already there is replaced only if it holds those bytes at
    /// byte `offset` exactly, where this program puts them: only a file it wrote (a
    /// picture it drew, say) is replaced, and anything else there, a learner's script
    /// (even one that quotes the mark) or another program's file, is left alone. Given
    /// `linkedTargetEndingIn`, a link is followed only to a file whose name ends so.
    public static func write(
        _ bytes: [UInt8], to path: String, newFileMode: mode_t? = nil,
        makingFolders: Bool = false, replacing: Bool = true, ownMark: (bytes: [UInt8], offset: Int)? = nil,
        linkedTargetEndingIn suffix: String? = nil
    ) throws(FileProblem) {
        if makingFolders { try makeFolders(above: path) }
        if !replacing {
            guard !exists(path) else { throw FileProblem("\(path) is already there", exists: true) }
            return try replace(path, with: bytes, keeping: nil, newFileMode: newFileMode ?? 0o666, named: path, replacing: false)
        }
        // What is at the end of any links: a device or a FIFO (/dev/null, /dev/stdout, a
        // pipe) is written through; only a regular file, or nothing yet, is replaced.
        if let status = try? Stat(FilePath(path)) {
            switch status.type {
            case .regular: break
            case .characterSpecial:
                // (Only /dev/null and this program's own output: through a link named
                // pic.dot, :dot wrote into another program's terminal.)
                guard isNullOrOwnOutput(status) else {
                    throw FileProblem(
                        "\(path) is a device (a terminal, say), not a file: of devices, only /dev/null and this program's own output (/dev/stdout, /dev/stderr) are written to; it was left as it is"
                    )
                }
                // (A PNG's bytes on the screen are garbage, and may hold escape sequences.)
                if bytes.contains(0), isOwnTerminal(status) {
                    throw FileProblem("\(path) is this terminal, and what would go there is not text (a PNG's bytes); write it to a file")
                }
                return try writeThrough(bytes, to: path, named: path)
            case .fifo:
                // (/proc/self/fd/4 is a pipe this program keeps for itself: :dot wrote into it.)
                guard !isOwnPipe(status) else {
                    throw FileProblem("\(path): it is a pipe this program itself holds open, not a file; it was left as it is")
                }
                return try writeThrough(bytes, to: path, named: path, isFIFO: true)
            case .directory: throw FileProblem("\(path) is a folder; give a file name")
            default: throw FileProblem("\(path) is not a regular file (a socket or a disk); it was left as it is")
            }
        }
        let target = try resolvingLinks(path)
        // (A link named like a notebook may point at any file: `:save! link.md` replaced the
        // script it pointed at.)
        if let suffix, target != path, !target.lowercased().hasSuffix(suffix.lowercased()) {  // (G.DOT is a .dot file)
            throw FileProblem("\(path) is a link to \(target), which is not a \(suffix) file; it was left as it is")
        }
        var existing: Stat?
        do {
            existing = try Stat(FilePath(target), followTargetSymlink: false)
        } catch Errno.noSuchFileOrDirectory {
            existing = nil
        } catch {
            throw FileProblem(path, error)
        }
        if let existing {
            guard existing.type == .regular else { throw FileProblem("\(path) is not a regular file; it was left as it is") }
            if let ownMark, !file(target, holds: ownMark.bytes, at: ownMark.offset) {
                throw FileProblem("\(path) is already there, and this program did not write it", exists: true)
            }
            try checkWritable(existing, path)
        }
        try replace(target, with: bytes, keeping: existing, newFileMode: newFileMode ?? 0o666, named: path)
    }

    /// Whether the regular file at `path` holds `mark` at byte `offset`.
    static func file(_ path: String, holds mark: [UInt8], at offset: Int) -> Bool {
        guard let fd = try? FileDescriptor.open(FilePath(path), .readOnly, options: [.noFollow, .closeOnExec, .nonBlocking]) else {
            return false
        }
        defer { try? fd.close() }
        var head = [UInt8](repeating: 0, count: offset + mark.count)
        guard let count = try? head.withUnsafeMutableBytes({ try fd.read(fromAbsoluteOffset: 0, into: $0) }) else { return false }
        return count == head.count && head[offset...].elementsEqual(mark)
    }

    /// Appends `bytes` to `path` (made with `newFileMode` if missing) under an exclusive
    /// lock, so that two programs appending at once neither interleave nor lose lines.
    public static func append(
        _ bytes: [UInt8], to path: String, newFileMode: mode_t = 0o600,
        makingFolders: Bool = false
    ) throws(FileProblem) {
        if makingFolders { try makeFolders(above: path) }
        let fd = try lockedRegularFile(path, newFileMode: newFileMode)
        defer { try? fd.close() }
        var end: Int64?
        do {
            end = try fd.seek(offset: 0, from: .end)
            _ = try fd.writeAll(bytes)
        } catch {
            // All or nothing: a part written (past ulimit -f, on a full disk) is cut off
            // again, or the next line would be joined to it.
            if let end { _ = ftruncate(fd.rawValue, off_t(end)) }
            throw FileProblem(path, error as? Errno ?? .ioError)
        }
    }

    /// Replaces the contents of `path` with `transform(old contents)` (empty if missing),
    /// holding the same lock as `append`, so that nothing another program appends at the
    /// same moment is lost. The new contents are written by the rules of `write`.
    public static func rewrite(
        _ path: String, limit: Int, newFileMode: mode_t = 0o600, makingFolders: Bool = false,
        _ transform: ([UInt8]) -> [UInt8]
    ) throws(FileProblem) {
        if makingFolders { try makeFolders(above: path) }
        let fd = try lockedRegularFile(path, newFileMode: newFileMode)
        defer { try? fd.close() }
        let old = try read(fd, named: path, limit: limit, shouldStop: { false })
        try write(transform(old), to: path, newFileMode: newFileMode)
    }

    /// `path` opened for reading and appending, with an exclusive lock on the file that is at
    /// `path` now (one replaced by `rewrite` while we waited for the lock is let go).
    ///
    /// Only a regular file of its own name: a symbolic link there is not followed (a history
    /// linked to someone's notes had them cut to its last thousand lines). And the lock is
    /// waited for `lockWait` at most: another program holding it froze the prompt.
    static func lockedRegularFile(_ path: String, newFileMode: mode_t) throws(FileProblem) -> FileDescriptor {
        for _ in 0..<100 {
            if let existing = try? Stat(FilePath(path), followTargetSymlink: false) {
                if existing.type == .symbolicLink {
                    throw FileProblem("\(path) is a symbolic link, which is not followed here; it was left as it is")
                }
                guard existing.type == .regular else { throw FileProblem("\(path) is not a regular file") }
                try checkWritable(existing, path)
            }
            let fd: FileDescriptor
            do {
                fd = try FileDescriptor.open(
                    FilePath(path), .readWrite, options: [.create, .closeOnExec, .noFollow],
                    permissions: FilePermissions(rawValue: CInterop.Mode(newFileMode)))
            } catch {
                throw FileProblem(path, error)
            }
            var waited = Duration.zero
            while flock(fd.rawValue, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR, waited < lockWait else {
                    try? fd.close()
                    throw FileProblem(
                        "\(path) is locked by another program (waited \(lockWait.components.seconds) s); it was left as it is")
                }
                usleep(10_000)
                waited += .milliseconds(10)
            }
            if let held = try? fd.stat(), let current = try? Stat(FilePath(path), followTargetSymlink: false),
                held.inode == current.inode, held.deviceID == current.deviceID
            {
                return fd
            }
            try? fd.close()  // replaced while we waited: lock the new one
        }
        throw FileProblem("\(path) keeps being replaced by another program")
    }

    /// How long `lockedRegularFile` waits for another program's lock.
    static let lockWait = Duration.seconds(2)

    /// Moves `path` aside to `path.SUFFIX` (or `path.SUFFIX.1`, `.2`, … when taken, so no
    /// earlier one is ever replaced) and returns where it went.
    @discardableResult
    public static func setAside(_ path: String, suffix: String) -> String? {
        for n in 0..<1000 {
            let candidate = path + "." + suffix + (n == 0 ? "" : ".\(n)")
            // link() refuses to replace what is there, unlike rename().
            if link(path, candidate) == 0 {
                unlink(path)
                return candidate
            }
            if errno == EEXIST { continue }
            // A file system without hard links: rename, having checked the name is free.
            if (try? Stat(FilePath(candidate), followTargetSymlink: false)) == nil, rename(path, candidate) == 0 {
                return candidate
            }
            return nil
        }
        return nil
    }

    /// The names in `folder` (without `.` and `..`), each with whether it is a folder.
    public static func entries(in folder: String) -> [(name: String, isFolder: Bool)] {
        guard let handle = opendir(folder) else { return [] }
        defer { closedir(handle) }
        var found: [(String, Bool)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            found.append((name, entry.pointee.d_type == UInt8(DT_DIR)))
        }
        return found
    }

    /// What the file at `path` is, whatever the path that names it: its device and inode,
    /// links followed (nil if there is none).
    public static func identity(of path: String) -> String? {
        guard let status = try? Stat(FilePath(path)) else { return nil }
        return "\(status.deviceID.rawValue):\(status.inode.rawValue)"
    }

    /// Whether `path` is a folder (or a link to one).
    public static func isFolder(_ path: String) -> Bool {
        (try? Stat(FilePath(path), followTargetSymlink: true))?.type == .directory
    }

    /// Whether `path` is a symbolic link.
    public static func isLink(_ path: String) -> Bool {
        (try? Stat(FilePath(path), followTargetSymlink: false))?.type == .symbolicLink
    }

    /// Whether something (a file, a link, a device) exists at `path`.
    public static func exists(_ path: String) -> Bool {
        (try? Stat(FilePath(path), followTargetSymlink: false)) != nil
    }

    // MARK: The rules, one by one

    /// `path` with symbolic links followed to what they point at (which may not exist yet).
    static func resolvingLinks(_ path: String) throws(FileProblem) -> String {
        var current = path
        for _ in 0..<40 {
            guard let status = try? Stat(FilePath(current), followTargetSymlink: false),
                status.type == .symbolicLink
            else { return current }
            var buffer = [CChar](repeating: 0, count: 4097)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { throw FileProblem(path, Errno(rawValue: errno)) }
            let destination = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if destination.hasPrefix("/") {
                current = destination
            } else {
                let folder = FilePath(current).removingLastComponent().string
                current = (folder.isEmpty ? "" : folder + "/") + destination
            }
        }
        throw FileProblem("\(path): too many symbolic links in a row")
    }

    /// Refuses a file whose mode bits do not let this user write it. Root is held to the
    /// bits too: a read-only file says "leave me alone", and cp would refuse it as well.
    static func checkWritable(_ status: Stat, _ path: String) throws(FileProblem) {
        let bits = status.permissions
        let uid = geteuid()
        guard writeBitAllows(status) else {
            let mode = String(bits.rawValue & 0o7777, radix: 8)
            guard status.userID.rawValue == uid else {
                // (chmod u+w would not help: the write bit that counts is another's.)
                throw FileProblem(
                    "\(path) belongs to another user (uid \(status.userID.rawValue)) and is not writable by others (mode 0\(mode)), so it was left as it is; choose another name"
                )
            }
            throw FileProblem(
                "\(path) is not writable (mode 0\(mode)), so it was left as it is; choose another name, or chmod u+w it first")
        }
    }

    static func supplementaryGroups() -> [gid_t] {
        let count = getgroups(0, nil)
        guard count > 0 else { return [] }
        var groups = [gid_t](repeating: 0, count: Int(count))
        let n = getgroups(count, &groups)
        return n > 0 ? Array(groups[0..<Int(n)]) : []
    }

    /// Whether a device is /dev/null, or the file standard output or standard error is.
    static func isNullOrOwnOutput(_ device: Stat) -> Bool {
        (try? Stat(FilePath("/dev/null"))).map { same($0, device) } == true || ownOutput(device) != nil
    }

    /// Whether a device is the terminal standard output or standard error is.
    static func isOwnTerminal(_ device: Stat) -> Bool {
        ownOutput(device).map { isatty($0.rawValue) == 1 } ?? false
    }

    /// Whether a FIFO is one this program holds open on a descriptor of its own (other than
    /// its standard input, output and error, which it was given).
    static func isOwnPipe(_ fifo: Stat) -> Bool { descriptor(among: 3..<256, openOn: fifo) != nil }

    /// Standard output or standard error, whichever is `file`.
    private static func ownOutput(_ file: Stat) -> FileDescriptor? { descriptor(among: [1, 2], openOn: file) }

    /// The first of this program's descriptors `fds` that is open on `file`.
    private static func descriptor(among fds: some Sequence<Int32>, openOn file: Stat) -> FileDescriptor? {
        fds.lazy.map { FileDescriptor(rawValue: $0) }.first { (try? $0.stat()).map { same($0, file) } ?? false }
    }

    private static func same(_ a: Stat, _ b: Stat) -> Bool { a.deviceID == b.deviceID && a.inode == b.inode }

    /// Writes into an existing device or FIFO, without replacing it. A FIFO that no program
    /// is reading is refused at once (opening it would wait for a reader, until Ctrl-C).

    static func writeThrough(_ bytes: [UInt8], to target: String, named path: String, isFIFO: Bool = false) throws(FileProblem) {
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(
                FilePath(target), .writeOnly, options: isFIFO ? [.closeOnExec, .nonBlocking] : [.closeOnExec], retryOnInterrupt: false)
        } catch Errno.interrupted {
            throw .interrupted
        } catch Errno.noSuchAddressOrDevice where isFIFO {
            throw FileProblem(
                "\(path): it is a FIFO that no program is reading; start the program that reads it first, or give a file name")
        } catch {
            throw FileProblem(path, error)
        }
        defer { try? fd.close() }
        // (Then the writes wait for the reader, as they would have.)
        if isFIFO { _ = fcntl(fd.rawValue, F_SETFL, fcntl(fd.rawValue, F_GETFL) & ~O_NONBLOCK) }
        // A reader that stops early is an error, not a SIGPIPE that ends the session; a
        // reader that does not read is waited for until Ctrl-C.
        var offset = 0
        while offset < bytes.count {
            // (Ctrl-C during a write that had begun returns what was written, not EINTR.)
            if offset > 0 && Signals.shouldStop { throw .interrupted }
            let n = bytes.withUnsafeBytes { mg_write_without_sigpipe(fd.rawValue, $0.baseAddress! + offset, $0.count - offset) }
            if n >= 0 {
                offset += n
            } else if errno == EINTR {
                if Signals.shouldStop { throw .interrupted }
            } else if errno == EPIPE {
                throw FileProblem("\(path): the program reading it stopped before the end (\(offset) of \(bytes.count) bytes written)")
            } else {
                throw FileProblem(path, Errno(rawValue: errno))
            }
        }
    }

    /// Whether the write bit that applies to this user (the owner's, the group's or the
    /// others') is set: what the system checks, except for root, which it lets write anything.
    static func writeBitAllows(_ status: Stat) -> Bool {
        let bits = status.permissions
        if status.userID.rawValue == geteuid() { return bits.contains(.ownerWrite) }
        if status.groupID.rawValue == getegid() || supplementaryGroups().contains(status.groupID.rawValue) {
            return bits.contains(.groupWrite)
        }
        return bits.contains(.otherWrite)
    }

    /// Writes a temporary file beside `target` and renames it into place.

    static func replace(
        _ target: String, with bytes: [UInt8], keeping existing: Stat?,
        newFileMode: mode_t, named path: String, replacing: Bool = true
    ) throws(FileProblem) {
        let folder = FilePath(target).removingLastComponent()
        guard let name = FilePath(target).lastComponent?.string else {
            throw FileProblem("\(path) is not a file name")
        }
        let folderPath = folder.string.isEmpty ? "." : folder.string
        // A folder made read-only is left so, as a file is (root may write in it anyway).
        if let status = try? Stat(FilePath(folderPath)), !writeBitAllows(status) {
            throw FileProblem(
                "\(path) goes in \(folderPath), which is not writable (mode 0\(String(status.permissions.rawValue & 0o7777, radix: 8))), so nothing was written; choose another folder"
            )
        }
        removeStaleTemporaries(in: folderPath, of: name)
        let temporary = (folder.string.isEmpty ? "" : folder.string + "/") + temporaryName(of: name, pid: getpid())
        unlink(temporary)  // ours from before (the pid is this process's own)
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.open(
                FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: FilePermissions(rawValue: CInterop.Mode(existing == nil ? newFileMode : 0o600)))
        } catch Errno.noSuchFileOrDirectory where !isFolder(folderPath) {
            // (Said so: a bare "No such file or directory" left the learner to guess which.)
            throw FileProblem("\(path): there is no folder \(folderPath); make it first (mkdir -p \(folderPath)), or choose another")
        } catch {
            throw FileProblem(path, error)
        }
        do {
            _ = try fd.writeAll(bytes)
            if let existing {
                // The replacement takes the old file's mode, and (if we may) its owner.
                _ = fchmod(fd.rawValue, mode_t(existing.permissions.rawValue & 0o7777))
                if geteuid() == 0 { _ = fchown(fd.rawValue, existing.userID.rawValue, existing.groupID.rawValue) }
            }
            try fd.close()
        } catch {
            try? fd.close()
            unlink(temporary)
            throw FileProblem(path, error as? Errno ?? .ioError)
        }
        if !replacing {
            // link() puts the file in place only if nothing is there yet, atomically. A file
            // system without hard links says EPERM; then the check above has to do.
            if link(temporary, target) == 0 {
                unlink(temporary)
                return
            }
            let code = errno
            if code != EPERM {
                unlink(temporary)
                throw code == EEXIST ? FileProblem("\(path) is already there", exists: true) : FileProblem(path, Errno(rawValue: code))
            }
            guard !exists(target) else {
                unlink(temporary)
                throw FileProblem("\(path) is already there", exists: true)
            }
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileProblem(path, Errno(rawValue: code))
        }
    }

    /// The temporary file that process `pid` writes `name` to before it is renamed into
    /// place: hidden, and in a form of the program's own, so that a file of the learner's
    /// (`graph.dot.tmp1234`) is never taken for one.
    static func temporaryName(of name: String, pid: Int32) -> String {
        ".\(shortened(name)).micrograd-temporary-\(pid)"
    }

    /// `name`, or for a name too long to take the temporary's dots and number within a
    /// file name's 255 bytes (a 230-letter name was refused, "File name too long"), its
    /// first 180 bytes and a hash of the whole, so that two long names still differ.
    static func shortened(_ name: String) -> String {
        guard name.utf8.count > 200 else { return name }
        var stem = "", used = 0
        for c in name {
            used += c.utf8.count
            if used > 180 { break }
            stem.append(c)
        }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: the same in every run
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return stem + "~" + String(hash, radix: 16)
    }

    /// Removes the temporaries of `name` in `folder` (see `temporaryName`) left by runs
    /// that were killed mid-write: exactly that form, a process number that is not running,
    /// a plain file, this user's.
    static func removeStaleTemporaries(in folder: String, of name: String) {
        let prefix = temporaryName(of: name, pid: 0).dropLast()
        for (entry, _) in entries(in: folder) {
            guard entry.hasPrefix(prefix), let pid = Int32(entry.dropFirst(prefix.count)), pid > 0,
                entry == temporaryName(of: name, pid: pid),  // (not "+12" or "012")
                pid != getpid(), kill(pid, 0) == -1, errno == ESRCH
            else { continue }
            let path = folder + "/" + entry
            guard let status = try? Stat(FilePath(path), followTargetSymlink: false),
                status.type == .regular, status.userID.rawValue == geteuid()
            else { continue }
            unlink(path)
        }
    }

    /// Makes the folders on the way to `path` that are missing, mode 0700; a folder that
    /// cannot be made is the problem (not the "no such file" of the write after it).
    static func makeFolders(above path: String) throws(FileProblem) {
        var partial = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/").dropLast() {
            partial += "/" + part
            if mkdir(partial, 0o700) != 0 && errno != EEXIST {
                throw FileProblem("cannot make the folder \(partial): \(Process.message(for: errno))")
            }
        }
    }
}
