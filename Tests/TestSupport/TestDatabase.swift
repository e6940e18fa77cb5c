import Foundation
import LampApp
public import Postgres

/// The PostgreSQL the tests run against: `LAMPCTL_TEST_DATABASE_URL` when set (what `make test`
/// passes), else a server started for this test process. Tests never skip for lack of a server:
/// if neither works, they fail with the reason.
public enum TestDatabase {
    /// The connection string of the test server.
    public static var url: String {
        get throws {
            try TestMode.requireServer()
            if let url = ProcessInfo.processInfo.environment["LAMPCTL_TEST_DATABASE_URL"], !url.isEmpty {
                return url
            }
            return try EmbeddedTestServer.shared.url()
        }
    }

    public static func connect() throws -> Connection {
        try Connection(ConnectionString(url))
    }

    /// A new schema with lampctl's `lamps` table, unique to the caller; drop it with `dropSchema`.
    public static func makeSchema(prefix: String = "lampctl_test") throws -> String {
        let name = "\(prefix)_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let connection = try connect()
        defer { connection.close() }
        try LampSchema.create(name, on: connection)
        return name
    }

    public static func dropSchema(_ name: String) {
        guard let connection = try? connect() else { return }
        defer { connection.close() }
        try? LampSchema.drop(name, on: connection)
    }

    /// A connection whose `search_path` is `schema`.
    public static func connect(schema: String) throws -> Connection {
        let connection = try connect()
        try LampSchema.use(schema, on: connection)
        return connection
    }
}
