import DragonnKit
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide set-up and stderr for the tools.
public enum ToolEnvironment {
    /// Opens /dev/null on stdin, stdout or stderr when one is closed (`2>&-`): otherwise the
    /// first output file would get that descriptor and diagnostics would be written into it.
    /// Then installs the signal handler that removes a run's temporary files (SIGINT, SIGTERM,
    /// SIGHUP; SIGPIPE, so `tool | head` still ends quietly when the pipe closes).
    public static func prepare() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if null >= 0 && null != fd { dup2(null, fd); close(null) }
        }
        installSignalCleanup()
    }

    /// True when stderr is a terminal: only then do tools draw progress lines.
    public static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// Writes `text` to stderr, ignoring a closed, full or unwritable stderr (`writeDiagnostic`).
    public static func printError(_ text: String) { writeDiagnostic(text) }
}
