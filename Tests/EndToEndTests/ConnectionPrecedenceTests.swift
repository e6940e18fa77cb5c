import Foundation
import Postgres
import TestSupport
import Testing

/// Which database a command uses, as psql would: `--database-url`, `DATABASE_URL`, libpq's PG*
/// variables, then the embedded server; SQLAlchemy URLs; names in error lines.
@Suite("Connection precedence end to end", .bounded)
struct ConnectionPrecedenceTests {
    /// The test database as libpq environment variables.
    static func libpqEnvironment() throws -> [String: String?] {
        let options = try ConnectionString(try TestDatabase.url).options
        let names = ["host": "PGHOST", "hostaddr": "PGHOSTADDR", "port": "PGPORT", "user": "PGUSER",
                     "dbname": "PGDATABASE", "password": "PGPASSWORD"]
        var environment: [String: String?] = [:]
        for (keyword, variable) in names { if let value = options[keyword] { environment[variable] = value } }
        return environment
    }

    /// A home that must never be created: proves the embedded server was not used.
    static let unusedHome = "/tmp/lampctl-never-\(getpid())"

    static func createdId(_ environment: [String: String?], _ arguments: [String] = []) throws -> LampctlProcess.Output {
        var environment = environment
        environment["LAMPCTL_HOME"] = unusedHome
        return try LampctlProcess.run(["create"] + arguments, environment: environment)
    }

    @Test("PGAPPNAME or PGCONNECT_TIMEOUT alone name no database: the embedded server, which they apply to")
    func howVariablesKeepTheEmbeddedServer() throws {
        let home = try EmbeddedDefaultTests.makeHome()
        defer { EmbeddedDefaultTests.removeHome(home) }
        let run = try LampctlProcess.run(["scenario", "--fix", "none", "--json"],
                                         environment: ["LAMPCTL_HOME": home, "PGAPPNAME": "lampctl-precedence", "PGCONNECT_TIMEOUT": "5"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"strategy\": \"none\""), "\(run.stdout)")
        let doctor = try LampctlProcess.run(["doctor"], environment: ["LAMPCTL_HOME": home, "PGAPPNAME": "lampctl-precedence"])
        #expect(doctor.stdout.contains("state directory"), "doctor checks the embedded server: \(doctor.stdout)")
    }

    @Test("PGHOST, PGPORT, PGUSER, PGDATABASE are used when no URL is given, not the embedded server")
    func libpqEnvironmentIsUsed() throws {
        let created = try Self.createdId(try Self.libpqEnvironment())
        #expect(created.status == 0, "\(created.stderr)")
        #expect(Int(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
        #expect(!FileManager.default.fileExists(atPath: Self.unusedHome))
    }

    @Test("DATABASE_URL wins over PG* variables, --database-url over both; empty values count as unset")
    func precedence() throws {
        let url = try TestDatabase.url
        let broken: [String: String?] = ["PGHOST": "/nonexistent-lampctl", "PGDATABASE": "nowhere"]
        var env = broken
        env["DATABASE_URL"] = url
        #expect(try Self.createdId(env).status == 0)
        env["DATABASE_URL"] = "host=/nonexistent-lampctl-too"
        #expect(try Self.createdId(env, ["--database-url", url]).status == 0)

        // '' is "not given" for both: the PG* variables are next.
        var emptyEnv = try Self.libpqEnvironment()
        emptyEnv["DATABASE_URL"] = ""
        #expect(try Self.createdId(emptyEnv).status == 0)
        #expect(try Self.createdId(emptyEnv, ["--database-url", ""]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: Self.unusedHome))
    }

    @Test("An unreachable PG* database: exit 69, the line names the host and database libpq used")
    func errorNamesResolvedHostAndDatabase() throws {
        let failed = try Self.createdId(["PGHOST": "/nonexistent-lampctl", "PGDATABASE": "lampsdb", "PGPASSWORD": "Pw-env-unlikely"])
        #expect(failed.status == 69)
        #expect(failed.stderr.hasPrefix("lampctl: cannot connect to host /nonexistent-lampctl database lampsdb:"), "\(failed.stderr)")
        #expect(failed.stderr.filter { $0 == "\n" }.count == 1)
        #expect(!failed.stderr.contains("Pw-env-unlikely"))

        // Only a user given: libpq's default socket and the user's name as the database.
        let defaults = try Self.createdId(["PGUSER": "lampuser", "PGHOST": "/nonexistent-lampctl"], [])
        #expect(defaults.stderr.contains("host /nonexistent-lampctl database lampuser:"), "\(defaults.stderr)")
    }

    @Test("PGSERVICE alone chooses libpq (an unknown service fails naming it), not the embedded server")
    func serviceVariable() throws {
        let failed = try Self.createdId(["PGSERVICE": "lampctl-no-such-service"])
        #expect(failed.status == 69)
        #expect(failed.stderr.contains("\"lampctl-no-such-service\""), "\(failed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: Self.unusedHome))
    }

    @Test("A SQLAlchemy URL works; --trace says once, at the top, that the driver was dropped")
    func sqlalchemyURL() throws {
        // The test database as a URL with every option in the query (whatever form it was given in).
        let options = try ConnectionString(try TestDatabase.url).options
        let query = options.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        let url = "postgresql:///?" + query
        for driver in ["psycopg2", "asyncpg", "psycopg"] {
            let sqlalchemy = url.replacingOccurrences(of: "postgresql://", with: "postgresql+\(driver)://")
            let created = try LampctlProcess.run(["create", "--database-url", sqlalchemy])
            #expect(created.status == 0, "\(created.stderr)")
            let traced = try LampctlProcess.run(["scenario", "--fix", "none", "--trace", "--database-url", sqlalchemy])
            #expect(traced.status == 0, "\(traced.stderr)")
            let lines = traced.stdout.split(separator: "\n")
            #expect(lines.first == "-- connection: SQLAlchemy driver '\(driver)' dropped from the URL (lampctl connects through libpq)")
            #expect(lines.filter { $0.contains("SQLAlchemy driver") }.count == 1)
            let plain = try LampctlProcess.run(["scenario", "--fix", "none", "--json", "--database-url", sqlalchemy])
            #expect(!plain.stdout.contains("SQLAlchemy driver"))
        }
        let postgresScheme = url.replacingOccurrences(of: "postgresql://", with: "postgres+psycopg2://")
        #expect(try LampctlProcess.run(["create", "--database-url", postgresScheme]).status == 0)
        let untraced = try LampctlProcess.run(["scenario", "--fix", "none", "--trace", "--database-url", url])
        #expect(!untraced.stdout.contains("SQLAlchemy driver"))
    }

    @Test("A password 'e' does not turn 'connection' into 'conn***ction'; sslpassword never printed")
    func redactionByParsedValue() throws {
        let failed = try LampctlProcess.run(["read", "1", "--database-url", "postgresql://u:e@127.0.0.1:1/connection?connect_timeout=2"])
        #expect(failed.status == 69)
        #expect(failed.stderr.contains("database connection:"), "\(failed.stderr)")
        #expect(!failed.stderr.contains("conn***ction"))
        let doctor = try LampctlProcess.run(["doctor", "--database-url", "host=127.0.0.1 port=1 user=u sslpassword=Ssl-unlikely-7 dbname=d"])
        #expect(doctor.stdout.contains("sslpassword=***"), "\(doctor.stdout)")
        #expect(!(doctor.stdout + doctor.stderr).contains("Ssl-unlikely-7"))
    }
}
