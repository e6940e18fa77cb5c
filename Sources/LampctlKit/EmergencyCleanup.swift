import LampApp
public import Postgres
public import Scenario

/// After an interruption: ends the run's backends (so their locks go) and drops its schemas, on a
/// new connection, within `CleanupLimits`. Returns the schemas it could not drop (to report them
/// by name; the next run's sweep drops them once their run's lock is gone).
public enum EmergencyCleanup {
    public static func run(_ registry: RunRegistry, connectionString: ConnectionString) -> [String] {
        let schemas = registry.schemas
        guard !schemas.isEmpty else { return [] }
        guard let connection = try? Connection(connectionString, connectTimeout: 3, waitsWhenBusy: false) else { return schemas }
        defer { connection.close() }
        _ = try? CleanupLimits.apply(to: connection)
        let pids = registry.backends.map(String.init).joined(separator: ",")
        _ = try? connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(string_to_array($1, ',')::int[]) AND pid <> pg_backend_pid()",
            [pids])
        var left: [String] = []
        for schema in schemas {
            if (try? LampSchema.drop(schema, on: connection)) != nil {
                registry.remove(schema: schema)
            } else {
                left.append(schema)
            }
        }
        return left
    }
}
