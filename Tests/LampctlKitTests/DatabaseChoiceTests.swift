import LampctlKit
import LocalServer
import Postgres
import TestSupport
import Testing

/// Which database `Database` picks, and the clusters it offers a scenario.
@Suite("Database choice", .bounded)
struct DatabaseChoiceTests {
    @Test("A given URL is the primary cluster, the only one")
    func givenURLIsThePrimary() throws {
        let url = try TestDatabase.url
        let database = try Database(flag: url, environment: [:])
        defer { database.close() }
        #expect(database.source == .flag)
        #expect(database.clusters == [.primary: try ConnectionString(url)])
    }

    @Test("Empty --database-url and DATABASE_URL give way to libpq's variables, which are named")
    func emptyValuesAndLibpqVariables() throws {
        let environment = ["DATABASE_URL": "", "PGHOST": "/nonexistent-lampctl", "PGDATABASE": "lamps", "PGUSER": ""]
        let database = try Database(flag: "", environment: environment)
        defer { database.close() }
        #expect(database.source == .libpqEnvironment(["PGDATABASE", "PGHOST"]))  // in libpq's order
        #expect(database.source.label == "PGDATABASE, PGHOST")
        #expect(database.connectionString.host == "/nonexistent-lampctl")
        #expect(database.connectionString.database == "lamps")
        #expect(database.clusters.keys.map(\.name) == ["primary"])
    }

    @Test("A malformed PG* variable is a usage error naming the variable")
    func malformedVariable() throws {
        let error = #expect(throws: LampctlError.self) { _ = try Database(flag: nil, environment: ["PGPORT": "abc"]) }
        #expect(error?.status == .usage)
        #expect(error?.message.hasPrefix("PGPORT: invalid connection string") == true, "\(error?.message ?? "")")
    }

    @Test("The SQLAlchemy note exists only for a SQLAlchemy URL")
    func connectionNote() throws {
        let plain = try Database(flag: "postgresql://u@h/d", environment: [:])
        #expect(plain.connectionNote == nil)
        let sqlalchemy = try Database(flag: "postgresql+asyncpg://u@h/d", environment: [:])
        #expect(sqlalchemy.connectionNote?.contains("'asyncpg'") == true)
    }
}
