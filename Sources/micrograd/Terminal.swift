#if canImport(Glibc)
import Glibc
#endif
import CLibEdit

/// Facts about the terminal, and the escape codes for colour.
enum Terminal {
    /// Colour only on a terminal, and only when NO_COLOR is not set.
    static var wantsColour: Bool {
        isatty(STDOUT_FILENO) != 0 && getenv("NO_COLOR") == nil
    }

    /// Whether the locale's characters are UTF-8, so box drawing and braille will show.
    static var isUTF8: Bool {
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] {
            if let value = getenv(name), value.pointee != 0 {
                let text = String(cString: value).lowercased()
                return text.contains("utf-8") || text.contains("utf8")
            }
        }
        return false
    }

    static func width() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(0x5413) /* TIOCGWINSZ */, &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    enum Style: String {
        case red = "31", yellow = "33", bold = "1", cyan = "36"
    }

    static func paint(_ text: String, _ style: Style, if on: Bool) -> String {
        on ? "\u{1B}[\(style.rawValue)m" + text + "\u{1B}[0m" : text
    }

    /// Carriage return and erase the line: for redrawing a progress line in place.
    static let clearLine = "\r\u{1B}[2K"
}
