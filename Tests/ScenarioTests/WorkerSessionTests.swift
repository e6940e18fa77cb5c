import Foundation
import LampApp
import LampSession
import Postgres
@testable import Scenario
@testable import ScenarioModel
import ScenarioRendering
import TestSupport
import Testing

/// `session S3 worker`: another process's connection, never the fixture's, reading with plain SQL.
/// The expected reads are the ones real SQLAlchemy 2.1.9 gives (tools/crosscheck.py, a connection
/// of a separate engine).
@Suite("Worker sessions", .bounded)
struct WorkerSessionTests {
    let parser = ScenarioParser(file: "w.scenario")

    @Test("a worker is declared with 'worker' and performs sql-read, with or without a lamp name")
    func parses() throws {
        let definition = try parser.parse("""
            scenario w
            session S1 test
            session S3 worker
            S1 create
            S1 create b
            S3 sql-read
            S3 sql-read b
            """)
        let worker = try #require(definition.declaration("S3"))
        #expect(worker.isWorker && !worker.isApplication)
        #expect(definition.hasWorker)
        #expect(definition.steps.filter { $0.session == "S3" }.map(\.lamp) == [nil, "b"])
    }

    @Test("a worker's other steps and settings are refused with a one-line message", arguments: [
        ("session S3 worker\nS1 create\nS3 select", 5, "S3 is a worker session: its step is 'sql-read', found 'select'"),
        ("session S3 worker\nS1 create\nS3 switch-on", 5, "S3 is a worker session: its step is 'sql-read', found 'switch-on'"),
        ("session S3 worker isolation=serializable\nS1 create", 3, "'isolation' is a setting of test or app sessions only"),
    ])
    func refusals(_ tail: String, _ line: Int, _ message: String) throws {
        let error = try #require(throws: ScenarioParseError.self) {
            try parser.parse("scenario w\nsession S1 test\n" + tail)
        }
        #expect(error.line == line)
        #expect(error.message == message)
    }

    @Test("--grammar --json: 'session' stays the main kind; 'sessions' lists every kind that may perform the step")
    func grammarJSON() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(ScenarioGrammar.json.utf8)) as? [String: Any])
        let steps = try #require(object["steps"] as? [[String: Any]])
        func entry(_ keyword: String) throws -> [String: Any] { try #require(steps.first { $0["keyword"] as? String == keyword }) }
        #expect(try entry("sql-read")["session"] as? String == "test")
        #expect(try entry("sql-read")["sessions"] as? [String] == ["test", "worker"])
        #expect(try entry("switch-on")["sessions"] as? [String] == ["app"])
        #expect(try entry("select")["sessions"] as? [String] == ["test"])
    }

    /// One fixture built-in at its fixed settings (read committed, expire_on_commit=false).
    static func run(_ name: String) throws -> CaseResult {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        let cases = Dimensions(isolations: [.readCommitted]).cases(for: [try ScenarioCases.builtIn(name)])
        return try #require(try runner.run(cases).cases.first)
    }

    @Test("the worker sees what another process sees: the real commit (independent), the old value (override-get-db), no row (the join recipes)",
          arguments: [("fixture-independent-truncate", "on"), ("fixture-override-get-db", "off"),
                      ("fixture-savepoint-join", nil), ("fixture-rollback-per-test", nil)] as [(String, String?)])
    func builtIns(_ name: String, _ read: String?) throws {
        let result = try Self.run(name)
        #expect(result.observation.workerReads == [read])
        #expect(result.workerLabels == ["S3"])
        #expect(result.observerLabel == "S4", "the committed read's connection is not the worker's")
        let workerSQL = result.events.compactMap { event -> String? in
            guard case let .session(entry) = event, entry.session == "S3", case let .statement(statement) = entry.kind else { return nil }
            return statement.sql
        }
        #expect(workerSQL == ["SELECT status FROM lamps WHERE id = $1"], "one plain read, no transaction control")
    }

    @Test("without a worker the JSON has no worker_reads key")
    func noWorkerNoKey() throws {
        let result = try Self.run("fixture-independent-truncate")
        #expect(JSONLinesRenderer.render([result]).contains("\"worker_reads\": [\"on\"]"))
        let none = try ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
            .run(Dimensions(isolations: [.readCommitted]).cases(for: [try ScenarioCases.builtIn("none")])).cases
        #expect(!JSONLinesRenderer.render(none).contains("worker_reads"))
    }
}
