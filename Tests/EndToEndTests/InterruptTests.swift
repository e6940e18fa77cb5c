import Foundation
import Postgres
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C (SIGINT) and SIGTERM in every phase of a scenario run: one line naming where, exit
/// 130/143, and the run's schema dropped.
@Suite("Interrupts")
struct InterruptTests {
    struct Phase: Sendable, CustomTestStringConvertible {
        var failpoint: String
        var signal: Int32
        var testDescription: String { "\(signal == SIGINT ? "SIGINT" : "SIGTERM") at \(failpoint)" }
    }

    static let phases: [Phase] = ["connected", "line 12: S1 create", "line 13: S1 refresh", "line 15: S2 switch-on",
                                  "line 16: S1 select", "observe", "cleanup"].flatMap { point in
        [Phase(failpoint: point, signal: SIGINT), Phase(failpoint: point, signal: SIGTERM)]
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
        #expect(status == (phase.signal == SIGINT ? 130 : 143))
        let lines = process.stderr.dropFirst(pausedLine.count).split(separator: "\n")
        #expect(lines.count == 1, "one line: \(process.stderr)")
        let line = String(lines.first ?? "")
        #expect(line.contains(phase.signal == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)"))
        if phase.failpoint.hasPrefix("line") || phase.failpoint == "observe" {
            #expect(line.contains("case none"))
            #expect(line.contains(phase.failpoint))
        }
        #expect(try Self.runSchemas(url, pid: process.pid).isEmpty, "no schema left behind")
    }

    /// The schemas of the run with this pid (`lampctl_run_<pid>_...`).
    static func runSchemas(_ url: String, pid: Int32) throws -> [String] {
        let connection = try Connection(url)
        defer { connection.close() }
        return try connection.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE $1",
                                      ["lampctl\\_run\\_\(pid)\\_%"]).rows.compactMap { $0[0] }
    }
}
