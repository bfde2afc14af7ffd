import MicrogradPlatform

Process.openClosedStandardDescriptors()  // (before anything opens a file or a pipe)

// The program runs on a thread with a large stack: deeply nested expressions and user
// functions that call each other recurse, and the main thread's 8 MB is not much in a
// debug build. Signals are delivered to that thread, so Ctrl-C interrupts what it waits for.
// (Under a limit on address space, `ulimit -v`, a stack reserves its whole size from it:
// then it takes at most a quarter of what is left.)
Threads.runOnLargeStack(max(16 << 20, min(512 << 20, (Process.addressSpaceLeft() ?? .max) / 4))) {
    Signals.install()
    return MicrogradCommand.main(exitingTwoOnUsageErrors: ())
}
