// The few things Swift cannot do well itself: signal handlers (which may only set flags),
// and starting a child process with a clean signal state. Everything here lives in one
// translation unit (platform.c), so there is exactly one copy of each flag.
#ifndef MICROGRAD_PLATFORM_H
#define MICROGRAD_PLATFORM_H

#include <sys/types.h>

/// Installs handlers for SIGINT, SIGTERM, SIGHUP and SIGWINCH that only set flags and wake
/// `mg_wakeup_fd()`. They are installed without SA_RESTART, so a read or open that is
/// waiting in the thread that takes the signal returns EINTR. Returns 0, or -1 with errno.
int mg_signals_install(void);

/// Blocks (1) or unblocks (0) those four signals in the calling thread. The main thread
/// blocks them before starting the thread that does the work, so that the kernel delivers
/// them to that thread and interrupts what it is waiting for.
int mg_signals_set_blocked(int blocked);
/// Puts those four signals back to what the system does with them. Returns 0, or -1.
int mg_signals_restore_defaults(void);

/// Flushes every output stream, remembering why standard output failed if it did.
void mg_flush_output(void);

/// Flushes standard output; 0 if everything written to it arrived, or else an errno (a
/// full disk, say: a flush that failed earlier is remembered too).
int mg_stdout_failed(void);

/// For the REPL: remembers the terminal's modes as the shell left them, and handles Ctrl-Z
/// (SIGTSTP) by putting them back (and bracketed paste off, if `mg_set_paste_marking` says
/// it is on) before the program stops; when it is continued, the editing modes come back
/// and the line is drawn again (as `mg_take_resize` reports). Returns 0, or -1 with errno.
int mg_suspend_install(void);
/// Tells the Ctrl-Z handler whether the terminal was asked to mark pastes.
void mg_set_paste_marking(int on);

/// write(2), with a reader that has gone away an EPIPE rather than a SIGPIPE that ends
/// the program (a FIFO whose reader stopped early). Interrupted by a handled signal, it
/// returns -1 with EINTR, as write does.
ssize_t mg_write_without_sigpipe(int fd, const void *bytes, size_t count);

/// Whether SIGINT (Ctrl-C) arrived since the flag was last cleared.
int mg_interrupt_pending(void);
void mg_clear_interrupt(void);

/// The number of the SIGTERM or SIGHUP that asked the program to end, or 0.
int mg_termination_signal(void);
/// Nonzero once Ctrl-C was pressed or SIGTERM or SIGHUP came: one read for the checks
/// between steps of long work.
int mg_should_stop(void);

/// Whether SIGWINCH (the terminal changed size) arrived since the last call; clears it.
int mg_take_resize(void);

/// The read end of a pipe that each handled signal writes a byte to: poll it beside a
/// file descriptor to wake when a signal arrives. -1 before `mg_signals_install`.
int mg_wakeup_fd(void);

/// Empties the wake-up pipe.
void mg_drain_wakeups(void);

/// Starts `path` (searched on PATH when it has no '/') with `argv`, an empty signal mask
/// and default signal handling, and its standard streams on the given descriptors (-1
/// keeps ours). Returns 0 and the child's pid, or an errno value.
int mg_spawn(const char *path, char *const argv[], int in, int out, int err, pid_t *pid);

#endif
