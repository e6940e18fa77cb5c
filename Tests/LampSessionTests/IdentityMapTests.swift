import LampSession
import TestSupport
import Testing

/// One object per primary key; a query row does not overwrite loaded attributes unless asked to.
@Suite("Identity map", .bounded)
struct IdentityMapTests {
    @Test("two queries for one key return the same instance")
    func sameInstance() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let id = try db.insertLamp()
        let session = try db.session()

        let first = try session.lamp(id)
        let second = try session.lamp(id)

        #expect(first === second)
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey, LampSQL.selectByKey])
        #expect(db.trace.events(of: "S1").filter { if case .objectLoaded = $0 { true } else { false } }.count == 1)
    }

    @Test("the object added is the object a later query returns")
    func addedObjectIsReturned() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()

        #expect(try session.lamp(lamp.id()) === lamp)
    }

    @Test("a loaded attribute is not overwritten by a row another session committed", arguments: [
        IsolationLevel.readCommitted, .serverDefault,
    ])
    func loadedAttributeKept(_ level: IsolationLevel) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: level)
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        try session.refresh(lamp)

        try db.commitStatus("on", id: id)
        db.trace.clear()
        let again = try session.lamp(id)

        #expect(again === lamp)
        #expect(try again.status() == "off", "the row's 'on' was thrown away")
        #expect(try session.statusInTransaction(id) == "on", "the transaction itself sees 'on'")
        #expect(db.trace.events(of: "S1").contains(
            .staleValueKept(object: lamp.label, column: "status", kept: "off", row: "on")))
        #expect(db.trace.statements(of: "S1") == [LampSQL.selectByKey, "SELECT status FROM lamps WHERE id = $1"])
    }

    @Test("no staleValueKept event when the row agrees with the object")
    func noStaleEventWhenEqual() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        _ = try session.lamp(lamp.id())

        #expect(!db.trace.events(of: "S1").contains { if case .staleValueKept = $0 { true } else { false } })
    }

    enum Overwrite: String, CaseIterable, CustomTestStringConvertible {
        case populateExisting = "select(populateExisting: true)"
        case refresh = "refresh"
        case expireThenQuery = "expire, then query"
        case expireAllThenQuery = "expireAll, then query"
        case rollbackThenQuery = "rollback, then query"
        case commitWithExpireOnCommitThenQuery = "commit (expire_on_commit), then query"
        var testDescription: String { rawValue }
    }

    @Test("these DO replace a loaded value with the committed one", arguments: Overwrite.allCases)
    func overwrites(_ way: Overwrite) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: way == .commitWithExpireOnCommitThenQuery,
                                     isolation: .readCommitted)
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        try session.refresh(lamp)
        #expect(lamp.peek("status") == .some("off"))

        try db.commitStatus("on", id: id)
        db.trace.clear()
        let result: ORMObject
        switch way {
        case .populateExisting:
            result = try session.lamp(id, populateExisting: true)
        case .refresh:
            try session.refresh(lamp)
            result = lamp
        case .expireThenQuery:
            try session.expire(lamp)
            result = try session.lamp(id)
        case .expireAllThenQuery:
            session.expireAll()
            result = try session.lamp(id)
        case .rollbackThenQuery:
            try session.rollback()
            result = try session.lamp(id)
        case .commitWithExpireOnCommitThenQuery:
            try session.commit()
            result = try session.lamp(id)
        }

        #expect(result === lamp)
        #expect(lamp.peek("status") == .some("on"))
        let events = db.trace.events(of: "S1")
        #expect(!events.contains { if case .staleValueKept = $0 { true } else { false } })
        switch way {
        case .populateExisting, .refresh:
            let by: SessionEvent.Overwrite = way == .refresh ? .refresh : .populateExisting
            #expect(events.contains(
                .attributeOverwritten(object: lamp.label, column: "status", old: "off", new: "on", by: by)))
        default:
            #expect(events.contains(.expiredAttributeLoaded(object: lamp.label, column: "status", value: "on")))
        }
    }

    @Test("commit without expire_on_commit keeps the stale value for the next query")
    func commitWithoutExpireKeepsStale() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: false, isolation: .readCommitted)
        let lamp = try session.addCommittedLamp()
        let id = try lamp.id()
        try session.refresh(lamp)

        try db.commitStatus("on", id: id)
        try session.commit()
        let again = try session.lamp(id)

        #expect(again === lamp)
        #expect(lamp.peek("status") == .some("off"))
        #expect(try db.committedStatus(id: id) == "on")
    }

    @Test("after close, a query returns a different instance and the old one is detached")
    func closeEmptiesTheMap() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(isolation: .readCommitted)
        let old = try session.addCommittedLamp()
        let id = try old.id()
        try session.refresh(old)

        try db.commitStatus("on", id: id)
        try session.close()
        let new = try session.lamp(id)

        #expect(new !== old)
        #expect(old.state == .detached)
        #expect(new.state == .persistent)
        #expect(!session.contains(old))
        #expect(session.contains(new))
        #expect(old.peek("status") == .some("off"), "a detached object keeps what it had loaded")
        #expect(new.peek("status") == .some("on"))
        #expect(session.persistentObjects.count == 1)
    }

    @Test("a dirty object's unflushed value survives a query for its key (autoflush writes it first)")
    func dirtyValueSurvivesQuery() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()

        lamp.setStatus("broken")
        let again = try session.lamp(lamp.id())

        #expect(again === lamp)
        #expect(lamp.peek("status") == .some("broken"))
        #expect(try session.statusInTransaction(lamp.id()) == "broken")
    }
}
