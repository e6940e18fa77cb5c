/// What a session sent a statement for, recorded beside its SQL text so that nothing reading the
/// event log has to parse SQL back.
public enum StatementPurpose: Sendable, Equatable, Codable {
    /// Opens a transaction at this isolation level (`.serverDefault`: a plain `BEGIN`).
    case begin(IsolationLevel)
    /// Loads one row by primary key (a query through the session, a refresh or a lazy load).
    case load(table: String, key: Int64)
    /// Inserts a row; `values` holds every column as written or returned, the key included.
    case insert(table: String, values: [String: String?])
    /// Updates the row with this key; `values` holds the columns set.
    case update(table: String, key: Int64, values: [String: String?])
    /// Deletes the row with this key.
    case delete(table: String, key: Int64)
    case savepoint(String)
    case releaseSavepoint(String)
    case rollbackToSavepoint(String)
    /// Commits the open transaction.
    case commit
    /// Rolls back the open transaction.
    case rollback
    /// SQL its caller wrote (`execute`, or a plain read outside any session).
    case plain
    /// Reads the primary's WAL position (the LSN an application reports after its commit).
    case walPosition
    /// Polls a hot standby until it has replayed up to this LSN (read-your-writes).
    case replayWait(lsn: String)
    /// Pauses (`pause: true`) or resumes WAL replay on a hot standby.
    case replayControl(pause: Bool)
    /// Sets the session's `synchronous_commit` for the request that follows.
    case synchronousCommit(SynchronousCommitMode)

    /// True for statements that end a transaction.
    public var endsTransaction: Bool { self == .commit || self == .rollback }

    /// The values an INSERT or UPDATE wrote; empty for anything else.
    public var writtenValues: [String: String?] {
        switch self {
        case let .insert(_, values), let .update(_, _, values): return values
        default: return [:]
        }
    }
}
