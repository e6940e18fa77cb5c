import LampApp
import LocalServer
import Postgres

/// The database a command works on: `--database-url`, else `DATABASE_URL`, else the embedded
/// default (a lease on the local server, held until `close()`).
public final class Database {
    public let connectionString: ConnectionString
    /// Where the connection string came from, for messages.
    public let source: Source
    private var lease: LocalServerLease?

    public enum Source: Sendable, Equatable {
        case flag, environment, embedded
    }

    /// Resolves the database; starts the embedded server when no URL is given.
    public init(flag: String?, environment: [String: String]) throws {
        if let flag {
            connectionString = try Self.parse(flag, origin: "--database-url")
            source = .flag
        } else if let url = environment["DATABASE_URL"], !url.isEmpty {
            connectionString = try Self.parse(url, origin: "DATABASE_URL")
            source = .environment
        } else {
            let lease = try LocalServer.acquire(LocalServerConfiguration.fromEnvironment(environment))
            self.lease = lease
            connectionString = try ConnectionString(lease.connectionString)
            source = .embedded
        }
    }

    deinit { close() }

    /// Releases the embedded server (it stops when the last lampctl using it is done).
    public func close() {
        lease?.release()
        lease = nil
    }

    /// A new connection.
    public func connect() throws -> Connection {
        try Connection(connectionString)
    }

    /// A new connection with lampctl's schema created if needed and on the search_path.
    public func connectToLamps() throws -> Connection {
        let connection = try connect()
        try LampSchema.prepare(LampSchema.defaultName, on: connection)
        return connection
    }

    private static func parse(_ raw: String, origin: String) throws -> ConnectionString {
        do {
            return try ConnectionString(raw)
        } catch let error as PostgresError {
            throw LampctlError("\(origin): \(error.message)", status: .usage)
        }
    }
}
