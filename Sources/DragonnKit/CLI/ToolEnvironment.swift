import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Process-wide set-up every tool does first.
public enum ToolEnvironment {
    /// Restores the default SIGPIPE action so `tool | head` ends quietly when the pipe closes,
    /// as Unix filters do.
    public static func prepare() {
        signal(SIGPIPE, SIG_DFL)
    }

    /// True when stderr is a terminal: only then do tools draw progress lines.
    public static var stderrIsTerminal: Bool { isatty(2) != 0 }
}
