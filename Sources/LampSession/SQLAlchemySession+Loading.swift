import Postgres

extension SQLAlchemySession {
    /// Runs `SELECT ... WHERE key = $1` through the session (autoflush, autobegin) and returns the
    /// object for the row, or `nil` when there is none.
    ///
    /// The identity map rule: if an object with that key is already in the session, it is returned;
    /// its loaded attributes keep their values and only expired ones are filled from the row
    /// (`populateExisting` overwrites all of them). A discarded differing value is traced.
    public func select(_ model: ModelDescription, key: Int64, populateExisting: Bool = false) throws -> ORMObject? {
        try select(model, key: key, populateExisting: populateExisting, forUpdate: false)
    }

    func select(_ model: ModelDescription, key: Int64, populateExisting: Bool, forUpdate: Bool) throws -> ORMObject? {
        guard let row = try fetchRow(model, key: key, forUpdate: forUpdate) else { return nil }
        return apply(model, key: key, row: row, overwrite: populateExisting ? .populateExisting : nil)
    }

    /// Expires the object's attributes, then loads them with a SELECT by key now (autoflush,
    /// autobegin), overwriting whatever was loaded.
    public func refresh(_ object: ORMObject) throws {
        guard contains(object), object.state == .persistent, let key = object.key else {
            throw SessionError.notPersistent(operation: "refresh")
        }
        // As SQLAlchemy: the object is expired first (its unsaved changes are discarded), then
        // the session autoflushes everything else and loads the row, which overwrites what was
        // loaded before (traced against those values).
        let previous = object.loaded
        expireAttributes(of: object)
        guard let row = try fetchRow(object.model, key: key) else { throw SessionError.refreshFoundNoRow(key: key) }
        object.loaded = previous
        _ = apply(object.model, key: key, row: row, overwrite: .refresh)
    }

    /// Loads the expired attributes of a persistent object (reading an expired attribute). An
    /// async session cannot: as measured with AsyncSession, it autobegins its own transaction
    /// (no BEGIN is sent, so no snapshot is taken) and raises `MissingGreenlet`.
    public func loadExpiredAttribute(_ column: String, of object: ORMObject) throws {
        guard loadsImplicitly else {
            beginSessionTransaction()
            throw SessionError.missingGreenlet(column: column, key: object.key)
        }
        try awaitExpiredAttribute(column, of: object)
    }

    /// `await obj.awaitable_attrs.column`: loads the expired attributes, in either flavour.
    public func awaitExpiredAttribute(_ column: String, of object: ORMObject) throws {
        guard let key = object.key else { throw SessionError.notPersistent(operation: "load") }
        record(.lazyLoad(object: object.label, column: column))
        guard let row = try fetchRow(object.model, key: key) else { throw SessionError.objectDeleted(key: key) }
        _ = apply(object.model, key: key, row: row, overwrite: nil)
    }

    /// The one fetch by key: autoflush, then `SELECT ... WHERE key = $1` in the session's
    /// transaction; the row's column values, or `nil` when there is no such row.
    private func fetchRow(_ model: ModelDescription, key: Int64, forUpdate: Bool = false) throws -> [String: String?]? {
        try autoflush()
        let sql = forUpdate ? model.selectByKeySQL + " FOR UPDATE" : model.selectByKeySQL
        let result = try statement(sql, [String(key)], for: .load(table: model.table, key: key))
        guard let first = result.rows.first else { return nil }
        var row: [String: String?] = [:]
        for column in model.columns {
            guard let index = result.columns.firstIndex(of: column) else { continue }
            row[column] = .some(first[index])
        }
        return row
    }

    /// Applies a row to the identity map: a new object, or the identity map rule on the existing one.
    func apply(_ model: ModelDescription, key: Int64, row: [String: String?], overwrite: SessionEvent.Overwrite?) -> ORMObject {
        guard let object = identityMap[IdentityKey(table: model.table, key: key)] else {
            let object = ORMObject(model: model, key: key, row: row, session: self, serial: trace.nextSerial())
            for column in row.keys { object.noteRowLoad(column) }
            identityMap[IdentityKey(table: model.table, key: key)] = object
            record(.objectLoaded(object: object.label))
            return object
        }
        for column in model.columns {
            guard let rowValue = row[column] else { continue }
            if let current = object.loaded[column] {
                if let overwrite {
                    if current != rowValue {
                        record(.attributeOverwritten(object: object.label, column: column, old: current, new: rowValue, by: overwrite))
                    }
                    object.loaded[column] = .some(rowValue)
                    object.committed[column] = .some(rowValue)
                    object.noteRowLoad(column)
                    object.modified = false
                } else if current != rowValue {
                    record(.staleValueKept(object: object.label, column: column, kept: current, row: rowValue))
                }
            } else {
                // A refresh fills what it expired itself without remark.
                if overwrite != .refresh {
                    record(.expiredAttributeLoaded(object: object.label, column: column, value: rowValue))
                }
                object.loaded[column] = .some(rowValue)
                object.committed[column] = .some(rowValue)
                object.noteRowLoad(column)
            }
        }
        object.expired = false
        object.keyExpired = false
        return object
    }
}
