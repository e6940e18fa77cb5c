public import Postgres

/// How long a clean-up statement (dropping a run's schema, terminating its backends, a sweep)
/// may wait for a lock or run at all: a stuck server or a session that holds a lock on the
/// run's table then costs the user seconds, not forever; what could not be dropped is left for
/// the next sweep.
public enum CleanupLimits {
    /// `lock_timeout` and `statement_timeout` for clean-up statements.
    public static let timeout = "2s"

    /// Applies the limits to the rest of the connection's life (a connection opened for clean-up,
    /// or one about to close).
    public static func apply(to connection: Connection) throws {
        try connection.execute(
            "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $1, false)", [timeout])
    }

    /// Runs `body` in a transaction with the limits in force (only for that transaction);
    /// `lockTimeout` may be shorter (a sweep has no reason to wait for a lock).
    public static func inTransaction(on connection: Connection, lockTimeout: String = timeout,
                                     _ body: () throws -> Void) throws {
        try connection.execute("BEGIN")
        do {
            try connection.execute(
                "SELECT set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)", [lockTimeout, timeout])
            try body()
            try connection.execute("COMMIT")
        } catch {
            if !connection.isClosed { _ = try? connection.execute("ROLLBACK") }
            throw error
        }
    }
}
