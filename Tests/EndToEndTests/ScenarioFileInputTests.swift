import Foundation
import TestSupport
import Testing

/// `scenario --file` with files that cannot be used: one located line, exit 65 (74 when unreadable),
/// nothing created.
@Suite("Scenario files from users", .bounded)
struct ScenarioFileInputTests {
    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lampctl-\(getpid())-\(name)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var status: Int32
        var message: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(name: "empty", bytes: [], status: 65, message: ":1:1: expected 'scenario NAME', found end of file"),
        Bad(name: "binary", bytes: [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01], status: 65, message: ":1:1: file is binary"),
        Bad(name: "huge", bytes: Array(repeating: 0x23, count: 300_000), status: 65, message: "file is too large"),
        Bad(name: "typo", bytes: Array("scenario x\nsession S1 test\nS1 craete\n".utf8), status: 65, message: ":3:4: expected an operation"),
    ]

    @Test("bad files are refused with file, line and column", arguments: bad)
    func badFile(_ bad: Bad) throws {
        let path = try Self.write(bad.bytes, name: bad.name)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try LampctlProcess.runOnTestDatabase(["scenario", "--file", path])
        #expect(output.status == bad.status)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.hasPrefix("lampctl: \(path)"), "\(output.stderr)")
        #expect(output.stderr.contains(bad.message), "\(output.stderr)")
        #expect(output.stderr.filter { $0 == "\n" }.count == 1)
    }

    @Test("a missing file or a directory: exit 74")
    func unreadable() throws {
        let missing = try LampctlProcess.runOnTestDatabase(["scenario", "--file", "/nonexistent/x.scenario"])
        #expect(missing.status == 74)
        #expect(missing.stderr.contains("No such file"))
        let directory = try LampctlProcess.runOnTestDatabase(["scenario", "--file", "/tmp"])
        #expect(directory.status == 74)
    }

    @Test("a user's copy of a built-in, with one step changed, runs and gets its own verdict")
    func copyAndEdit() throws {
        let shown = try LampctlProcess.run(["scenario", "--show", "rollback"])
        #expect(shown.status == 0)
        // Drop the refresh that opened the transaction: rollback now has nothing to roll back.
        let edited = shown.stdout.replacingOccurrences(of: "S1 refresh             # SELECT by key", with: "# S1 refresh           # SELECT by key")
            .replacingOccurrences(of: "S1 expect off\n", with: "")
            .replacingOccurrences(of: "scenario rollback", with: "scenario my-rollback")
        #expect(edited != shown.stdout)
        let path = try Self.write(Array(edited.utf8), name: "my-rollback.scenario")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try LampctlProcess.runOnTestDatabase(["scenario", "--file", path, "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("\"strategy\": \"my-rollback\""))
        #expect(output.stdout.contains("\"verdict\": \"stale\""))
        let diagram = try LampctlProcess.runOnTestDatabase(["scenario", "--file", path, "--diagram"])
        #expect(diagram.stdout.contains("identity map kept"))
        let explained = try LampctlProcess.runOnTestDatabase(["scenario", "--file", path, "--explain"])
        #expect(explained.stdout.contains("rollback"))
    }

    @Test("--list names every built-in; --show prints the file")
    func listAndShow() throws {
        let list = try LampctlProcess.run(["scenario", "--list"])
        for name in ["none", "shared-session", "refresh", "expire", "expire-all", "close", "rollback", "commit", "populate-existing"] {
            #expect(list.stdout.contains(name))
        }
        let shown = try LampctlProcess.run(["scenario", "--show", "close"])
        let file = try String(contentsOf: Fixtures.url("scenarios/close.scenario"), encoding: .utf8)
        #expect(shown.stdout == file)
        let unknown = try LampctlProcess.run(["scenario", "--show", "nope"])
        #expect(unknown.status == 64)
    }
}
