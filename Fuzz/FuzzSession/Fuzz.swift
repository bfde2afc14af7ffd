import MicrogradLanguage

/// Feeds arbitrary bytes to a session as lines: it must never crash or hang, and a name
/// bound before the garbage must keep its value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let session = Session()
    var steps = 0
    session.isInterrupted = {
        steps += 1
        return steps > 20_000        // bounds loops over huge ranges, like a Ctrl-C would
    }
    session.readFile = { _ in throw FuzzRefusal() }   // no :load of real files from fuzz input
    session.writeFile = { _, _ in throw FuzzRefusal() }
    session.render = { _, _, _ in throw FuzzRefusal() }
    session.run("keep = 42.0")
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    session.runScript(text, file: "<fuzz>")
    // Unless the input itself rebound `keep` or reset the session, it still holds 42.0.
    if !text.contains("keep") && !text.contains(":") {
        guard case .value(let v)? = session.names["keep"], v.data == 42 else {
            fatalError("the binding made before the garbage was lost")
        }
    }
    // And the session still works.
    var printed: [String] = []
    session.write = { kind, line in if kind == .result { printed.append(line) } }
    session.run(":reset")
    session.run("zz = 3.0")
    session.run("zz * 2")
    guard printed.last == "Value(data=6.0)" else { fatalError("the session stopped working: \(printed)") }
    return 0
}

struct FuzzRefusal: Error {}
