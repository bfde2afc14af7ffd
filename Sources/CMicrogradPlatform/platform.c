#include "CMicrogradPlatform.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <spawn.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

static volatile sig_atomic_t interrupted = 0;
static volatile sig_atomic_t termination = 0;
static volatile sig_atomic_t resized = 0;
static int wakeup[2] = {-1, -1};

// (SIGQUIT, Ctrl-backslash, is taken as Ctrl-C: by default it killed a session, and Swift's crash
// reporter, which catches it, printed a backtrace of a crash that was none.)
static const int handled[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGWINCH};
#define HANDLED_COUNT (sizeof handled / sizeof handled[0])

static void on_signal(int signo) {
    int saved = errno;
    switch (signo) {
    case SIGINT: case SIGQUIT: interrupted = 1; break;
    case SIGWINCH: resized = 1; break;
    default: termination = signo; break;
    }
    if (wakeup[1] >= 0) {
        char byte = 0;
        ssize_t ignored = write(wakeup[1], &byte, 1);   // a full pipe already wakes the reader
        (void)ignored;
    }
    errno = saved;
}

static int set_flags(int fd, int status_flags) {
    return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | status_flags) == 0
        && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 ? 0 : -1;
}

int mg_signals_install(void) {
    if (wakeup[0] < 0) {
        int fds[2];
        if (pipe(fds) != 0) return -1;
        if (set_flags(fds[0], O_NONBLOCK) != 0 || set_flags(fds[1], O_NONBLOCK) != 0) {
            close(fds[0]);
            close(fds[1]);
            return -1;
        }
        wakeup[0] = fds[0];
        wakeup[1] = fds[1];
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;    // no SA_RESTART: waiting calls return EINTR
    for (size_t i = 0; i < HANDLED_COUNT; i++) {
        if (sigaction(handled[i], &action, NULL) != 0) return -1;
    }
    // A write past the file size limit (ulimit -f) fails with EFBIG, which each writer
    // reports, instead of SIGXFSZ ending the program with the session and a temporary
    // file left behind.
    action.sa_handler = SIG_IGN;
    if (sigaction(SIGXFSZ, &action, NULL) != 0) return -1;
    return 0;
}

int mg_signals_restore_defaults(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < HANDLED_COUNT; i++) {
        if (sigaction(handled[i], &action, NULL) != 0) return -1;
    }
    return 0;
}

int mg_signals_set_blocked(int blocked) {
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < HANDLED_COUNT; i++) sigaddset(&set, handled[i]);
    return pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

// Ctrl-Z at the REPL. libedit's own signal handling is off (Ctrl-C is ours), so nothing
// else would put the terminal back as the shell left it before the program stops: under a
// shell that does not restore it itself (dash), the shell's own typing would be invisible.
static struct termios shell_modes;
static volatile sig_atomic_t have_shell_modes = 0;
static volatile sig_atomic_t paste_marking = 0;

static void write_all(const char *text) {
    ssize_t ignored = write(STDOUT_FILENO, text, strlen(text));
    (void)ignored;
}

static void on_suspend(int signo) {
    (void)signo;
    int saved = errno;
    struct termios editing;
    int restore = have_shell_modes && tcgetattr(STDIN_FILENO, &editing) == 0;
    if (restore) tcsetattr(STDIN_FILENO, TCSADRAIN, &shell_modes);
    if (paste_marking) write_all("\033[?2004l");
    // Stop, as the signal would have, with the handler out of the way.
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTSTP, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGTSTP);
    // Continued (fg): the editing modes again, and the line drawn again, by the path a
    // resize takes.
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    action.sa_handler = on_suspend;
    sigaction(SIGTSTP, &action, NULL);
    if (restore) tcsetattr(STDIN_FILENO, TCSADRAIN, &editing);
    if (paste_marking) write_all("\033[?2004h");
    resized = 1;
    if (wakeup[1] >= 0) {
        char byte = 0;
        ssize_t ignored = write(wakeup[1], &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int mg_suspend_install(void) {
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &shell_modes) == 0) have_shell_modes = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_suspend;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(SIGTSTP, &action, NULL);
}

void mg_set_paste_marking(int on) { paste_marking = on; }

ssize_t mg_write_without_sigpipe(int fd, const void *bytes, size_t count) {
    sigset_t pipe_signal, old;
    sigemptyset(&pipe_signal);
    sigaddset(&pipe_signal, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_signal, &old);
    ssize_t written = write(fd, bytes, count);
    int saved = errno;
    // A SIGPIPE this write raised is pending on this thread (also after a partial write:
    // the reader can go while the write waits): take it, so that it is not delivered when
    // the mask is put back. The next write says EPIPE.
    sigset_t pending;
    if (sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE)) {
        struct timespec now = {0, 0};
        while (sigtimedwait(&pipe_signal, NULL, &now) < 0 && errno == EINTR) {}
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return written;
}

int mg_interrupt_pending(void) { return interrupted; }
void mg_clear_interrupt(void) { interrupted = 0; }
int mg_termination_signal(void) { return termination; }
int mg_should_stop(void) { return interrupted | termination; }

int mg_take_resize(void) {
    int was = resized;
    resized = 0;
    return was;
}

int mg_wakeup_fd(void) { return wakeup[0]; }

void mg_drain_wakeups(void) {
    char buffer[64];
    if (wakeup[0] < 0) return;
    while (read(wakeup[0], buffer, sizeof buffer) > 0) {}
}

int mg_spawn(const char *path, char *const argv[], int in, int out, int err, pid_t *pid) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int status = posix_spawnattr_init(&attributes);
    if (status != 0) return status;
    status = posix_spawn_file_actions_init(&actions);
    if (status != 0) {
        posix_spawnattr_destroy(&attributes);
        return status;
    }
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGWINCH);
    sigaddset(&defaults, SIGXFSZ);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    if (in >= 0) posix_spawn_file_actions_adddup2(&actions, in, 0);
    if (out >= 0) posix_spawn_file_actions_adddup2(&actions, out, 1);
    if (err >= 0) posix_spawn_file_actions_adddup2(&actions, err, 2);
    status = strchr(path, '/') ? posix_spawn(pid, path, &actions, &attributes, argv, environ)
                               : posix_spawnp(pid, path, &actions, &attributes, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return status;
}

static int stdout_errno = 0;    // why standard output first failed, 0 while it has not

// Ctrl-C is handled without SA_RESTART (so that waiting calls return), so a write to
// standard output that was blocked (a terminal paused with Ctrl-S, a slow connection, a
// full pipe) can fail with EINTR; stdio then marks the stream as failed, with what it held
// still in its buffer. That is no failure: it is written again.
void mg_flush_output(void) {
    for (;;) {
        errno = 0;
        if (fflush(stdout) == 0) break;
        if (errno == EINTR) {
            clearerr(stdout);
            continue;
        }
        if (stdout_errno == 0) stdout_errno = errno != 0 ? errno : EIO;
        break;
    }
    fflush(NULL);
}

int mg_stdout_failed(void) {
    // A mark left by a write that a signal interrupted is cleared and the write tried
    // again: a real failure (a full disk) fails again, and is kept.
    if (stdout_errno == 0 && ferror(stdout)) clearerr(stdout);
    mg_flush_output();
    if (stdout_errno == 0 && ferror(stdout)) stdout_errno = EIO;
    return stdout_errno;
}
