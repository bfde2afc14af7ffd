#if canImport(Glibc)
import Glibc
#endif

/// Writing to standard error without touching C's global FILE pointers (which Swift 6
/// treats as shared mutable state).
enum Output {
    /// Writes a line to standard error, after flushing what standard output holds so the
    /// two stay in order on a terminal.
    static func error(_ text: String) {
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

    static func flush() { fflush(nil) }
}
