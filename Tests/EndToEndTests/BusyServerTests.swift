import Foundation
import Postgres
import TestSupport
import Testing

/// A server that refuses connections because it is full (SQLSTATE 53300): lampctl waits, says
/// so once, and then runs, or fails after `LAMPCTL_CONNECT_WAIT` seconds with the usual line.
/// Each test starts a throwaway server of its own with a low `max_connections`.
@Suite("A full server", .bounded)
struct BusyServerTests {
    static let waitingLine = "lampctl: the server has no free connection slot (SQLSTATE 53300); waiting up to 120 s for it (LAMPCTL_CONNECT_WAIT)\n"

    /// stderr without the lines that say a single connection attempt took over a second: on a
    /// loaded machine (20 runs, SCRAM over TCP) that is true and said, besides the busy wait.
    static func withoutSlowAnswers(_ stderr: String) -> String {
        stderr.split(separator: "\n", omittingEmptySubsequences: true)
            .filter { !($0.hasPrefix("lampctl: waiting for the server at host ") && $0.hasSuffix(" s)")) }
            .map { $0 + "\n" }.joined()
    }

    @Test("20 scenario runs at once against max_connections = 8 all complete with the same JSON as one alone")
    func twentyRuns() throws {
        let server = try PasswordServer(password: "busy\(UInt32.random(in: 0...UInt32.max))",
                                        settings: ["max_connections=8", "superuser_reserved_connections=0"])
        defer { server.stop() }
        // connect_timeout of its own: on a loaded machine (this suite beside the others, 20 runs
        // on 2 cores) one attempt can take over lampctl's default 5 s to be answered at all,
        // which is a timeout (exit 69), not the busy wait this test is about.
        let environment: [String: String?] = ["DATABASE_URL": server.url + "?connect_timeout=60", "LAMPCTL_CONNECT_WAIT": "120"]
        let alone = try LampctlProcess.run(["scenario", "--json"], environment: environment)
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(alone.stdout.split(separator: "\n").count == 9)
        let runs = try (0..<20).map { _ in try BackgroundLampctl(["scenario", "--json"], environment: environment) }
        var waited = 0
        for run in runs {
            #expect(try run.wait(timeout: 240) == 0, "\(run.stderr)")
            #expect(run.stdout == alone.stdout)
            let said = Self.withoutSlowAnswers(run.stderr)
            if !said.isEmpty {
                waited += 1
                #expect(said == Self.waitingLine, "said once that it waits, and why: \(run.stderr)")
            }
        }
        #expect(waited > 0, "20 runs of 4 connections each found 8 slots full at least once")
        let connection = try Connection(server.url)
        defer { connection.close() }
        #expect(try connection.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'lampctl\\_run\\_%'").rows.first?.first == "0")
    }

    @Test("a server that stays full: the usual line after the wait, or at once with LAMPCTL_CONNECT_WAIT=0")
    func staysFull() throws {
        let server = try PasswordServer(password: "full\(UInt32.random(in: 0...UInt32.max))",
                                        settings: ["max_connections=2", "superuser_reserved_connections=0"])
        defer { server.stop() }
        let holders = try (0..<2).map { _ in try Connection(server.url) }
        defer { holders.forEach { $0.close() } }

        let refused = #expect(throws: PostgresError.self) { try Connection(ConnectionString(server.url), waitsWhenBusy: false) }
        #expect(refused?.sqlState == .tooManyConnections)
        #expect(refused?.kind == .connectionFailed)

        let started = Date()
        let waited = try LampctlProcess.run(["scenario", "--fix", "none"], environment: ["DATABASE_URL": server.url, "LAMPCTL_CONNECT_WAIT": "1"])
        let elapsed = Date().timeIntervalSince(started)
        #expect(waited.status == 69)
        let lines = Self.withoutSlowAnswers(waited.stderr).split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(waited.stderr)")
        #expect(lines.first == "lampctl: the server has no free connection slot (SQLSTATE 53300); waiting up to 1 s for it (LAMPCTL_CONNECT_WAIT)")
        #expect(lines.last?.contains("sorry, too many clients already") == true)
        #expect(lines.last?.contains(server.password) == false)
        #expect(elapsed >= 1 && elapsed < 10, "\(elapsed) s")

        let atOnce = try LampctlProcess.run(["read", "1"], environment: ["DATABASE_URL": server.url, "LAMPCTL_CONNECT_WAIT": "0"])
        #expect(atOnce.status == 69)
        #expect(atOnce.stderr.split(separator: "\n").count == 1, "\(atOnce.stderr)")
        #expect(atOnce.stderr.contains("sorry, too many clients already"))

        let bad = try LampctlProcess.run(["read", "1"], environment: ["DATABASE_URL": server.url, "LAMPCTL_CONNECT_WAIT": "soon"])
        #expect(bad.status == 64)
        #expect(bad.stderr == "lampctl: LAMPCTL_CONNECT_WAIT=soon: expected a number of seconds from 0 to 86400\n")
    }
}
