import Postgres
public import Scenario

extension AbandonedRunSchemas {
    /// Tells the user, in one line on stderr, how many abandoned run schemas a sweep dropped
    /// (nothing when none, or when the sweep could not run).
    public static func report(_ dropped: [String]?) {
        guard let dropped, !dropped.isEmpty else { return }
        writeStandardError("lampctl: \(message(dropped: dropped.count))\n")
    }

    /// `lampctl db reset --database-url URL`: sweeps that database and returns what it dropped.
    public static func sweep(databaseURL: String) throws -> [String] {
        let database = try Database(flag: databaseURL, environment: [:])
        defer { database.close() }
        let connection = try database.connect()
        defer { connection.close() }
        return try sweep(on: connection)
    }
}
