import CDragonnSignals
import CHTSlib
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How an output's bytes are stored.
public enum OutputCompression: Sendable {
    /// BGZF when the path ends in `.gz`, plain otherwise.
    case fromSuffix
    case none
    case bgzf
}

/// Thrown when the reader of standard output went away (`tool | head`); tools end quietly.
public struct OutputClosed: Error, Sendable {}

/// The outputs of one run, written as one transaction: all of them appear at the end, or none.
///
/// Each output to a regular file is written to a hidden temporary beside its final path
/// (`.NAME.tmp-PID-RANDOM`, so the final rename stays on one file system) and renamed into place
/// by `commit()`. Standard output (`-`), devices and FIFOs are written in place (a rename would
/// replace `/dev/null` with a regular file); outputs that must seek (`.npy`) are kept in an
/// anonymous temporary file and copied into such a target at commit. An error, a thrown
/// exception or a transaction released before `commit()` removes every temporary; so does
/// SIGINT, SIGTERM or SIGHUP once a tool has called `installSignalCleanup()`.
///
/// An output that is the same file as an input, or as another output of the run, is refused
/// when it is declared: compared by resolved path, and by device and inode where it exists.
/// Replacing an existing file keeps its permission bits. A `.gz` track (`openTrack`) is BGZF
/// with a tabix index beside it, `.tbi`, or `.csi` when a position exceeds 2^29; the index is a
/// second temporary renamed together with the track.
public final class OutputTransaction {
    private enum State { case open, committed, discarded }

    private final class Entry {
        let path: String
        /// The hidden temporary beside `path`; nil when written in place.
        let temporary: String?
        /// Registry slot of `temporary` (removed on a signal).
        var slot: Int32
        /// Flushes and closes, leaving the temporary complete.
        var finish: () throws -> Void = {}
        /// Copies spooled content into an in-place target (after every output finished).
        var publish: (() throws -> Void)?
        /// Closes without finishing (on discard).
        var abandon: () -> Void = {}
        /// Other files to remove once this one is in place (a stale index of the other kind).
        var staleCompanions: [String] = []
        /// Skipped at commit when its temporary was never created (`openExternal`).
        var optional = false

        init(path: String, temporary: String?, slot: Int32) {
            self.path = path; self.temporary = temporary; self.slot = slot
        }
    }

    private var entries: [Entry] = []
    private var inputs: [(path: String, identity: FileIdentity)] = []
    private var declared: [(path: String, identity: FileIdentity?)] = []
    private var opened: Set<String> = []
    private var state = State.open

    /// A transaction for a run that reads `inputs` and writes `outputs` (more may be declared or
    /// opened later). Throws, before any work, when an output is an input or another output.
    public init(inputs: [String] = [], outputs: [String] = []) throws {
        for path in inputs where path != "-" {
            if let id = FileIdentity(path), !id.isCharacterDevice { self.inputs.append((path, id)) }
        }
        for path in outputs { try declare(path) }
    }

    deinit { discard() }

    /// Checks `path` against the inputs and the outputs declared so far and reserves it.
    /// Opening an output declares it, so callers declare early only to fail before work.
    public func declare(_ path: String) throws {
        if path == "-" || path == "/dev/stdout" { dragonn_stdout_is_output() }
        if path == "-" {
            if declared.contains(where: { $0.path == "-" }) {
                throw DragonnError("only one output can go to stdout ('-')")
            }
            declared.append((path, nil))
            return
        }
        guard !path.isEmpty else { throw DragonnError("an output path is empty") }
        let id = FileIdentity(path)
        if let id {
            if id.isDirectory { throw DragonnError(file: path, "is a folder, not a file") }
            // A file its owner made read-only is not replaced behind their back (root could).
            if id.isRegularFile, let mode = id.mode, mode & 0o222 == 0 {
                throw DragonnError(file: path, "is read-only; make it writable (chmod u+w) to replace it")
            }
            // Devices such as /dev/null may take any number of outputs.
            if !id.isCharacterDevice {
                if let input = inputs.first(where: { $0.identity.same(as: id) }) {
                    throw DragonnError(file: path, "the output is the same file as the input \(input.path)")
                }
                if let other = declared.first(where: { $0.identity.map { $0.same(as: id) } ?? false }) {
                    throw DragonnError(file: path, other.path == path ? "named as two outputs"
                                                                       : "the output is the same file as the output \(other.path)")
                }
            }
        }
        declared.append((path, id))
    }

    /// True once `path` was declared or opened in this transaction.
    public func isDeclared(_ path: String) -> Bool { declared.contains { $0.path == path } }

    /// Declares `path` unless it was, and refuses a second opening of one file.
    private func reserve(_ path: String) throws {
        try requireOpen()
        if !isDeclared(path) { try declare(path) }
        if !FileIdentity.isCharacterDevice(path) {
            guard opened.insert(path).inserted else {
                throw path == "-" ? DragonnError("only one output can go to stdout ('-')")
                                  : DragonnError(file: path, "named as two outputs")
            }
        }
    }

    /// Opens a streamed output (text, or BGZF by `compression`; `level` 0-9 sets the BGZF
    /// compression level: 1 deflates DNA about 50 times faster than the default, ~15% larger;
    /// `pipelined`: with a level, BGZF compressed by `BGZFPipeline`, the same bytes).
    public func open(_ path: String, compression: OutputCompression = .fromSuffix, level: Int? = nil,
                     pipelined: Bool = false) throws -> OutputFile {
        try reserve(path)
        let bgzf: Bool
        switch compression {
        case .fromSuffix: bgzf = path != "-" && path.hasSuffix(".gz")
        case .none: bgzf = false
        case .bgzf: bgzf = true
        }
        let (entry, fd) = try create(path)
        let file: OutputFile
        do {
            file = try OutputFile(path: path, fd: fd, inPlace: entry.temporary == nil, bgzf: bgzf, level: level, pipelined: pipelined)
        } catch {
            if fd > 2 { close(fd) }
            drop(entry)
            throw error
        }
        entry.finish = { try file.finish() }
        entry.abandon = { file.abandon() }
        entries.append(entry)
        return file
    }

    /// Opens a track output (bedGraph): as `open`, and a `.gz` file path is also indexed with
    /// tabix at commit (`headerLines` lines skipped; CSI when `maxEnd` exceeds 2^29).
    public func openTrack(_ path: String, headerLines: Int = 0, maxEnd: Int = 0) throws -> OutputFile {
        let csi = maxEnd > 1 << 29
        let indexPath = path + (csi ? ".csi" : ".tbi")
        let indexed = path != "-" && path.hasSuffix(".gz") && !FileIdentity.isSpecial(path)
        if indexed { try reserve(indexPath) }
        let file = try open(path)
        guard indexed, let track = entries.last, let trackTemporary = track.temporary else { return file }
        let (index, indexTemporary) = try reserveTemporary(for: indexPath)
        // htslib writes the index itself: its temporary only has to be reserved (and registered).
        let oldMode = FileIdentity.permissions(of: indexPath)
        let finishTrack = track.finish
        track.finish = {
            try finishTrack()
            var conf = tbx_conf_bed
            conf.line_skip = Int32(headerLines)
            let rc = withHTSLogSilenced { tbx_index_build2(trackTemporary, indexTemporary, csi ? 14 : 0, &conf) }
            guard rc == 0 else { throw DragonnError(file: path, "cannot build the \(csi ? "CSI" : "tabix") index") }
            if let oldMode { chmod(indexTemporary, oldMode) }
        }
        index.staleCompanions = [path + (csi ? ".tbi" : ".csi")]
        entries.append(index)
        return file
    }

    /// Reserves `path` for a library that creates and writes the file by name itself (htslib's
    /// VCF/BCF writer and index builder; libBigWig, which also seeks) and returns the name to
    /// write: a hidden temporary beside a regular file, renamed into place at commit with the
    /// permissions of the file it replaces; or, for stdout (`-`), devices and FIFOs, `path` itself,
    /// unless `requiresFile` names a format that cannot be streamed (then an error). `finish` runs
    /// at commit, in opening order, before any rename (close the file there); `abandon` on
    /// discard, before the temporary is removed. An `optional` output not created by commit is skipped.
    public func openExternal(_ path: String, requiresFile format: String? = nil, optional: Bool = false,
                             finish: @escaping () throws -> Void = {}, abandon: @escaping () -> Void = {}) throws -> String {
        let special = path == "-" || FileIdentity.isSpecial(path)
        if special, let format { throw DragonnError(file: path, "\(format) needs a regular file path (it cannot be streamed)") }
        try reserve(path)
        let (entry, name) = special ? (Entry(path: path, temporary: nil, slot: -1), path) : try reserveTemporary(for: path)
        let oldMode = special ? nil : FileIdentity.permissions(of: path)
        entry.finish = {
            try finish()
            if let oldMode { chmod(name, oldMode) }
        }
        entry.abandon = abandon
        entry.optional = optional
        entries.append(entry)
        return name
    }

    /// Opens a FASTA output that gets a faidx index at commit: `.fai` beside it, and `.gzi` too
    /// when it is BGZF (a `.gz` path). Stdout and special files get no index.
    public func openIndexedFasta(_ path: String, level: Int? = nil) throws -> OutputFile {
        let special = path == "-" || FileIdentity.isSpecial(path)
        let bgzf = path.hasSuffix(".gz")
        let indexPaths = special ? [] : [path + ".fai"] + (bgzf ? [path + ".gzi"] : [])
        for p in indexPaths { try reserve(p) }
        let file = try open(path, level: level)
        guard !special, let fasta = entries.last, let fastaTemporary = fasta.temporary else { return file }
        let (fai, faiTemporary) = try reserveTemporary(for: path + ".fai")
        let gzi = try bgzf ? reserveTemporary(for: path + ".gzi") : nil
        let finishFasta = fasta.finish
        fasta.finish = {
            try finishFasta()
            let rc = withHTSLogSilenced { fai_build3(fastaTemporary, faiTemporary, gzi?.1) }
            guard rc == 0 else { throw DragonnError(file: path, "cannot build the faidx index") }
        }
        entries.append(fai)
        if let gzi { entries.append(gzi.0) } else { fai.staleCompanions = [path + ".gzi"] }
        return file
    }

    /// Opens a `.npy` output written row by row (its header is patched at commit).
    public func openNpy(_ path: String, dtype: NpyDType, rowShape: [Int], bufferSize: Int = 1 << 18) throws -> NpyWriter {
        try reserve(path)
        if path == "-" || FileIdentity.isSpecial(path) {
            // The header is patched last, so the array is spooled and copied out at commit.
            let spool = try Spool(label: path == "-" ? "stdout" : path)
            let writer = try NpyWriter(fd: spool.descriptor, name: path, dtype: dtype, rowShape: rowShape, bufferSize: bufferSize)
            let entry = Entry(path: path, temporary: nil, slot: -1)
            entry.finish = { try writer.finish() }
            entry.publish = {
                let (target, fd) = try Self.openInPlace(path)
                let out = try OutputFile(path: target, fd: fd, inPlace: true, bgzf: false)
                do {
                    try spool.replay { try out.write($0) }
                    try out.finish()
                } catch { out.abandon(); throw error }
            }
            entries.append(entry)
            return writer
        }
        let (entry, fd) = try create(path)
        let writer: NpyWriter
        do {
            writer = try NpyWriter(fd: fd, name: path, dtype: dtype, rowShape: rowShape, bufferSize: bufferSize)
        } catch {
            close(fd)
            drop(entry)
            throw error
        }
        var open = true
        entry.finish = {
            try writer.finish()
            open = false
            guard close(fd) == 0 else { throw DragonnError(file: path, "write failed: \(String(cString: strerror(errno)))") }
        }
        entry.abandon = { if open { close(fd); open = false } }
        entries.append(entry)
        return writer
    }

    /// Finishes every output, then moves each temporary into place. On an error nothing of the
    /// run is left: every temporary is removed (outputs already renamed stay, which only a
    /// failing rename after a successful one can cause).
    public func commit() throws {
        try requireOpen()
        do {
            for e in entries { try e.finish() }
            for e in entries { try e.publish?() }
        } catch {
            discard()
            throw error
        }
        state = .committed
        for (i, e) in entries.enumerated() {
            guard let temporary = e.temporary else { continue }
            if e.optional && access(temporary, F_OK) != 0 { dragonn_temp_forget(e.slot); continue }
            if rename(temporary, e.path) != 0 {
                let problem = DragonnError(file: e.path, "cannot write: \(String(cString: strerror(errno)))")
                for later in entries[i...] {
                    if let t = later.temporary { unlink(t) }
                    dragonn_temp_forget(later.slot)
                }
                throw problem
            }
            dragonn_temp_forget(e.slot)
            for stale in e.staleCompanions where FileIdentity.isRegularFile(stale) { unlink(stale) }
        }
    }

    /// Closes every output and removes every temporary; nothing of the run appears.
    public func discard() {
        guard state == .open else { return }
        state = .discarded
        for e in entries { drop(e) }
    }

    /// Refuses, before any work, outputs that are inputs or the same file as each other (for runs
    /// that write them later, in transactions of their own).
    public static func checkDistinct(inputs: [String], outputs: [String]) throws {
        _ = try OutputTransaction(inputs: inputs, outputs: outputs)
    }

    /// Writes one output on its own: `body` fills it, then it is committed (a transaction of one).
    public static func write(_ path: String, compression: OutputCompression = .fromSuffix, inputs: [String] = [],
                             _ body: (OutputFile) throws -> Void) throws {
        let transaction = try OutputTransaction(inputs: inputs, outputs: [path])
        try body(try transaction.open(path, compression: compression))
        try transaction.commit()
    }

    // MARK: files

    private func requireOpen() throws {
        guard state == .open else { throw DragonnError("internal: the outputs were already committed or discarded") }
    }

    private func drop(_ e: Entry) {
        e.abandon()
        if let t = e.temporary { unlink(t) }
        dragonn_temp_forget(e.slot)
    }

    /// An entry and a descriptor to write `path` through: a new temporary beside a regular
    /// file, or the target itself when it is stdout, a device, a FIFO or a socket.
    private func create(_ path: String) throws -> (Entry, Int32) {
        if path == "-" || FileIdentity.isSpecial(path) {
            let (_, fd) = try Self.openInPlace(path)
            return (Entry(path: path, temporary: nil, slot: -1), fd)
        }
        let (entry, temporary) = try reserveTemporary(for: path)
        // Registered before it exists, so a signal in between cannot leave it behind.
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else {
            let problem = DragonnError(file: path, "cannot create: \(String(cString: strerror(errno)))")
            dragonn_temp_forget(entry.slot)
            throw problem
        }
        if let mode = FileIdentity.permissions(of: path) { fchmod(fd, mode) }
        return (entry, fd)
    }

    /// A registered, unused temporary name beside `path` (the file is not created).
    private func reserveTemporary(for path: String) throws -> (Entry, String) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        for _ in 0..<100 {
            let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let temporary = folder + "." + name + ".tmp-\(getpid())-" + token
            if access(temporary, F_OK) == 0 { continue }
            let slot = dragonn_temp_register(temporary)
            return (Entry(path: path, temporary: temporary, slot: slot), temporary)
        }
        throw DragonnError(file: path, "cannot find a free temporary name beside it")
    }

    /// Standard output, or an existing special file opened for writing.
    private static func openInPlace(_ path: String) throws -> (String, Int32) {
        if path == "-" { return (path, 1) }
        let fd = Glibc.open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DragonnError(file: path, "cannot open for writing: \(String(cString: strerror(errno)))") }
        return (path, fd)
    }
}

/// Installs the handler that removes the temporaries of open transactions on SIGINT, SIGTERM,
/// SIGHUP (then exit 130, 143, 129) and a closed pipe (SIGPIPE, exit 141). Tools call it first.
public func installSignalCleanup() {
    dragonn_install_signal_cleanup()
}

/// Which file a path names: its resolved path, and device and inode when it exists.
struct FileIdentity {
    var resolved: String
    var device: UInt64?
    var inode: UInt64?
    var mode: mode_t?

    /// nil for `-`.
    init?(_ path: String) {
        guard path != "-" else { return nil }
        var info = stat()
        if stat(path, &info) == 0 {
            device = UInt64(info.st_dev); inode = UInt64(info.st_ino); mode = info.st_mode
            resolved = Self.realPath(path) ?? Self.absolute(path)
        } else {
            // Not there yet: resolve the folder it will be created in.
            let slash = path.lastIndex(of: "/")
            let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            if let dir = Self.realPath(folder) { resolved = (dir == "/" ? "" : dir) + "/" + name }
            else { resolved = Self.absolute(path) }
        }
    }

    var isCharacterDevice: Bool { mode.map { $0 & S_IFMT == S_IFCHR } ?? false }
    var isDirectory: Bool { mode.map { $0 & S_IFMT == S_IFDIR } ?? false }
    var isRegularFile: Bool { mode.map { $0 & S_IFMT == S_IFREG } ?? false }

    func same(as other: FileIdentity) -> Bool {
        if resolved == other.resolved { return true }
        if let d = device, let i = inode, d == other.device, i == other.inode { return true }
        return false
    }

    static func isCharacterDevice(_ path: String) -> Bool { FileIdentity(path)?.isCharacterDevice ?? false }

    /// True when `path` exists and is neither a regular file nor a folder (symlinks followed).
    static func isSpecial(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let kind = info.st_mode & S_IFMT
        return kind != S_IFREG && kind != S_IFDIR
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    /// Permission bits of an existing regular file (to keep them when it is replaced).
    static func permissions(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return info.st_mode & 0o7777
    }

    private static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}
