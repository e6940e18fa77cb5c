import Foundation
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `db stop` while a scenario run uses the home refuses, as `db reset` does (the run then ends
/// normally and drops its schema); `--force` stops it anyway.
@Suite("db stop while a run holds the home", .bounded)
struct StopWhileRunTests {
    @Test("refused with one line; the run completes; --force stops at once")
    func refusedThenForced() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let env: [String: String?] = ["LAMPCTL_HOME": home]
        let run = try BackgroundLampctl(["scenario", "--fix", "none"], environment: [
            "LAMPCTL_HOME": home, "LAMPCTL_FAILPOINT": "line 15: S2 switch-on",
        ])
        try run.waitForStderr(containing: "failpoint: paused", timeout: 30)
        let stop = try LampctlProcess.run(["db", "stop"], environment: env)
        #expect(stop.status == 71, "\(stop.stdout)")
        #expect(stop.stderr == "lampctl: embedded PostgreSQL: the local server is in use by another lampctl invocation: stop it when that has finished ('lampctl db stop --force' stops it now and that invocation fails)\n")
        #expect(stop.stdout.isEmpty)
        #expect(!EmbeddedDefaultTests.postmasters(home).isEmpty, "the server still runs")
        kill(run.pid, SIGUSR1)
        #expect(try run.wait(timeout: 30) == 0, "\(run.stderr)")
        #expect(run.stdout.contains("none"))

        let second = try BackgroundLampctl(["scenario", "--fix", "none"], environment: [
            "LAMPCTL_HOME": home, "LAMPCTL_FAILPOINT": "line 15: S2 switch-on",
        ])
        try second.waitForStderr(containing: "failpoint: paused", timeout: 30)
        let forced = try LampctlProcess.run(["db", "stop", "--force"], environment: env)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout == "stopped\n")
        kill(second.pid, SIGUSR1)
        #expect(try second.wait(timeout: 30) == 69)
    }
}
