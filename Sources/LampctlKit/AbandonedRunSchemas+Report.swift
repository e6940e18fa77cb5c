public import Postgres
public import Scenario

extension AbandonedRunSchemas {
    /// Tells the user, in one line on stderr, how many abandoned run schemas a sweep dropped
    /// (nothing when none, or when the sweep could not run).
    public static func report(_ dropped: [String]?) {
        guard let dropped, !dropped.isEmpty else { return }
        writeStandardError("lampctl: \(message(dropped: dropped.count))\n")
    }

    /// `lampctl db reset` aimed at a database (`--database-url`, `DATABASE_URL` or libpq's
    /// environment, see `Database.named`): sweeps it and returns what it dropped.
    public static func sweep(_ connectionString: ConnectionString) throws -> [String] {
        let connection = try Connection(connectionString)
        defer { connection.close() }
        return try sweep(on: connection)
    }
}
