import LampSession
import TestSupport
import Testing

/// SQLAlchemy's identity map and session transaction hold objects weakly: an unmodified object
/// nothing else refers to leaves the session (the test's app request loaded or created it and
/// returned); a modified one is held until its change is flushed.
@Suite("Weak identity map", .bounded)
struct WeakIdentityMapTests {
    private static func isExpunge(_ event: SessionEvent) -> Bool {
        if case .expunged = event { return true }
        return false
    }

    @Test("a flushed new object nothing refers to leaves the map; the rollback has nothing to expunge")
    func insertedObjectFreed() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        var key: Int64?
        do {
            let lamp = Lamp.new(status: "on")
            try session.add(lamp)
            try session.flush()
            key = lamp.key
            #expect(session.persistentObjects.count == 1)
        }
        #expect(key != nil)
        #expect(session.persistentObjects.isEmpty)
        db.trace.clear()
        try session.rollback()
        #expect(db.trace.statements(of: "S1") == ["ROLLBACK"])
        #expect(!db.trace.events(of: "S1").contains(where: Self.isExpunge))
    }

    @Test("an object flushed inside a savepoint and then let go leaves the map; rollback-nested expunges nothing")
    func savepointFrameHoldsWeakly() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let kept = try session.addCommittedLamp()
        try session.beginNested()
        do {
            let lamp = Lamp.new(status: "on")
            try session.add(lamp)
            try session.flush()
        }
        #expect(session.persistentObjects.count == 1 && session.persistentObjects.first === kept)
        db.trace.clear()
        try session.rollbackNested()
        #expect(!db.trace.events(of: "S1").contains(where: Self.isExpunge))
    }

    @Test("a changed object is held until the change is flushed, then let go")
    func modifiedHeldStrongly() throws {
        let db = try SessionFixture()
        defer { db.tearDown() }
        let session = try db.session()
        let key = try db.insertLamp()
        do {
            let lamp = try session.lamp(key)
            lamp.setStatus("on")
        }
        #expect(session.persistentObjects.count == 1)
        try session.flush()
        #expect(session.persistentObjects.isEmpty)
        #expect(try session.statusInTransaction(key) == "on")
    }
}
