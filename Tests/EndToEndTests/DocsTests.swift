import Foundation
import XCTest

/// The committed man pages and completions must match the tools' parsers (regenerate with `make docs`).
final class DocsTests: XCTestCase {
    private var tools: [String] {
        let sources = Shell.repoRoot.appendingPathComponent("Sources")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []
        return names.filter { $0.hasPrefix("dragonn-") }.sorted()
    }

    func testEveryToolIsFound() {
        XCTAssertFalse(tools.isEmpty)
    }

    func testCompletionsAreCurrent() throws {
        for tool in tools {
            for (shell, file) in [("bash", "\(tool).bash"), ("zsh", "_\(tool)"), ("fish", "\(tool).fish")] {
                let committed = try String(contentsOf: Shell.repoRoot.appendingPathComponent("completions/\(file)"),
                                           encoding: .utf8)
                let generated = Shell.run("\(tool) --generate-completion-script \(shell)")
                XCTAssertEqual(generated.status, 0, generated.stderr)
                XCTAssertEqual(committed, generated.stdout, "completions/\(file) is stale: run `make docs`")
            }
        }
    }

    func testManPageRendersAndNamesEveryOption() throws {
        for tool in tools {
            let page = Shell.repoRoot.appendingPathComponent("man/\(tool).1").path
            let rendered = Shell.run("MANWIDTH=100 man -l -P cat '\(page)'")
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            XCTAssertTrue(rendered.stdout.contains(tool), "man/\(tool).1 does not name the tool")
            let dump = Shell.run("\(tool) --experimental-dump-help")
            XCTAssertEqual(dump.status, 0, dump.stderr)
            let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
            let options = longOptions(json?["command"] as? [String: Any] ?? [:])
            XCTAssertFalse(options.isEmpty)
            for option in options where option != "help" && option != "version" {
                XCTAssertTrue(rendered.stdout.contains("--\(option)"),
                              "man/\(tool).1 lacks --\(option): run `make docs`")
            }
        }
    }

    /// Every long option name of a command and its subcommands that its help shows (options a
    /// tool does not take are hidden), from ArgumentParser's help dump.
    private func longOptions(_ command: [String: Any]) -> Set<String> {
        var names = Set<String>()
        for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool ?? true {
            for name in argument["names"] as? [[String: Any]] ?? [] where (name["kind"] as? String) == "long" {
                if let n = name["name"] as? String { names.insert(n) }
            }
        }
        for sub in command["subcommands"] as? [[String: Any]] ?? [] { names.formUnion(longOptions(sub)) }
        return names
    }
}
