extension SQLAlchemySession {
    /// The session's transaction begins on a connection it is bound to. While the outer
    /// transaction is open it joins it: `create_savepoint` sends SAVEPOINT (its transaction is that
    /// savepoint), `rollback_only` sends nothing. When a session had rolled the outer transaction
    /// back, the connection has none: the session begins one and owns it (COMMIT, ROLLBACK as usual).
    func join(_ external: ExternalTransaction) throws {
        switch external.state {
        case .begun:
            try send(external.isolation.beginSQL, [], for: .begin(external.isolation))
            external.state = .open
        case .open:
            break
        case .ended:
            try send(external.isolation.beginSQL, [], for: .begin(external.isolation))
            external.state = .ownedBySession
            joinedExternal = false
            return
        case .ownedBySession:
            joinedExternal = false
            return
        }
        joinedExternal = true
        if external.mode == .createSavepoint {
            let name = savepointNames.next()
            try send("SAVEPOINT \(name)", [], for: .savepoint(name))
            joinSavepoint = name
        }
    }

    /// The session's commit in a joined transaction: RELEASE its savepoint (`create_savepoint`),
    /// or nothing at all (`rollback_only`).
    func commitJoined() throws {
        joinedExternal = false
        if let name = joinSavepoint {
            joinSavepoint = nil
            try send("RELEASE SAVEPOINT \(name)", [], for: .releaseSavepoint(name))
        }
    }

    /// The session's rollback (or close) in a joined transaction: ROLLBACK TO its savepoint
    /// (`create_savepoint`); under `rollback_only`, rollback sends ROLLBACK of the whole outer
    /// transaction and close sends nothing.
    func rollBackJoined(closing: Bool) throws {
        joinedExternal = false
        if let name = joinSavepoint {
            joinSavepoint = nil
            try send("ROLLBACK TO SAVEPOINT \(name)", [], for: .rollbackToSavepoint(name))
        } else if !closing, let external {
            try send("ROLLBACK", [], for: .rollback)
            external.state = .ended
        }
    }

    /// A transaction the session began itself on a bound connection ended: the connection has none.
    func endOwnedExternal() {
        if let external, external.state == .ownedBySession { external.state = .ended }
    }
}
