import MicrogradPlatform

// The program runs on a thread with a large stack: deeply nested expressions and user
// functions that call each other recurse, and the main thread's 8 MB is not much in a
// debug build. Signals are delivered to that thread, so Ctrl-C interrupts what it waits for.
Threads.runOnLargeStack(512 << 20) {
    Signals.install()
    return MicrogradCommand.main(exitingTwoOnUsageErrors: ())
}
