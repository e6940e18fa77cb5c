import Foundation
import TestSupport
import Testing

/// Two replica runs on one home with different --replay-delay: the second waits for the first
/// instead of changing the standby's delay under it (it did, silently: 3 s asked, 187 ms measured).
@Suite("Replay delays of concurrent runs", .bounded(seconds: 120))
struct ReplayDelayHoldTests {
    @Test("a run asking another delay waits, saying so, and the first run keeps its own delay")
    func secondRunWaits() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let first = try BackgroundLampctl(["scenario", "--replica", "--fix", "replica-none", "--replay-delay", "3s", "--json"],
                                          environment: ["LAMPCTL_HOME": home, "LAMPCTL_FAILPOINT": "S2 switch-on"])
        try first.waitForStderr(containing: "failpoint: paused at", timeout: 60)
        let second = try BackgroundLampctl(["scenario", "--replica", "--fix", "replica-none", "--replay-delay", "200ms", "--json"],
                                           environment: ["LAMPCTL_HOME": home])
        try second.waitForStderr(containing: "waiting for another lampctl run on this home, which reads the standby with a replay delay of 3000 ms (this run asks 200 ms)", timeout: 30)
        kill(first.pid, SIGUSR1)
        #expect(try first.wait(timeout: 60) == 0, "\(first.stderr)")
        #expect(try second.wait(timeout: 60) == 0, "\(second.stderr)")
        let lag = try #require(first.stdout.firstMatch(of: /"replay_lag_ms": (\d+)/).flatMap { Int($0.1) }, "\(first.stdout)")
        #expect(lag > 1500, "the first run's standby kept its 3 s delay: \(lag) ms")
    }
}
