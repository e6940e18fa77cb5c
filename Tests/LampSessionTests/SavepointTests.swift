import LampSession
import Postgres
import TestSupport
import Testing

/// begin_nested / release / rollback of a nested transaction, as SQLAlchemy 2.1.9 with psycopg2
/// does them (measured with tools/measure/savepoints.py): the SAVEPOINT goes out lazily, before the
/// first statement inside it; names count per connection transaction; a nested rollback expires
/// only what changed inside it.
@Suite("Savepoints (begin_nested)", .bounded)
struct SavepointTests {
    @Test("begin_nested sends nothing; the next statement sends BEGIN, SAVEPOINT sa_savepoint_1, then itself")
    func lazySavepoint() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        db.trace.clear()

        try session.beginNested()
        #expect(db.trace.statements(of: "S1").isEmpty)
        _ = try session.select(Lamp.model, key: try lamp.id())
        #expect(db.trace.statements(of: "S1") == ["BEGIN", "SAVEPOINT sa_savepoint_1", LampSQL.selectByKey])
        #expect(session.connection.transactionStatus == .inTransaction)
    }

    @Test("two releases, a third savepoint, commit: the counter goes on within the transaction and starts again after COMMIT")
    func names() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        _ = try session.addCommittedLamp()
        db.trace.clear()

        try session.beginNested(); try session.execute("SELECT 1")
        try session.beginNested(); try session.execute("SELECT 1")
        try session.releaseNested(); try session.releaseNested()
        try session.beginNested(); try session.execute("SELECT 1")
        try session.commit()
        try session.beginNested(); try session.execute("SELECT 1")
        try session.rollback()

        #expect(db.trace.statements(of: "S1") == [
            "BEGIN", "SAVEPOINT sa_savepoint_1", "SELECT 1", "SAVEPOINT sa_savepoint_2", "SELECT 1",
            "RELEASE SAVEPOINT sa_savepoint_2", "RELEASE SAVEPOINT sa_savepoint_1",
            "SAVEPOINT sa_savepoint_3", "SELECT 1", "RELEASE SAVEPOINT sa_savepoint_3", "COMMIT",
            "BEGIN", "SAVEPOINT sa_savepoint_1", "SELECT 1", "ROLLBACK TO SAVEPOINT sa_savepoint_1", "ROLLBACK",
        ])
    }

    @Test("rollback of a savepoint brings back an object deleted inside it: persistent, in the identity map, not expired; a select returns it")
    func rollbackRestoresDeleted() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        try session.beginNested()
        try session.delete(lamp)
        try session.flush()
        #expect(lamp.state == .deleted)
        try session.rollbackNested()
        #expect(lamp.state == .persistent)
        db.trace.clear()
        #expect(try lamp.status() == "off")
        #expect(db.trace.statements(of: "S1").isEmpty, "not expired: a nested rollback expires only what changed inside it, and a deletion is not a change")
        #expect(try session.select(Lamp.model, key: try lamp.id()) === lamp, "the same object, not a new one")
        try session.commit()
        #expect(lamp.state == .persistent)
    }

    @Test("a failed flush inside begin_nested rolls back only its savepoint; commit then raises PendingRollbackError; its rollback sends nothing and the session goes on")
    func failedFlushRollsBackTheSavepointOnly() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        _ = try session.select(Lamp.model, key: try lamp.id())
        try session.beginNested()
        try session.execute("SELECT 1")
        try db.deleteLamp(id: try lamp.id())
        lamp.setStatus("on")
        db.trace.clear()
        #expect(throws: SessionError.self) { try session.flush() }
        #expect(db.trace.statements(of: "S1") == [LampSQL.updateStatus, "ROLLBACK TO SAVEPOINT sa_savepoint_1"], "no ROLLBACK of the outer transaction")
        #expect(session.connection.transactionStatus == .inTransaction)
        #expect { try session.commit() } throws: { ExpiredKeyFlushTests.isPendingRollback($0) }
        #expect { try session.releaseNested() } throws: { ExpiredKeyFlushTests.isPendingRollback($0) }
        db.trace.clear()
        try session.rollbackNested()
        try session.execute("SELECT 2")
        #expect(db.trace.statements(of: "S1") == ["SELECT 2"], "the savepoint was rolled back already; the outer transaction goes on")
    }

    @Test("release expires nothing, even with expire_on_commit; the change stays in the transaction, invisible to others")
    func releaseKeepsLoaded() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session(expireOnCommit: true)
        let lamp = try session.addCommittedLamp()
        _ = try session.select(Lamp.model, key: try lamp.id())
        try session.beginNested()
        lamp.setStatus("on")
        try session.releaseNested()

        #expect(lamp.expiredAttributes.isEmpty)
        #expect(try session.execute("SELECT status FROM lamps WHERE id = $1", [String(try lamp.id())]).rows.first?.first == "on")
        #expect(try db.committedStatus(id: lamp.id()) == "off")
    }

    @Test("rollback of a savepoint expires only the object changed inside it; one loaded before keeps its stale value")
    func rollbackNestedExpiresOnlyChanged() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let changed = try session.addCommittedLamp()
        let untouched = try session.addCommittedLamp()
        _ = try session.select(Lamp.model, key: try changed.id())
        _ = try session.select(Lamp.model, key: try untouched.id())
        try db.commitStatus("on", id: untouched.id())

        try session.beginNested()
        changed.setStatus("on")
        try session.flush()
        try session.rollbackNested()

        #expect(changed.expiredAttributes == ["status"])
        #expect(untouched.expiredAttributes.isEmpty)
        #expect(try untouched.status() == "off", "not expired: it keeps what it loaded although the row is 'on'")
        #expect(db.trace.statements(of: "S1").suffix(3) == ["SAVEPOINT sa_savepoint_1", LampSQL.updateStatus, "ROLLBACK TO SAVEPOINT sa_savepoint_1"])
    }

    @Test("refresh of an attribute discards a change but leaves the object modified: the savepoint's rollback expires it")
    func refreshAttributeKeepsModified() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let lamp = try session.addCommittedLamp()
        _ = try lamp.status()

        try session.beginNested()
        lamp.setStatus("on")
        try session.refresh(lamp, attributes: ["status"])
        #expect(try lamp.status() == "off")
        try session.rollbackNested()

        #expect(lamp.expiredAttributes == ["status"], "as SQLAlchemy 2.1.9 (fuzz seed 2494)")
    }

    @Test("release or rollback-nested with no nested transaction open: an error, nothing sent")
    func noSavepoint() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        _ = try session.addCommittedLamp()
        db.trace.clear()

        #expect(throws: SessionError.noSavepoint(operation: "release")) { try session.releaseNested() }
        #expect(throws: SessionError.noSavepoint(operation: "rollback-nested")) { try session.rollbackNested() }
        #expect(db.trace.statements(of: "S1").isEmpty)
    }
}
