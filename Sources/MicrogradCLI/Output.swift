import MicrogradPlatform
import SystemPackage

/// Writing to standard error without touching C's global FILE pointers (which Swift 6
/// treats as shared mutable state).
public enum Output {
    /// Writes a line to standard error, after flushing what standard output holds so the
    /// two stay in order on a terminal.
    public static func error(_ text: String) {
        flush()
        _ = try? FileDescriptor.standardError.writeAll((text + "\n").utf8)
    }

    /// Writes what `print` has buffered.
    public static func flush() { Process.flushOutput() }
}

/// A mistake in how the command was called (a missing file, a bad option): exit status 2.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
