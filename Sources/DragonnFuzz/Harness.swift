// libFuzzer harness over DragonnKit's file parsers (see `FuzzParser`). The parser is chosen by
// the environment variable DRAGONN_FUZZ_PARSER; each input's bytes are written to a file in
// /dev/shm first, because the readers take paths, as the tools do.
//
// Built by scripts/fuzz.sh with `--sanitize=fuzzer --sanitize=address -Xswiftc -DDRAGONN_FUZZ`:
// libFuzzer's own main then drives `LLVMFuzzerTestOneInput` (all libFuzzer flags work). In an
// ordinary build the program replays the files given as arguments instead, so a saved crash
// input can be rerun without the fuzzer.
import DragonnKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The parser under test and the scratch file its inputs go to (globals: libFuzzer's callbacks
/// are C functions and cannot capture).
nonisolated(unsafe) var parser: FuzzParser?
nonisolated(unsafe) var inputPath = ""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("dragonn-fuzz: \(message)\n".utf8))
    exit(2)
}

/// Reads DRAGONN_FUZZ_PARSER and picks the scratch file.
func setUp() {
    let name = ProcessInfo.processInfo.environment["DRAGONN_FUZZ_PARSER"] ?? ""
    guard let chosen = FuzzParser(rawValue: name) else {
        fail("set DRAGONN_FUZZ_PARSER to one of: \(FuzzParser.allCases.map(\.rawValue).joined(separator: " "))")
    }
    parser = chosen
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    inputPath = "\(folder)/dragonn-fuzz-\(getpid())\(chosen.fileSuffix)"
    atexit { unlink(inputPath); FuzzParser.removeFuzzGenome() }
}

/// Writes `count` bytes at `data` to the scratch file and runs the parser on it; a wrong ending
/// (see `FuzzParser.check`) aborts, which libFuzzer reports as a crash and saves the input.
func testOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) {
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    if fd < 0 { fail("\(inputPath): \(String(cString: strerror(errno)))") }
    var done = 0
    while done < count {
        let n = write(fd, data! + done, count - done)
        if n <= 0 { fail("\(inputPath): write failed") }
        done += n
    }
    close(fd)
    if let problem = parser!.check(path: inputPath) {
        FileHandle.standardError.write(Data("dragonn-fuzz[\(parser!.rawValue)]: \(problem)\n".utf8))
        abort()
    }
}

#if DRAGONN_FUZZ
@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutableRawPointer) -> Int32 {
    setUp()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    testOneInput(data, size)
    return 0
}
#else
@main
enum Replay {
    /// Runs each file named on the command line once.
    static func main() {
        setUp()
        for file in CommandLine.arguments.dropFirst() {
            guard let bytes = FileManager.default.contents(atPath: file) else { fail("\(file): cannot read") }
            bytes.withUnsafeBytes { testOneInput($0.bindMemory(to: UInt8.self).baseAddress, bytes.count) }
            print("\(file): ok")
        }
    }
}
#endif
