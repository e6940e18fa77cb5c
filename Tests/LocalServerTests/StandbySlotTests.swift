import Foundation
import Glibc
import Testing
@testable import LocalServer
import TestSupport

/// The embedded standby streams through a physical replication slot on the primary (capped by
/// max_slot_wal_keep_size), and a standby that can no longer catch up (its slot gone, the WAL it
/// needs removed) is made again, said in one line, instead of never streaming.
@Suite("Embedded standby's replication slot", .serialized, .bounded)
struct StandbySlotTests {
    final class Notices: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    static func streaming(_ home: TestHome) -> Bool {
        waitUntil(timeout: 10) {
            home.psql("select state from pg_stat_replication where application_name = 'lampctl_standby'") == "streaming"
        }
    }

    @Test("a new standby streams through its slot; the primary caps what the slot keeps")
    func slot() throws {
        let home = TestHome()
        defer { StandbyTests.cleanUp(home) }
        let lease = try LocalServer.acquire(home.config, standby: true)
        defer { lease.release() }
        #expect(Self.streaming(home))
        #expect(home.psql("select active from pg_replication_slots where slot_name = 'lampctl_standby' and slot_type = 'physical'") == "t")
        #expect(home.psql("show max_slot_wal_keep_size") == "256MB")
        #expect(StandbyTests.standbyPSQL(home, "show primary_slot_name") == "lampctl_standby")
    }

    @Test("a standby whose WAL the primary removed is made again with one notice, and streams")
    func rebuilt() throws {
        let home = TestHome()
        defer { StandbyTests.cleanUp(home) }
        try LocalServer.acquire(home.config, standby: true).release()
        #expect(waitUntil(timeout: 5) { StandbyTests.standbyPostmasters(home).isEmpty })
        // Without the slot, the primary keeps nothing for the stopped standby: move the WAL on.
        let primary = try LocalServer.acquire(home.config)
        #expect(home.psql("select pg_drop_replication_slot('lampctl_standby')") != nil)
        for round in 0..<4 {
            #expect(home.psql("create table wal_\(round) as select generate_series(1, 20000) as id") != nil)
            #expect(home.psql("select pg_switch_wal()") != nil)
            #expect(home.psql("checkpoint") != nil)
        }
        let notices = Notices()
        var config = home.config
        config.onWait = { notices.append($0) }
        let lease = try LocalServer.acquire(config, standby: true)
        defer { lease.release() }
        primary.release()
        #expect(notices.all.filter { $0.contains("the standby") } == [
            "the standby has no replication slot on the primary, so the primary may have removed WAL it needs: made it again from the primary",
        ])
        #expect(Self.streaming(home))
        #expect(StandbyTests.standbyPSQL(home, "select count(*) from wal_3") == "20000")
    }
}
