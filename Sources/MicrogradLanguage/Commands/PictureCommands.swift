import Micrograd

// Pictures: graphs drawn here or by Graphviz, plots, the chain rule written out, backward
// one node at a time.
extension Command {
    /// The endings of pictures and drawings that a file of another kind must not be given.
    static let pictureSuffixes: Set<String> = ["dot", "svg", "png", "jpg", "jpeg", "gif", "pdf", "bmp", "webp", "tif", "tiff"]
    /// Past this many nodes, `:svg` and `:png` say that Graphviz is at work while it is.
    static let nodesSaidWhileDrawing = 50
    /// The most nodes `:svg` and `:png` ask Graphviz to draw (more takes minutes and reads as a blur).
    static let maxRenderedNodes = 5_000
    /// The most nodes `:dot` writes out (three million made 416 MB of text, and more memory
    /// than some machines have).
    static let maxDotNodes = 100_000

    static let graph = Command(
        name: "graph", usage: ":graph [L] [--ascii]", summary: "draw L's graph: each value a box, each operation a node",
        details:
            "Draws L's graph left to right, as the tutorial's pictures do: each value a box 'label | data | grad', each operation a small node joining its inputs. A value used twice is drawn once and pointed back to. A graph of more than 60 nodes gets a summary instead; :dot and :svg draw those.",
        example: ":grad L\n:graph L", drawsToWidth: true
    ) { session, call throws(LanguageError) in
        let (words, ascii) = session.flags(call)
        guard words.count <= 1 else { throw call.usage(at: words[1]) }
        let root = try session.rootValue(words.first, call)
        session.emit(.result, session.drawing(of: root, ascii: ascii, width: max(20, session.host.width)))
    }

    static let dot = Command(
        name: "dot", usage: ":dot [L] [FILE]", summary: "L's graph in Graphviz's DOT language",
        details:
            "Prints (or writes to FILE) L's graph for Graphviz: a record per value { label | data | grad } and a node per operation, left to right, as the tutorial draws it. A file already at FILE is replaced only if it is a DOT file micrograd wrote; anything else there is left alone. A graph of more than 100000 nodes is refused.",
        example: ":dot L graph.dot", arguments: 0...2
    ) { session, call throws(LanguageError) in
        let words = call.words
        let root = try session.rootValue(words.first, call)
        let count = root.topologicalOrder().count
        guard count <= maxDotNodes else {
            throw LanguageError(
                "\(session.name(of: root))'s graph has \(count) values; :dot writes at most \(maxDotNodes) (a picture of more is a blur, and its text hundreds of MB); :grad lists a graph's labelled values",
                at: call.location)
        }
        let text = session.dot(for: root) + "\n"
        guard words.count == 2 else {
            session.emit(.result, text.trimmingBlankLines)
            return
        }
        let path = words[1].fileName
        try session.writePicture(path, Array(text.utf8), format: .dot, at: words[1].location)
        let drawing =
            count <= maxRenderedNodes
            ? "; :svg \(words[0].text) FILE draws it with Graphviz"
            : "; too many to draw here (:svg draws up to \(maxRenderedNodes)), but Graphviz's own tools can"
        session.emit(.result, "wrote \(path) (\(count) value\(count == 1 ? "" : "s"))\(drawing)")
    }

    static let svg = Command(
        name: "svg", usage: ":svg L FILE", summary: "draw L's graph as an SVG picture (needs Graphviz)",
        details:
            "Runs Graphviz's dot on L's graph and writes an SVG file you can open in a browser. Says how to install Graphviz if it is missing. A graph of more than 5000 nodes is refused (Graphviz would take minutes); :dot writes its DOT anyway.",
        example: ":svg L graph.svg", arguments: 2...2
    ) { session, call throws(LanguageError) in
        try session.render(call, format: .svg)
    }

    static let png = Command(
        name: "png", usage: ":png L FILE", summary: "draw L's graph as a PNG picture (needs Graphviz)",
        details: "Like :svg, but writes a PNG image.", example: ":png L graph.png", arguments: 2...2
    ) { session, call throws(LanguageError) in
        try session.render(call, format: .png)
    }

    static let plot = Command(
        name: "plot", usage: ":plot f LO HI", summary: "plot a function; :plot loss and :plot n xs ys draw training",
        details:
            "':plot f -5 5' draws a function of one number (yours or a built-in such as tanh) with braille dots, axes and the zero line. ':plot loss' draws the loss at each step of the last :train. ':plot n xs ys' shades where a two-input network scores above 0 and marks the data points.",
        example: "f(x) = 3*x**2 - 4*x + 5\n:plot f -5 5", drawsToWidth: true
    ) { session, call throws(LanguageError) in
        try session.plot(call)
    }

    static let explain = Command(
        name: "explain", usage: ":explain a [L]", summary: "the chain rule from L down to a, path by path",
        details:
            "Lists every path from L down to a, with each edge's local derivative written out (the other factor of a product, 1 for a sum, 1 - o² for tanh, ...), the product along each path, and the sum over all paths, which is dL/da, the grad backward gives.",
        example: ":explain a L", arguments: 1...2
    ) { session, call throws(LanguageError) in
        let leaf = try session.value(call.words[0], call.source)
        let root = try session.rootValue(call.words.count > 1 ? call.words[1] : nil, call)
        session.emit(.result, try session.explanation(of: leaf, from: root))
    }

    static let backstep = Command(
        name: "backstep", usage: ":backstep [L]", summary: "run backward one node at a time",
        details:
            "Zeroes L's grads, sets L.grad = 1, and then visits the nodes in backward's order, one per Enter (or :next): each step names the node, its grad, and the += it adds to each input. :stop ends early. In a script it runs to the end.",
        example: ":backstep L", arguments: 0...1, drawsToWidth: true
    ) { session, call throws(LanguageError) in
        let root = try session.rootValue(call.words.first, call)
        session.interpreter.lastRoot = root
        session.state.backstep = Backstepper(root: root)
        let name = session.name(of: root)
        session.say("backward from \(name), one node at a time: every grad in its graph is 0, and \(name).grad = 1")
        if session.isInteractive {
            try session.backstepOnce()
            if session.state.backstep != nil { session.emit(.result, "(Enter or :next for the next node, :stop to end here)") }
        } else {
            while session.state.backstep != nil {
                try session.interpreter.checkInterrupt()
                try session.backstepOnce()
            }
        }
    }

    static let stop = Command(
        name: "stop", usage: ":stop", summary: "end a :backstep here",
        details: "Ends a :backstep, leaving the grads as far as it got.", example: ":stop", arguments: 0...0, isNavigation: true
    ) { session, call throws(LanguageError) in
        guard let stepper = session.state.backstep else {
            throw LanguageError("nothing to stop: :backstep L starts stepping", at: call.location)
        }
        session.state.backstep = nil
        session.emit(
            .result, "stopped after \(stepper.step) of \(stepper.step + stepper.left) nodes; the grads are as far as they got")
    }
}

extension Session {
    /// The words of a command without `--ascii`, and whether to draw in ASCII.
    func flags(_ call: CommandCall) -> (words: [CommandLine.Word], ascii: Bool) {
        let ascii = call.words.contains { $0.text == "--ascii" } || !host.unicode
        return (call.words.filter { $0.text != "--ascii" }, ascii)
    }

    /// One node of a :backstep.
    func backstepOnce() throws(LanguageError) {
        guard var stepper = state.backstep else { return }
        let text = try stepper.next(in: self)
        state.backstep = stepper.isDone ? nil : stepper
        if let text { emit(.result, text) }
    }

    /// Writes a picture through the host. A file already at `path` is replaced only if it
    /// is a picture of this `format` that micrograd drew (see `PictureFormat.mark`): a learner's
    /// script, or another program's picture, is left alone.
    /// Refuses a name to write to that holds control characters (an escape, a line end):
    /// shown in "wrote …", they went to the terminal as they were.
    static func refuseControlCharacters(in path: String, at location: SourceLocation) throws(LanguageError) {
        guard path.hasControlCharacters else { return }
        throw LanguageError(
            "the name \(path.escaped()) holds control characters, which a terminal would take as orders when the name is shown; choose a plain name",
            at: location)
    }

    func writePicture(_ path: String, _ picture: [UInt8], format: PictureFormat, at location: SourceLocation) throws(LanguageError) {
        guard !path.isEmpty else { throw LanguageError("give the file a name, as in graph.\(format.rawValue)", at: location) }
        try Self.refuseControlCharacters(in: path, at: location)
        // (:svg b x.png wrote an SVG named .png, which a viewer then refused; .jpg, .pdf … too.
        // Graphviz's own .gv is a DOT file.)
        let suffix = path.split(separator: "/").last.flatMap { $0.contains(".") ? $0.split(separator: ".").last : nil }
        let kind = suffix.map { $0.lowercased() == "gv" ? "dot" : $0.lowercased() }
        if let suffix, let kind, kind != format.rawValue, Command.pictureSuffixes.contains(kind) {
            let other = PictureFormat(rawValue: kind).map { ", or use :\($0.rawValue)" } ?? ""
            throw LanguageError(
                "\(path) ends in .\(suffix), but :\(format.rawValue) writes \(format.named); name it \(path.dropLast(suffix.count))\(format.rawValue)\(other)",
                at: location)
        }
        do throws(HostError) {
            try host.writeFile(
                path, format.marked(picture),
                replacing: .ownFile(mark: format.mark, offset: format.markOffset, suffix: "." + format.rawValue))
        } catch {
            if error.isInterruption { throw .interrupted }
            if error.exists {
                throw LanguageError(
                    "\(path) is already there, and it is not \(format.named) that micrograd drew, so it was left as it is; choose another name, or remove it first",
                    at: location)
            }
            throw LanguageError("cannot write \(path): \(error.reason(for: path))", at: location)
        }
    }

    fileprivate func render(_ call: CommandCall, format: PictureFormat) throws(LanguageError) {
        let root = try value(call.words[0], call.source)
        let count = root.topologicalOrder().count
        guard count <= Command.maxRenderedNodes else {
            throw LanguageError(
                "\(name(of: root)) has \(count) nodes; a picture of more than \(Command.maxRenderedNodes) would take Graphviz minutes and show a blur. :graph \(call.words[0].text) summarises it; :dot \(call.words[0].text) FILE writes its DOT anyway",
                at: call.words[0].location)
        }
        // (Graphviz can take minutes over a few hundred nodes that share an input: said while
        // it works, so that the wait does not look like a hang.)
        if count > Command.nodesSaidWhileDrawing {
            emit(.progress, "Graphviz is drawing \(count) nodes; a graph this size can take a while (Ctrl-C stops it)")
        }
        let picture: [UInt8]
        do throws(HostError) {
            picture = try host.render(dot: dot(for: root), format: format.rawValue)
        } catch {
            if error.isInterruption { throw .interrupted }
            throw LanguageError("\(error)", at: call.words[1].location)
        }
        // (A dot that ends well but gives nothing, or something else, wrote an empty file that
        // the next :png then refused as not its own.)
        guard format.looksLikeOne(picture) else {
            throw LanguageError(
                "Graphviz's dot ended without error but gave \(picture.isEmpty ? "nothing" : "\(picture.count) bytes that are not \(format.named)"), so nothing was written; is the dot on your PATH Graphviz's?",
                at: call.words[1].location)
        }
        try writePicture(call.words[1].fileName, picture, format: format, at: call.words[1].location)
        emit(.result, "wrote \(call.words[1].fileName)")
    }
}

/// The pictures the commands write, each with the mark that says micrograd drew it: only a
/// file with the mark of its kind at its place may be replaced. (At a fixed place, not
/// anywhere near the start: a learner's notes that quote the mark are not ours.)
enum PictureFormat: String {
    case dot, svg, png

    /// As an error names it.
    var named: String {
        switch self {
        case .dot: "a DOT file"
        case .svg: "an SVG"
        case .png: "a PNG"
        }
    }

    /// The mark's bytes: a first-line comment in DOT and in SVG, a PNG text chunk.
    var mark: [UInt8] {
        let words = "drawn by micrograd's :\(rawValue)"
        switch self {
        case .dot: return Array("// \(words)\n".utf8)
        case .svg: return Array("<!-- \(words) -->\n".utf8)
        case .png: return Array("tEXtSoftware".utf8) + [0] + Array(words.utf8)
        }
    }

    /// Whether `bytes` begin as a picture of this kind does: a PNG's signature, or an SVG
    /// element near the start (after the XML declaration and DOCTYPE dot writes).
    func looksLikeOne(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .png: bytes.starts(with: Self.pngSignature)
        case .svg: String(decoding: bytes.prefix(4096), as: UTF8.self).contains("<svg")
        case .dot: !bytes.isEmpty
        }
    }

    /// Where the mark starts: at the top, or in a PNG after the signature and the IHDR
    /// chunk (33 bytes) and the text chunk's length.
    var markOffset: Int { self == .png ? 37 : 0 }

    /// `picture` with its mark: in place of an SVG's XML declaration (optional, and it
    /// would have to come first), as a chunk right after a PNG's header. (Bytes that are
    /// not a PNG get no mark, and are never taken for micrograd's.)
    func marked(_ picture: [UInt8]) -> [UInt8] {
        switch self {
        case .dot: return mark + picture
        case .svg:
            if picture.starts(with: Array("<?xml".utf8)), let end = picture.firstIndex(of: 10) {
                return mark + picture[(end + 1)...]
            }
            return mark + picture
        case .png:
            guard picture.count >= 33, picture.starts(with: Self.pngSignature), Array(picture[12..<16]) == Array("IHDR".utf8) else {
                return picture
            }
            let chunk = Self.bigEndian(UInt32(mark.count - 4)) + mark + Self.bigEndian(Self.crc32(mark))
            return Array(picture[..<33]) + chunk + picture[33...]
        }
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    private static func bigEndian(_ x: UInt32) -> [UInt8] {
        [UInt8(x >> 24), UInt8(x >> 16 & 0xFF), UInt8(x >> 8 & 0xFF), UInt8(x & 0xFF)]
    }

    /// PNG's CRC-32 (ISO 3309), over a chunk's type and data.
    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }
}
