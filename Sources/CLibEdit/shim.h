// The parts of libedit (and of C) the REPL uses, in a shape Swift can call: libedit's
// el_set, el_get and history take variable arguments, which Swift cannot pass, so each
// use gets a small wrapper; C's global FILE pointers get accessors. (Signals live in CMicrogradPlatform.)
#ifndef MICROGRAD_CLIBEDIT_SHIM_H
#define MICROGRAD_CLIBEDIT_SHIM_H

#include <histedit.h>
#include <locale.h>
#include <stdlib.h>
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
// The newest entry, then each older one (-1 past the oldest).
static inline int mg_history_first(History *h, HistEvent *ev) { return history(h, ev, H_FIRST); }
static inline int mg_history_next(History *h, HistEvent *ev) { return history(h, ev, H_NEXT); }

// MARK: reading keys, resizing

static inline int mg_el_set_getcfn(EditLine *el, el_rfunc_t f) { return el_set(el, EL_GETCFN, f); }
static inline int mg_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int mg_el_refresh(EditLine *el) { return el_set(el, EL_REFRESH); }

#endif
