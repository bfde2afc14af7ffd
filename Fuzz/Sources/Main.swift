#if canImport(Glibc)
import Glibc
#endif

// One fuzzer for both targets: MICROGRAD_FUZZ_TARGET (session or lesson, set by
// scripts/fuzz) picks which function libFuzzer's driver calls. SwiftPM links an
// executable's entry point as <Target>_main, so that is the name handed to the driver.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("Fuzz_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    let target = getenv("MICROGRAD_FUZZ_TARGET").map { String(cString: $0) } ?? "session"
    switch target {
    case "session": return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzSession(data, size) }
    case "lesson": return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzLesson(data, size) }
    default:
        print("MICROGRAD_FUZZ_TARGET must be session or lesson, not \(target)")
        return 2
    }
}
