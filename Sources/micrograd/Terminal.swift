/// Escape codes for colour and for redrawing a line.
enum Ansi {
    enum Style: String {
        case red = "31", yellow = "33", bold = "1", cyan = "36"
    }

    static func paint(_ text: String, _ style: Style, if on: Bool) -> String {
        on ? "\u{1B}[\(style.rawValue)m" + text + "\u{1B}[0m" : text
    }

    /// Carriage return and erase the line: for redrawing a progress line in place.
    static let clearLine = "\r\u{1B}[2K"
}
