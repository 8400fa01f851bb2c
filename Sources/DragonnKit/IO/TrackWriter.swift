import Foundation

/// The file format of a track path: bigWig for `.bw`/`.bigWig`, bedGraph otherwise (BGZF with a
/// tabix index for `.gz`).
public enum TrackFormat: Sendable, Equatable {
    case bedGraph, bigWig

    /// The format a path names (by its suffix, case-insensitive).
    public init(path: String) {
        let p = path.lowercased()
        self = p.hasSuffix(".bw") || p.hasSuffix(".bigwig") ? .bigWig : .bedGraph
    }
}

/// A track written as a stream of intervals, in the chromosome order given at creation and
/// sorted by start within each: bedGraph lines or bigWig records. Adjacent intervals with equal
/// values merge into one. It is one output of an `OutputTransaction` (a bigWig goes to a hidden
/// temporary renamed at commit), finished by `finish()`.
public final class TrackWriter {
    private enum Sink { case text(OutputFile), bigWig(BigWigFile) }
    private let sink: Sink
    private var text = ""
    private var run: (chrom: String, start: Int, end: Int, value: Float)? = nil
    private var finished = false

    /// A track at `path` in `outputs`; `chromosomes` (name, length) give the order (and the
    /// bigWig header). `trackLine` starts a bedGraph only (bigWig has none).
    public init(path: String, in outputs: OutputTransaction, chromosomes: [(name: String, length: Int)],
                trackLine: String? = nil) throws {
        switch TrackFormat(path: path) {
        case .bigWig:
            var file: BigWigFile? = nil
            let temporary = try outputs.openExternal(path, requiresFile: "a bigWig track", finish: { try file?.close() },
                                                     abandon: { file?.abandon() })
            let f = try BigWigFile(temporary: temporary, path: path, chromosomes: chromosomes)
            file = f
            sink = .bigWig(f)
        case .bedGraph:
            let out = try outputs.openTrack(path, headerLines: trackLine == nil ? 0 : 1,
                                            maxEnd: chromosomes.map(\.length).max() ?? 0)
            sink = .text(out)
            if let trackLine { text = trackLine + "\n" }
        }
        text.reserveCapacity(1 << 20)
    }

    /// Adds bases `start..<end` of `chrom` with `value` (after every interval added before it).
    public func add(chrom: String, start: Int, end: Int, value: Float) throws {
        if let r = run, r.chrom == chrom, r.end == start, r.value == value {
            run!.end = end
            return
        }
        try emit()
        run = (chrom, start, end, value)
    }

    /// Writes what is pending; the transaction's commit finishes the file.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try emit()
        if case .text(let out) = sink { try out.write(text); text.removeAll() }
    }

    private func emit() throws {
        guard let r = run else { return }
        run = nil
        switch sink {
        case .bigWig(let f):
            try f.add(chrom: r.chrom, start: r.start, end: r.end, value: r.value)
        case .text(let out):
            text += r.chrom; text += "\t"
            text += String(r.start); text += "\t"
            text += String(r.end); text += "\t"
            text += r.value == 0 ? "0" : r.value.description; text += "\n"
            if text.utf8.count > (1 << 20) - 4096 { try out.write(text); text.removeAll(keepingCapacity: true) }
        }
    }
}
