import Foundation
import XCTest

/// What every tool shares: --version, errors that start with the tool's name, usage errors,
/// stderr that may be closed, outputs that never overwrite inputs, and temporaries that a
/// signal removes.
final class CLIBehaviourTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = Shell.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private let tools = ["dragonn-sim", "dragonn-encode", "dragonn-train", "dragonn-predict", "dragonn-attrib"]
    private func files() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() }
    private func read(_ name: String) -> Data { (try? Data(contentsOf: dir.appendingPathComponent(name))) ?? Data() }

    private func simulate(_ name: String = "t.fa", n: Int = 20, length: Int = 60) {
        let r = Shell.run("dragonn-sim single-motif-detection --seq-length \(length) --num-pos \(n) --num-neg \(n) -q -o \(name)", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testVersionOnEveryTool() throws {
        var versions = Set<String>()
        for tool in tools {
            let r = Shell.run("\(tool) --version")
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertNotNil(r.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression), "\(tool): \(r.stdout)")
            versions.insert(r.stdout)
        }
        XCTAssertEqual(versions.count, 1, "one version for all tools")
    }

    func testErrorsStartWithTheToolNameAndNameTheFile() {
        try! ">a\nACGT\n>b\n>c\nAAAA\n".write(to: dir.appendingPathComponent("bad.fa"), atomically: false, encoding: .utf8)
        let cases = [
            ("dragonn-encode bad.fa -o x.npy", "dragonn-encode: bad.fa: line 3: record 'b' has no sequence"),
            ("dragonn-predict -m missing.safetensors bad.fa", "dragonn-predict: missing.safetensors: no such file"),
            ("dragonn-train missing.fa -o m", "dragonn-train: missing.fa: No such file or directory"),
            ("dragonn-attrib grad -m missing.safetensors bad.fa", "dragonn-attrib: missing.safetensors"),
            ("dragonn-sim single-motif-detection --motifs missing.motif", "dragonn-sim: missing.motif"),
            ("dragonn-encode - -o x.npy < bad.fa", "dragonn-encode: <stdin>: line 3: record 'b' has no sequence"),
        ]
        for (command, prefix) in cases {
            let r = Shell.run(command, in: dir)
            XCTAssertEqual(r.status, 1, command)
            XCTAssertTrue(r.stderr.hasPrefix(prefix), "\(command): \(r.stderr)")
            XCTAssertEqual(r.stderr.filter { $0 == "\n" }.count, 1, "one line: \(r.stderr)")
        }
    }

    /// Options a tool does not take are refused with a usage error (exit 64, usage hint), not
    /// silently ignored; options that exclude each other too.
    func testUsageErrorsKeepTheUsageHint() {
        let cases = [
            ("dragonn-attrib ism -m m.safetensors --labels l.tsv t.fa", "dragonn-attrib: --labels does not apply to dragonn-attrib."),
            ("dragonn-encode t.fa --labels-npy y.npy", "dragonn-encode: --labels-npy does not apply to dragonn-encode."),
            ("dragonn-encode x.npy", "dragonn-encode: a .npy INPUT does not apply to dragonn-encode."),
            ("dragonn-train --pos-sequences p.fa -o m", "dragonn-train: --pos-sequences and --neg-sequences go together."),
            ("dragonn-predict -m m.safetensors t.fa --regions r.bed --genome g.fa", "dragonn-predict: give either INPUT or --regions/--genome, not both."),
            ("dragonn-predict -m m.safetensors x.npy --length 10", "dragonn-predict: x.npy: --length, --trim and --pad do not apply to a .npy input"),
            ("dragonn-encode t.fa --pad", "dragonn-encode: --pad needs --length"),
            ("dragonn-train t.fa -o m -@ 0", "dragonn-train: -@/--threads must be at least 1."),
        ]
        for (command, first) in cases {
            let r = Shell.run(command + " < /dev/null", in: dir)
            XCTAssertEqual(r.status, 64, "\(command): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.first.map(String.init), first, command)
            XCTAssertTrue(lines.dropFirst().first?.hasPrefix("Usage: ") ?? false, r.stderr)
        }
    }

    /// A closed or full stderr loses the diagnostics, never the run (no trap).
    func testClosedOrFullStderrNeverTraps() throws {
        simulate()
        let r = Shell.run("""
            dragonn-train t.fa -o m --num-filters 2 --conv-width 5 --pool-width 10 --epochs 2 -@ 1 2>&-; echo "closed $?"
            dragonn-train t.fa -o n --num-filters 2 --conv-width 5 --pool-width 10 --epochs 2 -@ 1 2>/dev/full; echo "full $?"
            dragonn-predict -m m.safetensors t.fa --evaluate -o e.tsv 2>/dev/full; echo "evaluate $?"
            dragonn-sim single-motif-detection --seq-length 60 --num-pos 2 --num-neg 2 -o s.fa 2>&-; echo "sim $?"
            dragonn-encode missing.fa -o x.npy 2>&-; echo "error, closed $?"
            dragonn-encode missing.fa -o x.npy 2>/dev/full; echo "error, full $?"
            dragonn-encode --nonsense 2>/dev/full; echo "usage, full $?"
            """, in: dir)
        XCTAssertEqual(r.stdout, "closed 0\nfull 0\nevaluate 0\nsim 0\nerror, closed 1\nerror, full 1\nusage, full 64\n", r.stderr)
        XCTAssertEqual(read("m.safetensors"), read("n.safetensors"))
        XCTAssertFalse(read("m.safetensors").isEmpty)
    }

    func testAnOutputThatIsAnInputOrAnotherOutputIsRefusedBeforeWork() throws {
        simulate()
        let r = Shell.run("""
            cp t.fa before.fa; ln -s t.fa link.fa
            dragonn-train t.fa -o m --num-filters 2 --conv-width 5 --pool-width 10 --epochs 1 -@ 1 2>/dev/null
            cp m.safetensors m.before; cp t.fa m.metrics.tsv
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let cases = [
            ("dragonn-encode t.fa -o t.fa", "dragonn-encode: t.fa: the output is the same file as the input t.fa"),
            ("dragonn-encode t.fa -o x.npy --names-out link.fa", "dragonn-encode: link.fa: the output is the same file as the input t.fa"),
            ("dragonn-encode t.fa -o x.npy --names-out ./x.npy", "dragonn-encode: ./x.npy: the output is the same file as the output x.npy"),
            ("dragonn-encode t.fa -o - --names-out -", "dragonn-encode: only one output can go to stdout ('-')"),
            ("dragonn-predict -m m.safetensors t.fa -o m.safetensors", "dragonn-predict: m.safetensors: the output is the same file as the input m.safetensors"),
            ("dragonn-predict -m m.safetensors link.fa --bedgraph t.fa", "dragonn-predict: t.fa: the output is the same file as the input link.fa"),
            ("dragonn-sim single-motif-detection -o a.fa --bed a.fa", "dragonn-sim: a.fa: named as two outputs"),
            ("dragonn-attrib grad -m m.safetensors t.fa -o out.bg --top-windows m.safetensors", "dragonn-attrib: m.safetensors: the output is the same file as the input m.safetensors"),
            ("dragonn-attrib filters -m m.safetensors -o m.safetensors", "dragonn-attrib: m.safetensors: the output is the same file as the input m.safetensors"),
            ("dragonn-train m.metrics.tsv -o m --epochs 1", "dragonn-train: m.metrics.tsv: the output is the same file as the input m.metrics.tsv"),
        ]
        for (command, message) in cases {
            let r = Shell.run(command, in: dir)
            XCTAssertEqual(r.status, 1, command)
            XCTAssertEqual(r.stderr, message + "\n", command)
        }
        XCTAssertEqual(read("t.fa"), read("before.fa"))
        XCTAssertEqual(read("m.safetensors"), read("m.before"))
        XCTAssertEqual(files(), ["before.fa", "link.fa", "m.before", "m.checkpoint.safetensors", "m.learning-curve.svg",
                                 "m.metrics.tsv", "m.safetensors", "t.fa"])
        // A device may take several outputs.
        let d = Shell.run("dragonn-sim single-motif-detection --num-pos 2 --num-neg 2 -q -o /dev/null --bed /dev/null --labels /dev/null && test -c /dev/null", in: dir)
        XCTAssertEqual(d.status, 0, d.stderr)
    }

    func testReplacingAnOutputKeepsItsPermissionBits() {
        let r = Shell.run("""
            dragonn-sim single-motif-detection --num-pos 2 --num-neg 2 -q -o a.fa --bed a.bed.gz && chmod 640 a.fa && chmod 600 a.bed.gz
            dragonn-sim single-motif-detection --num-pos 3 --num-neg 3 -q -o a.fa --bed a.bed.gz -s 2
            stat -c '%a %n' a.fa a.bed.gz; grep -c '>' a.fa
            """, in: dir)
        XCTAssertEqual(r.stdout, "640 a.fa\n600 a.bed.gz\n6\n", r.stderr)
        // A read-only output is refused, even for root, and left as it was.
        let ro = Shell.run("chmod 444 a.fa; dragonn-sim single-motif-detection --num-pos 1 --num-neg 1 -q -o a.fa; echo \"status $?\"; grep -c '>' a.fa", in: dir)
        XCTAssertEqual(ro.stdout, "status 1\n6\n", ro.stderr)
        XCTAssertEqual(ro.stderr, "dragonn-sim: a.fa: is read-only; make it writable (chmod u+w) to replace it\n")
        // A write error on stdout names stdout, not stdin.
        let full = Shell.run("dragonn-sim single-motif-detection --num-pos 50 --num-neg 50 > /dev/full", in: dir)
        XCTAssertEqual(full.status, 1)
        XCTAssertTrue(full.stderr.hasPrefix("dragonn-sim: <stdout>: write failed"), full.stderr)
    }

    /// Runs `arguments` in the scratch folder, waits for a temporary to appear, sends `signal`;
    /// returns the exit status.
    private func interrupt(_ arguments: [String], signal: Int32, waitingFor prefix: String,
                           stdin: Pipe? = nil) throws -> (Int32, Process.TerminationReason) {
        let p = Process()
        p.executableURL = Shell.binDirectory.appendingPathComponent(arguments[0])
        p.arguments = Array(arguments.dropFirst())
        p.currentDirectoryURL = dir
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        if let stdin { p.standardInput = stdin }
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while !files().contains(where: { $0.hasPrefix(prefix) }) && p.isRunning && Date() < deadline {
            usleep(10_000)
        }
        XCTAssertTrue(p.isRunning, "\(arguments[0]) ended before it was interrupted")
        kill(p.processIdentifier, signal)
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason)
    }

    func testSignalsRemoveTheRunsTemporaries() throws {
        for (signal, status) in [(SIGINT, 130), (SIGTERM, 143), (SIGHUP, 129)] as [(Int32, Int32)] {
            let (got, reason) = try interrupt(["dragonn-sim", "single-motif-detection", "--num-pos", "5000000", "--num-neg", "0",
                                               "-o", "big.fa", "--bed", "big.bed.gz", "--labels", "big.tsv"],
                                              signal: signal, waitingFor: ".big.fa.tmp-")
            XCTAssertEqual(reason, .exit, "exits, not killed, on signal \(signal)")
            XCTAssertEqual(got, status, "signal \(signal)")
            XCTAssertEqual(files(), [], "no temporaries and no outputs after signal \(signal)")
        }
        // A tool waiting on its input: dragonn-encode reading a pipe that stays open.
        let input = Pipe()
        // (More than the 16 bytes the reader peeks at to detect compression.)
        input.fileHandleForWriting.write(Data(">a\nACGT\n>b\nACGT\n>c\nACGT\n".utf8))
        let (got, _) = try interrupt(["dragonn-encode", "-", "-o", "x.npy", "--names-out", "names.txt"],
                                     signal: SIGTERM, waitingFor: ".names.txt.tmp-", stdin: input)
        try input.fileHandleForWriting.close()
        XCTAssertEqual(got, 143)
        XCTAssertEqual(files(), [])
    }
}
