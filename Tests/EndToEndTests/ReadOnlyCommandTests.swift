import Foundation
import Postgres
import TestSupport
import Testing

/// `read`, `list` (and `switch-on` of a lamp that cannot exist) on a fresh database create nothing.
@Suite("Read-only commands write nothing", .bounded)
struct ReadOnlyCommandTests {
    @Test("read, list, list --json and switch-on on a database without lampctl's schema")
    func freshDatabase() throws {
        let database = try ScratchDatabase(prefix: "lampctl_readonly")
        defer { database.drop() }
        let environment: [String: String?] = ["DATABASE_URL": try database.url()]
        let read = try LampctlProcess.run(["read", "1"], environment: environment)
        #expect(read.status == 1)
        #expect(read.stderr == "lampctl: lamp 1 not found\n")
        #expect(read.stdout.isEmpty)
        let list = try LampctlProcess.run(["list"], environment: environment)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout == "id  status\n", "a header and no lamps")
        let json = try LampctlProcess.run(["list", "--json"], environment: environment)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.isEmpty)
        let switchOn = try LampctlProcess.run(["switch-on", "1"], environment: environment)
        #expect(switchOn.status == 1)
        #expect(switchOn.stderr == "lampctl: lamp 1 not found\n")
        let check = try database.connect()
        defer { check.close() }
        #expect(try check.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'lampctl%'").rows.first?.first == "0")
        #expect(try check.execute("SELECT count(*) FROM pg_class WHERE relname = 'lamps'").rows.first?.first == "0")
    }

    @Test("after create, read and list see the lamp (the same database)")
    func afterCreate() throws {
        let database = try ScratchDatabase(prefix: "lampctl_readonly")
        defer { database.drop() }
        let environment: [String: String?] = ["DATABASE_URL": try database.url()]
        let created = try LampctlProcess.run(["create", "--status", "on"], environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try LampctlProcess.run(["read", id], environment: environment).stdout == "on\n")
        #expect(try LampctlProcess.run(["list", "--json"], environment: environment).stdout == "{\"id\": \(id), \"status\": \"on\"}\n")
    }
}
