import Postgres

extension SQLAlchemySession {
    /// Adds a transient (or detached) object; it is INSERTed at the next flush. Begins the
    /// session's transaction (no SQL).
    public func add(_ object: ORMObject) throws {
        // A deleted object, flushed or committed, is refused (measured on 2.1.9 by the random cross-check).
        guard !object.wasDeleted else { throw SessionError.notPersistent(operation: "add of a deleted object") }
        beginSessionTransaction()
        switch object.state {
        case .pending, .persistent, .deleted:
            guard object.session === self else { throw SessionError.notPersistent(operation: "add of an object owned by another session") }
        case .transient:
            object.state = .pending
            object.session = self
            assignSerial(object)
            pending.append(object)
        case .detached:
            guard let key = object.key else { return }
            if let existing = identityMap[IdentityKey(table: object.model.table, key: key)], existing !== object {
                throw SessionError.identityConflict(key: key)
            }
            object.session = self
            track(object, key: key)
        }
    }

    /// Writes pending objects (INSERT ... RETURNING) and changed attributes (UPDATE of the changed
    /// columns only) inside the transaction. Sends nothing when there is nothing to write.
    public func flush() throws {
        let dirty = identityMap.modified.sorted { $0.serial < $1.serial }
        guard !pending.isEmpty || !dirty.isEmpty || !deleted.isEmpty else { return }
        // As SQLAlchemy: a dirty object makes the flush take the connection (autobegin) even
        // when no column changed in the end.
        try autobegin()
        do {
            for object in pending {
                try insert(object)
            }
            pending.removeAll()
            // As SQLAlchemy: an UPDATE needs the key, and a whole-object expiry expired it: the
            // flush loads the object's unloaded columns first, for every changed object before
            // any UPDATE; no row raises ObjectDeletedError (measured on 2.1.9).
            for object in dirty where object.keyExpired && !object.changedAttributes.isEmpty {
                try loadExpiredKey(of: object)
            }
            for object in dirty {
                try update(object)
                object.modified = false
                // As SQLAlchemy: the flush registers it with the transaction even when no column changed.
                noteFlushed(object, inserted: false)
            }
            for object in deleted {
                try delete(row: object)
            }
            deleted.removeAll()
        } catch {
            // As SQLAlchemy (measured): a failed flush rolls back the innermost transaction at once.
            // Inside begin_nested, that is its savepoint only (found by the random cross-check, seed
            // 1669); otherwise the session's transaction: ROLLBACK TO SAVEPOINT under a savepoint-joined
            // fixture, ROLLBACK (of the outer one) otherwise. The session's transaction stays, inactive,
            // until rollback() or close() (or the nested transaction's rollback()).
            if let frame = savepoints.last {
                try? rollBackAfterFailedFlush(frame)
            } else {
                try? endDatabaseTransaction()
                hasSessionTransaction = true
            }
            if flushFailure == nil { flushFailure = "\(error)" }
            throw error
        }
    }

    /// Flushes, sends COMMIT if a transaction is open, and expires every object when
    /// `expireOnCommit` is set. Begins and ends a session transaction even when no SQL is needed.
    public func commit() throws {
        if let flushFailure { throw SessionError.pendingRollback(cause: flushFailure) }
        beginSessionTransaction()
        try flush()
        try releaseSavepoints()
        if hasDatabaseTransaction {
            hasDatabaseTransaction = false
            if joinedExternal {
                try commitJoined()
            } else {
                try send("COMMIT", [], for: .commit)
                endOwnedExternal()
            }
        }
        if external == nil { savepointNames.reset() }
        hasSessionTransaction = false
        insertedInTransaction.removeAll()
        // As SQLAlchemy's _remove_snapshot: deleted objects are detached only with expire_on_commit;
        // otherwise they stay in the deleted state (and a later rollback does not bring them back).
        for object in deletedInTransaction.objects where options.expireOnCommit {
            object.state = .detached
            object.session = nil
        }
        deletedInTransaction.removeAll()
        if options.expireOnCommit {
            expireEverything(cause: .commit)
        }
    }

    /// With a session transaction: ROLLBACK (if one was begun in the database), expunge objects
    /// that were new in it, expire everything else. Without one: does nothing.
    public func rollback() throws {
        guard hasSessionTransaction else {
            record(.noOp(operation: "rollback", reason: "no transaction is open, nothing to do"))
            return
        }
        try endDatabaseTransaction()
        for object in pending + insertedInTransaction.objects {
            detachNew(object)
        }
        pending.removeAll()
        insertedInTransaction.removeAll()
        // As SQLAlchemy: an object whose DELETE the rollback undid is persistent again (and expired).
        deletedInTransaction.objects.forEach(undoDeletion)
        deletedInTransaction.removeAll()
        deleted.removeAll()
        expireEverything(cause: .rollback)
    }

    /// Rolls back an open transaction and expunges every object: pending ones become transient,
    /// persistent ones detached (they keep their loaded attributes). The session stays usable.
    public func close() throws {
        defer {
            for object in pending { detachNew(object) }
            for object in identityMap.values.sorted(by: { $0.serial < $1.serial }) {
                object.state = .detached
                object.session = nil
                record(.expunged(object: object.label, nowState: .detached))
            }
            for object in deletedInTransaction.objects {
                object.state = .detached
                object.session = nil
            }
            identityMap.removeAll()
            pending.removeAll()
            insertedInTransaction.removeAll()
            deleted.removeAll()
            deletedInTransaction.removeAll()
            hasSessionTransaction = false
        }
        try endDatabaseTransaction(closing: true)
    }

    /// Sends ROLLBACK TO SAVEPOINT for each open savepoint, then ROLLBACK, when a database
    /// transaction is open.
    func endDatabaseTransaction(closing: Bool = false) throws {
        hasSessionTransaction = false
        flushFailure = nil
        guard hasDatabaseTransaction else {
            savepoints.removeAll()
            return
        }
        hasDatabaseTransaction = false
        defer { if external == nil { savepointNames.reset() } }
        try rollBackSavepoints()
        if joinedExternal {
            try rollBackJoined(closing: closing)
        } else {
            try send("ROLLBACK", [], for: .rollback)
            endOwnedExternal()
        }
    }

    /// An object whose DELETE (or the discovery that its row was gone) a rollback undid: persistent
    /// again, back in the identity map with the attributes it had.
    func undoDeletion(_ object: ORMObject) {
        object.wasDeleted = false
        deletedInTransaction.remove(object)
        if let key = object.key { track(object, key: key) }
    }

    /// A pending or newly inserted object leaves the session as transient.
    func detachNew(_ object: ORMObject) {
        if let key = object.key, object.state == .persistent {
            identityMap[IdentityKey(table: object.model.table, key: key)] = nil
        }
        object.key = nil
        object.state = .transient
        object.session = nil
        record(.expunged(object: object.label, nowState: .transient))
    }

    private func insert(_ object: ORMObject) throws {
        let model = object.model
        // A merged object whose row was gone keeps its key: the INSERT names it.
        let explicitKey = object.key.map { [model.primaryKey: String?.some(String($0))] } ?? [:]
        let given = (explicitKey.isEmpty ? [] : [model.primaryKey]) + model.columns.filter { object.loaded[$0] != nil }
        let fetched = [model.primaryKey] + model.columns.filter { object.loaded[$0] == nil && model.serverDefaults.contains($0) }
        let returning = " RETURNING " + fetched.map(model.qualified).joined(separator: ", ")
        let sql: String
        if given.isEmpty {
            sql = "INSERT INTO \(model.table) DEFAULT VALUES" + returning
        } else {
            let placeholders = given.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            sql = "INSERT INTO \(model.table) (\(given.joined(separator: ", "))) VALUES (\(placeholders))" + returning
        }
        var givenValues: [String: String?] = explicitKey
        for column in given where column != model.primaryKey { givenValues[column] = object.loaded[column] ?? nil }
        // The purpose names every value the row got: those sent, and those RETURNING sent back.
        let result = try statement(sql, given.map { givenValues[$0] ?? nil }, for: .insert(table: model.table, values: givenValues)) { result in
            var values = givenValues
            for (column, value) in zip(fetched, result.rows.first ?? []) { values[column] = .some(value) }
            return .insert(table: model.table, values: values)
        }
        guard let keyText = result.rows.first?.first ?? nil, let key = Int64(keyText) else {
            throw SessionError.objectDeleted(key: nil)
        }
        for (index, column) in fetched.enumerated().dropFirst() {
            object.loaded[column] = .some(result.rows[0][index])
        }
        object.committed = object.loaded
        track(object, key: key)
        insertedInTransaction.append(object)
        noteFlushed(object, inserted: true)
    }

    /// `DELETE FROM ... WHERE key = $1` of an object marked by `delete`; it leaves the identity map.
    private func delete(row object: ORMObject) throws {
        guard let key = object.key else { return }
        let model = object.model
        let sql = "DELETE FROM \(model.table) WHERE \(model.qualified(model.primaryKey)) = $1"
        try statement(sql, [String(key)], for: .delete(table: model.table, key: key))
        identityMap[IdentityKey(table: model.table, key: key)] = nil
        object.state = .deleted
        object.wasDeleted = true
        deletedInTransaction.append(object)
        noteDeleted(object)
    }

    /// `SELECT <key and unloaded columns> ... WHERE key = $1` of an object whose key expired, as
    /// SQLAlchemy does when it needs the key (a flush's UPDATE, a merge copying a key onto it); no
    /// row: ObjectDeletedError.
    func loadExpiredKey(of object: ORMObject) throws {
        guard let key = object.key else { return }
        let model = object.model
        record(.lazyLoad(object: object.label, column: model.primaryKey))
        let columns = [model.primaryKey] + model.columns.filter { object.loaded[$0] == nil }
        let sql = "SELECT \(columns.map(model.qualified).joined(separator: ", ")) FROM \(model.table) WHERE \(model.qualified(model.primaryKey)) = $1"
        let result = try statement(sql, [String(key)], for: .load(table: model.table, key: key))
        guard let row = result.rows.first else { throw SessionError.objectDeleted(key: key) }
        for (index, column) in result.columns.enumerated() where column != model.primaryKey {
            object.loaded[column] = .some(row[index])
            object.committed[column] = .some(row[index])
        }
        object.expired = false
        object.keyExpired = false
    }

    private func update(_ object: ORMObject) throws {
        let changed = object.changedAttributes
        guard !changed.isEmpty, let key = object.key else { return }
        let model = object.model
        let assignments = changed.enumerated().map { "\($1)=$\($0 + 1)" }.joined(separator: ", ")
        let sql = "UPDATE \(model.table) SET \(assignments) WHERE \(model.qualified(model.primaryKey)) = $\(changed.count + 1)"
        var values: [String: String?] = [:]
        for column in changed { values[column] = object.loaded[column] ?? nil }
        let result = try statement(sql, changed.map { object.loaded[$0] ?? nil } + [String(key)],
                                   for: .update(table: model.table, key: key, values: values))
        guard result.affectedRows == 1 else { throw SessionError.staleData(key: key) }
        for column in changed { object.committed[column] = object.loaded[column] }
    }
}
