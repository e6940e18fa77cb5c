import Foundation
import Postgres
import TestSupport
import Testing

/// lampctl never touches tables it did not create: a database with its own `public.lamps` is
/// unchanged after every command.
@Suite("The user's data is untouched", .bounded)
struct UserDataTests {
    @Test("public.lamps with rows is byte-for-byte unchanged")
    func publicLampsUnchanged() throws {
        let database = try ScratchDatabase(prefix: "lampctl_userdata")
        defer { database.drop() }
        let url = try database.url()
        let user = try database.connect()
        defer { user.close() }
        try user.execute("CREATE TABLE public.lamps (id int PRIMARY KEY, status text, note text)")
        try user.execute("INSERT INTO public.lamps VALUES (1, 'off', 'mine'), (2, 'broken', 'do not touch')")
        try user.execute("CREATE SCHEMA shop")
        try user.execute("CREATE TABLE shop.lamps (id int)")
        func snapshot() throws -> [[String?]] {
            try user.execute("SELECT 'p' || id, status, note FROM public.lamps UNION ALL SELECT 's' || id, NULL, NULL FROM shop.lamps ORDER BY 1").rows
        }
        let before = try snapshot()
        let env: [String: String?] = ["DATABASE_URL": url]
        let created = try LampctlProcess.run(["create"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try LampctlProcess.run(["switch-on", id], environment: env).status == 0)
        #expect(try LampctlProcess.run(["read", "1"], environment: env).stdout == (id == "1" ? "on\n" : "off\n"))
        #expect(try LampctlProcess.run(["list"], environment: env).status == 0)
        #expect(try LampctlProcess.run(["scenario", "--fix", "none,close"], environment: env).status == 0)
        #expect(try snapshot() == before)
        let schemas = try user.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lampctl%' ORDER BY 1").rows.map { $0[0] }
        #expect(schemas == ["lampctl"], "only lampctl's own schema remains; run schemas are dropped")
    }

    @Test("a schema named lampctl that lampctl did not create is refused, not used")
    func foreignSchemaRefused() throws {
        let database = try ScratchDatabase(prefix: "lampctl_foreign")
        defer { database.drop() }
        let url = try database.url()
        let user = try database.connect()
        defer { user.close() }
        try user.execute("CREATE SCHEMA lampctl")
        try user.execute("CREATE TABLE lampctl.lamps (id int, status text)")
        try user.execute("INSERT INTO lampctl.lamps VALUES (7, 'theirs')")
        let output = try LampctlProcess.run(["create"], environment: ["DATABASE_URL": url])
        #expect(output.status != 0)
        #expect(output.stderr.contains("not created by lampctl"))
        #expect(try user.execute("SELECT id, status FROM lampctl.lamps").rows == [["7", "theirs"]])
    }
}
