import Foundation
import XCTest

/// Careless and hostile use of the release tools: a shared training prefix, a closed stderr pipe,
/// thread counts, non-finite or oversized model files, a stale genome index, endless input,
/// escape sequences and huge names.
final class RobustnessEndToEndTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = Shell.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func read(_ name: String) -> Data { (try? Data(contentsOf: dir.appendingPathComponent(name))) ?? Data() }
    private let small = "--num-filters 3 --conv-width 5 --pool-width 10 --epochs 2 --dropout 0.2 -s 3"

    private func simulate(_ name: String = "t.fa", n: Int = 40) {
        let r = Shell.run("dragonn-sim single-motif-detection --seq-length 60 --num-pos \(n) --num-neg \(n) -q -o \(name)", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testTheModelDoesNotDependOnTheThreadCount() {
        simulate()
        let r = Shell.run("dragonn-train t.fa -o one \(small) -@ 1 2>/dev/null && dragonn-train t.fa -o two \(small) -@ 2 2>/dev/null && cmp one.safetensors two.safetensors", in: dir)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertFalse(read("one.safetensors").isEmpty)
    }

    func testAClosedStderrPipeDoesNotStopTraining() {
        simulate()
        // head reads one line of stderr and leaves; training must go on and write its model.
        let r = Shell.run("dragonn-train t.fa -o m \(small) --epochs 6 2>&1 | head -1; echo \"status ${PIPESTATUS[0]}\"", in: dir)
        XCTAssertTrue(r.stdout.hasSuffix("status 0\n"), r.stdout + r.stderr)
        XCTAssertFalse(read("m.safetensors").isEmpty)
        // A closed stdout pipe still ends a stdout writer quietly.
        let sim = Shell.run("dragonn-sim single-motif-detection --seq-length 500 --num-pos 20000 --num-neg 20000 | head -2", in: dir)
        XCTAssertEqual(sim.status, 141, sim.stderr)   // pipefail: ended as by SIGPIPE, quietly
        XCTAssertEqual(sim.stderr, "")
    }

    func testASecondRunOnTheSamePrefixIsRefused() throws {
        simulate(n: 400)
        let r = Shell.run("""
            dragonn-train t.fa -o m \(small) --epochs 200 --patience 200 -@ 1 2>/dev/null & first=$!
            for i in $(seq 100); do [ -e m.lock ] && break; sleep 0.05; done
            dragonn-train t.fa -o m \(small) 2>err.txt; echo "second $?"
            kill $first; wait $first; echo "first $?"
            dragonn-train t.fa -o m \(small) 2>/dev/null; echo "third $?"
            """, in: dir)
        XCTAssertTrue(r.stdout.contains("second 1\n"), r.stdout)
        let err = String(decoding: read("err.txt"), as: UTF8.self)
        XCTAssertTrue(err.hasPrefix("dragonn-train: m: another dragonn-train run (process "), err)
        // The killed run's lock file may stay behind; the kernel released its lock.
        XCTAssertTrue(r.stdout.contains("first 143\nthird 0\n"), r.stdout)
    }

    func testNonFiniteWeightsAreRefused() throws {
        simulate()
        XCTAssertEqual(Shell.run("dragonn-train t.fa -o m \(small) 2>/dev/null", in: dir).status, 0)
        // Overwrite the first float of conv.0.weight's data (right after the header) with NaN.
        let python = """
            import struct,sys
            b=bytearray(open('m.safetensors','rb').read()); n=struct.unpack('<Q',b[:8])[0]
            import json; h=json.loads(b[8:8+n]); o=h['conv.0.weight']['data_offsets'][0]
            b[8+n+o:8+n+o+4]=struct.pack('<f',float('nan')); open('nan.safetensors','wb').write(b)
            """
        XCTAssertEqual(Shell.run("python3 -c \"\(python)\"", in: dir).status, 0)
        let r = Shell.run("dragonn-predict -m nan.safetensors t.fa -o p.tsv", in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("dragonn-predict: nan.safetensors: tensor 'conv.0.weight' holds a non-finite value"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.tsv").path))
    }

    func testStaleGenomeIndexIsRebuilt() {
        let r = Shell.run("""
            printf '>chr1\\nAAAACCCCGGGGTTTTAAAACCCC\\n' > g.fa
            printf 'chr1\\t4\\t12\\n' > r.bed
            dragonn-encode --regions r.bed --genome g.fa --names-out /dev/null -o a.npy
            touch -d '1 hour ago' g.fa.fai
            printf '>chr1\\nTTTTTTTTTTTTTTTTTTTTTTTT\\n' > g.fa
            dragonn-encode --regions r.bed --genome g.fa -o b.npy
            python3 -c "import numpy as np; a=np.load('a.npy'); b=np.load('b.npy'); print(a[0].argmax(0).tolist(), b[0].argmax(0).tolist())"
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "[1, 1, 1, 1, 2, 2, 2, 2] [3, 3, 3, 3, 3, 3, 3, 3]\n")
    }

    func testEndlessOrHostileInputGetsAShortMessage() {
        let zero = Shell.run("head -c 300000000 /dev/zero | dragonn-encode - -o z.npy", in: dir)
        XCTAssertEqual(zero.status, 1)
        XCTAssertTrue(zero.stderr.hasPrefix("dragonn-encode: <stdin>: "), zero.stderr)
        XCTAssertEqual(zero.stderr.filter { $0 == "\n" }.count, 1, zero.stderr)
        // An escape sequence and a 1 MB name in a record with no sequence.
        let r = Shell.run("""
            (printf '>\\033]0;TITLE\\007\\033[2J'; head -c 1048576 /dev/zero | tr '\\0' x; printf '\\n>b\\nACGT\\n') > bad.fa
            dragonn-encode bad.fa -o o.npy
            """, in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertFalse(r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, r.stderr)
        XCTAssertTrue(r.stderr.contains("\\x1B]0;TITLE\\x07"), String(r.stderr.prefix(200)))
        XCTAssertLessThan(r.stderr.utf8.count, 1200)
    }

    func testHugeSimulationSizesGetAMessage() {
        let r = Shell.run("dragonn-sim single-motif-detection --seq-length 1000000000000 -o s.fa", in: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--seq-length must be in 1...268435456"), r.stderr)
    }
}
