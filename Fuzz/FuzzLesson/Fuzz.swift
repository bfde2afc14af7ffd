import MicrogradLanguage

/// Feeds arbitrary bytes to the lesson reader, and runs the cells of what it accepts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let lesson = try? Lesson.parse(text, name: "fuzz") else { return 0 }
    let session = Session()
    var steps = 0
    session.isInterrupted = {
        steps += 1
        return steps > 20_000
    }
    session.readFile = { _ in throw FuzzRefusal() }
    session.writeFile = { _, _ in throw FuzzRefusal() }
    session.render = { _, _, _ in throw FuzzRefusal() }
    _ = session.outputs(of: lesson)
    _ = Lesson.updating(text, outputs: ["x"])
    return 0
}

struct FuzzRefusal: Error {}
