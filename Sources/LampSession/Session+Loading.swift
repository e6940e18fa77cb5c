import Postgres

extension Session {
    /// Runs `SELECT ... WHERE key = $1` through the session (autoflush, autobegin) and returns the
    /// object for the row, or `nil` when there is none.
    ///
    /// The identity map rule: if an object with that key is already in the session, it is returned;
    /// its loaded attributes keep their values and only expired ones are filled from the row
    /// (`populateExisting` overwrites all of them). A discarded differing value is traced.
    public func select(_ model: ModelDescription, key: Int64, populateExisting: Bool = false) throws -> ORMObject? {
        try flush()
        let result = try statement(model.selectByKeySQL, [String(key)])
        guard let row = rowValues(model, result) else { return nil }
        return merge(model, key: key, row: row, overwrite: populateExisting ? "populate_existing" : nil)
    }

    /// Expires the object's attributes, then loads them with a SELECT by key now (autoflush,
    /// autobegin), overwriting whatever was loaded.
    public func refresh(_ object: ORMObject) throws {
        guard contains(object), object.state == .persistent, let key = object.key else {
            throw SessionError.notPersistent(operation: "refresh")
        }
        // As SQLAlchemy: the object is expired first (its unsaved changes are discarded), then
        // the session autoflushes everything else.
        let previous = object.loaded
        expireAttributes(of: object)
        try flush()
        let result = try statement(object.model.selectByKeySQL, [String(key)])
        guard let row = rowValues(object.model, result) else { throw SessionError.objectDeleted(key: key) }
        for (column, value) in row {
            if let old = previous[column], old != value {
                record(.attributeOverwritten(object: object.label, column: column, old: old, new: value, by: "refresh"))
            }
            object.loaded[column] = .some(value)
            object.committed[column] = .some(value)
        }
    }

    /// Loads the expired attributes of a persistent object (reading an expired attribute).
    func loadExpiredAttributes(of object: ORMObject, requested column: String) throws {
        guard let key = object.key else { throw SessionError.notPersistent(operation: "load") }
        record(.lazyLoad(object: object.label, column: column))
        try flush()
        let result = try statement(object.model.selectByKeySQL, [String(key)])
        guard let row = rowValues(object.model, result) else { throw SessionError.objectDeleted(key: key) }
        _ = merge(object.model, key: key, row: row, overwrite: nil)
    }

    private func rowValues(_ model: ModelDescription, _ result: QueryResult) -> [String: String?]? {
        guard let first = result.rows.first else { return nil }
        var row: [String: String?] = [:]
        for column in model.columns {
            guard let index = result.columns.firstIndex(of: column) else { continue }
            row[column] = .some(first[index])
        }
        return row
    }

    /// Applies a row to the identity map: a new object, or the identity map rule on the existing one.
    private func merge(_ model: ModelDescription, key: Int64, row: [String: String?], overwrite: String?) -> ORMObject {
        guard let object = identityMap[IdentityKey(table: model.table, key: key)] else {
            let object = ORMObject(model: model, key: key, row: row, session: self, serial: trace.nextSerial())
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
                    object.modified = false
                } else if current != rowValue {
                    record(.staleValueKept(object: object.label, column: column, kept: current, row: rowValue))
                }
            } else {
                record(.expiredAttributeLoaded(object: object.label, column: column, value: rowValue))
                object.loaded[column] = .some(rowValue)
                object.committed[column] = .some(rowValue)
            }
        }
        return object
    }
}
