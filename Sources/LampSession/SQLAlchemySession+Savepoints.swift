extension SQLAlchemySession {
    /// One `begin_nested()` still open: its savepoint name once `SAVEPOINT` was sent (SQLAlchemy
    /// sends it lazily, before the first statement inside it), and the objects flushed inside it.
    final class SavepointFrame {
        var name: String?
        /// INSERTed inside it (transient again when it is rolled back).
        var inserted = WeakObjects()
        /// UPDATEd inside it (expired when it is rolled back).
        var updated = WeakObjects()
        /// DELETEd inside it, or found gone by a load inside it (persistent again when it is rolled back).
        var deleted = WeakObjects()
        /// A flush inside it failed and rolled it back: inactive until its `rollback()` pops it
        /// (no SQL then) or the session's rollback or close.
        var rolledBackByFailedFlush = false
    }

    /// `begin_nested()`: flushes pending changes (in the enclosing transaction), then opens a
    /// nested transaction. No SAVEPOINT yet: it is sent before the next statement.
    public func beginNested() throws {
        if let flushFailure { throw SessionError.pendingRollback(cause: flushFailure) }
        beginSessionTransaction()
        try flush()
        savepoints.append(SavepointFrame())
    }

    /// The innermost nested transaction's `commit()`: flushes inside it, then `RELEASE SAVEPOINT`
    /// (when it was sent). Expires nothing, whatever expire_on_commit says.
    public func releaseNested() throws {
        guard !savepoints.isEmpty else { throw SessionError.noSavepoint(operation: "release") }
        if let flushFailure { throw SessionError.pendingRollback(cause: flushFailure) }
        try flush()
        let frame = savepoints.removeLast()
        if let name = frame.name {
            try send("RELEASE SAVEPOINT \(name)", [], for: .releaseSavepoint(name))
        }
        if let parent = savepoints.last {
            parent.inserted.append(contentsOf: frame.inserted)
            parent.updated.append(contentsOf: frame.updated)
            parent.deleted.append(contentsOf: frame.deleted)
        }
    }

    /// The innermost nested transaction's `rollback()`: `ROLLBACK TO SAVEPOINT` (when it was
    /// sent) and its snapshot restored (`rollBack(_:)`). After a flush inside it failed (which
    /// rolled it back already), it sends nothing and makes the session usable again.
    public func rollbackNested() throws {
        guard let frame = savepoints.last else { throw SessionError.noSavepoint(operation: "rollback-nested") }
        savepoints.removeLast()
        if frame.rolledBackByFailedFlush {
            flushFailure = nil
            record(.noOp(operation: "rollback-nested", reason: "the failed flush rolled back its savepoint already"))
            return
        }
        try rollBack(frame)
    }

    /// A flush inside the innermost nested transaction failed: as SQLAlchemy (measured on 2.1.9),
    /// only its savepoint is rolled back; the outer transaction and its savepoints stay.
    func rollBackAfterFailedFlush(_ frame: SavepointFrame) throws {
        frame.rolledBackByFailedFlush = true
        try rollBack(frame)
    }

    /// `ROLLBACK TO SAVEPOINT` of `frame` (when it was sent), then SQLAlchemy's
    /// `_restore_snapshot` for a nested transaction: objects inserted or pending inside it become
    /// transient; objects deleted inside it are persistent again, and deletions marked but not
    /// flushed are dropped (found by the random cross-check: seed 253); only the objects changed
    /// inside it (flushed there, or modified and not flushed) are expired.
    private func rollBack(_ frame: SavepointFrame) throws {
        if let name = frame.name {
            try send("ROLLBACK TO SAVEPOINT \(name)", [], for: .rollbackToSavepoint(name))
        }
        let new = pending + frame.inserted.objects
        for object in new {
            detachNew(object)
            insertedInTransaction.remove(object)
        }
        pending.removeAll()
        for object in frame.deleted.objects where object.state == .deleted && object.session === self {
            undoDeletion(object)
        }
        deleted.removeAll()
        let changed = identityMap.values
            .filter { object in object.modified || frame.updated.contains(object) }
            .sorted { $0.serial < $1.serial }
        changed.forEach(expireAttributes)
        record(.expired(objects: changed.map(\.label), cause: .rollbackNested))
    }

    /// Sends `SAVEPOINT` for each nested transaction opened since the last statement, outermost first.
    func sendPendingSavepoints() throws {
        for frame in savepoints where frame.name == nil {
            let name = savepointNames.next()
            try send("SAVEPOINT \(name)", [], for: .savepoint(name))
            frame.name = name
        }
    }

    /// Undoes every sent savepoint, innermost first (before a ROLLBACK of the whole transaction),
    /// and forgets the nested transactions.
    func rollBackSavepoints() throws {
        let frames = savepoints
        savepoints.removeAll()
        for frame in frames.reversed() where !frame.rolledBackByFailedFlush {
            if let name = frame.name { try send("ROLLBACK TO SAVEPOINT \(name)", [], for: .rollbackToSavepoint(name)) }
        }
    }

    /// Releases every sent savepoint, innermost first (before a COMMIT), and forgets the nested transactions.
    func releaseSavepoints() throws {
        let frames = savepoints
        savepoints.removeAll()
        for frame in frames.reversed() {
            if let name = frame.name { try send("RELEASE SAVEPOINT \(name)", [], for: .releaseSavepoint(name)) }
        }
    }

    /// Notes an INSERT or UPDATE of the flush in the innermost nested transaction, if any.
    func noteFlushed(_ object: ORMObject, inserted: Bool) {
        guard let frame = savepoints.last else { return }
        if inserted { frame.inserted.append(object) } else { frame.updated.append(object) }
    }

    /// Notes an object deleted in the innermost nested transaction, if any (its DELETE flushed,
    /// or its row found gone).
    func noteDeleted(_ object: ORMObject) {
        savepoints.last?.deleted.append(object)
    }
}

/// SQLAlchemy's savepoint names, `sa_savepoint_N`: N counts per connection (SQLAlchemy's
/// `Connection` object), so a session bound to an engine starts again at 1 with each transaction.
public final class SavepointNames {
    private var count = 0

    public init() {}

    func next() -> String {
        count += 1
        return "sa_savepoint_\(count)"
    }

    /// The connection's transaction ended (a session bound to an engine gets a new `Connection`).
    func reset() { count = 0 }
}
