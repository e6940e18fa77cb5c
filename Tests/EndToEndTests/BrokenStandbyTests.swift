import Foundation
import TestSupport
import Testing

/// A kept home's standby that can no longer catch up (its replication slot gone, so the primary
/// keeps no WAL for it): `db status` and `doctor` say so, and the next replica run makes it again
/// with one line instead of timing out.
@Suite("A standby that fell behind for good", .bounded)
struct BrokenStandbyTests {
    @Test("reported by db status and doctor; the next replica run makes it again")
    func reportedAndRebuilt() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let first = try LampctlProcess.run(["scenario", "--replica", "--fix", "replica-none"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try LampctlProcess.run(["db", "start"], environment: env).status == 0)
        let url = try LampctlProcess.run(["db", "url"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dropped = try TestProcess.run("/usr/bin/psql", [url, "-Atc", "select pg_drop_replication_slot('lampctl_standby')"],
                                          environment: LampctlProcess.environment([:]))
        #expect(dropped.status == 0, "\(dropped.stderr)")

        let reason = "the standby has no replication slot on the primary, so the primary may have removed WAL it needs"
        let status = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(status.stdout.contains("replication: broken: \(reason); the next run that reads it makes it again"), "\(status.stdout)")
        let json = try LampctlProcess.run(["db", "status", "--json"], environment: env)
        #expect(json.stdout.contains("\"replication_broken\": \"\(reason)\""), "\(json.stdout)")
        let doctor = try LampctlProcess.run(["doctor"], environment: env)
        #expect(doctor.status == 1, "\(doctor.stdout)")
        #expect(doctor.stdout.contains(reason), "\(doctor.stdout)")

        let again = try LampctlProcess.run(["scenario", "--replica", "--fix", "replica-none"], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr == "lampctl: \(reason): made it again from the primary\n")
        // Made again at once (the message says so), not after a 30 s wait for a replay that never comes.
        #expect(!(try LampctlProcess.run(["db", "status"], environment: env).stdout.contains("broken")))
        #expect(try LampctlProcess.run(["db", "status", "--json"], environment: env).stdout.contains("\"replication_broken\": null"))
    }
}
