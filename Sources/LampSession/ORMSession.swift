public import Postgres

/// The operations scenario steps, the application's handler and the lamp commands call on an ORM
/// session. Each ORM's rules (identity map or not, what reading an expired attribute does) are one
/// conforming type; `SQLAlchemySession` is SQLAlchemy 2.x's synchronous `Session`.
///
/// Not Sendable: a session belongs to one owner on one thread, as its connection does.
public protocol ORMSession: AnyObject {
    /// The label the event log shows for this session (e.g. `S1`).
    var label: String { get }
    /// The connection the session sends its statements on.
    var connection: Connection { get }
    /// Every object in the identity map, in no particular order.
    var persistentObjects: [ORMObject] { get }

    /// Adds a new (or detached) object; it is written at the next flush.
    func add(_ object: ORMObject) throws
    /// Writes pending and changed objects inside the session's transaction.
    func flush() throws
    /// Flushes and commits the session's transaction.
    func commit() throws
    /// Rolls back the session's transaction.
    func rollback() throws
    /// Ends the transaction and releases every object.
    func close() throws
    /// Reloads the object's attributes from the database now.
    func refresh(_ object: ORMObject) throws
    /// Marks the object's attributes as needing a reload.
    func expire(_ object: ORMObject) throws
    /// Marks every object's attributes as needing a reload.
    func expireAll()
    /// Removes one object from the session.
    func expunge(_ object: ORMObject) throws
    /// Loads the object with this key (`populateExisting` overwrites what an existing object holds).
    func select(_ model: ModelDescription, key: Int64, populateExisting: Bool) throws -> ORMObject?
    /// `session.get`: the object in the identity map when it is loaded (no SQL, no autobegin),
    /// else a load by key (nil when there is no such row).
    func get(_ model: ModelDescription, key: Int64) throws -> ORMObject?
    /// `select(...).with_for_update()`: loads by key with `FOR UPDATE`, locking the row; a loaded
    /// object keeps its attributes (no implied populate_existing).
    func selectForUpdate(_ model: ModelDescription, key: Int64) throws -> ORMObject?
    /// `refresh(object, [columns])`: reloads only these attributes.
    func refresh(_ object: ORMObject, attributes: [String]) throws
    /// `merge(object)`: the session's object for the given one's key, with its loaded attributes copied over.
    func merge(_ object: ORMObject) throws -> ORMObject
    /// `delete(object)`: the next flush deletes its row.
    func delete(_ object: ORMObject) throws
    /// A list query of every row with a key at or above `fromKey`, in key order (identity map applies).
    func selectAll(_ model: ModelDescription, fromKey: Int64) throws -> [ORMObject]
    /// `begin_nested()`: flushes, then opens a nested transaction (its SAVEPOINT goes out before the next statement).
    func beginNested() throws
    /// Commits the innermost nested transaction (`RELEASE SAVEPOINT`).
    func releaseNested() throws
    /// Rolls back the innermost nested transaction (`ROLLBACK TO SAVEPOINT`), expiring what changed inside it.
    func rollbackNested() throws
    /// Runs plain SQL in the session's transaction.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?]) throws -> QueryResult
    /// Called when code reads an attribute of `object` that is not loaded: loads it, or throws
    /// (an async session cannot load implicitly).
    func loadExpiredAttribute(_ column: String, of object: ORMObject) throws
    /// Called for an awaited read of an expired attribute (`await obj.awaitable_attrs.column`),
    /// which loads it in an async session too.
    func awaitExpiredAttribute(_ column: String, of object: ORMObject) throws
}

extension ORMSession {
    /// An ORM without async reads loads an awaited attribute as a plain one.
    public func awaitExpiredAttribute(_ column: String, of object: ORMObject) throws {
        try loadExpiredAttribute(column, of: object)
    }

    /// Loads the object with this key, the identity map's rules applying as they do in this ORM.
    public func select(_ model: ModelDescription, key: Int64) throws -> ORMObject? {
        try select(model, key: key, populateExisting: false)
    }

    /// Runs plain SQL without parameters in the session's transaction.
    @discardableResult
    public func execute(_ sql: String) throws -> QueryResult { try execute(sql, []) }
}
