@testable import DragonnKit
import Foundation
import XCTest

/// A labelled window read back from a written split.
private struct Record: Equatable {
    var chrom: String
    var start: Int
    var end: Int
    var suffix: String
    var labels: [Int]
    var bases: [UInt8]

    var gc: Double {
        Double(bases.filter { $0 == UInt8(ascii: "G") || $0 == UInt8(ascii: "C") }.count) / Double(bases.count)
    }
}

final class TrainingSetTests: XCTestCase {
    private var dir: URL!

    override func setUp() { dir = IOFixture.scratch() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Writes a plain FASTA genome: chromosome `name` of `length` bp whose GC fraction is
    /// `gc(position)` (constant per 10 kb block), with an N run where `nRun` says.
    @discardableResult
    private func writeGenome(_ chroms: [(String, Int)], gc: (Int) -> Double = { _ in 0.4 }, nRun: Range<Int>? = nil,
                             name: String = "g.fa", seed: UInt64 = 9) -> [String: [UInt8]] {
        var rng = RandomSource(seed: seed)
        var text = "", all: [String: [UInt8]] = [:]
        for (c, n) in chroms {
            var bases = [UInt8](repeating: 0, count: n)
            var p = 0
            while p < n {
                let m = min(10_000, n - p)
                bases.withUnsafeMutableBufferPointer { Background(gcFraction: gc(p)).fill($0.baseAddress! + p, count: m, using: &rng) }
                p += m
            }
            if let nRun, c == chroms[0].0 { for i in nRun { bases[i] = UInt8(ascii: "N") } }
            all[c] = bases
            text += ">\(c)\n"
            var i = 0
            while i < n { text += String(decoding: bases[i..<min(n, i + 60)], as: UTF8.self) + "\n"; i += 60 }
        }
        IOFixture.write(text, name, in: dir)
        return all
    }

    private func writePeaks(_ rows: [(String, Int, Int, Int?)], name: String) -> String {
        IOFixture.write(rows.map { r in
            r.3.map { "\(r.0)\t\(r.1)\t\(r.2)\tp\t0\t.\t0\t-1\t-1\t\($0)" } ?? "\(r.0)\t\(r.1)\t\(r.2)"
        }.joined(separator: "\n") + "\n", name, in: dir)
    }

    private func read(_ file: String) throws -> [Record] {
        let reader = try LineReader(path: file)
        var out: [Record] = []
        while let header = try reader.next() {
            let bases = Array(try XCTUnwrap(reader.next()).utf8)
            let parts = header.dropFirst().split(separator: " ")
            let name = String(parts[0])
            let colon = name.lastIndex(of: ":")!, dash = name.lastIndex(of: "-")!
            let endText = name[name.index(after: dash)...]
            let end = Int(endText.prefix { $0.isNumber })!
            out.append(Record(chrom: String(name[..<colon]), start: Int(name[name.index(after: colon)..<dash])!, end: end,
                              suffix: String(endText.drop { $0.isNumber }),
                              labels: parts[1].dropFirst("labels=".count).split(separator: ",").map { Int($0)! }, bases: bases))
        }
        return out
    }

    /// A genome of GC-poor and GC-rich blocks with peaks only in the rich ones: the negatives'
    /// mean GC matches the positives' within 0.01 (uniform windows would be ~0.07 lower).
    func testGCMatchedNegativesMatchThePositives() throws {
        let chroms = (1...3).map { ("chr\($0)", 400_000) }
        writeGenome(chroms, gc: { ($0 / 10_000) % 4 == 0 ? 0.55 : 0.38 })
        var rng = RandomSource(seed: 4)
        var rows: [(String, Int, Int, Int?)] = []
        for (c, _) in chroms {
            for block in stride(from: 0, to: 400_000, by: 40_000) {
                for _ in 0..<6 {
                    let s = block + 600 + rng.int(below: 8_000)
                    rows.append((c, s, s + 300, rng.int(below: 300)))
                }
            }
        }
        let peaks = writePeaks(rows, name: "rich.narrowPeak")
        var spec = TrainingSetSpec(genome: path("g.fa"), peaks: [peaks], prefix: path("s"))
        spec.validChroms = ["chr3"]
        spec.seed = 3
        let summary = try TrainingSetJob.run(spec, quiet: true)
        let train = try read(path("s.train.fa.gz")), valid = try read(path("s.valid.fa.gz"))
        for split in [train, valid] {
            let pos = split.filter { $0.labels == [1] }, neg = split.filter { $0.labels == [0] }
            XCTAssertEqual(pos.count, neg.count)
            let mp = pos.map(\.gc).reduce(0, +) / Double(pos.count), mn = neg.map(\.gc).reduce(0, +) / Double(neg.count)
            XCTAssertGreaterThan(mp, 0.5)
            XCTAssertEqual(mp, mn, accuracy: 0.01, "positives \(mp) negatives \(mn)")
        }
        XCTAssertEqual(summary.meanGCPositives, summary.meanGCNegatives, accuracy: 0.01)
        XCTAssertEqual(summary.positives[0] + summary.positives[1], rows.count)
    }

    /// Labels follow the centre rule for every task (checked against a naive scan of all summits);
    /// negatives touch no peak and hold no N; splits keep to their chromosomes and windows are sorted.
    func testLabelsHoldOutAndNegatives() throws {
        let bases = writeGenome([("chr1", 120_000), ("chr2", 100_000), ("chr3", 90_000)], nRun: 50_000..<70_000)
        var rng = RandomSource(seed: 8)
        var a: [(String, Int, Int, Int?)] = [], b: [(String, Int, Int, Int?)] = []
        for c in ["chr1", "chr2", "chr3"] {
            for _ in 0..<25 {
                let s = 1_000 + rng.int(below: 80_000)
                a.append((c, s, s + 200, 100))
                // Task b: sometimes near a's summit (inside or outside the centre), sometimes alone.
                let o = [0, 60, 99, 101, 150, 3_000][rng.int(below: 6)]
                b.append((c, s + 100 + o - 50, s + 100 + o + 50, nil))
            }
        }
        a.append(("chr1", 100, 300, 100))   // its window falls off the start
        let pa = writePeaks(a, name: "a.narrowPeak"), pb = writePeaks(b, name: "b.bed")
        var spec = TrainingSetSpec(genome: path("g.fa"), peaks: ["A=" + pa, pb], prefix: path("t"))
        spec.validChroms = ["chr2"]
        spec.testChroms = ["chr3"]
        spec.negRatio = 2
        let summary = try TrainingSetJob.run(spec, quiet: true)
        XCTAssertEqual(summary.taskNames, ["A", "b"])
        XCTAssertEqual(summary.offEnd, 1)
        let summits = [a.map { ($0.0, $0.1 + $0.3!) }, b.map { ($0.0, ($0.1 + $0.2) / 2) }]
        let intervals = (a + b).map { ($0.0, $0.1, $0.2) }
        for (split, chrom) in [("train", "chr1"), ("valid", "chr2"), ("test", "chr3")] {
            let records = try read(path("t.\(split).fa.gz"))
            XCTAssertFalse(records.isEmpty)
            XCTAssertTrue(records.allSatisfy { $0.chrom == chrom && $0.end - $0.start == 1000 }, split)
            XCTAssertEqual(records.map(\.start), records.map(\.start).sorted(), "\(split) in genome order")
            var pos = 0, neg = 0
            for r in records {
                XCTAssertEqual(r.bases, Array(bases[chrom]![r.start..<r.end]), "bases of \(r.chrom):\(r.start)")
                let touches = intervals.contains { $0.0 == r.chrom && $0.1 < r.end && r.start < $0.2 }
                let expected = summits.map { task in
                    task.contains { $0.0 == r.chrom && (r.start + 400..<r.start + 600).contains($0.1) } ? 1 : 0
                }
                if r.labels == [0, 0] && !touches {
                    neg += 1
                    XCTAssertFalse(r.bases.contains(UInt8(ascii: "N")))
                } else {
                    pos += 1
                    XCTAssertEqual(r.labels, expected, "labels of \(r.chrom):\(r.start)")
                    XCTAssertTrue(r.labels.contains(1))
                }
            }
            XCTAssertEqual(neg, 2 * pos, split)
        }
        XCTAssertGreaterThan(summary.perTask[0][1], 0)
        XCTAssertLessThan(summary.perTask[0][1], summary.positives[0], "task b is not positive everywhere")
    }

    /// Same seed, same bytes; another seed, other negatives. Flank negatives sit 1-4 lengths from a
    /// positive; shuffles keep their positive's base counts.
    func testSeedFlankAndShuffle() throws {
        writeGenome([("chr1", 200_000), ("chr2", 200_000)])
        var rng = RandomSource(seed: 2)
        let rows = (0..<40).map { i -> (String, Int, Int, Int?) in
            let s = 5_000 + rng.int(below: 190_000 - 10_000)
            return (i % 2 == 0 ? "chr1" : "chr2", s, s + 100, 50)
        }
        let peaks = writePeaks(rows, name: "p.narrowPeak")
        func run(_ prefix: String, seed: UInt64, _ kind: NegativeKind) throws -> Data {
            var spec = TrainingSetSpec(genome: path("g.fa"), peaks: [peaks], prefix: path(prefix))
            spec.seed = seed
            spec.negatives = kind
            spec.length = 500
            spec.npy = true
            try TrainingSetJob.run(spec, quiet: true)
            return try Data(contentsOf: URL(fileURLWithPath: path(prefix + ".train.fa.gz")))
                + Data(contentsOf: URL(fileURLWithPath: path(prefix + ".train.npy")))
        }
        XCTAssertEqual(try run("a", seed: 1, .gcMatched), try run("b", seed: 1, .gcMatched))
        XCTAssertNotEqual(try run("a", seed: 1, .gcMatched), try run("c", seed: 2, .gcMatched))

        _ = try run("f", seed: 1, .flank)
        let flank = try read(path("f.train.fa.gz"))
        let positives = flank.filter { $0.labels == [1] }
        for r in flank where r.labels == [0] {
            XCTAssertTrue(positives.contains { p in p.chrom == r.chrom && [1, 2, 3, 4].contains(abs(r.start - p.start) / 500)
                && abs(r.start - p.start) % 500 == 0 }, "flank \(r.chrom):\(r.start)")
        }
        XCTAssertEqual(flank.count, 2 * positives.count)

        _ = try run("h", seed: 1, .shuffle)
        let shuffled = try read(path("h.train.fa.gz"))
        for r in shuffled where r.suffix == "_shuffle1" {
            XCTAssertEqual(r.labels, [0])
            let p = try XCTUnwrap(shuffled.first { $0.chrom == r.chrom && $0.start == r.start && $0.suffix.isEmpty })
            XCTAssertEqual(r.bases.sorted(), p.bases.sorted())
            XCTAssertNotEqual(r.bases, p.bases)
        }
        XCTAssertEqual(shuffled.filter { $0.suffix == "_shuffle1" }.count, shuffled.count / 2)
    }

    /// Held genomes are read ahead on a background thread, larger ones read twice in the
    /// foreground: both give the same bytes for every kind of negatives, and a chromosome too
    /// short for a window (never read) changes nothing.
    func testReadAheadAndStreamingGiveTheSameBytes() throws {
        writeGenome([("chr1", 150_000), ("chrS", 400), ("chr2", 120_000), ("chr3", 90_000)], nRun: 20_000..<30_000)
        var rng = RandomSource(seed: 21)
        let rows = (0..<60).map { i -> (String, Int, Int, Int?) in
            let c = ["chr1", "chr2", "chr3"][i % 3]
            let s = 2_000 + rng.int(below: 80_000)
            return (c, s, s + 200, rng.int(below: 200))
        }
        let peaks = writePeaks(rows, name: "p.narrowPeak")
        for kind in NegativeKind.allCases {
            var outputs: [Data] = []
            for keepLimit in [Int.max, 0] {
                let prefix = "\(kind.rawValue)-\(keepLimit)"
                var spec = TrainingSetSpec(genome: path("g.fa"), peaks: [peaks], prefix: path(prefix))
                spec.validChroms = ["chr3"]
                spec.negatives = kind
                spec.negRatio = 1.5
                spec.npy = true
                spec.keepLimit = keepLimit
                try TrainingSetJob.run(spec, quiet: true)
                outputs.append(try spec.outputPaths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }.reduce(Data(), +))
            }
            XCTAssertGreaterThan(outputs[0].count, 100_000, kind.rawValue)
            XCTAssertEqual(outputs[0], outputs[1], "\(kind.rawValue): read ahead vs streamed")
        }
    }

    /// A genome shorter than its index says fails with one line, whether the chromosome is read
    /// on the background thread or in the foreground, and leaves no output.
    func testTruncatedGenomeFailsOnBothPaths() throws {
        writeGenome([("chr1", 60_000), ("chr2", 60_000)])
        _ = try Genome(path: path("g.fa"))   // builds g.fa.fai
        let good = writePeaks([("chr1", 10_000, 10_200, 100), ("chr2", 10_000, 10_200, 100)], name: "good.bed")
        // Cut the FASTA inside chr2, keeping the index's time stamp ahead of it (so it is used).
        IOFixture.run("/bin/sh", ["-c", "truncate -s 100000 \(path("g.fa")) && touch -d '-1 hour' \(path("g.fa"))"])
        for keepLimit in [Int.max, 0] {
            var spec = TrainingSetSpec(genome: path("g.fa"), peaks: [good], prefix: path("cut"))
            spec.keepLimit = keepLimit
            XCTAssertThrowsError(try TrainingSetJob.run(spec, quiet: true)) { error in
                XCTAssertTrue("\(error)".contains("chr2"), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"), "\(error)")
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("cut") }
            XCTAssertEqual(left, [], "outputs left behind")
        }
    }

    /// Bad input: one-line errors naming file and line, and no output left behind.
    func testBadInputLeavesNoOutput() throws {
        writeGenome([("chr1", 50_000), ("chr2", 50_000)])
        let good = writePeaks([("chr1", 10_000, 10_200, 100)], name: "good.bed")
        func fails(_ peaks: [String], _ fragments: String..., change: (inout TrainingSetSpec) -> Void = { _ in }) {
            var spec = TrainingSetSpec(genome: path("g.fa"), peaks: peaks, prefix: path("bad"))
            spec.validChroms = ["chr2"]
            change(&spec)
            do {
                try TrainingSetJob.run(spec, quiet: true)
                XCTFail("expected an error containing \(fragments)")
            } catch {
                for f in fragments { XCTAssertTrue("\(error)".contains(f), "'\(error)' lacks '\(f)'") }
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains("bad") }) ?? []
            XCTAssertEqual(left, [], "outputs left behind")
        }
        let missing = writePeaks([("chr1", 10_000, 10_200, 100), ("chrX", 10, 20, nil)], name: "missing.bed")
        fails([missing], "missing.bed: line 2", "chrX", "--skip-missing")
        let past = writePeaks([("chr1", 10_000, 10_200, 100), ("chr2", 49_900, 50_100, nil)], name: "past.bed")
        fails([past], "past.bed: line 2", "past the end of chr2")
        IOFixture.write("# nothing\n", "empty.bed", in: dir)
        fails([path("empty.bed")], "empty.bed", "no peaks")
        fails([good], "chr2", "both --valid-chroms and --test-chroms") { $0.testChroms = ["chr2"] }
        fails([good], "--test-chroms", "chr9", "not in the genome") { $0.testChroms = ["chr9"] }
        fails([good, good], "named twice")
        IOFixture.run("/bin/sh", ["-c", "gzip -c \(path("g.fa")) > \(path("plain.fa.gz"))"])
        fails([good], "plain.fa.gz", "not BGZF", "bgzip") { $0.genome = self.path("plain.fa.gz") }
        // --skip-missing: the chrX peak is counted, the rest written.
        var spec = TrainingSetSpec(genome: path("g.fa"), peaks: [missing], prefix: path("skip"))
        spec.skipMissing = true
        let summary = try TrainingSetJob.run(spec, quiet: true)
        XCTAssertEqual(summary.skippedMissing, 1)
        XCTAssertEqual(summary.positives[0], 1)
    }

    /// The interval set answers overlap queries as a naive scan does.
    func testIntervalSetAgainstNaiveScan() {
        var rng = RandomSource(seed: 5)
        let intervals = (0..<200).map { _ -> (start: Int, end: Int) in
            let s = rng.int(below: 10_000)
            return (s, s + rng.int(below: 80))
        }
        let set = IntervalSet(intervals)
        for _ in 0..<5000 {
            let s = rng.int(below: 10_100), e = s + 1 + rng.int(below: 50)
            XCTAssertEqual(set.overlaps(s, e), intervals.contains { $0.start < e && s < $0.end && $0.end > $0.start }, "\(s)-\(e)")
        }
    }

    /// The bucket index answers as a naive scan does at very different densities: sparse and
    /// dense intervals, one huge interval, queries before, inside and past them.
    func testIntervalSetBucketsAtAnyDensity() {
        var rng = RandomSource(seed: 6)
        for (count, span, width) in [(1, 1_000_000, 10), (3, 100, 90), (50, 10_000_000, 5_000), (400, 5_000, 3), (10, 1 << 40, 1 << 30)] {
            let intervals = (0..<count).map { _ -> (start: Int, end: Int) in
                let s = rng.int(below: span)
                return (s, s + rng.int(below: width + 1))
            }
            let set = IntervalSet(intervals)
            for _ in 0..<3000 {
                let s = rng.int(below: span + span / 10 + 2) - span / 20, e = s + 1 + rng.int(below: max(1, width))
                XCTAssertEqual(set.overlaps(s, e), intervals.contains { $0.start < e && s < $0.end && $0.end > $0.start },
                               "\(count) in \(span): \(s)-\(e)")
            }
        }
        XCTAssertFalse(IntervalSet([]).overlaps(0, 10))
    }

    /// The draw deduplicator keeps exactly the keys `Set` keeps, through growth past its sizing.
    func testPositionSetAgainstSet() {
        var rng = RandomSource(seed: 7)
        var fast = PositionSet(capacity: 100), reference = Set<Int>()
        for i in 0..<20_000 {
            let key = i % 7 == 0 ? rng.int(below: 50) : rng.int(below: 1 << 40)
            XCTAssertEqual(fast.insert(key), reference.insert(key).inserted, "key \(key)")
        }
        XCTAssertEqual(fast.count, reference.count)
    }

    /// Batched uniform draws give the candidates, in order, of a naive one-at-a-time loop (with a
    /// `Set` of drawn windows), and leave the generator where that loop leaves it: on a roomy
    /// genome, and on one so full of peaks that the try limit ends the drawing.
    func testUniformDrawsMatchANaiveLoop() {
        for (lengths, peakEvery, full) in [([90_000, 60_000, 30_000, 500], 4_000, false), ([40_000, 20_000], 1_320, true)] {
            var spec = TrainingSetSpec(genome: "unused", peaks: ["unused"], prefix: "unused")
            spec.length = 1000
            spec.negRatio = 1.5
            spec.validChroms = ["c1"]
            let splitOf = lengths.indices.map { $0 == 1 ? 1 : 0 }
            let peaks = lengths.map { n in stride(from: 700, to: n, by: peakEvery).map { (start: $0, end: $0 + 300) } }
            let peakSets = peaks.map(IntervalSet.init), blacklist = lengths.map { _ in IntervalSet([(start: 5_000, end: 5_100)]) }
            let positives = peaks.map { $0.map(\.start) }
            var sampler = NegativeSampler(spec: spec, lengths: lengths, splitOf: splitOf, peakSets: peakSets, blacklist: blacklist)
            var rng = RandomSource(seed: 17)
            sampler.drawUniform(positives: positives, using: &rng)

            var naiveRng = RandomSource(seed: 17)
            var expected: [(Int, Int)] = []
            for split in [0, 1] {
                let chroms = lengths.indices.filter { splitOf[$0] == split && lengths[$0] >= spec.length }
                let npos = lengths.indices.filter { splitOf[$0] == split }.reduce(0) { $0 + positives[$1].count }
                let wanted = 8 * Int((spec.negRatio * Double(npos)).rounded()) + 256
                let total = chroms.reduce(0) { $0 + lengths[$1] - spec.length + 1 }
                var seen = Set<Int>(), got = 0, tries = 0
                while got < wanted && tries < 20 * wanted {
                    tries += 1
                    var x = naiveRng.int(below: total), k = 0
                    while x >= lengths[chroms[k]] - spec.length + 1 { x -= lengths[chroms[k]] - spec.length + 1; k += 1 }
                    let c = chroms[k], s = x
                    let touches = (peaks[c] + [(start: 5_000, end: 5_100)]).contains { $0.start < s + spec.length && s < $0.end }
                    guard !touches, seen.insert(c << 40 | s).inserted else { continue }
                    expected.append((c, s)); got += 1
                }
                XCTAssertGreaterThan(got, 0)
                XCTAssertEqual(got < wanted, full, "the try limit ends split \(split) when peaks leave little room")
            }
            XCTAssertEqual(sampler.chrom, expected.map(\.0), "peaks every \(peakEvery)")
            XCTAssertEqual(sampler.start, expected.map(\.1), "peaks every \(peakEvery)")
            XCTAssertEqual(rng.next(), naiveRng.next(), "generator state, peaks every \(peakEvery)")
        }
    }

    func testPeakArgumentNames() {
        XCTAssertTrue(TaskPeaks.parseArgument("ctcf=a/b.bed") == ("ctcf", "a/b.bed"))
        XCTAssertTrue(TaskPeaks.parseArgument("dir=x/peaks.narrowPeak.gz") == ("dir", "x/peaks.narrowPeak.gz"))
        XCTAssertTrue(TaskPeaks.parseArgument("a/k=v/tal1.narrowPeak.gz") == ("tal1", "a/k=v/tal1.narrowPeak.gz"))
        XCTAssertTrue(TaskPeaks.parseArgument("gata.bed") == ("gata", "gata.bed"))
    }
}

final class GCCountTests: XCTestCase {
    /// The packed count equals a naive count for lengths from 0 up, with lower case, N and other
    /// bytes mixed in.
    func testAgainstNaiveCount() {
        var rng = RandomSource(seed: 12)
        let alphabet = Array("ACGTacgtNnRY-".utf8)
        for n in [0, 1, 31, 32, 33, 63, 64, 1000, 255 * 32, 255 * 32 + 1, 20_000] {
            let bases = (0..<n).map { _ in alphabet[rng.int(below: rng.int(below: 4) == 0 ? alphabet.count : 4)] }
            var gc = 0, acgt = 0
            for b in bases {
                if "GCgc".utf8.contains(b) { gc += 1 }
                if "ACGTacgt".utf8.contains(b) { acgt += 1 }
            }
            let got = bases.withUnsafeBufferPointer { gcCount($0) }
            XCTAssertEqual(got.gc, gc, "length \(n)")
            XCTAssertEqual(got.acgt, acgt, "length \(n)")
        }
        // A long run of G: the low half of the packed sum does not spill into the high half.
        let g = [UInt8](repeating: UInt8(ascii: "G"), count: 300 * 32)
        XCTAssertEqual(g.withUnsafeBufferPointer { gcCount($0).gc }, 300 * 32)
    }
}

extension GCCountTests {
    /// One index reused from a longer sequence to shorter and longer ones (the storage a longer
    /// chromosome left behind must not leak into a shorter one's counts) matches direct scans.
    func testReindexedBlockIndexAgainstDirectCount() {
        var rng = RandomSource(seed: 14)
        let alphabet = Array("ACGTacgtNn".utf8)
        var index = GCIndex(UnsafeBufferPointer(start: nil, count: 0))
        for length in [7000, 1300, 64, 5, 0, 4100] {
            let bases = (0..<length).map { _ in alphabet[rng.int(below: alphabet.count)] }
            bases.withUnsafeBufferPointer { b in
                index.reindex(b)
                for _ in 0..<500 {
                    let s = rng.int(below: length + 1), e = s + rng.int(below: length + 1 - s)
                    let direct = gcCount(UnsafeBufferPointer(rebasing: b[s..<e]))
                    let fast = index.count(s, e)
                    XCTAssertTrue(direct == fast, "length \(length), \(s)-\(e): \(direct) vs \(fast)")
                }
            }
        }
    }

    /// Mapped buffers: zeroed ones read zero (mapped and heap sizes), every byte is writable,
    /// and a shrunk buffer reports its new size.
    func testMappedBufferZeroedAndWritable() {
        for size in [1, 4096, (1 << 20) + 3, 3 << 21] {
            let b = MappedBuffer(count: size, zeroed: true)
            XCTAssertEqual(b.count, size)
            XCTAssertTrue(b.buffer.allSatisfy { $0 == 0 }, "size \(size)")
            for i in stride(from: 0, to: size, by: 4093) { b.base[i] = UInt8(truncatingIfNeeded: i) }
            b.base[size - 1] = 7
            XCTAssertEqual(b.base[size - 1], 7)
            if size > 4094 { XCTAssertEqual(b.base[4093], UInt8(truncatingIfNeeded: 4093)) }
            b.shrink(to: size / 2)
            XCTAssertEqual(b.buffer.count, size / 2)
        }
    }

    /// The block index gives the counts of a direct scan for windows at every alignment.
    func testBlockIndexAgainstDirectCount() {
        var rng = RandomSource(seed: 13)
        let alphabet = Array("ACGTacgtNn".utf8)
        let bases = (0..<5000).map { _ in alphabet[rng.int(below: alphabet.count)] }
        bases.withUnsafeBufferPointer { b in
            let index = GCIndex(b)
            for _ in 0..<2000 {
                let s = rng.int(below: 5000), e = s + rng.int(below: 5001 - s)
                let direct = gcCount(UnsafeBufferPointer(rebasing: b[s..<e]))
                let fast = index.count(s, e)
                XCTAssertTrue(direct == fast, "\(s)-\(e): \(direct) vs \(fast)")
            }
        }
    }
}
