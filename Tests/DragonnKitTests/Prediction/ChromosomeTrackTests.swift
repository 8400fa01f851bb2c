import XCTest
@testable import DragonnKit
@testable import DragonnKernels

/// Fully convolutional tracks: the sliding max and window dense kernels against scalar
/// references, and whole tracks against the per-window network at every base.
final class ChromosomeTrackTests: XCTestCase {
    func testSlidingMaxMatchesTheScan() {
        var r = RandomSource(seed: 11)
        for (length, width, stride) in [(1, 1, 16), (5, 7, 16), (7, 7, 16), (50, 7, 32), (123, 35, 16), (200, 1, 16), (64, 8, 48), (5000, 35, 16), (4100, 7, 32), (2100, 1, 16), (2065, 35, 16), (6000, 2049, 16)] {
            let x = (0..<(length * stride)).map { _ in Float(r.normal()) }
            var fast = x, naive = x
            var scratch = [Float](repeating: .nan, count: length * stride)
            fast.withUnsafeMutableBufferPointer { f in scratch.withUnsafeMutableBufferPointer { s in
                SlidingMax.forward(x: f.baseAddress!, scratch: s.baseAddress!, stride: stride, length: length, width: width) } }
            naive.withUnsafeMutableBufferPointer { SlidingMax.forwardNaive(x: $0.baseAddress!, stride: stride, length: length, width: width) }
            let rows = max(0, length - width + 1) * stride
            XCTAssertEqual(Array(fast[..<rows]), Array(naive[..<rows]), "length \(length), width \(width), stride \(stride)")
        }
    }

    func testWindowDenseMatchesReferenceAndDenseLayer() {
        var r = RandomSource(seed: 12)
        for (pooled, width, stride, count, step) in [(1, 1, 16, 1, 1), (3, 5, 16, 9, 1), (27, 35, 16, 13, 3), (4, 7, 32, 6, 2), (27, 35, 16, 200, 1), (5, 6, 32, 97, 4), (3, 4, 16, 41, 7)] {
            let rows = (count - 1) * step + width * (pooled - 1) + 1
            let m = (0..<(rows * stride)).map { _ in Float(r.normal()) }
            let w = (0..<(pooled * stride)).map { _ in Float(r.normal()) }
            var fast = [Float](repeating: 0, count: count), naive = fast
            m.withUnsafeBufferPointer { mb in w.withUnsafeBufferPointer { wb in
                WindowDense.forward(m: mb.baseAddress!, stride: stride, pooledLength: pooled, width: width, w: wb.baseAddress!,
                                    bias: 0.25, count: count, step: step, z: &fast)
                WindowDense.forwardNaive(m: mb.baseAddress!, stride: stride, pooledLength: pooled, width: width, w: wb.baseAddress!,
                                         bias: 0.25, count: count, step: step, z: &naive)
                for i in 0..<count {
                    // The dense layer over this window's gathered rows gives the same bits.
                    var x = [Float]()
                    for j in 0..<pooled {
                        let row: Int = i * step + width * j
                        x += m[(row * stride)..<((row + 1) * stride)]
                    }
                    var z: Float = 0, bias: Float = 0.25
                    Dense.forward(x: x, inputs: x.count, w: wb.baseAddress!, bias: &bias, tasks: 1, z: &z)
                    XCTAssertEqual(fast[i], z, "window \(i)")
                    var magnitude: Double = 0.25
                    for k in x.indices { magnitude += Double(abs(x[k] * wb[k])) }
                    XCTAssertLessThanOrEqual(Double(abs(fast[i] - naive[i])), 1e-5 * magnitude, "window \(i) vs reference")
                }
            } }
        }
    }

    /// A 2-layer, 2-task model with random biases, a genome with N runs, a unit span that puts
    /// seams every 37 windows: every base's value equals the per-window network's.
    func testTrackEqualsPerWindowPredictionAtEveryBase() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let arch = Architecture(seqLength: 50, numFilters: [5, 7], convWidth: [5, 4], poolWidth: 7, numTasks: 2)
        let net = try SequenceDNN(architecture: arch, seed: 3)
        var r = RandomSource(seed: 4)
        for i in 0..<2 { try net.setTensor("conv.\(i).bias", (0..<arch.numFilters[i]).map { _ in Float(r.normal() * 0.3) }) }
        try net.setTensor("dense.bias", [0.1, -0.2])
        let modelPath = dir.appendingPathComponent("m.safetensors").path
        try net.save(path: modelPath)
        var chroms: [(String, String)] = []
        for (name, n) in [("c1", 700), ("c2", 49), ("c3", 400)] {
            var s = (0..<n).map { _ in "ACGT".randomElement(using: &r)! }
            if name == "c1" { for k in 300..<304 { s[k] = "N" } }
            if name == "c3" { s[10] = "n" }
            chroms.append((name, String(s)))
        }
        let genome = IOFixture.write(chroms.map { ">\($0.0)\n\($0.1)\n" }.joined(), "g.fa", in: dir)
        for (step, task, logits) in [(1, "task1", false), (3, nil, true)] as [(Int, String?, Bool)] {
            let out = dir.appendingPathComponent("t\(step).bedGraph").path
            var job = GenomeTrackJob(modelPath: modelPath, genomePath: genome, output: out)
            job.step = step; job.task = task; job.logits = logits; job.threads = 2; job.unitSpan = 37
            try job.run(report: { _ in })
            var track: [String: Float] = [:]
            for line in try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n") {
                let f = line.split(separator: "\t")
                for b in Int(f[1])!..<Int(f[2])! where b % step == 0 {
                    XCTAssertNil(track["\(f[0]):\(b)"], "base \(b) written twice")
                    track["\(f[0]):\(b)"] = Float(f[3])!
                }
            }
            let t = task == nil ? 0 : 1
            var expectedCount = 0
            for (name, seq) in chroms {
                let codes = baseCodes(seq)
                for c in stride(from: 0, to: codes.count, by: step) {
                    let o = c - 25
                    let inside = o >= 0 && o + 50 <= codes.count
                    if !inside || codes[o..<(o + 50)].contains(where: { $0 > 3 }) {
                        XCTAssertNil(track["\(name):\(c)"], "\(name):\(c) has a value but its window is off the end or holds N")
                        continue
                    }
                    expectedCount += 1
                    let z = net.logits(codes: Array(codes[o..<(o + 50)]), count: 1)[t]
                    let want = logits ? z : SigmoidCrossEntropy.sigmoid(z)
                    guard let got = track["\(name):\(c)"] else { XCTFail("\(name):\(c) missing (step \(step))"); continue }
                    XCTAssertEqual(got, want, accuracy: 1e-6 * max(1, abs(want)), "\(name):\(c) step \(step)")
                }
            }
            XCTAssertEqual(track.count, expectedCount, "step \(step)")
            XCTAssertGreaterThan(expectedCount, 300 / step)
        }
    }

    func testRegionsAreUnionedAndCheckedAgainstTheGenome() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let genome = IOFixture.write(">a\n" + String(repeating: "ACGT", count: 50) + "\n", "g.fa", in: dir)
        let g = try Genome(path: genome)
        let ok = IOFixture.write("a\t10\t20\na\t15\t30\na\t40\t50\na\t30\t35\n", "r.bed", in: dir)
        XCTAssertEqual(try GenomeTrackJob.mergedRegions(path: ok, genome: g)["a"], [10..<35, 40..<50])
        let absent = IOFixture.write("a\t10\t20\nchrZ\t1\t2\n", "bad.bed", in: dir)
        XCTAssertThrowsMessage(try GenomeTrackJob.mergedRegions(path: absent, genome: g), "bad.bed", "line 2", "chrZ")
        let past = IOFixture.write("a\t190\t260\n", "past.bed", in: dir)
        XCTAssertThrowsMessage(try GenomeTrackJob.mergedRegions(path: past, genome: g), "line 1", "runs off")
    }
}
