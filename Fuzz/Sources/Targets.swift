import MicrogradLanguage

/// A session whose files live in memory (so the paths that read and write them run too,
/// on nothing real), whose long loops stop after 20,000 steps as if Ctrl-C had been
/// pressed, and whose loops reclaim nodes every few rounds (so that what a loop moves is
/// tried on every shape of program, not only those that make 50,000 nodes).
func sandboxedSession() -> (Session, InMemoryHost) {
    let host = InMemoryHost()
    host.files = ["a.mg": Array("a = 2.0\nb = a * 3\n".utf8), "self.mg": Array(":load self.mg\n".utf8)]
    var steps = 0
    host.shouldStop = {
        steps += 1
        return steps > 20_000
    }
    let session = Session(host: host)
    session.loopCompactionThreshold = 64
    return (session, host)
}

func text(_ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
}

/// Arbitrary bytes fed to a session as lines: it must never crash or hang, a name bound
/// before the garbage must keep its value, and the session must still work afterwards.
func fuzzSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let (session, host) = sandboxedSession()
    session.run("keep = 42.0")
    let input = text(data, size)
    session.runScript(input, file: "<fuzz>")
    // Unless the input itself rebound `keep` or ran a command (:reset), it still holds 42.0.
    let runsACommand = input.split(whereSeparator: \.isNewline).contains { $0.drop(while: \.isWhitespace).hasPrefix(":") }
    if !input.contains("keep") && !runsACommand {
        guard case .value(let v)? = session.names["keep"], v.data == 42 else {
            fatalError("the binding made before the garbage was lost")
        }
    }
    host.clear()
    session.run(":reset")
    session.run("zz = 3.0")
    session.run("zz * 2")
    let printed = host.written([.result])
    guard printed.last == "Value(data=6.0)" else { fatalError("the session stopped working: \(printed)") }
    return 0
}

/// Arbitrary bytes fed to the lesson reader; the cells of whatever it accepts are run.
func fuzzLesson(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = text(data, size)
    guard let lesson = try? Lesson.parse(input, name: "fuzz") else { return 0 }
    _ = sandboxedSession().0.outputs(of: lesson)
    _ = Lesson.updating(input, outputs: ["x"])
    return 0
}
