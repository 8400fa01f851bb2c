#ifndef DRAGONN_SIGNALS_H
#define DRAGONN_SIGNALS_H

/// Registry of temporary files a run is writing, removed by a signal handler.
///
/// The handler may run on any thread at any moment, so the registry is a fixed table of atomic
/// pointers and the handler calls only async-signal-safe functions (unlink, _exit).

/// Records `path` (copied); returns a slot for `dragonn_temp_forget`, or -1 when the table is full
/// (the file is then not removed on a signal, nothing else changes).
int dragonn_temp_register(const char *path);

/// Forgets the path in `slot` (after it was renamed into place or removed). Ignores -1.
void dragonn_temp_forget(int slot);

/// Removes every registered file. Async-signal-safe.
void dragonn_temp_remove_all(void);

/// Installs the handler for SIGINT, SIGTERM and SIGHUP (unless the signal is ignored, as under
/// nohup or in a background job) and SIGPIPE: it removes the registered files, then exits with
/// 128 + the signal number (130, 143, 129, 141). SIGPIPE does so only when stdout is an output
/// of the run (see `dragonn_stdout_is_output`) and its reader is gone; otherwise (a closed
/// stderr pipe) the failed write is left to the caller.
void dragonn_install_signal_cleanup(void);

/// Marks stdout as an output of this run: a closed stdout pipe then ends the run quietly.
void dragonn_stdout_is_output(void);

#endif
