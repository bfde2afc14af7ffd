// The parts of libedit (and of C) the REPL uses, in a shape Swift can call: libedit's
// el_set, el_get and history take variable arguments, which Swift cannot pass, so each
// use gets a small wrapper; C's global FILE pointers and a signal flag get accessors.
#ifndef MICROGRAD_CLIBEDIT_SHIM_H
#define MICROGRAD_CLIBEDIT_SHIM_H

#include <histedit.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static inline FILE *mg_stdin(void) { return stdin; }
static inline FILE *mg_stdout(void) { return stdout; }
static inline FILE *mg_stderr(void) { return stderr; }

// MARK: el_set / el_get

static inline int mg_el_set_prompt_esc(EditLine *el, char *(*prompt)(EditLine *), char ignore) {
    return el_set(el, EL_PROMPT_ESC, prompt, ignore);
}
static inline int mg_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int mg_el_set_history(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int mg_el_add_function(EditLine *el, const char *name, const char *help,
                                     unsigned char (*f)(EditLine *, int)) {
    return el_set(el, EL_ADDFN, name, help, f);
}
static inline int mg_el_bind(EditLine *el, const char *key, const char *function) {
    return el_set(el, EL_BIND, key, function, NULL);
}
static inline int mg_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *mg_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

// MARK: history

static inline int mg_history_setsize(History *h, HistEvent *ev, int n) { return history(h, ev, H_SETSIZE, n); }
static inline int mg_history_setunique(History *h, HistEvent *ev, int on) { return history(h, ev, H_SETUNIQUE, on); }
static inline int mg_history_enter(History *h, HistEvent *ev, const char *line) { return history(h, ev, H_ENTER, line); }

// MARK: Ctrl-C

// Set by the SIGINT handler, read and cleared by the REPL: the only thing a signal handler
// may safely do is set a flag like this one.
static volatile sig_atomic_t mg_interrupted = 0;

static void mg_on_sigint(int signal) {
    (void)signal;
    mg_interrupted = 1;
}

// Installs the handler without SA_RESTART, so that a read waiting in el_gets returns EINTR,
// and unblocks SIGINT in case whoever started us had it blocked (a test runner, an IDE).
static inline int mg_install_sigint_handler(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = mg_on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(SIGINT, &action, NULL);
}

static inline int mg_interrupt_pending(void) { return mg_interrupted; }
static inline void mg_clear_interrupt(void) { mg_interrupted = 0; }

#endif
