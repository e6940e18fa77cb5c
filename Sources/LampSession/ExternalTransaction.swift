public import Postgres

/// SQLAlchemy's recipe for test suites: `connection = engine.connect(); outer = connection.begin()`,
/// and sessions bound to that connection with a `join_transaction_mode`. One object per shared
/// connection: its outer transaction's state and the connection's savepoint counter.
///
/// Not Sendable: it belongs to the case that owns the connection.
public final class ExternalTransaction {
    /// How a session bound to the connection joins the outer transaction.
    public enum JoinMode: String, Sendable, Codable, CaseIterable {
        /// Each session transaction is a SAVEPOINT: commit RELEASEs it, rollback and close roll back to it.
        case createSavepoint = "create_savepoint"
        /// Sessions send nothing to begin or commit; a session's rollback rolls back the whole outer transaction.
        case rollbackOnly = "rollback_only"
    }

    /// Where the outer transaction is.
    public enum State: Sendable, Equatable {
        /// `connection.begin()` was called: BEGIN goes out before the connection's first statement.
        case begun
        /// BEGIN was sent; the transaction is open.
        case open
        /// A session rolled it back (rollback_only); the connection has no transaction.
        case ended
        /// A session began the connection's transaction itself after the outer one ended, and owns it.
        case ownedBySession
    }

    public let connection: Connection
    public let mode: JoinMode
    /// The level the connection's transactions run at (the test's).
    public let isolation: IsolationLevel
    public internal(set) var state: State = .begun
    let savepointNames = SavepointNames()

    public init(connection: Connection, mode: JoinMode, isolation: IsolationLevel) {
        self.connection = connection
        self.mode = mode
        self.isolation = isolation
    }

    /// The fixture's teardown: `outer.rollback()` when the outer transaction is still open (a
    /// transaction a session owns is its own to end). Records the ROLLBACK under `label`.
    public func tearDown(trace: Trace, label: String) throws {
        guard state == .open || state == .ownedBySession else { return }
        let result = try connection.execute("ROLLBACK")
        trace.record(TracedStatement(purpose: .rollback, sql: "ROLLBACK", parameters: [], result: result), session: label)
        state = .ended
    }
}
