import Postgres
import TestSupport
import Testing

/// Secrets are found by what libpq parsed, not by looking for substrings; SQLAlchemy URLs.
@Suite("Connection secrets and SQLAlchemy URLs", .bounded)
struct ConnectionSecretsTests {
    @Test("libpq's own catalogue marks password and sslpassword secret and lists PGHOST, PGSERVICE")
    func catalogue() {
        #expect(ConnectionOptionCatalog.secretKeywords.isSuperset(of: ["password", "sslpassword"]))
        #expect(!ConnectionOptionCatalog.secretKeywords.contains("host"))
        for variable in ["PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE", "PGPASSWORD"] {
            #expect(ConnectionOptionCatalog.environmentVariables.contains(variable), "\(variable)")
        }
        #expect(ConnectionOptionCatalog.environmentVariablesSet(in: ["PGHOST": "h", "PGUSER": "", "HOME": "/root"]) == ["PGHOST"])
    }

    @Test("A one-letter password leaves words that contain the letter alone")
    func shortPasswordIsNotASubstringRedaction() throws {
        let error = try #require(throws: PostgresError.self) {
            _ = try Connection("postgresql://u:e@127.0.0.1:1/connection?connect_timeout=2")
        }
        #expect(error.message.contains("database connection"), "\(error.message)")
        #expect(error.message.contains("Connection refused") || error.message.contains("connection to server"), "\(error.message)")
        #expect(!error.message.contains("***"), "\(error.message)")
    }

    @Test("sslpassword is never shown, in the redacted form or an error")
    func sslpasswordHidden() throws {
        let string = try ConnectionString("host=127.0.0.1 port=1 user=u sslpassword=Ssl-S3cret-x dbname=d connect_timeout=2")
        #expect(string.redacted == "postgresql://u@127.0.0.1:1/d?connect_timeout=2&sslpassword=***")
        #expect(string.secrets == ["Ssl-S3cret-x"])
        #expect(string.scrub("key Ssl-S3cret-x rejected") == "key *** rejected")
        let error = try #require(throws: PostgresError.self) { _ = try Connection(string) }
        #expect(!error.message.contains("Ssl-S3cret-x"))
    }

    @Test("A URL that libpq cannot parse loses its password in the message, even a short one")
    func unparsableURL() throws {
        let error = try #require(throws: PostgresError.self) { _ = try ConnectionString("postgresql://u:e@[::1/connection") }
        #expect(error.message.contains("postgresql://u:***@[::1/connection"), "\(error.message)")
    }

    struct Driver: CustomTestStringConvertible, Sendable {
        var url: String
        var driver: String?
        var testDescription: String { url }
    }

    static let drivers: [Driver] = [
        Driver(url: "postgresql+psycopg2://alice@db.example/lamps", driver: "psycopg2"),
        Driver(url: "postgresql+asyncpg://alice@db.example/lamps", driver: "asyncpg"),
        Driver(url: "postgresql+psycopg://alice@db.example/lamps", driver: "psycopg"),
        Driver(url: "postgres+psycopg2://alice@db.example/lamps", driver: "psycopg2"),
        Driver(url: "postgresql://alice@db.example/lamps", driver: nil),
    ]

    @Test("SQLAlchemy URLs work without their driver part", arguments: drivers)
    func sqlalchemyDriverDropped(_ case_: Driver) throws {
        let string = try ConnectionString(case_.url)
        #expect(string.droppedDriver == case_.driver)
        #expect(!string.raw.contains("+"))
        #expect(string.options["host"] == "db.example")
        #expect(string.options["dbname"] == "lamps")
    }

    @Test("A driver part with other characters is left for libpq to reject")
    func oddDriverRejected() {
        #expect(throws: PostgresError.self) { _ = try ConnectionString("postgresql+psy/copg://h/d") }
        #expect(throws: PostgresError.self) { _ = try ConnectionString("mysql+pymysql://h/d") }
    }

    @Test("The libpq environment becomes key=value options, secrets left to libpq")
    func environmentConnectionString() throws {
        let raw = ConnectionOptionCatalog.connectionString(from: [
            "PGHOST": "/tmp/it's here", "PGDATABASE": "lamps", "PGPASSWORD": "Pw-from-env", "PGUSER": "",
        ])
        #expect(!raw.contains("Pw-from-env"))
        let string = try ConnectionString(raw)
        #expect(string.options["host"] == "/tmp/it's here")
        #expect(string.options["dbname"] == "lamps")
        #expect(string.options["user"] == nil)
    }

    @Test("A connection error names the host and database libpq resolved, defaults included")
    func resolvedNamesInErrors() throws {
        let error = try #require(throws: PostgresError.self) {
            _ = try Connection("host=/nonexistent-lampctl-dir user=someone connect_timeout=2")
        }
        // No dbname given: libpq uses the user name.
        #expect(error.message.hasPrefix("cannot connect to host /nonexistent-lampctl-dir database someone:"), "\(error.message)")
    }
}
