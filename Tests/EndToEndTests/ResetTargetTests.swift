import Foundation
import Postgres
import TestSupport
import Testing

/// `db reset` resets the database it is aimed at: with a database named by `--database-url`,
/// `DATABASE_URL` or libpq's PG* variables, only lampctl's abandoned run schemas there are
/// dropped (said once, on stdout) and the embedded server's data directory is left alone.
@Suite("db reset aimed at a database", .bounded)
struct ResetTargetTests {
    enum Aim: String, CaseIterable, Sendable {
        case flag = "--database-url", environment = "DATABASE_URL", libpq = "PG* variables"
    }

    @Test("the embedded data survives; the named database loses only its abandoned run schemas", arguments: Aim.allCases)
    func aimed(_ aim: Aim) throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let created = try LampctlProcess.run(["create"], environment: ["LAMPCTL_HOME": home])
        #expect(created.status == 0, "\(created.stderr)")
        let scratch = try ScratchDatabase(prefix: "lampctl_reset")
        defer { scratch.drop() }
        try AbandonedSchemaTests.abandon(["lampctl_run_1_a", "lampctl_run_1_b"], in: scratch)
        let url = try scratch.url()
        var arguments = ["db", "reset"]
        var environment: [String: String?] = ["LAMPCTL_HOME": home]
        let label: String
        switch aim {
        case .flag:
            arguments += ["--database-url", url]
            label = "--database-url"
        case .environment:
            environment["DATABASE_URL"] = url
            label = "DATABASE_URL"
        case .libpq:
            let options = try ConnectionString(url).options
            for (key, variable) in [("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"), ("dbname", "PGDATABASE")] {
                if let value = options[key] { environment[variable] = value }
            }
            label = ConnectionOptionCatalog.environmentVariablesSet(in: environment.compactMapValues { $0 })
                .joined(separator: ", ")
        }
        let reset = try LampctlProcess.run(arguments, environment: environment)
        #expect(reset.status == 0, "\(reset.stderr)")
        #expect(reset.stderr.isEmpty, "the sweep is reported once")
        #expect(reset.stdout == "reset: 2 abandoned run schemas dropped (the database of \(label); the embedded server was left alone)\n")
        #expect(try AbandonedSchemaTests.runSchemas(scratch).isEmpty)
        #expect(FileManager.default.fileExists(atPath: home + "/data/PG_VERSION"), "the embedded data directory is still there")
        #expect(try LampctlProcess.run(["read", "1"], environment: ["LAMPCTL_HOME": home]).stdout == "off\n")
    }
}
