import Foundation
import TestSupport
import Testing

/// `lampctl db ... --standby`: the embedded hot standby through the command line.
@Suite("db commands with the hot standby", .bounded)
struct StandbyCommandTests {
    @Test("db start --standby, db status (both clusters, replication), db url --standby, db stop, db reset")
    func standbyCommands() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let stoppedURL = try LampctlProcess.run(["db", "url", "--standby"], environment: env)
        #expect(stoppedURL.stdout.contains("&port=5433"))
        #expect(stoppedURL.stderr.contains("lampctl db start --standby"))

        let start = try LampctlProcess.run(["db", "start", "--standby"], environment: env)
        #expect(start.status == 0, "\(start.stderr)")
        #expect(start.stdout.contains("standby running (pid "))

        let url = try LampctlProcess.run(["db", "url", "--standby"], environment: env)
        #expect(url.stderr == "")
        let standbyURL = url.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let psql = try TestProcess.run("/usr/bin/psql", [standbyURL, "-Atc", "select pg_is_in_recovery()"],
                                       environment: LampctlProcess.environment([:]))
        #expect(psql.stdout == "t\n", "\(psql.stderr)")

        // db start --standby returns once the standby streams as synchronous: no polling here
        // (a new walsender shows async until the standby's first flush position arrives).
        let status = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(status.status == 0)
        #expect(status.stdout.hasPrefix("state:      running (kept"))
        #expect(status.stdout.contains("standby state: running (kept"))
        #expect(status.stdout.contains("replication: streaming (sync), replay lag "))
        #expect(status.stdout.contains("replay delay 400ms"))
        let json = try LampctlProcess.run(["db", "status", "--json"], environment: env)
        #expect(json.stdout.contains("\"standby\": {"))
        #expect(json.stdout.contains("\"replay_delay\": \"400ms\""))

        #expect(try LampctlProcess.run(["db", "stop"], environment: env).stdout == "stopped\n")
        let stopped = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(stopped.status == 3)
        #expect(stopped.stdout.contains("standby state: stopped"))
        #expect(stopped.stdout.contains("replication: not running"))

        #expect(try LampctlProcess.run(["db", "reset"], environment: env).status == 0)
        let reset = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(!reset.stdout.contains("standby"))
    }
}
