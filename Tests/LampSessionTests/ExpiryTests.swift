import LampSession
import TestSupport
import Testing
import Postgres

/// expire_on_commit, expire and expire_all: what they mark, and that they send nothing.
@Suite("Expiry", .bounded)
struct ExpiryTests {
    @Test("expire_on_commit = true: after commit every object is expired and the next read loads it")
    func expireOnCommitTrue() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        let other = try db.insertLamp()
        let loadedEarlier = try session.lamp(other)
        try session.commit()

        #expect(lamp.expiredAttributes == ["status"])
        #expect(lamp.peek("status") == nil)
        #expect(loadedEarlier.expiredAttributes == ["status"], "all objects, not only those of the last transaction")

        try db.commitStatus("on", id: lamp.id())
        db.trace.clear()
        #expect(try lamp.status() == "on")
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
        #expect(db.trace.events(of: "S1").contains(.lazyLoad(object: lamp.label, column: "status")))
        #expect(lamp.state == .persistent)
    }

    @Test("expire_on_commit = false: after commit the loaded values are kept and reading sends nothing")
    func expireOnCommitFalse() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: false)
        let lamp = try session.addCommittedLamp()

        #expect(lamp.expiredAttributes == [])
        try db.commitStatus("on", id: lamp.id())
        db.trace.clear()
        #expect(try lamp.status() == "off")
        #expect(db.trace.statements(of: "S1") == [])
    }

    @Test("commit with nothing to write still expires everything when expire_on_commit is set")
    func emptyCommitExpires() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        _ = try lamp.status()  // load again (BEGIN, SELECT)
        try session.commit()   // COMMIT, expire
        _ = try lamp.status()  // load again
        #expect(lamp.expiredAttributes == [])
        try session.commit()
        #expect(lamp.expiredAttributes == ["status"])

        db.trace.clear()
        try session.commit()  // no transaction at all: no SQL, still expires
        #expect(db.trace.statements(of: "S1") == [])
        #expect(lamp.expiredAttributes == ["status"])
    }

    @Test("expire and expireAll do not change the transaction state", arguments: [true, false])
    func expiryKeepsTransaction(_ transactionOpen: Bool) throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        if transactionOpen { try session.refresh(lamp) }
        let status = session.connection.transactionStatus
        db.trace.clear()

        try session.expire(lamp)
        session.expireAll()

        #expect(db.trace.statements(of: "S1") == [])
        #expect(session.hasDatabaseTransaction == transactionOpen)
        #expect(session.connection.transactionStatus == status)
        #expect(status == (transactionOpen ? .inTransaction : .idle))
    }

    @Test("expire discards an unflushed change")
    func expireDiscardsChange() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()

        lamp.setStatus("on")
        try session.expire(lamp)
        db.trace.clear()

        #expect(try lamp.status() == "off")
        #expect(db.trace.statements(of: "S1") == ["BEGIN", LampSQL.selectByKey])
        try session.commit()
        #expect(try db.committedStatus(id: lamp.id()) == "off")
    }

    @Test("expire of an object that is not persistent in the session is refused")
    func expireTransient() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()

        #expect(throws: SessionError.notPersistent(operation: "expire")) {
            try session.expire(Lamp.new())
        }
    }
}
