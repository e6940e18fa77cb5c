import Foundation
import Glibc
import Testing
@testable import LocalServer
import TestSupport

/// The embedded hot standby, made from a running primary with pg_basebackup: real streaming
/// replication, stopped with the primary under the same guarantees. Each test has its own home.
@Suite("Embedded hot standby", .serialized, .bounded)
struct StandbyTests {
    /// Live postmasters of the home's standby.
    static func standbyPostmasters(_ home: TestHome) -> [pid_t] {
        let data = StateDirectory(home: home.path, cluster: .standby).dataDirectory
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { Postmaster.isPostmaster($0, of: data) }
    }

    /// `psql -At -c sql` against the home's standby.
    static func standbyPSQL(_ home: TestHome, _ sql: String) -> String? {
        let socket = StateDirectory(home: home.path, cluster: .standby).socketDirectory
        guard let result = try? TestProcess.run("/usr/bin/psql", ["-h", socket, "-p", "5433", "-U", "postgres", "-d", "postgres", "-At", "-c", sql]),
              result.status == 0 else { return nil }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func cleanUp(_ home: TestHome) {
        home.cleanUp()
        for pid in standbyPostmasters(home) { kill(pid, SIGKILL) }
    }

    @Test("A standby lease makes a streaming standby in recovery, with the primary's identity, a 400 ms replay delay and its application_name")
    func leaseMakesAStreamingStandby() throws {
        let home = TestHome()
        defer { Self.cleanUp(home) }
        let primary = try LocalServer.acquire(home.config)
        #expect(home.psql("create table before_standby (id int); insert into before_standby values (7)") != nil)

        var lease: LocalServerLease?
        lease = try LocalServer.acquire(home.config, standby: true)
        primary.release()
        #expect(lease?.connectionStrings[.standby]?.hasSuffix("&port=5433") == true)
        #expect(Self.standbyPostmasters(home).count == 1)
        #expect(Self.standbyPSQL(home, "select pg_is_in_recovery()") == "t")
        #expect(Self.standbyPSQL(home, "select id from before_standby") == "7")
        #expect(Self.standbyPSQL(home, "show recovery_min_apply_delay") == "400ms")
        #expect(Self.standbyPSQL(home, "select system_identifier from pg_control_system()")
                == home.psql("select system_identifier from pg_control_system()"))
        #expect(waitUntil(timeout: 5) {
            home.psql("select state from pg_stat_replication where application_name = 'lampctl_standby'") == "streaming"
        })

        // The delay is real: a commit is not visible on the standby before 400 ms, then it is
        // (on a loaded machine the read itself may come later than that: then either is right).
        let committed = ContinuousClock.now
        #expect(home.psql("insert into before_standby values (8)") != nil)
        let early = Self.standbyPSQL(home, "select count(*) from before_standby")
        #expect(early == "1" || ContinuousClock.now - committed >= .milliseconds(400), "visible on the standby before its 400 ms delay")
        #expect(waitUntil(timeout: 5) { Self.standbyPSQL(home, "select count(*) from before_standby") == "2" })

        lease?.release()
        // Each supervisor lets its lock go just after its postmaster has gone.
        #expect(waitUntil(timeout: 5) {
            Self.standbyPostmasters(home).isEmpty && home.postmasters().isEmpty && LocalServer.isStopped(home.config)
        })

        // Kept in the home: the next lease starts the same standby, with the rows it had.
        let again = try LocalServer.acquire(home.config, standby: true)
        defer { again.release() }
        #expect(Self.standbyPSQL(home, "select count(*) from before_standby") == "2")
        #expect(LocalServer.connectionStrings(home.config).keys.contains(.standby))
    }

    @Test("SIGKILL of a lampctl holding the standby leaves no postmaster, primary or standby", arguments: [SIGKILL, SIGINT])
    func nothingIsLeftWhenTheClientIsKilled(signal: Int32) throws {
        let home = TestHome()
        defer { Self.cleanUp(home) }
        let client = try home.lampctl(["_lease-standby", "60"])
        #expect(client.firstLine().contains("port=5433"))
        #expect(home.postmasters().count == 1)
        #expect(Self.standbyPostmasters(home).count == 1)

        kill(client.pid, signal)
        #expect(client.wait() == 128 + signal)
        #expect(waitUntil(timeout: 5) {
            home.postmasters().isEmpty && Self.standbyPostmasters(home).isEmpty && LocalServer.isStopped(home.config)
        })
    }

    @Test("A kept standby keeps its primary running; stop stops both; reset deletes both")
    func keptStopAndReset() throws {
        let home = TestHome()
        defer { Self.cleanUp(home) }
        let status = try LocalServer.startStandby(home.config)
        #expect(status.running && status.kept)
        usleep(100_000)  // several supervisor polls: the on-demand primary must stay for the standby
        #expect(home.postmasters().count == 1)
        #expect(LocalServer.status(home.config, cluster: .standby).running)

        #expect(try LocalServer.stop(home.config))
        #expect(home.postmasters().isEmpty && Self.standbyPostmasters(home).isEmpty)
        #expect(LocalServer.status(home.config, cluster: .standby).initialised)

        try LocalServer.reset(home.config)
        #expect(!LocalServer.status(home.config, cluster: .standby).initialised)
        #expect(!LocalServer.status(home.config).initialised)
    }
}
