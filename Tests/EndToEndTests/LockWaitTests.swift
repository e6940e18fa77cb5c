import Foundation
import Postgres
import TestSupport
import Testing

/// A command whose statement waits on a lock another session holds says so once, naming the
/// holder, and goes on when that transaction ends (it waited silently).
@Suite("Waiting on someone else's lock", .bounded)
struct LockWaitTests {
    @Test("read and create wait for a table lock held by another session: one line naming its pid, then they finish",
          arguments: [["read", "1"], ["create"]])
    func saysWhoHoldsTheLock(_ arguments: [String]) throws {
        let database = try ScratchDatabase(prefix: "lampctl_lockwait")
        defer { database.drop() }
        let url = try database.url()
        let created = try LampctlProcess.run(["create"], environment: ["DATABASE_URL": url])
        #expect(created.status == 0, "\(created.stderr)")
        let holder = try Connection(ConnectionString(url))
        defer { holder.close() }
        try holder.execute("SET application_name = 'lock-holder'")
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE lampctl.lamps IN ACCESS EXCLUSIVE MODE")
        let waiting = try BackgroundLampctl(arguments, environment: ["DATABASE_URL": url])
        try waiting.waitForStderr(containing: "lampctl: waiting for a lock held by another session (pid \(holder.backendPID) (lock-holder", timeout: 20)
        try holder.execute("COMMIT")
        #expect(try waiting.wait(timeout: 30) == 0, "\(waiting.stderr)")
        #expect(waiting.stderr.split(separator: "\n").count == 1, "said once: \(waiting.stderr)")
    }
}
