#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Postgres
import TestSupport
import Testing

/// Parsing (by libpq), redaction, and failure to connect.
@Suite("Connection strings", .bounded)
struct ConnectionStringTests {
    struct Malformed: CustomTestStringConvertible, Sendable {
        var name: String
        var raw: String
        var testDescription: String { name }
    }

    static let malformed: [Malformed] = [
        Malformed(name: "URL with a port that is not a number", raw: "postgresql://x:y@host:notaport/db"),
        Malformed(name: "words without key=value", raw: "foo bar"),
        Malformed(name: "unknown keyword", raw: "host=h nosuchoption=1"),
        Malformed(name: "unterminated quote", raw: "host='h dbname=d"),
        Malformed(name: "unknown URL query parameter", raw: "postgresql://u@h/db?nosuchoption=1"),
        Malformed(name: "unterminated IPv6 host", raw: "postgresql://u:pw@[::1/db"),
    ]

    @Test("A malformed connection string is rejected as invalid", arguments: malformed)
    func malformedIsInvalid(_ malformed: Malformed) throws {
        let error = try #require(throws: PostgresError.self) {
            _ = try ConnectionString(malformed.raw)
        }
        #expect(error.kind == .invalidConnectionString)
    }

    @Test("A URL for another database says so (libpq alone said missing \"=\"), without the rest of the URL",
          arguments: ["mysql+pymysql://app:s3cret@db/app", "sqlite:///tmp/app.db", "redis://localhost:6379/0"])
    func foreignURL(_ raw: String) {
        let error = #expect(throws: PostgresError.self) { try ConnectionString(raw) }
        let scheme = String(raw.prefix { $0 != ":" })
        #expect(error?.message == "invalid connection string: \(scheme):// is not a PostgreSQL URL; lampctl takes postgresql:// "
            + "(or postgres://, with a SQLAlchemy driver such as +psycopg2 or not) or a key=value string")
        #expect(error?.message.contains("s3cret") == false)
    }

    @Test("PostgreSQL URLs, with or without a SQLAlchemy driver, and key=value strings still parse",
          arguments: ["postgresql://u@h/db", "postgres://u@h/db", "postgresql+psycopg2://u@h/db", "postgres+asyncpg://u@h/db", "host=h dbname=db"])
    func postgresURL(_ raw: String) throws {
        _ = try ConnectionString(raw)
    }

    @Test("A parse error never shows the password")
    func parseErrorHidesPassword() throws {
        let error = try #require(throws: PostgresError.self) {
            _ = try ConnectionString("host=h password=hunter2secret nosuchoption=1")
        }
        #expect(error.kind == .invalidConnectionString)
        #expect(!error.message.contains("hunter2secret"))
        #expect(!String(describing: error).contains("hunter2secret"))
    }

    struct Redaction: CustomTestStringConvertible, Sendable {
        var name: String
        var raw: String
        var expected: String
        var testDescription: String { name }
    }

    static let redactions: [Redaction] = [
        Redaction(name: "URL with user and password",
                  raw: "postgresql://alice:s3cr3t-pw@db.example.com:5433/lamps",
                  expected: "postgresql://alice:***@db.example.com:5433/lamps"),
        Redaction(name: "URL with a percent-encoded password",
                  raw: "postgresql://alice:s3cr%40t-pw@db.example.com/lamps",
                  expected: "postgresql://alice:***@db.example.com/lamps"),
        Redaction(name: "URL with the password as a query parameter",
                  raw: "postgresql://alice@db.example.com/lamps?password=s3cr3t-pw&sslmode=disable",
                  expected: "postgresql://alice:***@db.example.com/lamps?sslmode=disable"),
        Redaction(name: "key=value form",
                  raw: "host=db.example.com port=5433 user=alice password=s3cr3t-pw dbname=lamps",
                  expected: "postgresql://alice:***@db.example.com:5433/lamps"),
        Redaction(name: "key=value form with a quoted password",
                  raw: "host=/tmp/sock user=alice password='s3cr3t pw' dbname=lamps",
                  expected: "postgresql://alice:***@/lamps?host=/tmp/sock"),
    ]

    @Test("The redacted form percent-encodes what a URL cannot hold as it is, and libpq reads it back the same",
          arguments: ["host='/tmp/a b&c%d?e#f' port=5432 dbname=postgres user=postgres", "host=db dbname='my db' application_name='x&y=z'"])
    func redactedIsAURL(_ raw: String) throws {
        let original = try ConnectionString(raw)
        let shown = original.redacted
        #expect(!shown.contains(" ") && !shown.contains("#"), "\(shown)")
        #expect(try ConnectionString(shown).options == original.options, "\(shown)")
    }

    @Test("The redacted form and the description never contain the password", arguments: redactions)
    func redaction(_ redaction: Redaction) throws {
        let connectionString = try ConnectionString(redaction.raw)
        #expect(connectionString.redacted == redaction.expected)
        #expect(connectionString.description == redaction.expected)
        for secret in ["s3cr3t", "s3cr%40t", "s3cr@t"] {
            #expect(!connectionString.redacted.contains(secret))
            #expect(!String(describing: connectionString).contains(secret))
            #expect(!"\(connectionString)".contains(secret))
        }
        // The raw form still has it, for libpq.
        #expect(connectionString.options["password"]?.hasPrefix("s3cr") == true)
    }

    @Test("An unreachable server fails within the timeout, naming host and database but not the password")
    func unreachableHost() throws {
        let start = Date()
        let error = try #require(throws: PostgresError.self) {
            _ = try Connection("postgresql://u:secretpw@127.0.0.1:1/db?connect_timeout=2")
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed < 4, "took \(elapsed) s with connect_timeout=2")
        #expect(error.kind == .connectionFailed)
        #expect(error.isConnectionLoss)
        #expect(error.message.contains("127.0.0.1"))
        #expect(error.message.contains("db"))
        #expect(error.message.contains("cannot connect to host 127.0.0.1 database db"))
        #expect(!error.message.contains("secretpw"))
        #expect(!String(describing: error).contains("secretpw"))
        #expect(!String(reflecting: error).contains("secretpw"))
    }

    @Test("A server that accepts but never answers fails within connect_timeout")
    func silentServerTimeout() throws {
        // A loopback listener that never accepts: the TCP handshake completes (backlog), then
        // nothing is ever said, so only connect_timeout can end the attempt.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listener >= 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(listener, pointer, length) == 0 else { return -1 }
                return getsockname(listener, pointer, &length)
            }
        }
        #expect(bound == 0)
        #expect(listen(listener, 8) == 0)
        let port = UInt16(bigEndian: address.sin_port)
        let start = Date()
        let error = try #require(throws: PostgresError.self) {
            _ = try Connection("host=127.0.0.1 port=\(port) user=u password=secretpw dbname=db connect_timeout=2")
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 1.5, "it waited for the timeout (\(elapsed) s)")
        #expect(elapsed < 5, "took \(elapsed) s with connect_timeout=2")
        #expect(error.kind == .connectionFailed)
        #expect(error.message.contains("database db"))
        #expect(!error.message.contains("secretpw"))
    }
}
