/// What lampctl watch reports about one row another connection committed a change to, for one
/// connection that had received that row before the commit; or a value a connection received
/// that was never committed. Times are seconds since the watch began; statements are named by
/// connection and number (`C2#5`), as the report prints them.
public struct Finding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case nothingNewer = "nothing newer"
        case oldSnapshot = "re-read in an old snapshot"
        case reReadFresh = "re-read fresh"
        case neverCommitted = "never committed"
        case blocked

        /// A finding where some connection read, or kept, an old or uncommitted value.
        public var isStale: Bool { self == .nothingNewer || self == .oldSnapshot || self == .neverCommitted }
    }

    /// A row as one connection received it, or as a commit left it.
    public struct Sighting: Sendable, Equatable {
        public var connection: Int?
        public var statement: Int?
        public var at: Double
        public var values: [String: String?]
        /// The isolation of the transaction it was received in (nil: the server's default).
        public var isolation: String?
    }

    public var kind: Kind
    public var table: String
    /// The primary key, column to value, in key order.
    public var key: [KeyPart]
    /// The commit (for `never committed`: nil).
    public var committed: Sighting?
    /// The reader's connection.
    public var reader: Int
    /// What the reader last received before the commit (for `never committed`: the value it received).
    public var before: Sighting
    /// What it received after the commit (nil for `nothing newer`).
    public var after: Sighting?
    /// For `blocked`: the statement that waited (`before`) and the connection and last statement
    /// of each lock holder.
    public var holders: [Sighting] = []

    public struct KeyPart: Sendable, Equatable {
        public var column: String
        public var value: String
    }

    /// What a user can do about it, whatever their ORM.
    public var fixes: String {
        switch kind {
        case .nothingNewer:
            "the object kept in memory is stale: re-read it after the other commit (SQLAlchemy: refresh(obj), expire(obj) or expire_all() before the access, or populate_existing; Django: obj.refresh_from_db(); JPA: entityManager.refresh(obj); Rails: record.reload; EF Core: entry.Reload())"
        case .reReadFresh:
            "the committed value reached this connection; an ORM that tracks objects may still have kept the old one (SQLAlchemy's identity map without populate_existing or expire, JPA's persistence context, EF Core tracking queries); Django and Rails build new objects from it"
        case .oldSnapshot:
            "its transaction's snapshot predates the commit: end the transaction before reading again (commit, rollback or close the session), or read at READ COMMITTED"
        case .neverCommitted:
            "this value was written by a transaction that did not commit: the application flushed without committing, or shares the test's transaction, which is rolled back at the end"
        case .blocked:
            "the statement waited for a lock the other connection held (a row it updated or selected FOR UPDATE in a transaction still open): end that transaction before the request, or do not hold the lock across it"
        }
    }
}
