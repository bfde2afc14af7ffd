import MicrogradLanguage

/// A session that cannot touch the disk or run programs, and whose long loops stop after
/// 20,000 steps as if Ctrl-C had been pressed.
func sandboxedSession() -> Session {
    let session = Session()
    var steps = 0
    session.isInterrupted = {
        steps += 1
        return steps > 20_000
    }
    session.readFile = { _ in throw FuzzRefusal() }
    session.writeFile = { _, _ in throw FuzzRefusal() }
    session.render = { _, _, _ in throw FuzzRefusal() }
    return session
}

struct FuzzRefusal: Error {}

func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// Arbitrary bytes fed to a session as lines: it must never crash or hang, a name bound
/// before the garbage must keep its value, and the session must still work afterwards.
func fuzzSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let session = sandboxedSession()
    session.run("keep = 42.0")
    let input = text(data, size)
    session.runScript(input, file: "<fuzz>")
    // Unless the input itself rebound `keep` or ran a command (:reset), it still holds 42.0.
    if !input.contains("keep") && !input.contains(":") {
        guard case .value(let v)? = session.names["keep"], v.data == 42 else {
            fatalError("the binding made before the garbage was lost")
        }
    }
    var printed: [String] = []
    session.write = { kind, line in if kind == .result { printed.append(line) } }
    session.run(":reset")
    session.run("zz = 3.0")
    session.run("zz * 2")
    guard printed.last == "Value(data=6.0)" else { fatalError("the session stopped working: \(printed)") }
    return 0
}

/// Arbitrary bytes fed to the lesson reader; the cells of whatever it accepts are run.
func fuzzLesson(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = text(data, size)
    guard let lesson = try? Lesson.parse(input, name: "fuzz") else { return 0 }
    _ = sandboxedSession().outputs(of: lesson)
    _ = Lesson.updating(input, outputs: ["x"])
    return 0
}
