import Foundation
import XCTest

/// The suite's files read by the tools users already have (issue 13): tabix, pysam, pandas,
/// bedtools, samtools, bash completion, groff and mandoc. `make test` installs every one of them,
/// so a missing tool fails its test (exit 127) rather than skipping it.
final class InteropTests: FixtureTestCase {
    /// Runs `command` in the scratch folder and fails the test (with its stderr) unless it exits 0.
    @discardableResult
    private func sh(_ command: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let r = Shell.run(command, in: dir)
        XCTAssertEqual(r.status, 0, "\(command)\n\(r.stderr)", file: file, line: line)
        return r.stdout
    }

    /// 40 simulated 60 bp sequences (the fixture model's length) with TAL1 boxes, and their truth BED.
    private func simulate() {
        sh("dragonn-sim motif-density-localization -s 3 --seq-length 60 --center-size 30 --min-motif-counts 1 --max-motif-counts 2 --num-pos 20 --num-neg 20 -q -o sim.fa --bed sim.bed")
    }

    // Item 1: plain 4-column bedGraph that re-indexing and table readers take as it is.
    func testTracksAreReadByTabixPysamAndPandas() {
        simulate()
        sh("dragonn-attrib grad -m \(model) sim.fa --task task0 > grad.bedGraph")
        XCTAssertEqual(sh("cut -f1 grad.bedGraph | grep -c '^track' || true"), "0\n", "no track line unless asked for")
        // bgzip + tabix by hand: no parse warning, and queries answer.
        let indexed = Shell.run("bgzip -k grad.bedGraph && tabix -p bed grad.bedGraph.gz && tabix grad.bedGraph.gz pos_000001:1-3", in: dir)
        XCTAssertEqual(indexed.status, 0, indexed.stderr)
        XCTAssertEqual(indexed.stderr, "", "tabix warned")
        XCTAssertTrue(indexed.stdout.hasPrefix("pos_000001\t0\t"), indexed.stdout)
        // The tool's own .gz + .tbi, with --track-line: tabix skips the header it was told about.
        sh("dragonn-attrib grad -m \(model) sim.fa --task task0 --track-line -o own.bedGraph.gz")
        XCTAssertEqual(sh("tabix own.bedGraph.gz neg_000020:60"), sh("grep -P '^neg_000020\\t' grad.bedGraph | tail -1"))
        let python = sh("""
            python3 -c "
            import shutil, pysam, pandas
            shutil.copy('grad.bedGraph', 'copy.bedGraph')
            pysam.tabix_index('copy.bedGraph', preset='bed', force=True)
            rows = list(pysam.TabixFile('copy.bedGraph.gz').fetch('neg_000003', 10, 12))
            t = pandas.read_csv('grad.bedGraph', sep='\\t', header=None)
            print(len(rows), t.shape[1], t[0].nunique(), t[1].dtype, t[3].dtype, int((t[2] - t[1]).groupby(t[0]).sum().min()))
            "
            """)
        XCTAssertEqual(python, "2 4 40 int64 float64 60\n")
    }

    // Item 2: one order (the FASTA's .fai, then start) for dragonn-sim's BED and FASTA and for
    // dragonn-attrib's tracks, so bedtools -sorted loses nothing.
    func testSimAndAttribShareTheFaiOrderThatBedtoolsSortedNeeds() {
        simulate()
        sh("samtools faidx sim.fa && cut -f1,2 sim.fa.fai > genome.txt")
        XCTAssertEqual(sh("grep '>' sim.fa | cut -c2- | cut -d' ' -f1"), sh("cut -f1 genome.txt"))
        sh("dragonn-attrib deeplift --reference shuffle:2 -m \(model) sim.fa --task task0 -o dl.bedGraph.gz")
        for file in ["sim.bed", "dl.bedGraph.gz"] {
            XCTAssertEqual(sh("zcat -f \(file) | md5sum"), sh("bedtools sort -faidx sim.fa.fai -i \(file) | md5sum"),
                           "\(file) is not in bedtools sort -faidx order")
        }
        let sorted = sh("bedtools intersect -sorted -g genome.txt -a sim.bed -b dl.bedGraph.gz | wc -l")
        let unsorted = sh("bedtools intersect -a sim.bed -b dl.bedGraph.gz | wc -l")
        XCTAssertEqual(sorted, unsorted)
        XCTAssertGreaterThan(Int(sorted.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 20)
    }

    /// A genome whose .fai order (chrB before chrA) is not lexicographic, and regions given in
    /// neither order.
    private func writeGenome() throws {
        var state: UInt64 = 99
        func bases(_ n: Int) -> String {
            String((0..<n).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Array("ACGT")[Int(state >> 62)]
            })
        }
        try ">chrB\n\(bases(400))\n>chrA\n\(bases(400))\n".write(to: dir.appendingPathComponent("genome.fa"), atomically: true, encoding: .utf8)
    }

    // Items 2 and 9: regions of a genome come out in the genome's order; bedtools getfasta's
    // chr:start-end names (0-based starts) give the same track as --regions/--genome.
    func testRegionsFollowTheGenomeOrderAndGetfastaNamesAreBEDCoordinates() throws {
        try writeGenome()
        try "chrA\t200\t260\nchrB\t300\t360\nchrA\t10\t70\nchrB\t0\t60\n".write(to: dir.appendingPathComponent("regions.bed"), atomically: true, encoding: .utf8)
        sh("samtools faidx genome.fa")
        sh("dragonn-attrib grad -m \(model) --task task1 --regions regions.bed --genome genome.fa -o r.bedGraph")
        XCTAssertEqual(sh("cut -f1 r.bedGraph | uniq"), "chrB\nchrA\n")
        XCTAssertEqual(sh("md5sum < r.bedGraph"), sh("bedtools sort -faidx genome.fa.fai -i r.bedGraph | md5sum"))
        sh("bedtools getfasta -fi genome.fa -bed regions.bed -fo cut.fa")
        XCTAssertEqual(sh("grep -c '>chrA:200-260' cut.fa"), "1\n")
        sh("dragonn-attrib grad -m \(model) --task task1 cut.fa -o g.bedGraph")
        XCTAssertEqual(sh("sort -k1,1 -k2,2n g.bedGraph | md5sum"), sh("sort -k1,1 -k2,2n r.bedGraph | md5sum"))
    }

    // Item 4: overlapping regions: nothing dropped; each base from the window with the nearest centre.
    func testOverlappingRegionsKeepEveryBaseByTheNearestCentre() throws {
        try writeGenome()
        // Centres 130 and 160: bases 100..<145 belong to the first window, 145..<190 to the second.
        try "chrA\t100\t160\nchrA\t130\t190\n".write(to: dir.appendingPathComponent("both.bed"), atomically: true, encoding: .utf8)
        try "chrA\t100\t160\n".write(to: dir.appendingPathComponent("first.bed"), atomically: true, encoding: .utf8)
        try "chrA\t130\t190\n".write(to: dir.appendingPathComponent("second.bed"), atomically: true, encoding: .utf8)
        let both = Shell.run("dragonn-attrib grad -m \(model) --task task0 --regions both.bed --genome genome.fa -o both.bedGraph", in: dir)
        XCTAssertEqual(both.status, 0, both.stderr)
        XCTAssertTrue(both.stderr.contains("30 bases lie in more than one window"), both.stderr)
        for part in ["first", "second"] {
            sh("dragonn-attrib grad -m \(model) --task task0 --regions \(part).bed --genome genome.fa -o \(part).bedGraph")
        }
        // Per-base values through bedtools: every base of 100..190 once, from its owner.
        func perBase(_ file: String) -> [Int: String] {
            let text = sh("awk -v OFS='\\t' '{for (p = $2; p < $3; p++) print p, $4}' \(file)")
            var values: [Int: String] = [:]
            for line in text.split(separator: "\n") {
                let f = line.split(separator: "\t")
                XCTAssertNil(values[Int(f[0])!], "base \(f[0]) written twice")
                values[Int(f[0])!] = String(f[1])
            }
            return values
        }
        let merged = perBase("both.bedGraph"), first = perBase("first.bedGraph"), second = perBase("second.bedGraph")
        XCTAssertEqual(merged.keys.sorted(), Array(100..<190))
        for p in 100..<190 { XCTAssertEqual(merged[p], p < 145 ? first[p] : second[p], "base \(p)") }
        XCTAssertEqual(sh("bedtools merge -i both.bedGraph"), "chrA\t100\t190\n")
    }

    // Item 3: several tasks: one file per task (documented); stdout takes one track.
    func testSeveralTasksGiveOneFilePerTaskAndStdoutNeedsTask() {
        simulate()
        let stdout = Shell.run("dragonn-attrib grad -m \(model) sim.fa", in: dir)
        XCTAssertEqual(stdout.status, 1)
        XCTAssertEqual(stdout.stdout, "")
        XCTAssertEqual(stdout.stderr.split(separator: "\n").count, 1, stdout.stderr)
        XCTAssertTrue(stdout.stderr.hasPrefix("dragonn-attrib: the model has 2 tasks (task0, task1)") && stdout.stderr.contains("--task"), stdout.stderr)
        sh("dragonn-attrib grad -m \(model) sim.fa -o x.bedGraph.gz")
        XCTAssertEqual(sh("ls"), "sim.bed\nsim.fa\nx.task0.bedGraph.gz\nx.task0.bedGraph.gz.tbi\nx.task1.bedGraph.gz\nx.task1.bedGraph.gz.tbi\n")
        XCTAssertEqual(sh("dragonn-attrib grad -m \(model) sim.fa --task task1 | bgzip > t1.gz && tabix -p bed t1.gz && zcat t1.gz | md5sum"),
                       sh("zcat x.task1.bedGraph.gz | md5sum"))
        let help = sh("dragonn-attrib --help")
        XCTAssertTrue(help.contains("NAME.TASK.bedGraph"), help)
    }

    // Item 8: a checkpoint given as a model is refused, naming the model file.
    func testACheckpointIsRefusedAsAModel() {
        sh("dragonn-sim single-motif-detection -s 2 --seq-length 60 --num-pos 40 --num-neg 40 -q -o t.fa")
        sh("dragonn-train t.fa -o m --num-filters 2 --conv-width 5 --pool-width 10 --epochs 1 -@ 1 2>/dev/null")
        for command in ["dragonn-predict -m m.checkpoint.safetensors t.fa", "dragonn-attrib grad -m m.checkpoint.safetensors t.fa"] {
            let r = Shell.run(command, in: dir)
            XCTAssertEqual(r.status, 1, command)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("m.checkpoint.safetensors: a training checkpoint") && r.stderr.contains("use the model file m.safetensors"), r.stderr)
        }
        sh("dragonn-predict -m m.safetensors t.fa > /dev/null")
    }

    // Item 6: completions offer files for every path and motif names where a motif is asked for.
    func testBashCompletesFilesAndMotifNames() throws {
        let completions = Shell.repoRoot.appendingPathComponent("completions").path
        sh("touch multi_layer.safetensors multi_layer.metrics.tsv test.fa && mkdir plots.d")
        /// What bash offers for `line` (completing its last word) after sourcing the tool's script.
        func offered(_ tool: String, _ line: String) -> [String] {
            let script = """
                shopt -s extglob; source \(completions)/\(tool).bash
                fn=$(complete -p \(tool) | sed 's/.* -F \\([^ ]*\\) .*/\\1/')
                COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$COMP_LINE"
                [[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
                COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); COMPREPLY=()
                "$fn" "\(tool)" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
                printf '%s\\n' "${COMPREPLY[@]}"
                """
            return sh(script).split(separator: "\n").map(String.init).sorted()
        }
        XCTAssertEqual(offered("dragonn-attrib", "dragonn-attrib deeplift -m multi_l"), ["multi_layer.safetensors"])
        XCTAssertEqual(offered("dragonn-attrib", "dragonn-attrib deeplift -m multi_layer.safetensors te"), ["test.fa"])
        XCTAssertEqual(offered("dragonn-attrib", "dragonn-attrib ism --plot plo"), ["plots.d"])
        XCTAssertEqual(offered("dragonn-predict", "dragonn-predict -m m"), ["multi_layer.safetensors"])
        XCTAssertEqual(offered("dragonn-train", "dragonn-train --valid te"), ["test.fa"])
        XCTAssertEqual(offered("dragonn-encode", "dragonn-encode --genome te"), ["test.fa"])
        let tal1 = (1...5).map { "TAL1_known\($0)" }
        XCTAssertEqual(offered("dragonn-attrib", "dragonn-attrib filters --compare TAL1_kn"), tal1)
        XCTAssertEqual(offered("dragonn-sim", "dragonn-sim motifs TAL1_kn"), tal1)
        // zsh and fish: the scripts complete files for -m.
        let zsh = try String(contentsOfFile: completions + "/_dragonn-attrib", encoding: .utf8)
        XCTAssertTrue(zsh.contains("{-m,--model}'[") && zsh.contains(":file:_files -g '\\''*.safetensors'\\''"), "zsh -m completion")
        let fish = try String(contentsOfFile: completions + "/dragonn-attrib.fish", encoding: .utf8)
        XCTAssertTrue(fish.split(separator: "\n").contains { $0.contains("-s 'm' -l 'model'") && $0.contains("-F") || $0.contains("-s 'm' -l 'model'") && $0.contains("safetensors") }, "fish -m completion")
    }

    /// Every option or argument whose value is a path completes as a file or a folder.
    func testEveryPathOptionCompletesAsAFile() throws {
        let pathValues: Set<String> = ["file", "bed", "fasta", "tsv", "prefix", "input", "dir"]
        func check(_ command: [String: Any], _ tool: String) {
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool ?? true {
                // A flag's valueName is its property name (e.g. --tsv): it takes no value to complete.
                guard argument["kind"] as? String != "flag",
                      let value = argument["valueName"] as? String, pathValues.contains(value) else { continue }
                let kind = (argument["completionKind"] as? [String: Any])?.keys.first
                XCTAssertTrue(kind == "file" || kind == "directory", "\(tool) \(command["commandName"] ?? ""): <\(value)> completes as \(kind ?? "nothing")")
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { check(sub, tool) }
        }
        for tool in ["dragonn-sim", "dragonn-encode", "dragonn-train", "dragonn-predict", "dragonn-attrib"] {
            let dump = sh("\(tool) --experimental-dump-help")
            let json = try JSONSerialization.jsonObject(with: Data(dump.utf8)) as? [String: Any]
            check(json?["command"] as? [String: Any] ?? [:], tool)
        }
    }

    // Item 7: man pages lint clean and their examples render as whole, copyable lines.
    func testManPagesLintCleanAndExamplesStayWhole() throws {
        let man = Shell.repoRoot.appendingPathComponent("man")
        let pages = try FileManager.default.contentsOfDirectory(atPath: man.path).filter { $0.hasSuffix(".1") }.sorted()
        XCTAssertEqual(pages.count, 5)
        for page in pages {
            let path = man.appendingPathComponent(page).path
            let lint = Shell.run("groff -man -ww -z '\(path)' 2>&1; mandoc -Tlint '\(path)' 2>&1")
            XCTAssertEqual(lint.stdout, "", "\(page) does not lint clean")
            // Each example of the tool's help is a line of a literal display in the page ...
            let source = try String(contentsOfFile: path, encoding: .utf8)
            var literal: [String] = [], inDisplay = false
            for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(".Bd -literal") { inDisplay = true } else if line == ".Ed" { inDisplay = false }
                else if inDisplay { literal.append(line.replacingOccurrences(of: "\\e", with: "\\").replacingOccurrences(of: "\\&", with: "")) }
            }
            let tool = String(page.dropLast(2))
            let dump = try JSONSerialization.jsonObject(with: Data(sh("\(tool) --experimental-dump-help").utf8)) as? [String: Any]
            let examples = discussions(dump?["command"] as? [String: Any] ?? [:])
                .flatMap { $0.split(separator: "\n") }.filter { $0.hasPrefix("  dragonn-") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertFalse(examples.isEmpty, tool)
            for example in examples {
                XCTAssertTrue(literal.contains { $0.trimmingCharacters(in: .whitespaces) == example }, "\(page): example not in a literal display: \(example)")
            }
            // ... and renders on one line at 80 columns, with ASCII hyphens (copyable).
            let rendered = Shell.run("MANWIDTH=80 MAN_KEEP_FORMATTING= man -l -P cat '\(path)' 2>/dev/null").stdout
            let lines = Set(rendered.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
            for example in literal where !example.isEmpty {
                XCTAssertTrue(lines.contains(example.trimmingCharacters(in: .whitespaces)), "\(page): example broken when rendered: \(example)")
            }
        }
    }

    /// The discussion texts of a command and its subcommands (unwrapped, as the parser holds them).
    private func discussions(_ command: [String: Any]) -> [String] {
        [command["discussion"] as? String].compactMap { $0 }
            + (command["subcommands"] as? [[String: Any]] ?? []).flatMap { discussions($0) }
    }

    // Item 9: the one-hot dtype is said where users look for it.
    func testHelpAndReadmeStateTheContractGaps() throws {
        let encodeHelp = sh("dragonn-encode --help").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(encodeHelp.contains("uint8 (default)") && encodeHelp.contains("--dtype float32"), encodeHelp)
        let readme = try String(contentsOf: Shell.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for phrase in ["--dtype float32", "uint8", "0-based", "bedtools 2.30", "bedtools sort -faidx", "nearest"] {
            XCTAssertTrue(readme.contains(phrase), "README lacks \(phrase)")
        }
        // The default really is uint8, and float32 is what PyTorch gets.
        sh("printf '>a\\nACGTN\\n' > a.fa && dragonn-encode a.fa -o u.npy && dragonn-encode a.fa --dtype float32 -o f.npy")
        XCTAssertEqual(sh("python3 -c \"import numpy as np; print(np.load('u.npy').dtype, np.load('f.npy').dtype)\""), "uint8 float32\n")
    }
}
