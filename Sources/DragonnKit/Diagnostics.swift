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
