public import Postgres

/// An `ORMSession` with SQLAlchemy 2.x's rules over one libpq connection: an identity map, a unit
/// of work, autobegin, and expiry (SQLAlchemy's synchronous `Session`).
///
/// The session's own transaction (SQLAlchemy's `SessionTransaction`) begins on `add` or on the
/// first statement; the database transaction (`BEGIN`) begins on the first statement only, and both
/// stay open until `commit`, `rollback` or `close`. Not Sendable: one owner, one thread.
public final class SQLAlchemySession: ORMSession {
    /// How the session behaves; defaults match SQLAlchemy's `Session()`.
    public typealias Options = SessionOptions

    public let connection: Connection
    public let options: Options
    public let trace: Trace
    /// False for `AsyncSession`: an expired attribute read without `await` raises `MissingGreenlet`.
    public let loadsImplicitly: Bool

    typealias IdentityKey = IdentityMap.Key

    var identityMap = IdentityMap()
    /// Added and not yet flushed, in order of `add`.
    var pending: [ORMObject] = []
    /// Inserted within the current transaction (become transient again on rollback).
    var insertedInTransaction = WeakObjects()
    /// Marked by `delete`, not yet flushed (held strongly, as SQLAlchemy's `Session._deleted`).
    var deleted: [ORMObject] = []
    /// Deleted by a flush within the current transaction (persistent again on rollback).
    var deletedInTransaction = WeakObjects()
    /// SQLAlchemy's SessionTransaction: begun by `add` or a statement, ended by commit/rollback/close.
    public internal(set) var hasSessionTransaction = false
    /// A `BEGIN` was sent and neither COMMIT nor ROLLBACK since.
    public internal(set) var hasDatabaseTransaction = false
    /// A flush failed (its text): SQLAlchemy rolled the transaction back and deactivated the
    /// session's transaction; every statement and commit raises PendingRollbackError until
    /// `rollback()` or `close()` (measured on 2.1.9).
    var flushFailure: String?
    /// Open `begin_nested()` transactions, outermost first.
    var savepoints: [SavepointFrame] = []
    /// The outer transaction of the connection the session is bound to (SQLAlchemy's
    /// `Session(bind=connection, join_transaction_mode=...)`); nil for a session of its own.
    public let external: ExternalTransaction?
    /// The session's transaction joined `external` (rather than beginning the connection's own).
    var joinedExternal = false
    /// Under `create_savepoint`: the savepoint the session's transaction is.
    var joinSavepoint: String?
    private let ownSavepointNames = SavepointNames()
    /// Where savepoint names come from: the connection's counter.
    var savepointNames: SavepointNames { external?.savepointNames ?? ownSavepointNames }

    /// A session over `connection` (which must not be used by anything else while the session lives).
    public init(connection: Connection, options: Options = Options(), trace: Trace = Trace(), loadsImplicitly: Bool = true,
                external: ExternalTransaction? = nil) {
        self.connection = connection
        self.options = options
        self.trace = trace
        self.loadsImplicitly = loadsImplicitly
        self.external = external
    }

    public var label: String { options.label }

    /// Every object in the identity map, in no particular order.
    public var persistentObjects: [ORMObject] { Array(identityMap.values) }

    /// True when `object` is pending or persistent in this session.
    public func contains(_ object: ORMObject) -> Bool {
        object.session === self && (object.state == .pending || object.state == .persistent)
    }

    func record(_ event: SessionEvent) { trace.record(event, session: options.label) }

    func beginSessionTransaction() { hasSessionTransaction = true }

    /// An attribute of `object` was set (or its changes were flushed or expired): as SQLAlchemy,
    /// a change begins the session's transaction (no SQL; a rollback then expires everything), and
    /// the identity map holds a changed object strongly.
    func modifiedChanged(_ object: ORMObject) {
        if object.modified { beginSessionTransaction() }
        identityMap.modifiedChanged(object)
    }

    /// Sends `BEGIN` (with the configured isolation level) unless a transaction is open, then
    /// the `SAVEPOINT` of each nested transaction not sent yet.
    func autobegin() throws {
        if let flushFailure { throw SessionError.pendingRollback(cause: flushFailure) }
        beginSessionTransaction()
        if !hasDatabaseTransaction {
            if let external {
                try join(external)
            } else {
                try send(options.isolation.beginSQL, [], for: .begin(options.isolation))
            }
            hasDatabaseTransaction = true
            record(.autobegin(external?.isolation ?? options.isolation))
        }
        try sendPendingSavepoints()
    }

    /// Runs one statement inside the session's transaction (autobegin first), recording it.
    @discardableResult
    func statement(_ sql: String, _ parameters: [String?], for purpose: StatementPurpose,
                   completed: ((QueryResult) -> StatementPurpose)? = nil) throws -> QueryResult {
        try autobegin()
        return try send(sql, parameters, for: purpose, completed: completed)
    }

    /// Sends a statement as is and records it, with its purpose, in the trace; `completed` gives
    /// the purpose once the result is known (an INSERT's returned values).
    @discardableResult
    func send(_ sql: String, _ parameters: [String?], for purpose: StatementPurpose,
              completed: ((QueryResult) -> StatementPurpose)? = nil) throws -> QueryResult {
        try trace.execute(sql, parameters, purpose: purpose, session: label, on: connection, completed: completed)
    }

    /// Runs plain SQL in the session's transaction (autoflush and autobegin apply, the identity map
    /// does not), as `session.execute(text(...))` does: SQLAlchemy 2.x autoflushes before a Core
    /// statement too (its issue #9809; measured on 2.1.9: a pending `status` change is UPDATEd first).
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        try autoflush()
        return try statement(sql, parameters, for: .plain)
    }

    func track(_ object: ORMObject, key: Int64) {
        object.key = key
        object.state = .persistent
        identityMap[IdentityKey(table: object.model.table, key: key)] = object
    }

    func assignSerial(_ object: ORMObject) {
        if object.serial == 0 { object.serial = trace.nextSerial() }
    }
}
