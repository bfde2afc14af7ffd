#if canImport(Glibc)
import Glibc
#endif

/// Writing to standard error without touching C's global FILE pointers (which Swift 6
/// treats as shared mutable state).
public enum Output {
    /// Writes a line to standard error, after flushing what standard output holds so the
    /// two stay in order on a terminal.
    public static func error(_ text: String) {
        fflush(nil)
        var line = text + "\n"
        line.withUTF8 { bytes in
            var rest = UnsafeRawBufferPointer(bytes)
            while !rest.isEmpty {
                let n = Glibc.write(2, rest.baseAddress, rest.count)
                if n <= 0 { return }
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            }
        }
    }

    public static func flush() { fflush(nil) }
}

/// A mistake in how the command was called (a missing file, a bad option): exit status 2.
public struct UsageError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
