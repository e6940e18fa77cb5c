import LampApp
import LampctlKit
import LocalServer
import Postgres
import Scenario
import Testing

/// Every library error maps to one line and the documented exit status.
@Suite("Error mapping")
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
        #expect(LampctlError.from(ScenarioRunError(caseName: "c", step: "s", message: "m", isConnectionFailure: true)).status == .unavailable)
        #expect(LampctlError.from(ScenarioRunError(caseName: "c", step: "s", message: "m")).status == .databaseError)
    }

    @Test("a database error line carries the SQLSTATE and the hint, on one line")
    func databaseLine() {
        let error = LampctlError.from(PostgresError(kind: .statementFailed, sqlState: .syntaxError, message: "syntax error", hint: "check it"))
        #expect(error.message == "database error: syntax error (SQLSTATE 42601); hint: check it")
        #expect(!error.message.contains("\n"))
    }
}
