@testable import DragonnKit
import Foundation
import XCTest

final class LabelsRegionsTests: XCTestCase {
    func testLabelsTag() throws {
        XCTAssertEqual(try labelsTag(in: "x=1 labels=1,0,1", file: "f", line: 1), [1, 0, 1])
        XCTAssertNil(try labelsTag(in: "x=1", file: "f", line: 1))
        XCTAssertThrowsMessage(try labelsTag(in: "labels=1,2", file: "f.fa", line: 4), "f.fa: line 4", "'2'")
    }

    func testLabelTable() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = IOFixture.write("name\tTAL1\tGATA\ns1\t1\t0\ns2\t0\t1\n", "l.tsv", in: dir)
        let table = try LabelTable(path: good)
        XCTAssertEqual(table.taskNames, ["TAL1", "GATA"])
        XCTAssertEqual(table.labels(for: "s2"), [0, 1])
        XCTAssertNil(table.labels(for: "s3"))
        let short = IOFixture.write("name\tA\tB\ns1\t1\n", "s.tsv", in: dir)
        XCTAssertThrowsMessage(try LabelTable(path: short), "s.tsv: line 2", "expected 3")
        let bad = IOFixture.write("name\tA\ns1\t0.5\n", "b.tsv", in: dir)
        XCTAssertThrowsMessage(try LabelTable(path: bad), "b.tsv: line 2", "not 0 or 1")
        let dup = IOFixture.write("name\tA\ns1\t0\ns1\t1\n", "d.tsv", in: dir)
        XCTAssertThrowsMessage(try LabelTable(path: dup), "d.tsv: line 3", "twice")
    }

    func testGenomicRegionNames() {
        XCTAssertEqual(GenomicRegion(name: "chr1:100-250"), GenomicRegion(chrom: "chr1", start: 100, end: 250))
        XCTAssertEqual(GenomicRegion(name: "HLA-A*01:01:5-9")?.chrom, "HLA-A*01:01")
        XCTAssertNil(GenomicRegion(name: "seq1"))
        XCTAssertNil(GenomicRegion(name: "chr1:20-10"))
        XCTAssertNil(GenomicRegion(name: "chr1:a-10"))
        XCTAssertEqual(GenomicRegion(chrom: "c", start: 10, end: 20).recentred(length: 4).description, "c:13-17")
        XCTAssertEqual(GenomicRegion(chrom: "c", start: 10, end: 21).recentred(length: 5).description, "c:13-18")
    }

    func testBEDReader() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let recs = try BEDReader(path: IOFixture.encodeData.appendingPathComponent("regions.bed").path).readAll()
        XCTAssertEqual(recs.count, 6)
        XCTAssertEqual(recs[1].region.description, "chr1:55-75")
        XCTAssertEqual(recs[1].name, "peak1")
        XCTAssertEqual(recs[1].line, 4)
        let bad = IOFixture.write("chr1\t1\t5\nchr1\tx\t5\n", "bad.bed", in: dir)
        XCTAssertThrowsMessage(try BEDReader(path: bad).readAll(), "bad.bed: line 2", "start 'x'")
        let few = IOFixture.write("browser x\nchr1 5\n", "few.bed", in: dir)
        XCTAssertThrowsMessage(try BEDReader(path: few).readAll(), "few.bed: line 2", "at least 3 columns")
    }

    /// Fields cut on the bytes are those of splitting each decoded line (tabs keep empty fields,
    /// spaces do not), through comments, track lines, blank lines, CRLF and non-ASCII names.
    func testBEDReaderFieldsAgainstStringSplitting() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = ["# comment", "track name=x", "browser position chr1", "", " \t ", "chr1\t10\t20",
                     "chr2\t5\t9\tpeak\t\t.\t1.5\t-1\t-1\t2", "chrÜ\t0\t3\tnamé", "chr3  7 8   spaced",
                     "chr4\t1\t2\r", "chr5\t3\t4\t"]
        let file = IOFixture.write(lines.joined(separator: "\n") + "\n", "fields.bed", in: dir)
        let records = try BEDReader(path: file).readAll()
        // The reference: decode the line, then split by tab (empties kept) or by spaces (dropped).
        var expected: [(fields: [String], line: Int)] = []
        for (i, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("track") || line.hasPrefix("browser") { continue }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.contains("\t") ? line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                                               : line.split(separator: " ").map(String.init)
            expected.append((fields, i + 1))
        }
        XCTAssertEqual(records.map(\.fields), expected.map(\.fields))
        XCTAssertEqual(records.map(\.line), expected.map(\.line))
        XCTAssertEqual(records.map(\.region.chrom), ["chr1", "chr2", "chrÜ", "chr3", "chr4", "chr5"])
        XCTAssertEqual(records.map(\.name), [nil, "peak", "namé", "spaced", nil, ""])
    }

    /// Genome copies in a scratch folder (the index is built there), plain and BGZF.
    func testGenomeRegionsAgainstHandCheckedSubstrings() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["mini.fa", "mini.fa.gz"] {
            try FileManager.default.copyItem(at: IOFixture.encodeData.appendingPathComponent(name),
                                             to: dir.appendingPathComponent(name))
        }
        let expected = try String(contentsOf: IOFixture.encodeData.appendingPathComponent("expected-regions.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        func bases(_ genome: Genome, _ region: GenomicRegion) throws -> String {
            var out = ""
            try genome.fetch(region) { out = String(decoding: $0, as: UTF8.self) }
            return out
        }
        for name in ["mini.fa", "mini.fa.gz"] {
            let genome = try Genome(path: dir.appendingPathComponent(name).path)
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(name + ".fai").path))
            XCTAssertEqual(genome.chromosomes, ["chr1", "chr2", "chrM"])
            XCTAssertEqual(genome.length(of: "chr1"), 250)
            for row in expected {
                let region = GenomicRegion(name: row[0])!
                XCTAssertEqual(try bases(genome, region), row[1], "\(name) \(row[0])")
            }
            XCTAssertThrowsMessage(try bases(genome, GenomicRegion(chrom: "chr1", start: 240, end: 251)), "runs off chromosome chr1")
            XCTAssertThrowsMessage(try bases(genome, GenomicRegion(chrom: "chrX", start: 0, end: 5)), "'chrX' is not in the genome")

            let set = try SequenceSet.load(regions: IOFixture.encodeData.appendingPathComponent("regions.bed").path,
                                           genome: dir.appendingPathComponent(name).path)
            XCTAssertEqual(set.names, expected.map { $0[0] })
            XCTAssertEqual(set.length, 20)
            XCTAssertEqual(Array(set.codes(at: 4)), baseCodes(expected[4][1]))
            XCTAssertEqual(set.regions[2], GenomicRegion(chrom: "chr1", start: 230, end: 250))
            // Recentred to 10 bases: the middle of chr2:5-25 is 15, so 10..20.
            let short = try SequenceSet.load(regions: IOFixture.encodeData.appendingPathComponent("regions.bed").path,
                                             genome: dir.appendingPathComponent(name).path, length: 10)
            XCTAssertEqual(short.names[3], "chr2:10-20")
            XCTAssertEqual(Array(short.codes(at: 3)), baseCodes(String(expected[3][1].dropFirst(5).prefix(10))))
        }
        let offEnd = IOFixture.write("chr1\t0\t10\nchrM\t30\t40\n", "off.bed", in: dir)
        XCTAssertThrowsMessage(try SequenceSet.load(regions: offEnd, genome: dir.appendingPathComponent("mini.fa").path),
                               "off.bed: line 2", "runs off chromosome chrM (length 37)")
        IOFixture.run("/bin/sh", ["-c", "gzip -c '\(dir.path)/mini.fa' > '\(dir.path)/plain.fa.gz'"])
        XCTAssertThrowsMessage(try Genome(path: dir.appendingPathComponent("plain.fa.gz").path), "plain.fa.gz", "not BGZF")
        let absent = IOFixture.write("chr9\t0\t10\n", "absent.bed", in: dir)
        XCTAssertThrowsMessage(try SequenceSet.load(regions: absent, genome: dir.appendingPathComponent("mini.fa").path),
                               "absent.bed: line 1", "'chr9' is not in the genome")
    }

    func testStaleFaiIsRebuiltNotTrusted() throws {
        let dir = IOFixture.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = IOFixture.write(">chr1\nAAAACCCC\nGGGGTTTT\n", "g.fa", in: dir)
        func bases(_ genome: Genome, _ region: GenomicRegion) throws -> String {
            var out = ""
            try genome.fetch(region) { out = String(decoding: $0, as: UTF8.self) }
            return out
        }
        XCTAssertEqual(try bases(try Genome(path: path), GenomicRegion(chrom: "chr1", start: 6, end: 10)), "CCGG")
        // Rewrite the genome with other line lengths after it was indexed (the index predates it).
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: path + ".fai")
        _ = IOFixture.write(">chrX\nTT\n>chr1\nACGTACGTACGTACGT\n", "g.fa", in: dir)
        XCTAssertTrue(Genome.indexIsStale(genome: path))
        let genome = try Genome(path: path)
        XCTAssertEqual(genome.chromosomes, ["chrX", "chr1"])
        XCTAssertEqual(try bases(genome, GenomicRegion(chrom: "chr1", start: 6, end: 10)), "GTAC")
        XCTAssertFalse(Genome.indexIsStale(genome: path))
    }
}
