import Postgres

/// `session.merge`, `session.delete` and a list query, with the rules measured on SQLAlchemy 2.1.9
/// (tools/measure/named_lamps.py, docs/measurements/sqlalchemy-test-suites.md section 2).
extension SQLAlchemySession {
    /// `session.merge(object)`: first an autoflush (measured on 2.1.9: a changed object is UPDATEd
    /// even when merge then loads nothing). An object already in this session is returned as is
    /// (nothing loaded, even when expired). Otherwise the session's object for its key (in the
    /// identity map, loaded if expired and the given key is loaded; else a SELECT by key) receives
    /// the given object's loaded attributes, and is returned: for a detached object loaded before
    /// another session committed, its stale values are written back at the next flush (a lost
    /// update). No row: a new pending object (an INSERT), with the key only if it was loaded.
    public func merge(_ object: ORMObject) throws -> ORMObject {
        try autoflush()
        if contains(object) {
            record(.noOp(operation: "merge", reason: "\(object.label) is already in this session: returned as is, nothing loaded"))
            return object
        }
        let target: ORMObject
        if let key = object.key, let inMap = identityMap[IdentityKey(table: object.model.table, key: key)] {
            // As SQLAlchemy's _merge: the session's object for the key is taken as it is; copying a
            // loaded key onto it loads it when expired (the key has active history; measured on 2.1.9).
            target = inMap
            if target.keyExpired, !object.keyExpired { try loadExpiredKey(of: target) }
        } else if let key = object.key, let found = try select(object.model, key: key, populateExisting: false) {
            target = found
        } else {
            target = ORMObject(model: object.model)
            // Only a loaded key is copied (measured on 2.1.9): an expired one is not, the INSERT gets a new key.
            target.key = object.keyExpired ? nil : object.key
            try add(target)
        }
        for column in object.model.columns {
            guard let value = object.loaded[column] else { continue }
            if target.state == .persistent, let old = target.loaded[column], old != value {
                record(.merged(object: target.label, column: column, old: old, new: value))
            }
            target.set(column, value)
        }
        return target
    }

    /// `session.delete(object)`: marks a persistent object for deletion; the next flush sends
    /// `DELETE ... WHERE key = $1`. No SQL now.
    public func delete(_ object: ORMObject) throws {
        guard contains(object), object.state == .persistent else { throw SessionError.notPersistent(operation: "delete") }
        if !deleted.contains(where: { $0 === object }) { deleted.append(object) }
    }

    /// `select(Model).where(key >= fromKey).order_by(key)`: one SELECT (autoflush, autobegin); the
    /// identity map rule applies to each row (a loaded object keeps its values), and a row with no
    /// object in the session becomes a new one. The objects, in key order.
    public func selectAll(_ model: ModelDescription, fromKey: Int64) throws -> [ORMObject] {
        try autoflush()
        let list = ([model.primaryKey] + model.columns).map(model.qualified).joined(separator: ", ")
        let key = model.qualified(model.primaryKey)
        let sql = "SELECT \(list) FROM \(model.table) WHERE \(key) >= $1 ORDER BY \(key)"
        let result = try statement(sql, [String(fromKey)], for: .load(table: model.table, key: fromKey))
        return result.rows.compactMap { cells in
            guard let keyIndex = result.columns.firstIndex(of: model.primaryKey), let text = cells[keyIndex], let rowKey = Int64(text) else {
                return nil
            }
            var row: [String: String?] = [:]
            for column in model.columns {
                guard let index = result.columns.firstIndex(of: column) else { continue }
                row[column] = .some(cells[index])
            }
            return apply(model, key: rowKey, row: row, overwrite: nil)
        }
    }
}
