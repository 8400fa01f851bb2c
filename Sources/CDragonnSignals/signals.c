#include "dragonn_signals.h"

#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SLOTS = 4096 };

static _Atomic(char *) slots[SLOTS];
/// Set by the handler before it reads the table: from then on forgotten paths are not freed,
/// because the handler (perhaps on another thread) may still be passing them to unlink.
static atomic_int cleaning;

int dragonn_temp_register(const char *path) {
    char *copy = strdup(path);
    if (copy == NULL) return -1;
    for (int i = 0; i < SLOTS; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&slots[i], &expected, copy)) return i;
    }
    free(copy);
    return -1;
}

void dragonn_temp_forget(int slot) {
    if (slot < 0 || slot >= SLOTS) return;
    char *path = atomic_exchange(&slots[slot], NULL);
    // Sequentially consistent: if the handler loaded this pointer, it set `cleaning` first.
    if (path != NULL && atomic_load(&cleaning) == 0) free(path);
}

void dragonn_temp_remove_all(void) {
    atomic_store(&cleaning, 1);
    for (int i = 0; i < SLOTS; i++) {
        char *path = atomic_load(&slots[i]);
        if (path != NULL) unlink(path);
    }
}

static void on_signal(int sig) {
    dragonn_temp_remove_all();
    _exit(128 + sig);
}

static atomic_int stdout_is_output;

void dragonn_stdout_is_output(void) { atomic_store(&stdout_is_output, 1); }

/// A closed pipe ends the run only when it is the run's own output on stdout (`tool | head`).
/// When stderr's reader went away (`tool 2>&1 | head -1` on a tool writing files), the write
/// just fails with EPIPE, which diagnostics ignore, and the run goes on.
static void on_sigpipe(int sig) {
    if (!atomic_load(&stdout_is_output)) return;
    struct pollfd out = { .fd = 1, .events = POLLOUT, .revents = 0 };
    // A pipe whose last reader closed reports POLLERR on its write end.
    if (poll(&out, 1, 0) > 0 && (out.revents & POLLERR)) on_signal(sig);
}

static void install(int sig, int respect_ignored, void (*handler)(int)) {
    struct sigaction old;
    if (respect_ignored && sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigfillset(&action.sa_mask);
    sigaction(sig, &action, NULL);
}

void dragonn_install_signal_cleanup(void) {
    install(SIGINT, 1, on_signal);
    install(SIGTERM, 1, on_signal);
    install(SIGHUP, 1, on_signal);
    // A closed stdout pipe ends the run quietly whatever the parent set (`tool | head`).
    install(SIGPIPE, 0, on_sigpipe);
}
