import Foundation
import XCTest

/// dragonn-sim → dragonn-train → dragonn-attrib filters --sequences --compare all: the PWMs built
/// from strongly activating windows of a tutorial-like model (TAL1_known4 density localization,
/// 1 x 15 filters of width 10) match the E-box (CAGCTG) motifs of the bundled collection.
final class FilterMotifEndToEndTests: XCTestCase {
    func testActivationPWMsMatchEBoxMotifs() throws {
        let dir = Shell.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        var r = Shell.run("""
            dragonn-sim motif-density-localization --motif TAL1_known4 --seq-length 200 --center-size 150 \
              --num-pos 2000 --num-neg 2000 -s 1 -q -o train.fa &&
            dragonn-sim motif-density-localization --motif TAL1_known4 --seq-length 200 --center-size 150 \
              --num-pos 150 --num-neg 150 -s 2 -q -o test.fa &&
            dragonn-train train.fa -o model --num-filters 15 --conv-width 10 --pool-width 35 --epochs 15 \
              --patience 5 --learning-rate 0.01 -s 1 2>/dev/null >/dev/null &&
            dragonn-attrib filters -m model.safetensors --sequences test.fa --meme f.meme --compare all -o f.svg > rank.tsv
            """, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        // The E-box motifs of the collection: consensus holding CAGCTG (a palindrome).
        r = Shell.run("dragonn-sim motifs | awk '$3 ~ /CAGCTG/ { print $1 }'", in: dir)
        let eboxes = Set(r.stdout.split(separator: "\n").map(String.init))
        XCTAssertTrue(eboxes.contains("TAL1_known4"), r.stdout)
        let rows = try String(contentsOf: dir.appendingPathComponent("rank.tsv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
        // Some filter's top three motifs hold an E-box motif, with a small p-value.
        let hits = rows.filter { Int($0[1])! <= 3 && eboxes.contains($0[2]) && Double($0[7])! < 1e-3 }
        XCTAssertFalse(hits.isEmpty, rows.filter { Int($0[1])! == 1 }.map { $0.joined(separator: " ") }.joined(separator: "\n"))
        // Each filter's ranking covers the whole collection, rank 1 first.
        let collection = Shell.run("dragonn-sim motifs | wc -l", in: dir).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(rows.filter { $0[0] == rows[0][0] }.count, Int(collection))
        // The MEME file carries the number of sites, memelite reads it, and the sheet draws an
        // E-box logo beside a matching filter.
        let meme = try String(contentsOf: dir.appendingPathComponent("f.meme"), encoding: .utf8)
        XCTAssertNotNil(meme.range(of: "nsites= [1-9][0-9]* E= 0", options: .regularExpression))
        r = Shell.run("python3 -c \"from memelite.io import read_meme; m = read_meme('f.meme'); assert len(m) > 0 and all(v.shape[0] == 4 for v in m.values())\"", in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
        let svg = try String(contentsOf: dir.appendingPathComponent("f.svg"), encoding: .utf8)
        XCTAssertTrue(eboxes.contains { svg.contains(">\($0) (") }, "an E-box motif drawn beside a filter")
    }
}
