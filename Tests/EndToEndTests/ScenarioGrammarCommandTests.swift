import Foundation
import TestSupport
import Testing

/// `lampctl scenario --grammar`: the reference the README shows, its JSON form, and scenario input
/// the grammar accepts or refuses (a byte-order mark, look-alike letters).
@Suite("scenario --grammar and scenario input", .bounded)
struct ScenarioGrammarCommandTests {
    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lampctl-grammar-\(getpid())-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("--grammar prints the grammar page's block verbatim, and needs no database")
    func grammarIsInTheReadme() throws {
        let output = try LampctlProcess.run(["scenario", "--grammar"], environment: ["DATABASE_URL": "postgresql://nobody@/none?host=/nonexistent-lampctl-socket-dir"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("S1 sql-read "))
        let readme = try String(contentsOf: Fixtures.directory.deletingLastPathComponent().appendingPathComponent("docs/scenario-grammar.md"), encoding: .utf8)
        let verbatim = readme.contains("```\n" + output.stdout + "```\n")
        #expect(verbatim, "docs/scenario-grammar.md's grammar block differs from `lampctl scenario --grammar` (run make docs):\n\(output.stdout)")
    }

    @Test("--grammar --json lists the same step keywords as the text reference")
    func grammarJSON() throws {
        let output = try LampctlProcess.run(["scenario", "--grammar", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let steps = try #require(object["steps"] as? [[String: Any]]).compactMap { $0["keyword"] as? String }
        let text = try LampctlProcess.run(["scenario", "--grammar"]).stdout
        let stepLines = text.split(separator: "\n").filter { $0.hasPrefix("S1 ") || $0.hasPrefix("S2 ") }
        #expect(stepLines.map { String($0.split(separator: " ")[1]) } == steps)
        #expect(steps.contains("switch-on") && steps.contains("expect"))
    }

    @Test("a file that starts with a UTF-8 byte-order mark runs like the same file without it")
    func byteOrderMark() throws {
        let text = try String(contentsOf: Fixtures.url("scenarios/refresh.scenario"), encoding: .utf8)
        let path = try Self.write([0xEF, 0xBB, 0xBF] + Array(text.utf8), name: "bom.scenario")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let withMark = try LampctlProcess.runOnTestDatabase(["scenario", "--file", path, "--json"])
        #expect(withMark.status == 0, "\(withMark.stderr)")
        let builtIn = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "refresh", "--json"])
        #expect(withMark.stdout == builtIn.stdout)
        #expect(withMark.stdout.contains("\"strategy\": \"refresh\""))
    }

    @Test("a look-alike letter in a keyword is refused with file, line, column and the character's name")
    func lookalike() throws {
        let text = "scenario x\nsession S1 test\nS1 create\nS1 s\u{0435}lect\n"
        let path = try Self.write(Array(text.utf8), name: "lookalike.scenario")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try LampctlProcess.runOnTestDatabase(["scenario", "--file", path])
        #expect(output.status == 65)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("lampctl: \(path):4:5: "), "\(output.stderr)")
        #expect(output.stderr.contains("U+0435 CYRILLIC SMALL LETTER IE"), "\(output.stderr)")
        #expect(output.stderr.filter { $0 == "\n" }.count == 1)
    }
}
