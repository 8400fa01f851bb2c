#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to stderr with write(2). A closed, full or unwritable stderr is ignored: a
/// diagnostic must never stop a run (FileHandle traps on a write error, and a closed stderr
/// pipe raises SIGPIPE, which the tools' handler leaves to this EPIPE).
public func writeDiagnostic(_ text: String) {
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(2, raw.baseAddress! + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}

/// A progress line on stderr that is redrawn in place (`\r`, then ESC [K to erase what the
/// longer previous text left), and report lines that replace it. Drawn only when stderr is a
/// terminal: redirected to a file or pipe, the progress text would pile up as garbage, so only
/// the report lines are written. One helper for every tool that shows progress.
public final class ProgressLine {
    /// False when progress is not drawn (stderr is not a terminal, or it was turned off).
    public let isActive: Bool
    private let prefix: String
    private let write: (String) -> Void
    /// A progress text is on screen, not yet ended by a newline.
    private var shown = false

    /// A progress line whose texts start with `prefix` (e.g. the tool's name), drawn when
    /// `enabled` and stderr is a terminal. `write` and `terminal` stand in for stderr in tests.
    public init(prefix: String = "", enabled: Bool = true, terminal: Bool = isatty(2) != 0,
                write: @escaping (String) -> Void = writeDiagnostic) {
        isActive = enabled && terminal
        self.prefix = prefix
        self.write = write
    }

    /// Redraws the progress line with `text` (nothing when inactive).
    public func show(_ text: String) {
        guard isActive else { return }
        write("\r\u{1B}[K" + prefix + text)
        shown = true
    }

    /// Writes the report line `text` and a newline, erasing the progress line first.
    public func report(_ text: String) {
        write((shown ? "\r\u{1B}[K" : "") + text + "\n")
        shown = false
    }

    /// Ends the progress line where it stands (it stays on screen), so later output starts on a
    /// new line.
    public func finish() {
        guard shown else { return }
        write("\n")
        shown = false
    }
}
