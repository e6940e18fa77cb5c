import Foundation
import LampApp
import LampSession
import Postgres
import Scenario
import TestSupport
import Testing

/// Faults during a run: a clear error naming the case and step, and the run's schema dropped.
@Suite("Faults during a run", .bounded)
struct FaultTests {
    static func none() throws -> ScenarioDefinition { try #require(try BuiltInScenarios.definition(named: "none")) }

    static func schemaExists(_ schema: String) throws -> Bool {
        let connection = try TestDatabase.connect()
        defer { connection.close() }
        return try !connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]).rows.isEmpty
    }

    @Test("the application's backend is terminated mid-scenario (pg_terminate_backend)")
    func backendTerminated() throws {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        var schema = ""
        runner.beforeStep = { context in
            schema = context.schema
            // Terminate the application's connection in the first case, after its request used it.
            guard context.phase.hasPrefix("line 16"), let pid = context.backends["S2"] else { return }
            let admin = try TestDatabase.connect()
            defer { admin.close() }
            try admin.execute("SELECT pg_terminate_backend($1::int)", [String(pid)])
        }
        // Two cases: the second case's switch-on finds S2's connection terminated.
        let cases = Dimensions(isolations: [.readCommitted], expireOnCommit: [false, true]).cases(for: [try Self.none()])
        let error = try #require(throws: ScenarioRunError.self) { try runner.run(cases) }
        #expect(error.caseName.contains("expire_on_commit=true"))
        #expect(error.step == "line 15: S2 switch-on")
        #expect(error.description.contains("terminat") || error.description.contains("connection"))
        let cause = try #require(error.underlying as? PostgresError, "the database error is kept, not a string of it")
        #expect(cause.isConnectionLoss, "\(cause): a terminated backend is a lost connection")
        #expect(error.isConnectionLoss)
        #expect(try !Self.schemaExists(schema), "the run's schema is dropped after the failure")
    }

    @Test("a lock wait beyond statement_timeout ends the case with the step named")
    func lockTimeout() throws {
        var options = try ConnectionString(try TestDatabase.url).options
        options["options"] = "-c statement_timeout=300"
        let url = options.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let runner = ScenarioRunner(connectionString: try ConnectionString(url))
        var schema = ""
        var blocker: Connection?
        runner.beforeStep = { context in
            schema = context.schema
            if context.phase.hasPrefix("line 15") {
                // Another session locks the lamp row, so the application's UPDATE has to wait.
                let connection = try TestDatabase.connect(schema: context.schema)
                try connection.execute("BEGIN")
                try connection.execute("SELECT * FROM lamps FOR UPDATE")
                blocker = connection
            }
            if context.phase == "cleanup" { blocker?.close() }
        }
        let error = try #require(throws: ScenarioRunError.self) { try runner.run(Dimensions().cases(for: [try Self.none()])) }
        #expect(error.step == "line 15: S2 switch-on")
        #expect(error.message.contains("57014") || error.message.contains("statement timeout"))
        #expect((error.underlying as? PostgresError)?.sqlState == .queryCanceled)
        #expect(!error.isConnectionLoss, "a cancelled statement leaves the connection usable")
        #expect(try !Self.schemaExists(schema))
    }

    @Test("a scenario that fails in one case leaves no schema and none of its connections behind")
    func failureCleansUp() throws {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        var schema = ""
        var backends: [Int32] = []
        runner.beforeStep = { context in
            schema = context.schema
            if !context.backends.isEmpty { backends = Array(context.backends.values) }
            if context.phase == "observe" { throw SessionError.objectDeleted(key: nil) }
        }
        let error = try #require(throws: ScenarioRunError.self) { try runner.run(Dimensions().cases(for: [try Self.none()])) }
        #expect(error.step.hasPrefix("observe"))
        #expect(error.underlying as? SessionError == .objectDeleted(key: nil), "the hook's own error is kept")
        #expect(try !Self.schemaExists(schema))
        #expect(backends.count == 2, "S1 and S2 had connected")
        let connection = try TestDatabase.connect()
        defer { connection.close() }
        let alive = try connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(string_to_array($1, ',')::int[])",
            [backends.map(String.init).joined(separator: ",")])
        #expect(alive.rows.first?.first == "0")
    }
}
