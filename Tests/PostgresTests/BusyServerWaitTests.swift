import Postgres
import TestSupport
import Testing

/// Which connection refusals are worth waiting for, read from libpq's message (see
/// `SQLState.ofConnectionFailure`); the real 53300 from a full server is in `BusyServerTests`.
@Suite("Busy server refusals", .bounded)
struct BusyServerWaitTests {
    @Test("53300 and 57P03 are recognised by code or by the server's text; other failures are not", arguments: [
        ("connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: FATAL:  sorry, too many clients already", "53300"),
        ("connection to server at \"db\" (10.0.0.1), port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections", "53300"),
        ("FATAL:  too many connections for role \"app\"", "53300"),
        ("connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: FATAL:  the database system is starting up", "57P03"),
        ("FATAL:  the database system is not yet accepting connections", "57P03"),
        ("FATAL:  57P03: le système de bases de données se lance", "57P03"),
        ("FATAL:  password authentication failed for user \"postgres\"", nil),
        ("connection to server at \"127.0.0.1\", port 1 failed: Connection refused", nil),
        ("FATAL:  database \"nope\" does not exist", nil),
    ] as [(String, String?)])
    func recognised(_ message: String, _ code: String?) {
        let state = SQLState.ofConnectionFailure(message)
        #expect(state?.rawValue == code)
        #expect(state?.isWorthWaitingFor ?? false == (code != nil))
    }

    @Test("a failure that is not worth waiting for fails at once, whatever the wait")
    func noWaitForOtherFailures() {
        var waiting = BusyServerWait.Waiting()
        let refusal = PostgresError(kind: .connectionFailed, message: "password authentication failed")
        let waits = waiting.pause(after: refusal)
        #expect(!waits)
        var disabled = BusyServerWait.Waiting(enabled: false)
        let disabledWaits = disabled.pause(after: PostgresError(kind: .connectionFailed, sqlState: .tooManyConnections, message: "full"))
        #expect(!disabledWaits)
    }
}
