import Foundation
import Postgres
import TestSupport
import Testing

/// A failed write on standard output (`> /dev/full`) is an error: exit 74 with one line, after the
/// run's clean-up. (A reader that goes away is not: see ClosedOutputTests.)
@Suite("Write errors on standard output", .bounded)
struct WriteErrorTests {
    @Test("scenario --json > /dev/full: exit 74, one line, the run's schema dropped")
    func scenario() throws {
        let url = try TestDatabase.url
        let run = try RedirectedLampctl.run(["scenario", "--fix", "none,refresh", "--json"], environment: ["DATABASE_URL": url],
                                            standardOutput: "/dev/full")
        #expect(run.status == 74)
        #expect(run.stderr == "lampctl: standard output: cannot write: No space left on device\n")
        let connection = try Connection(url)
        defer { connection.close() }
        let left = try connection.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE $1",
                                          ["lampctl\\_run\\_\(run.pid)\\_%"])
        #expect(left.rows.first?.first == "0", "the run's schema was dropped")
    }

    @Test("create > /dev/full: exit 74, the line names the lamp that was created")
    func create() throws {
        let run = try RedirectedLampctl.run(["create", "--status", "on"], environment: ["DATABASE_URL": try TestDatabase.url],
                                            standardOutput: "/dev/full")
        #expect(run.status == 74)
        let pattern = #/^lampctl: lamp (\d+) was created, but its id could not be printed: standard output: cannot write: No space left on device\n$/#
        let match = try #require(run.stderr.firstMatch(of: pattern), "\(run.stderr)")
        let read = try LampctlProcess.runOnTestDatabase(["read", String(match.1)])
        #expect(read.status == 0)
        #expect(read.stdout == "on\n", "the lamp named in the line exists")
    }

    @Test("list, scenario --list and doctor > /dev/full exit 74", arguments: [["list"], ["scenario", "--list"], ["doctor"]])
    func otherCommands(_ arguments: [String]) throws {
        let run = try RedirectedLampctl.run(arguments, environment: ["DATABASE_URL": try TestDatabase.url], standardOutput: "/dev/full")
        #expect(run.status == 74)
        #expect(run.stderr == "lampctl: standard output: cannot write: No space left on device\n")
    }
}
