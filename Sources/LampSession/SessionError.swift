/// Errors the session raises itself (database errors arrive as `PostgresError`).
public enum SessionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An expired attribute was read on an object that has no session (after `close` or `expunge`).
    case detachedInstance(column: String, key: Int64?)
    /// The row behind an object is gone.
    case objectDeleted(key: Int64?)
    /// The operation needs an object that is persistent in this session.
    case notPersistent(operation: String)
    /// An UPDATE matched no row.
    case staleData(key: Int64?)
    /// Another object already holds this identity in the session.
    case identityConflict(key: Int64)
    /// `refresh` found no row for a persistent object (SQLAlchemy: "Could not refresh instance").
    case refreshFoundNoRow(key: Int64?)
    /// An async session was asked to load an expired attribute implicitly (a plain attribute read).
    case missingGreenlet(column: String, key: Int64?)
    /// `release` or `rollback-nested` with no nested transaction open.
    case noSavepoint(operation: String)
    /// A statement (or commit) after a flush failed: the flush rolled the transaction back and the
    /// session refuses to go on until `rollback()` or `close()` (SQLAlchemy's PendingRollbackError).
    case pendingRollback(cause: String)

    public var description: String {
        switch self {
        case let .detachedInstance(column, key):
            return "instance \(key.map(String.init) ?? "?") is not bound to a session; attribute '\(column)' cannot be loaded"
        case let .objectDeleted(key):
            return "the row for instance \(key.map(String.init) ?? "?") no longer exists"
        case let .notPersistent(operation):
            return "\(operation) needs an object that is persistent within this session"
        case let .staleData(key):
            return "UPDATE of instance \(key.map(String.init) ?? "?") expected to match 1 row; 0 were matched"
        case let .identityConflict(key):
            return "another object with key \(key) is already present in this session"
        case let .refreshFoundNoRow(key):
            return "could not refresh instance \(key.map(String.init) ?? "?"): its row is gone"
        case let .missingGreenlet(column, key):
            return "greenlet_spawn has not been called; can't call await_only() here: reading expired attribute '\(column)' "
                + "of instance \(key.map(String.init) ?? "?") needs IO (use await on awaitable_attrs)"
        case let .noSavepoint(operation):
            return "\(operation): no nested transaction (begin_nested()) is open"
        case let .pendingRollback(cause):
            return "this session's transaction was rolled back by an exception during flush (\(cause)); call rollback() first"
        }
    }
}
