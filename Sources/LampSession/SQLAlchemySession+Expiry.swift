extension SQLAlchemySession {
    /// Marks the object's loaded attributes expired; the next access or query reloads them. No SQL.
    public func expire(_ object: ORMObject) throws {
        guard contains(object), object.state == .persistent else {
            throw SessionError.notPersistent(operation: "expire")
        }
        expireAttributes(of: object)
        record(.expired(objects: [object.label], cause: .expire))
    }

    /// Expires every object in the identity map. No SQL.
    public func expireAll() {
        expireEverything(cause: .expireAll)
    }

    /// Removes one object from the session: pending becomes transient, persistent becomes detached.
    public func expunge(_ object: ORMObject) throws {
        // A deleted object (its DELETE flushed, not yet committed) can be expunged too (measured on 2.1.9).
        guard contains(object) || (object.session === self && object.state == .deleted) else {
            throw SessionError.notPersistent(operation: "expunge")
        }
        if object.state == .pending {
            pending.removeAll { $0 === object }
            object.state = .transient
        } else {
            if let key = object.key { identityMap[IdentityKey(table: object.model.table, key: key)] = nil }
            insertedInTransaction.remove(object)
            deletedInTransaction.remove(object)
            object.state = .detached
        }
        object.session = nil
        record(.expunged(object: object.label, nowState: object.state))
    }

    func expireEverything(cause: SessionEvent.ExpiryCause) {
        let objects = identityMap.values.sorted { $0.serial < $1.serial }
        objects.forEach(expireAttributes)
        record(.expired(objects: objects.map(\.label), cause: cause))
    }

    func expireAttributes(of object: ORMObject) {
        for column in object.model.columns {
            object.loaded[column] = nil
            object.committed[column] = nil
        }
        object.modified = false
        object.expired = true
        object.keyExpired = true
    }
}
