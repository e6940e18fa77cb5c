import Foundation
import LampApp
import Postgres
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Run schemas left behind by a run that could not clean up (SIGKILL) are dropped by the next
/// run, `doctor` and `db reset --database-url`; a live run's schema and schemas without lampctl's
/// mark are never touched. Each test has a database of its own, so no other test's run sweeps
/// what it asserts on.
@Suite("Abandoned run schemas", .bounded)
struct AbandonedSchemaTests {
    static let oneLine = "lampctl: dropped 1 abandoned run schema left by a run that ended without cleaning up\n"

    @Test("a SIGKILLed run's schema is dropped by the next run, which says so in one line")
    func killedRun() throws {
        let scratch = try ScratchDatabase(prefix: "lampctl_sweep")
        defer { scratch.drop() }
        let url = try scratch.url()
        let killed = try BackgroundLampctl(["scenario", "--fix", "none"], environment: [
            "DATABASE_URL": url, "LAMPCTL_FAILPOINT": "line 15: S2 switch-on",
        ])
        try killed.waitForStderr(containing: "failpoint: paused", timeout: 20)
        kill(killed.pid, SIGKILL)
        _ = try killed.wait(timeout: 10)
        #expect(try Self.runSchemas(scratch).count == 1, "the killed run left its schema")
        try Self.waitUntilNoOtherBackends(scratch)
        let next = try LampctlProcess.run(["scenario", "--fix", "none", "--json"], environment: ["DATABASE_URL": url])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr == Self.oneLine)
        #expect(next.stdout.contains(#""strategy": "none""#))
        #expect(try Self.runSchemas(scratch).isEmpty)
    }

    @Test("a paused run's schema and look-alike schemas without the mark are untouched")
    func liveAndForeignSchemasStay() throws {
        let scratch = try ScratchDatabase(prefix: "lampctl_sweep")
        defer { scratch.drop() }
        let url = try scratch.url()
        let setup = try scratch.connect()
        defer { setup.close() }
        // Named like run schemas, but not lampctl's: no comment, another comment; and lampctl's
        // own marked schema that is not a run schema.
        try setup.execute("CREATE SCHEMA lampctl_run_1_nocomment")
        try setup.execute("CREATE TABLE lampctl_run_1_nocomment.data (x int)")
        try setup.execute("CREATE SCHEMA lampctl_run_2_othercomment")
        try setup.execute("COMMENT ON SCHEMA lampctl_run_2_othercomment IS 'created by lampctl; safe to drop?'")
        try LampSchema.create("lampctl", on: setup)
        let live = try BackgroundLampctl(["scenario", "--fix", "none", "--json"], environment: [
            "DATABASE_URL": url, "LAMPCTL_FAILPOINT": "line 15: S2 switch-on",
        ])
        try live.waitForStderr(containing: "failpoint: paused", timeout: 20)
        let liveSchemas = try Self.runSchemas(scratch).filter { $0.hasPrefix("lampctl_run_\(live.pid)_") }
        #expect(liveSchemas.count == 1)

        let next = try LampctlProcess.run(["scenario", "--fix", "none"], environment: ["DATABASE_URL": url])
        #expect(next.status == 0)
        #expect(next.stderr == "", "nothing was abandoned: \(next.stderr)")
        let doctor = try LampctlProcess.run(["doctor"], environment: ["DATABASE_URL": url])
        #expect(!doctor.stderr.contains("dropped"), "\(doctor.stderr)")

        let remaining = Set(try Self.schemas(scratch, like: "lampctl%"))
        #expect(remaining == Set(liveSchemas + ["lampctl_run_1_nocomment", "lampctl_run_2_othercomment", "lampctl"]))
        kill(live.pid, SIGUSR1)
        #expect(try live.wait(timeout: 20) == 0, "the paused run finished on its intact schema: \(live.stderr)")
        #expect(live.stdout.contains(#""strategy": "none""#))
        #expect(try Self.runSchemas(scratch).sorted() == ["lampctl_run_1_nocomment", "lampctl_run_2_othercomment"])
    }

    @Test("doctor and db reset --database-url sweep too")
    func doctorAndReset() throws {
        let scratch = try ScratchDatabase(prefix: "lampctl_sweep")
        defer { scratch.drop() }
        let url = try scratch.url()
        try Self.abandon(["lampctl_run_1_a"], in: scratch)
        let doctor = try LampctlProcess.run(["doctor"], environment: ["DATABASE_URL": url])
        #expect(doctor.stderr == Self.oneLine)
        #expect(try Self.runSchemas(scratch).isEmpty)

        try Self.abandon(["lampctl_run_1_b", "lampctl_run_1_c"], in: scratch)
        let reset = try LampctlProcess.run(["db", "reset", "--database-url", url])
        #expect(reset.status == 0)
        #expect(reset.stderr.isEmpty)
        #expect(reset.stdout == "reset: 2 abandoned run schemas dropped (the database of --database-url; the embedded server was left alone)\n")
        #expect(try Self.runSchemas(scratch).isEmpty)
    }

    @Test("'db stop' during a run: the next run on the embedded server drops the schema it left")
    func serverStoppedMidRun() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let run = try BackgroundLampctl(["scenario", "--fix", "none"], environment: [
            "LAMPCTL_HOME": home, "LAMPCTL_FAILPOINT": "line 15: S2 switch-on",
        ])
        try run.waitForStderr(containing: "failpoint: paused", timeout: 30)
        #expect(try LampctlProcess.run(["db", "stop", "--force"], environment: ["LAMPCTL_HOME": home]).status == 0)
        kill(run.pid, SIGUSR1)
        _ = try run.wait(timeout: 30)
        #expect(run.stderr.contains("could not drop schema lampctl_run_\(run.pid)_"), "\(run.stderr)")
        let next = try LampctlProcess.run(["scenario", "--fix", "none"], environment: ["LAMPCTL_HOME": home])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr == Self.oneLine)
    }

    /// Marked run schemas whose creator is gone (created on a connection that then closed).
    static func abandon(_ names: [String], in scratch: ScratchDatabase) throws {
        let connection = try scratch.connect()
        defer { connection.close() }
        for name in names { try LampSchema.create(name, on: connection) }
    }

    static func runSchemas(_ scratch: ScratchDatabase) throws -> [String] {
        try schemas(scratch, like: "lampctl\\_run\\_%")
    }

    static func schemas(_ scratch: ScratchDatabase, like pattern: String) throws -> [String] {
        let connection = try scratch.connect()
        defer { connection.close() }
        return try connection.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", [pattern]).rows.compactMap { $0[0] }
    }

    /// A killed client's backends end when they notice its closed socket; until then its lock is held.
    static func waitUntilNoOtherBackends(_ scratch: ScratchDatabase) throws {
        let connection = try scratch.connect()
        defer { connection.close() }
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let count = try connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            if count.rows.first?.first == "0" { return }
            usleep(20_000)
        }
        Issue.record("the killed run's backends did not end within 15 s")
    }
}
