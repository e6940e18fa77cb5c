import LampApp
import LampctlKit
import LocalServer
import Postgres
import Scenario
import TestSupport
import Testing
import LampSession

/// Every library error maps to one line and the documented exit status.
@Suite("Error mapping", .bounded)
struct LampctlErrorTests {
    @Test("each kind of error gets its exit status")
    func statuses() {
        #expect(LampctlError.from(PostgresError(kind: .invalidConnectionString, message: "bad")).status == .usage)
        #expect(LampctlError.from(PostgresError(kind: .connectionFailed, message: "no")).status == .unavailable)
        #expect(LampctlError.from(PostgresError(kind: .statementFailed, sqlState: .insufficientPrivilege, message: "permission denied")).status == .databaseError)
        #expect(LampctlError.from(LampAppError.lampNotFound(7)).status == .failure)
        #expect(LampctlError.from(LampAppError.lampNotFound(7)).message == "lamp 7 not found")
        #expect(LampctlError.from(ScenarioParseError(file: "f", line: 2, column: 3, message: "m")).status == .dataError)
        #expect(LampctlError.from(LocalServerError("no initdb")).status == .localServer)
        let lost = PostgresError(kind: .connectionFailed, message: "no")
        #expect(LampctlError.from(ScenarioRunError(caseName: "c", step: "s", underlying: lost)).status == .unavailable)
        #expect(LampctlError.from(ScenarioRunError(caseName: "c", step: "s", underlying: LampAppError.lampNotFound(1))).status == .databaseError)
    }

    @Test("SQLSTATEs are matched by class: a lost connection exits 69, other statement errors 70",
          arguments: [("57P01", LampctlKit.ExitStatus.unavailable), ("57P02", .unavailable), ("57P03", .unavailable),
                      ("08006", .unavailable), ("08003", .unavailable), ("08000", .unavailable),
                      ("57014", .databaseError), ("42501", .databaseError), ("40001", .databaseError)])
    func sqlStateClasses(_ code: String, _ status: LampctlKit.ExitStatus) {
        let error = PostgresError(kind: .statementFailed, sqlState: SQLState(code), message: "m")
        #expect(LampctlError.from(error).status == status)
        #expect(LampctlError.from(ScenarioRunError(caseName: "c", step: "s", underlying: error)).status == status)
    }

    @Test("libpq losing the connection without a SQLSTATE exits 69")
    func lostWithoutSQLState() {
        let error = PostgresError(kind: .statementFailed, message: "server closed the connection unexpectedly")
        #expect(LampctlError.from(error).status == .unavailable)
    }

    @Test("a database error line carries the SQLSTATE and the hint, on one line")
    func databaseLine() {
        let error = LampctlError.from(PostgresError(kind: .statementFailed, sqlState: .syntaxError, message: "syntax error", hint: "check it"))
        #expect(error.message == "database error: syntax error (SQLSTATE 42601); hint: check it")
        #expect(!error.message.contains("\n"))
    }
}

/// The exit status of a real run whose application backend is terminated.
@Suite("Error mapping of a real lost connection", .bounded)
struct LostConnectionTests {
    @Test("a backend terminated mid-run (pg_terminate_backend, SQLSTATE 57P01) exits 69, not 70")
    func terminatedBackend() throws {
        let runner = ScenarioRunner(connectionString: try ConnectionString(try TestDatabase.url))
        runner.beforeStep = { context in
            // After the first case's request used S2's connection, terminate it; the second case's
            // switch-on then finds it gone.
            guard context.caseIndex == 0, context.phase.hasPrefix("line 16"), let pid = context.backends["S2"] else { return }
            let admin = try TestDatabase.connect()
            defer { admin.close() }
            try admin.execute("SELECT pg_terminate_backend($1::int)", [String(pid)])
        }
        let none = try #require(try BuiltInScenarios.definition(named: "none"))
        let cases = Dimensions(isolations: [.readCommitted], expireOnCommit: [false, true]).cases(for: [none])
        let error = try #require(throws: ScenarioRunError.self) { try runner.run(cases) }
        let mapped = LampctlError.from(error)
        #expect(mapped.status == .unavailable, "\(mapped.message)")
        #expect(mapped.message.contains("line 15: S2 switch-on"))
    }
}
