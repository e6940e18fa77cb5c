import Foundation
import TestSupport
import Testing

/// The user-visible output of `lampctl scenario`, pinned by golden files in Fixtures/expected
/// (`make fixtures` rewrites them from a real run for review).
@Suite("Scenario output (golden files)", .bounded)
struct ScenarioGoldenTests {
    struct Golden: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var file: String
        var testDescription: String { "lampctl " + arguments.joined(separator: " ") }
    }

    static let cases: [Golden] = [
        Golden(arguments: ["scenario"], file: "expected/scenario-default.txt"),
        Golden(arguments: ["scenario", "--json"], file: "expected/scenario-default.jsonl"),
        Golden(arguments: ["scenario", "--fix", "none", "--trace"], file: "expected/scenario-none-trace.txt"),
        Golden(arguments: ["scenario", "--fix", "refresh", "--isolation", "all", "--app", "both"], file: "expected/scenario-refresh-matrix.txt"),
        // Django: its fix table, every Django built-in over isolation x test wrapper, a trace and an explanation.
        Golden(arguments: ["scenario", "--orm", "django"], file: "expected/django/scenario-default.txt"),
        Golden(arguments: ["scenario", "--orm", "django", "--fix", "all,django-test-client,django-testcase-live-server,django-select-for-update",
                           "--isolation", "all", "--fixture", "all", "--json"], file: "expected/django/scenario-matrix.jsonl"),
        Golden(arguments: ["scenario", "--fix", "django-queryset-cache,django-test-client,django-select-for-update", "--trace"],
               file: "expected/django/scenario-trace.txt"),
        Golden(arguments: ["scenario", "--fix", "django-none,django-atomic,django-testcase-live-server", "--isolation", "repeatable-read", "--explain"],
               file: "expected/django/scenario-explain.txt"),
    ]

    @Test("output matches the golden file", arguments: cases)
    func golden(_ golden: Golden) throws {
        let output = try LampctlProcess.runOnTestDatabase(golden.arguments)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.isEmpty)
        let expected = try #require(try Fixtures.expected(golden.file, actual: output.stdout), "missing \(golden.file): run make fixtures")
        #expect(output.stdout == expected)
    }

    @Test("--expect exits 1 when a case disagrees, 0 when all agree")
    func expectFlag() throws {
        let stale = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--expect", "fresh", "--json"])
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("none"))
        let fresh = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "refresh,rollback", "--expect", "fresh"])
        #expect(fresh.status == 0)
    }

    @Test("no colour when piped; --output writes the file whole")
    func outputFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lampctl-out-\(getpid()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--output", path])
        #expect(output.status == 0)
        #expect(output.stdout.isEmpty)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("false failure"))
        #expect(!written.contains("\u{1B}["))
    }

    @Test("--json: schema_version first; isolation says what was asked and what ran, so server-default and read-committed differ")
    func typedIsolation() throws {
        let output = try LampctlProcess.runOnTestDatabase(["scenario", "--fix", "none", "--isolation", "server-default,read-committed", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"schema_version\": 2, ") })
        let isolations = try lines.map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["isolation"] as? [String: Any])
        }
        #expect(isolations.map { $0["requested"] as? String } == ["server-default", "read-committed"])
        #expect(isolations.map { $0["test"] as? String } == ["read committed", "read committed"])
        #expect(isolations.map { $0["applications"] as? [String: String] } == [["S2": "read committed"], ["S2": "read committed"]])
    }
}
