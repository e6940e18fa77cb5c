import LampSession
import TestSupport
import Testing

/// Reading an attribute that is not loaded: a SELECT for a persistent object, an error otherwise.
@Suite("Expired attributes", .bounded)
struct ExpiredAttributeTests {
    @Test("an expired attribute of a persistent object is loaded with a SELECT by key (autobegin)")
    func persistentLoads() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        try session.expire(lamp)
        try db.commitStatus("on", id: lamp.id())
        db.trace.clear()

        #expect(try lamp.status() == "on")

        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
        #expect(db.trace.parameters(of: "S1")[1] == [String(try lamp.id())])
        #expect(session.hasDatabaseTransaction, "the autobegun transaction stays open")
        #expect(lamp.expiredAttributes == [])
        let events = db.trace.events(of: "S1")
        #expect(events.contains(.lazyLoad(object: lamp.label, column: "status")))
        #expect(events.contains(.expiredAttributeLoaded(object: lamp.label, column: "status", value: "on")))
    }

    @Test("a second read of the loaded attribute sends nothing")
    func loadedOnce() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        try session.expire(lamp)
        _ = try lamp.status()
        db.trace.clear()

        _ = try lamp.status()

        #expect(db.trace.statements(of: "S1") == [])
    }

    enum Detach: String, CaseIterable, CustomTestStringConvertible {
        case expireThenClose = "expire, then close"
        case commitWithExpireOnCommitThenClose = "commit (expire_on_commit), then close"
        case expireThenExpunge = "expire, then expunge"
        var testDescription: String { rawValue }
    }

    @Test("reading an expired attribute of a detached object throws detachedInstance, with no SQL",
          arguments: Detach.allCases)
    func detachedThrows(_ way: Detach) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: way == .commitWithExpireOnCommitThenClose)
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        switch way {
        case .expireThenClose:
            try session.expire(lamp)
            try session.close()
        case .commitWithExpireOnCommitThenClose:
            try session.close()
        case .expireThenExpunge:
            try session.expire(lamp)
            try session.expunge(lamp)
        }
        db.trace.clear()

        #expect(lamp.state == .detached)
        #expect(throws: SessionError.detachedInstance(column: "status", key: id)) {
            try lamp.status()
        }
        #expect(db.trace.statements(of: "S1") == [])
    }

    @Test("a loaded attribute of a detached object reads without error or SQL")
    func detachedLoadedReads() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: false)
        let lamp = try session.addCommittedLamp()
        try session.close()
        db.trace.clear()

        #expect(try lamp.status() == "off")
        #expect(db.trace.statements(of: "S1") == [])
    }

    @Test("an expired attribute whose row another session deleted throws objectDeleted")
    func deletedRow() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        try session.expire(lamp)
        try db.deleteLamp(id: id)

        #expect(throws: SessionError.objectDeleted(key: id)) {
            try lamp.status()
        }
    }

    /// Measured on SQLAlchemy 2.1.9: refresh raises InvalidRequestError ("Could not refresh
    /// instance"), not ObjectDeletedError (docs/measurements/sqlalchemy-test-suites.md, section 2).
    @Test("refresh of an object whose row is gone throws refreshFoundNoRow (SQLAlchemy's InvalidRequestError)")
    func refreshDeletedRow() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        try db.deleteLamp(id: id)

        #expect(throws: SessionError.refreshFoundNoRow(key: id)) {
            try session.refresh(lamp)
        }
    }
}
