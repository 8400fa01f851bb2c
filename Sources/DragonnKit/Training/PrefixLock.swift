import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock on a training prefix (`PREFIX.lock`, flock), so two `dragonn-train` runs with
/// the same `-o` cannot interleave their model and checkpoint. The kernel drops the lock when the
/// process dies, so a lock file left behind by a killed run never blocks the next one.
final class PrefixLock {
    let path: String
    private var fd: Int32

    /// Takes the lock or throws naming the process that holds it.
    init(prefix: String) throws {
        path = prefix + ".lock"
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw DragonnError(file: path, "cannot create the training lock: \(String(cString: strerror(errno)))")
            }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                var buffer = [UInt8](repeating: 0, count: 32)
                let n = pread(fd, &buffer, 31, 0)
                close(fd)
                let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines) : "?"
                throw DragonnError("\(prefix): another dragonn-train run (process \(holder)) is writing this prefix (lock \(path))")
            }
            // The holder we waited on may have removed the file after we opened it: lock the file
            // that is at the path now, or try again.
            var opened = stat(), current = stat()
            if fstat(fd, &opened) == 0, stat(path, &current) == 0,
               opened.st_dev == current.st_dev, opened.st_ino == current.st_ino {
                self.fd = fd
                break
            }
            close(fd)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
    }

    /// Removes the lock file and releases the lock (unlink first, so no newcomer locks a file
    /// that is about to disappear).
    func release() {
        guard fd >= 0 else { return }
        unlink(path)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
