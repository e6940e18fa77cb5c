/// What `pg_xact_status` says about the transaction that wrote a row version (its `xmin`), when
/// that transaction has not committed.
public enum RowWriter: String, Sendable, Codable {
    /// Still running. For the version a transaction sees, that transaction itself: its own
    /// uncommitted writes are the only uncommitted ones it can see.
    case inProgress = "in progress"
    /// Rolled back: the (sub)transaction that wrote it, e.g. a savepoint released inside one that
    /// was rolled back later.
    case aborted

    /// From `pg_xact_status`'s answer: nil for `committed` (and for NULL: too old to tell).
    public init?(pgXactStatus status: String?) {
        guard let status, let writer = RowWriter(rawValue: status) else { return nil }
        self = writer
    }
}
