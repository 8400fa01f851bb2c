import CHTSlib
@testable import DragonnKit
import Foundation
import XCTest

/// The native bigWig reader: files written by pyBigWig (libBigWig's writer), by the suite's
/// writer and by a hand-made writer with multi-level trees read back interval for interval;
/// truncated and corrupted files end in one-line errors naming the file, never in a crash.
final class BigWigReaderTests: XCTestCase {
    private var dir: URL!
    override func setUp() { dir = IOFixture.scratch(name) }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    typealias Interval = (chrom: String, start: Int, end: Int, value: Float)

    /// Every interval of every chromosome, in the file's order.
    static func readAll(_ path: String) throws -> [Interval] {
        let r = try BigWigReader(path: path)
        var out: [Interval] = []
        for c in r.chromosomes {
            let cursor = try r.cursor(on: c.name, length: c.length)
            while let iv = cursor.current {
                out.append((c.name, iv.start, iv.end, iv.value))
                try cursor.advance()
            }
        }
        return out
    }

    func assertSame(_ a: [Interval], _ b: [Interval], _ what: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, line: line)
        for (x, y) in zip(a, b) where x.chrom != y.chrom || x.start != y.start || x.end != y.end || x.value.bitPattern != y.value.bitPattern {
            return XCTFail("\(what): \(x) != \(y)", line: line)
        }
    }

    /// Runs python3 `script`; its standard output.
    func python(_ script: String, line: UInt = #line) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, e, line: line)
        return text
    }

    /// A pyBigWig file with bedGraph, varStep and fixedStep sections (many blocks: a two-level
    /// R-tree) on a few of 300 chromosomes; pyBigWig's own reading of it, as TSV.
    func pyBigWigFile() throws -> (path: String, expected: [Interval]) {
        let path = dir.appendingPathComponent("py.bw").path
        let tsv = try python("""
            import pyBigWig, random
            random.seed(5)
            bw = pyBigWig.open('\(path)', 'w')
            chroms = [('chr%d' % i, 200000 + i) for i in range(300)]
            bw.addHeader(chroms, maxZooms=3)
            s = sorted(random.sample(range(0, 199000, 3), 30000))
            bw.addEntries(['chr0'] * len(s), s, ends=[x + 1 + random.randrange(2) for x in s], values=[random.uniform(-5, 5) for x in s])
            s = sorted(random.sample(range(0, 199000, 5), 20000))
            bw.addEntries('chr1', s, values=[random.uniform(-5, 5) for x in s], span=4)
            bw.addEntries('chr7', 100, values=[random.uniform(0, 1) for i in range(40000)], span=3, step=4)
            bw.addEntries('chr299', 7, values=[2.5, float('inf'), -0.0], span=1, step=1)
            bw.close()
            bw = pyBigWig.open('\(path)')
            for c in bw.chroms():
                for s, e, v in bw.intervals(c) or ():
                    print('%s\\t%d\\t%d\\t%s' % (c, s, e, float(v).hex()))
            """)
        let expected: [Interval] = tsv.split(separator: "\n").map {
            let f = $0.split(separator: "\t")
            return (String(f[0]), Int(f[1])!, Int(f[2])!, Float(Double(String(f[3]))!))
        }
        return (path, expected)
    }

    func testPyBigWigFileReadsBackAsPyBigWigReadsIt() throws {
        let (path, expected) = try pyBigWigFile()
        XCTAssertEqual(expected.count, 30000 + 20000 + 40000 + 3)
        let r = try BigWigReader(path: path)
        XCTAssertEqual(r.chromosomes.count, 300)
        XCTAssertEqual(r.chromosomes[299].name, "chr299")
        XCTAssertEqual(r.chromosomes[299].length, 200299)
        assertSame(try Self.readAll(path), expected, "pyBigWig file")
        // `length` bounds the intervals a cursor gives (those starting before it).
        let cursor = try r.cursor(on: "chr7", length: 200)
        var got: [Int] = []
        while let iv = cursor.current { got.append(iv.start); try cursor.advance() }
        XCTAssertEqual(got, [100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 144, 148, 152, 156, 160, 164, 168, 172, 176, 180, 184, 188, 192, 196])
        XCTAssertThrowsMessage(try r.cursor(on: "chrX", length: 10), path + ": no chromosome chrX")
    }

    /// The suite's writer, blocks deflated or stored: fixed-step and bedGraph sections.
    func testSuiteWriterFilesReadBack() throws {
        var state: UInt64 = 11
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let chromosomes = [(name: "a", length: 400_000), (name: "empty", length: 10), (name: "b", length: 90_000)]
        var expected: [Interval] = []
        var serial: Float = 0
        for (name, length) in chromosomes where name != "empty" {
            var p = next(30)
            while p < length - 50 {
                let span = 1 + next(3), run = next(2) == 0 ? 1 : 1 + next(300)
                for _ in 0..<run where p + span < length { serial += 1; expected.append((name, p, p + span, serial)); p += span }
                p += next(4)
            }
        }
        for level in [0, 6] {   // data blocks stored (the default) or deflated
            let path = dir.appendingPathComponent("w\(level).bw").path
            let t = try OutputTransaction()
            let w = try TrackWriter(path: path, in: t, chromosomes: chromosomes, bigWigLevel: level)
            for iv in expected { try w.add(chrom: iv.chrom, start: iv.start, end: iv.end, value: iv.value) }
            try w.finish()
            try t.commit()
            let r = try BigWigReader(path: path)
            XCTAssertEqual(r.chromosomes.map(\.name), ["a", "empty", "b"])
            XCTAssertEqual(r.chromosomes.map(\.length), [400_000, 10, 90_000])
            assertSame(try Self.readAll(path), expected, "deflate level \(level)")
        }
    }

    func testHandMadeMultiLevelTreesAndAllSectionTypesReadBack() throws {
        var sections: [HandMadeBigWig.Section] = []
        var expected: [Interval] = []
        let names = (0..<23).map { "chrom\($0)" }
        for (id, name) in names.enumerated() where id % 3 != 1 {
            var p = 5
            for k in 0..<7 {
                let type = UInt8(1 + (id + k) % 3), n = 1 + (id * 7 + k) % 9
                var s = HandMadeBigWig.Section(chrom: UInt32(id), type: type, start: UInt32(p), step: 3, span: 2, items: [])
                for i in 0..<n {
                    let v = Float(id * 100 + k * 10 + i) / 4
                    switch type {
                    case 1: s.items.append((UInt32(p), UInt32(p + 1 + i % 3), v)); expected.append((name, p, p + 1 + i % 3, v)); p += 4
                    case 2: s.items.append((UInt32(p), 0, v)); expected.append((name, p, p + 2, v)); p += 5
                    default: s.items.append((0, 0, v)); expected.append((name, p, p + 2, v)); p += 3
                    }
                }
                sections.append(s)
                p += 2
            }
        }
        for (compress, chromFan, indexFan) in [(true, 2, 2), (false, 3, 4), (true, 100, 100)] {
            let bytes = HandMadeBigWig(chromosomes: names.map { ($0, 1000) }, sections: sections, compress: compress,
                                       chromFan: chromFan, indexFan: indexFan).bytes()
            let path = dir.appendingPathComponent("hand\(chromFan).bw").path
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
            XCTAssertEqual(try BigWigReader(path: path).chromosomes.map(\.name), names)
            assertSame(try Self.readAll(path), expected, "fans \(chromFan) \(indexFan)")
        }
    }

    /// Whether reading `path` ended well: nil when it read, else the error (which must be a
    /// one-line DragonnError naming the file).
    func outcome(_ path: String, line: UInt = #line) -> String? {
        do {
            _ = try Self.readAll(path)
            return nil
        } catch let e as DragonnError {
            XCTAssertTrue(e.description.hasPrefix(path + ": "), e.description, line: line)
            XCTAssertFalse(e.description.contains("\n"), e.description, line: line)
            return e.description
        } catch {
            XCTFail("\(type(of: error)): \(error)", line: line)
            return "\(error)"
        }
    }

    /// A file cut at every length (so at every structure boundary): an error before the index
    /// ends (the zoom levels, after it, are not read), the whole file's intervals after.
    func testEveryTruncationIsAnErrorOrReadsEverything() throws {
        let small = dir.appendingPathComponent("small.bw").path
        let t = try OutputTransaction()
        let w = try TrackWriter(path: small, in: t, chromosomes: [("c1", 5000), ("c2", 300)])
        for i in 0..<200 { try w.add(chrom: "c1", start: i * 7, end: i * 7 + (i % 5 == 0 ? 3 : 7), value: Float(i)) }
        try w.add(chrom: "c2", start: 10, end: 20, value: -1)
        try w.finish()
        try t.commit()
        let hand = dir.appendingPathComponent("hand.bw").path
        var sections: [HandMadeBigWig.Section] = []
        for k in [0, 2, 4, 1, 3, 5] {
            var items: [(UInt32, UInt32, Float)] = []
            for i in 0..<5 { items.append((UInt32(100 * k + 10 * i), UInt32(100 * k + 10 * i + 1), Float(i))) }
            sections.append(HandMadeBigWig.Section(chrom: UInt32(k % 2), type: UInt8(1 + k % 3), start: UInt32(100 * k),
                                                   step: 2, span: 1, items: items))
        }
        _ = FileManager.default.createFile(atPath: hand, contents: Data(HandMadeBigWig(
            chromosomes: [("x", 1000), ("y", 1000), ("z", 10)], sections: sections, compress: false, chromFan: 2, indexFan: 2).bytes()))
        for source in [small, hand] {
            let whole = try Data(contentsOf: URL(fileURLWithPath: source))
            let expected = try Self.readAll(source)
            // The R-tree ends where the first zoom level's data starts (or the file ends).
            let zooms = Int(whole[6]) | Int(whole[7]) << 8
            let indexEnd = zooms > 0 ? whole[72..<80].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } : whole.count
            let cut = dir.appendingPathComponent("cut.bw").path
            var errors = 0
            // Every length up to a little past the index, then the whole file less its last byte.
            for n in Array(0..<min(whole.count, indexEnd + 16)) + [whole.count - 1] {
                _ = FileManager.default.createFile(atPath: cut, contents: whole.prefix(n))
                if let _ = outcome(cut) {
                    errors += 1
                } else {
                    XCTAssertGreaterThanOrEqual(n, indexEnd, "\(source) cut at \(n) read")
                    assertSame(try Self.readAll(cut), expected, "cut at \(n)")
                }
            }
            XCTAssertGreaterThanOrEqual(errors, indexEnd)
        }
    }

    /// Bytes flipped one at a time (three patterns) anywhere in small files: each read ends
    /// in success or a clean error, and the structures' checks catch flips that matter.
    func testFlippedBytesGiveErrorsNotCrashes() throws {
        let (py, _) = try pyBigWigFileSmall()
        let w = dir.appendingPathComponent("w.bw").path
        let t = try OutputTransaction()
        let tw = try TrackWriter(path: w, in: t, chromosomes: [("c1", 900), ("c2", 300)])
        for i in 0..<40 { try tw.add(chrom: "c1", start: i * 9, end: i * 9 + (i % 3 == 0 ? 4 : 9), value: Float(i)) }
        try tw.finish()
        try t.commit()
        var messages = Set<String>()
        for source in [py, w] {
            let whole = try Data(contentsOf: URL(fileURLWithPath: source))
            let fz = dir.appendingPathComponent("fz.bw").path
            // Up to the end of the index: the zoom levels after it are not read.
            let zooms = Int(whole[6]) | Int(whole[7]) << 8
            let indexEnd = zooms > 0 ? whole[72..<80].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } : whole.count
            for i in 0..<indexEnd {
                for mask: UInt8 in [0xFF, 0x01, 0x80] {
                    var d = whole
                    d[i] ^= mask
                    _ = FileManager.default.createFile(atPath: fz, contents: d)
                    if let m = outcome(fz) { messages.insert(String(m.dropFirst(fz.count + 2).prefix(30))) }
                }
            }
        }
        // The header, tree, index and block checks each fired somewhere.
        for fragment in ["not a bigWig", "chromosome tree", "index", "block at offset"] {
            XCTAssertTrue(messages.contains { $0.contains(fragment) }, "no '\(fragment)' among \(messages.sorted())")
        }
    }

    /// A small pyBigWig file (deflated blocks, all three section types).
    func pyBigWigFileSmall() throws -> (String, [Interval]) {
        let path = dir.appendingPathComponent("pysmall.bw").path
        _ = try python("""
            import pyBigWig
            bw = pyBigWig.open('\(path)', 'w')
            bw.addHeader([('c1', 1000), ('c2', 500), ('c3', 400)], maxZooms=1)
            bw.addEntries(['c1'] * 3, [0, 10, 20], ends=[5, 15, 25], values=[1.0, 2.0, 3.0])
            bw.addEntries('c2', [0, 100, 200], values=[1.5, 2.5, 3.5], span=20)
            bw.addEntries('c3', 50, values=[0.5, 0.25, 0.125], span=10, step=30)
            bw.close()
            """)
        return (path, try Self.readAll(path))
    }

    func testMalformedFilesNameTheProblem() throws {
        let hand = HandMadeBigWig(chromosomes: [("x", 100)], sections: [
            .init(chrom: 0, type: 1, start: 0, step: 0, span: 0, items: [(10, 20, 1), (15, 30, 2)])], compress: false, chromFan: 4, indexFan: 4)
        var bytes = hand.bytes()
        let path = dir.appendingPathComponent("m.bw").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertThrowsMessage(try Self.readAll(path), path + ": x:15-30 overlaps or precedes")
        // Past the chromosome's end, empty, big-endian, missing.
        let past = HandMadeBigWig(chromosomes: [("x", 100)], sections: [
            .init(chrom: 0, type: 2, start: 0, step: 0, span: 50, items: [(60, 0, 1)])], compress: true, chromFan: 4, indexFan: 4)
        _ = FileManager.default.createFile(atPath: path, contents: Data(past.bytes()))
        XCTAssertThrowsMessage(try Self.readAll(path), "x:60-110 runs past the chromosome's end (100)")
        let empty = HandMadeBigWig(chromosomes: [("x", 100)], sections: [
            .init(chrom: 0, type: 3, start: 0, step: 1, span: 0, items: [(0, 0, 1)])], compress: true, chromFan: 4, indexFan: 4)
        _ = FileManager.default.createFile(atPath: path, contents: Data(empty.bytes()))
        XCTAssertThrowsMessage(try Self.readAll(path), "x: empty or reversed interval 0-0")
        bytes[0..<4] = [0x88, 0x8F, 0xFC, 0x26]
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        XCTAssertThrowsMessage(try BigWigReader(path: path), path + ": big-endian bigWig files are not supported")
        XCTAssertThrowsMessage(try BigWigReader(path: path + ".none"), path + ".none: no such file")
        XCTAssertThrowsMessage(try BigWigReader(path: dir.path), dir.path + ": not a regular file")
    }

    /// `mergeTracks` and `TrackScore` pass a corrupt shard's error on (one line, naming it).
    func testCallersReportCorruptTracks() throws {
        let (py, _) = try pyBigWigFileSmall()
        var d = try Data(contentsOf: URL(fileURLWithPath: py))
        // The first data block's zlib stream, corrupted: the header's data offset + 8 + a few.
        let dataOffset = d[16..<24].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        for i in (dataOffset + 10)..<(dataOffset + 20) { d[i] ^= 0x5A }
        let bad = dir.appendingPathComponent("bad.bw").path
        _ = FileManager.default.createFile(atPath: bad, contents: d)
        XCTAssertThrowsMessage(try mergeTracks([py, bad], output: dir.appendingPathComponent("o.bedGraph").path), bad + ": block at offset")
        let truth = IOFixture.write("c1\t0\t12\n", "t.bed", in: dir)
        XCTAssertThrowsMessage(try TrackScore(trackPath: bad, truthPath: truth), bad + ": block at offset")
        let score = try TrackScore(trackPath: py, truthPath: truth)
        // c1: 0-5 (1.0) and 10-12 inside, 12-15 (2.0) and 20-25 (3.0) outside; then c2, c3 negatives.
        XCTAssertEqual(score.positives, 7)
        XCTAssertEqual(score.negatives, 3 + 5 + 60 + 30)
    }

    /// `TrackScore` against a per-base reference on random tracks, truths and `within` regions,
    /// and on a track whose one interval covers a 4 Gbp chromosome: counted by ranges, it costs
    /// one entry (per base it would need tens of GB).
    func testTrackScoreCountsBasesByRanges() throws {
        var rng = RandomSource(seed: 4)
        for trial in 0..<6 {
            let path = dir.appendingPathComponent("r\(trial).bw").path
            let t = try OutputTransaction()
            let w = try TrackWriter(path: path, in: t, chromosomes: [("c1", 400), ("c2", 300)])
            var values: [String: [Int: Float]] = [:]
            for chrom in ["c1", "c2"] {
                var p = rng.int(below: 5)
                while p < 280 {
                    let e = p + 1 + rng.int(below: 15), v = Float(rng.int(below: 4))
                    try w.add(chrom: chrom, start: p, end: e, value: v)
                    for b in p..<e { values[chrom, default: [:]][b] = v }
                    p = e + rng.int(below: 4)
                }
            }
            try w.finish()
            try t.commit()
            func bed(_ name: String) -> (String, [String: [Range<Int>]]) {
                var text = "", ranges: [String: [Range<Int>]] = [:]
                for _ in 0..<(1 + rng.int(below: 6)) {
                    let chrom = rng.int(below: 3) == 0 ? "c2" : "c1", s = rng.int(below: 300), e = s + 1 + rng.int(below: 40)
                    text += "\(chrom)\t\(s)\t\(e)\n"
                    ranges[chrom, default: []].append(s..<e)
                }
                return (IOFixture.write(text, name, in: dir), ranges)
            }
            let (truth, positive) = bed("t\(trial).bed"), (within, keep) = bed("w\(trial).bed")
            for useWithin in [false, true] {
                var labels: [Bool] = [], scores: [Double] = []
                for chrom in ["c1", "c2"] {
                    for (b, v) in values[chrom, default: [:]].sorted(by: { $0.key < $1.key }) {
                        if useWithin && !(keep[chrom] ?? []).contains(where: { $0.contains(b) }) { continue }
                        labels.append((positive[chrom] ?? []).contains { $0.contains(b) })
                        scores.append(Double(v))
                    }
                }
                let score = try TrackScore(trackPath: path, truthPath: truth, withinPath: useWithin ? within : nil)
                XCTAssertEqual(score.positives, labels.filter { $0 }.count, "trial \(trial) within \(useWithin)")
                XCTAssertEqual(score.negatives, labels.filter { !$0 }.count, "trial \(trial) within \(useWithin)")
                let ap = averagePrecision(labels: labels, scores: scores), auc = areaUnderROC(labels: labels, scores: scores)
                if ap.isNaN || score.positives == 0 || score.negatives == 0 { XCTAssertTrue(score.auPRC.isNaN) } else {
                    XCTAssertEqual(score.auPRC, ap, accuracy: 1e-12)
                    XCTAssertEqual(score.auROC, auc, accuracy: 1e-12)
                }
            }
        }
        // Hand-made (no zoom levels: the suite's writer would summarise all 4 Gbp).
        let huge = dir.appendingPathComponent("huge.bw").path
        let section = HandMadeBigWig.Section(chrom: 0, type: 1, start: 0, step: 0, span: 0,
                                             items: [(0, 3_000_000_000, 2), (3_000_000_000, 4_000_000_000, 1)])
        _ = FileManager.default.createFile(atPath: huge, contents: Data(HandMadeBigWig(
            chromosomes: [("big", 4_000_000_000)], sections: [section], compress: true, chromFan: 2, indexFan: 2).bytes()))
        let truth = IOFixture.write("big\t100\t200\nbig\t3999999000\t4000000000\n", "huge.bed", in: dir)
        let score = try TrackScore(trackPath: huge, truthPath: truth)
        XCTAssertEqual(score.positives, 1100)
        XCTAssertEqual(score.negatives, 4_000_000_000 - 1100)
        // Positives: 100 of them score 2 (with 3e9 − 100 negatives), 1000 score 1 (below all of those).
        XCTAssertEqual(score.auPRC, 100.0 / 3e9 * 100 / 1100 + (1100.0 / 4e9) * 1000 / 1100, accuracy: 1e-12)
    }
}

/// A bigWig written field by field for the reader's tests: chromosome B+ tree and data R-tree
/// with any fan-out (so several levels), one section per block, blocks deflated or stored, no
/// zoom levels.
struct HandMadeBigWig {
    struct Section {
        var chrom: UInt32, type: UInt8, start: UInt32, step: UInt32, span: UInt32
        /// (start, end, value): bedGraph uses all three, varStep start and value, fixedStep the value.
        var items: [(UInt32, UInt32, Float)]
    }
    var chromosomes: [(String, Int)]
    var sections: [Section]
    var compress: Bool
    var chromFan: Int, indexFan: Int

    private func put<T: FixedWidthInteger>(_ b: inout [UInt8], _ v: T) { withUnsafeBytes(of: v.littleEndian) { b += $0 } }

    func bytes() -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 64)
        let chromTree = UInt64(b.count)
        b += chromTreeBytes(at: chromTree)
        let dataOffset = UInt64(b.count)
        put(&b, UInt64(sections.count))
        var entries: [(UInt32, UInt32, UInt32, UInt64, UInt64)] = []
        var maxRaw = 0
        for s in sections {
            var raw: [UInt8] = []
            let first = s.type == 3 ? s.start : s.items.first?.0 ?? 0
            put(&raw, s.chrom); put(&raw, first); put(&raw, first + 1); put(&raw, s.step); put(&raw, s.span)
            raw.append(s.type); raw.append(0); put(&raw, UInt16(s.items.count))
            for (st, en, v) in s.items {
                if s.type == 1 { put(&raw, st); put(&raw, en) }
                if s.type == 2 { put(&raw, st) }
                put(&raw, v.bitPattern)
            }
            maxRaw = max(maxRaw, raw.count)
            let block = compress ? deflated(raw) : raw
            entries.append((s.chrom, first, first + 1, UInt64(b.count), UInt64(block.count)))
            b += block
        }
        let indexOffset = UInt64(b.count)
        b += rTreeBytes(entries, at: indexOffset)
        var h: [UInt8] = []
        put(&h, UInt32(0x888F_FC26)); put(&h, UInt16(4)); put(&h, UInt16(0))
        put(&h, chromTree); put(&h, dataOffset); put(&h, indexOffset)
        put(&h, UInt16(0)); put(&h, UInt16(0)); put(&h, UInt64(0)); put(&h, UInt64(0))
        put(&h, UInt32(compress ? max(maxRaw, 1) : 0)); put(&h, UInt64(0))
        b.replaceSubrange(0..<64, with: h)
        return b
    }

    /// `raw` as one zlib stream (zlib's compress2).
    private func deflated(_ raw: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(compressBound(uLong(raw.count))))
        var n = uLong(out.count)
        XCTAssertEqual(compress2(&out, &n, raw, uLong(raw.count), 6), Z_OK)
        return Array(out.prefix(Int(n)))
    }

    /// B+ tree: leaves of `chromFan` keys, internal nodes of `chromFan` children, top level first.
    private func chromTreeBytes(at base: UInt64) -> [UInt8] {
        let keySize = chromosomes.map { $0.0.utf8.count }.max()!
        func key(_ name: String) -> [UInt8] { Array(name.utf8) + [UInt8](repeating: 0, count: keySize - name.utf8.count) }
        // levels[0]: chromosome indices; each level above groups the one below.
        var levels: [[[Int]]] = [stride(from: 0, to: chromosomes.count, by: chromFan).map { Array($0..<min($0 + chromFan, chromosomes.count)) }]
        while levels.last!.count > 1 {
            let below = levels.last!.count
            levels.append(stride(from: 0, to: below, by: chromFan).map { Array($0..<min($0 + chromFan, below)) })
        }
        var offsets: [[UInt64]] = Array(repeating: [], count: levels.count)
        var o = base + 32
        for h in stride(from: levels.count - 1, through: 0, by: -1) {
            for node in levels[h] { offsets[h].append(o); o += 4 + UInt64(node.count * (keySize + 8)) }
        }
        var b: [UInt8] = []
        put(&b, UInt32(0x78CA_8C91)); put(&b, UInt32(chromFan)); put(&b, UInt32(keySize)); put(&b, UInt32(8))
        put(&b, UInt64(chromosomes.count)); put(&b, UInt64(0))
        // The first chromosome under a node (its key).
        func firstLeafKey(_ h: Int, _ j: Int) -> Int { h == 0 ? levels[0][j][0] : firstLeafKey(h - 1, levels[h][j][0]) }
        for h in stride(from: levels.count - 1, through: 0, by: -1) {
            for node in levels[h] {
                b.append(h == 0 ? 1 : 0); b.append(0); put(&b, UInt16(node.count))
                for i in node {
                    if h == 0 { b += key(chromosomes[i].0); put(&b, UInt32(i)); put(&b, UInt32(chromosomes[i].1)) }
                    else { b += key(chromosomes[firstLeafKey(h - 1, i)].0); put(&b, offsets[h - 1][i]) }
                }
            }
        }
        return b
    }

    /// R-tree: leaves of `indexFan` blocks, internal nodes of `indexFan` children, top level first.
    private func rTreeBytes(_ entries: [(UInt32, UInt32, UInt32, UInt64, UInt64)], at base: UInt64) -> [UInt8] {
        typealias B = (sc: UInt32, sb: UInt32, ec: UInt32, eb: UInt32)
        var bounds: [[B]] = [entries.map { ($0.0, $0.1, $0.0, $0.2) }]
        var groups: [[[Int]]] = []
        repeat {
            let below = bounds.last!
            let g = stride(from: 0, to: below.count, by: indexFan).map { Array($0..<min($0 + indexFan, below.count)) }
            groups.append(g)
            bounds.append(g.map { ($0.map { below[$0].sc }.min()!, below[$0[0]].sb, $0.map { below[$0].ec }.max()!, below[$0.last!].eb) })
        } while groups.last!.count > 1
        var offsets: [[UInt64]] = Array(repeating: [], count: groups.count)
        var o = base + 48
        for h in stride(from: groups.count - 1, through: 0, by: -1) {
            for node in groups[h] { offsets[h].append(o); o += 4 + UInt64(node.count * (h == 0 ? 32 : 24)) }
        }
        var b: [UInt8] = []
        put(&b, UInt32(0x2468_ACE0)); put(&b, UInt32(indexFan)); put(&b, UInt64(entries.count))
        for _ in 0..<4 { put(&b, UInt32(0)) }
        put(&b, base); put(&b, UInt32(1)); put(&b, UInt32(0))
        for h in stride(from: groups.count - 1, through: 0, by: -1) {
            for node in groups[h] {
                b.append(h == 0 ? 1 : 0); b.append(0); put(&b, UInt16(node.count))
                for i in node {
                    let t = bounds[h][i]
                    put(&b, t.sc); put(&b, t.sb); put(&b, t.ec); put(&b, t.eb)
                    if h == 0 { put(&b, entries[i].3); put(&b, entries[i].4) } else { put(&b, offsets[h - 1][i]) }
                }
            }
        }
        return b
    }
}
