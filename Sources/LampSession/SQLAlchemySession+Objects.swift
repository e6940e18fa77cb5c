import Postgres

/// What tests do with objects beyond select and refresh, with the rules measured on SQLAlchemy 2.1.9
/// (docs/measurements/sqlalchemy-test-suites.md, section 2).
extension SQLAlchemySession {
    /// Before a query: flush, unless the session was made with `autoflush=False`.
    func autoflush() throws {
        if options.autoflush { try flush() }
    }

    /// `session.get(Model, key)`: an identity-map hit on a loaded object sends nothing and does not
    /// autobegin, even when the row has changed since; an expired or absent object is loaded by key.
    public func get(_ model: ModelDescription, key: Int64) throws -> ORMObject? {
        guard let object = identityMap[IdentityKey(table: model.table, key: key)] else {
            return try select(model, key: key, populateExisting: false)
        }
        if !object.expired {
            record(.noOp(operation: "get", reason: "\(object.label) is in the identity map and loaded: no SQL, no autobegin"))
            return object
        }
        // As SQLAlchemy's get_from_identity (measured on 2.1.9): when loading the expired object finds
        // no row, or raises ObjectDeletedError (its autoflush found a row gone), the object leaves the
        // identity map as deleted and get loads by key anew (a second SELECT; after that failed flush,
        // PendingRollbackError).
        do {
            if let found = try select(model, key: key, populateExisting: false) { return found }
        } catch SessionError.objectDeleted {}
        removeNewlyDeleted(object)
        return try select(model, key: key, populateExisting: false)
    }

    /// SQLAlchemy's `_remove_newly_deleted`: an object whose row turned out to be gone leaves the
    /// identity map in the deleted state, as if its DELETE had been flushed in this transaction.
    func removeNewlyDeleted(_ object: ORMObject) {
        if let key = object.key { identityMap[IdentityKey(table: object.model.table, key: key)] = nil }
        object.modified = false
        object.state = .deleted
        object.wasDeleted = true
        deletedInTransaction.append(object)
        noteDeleted(object)
        record(.expunged(object: object.label, nowState: .deleted))
    }

    /// `select(Model).where(key).with_for_update()`: `SELECT ... FOR UPDATE` (autoflush, autobegin);
    /// the identity map rule applies as to any query: a loaded object is not overwritten.
    public func selectForUpdate(_ model: ModelDescription, key: Int64) throws -> ORMObject? {
        try select(model, key: key, populateExisting: false, forUpdate: true)
    }

    /// `refresh(object, ["status"])`: those attributes are expired first (a change to them is
    /// discarded, as measured on 2.1.9), then autoflush and `SELECT <columns> FROM ... WHERE key = $1`,
    /// overwriting only those attributes. No row: `refreshFoundNoRow` (SQLAlchemy's InvalidRequestError).
    public func refresh(_ object: ORMObject, attributes: [String]) throws {
        guard contains(object), object.state == .persistent, let key = object.key else {
            throw SessionError.notPersistent(operation: "refresh")
        }
        let previous = object.loaded
        for column in attributes {
            object.loaded[column] = nil
            object.committed[column] = nil
        }
        // As SQLAlchemy: expiring some attributes leaves the object marked modified (measured on
        // 2.1.9, fuzz seed 2494): the autoflush registers it (no SQL), and without autoflush it stays
        // modified, so a nested rollback expires it either way.
        try autoflush()
        let model = object.model
        let sql = "SELECT \(attributes.map(model.qualified).joined(separator: ", ")) FROM \(model.table) WHERE \(model.qualified(model.primaryKey)) = $1"
        let result = try statement(sql, [String(key)], for: .load(table: model.table, key: key))
        guard let row = result.rows.first else { throw SessionError.refreshFoundNoRow(key: key) }
        for (index, column) in result.columns.enumerated() where attributes.contains(column) {
            let value = row[index]
            if let current = previous[column], current != value {
                record(.attributeOverwritten(object: object.label, column: column, old: current, new: value, by: .refresh))
            }
            object.loaded[column] = .some(value)
            object.committed[column] = .some(value)
            object.noteRowLoad(column)
        }
        object.expired = false
    }
}
