import Foundation
import Postgres
import TestSupport
import Testing

/// A role that may not create schemas, and other sessions' open transactions.
@Suite("Privileges and other sessions", .bounded)
struct PrivilegeTests {
    @Test("a user without CREATE privilege gets one clear line, and nothing is created")
    func noCreatePrivilege() throws {
        let database = try ScratchDatabase(prefix: "lampctl_nocreate")
        let role = database.name
        try database.admin("CREATE ROLE \(role) LOGIN")
        defer {
            database.drop()
            _ = try? TestDatabase.connect().execute("DROP ROLE \(role)")
        }
        try database.admin("REVOKE CREATE ON DATABASE \(database.name) FROM PUBLIC")
        let url = try database.url(user: role)
        for arguments in [["create"], ["scenario", "--fix", "none"]] {
            let output = try LampctlProcess.run(arguments, environment: ["DATABASE_URL": url])
            #expect(output.status == 70, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("permission denied"))
            #expect(output.stderr.contains("42501"))
            #expect(output.stderr.filter { $0 == "\n" }.count == 1)
        }
        let check = try database.connect()
        defer { check.close() }
        #expect(try check.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'lampctl%'").rows.first?.first == "0")
    }

    @Test("another session's open transaction on the user's own table neither blocks nor is touched")
    func otherSessionsTransactions() throws {
        let database = try ScratchDatabase(prefix: "lampctl_othertx")
        defer { database.drop() }
        let url = try database.url()
        let other = try Connection(url)
        defer { other.close() }
        try other.execute("CREATE TABLE public.lamps (id int PRIMARY KEY, status text)")
        try other.execute("INSERT INTO public.lamps VALUES (1, 'off')")
        try other.execute("BEGIN")
        try other.execute("LOCK TABLE public.lamps IN ACCESS EXCLUSIVE MODE")
        try other.execute("UPDATE public.lamps SET status = 'uncommitted'")
        let started = Date()
        let output = try LampctlProcess.run(["scenario", "--fix", "none,close", "--json"], environment: ["DATABASE_URL": url])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(other.transactionStatus == .inTransaction, "the other session's transaction is still open")
        try other.execute("ROLLBACK")
        #expect(try other.execute("SELECT id, status FROM public.lamps").rows == [["1", "off"]])
    }
}
