import Foundation
import Postgres
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP in every phase of a scenario run: one line naming where,
/// exit 130/143/129, and the run's schema dropped. A clean-up that cannot take its lock gives up
/// after its lock_timeout; a second Ctrl-C ends it at once.
@Suite("Interrupts", .bounded)
struct InterruptTests {
    struct Phase: Sendable, CustomTestStringConvertible {
        var failpoint: String
        var signal: Int32
        var testDescription: String { "\(Self.names[signal]!.signal) at \(failpoint)" }

        static let names: [Int32: (signal: String, line: String, status: Int32)] = [
            SIGINT: ("SIGINT", "interrupted (SIGINT)", 130),
            SIGTERM: ("SIGTERM", "terminated (SIGTERM)", 143),
            SIGHUP: ("SIGHUP", "hung up (SIGHUP)", 129),
        ]
        var expected: (signal: String, line: String, status: Int32) { Self.names[signal]! }
    }

    static let phases: [Phase] = ["connected", "line 12: S1 create", "line 13: S1 refresh", "line 15: S2 switch-on",
                                  "line 16: S1 select", "observe", "cleanup"].flatMap { point in
        [Phase(failpoint: point, signal: SIGINT), Phase(failpoint: point, signal: SIGTERM), Phase(failpoint: point, signal: SIGHUP)]
    }

    @Test("the run stops cleanly", arguments: phases)
    func interrupt(_ phase: Phase) throws {
        let url = try TestDatabase.url
        let process = try BackgroundLampctl(["scenario", "--fix", "none"], environment: [
            "DATABASE_URL": url, "LAMPCTL_FAILPOINT": phase.failpoint,
        ])
        try process.waitForStderr(containing: "failpoint: paused at", timeout: 20)
        let pausedLine = process.stderr
        let schema = try Self.runSchemas(url, pid: process.pid)
        if phase.failpoint != "connected" { #expect(schema.count == 1, "the run's schema exists while paused") }
        kill(process.pid, phase.signal)
        let status = try process.wait(timeout: 20)
        #expect(status == phase.expected.status)
        let lines = process.stderr.dropFirst(pausedLine.count).split(separator: "\n")
        #expect(lines.count == 1, "one line: \(process.stderr)")
        let line = String(lines.first ?? "")
        #expect(line.contains(phase.expected.line))
        if phase.failpoint.hasPrefix("line") || phase.failpoint == "observe" {
            #expect(line.contains("case none"))
            #expect(line.contains(phase.failpoint))
        }
        #expect(try Self.runSchemas(url, pid: process.pid).isEmpty, "no schema left behind")
    }

    @Test("a clean-up blocked by another session's lock gives up after its lock_timeout; the next run drops the schema")
    func cleanupLockTimeout() throws {
        let scratch = try ScratchDatabase(prefix: "lampctl_interrupt")
        defer { scratch.drop() }
        let (process, schema, blocker) = try Self.runWithBlockedCleanup(in: scratch)
        defer { blocker.close() }
        let started = Date()
        kill(process.pid, SIGINT)
        let status = try process.wait(timeout: 20)
        let waited = Date().timeIntervalSince(started)
        #expect(status == 130)
        #expect(waited >= 1.5 && waited < 10, "gave up after the 2 s lock_timeout, not before, not much later: \(waited) s")
        #expect(process.stderr.contains("could not drop schema \(schema) (the next run drops it)"), "\(process.stderr)")
        try Self.expectSweptByNextRun(schema, blocker: blocker, in: scratch)
    }

    @Test("a second Ctrl-C during clean-up ends it at once")
    func secondInterrupt() throws {
        let scratch = try ScratchDatabase(prefix: "lampctl_interrupt")
        defer { scratch.drop() }
        let (process, schema, blocker) = try Self.runWithBlockedCleanup(in: scratch)
        defer { blocker.close() }
        kill(process.pid, SIGINT)
        // Wait until the clean-up's DROP SCHEMA waits for the blocker's lock (seen from a
        // connection outside any transaction: pg_stat_activity is a snapshot within one).
        let watcher = try scratch.connect()
        defer { watcher.close() }
        let deadline = Date().addingTimeInterval(10)
        while try watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'DROP SCHEMA%' AND query LIKE '%' || $1 || '%'",
            [schema]).rows.first?.first != "1" {
            try #require(Date() < deadline, "the clean-up never waited for the lock: \(process.stderr)")
            usleep(10_000)
        }
        let started = Date()
        kill(process.pid, SIGINT)
        let status = try process.wait(timeout: 20)
        #expect(status == 130)
        #expect(Date().timeIntervalSince(started) < 1.5, "it did not wait for the 2 s lock_timeout")
        let lines = process.stderr.split(separator: "\n").filter { !$0.contains("failpoint") }
        #expect(lines == ["lampctl: interrupted again (SIGINT): stopped without finishing clean-up; the next run drops what is left"])
        try Self.expectSweptByNextRun(schema, blocker: blocker, in: scratch)
    }

    /// A run paused at `line 15`, in a database of its own (what it leaves behind must not be
    /// swept, and reported, by other tests' runs), whose lamps table another session holds a
    /// lock on (so dropping the run's schema must wait).
    static func runWithBlockedCleanup(in scratch: ScratchDatabase) throws -> (BackgroundLampctl, String, Connection) {
        let url = try scratch.url()
        let process = try BackgroundLampctl(["scenario", "--fix", "none"], environment: [
            "DATABASE_URL": url, "LAMPCTL_FAILPOINT": "line 15: S2 switch-on",
        ])
        try process.waitForStderr(containing: "failpoint: paused at", timeout: 20)
        let schema = try #require(try Self.runSchemas(url, pid: process.pid).first)
        let blocker = try Connection(url)
        try blocker.execute("BEGIN")
        try blocker.execute("LOCK TABLE \(try blocker.escapeIdentifier(schema)).lamps IN ACCESS SHARE MODE")
        return (process, schema, blocker)
    }

    /// Once the blocker lets go, the next run (on the same database) drops the schema left behind.
    static func expectSweptByNextRun(_ schema: String, blocker: Connection, in scratch: ScratchDatabase) throws {
        try blocker.execute("ROLLBACK")
        let url = try scratch.url()
        let next = try LampctlProcess.run(["scenario", "--fix", "none"], environment: ["DATABASE_URL": url])
        #expect(next.status == 0)
        let gone = try blocker.execute("SELECT count(*) FROM pg_namespace WHERE nspname = $1", [schema])
        #expect(gone.rows.first?.first == "0", "\(schema) was swept")
    }

    /// The schemas of the run with this pid (`lampctl_run_<pid>_...`).
    static func runSchemas(_ url: String, pid: Int32) throws -> [String] {
        let connection = try Connection(url)
        defer { connection.close() }
        return try connection.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1",
                                      ["lampctl\\_run\\_\(pid)\\_%"]).rows.compactMap { $0[0] }
    }
}
