import ArgumentParser
import Foundation

// Options that several tools take, spelled the same everywhere (samtools/seqkit style).

/// `-o/--output FILE` (`-` = stdout; a `.gz` path is written as BGZF).
public struct OutputOption: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp(
        "Output file ('-' for stdout; a path ending in .gz is written BGZF-compressed).",
        valueName: "file"), completion: .file())
    public var output: String = "-"
    public init() {}
}

/// `-s/--seed N`: same seed, same bytes out.
public struct SeedOption: ParsableArguments {
    @Option(name: [.customShort("s"), .long], help: ArgumentHelp(
        "Random seed; the same seed gives the same output.", valueName: "n"))
    public var seed: UInt64 = 1
    public init() {}
}

/// `-@/--threads N`: worker threads (default: all cores).
public struct ThreadsOption: ParsableArguments {
    @Option(name: [.customShort("@"), .long], help: ArgumentHelp(
        "Worker threads (default: number of cores).", valueName: "n"))
    public var threads: Int?
    public init() {}

    public func validate() throws {
        if let threads, threads < 1 { throw ValidationError("-@/--threads must be at least 1.") }
    }

    /// The thread count to use: the option, or the number of online cores.
    public var resolved: Int { max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount) }
}

/// `--track-line`: bedGraph tracks start with a UCSC `track` line only when asked.
public struct TrackLineOption: ParsableArguments {
    @Flag(name: .customLong("track-line"), help: "Start bedGraph tracks with a UCSC 'track type=bedGraph name=...' line (tabix skips it).")
    public var trackLine = false
    public init() {}
}

/// Shell completion of a model file (`-m`): `.safetensors` files and folders.
public let modelFileCompletion = CompletionKind.file(extensions: ["safetensors"])

/// Shell completion of motif names: the names `dragonn-sim motifs` lists (the bundled collection).
public let motifNameCompletion = CompletionKind.shellCommand("dragonn-sim motifs 2>/dev/null | cut -f1")
