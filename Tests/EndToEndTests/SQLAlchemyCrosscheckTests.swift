import Foundation
import TestSupport
import Testing

/// Every built-in over the whole matrix and the sample of user scenario files that reaches every
/// keyword (tools/crosscheck-sample.txt), through lampctl and through real SQLAlchemy 2.1.9, with
/// psycopg2 and with asyncpg under AsyncSession (tools/crosscheck.sh --sample): the JSON Lines
/// must be identical. `make crosscheck` runs every file. `make test` prepares the Python
/// environment (tools/sqlalchemy-venv.sh) and passes it in LAMPCTL_SQLALCHEMY_PYTHON.
@Suite("Cross-check against real SQLAlchemy", .bounded(seconds: 600))
struct SQLAlchemyCrosscheckTests {
    /// How long a cross-check script may run: alone it takes under a minute; on a machine
    /// running two more test suites it took over 2 minutes. The suites' limit (600 s) is above it.
    static let scriptTimeout: TimeInterval = 540

    /// The Python with SQLAlchemy that `make test` prepared.
    static func python() throws -> String {
        try TestMode.requirePython()
        let python = ProcessInfo.processInfo.environment["LAMPCTL_SQLALCHEMY_PYTHON"]
            ?? Fixtures.directory.deletingLastPathComponent().appendingPathComponent(".build/sqlalchemy-venv/bin/python").path
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no Python with SQLAlchemy at \(python): run tools/sqlalchemy-venv.sh (make test does)")
        return python
    }

    @Test("lampctl and SQLAlchemy agree on every case of the sample")
    func identical() throws {
        let python = try Self.python()
        let script = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("tools/crosscheck.sh").path
        let run = try TestProcess.run("/bin/bash", [script, "--sample"], environment: LampctlProcess.environment([
            "DATABASE_URL": try TestDatabase.url, "PYTHON": python, "LAMPCTL_BIN": LampctlProcess.binary,
        ]), timeout: Self.scriptTimeout)
        let text = run.stdout + run.stderr
        #expect(run.status == 0, "\(text)")
        #expect(text.contains("cases identical to SQLAlchemy 2.1.9 (psycopg2)"), "\(text)")
        #expect(text.contains("cases identical to SQLAlchemy 2.1.9 (asyncpg)"), "\(text)")
    }

    /// Runs `crosscheck.py --grammar FILE` (the grammar check alone) on `grammar`.
    static func checkGrammar(_ grammar: String) throws -> (status: Int32, output: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lampctl-grammar-\(getpid())-\(UUID().uuidString).json").path
        try Data(grammar.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let script = Fixtures.directory.deletingLastPathComponent().appendingPathComponent("tools/crosscheck.py").path
        let run = try TestProcess.run(try python(), [script, "--grammar", path])
        return (run.status, run.stdout + run.stderr)
    }

    @Test("the cross-check reads lampctl's grammar, and refuses a step keyword it does not implement")
    func refusesUnknownKeyword() throws {
        let grammar = try LampctlProcess.run(["scenario", "--grammar", "--json"])
        #expect(grammar.status == 0, "\(grammar.stderr)")
        let accepted = try Self.checkGrammar(grammar.stdout)
        #expect(accepted.status == 0, "\(accepted.output)")
        var tables = try #require(try JSONSerialization.jsonObject(with: Data(grammar.stdout.utf8)) as? [String: Any])
        var steps = try #require(tables["steps"] as? [[String: Any]])
        steps.append(["keyword": "teleport", "session": "test", "arguments": "none", "values": [String](), "help": "a step lampctl might add"])
        tables["steps"] = steps
        let extended = String(decoding: try JSONSerialization.data(withJSONObject: tables), as: UTF8.self)
        let refused = try Self.checkGrammar(extended)
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("lampctl's grammar has test step 'teleport', which crosscheck.py does not implement"), "\(refused.output)")
        var settings = try #require(tables["settings"] as? [[String: Any]])
        settings.append(["keyword": "read_only", "syntax": "read_only=true|false", "values": ["true", "false"], "roles": ["test"], "help": "x"])
        tables["settings"] = settings
        let both = try Self.checkGrammar(String(decoding: try JSONSerialization.data(withJSONObject: tables), as: UTF8.self))
        #expect(both.status == 2)
        #expect(both.output.contains("session setting 'read_only'") && both.output.contains("test step 'teleport'"), "\(both.output)")
    }
}
