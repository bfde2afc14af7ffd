#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read, or whose contents are not what was expected.
public struct DataFileError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// Reads a whole text file (with the C library, so the engine needs nothing beyond it),
/// refusing one larger than `maxBytes`.
public func readTextFile(_ path: String, maxBytes: Int = 1 << 30) throws(DataFileError) -> String {
    guard let file = fopen(path, "rb") else {
        throw DataFileError(path: path, message: String(cString: strerror(errno)))
    }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
        if bytes.count > maxBytes {
            throw DataFileError(path: path, message: "larger than \(maxBytes / (1 << 20)) MB; that is too big to read here")
        }
        if n < buffer.count {
            if ferror(file) != 0 { throw DataFileError(path: path, message: String(cString: strerror(errno))) }
            break
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Parameters written one number per line (or separated by any white space).
public func readParameters(from path: String) throws(DataFileError) -> [Double] {
    let text = try readTextFile(path)
    var values: [Double] = []
    for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        for word in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            guard let x = Double(word) else {
                throw DataFileError(path: path, message: "line \(n + 1): '\(word)' is not a number")
            }
            values.append(x)
        }
    }
    return values
}
