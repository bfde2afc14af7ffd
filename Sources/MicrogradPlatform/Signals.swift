import CMicrogradPlatform

/// Ctrl-C, the terminal's size, and requests to end, as flags the program checks.
///
/// The handlers (in C) only set flags and wake `wakeupDescriptor`. They are installed
/// without SA_RESTART, so a read from a terminal, a pipe or a FIFO that the signal lands
/// in returns at once; `blockInThisThread()` on the main thread, before the thread that
/// does the work starts, makes sure the signal lands there.
public enum Signals {
    /// Installs the handlers for SIGINT (and SIGQUIT, Ctrl-backslash, taken as Ctrl-C), SIGTERM,
    /// SIGHUP and SIGWINCH, and unblocks them in the calling thread (a test runner or an
    /// IDE may start us with SIGINT blocked).
    public static func install() {
        _ = mg_signals_install()
        _ = mg_signals_set_blocked(0)
    }

    /// Gives the signals back to the system: Ctrl-C, SIGTERM and SIGHUP end the program.
    /// For work that never asks whether to stop (the demo, the benchmarks).
    public static func restoreDefaults() { _ = mg_signals_restore_defaults() }

    /// For the REPL, before its editor changes the terminal's modes: Ctrl-Z puts them back
    /// as they are now before the program stops, and `fg` brings the editing modes back and
    /// draws the line again (`takeResize()` says so).
    public static func handleSuspend() { _ = mg_suspend_install() }

    /// Whether the terminal was asked to mark pastes, for Ctrl-Z to undo and redo.
    public static func notePasteMarking(_ on: Bool) { mg_set_paste_marking(on ? 1 : 0) }

    /// Blocks those signals in the calling thread, so they go to another one.
    public static func blockInThisThread() { _ = mg_signals_set_blocked(1) }

    /// Whether Ctrl-C was pressed since `clearInterrupt()`.
    public static var isInterrupted: Bool { mg_interrupt_pending() != 0 }

    /// Forgets a Ctrl-C (one pressed at an idle prompt must not stop the next command).
    public static func clearInterrupt() {
        mg_clear_interrupt()
        mg_drain_wakeups()
    }

    /// SIGTERM or SIGHUP, if one asked the program to end.
    public static var termination: Int32? {
        let signal = mg_termination_signal()
        return signal == 0 ? nil : signal
    }

    /// Whether Ctrl-C was pressed or the program was asked to end: long work stops.
    public static var shouldStop: Bool { mg_should_stop() != 0 }

    /// Whether the terminal changed size since the last call.
    public static func takeResize() -> Bool { mg_take_resize() != 0 }

    /// A descriptor that becomes readable when any of the signals arrives.
    public static var wakeupDescriptor: Int32 { mg_wakeup_fd() }

    /// Empties the wake-up descriptor.
    public static func drainWakeups() { mg_drain_wakeups() }

    /// The exit status for a program that stopped because of signal `number`: 128 + it.
    public static func exitStatus(for number: Int32) -> Int32 { 128 + number }

    public static let interruptNumber: Int32 = 2
}
