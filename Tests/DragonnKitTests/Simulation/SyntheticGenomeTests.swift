import DragonnKit
import Foundation
import XCTest

final class SyntheticGenomeTests: XCTestCase {
    private var tal1: PWM { try! SimCheck.motifs.motif(named: "TAL1_known4") }

    private func spec(chroms: Int = 3, length: Int = 200_000, enhancers: Int = 60) -> SyntheticGenomeSpec {
        SyntheticGenomeSpec(chromosomes: (1...chroms).map { (name: "chr\($0)", length: length) },
                            enhancerCount: enhancers, classes: [.tutorial(tal1)])
    }

    /// Writes the genome to `dir/name` (indexed) with peaks, truth and enhancers beside it.
    private func write(_ s: SyntheticGenomeSpec, seed: UInt64, in dir: URL, name: String = "g.fa") throws -> [String: String] {
        let paths = ["fasta": name, "peaks": "p.narrowPeak", "truth": "t.bed", "enhancers": "e.bed"]
            .mapValues { dir.appendingPathComponent($0).path }
        try SyntheticGenomeJob.run(s, seed: seed, output: paths["fasta"]!, peaks: paths["peaks"], truth: paths["truth"],
                                   enhancers: paths["enhancers"], quiet: true)
        return paths
    }

    private func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
    }

    /// Counts per enhancer are uniform on 2...4 (chi-square, 2 degrees of freedom, p = 0.001).
    func testMotifCountsPerEnhancerAreUniform() throws {
        let g = try SyntheticGenome(spec: spec(chroms: 2, length: 2_000_000, enhancers: 3000), seed: 7)
        let enhancers = g.sites.filter { $0.enhancerClass != nil }
        XCTAssertEqual(enhancers.count, 3000)
        var histogram = [Int](repeating: 0, count: 5)
        for s in enhancers { histogram[s.instances] += 1 }
        XCTAssertEqual(histogram[0] + histogram[1], 0)
        let expected = 1000.0
        let chi2 = histogram[2...4].reduce(0.0) { $0 + pow(Double($1) - expected, 2) / expected }
        XCTAssertLessThan(chi2, 13.8, "counts \(histogram)")
        XCTAssertEqual(g.instances.count, histogram[2] * 2 + histogram[3] * 3 + histogram[4] * 4)
        // Enhancers go to chromosomes in proportion to length (equal here).
        SimCheck.assertProportion(enhancers.filter { $0.chrom == 0 }.count, 3000, 0.5, "chr1 share")
    }

    /// The written genome: its index reads back, the background has the GC fraction, the truth
    /// lies inside the enhancers (sorted, non-overlapping) and its bases are TAL1 samples.
    func testWrittenGenomeMatchesItsTruth() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = spec(chroms: 3, length: 150_001, enhancers: 200)
        s.gcFraction = 0.3
        let paths = try write(s, seed: 3, in: dir, name: "g.fa.gz")
        XCTAssertTrue(FileManager.default.fileExists(atPath: paths["fasta"]! + ".gzi"))
        let genome = try Genome(path: paths["fasta"]!)
        XCTAssertEqual(genome.chromosomes, ["chr1", "chr2", "chr3"])
        var bases: [String: [UInt8]] = [:]
        for c in genome.chromosomes {
            XCTAssertEqual(genome.length(of: c), 150_001)
            try genome.fetch(GenomicRegion(chrom: c, start: 0, end: 150_001)) { bases[c] = Array($0) }
        }
        let truth = try rows(paths["truth"]!)
        let enhancers = try rows(paths["enhancers"]!)
        XCTAssertEqual(enhancers.count, 200)
        // Sorted in genome order, no overlaps, each inside an enhancer.
        let order = ["chr1": 0, "chr2": 1, "chr3": 2]
        let keys = truth.map { (order[$0[0]]!, Int($0[1])!, Int($0[2])!) }
        for (a, b) in zip(keys, keys.dropFirst()) {
            XCTAssertTrue(a.0 < b.0 || (a.0 == b.0 && a.2 <= b.1), "unsorted or overlapping: \(a) \(b)")
        }
        var covered: [String: [Bool]] = bases.mapValues { [Bool](repeating: false, count: $0.count) }
        for t in truth {
            let (c, start, end) = (t[0], Int(t[1])!, Int(t[2])!)
            XCTAssertTrue(enhancers.contains { $0[0] == c && Int($0[1])! <= start && end <= Int($0[2])! }, "\(t) outside every enhancer")
            for i in start..<end { covered[c]![i] = true }
        }
        XCTAssertEqual(enhancers.reduce(0) { $0 + Int($1[4])! }, truth.count)
        // Instances read on their strand score as TAL1 samples against the background.
        let bg = [0.35, 0.15, 0.15, 0.35]
        var positive = 0, minus = 0
        for t in truth {
            var codes = bases[t[0]]![Int(t[1])!..<Int(t[2])!].map(SimCheck.code)
            if t[5] == "-" { codes = codes.reversed().map { 3 - $0 }; minus += 1 }
            if tal1.logOdds(codes: codes, background: bg) > 0 { positive += 1 }
        }
        XCTAssertGreaterThanOrEqual(Double(positive) / Double(truth.count), 0.97)
        SimCheck.assertProportion(minus, truth.count, 0.5, "minus-strand share")
        var gc = 0, n = 0
        for (c, b) in bases {
            for (i, x) in b.enumerated() where !covered[c]![i] {
                n += 1
                if x == UInt8(ascii: "G") || x == UInt8(ascii: "C") { gc += 1 }
            }
        }
        SimCheck.assertProportion(gc, n, 0.3, "background GC")
    }

    /// Peaks: narrowPeak with the summit inside, dropout leaves about that share out, false peaks
    /// have no instance, jitter moves summits within the bound.
    func testPeaksDropoutFalsePeaksAndJitter() throws {
        var s = spec(chroms: 2, length: 1_000_000, enhancers: 1000)
        s.peakDropout = 0.25
        s.falsePeaks = 50
        s.summitJitter = 15
        let g = try SyntheticGenome(spec: s, seed: 11)
        let enhancers = g.sites.filter { $0.enhancerClass != nil }
        SimCheck.assertProportion(enhancers.filter { !$0.inPeaks }.count, 1000, 0.25, "dropout")
        let falsePeaks = g.sites.filter { $0.enhancerClass == nil }
        XCTAssertEqual(falsePeaks.count, 50)
        XCTAssertTrue(falsePeaks.allSatisfy { $0.inPeaks && $0.instances == 0 && $0.id.hasPrefix("false_") })
        var moved = 0
        for site in g.sites {
            XCTAssertTrue((0..<(site.end - site.start)).contains(site.summit))
            let inside = g.instances.filter { $0.chrom == site.chrom && $0.start >= site.start && $0.end <= site.end }
            XCTAssertEqual(inside.count, site.instances)
            let centre = inside.isEmpty ? (site.end - site.start) / 2
                : (inside.first!.start + inside.map(\.end).max()!) / 2 - site.start
            XCTAssertLessThanOrEqual(abs(site.summit - centre), 15)
            if site.summit != centre { moved += 1 }
        }
        XCTAssertGreaterThan(moved, g.sites.count / 2)
        // Sites do not overlap, in genome order.
        for (a, b) in zip(g.sites, g.sites.dropFirst()) { XCTAssertTrue(a.chrom < b.chrom || a.end <= b.start) }
    }

    /// Same seed, same bytes (every output); another seed, another genome.
    func testSeedReproducesBytes() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var s = spec()
        s.falsePeaks = 5
        s.summitJitter = 5
        s.peakDropout = 0.1
        let read = { (p: [String: String]) in try ["fasta", "peaks", "truth", "enhancers"].map { try Data(contentsOf: URL(fileURLWithPath: p[$0]!)) } }
        let a = try read(write(s, seed: 5, in: dir, name: "a.fa"))
        let b = try read(write(s, seed: 5, in: dir, name: "b.fa"))
        let c = try read(write(s, seed: 6, in: dir, name: "c.fa"))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a[0], c[0])
        XCTAssertNotEqual(a[2], c[2])
    }

    /// Two classes, one of several motifs (a subset each): class ids and motifs match.
    func testSeveralClasses() throws {
        let ctcf = try SimCheck.motifs.motif(named: "CTCF_known1"), gata = try SimCheck.motifs.motif(named: "GATA_disc1")
        var s = spec(enhancers: 200)
        s.classes = [EnhancerClass(name: "mix", motifs: [ctcf, gata], counts: 2...2, span: 100), .tutorial(tal1)]
        let g = try SyntheticGenome(spec: s, seed: 2)
        let mix = g.sites.filter { $0.enhancerClass == 0 }
        SimCheck.assertProportion(mix.count, 200, 0.5, "class share")
        for site in mix {
            XCTAssertTrue(site.id.hasPrefix("mix_"))
            XCTAssertEqual(site.end - site.start, 100)
            let names = g.instances.filter { $0.chrom == site.chrom && $0.start >= site.start && $0.end <= site.end }.map(\.motif)
            XCTAssertEqual(Set(names), ["CTCF_known1", "GATA_disc1"])
        }
    }

    func testImpossibleSpecsAreRefused() {
        var s = spec(chroms: 1, length: 1000, enhancers: 10)
        XCTAssertThrowsMessage(try SyntheticGenome(spec: s, seed: 1), "do not fit")
        s = spec()
        s.classes = [EnhancerClass(name: "x", motifs: [tal1], counts: 2...20, span: 150)]
        XCTAssertThrowsMessage(try SyntheticGenome(spec: s, seed: 1), "enhancer class x", "cannot fit")
        s = spec()
        s.peakDropout = 1.5
        XCTAssertThrowsMessage(try SyntheticGenome(spec: s, seed: 1), "--peak-dropout")
    }
}
