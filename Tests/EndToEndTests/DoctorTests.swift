import Foundation
import Postgres
import TestSupport
import Testing

/// `doctor` finds what makes every writing command fail, and names the statement that fixes it:
/// the fix is then run, and doctor must pass.
@Suite("Doctor finds what will fail", .bounded)
struct DoctorTests {
    /// The fix doctor printed on its FAIL line for `check`: the text after the last ": ".
    static func fix(_ output: String, check: String) throws -> String {
        let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("FAIL  \(check) ") }, "\(output)")
        return String(try #require(line.components(separatedBy: ": ").last))
    }

    @Test("a database with default_transaction_read_only = on")
    func readOnlyDatabase() throws {
        let database = try ScratchDatabase(prefix: "lampctl_doctor_ro")
        defer { database.drop() }
        try database.admin("ALTER DATABASE \(database.name) SET default_transaction_read_only = on")
        let url = try database.url()
        let create = try LampctlProcess.run(["create"], environment: ["DATABASE_URL": url])
        #expect(create.status == 69, "create really fails: \(create.stderr)")
        #expect(create.stderr.contains("25006") && create.stderr.contains("this database takes no writes"), "\(create.stderr)")
        let doctor = try LampctlProcess.run(["doctor", "--database-url", url])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("FAIL  write"), "\(doctor.stdout)")
        let fix = try Self.fix(doctor.stdout, check: "read-only")
        #expect(fix == "ALTER DATABASE \(database.name) SET default_transaction_read_only = off")
        try database.admin(fix)
        let fixed = try LampctlProcess.run(["doctor", "--database-url", url])
        #expect(fixed.status == 0, "\(fixed.stdout)")
        #expect(fixed.stdout.contains("ok    write"))
        #expect(try LampctlProcess.run(["create"], environment: ["DATABASE_URL": url]).status == 0)
    }

    @Test("a role with a statement_timeout too small to run")
    func smallStatementTimeout() throws {
        let database = try ScratchDatabase(prefix: "lampctl_doctor_timeout")
        let role = database.name
        try database.admin("CREATE ROLE \(role) LOGIN")
        defer {
            database.drop()
            _ = try? TestDatabase.connect().execute("DROP ROLE \(role)")
        }
        try database.admin("GRANT CREATE ON DATABASE \(database.name) TO \(role)")
        try database.admin("ALTER ROLE \(role) SET statement_timeout = '100ms'")
        let url = try database.url(user: role)
        let doctor = try LampctlProcess.run(["doctor", "--database-url", url])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("statement_timeout is 100ms (set for the role)"), "\(doctor.stdout)")
        let fix = try Self.fix(doctor.stdout, check: "timeout")
        #expect(fix.hasPrefix("ALTER ROLE \(role) SET statement_timeout = "))
        try database.admin(fix)
        let fixed = try LampctlProcess.run(["doctor", "--database-url", url])
        #expect(fixed.status == 0, "\(fixed.stdout)")
        #expect(fixed.stdout.contains("ok    timeout"))
        #expect(fixed.stdout.contains("ok    write"))
    }

    @Test("a statement_timeout so small that doctor's own statements may be cancelled", arguments: ["1ms", "5ms"])
    func tinyStatementTimeout(_ timeout: String) throws {
        let database = try ScratchDatabase(prefix: "lampctl_doctor_tiny")
        let role = database.name
        try database.admin("CREATE ROLE \(role) LOGIN")
        defer {
            database.drop()
            _ = try? TestDatabase.connect().execute("DROP ROLE \(role)")
        }
        try database.admin("GRANT CREATE ON DATABASE \(database.name) TO \(role)")
        try database.admin("ALTER ROLE \(role) SET statement_timeout = '\(timeout)'")
        let doctor = try LampctlProcess.run(["doctor", "--database-url", try database.url(user: role)])
        #expect(doctor.status == 1)
        let fix = try Self.fix(doctor.stdout, check: "timeout")
        #expect(fix == "ALTER ROLE \(role) SET statement_timeout = '1000ms'", "\(doctor.stdout)")
    }

    @Test("a statement_timeout from the connection string's options: the fix says where it is")
    func clientStatementTimeout() throws {
        let database = try ScratchDatabase(prefix: "lampctl_doctor_client")
        defer { database.drop() }
        let url = try database.url() + " options='-c statement_timeout=200'"
        let doctor = try LampctlProcess.run(["doctor", "--database-url", url])
        #expect(doctor.status == 1)
        #expect(doctor.stdout.contains("statement_timeout is 200ms (set by the connection string's options or PGOPTIONS)"), "\(doctor.stdout)")
        #expect(doctor.stdout.contains("remove -c statement_timeout=... from the connection string's options"))
    }

    @Test("the write check rolls back: doctor leaves no schema behind")
    func writeCheckRollsBack() throws {
        let database = try ScratchDatabase(prefix: "lampctl_doctor_ok")
        defer { database.drop() }
        let doctor = try LampctlProcess.run(["doctor", "--database-url", try database.url()])
        #expect(doctor.status == 0, "\(doctor.stdout)")
        #expect(doctor.stdout.contains("ok    write"))
        let check = try database.connect()
        defer { check.close() }
        #expect(try check.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'lampctl%'").rows.first?.first == "0")
    }
}
