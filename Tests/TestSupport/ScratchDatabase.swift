import Foundation
public import Postgres

/// A database of its own on the test server, for tests that need a whole database (a user's
/// `public.lamps`, revoked privileges). Dropped by `drop()`.
public final class ScratchDatabase {
    public let name: String
    private let admin: Connection

    public init(prefix: String) throws {
        admin = try TestDatabase.connect()
        name = "\(prefix)_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        try admin.execute("CREATE DATABASE \(try admin.escapeIdentifier(name))")
    }

    /// A `key='value'` connection string for this database (as the test server's user, or `user`).
    public func url(user: String? = nil) throws -> String {
        var options = try ConnectionString(try TestDatabase.url).options
        options["dbname"] = name
        if let user { options["user"] = user }
        return options.sorted { $0.key < $1.key }.map { key, value in
            "\(key)='\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'"))'"
        }.joined(separator: " ")
    }

    public func connect(user: String? = nil) throws -> Connection {
        try Connection(try url(user: user))
    }

    /// Runs a statement as the test server's superuser on the maintenance database.
    public func admin(_ sql: String) throws {
        try admin.execute(sql)
    }

    public func drop() {
        _ = try? admin.execute("DROP DATABASE \(try admin.escapeIdentifier(name)) WITH (FORCE)")
        admin.close()
    }
}
