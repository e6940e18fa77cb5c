import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The embedded server as pg_ctl users expect it: odd home paths, status exit codes, and
/// feedback while waiting for a server that does not answer.
@Suite("Embedded server status and waits", .bounded)
struct EmbeddedServerStatusTests {
    @Test("A LAMPCTL_HOME with &, %, ?, #, spaces or a comma works for every command and for psql", arguments: [
        "a b&c%d?e#f", "with,comma",
    ])
    func oddHomePaths(_ name: String) throws {
        let outer = try EmbeddedDefaultTests.makeHome()
        let home = outer + "/" + name
        defer {
            EmbeddedDefaultTests.removeHome(home)
            try? FileManager.default.removeItem(atPath: outer)
        }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let created = try LampctlProcess.run(["create"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try LampctlProcess.run(["switch-on", "1"], environment: env).status == 0)
        #expect(try LampctlProcess.run(["read", "1"], environment: env).stdout == "on\n")
        #expect(try LampctlProcess.run(["scenario", "--fix", "none", "--json"], environment: env).status == 0)
        #expect(try LampctlProcess.run(["db", "start"], environment: env).status == 0)
        let url = try LampctlProcess.run(["db", "url"], environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let psql = try TestProcess.run("/usr/bin/psql", [url, "-Atc", "select status from lampctl.lamps where id = 1"],
                                       environment: LampctlProcess.environment([:]))
        #expect(psql.status == 0, "\(psql.stderr)")
        #expect(psql.stdout == "on\n")
        #expect(try LampctlProcess.run(["db", "stop"], environment: env).stdout == "stopped\n")
    }

    @Test("db status exits 3 when stopped, 0 when running; db url on a stopped server says so on stderr")
    func statusExitCodes() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let stopped = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(stopped.status == 3)
        #expect(stopped.stdout.hasPrefix("state:      stopped\n"))
        let stoppedURL = try LampctlProcess.run(["db", "url"], environment: env)
        #expect(stoppedURL.status == 0)
        #expect(stoppedURL.stdout.hasPrefix("postgresql://postgres@/postgres?host="))
        #expect(stoppedURL.stderr == "lampctl: the embedded server is not running: start it with 'lampctl db start' to connect with this URL\n")

        #expect(try LampctlProcess.run(["db", "start"], environment: env).status == 0)
        let running = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(running.status == 0)
        #expect(running.stdout.hasPrefix("state:      running (kept"))
        let json = try LampctlProcess.run(["db", "status", "--json"], environment: env)
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"state\": \"running\""))
        let runningURL = try LampctlProcess.run(["db", "url"], environment: env)
        #expect(runningURL.stderr == "")
        #expect(try LampctlProcess.run(["db", "stop"], environment: env).status == 0)
        #expect(try LampctlProcess.run(["db", "status", "--json"], environment: env).status == 3)
    }

    @Test("A postmaster stopped by SIGSTOP: connecting, db stop and db start say what they wait for; status never says stopped")
    func stoppedPostmaster() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        var postmaster: Int32 = 0
        defer {
            if postmaster > 0 { kill(postmaster, SIGCONT) }
            EmbeddedDefaultTests.removeHome(home)
        }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        #expect(try LampctlProcess.run(["db", "start"], environment: env).status == 0)
        #expect(try LampctlProcess.run(["create"], environment: env).status == 0)
        postmaster = try #require(EmbeddedDefaultTests.postmasters(home).first)
        #expect(kill(postmaster, SIGSTOP) == 0)

        let read = try LampctlProcess.run(["read", "1"], environment: env)
        #expect(read.status == 69)
        let lines = read.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(read.stderr)")
        #expect(lines.first?.hasPrefix("lampctl: waiting for the server at host ") == true, "\(read.stderr)")
        // A scenario run's own connections say so too.
        let scenario = try LampctlProcess.run(["scenario", "--fix", "none"], environment: env)
        #expect(scenario.status == 69)
        #expect(scenario.stderr.components(separatedBy: "lampctl: waiting for the server at host ").count == 2,
                "said once: \(scenario.stderr)")

        let status = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(status.status == 0)
        #expect(!status.stdout.contains("stopped"), "\(status.stdout)")
        #expect(status.stdout.contains("pid:        \(postmaster)"))

        let stop = try BackgroundLampctl(["db", "stop"], environment: env)
        try stop.waitForStderr(containing: "waiting for the PostgreSQL server (pid \(postmaster)) to stop", timeout: 5)
        let stopping = try LampctlProcess.run(["db", "status"], environment: env)
        #expect(stopping.status == 0, "a postmaster is alive")
        #expect(stopping.stdout.hasPrefix("state:      stopping"), "\(stopping.stdout)")
        #expect(stopping.stdout.contains("pid:        \(postmaster)"))
        // A start meanwhile waits for that stop, and says so.
        let start = try BackgroundLampctl(["db", "start"], environment: env)
        try start.waitForStderr(containing: "waiting for another lampctl that is starting or stopping the server", timeout: 5)
        kill(postmaster, SIGCONT)
        #expect(try stop.wait(timeout: 20) == 0)
        #expect(stop.stdout == "stopped\n")
        #expect(stop.stderr.split(separator: "\n").count == 1, "said once: \(stop.stderr)")
        #expect(try start.wait(timeout: 20) == 0, "\(start.stderr)")
        #expect(start.stdout.hasPrefix("running (pid "))
        #expect(start.stderr.split(separator: "\n").count == 1, "said once: \(start.stderr)")
        #expect(try LampctlProcess.run(["db", "stop"], environment: env).stdout == "stopped\n")
        #expect(EmbeddedDefaultTests.waitUntilNoPostmaster(home, seconds: 3))
    }
}
