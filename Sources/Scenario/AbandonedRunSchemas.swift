import LampApp
public import Postgres

/// Finds and drops run schemas whose run is gone: named `lampctl_run_*`, carrying lampctl's
/// mark (`LampSchema.marker`), and whose `RunSchemaLock` nobody holds. A schema without the mark
/// is never touched, nor one whose lock is held (a run in progress, here or on another host).
public enum AbandonedRunSchemas {
    /// How long a sweep waits for a lock on an abandoned schema (a session of the dead run that
    /// has not ended yet, or someone reading its table) before leaving it for a later sweep.
    static let lockTimeout = "200ms"

    /// Drops every abandoned run schema it can (each within `CleanupLimits`, waiting at most
    /// `lockTimeout` for a lock: one that cannot be dropped now is left for a later sweep) and returns the names it dropped. `except` names
    /// the caller's own run schema: its lock is re-entrant for the connection that holds it.
    public static func sweep(on connection: Connection, except ownSchema: String? = nil) throws -> [String] {
        // The select list is evaluated only for rows that pass the WHERE clause, so only marked
        // run schemas are tried; a lock taken here is released below after the drop.
        let candidates = try connection.execute("""
            SELECT nspname, pg_try_advisory_lock(\(RunSchemaLock.key("nspname")))
            FROM pg_namespace
            WHERE nspname LIKE 'lampctl\\_run\\_%' AND nspname <> $2
              AND obj_description(oid, 'pg_namespace') = $1
            ORDER BY nspname
            """, [LampSchema.marker, ownSchema ?? ""])
        var dropped: [String] = []
        for row in candidates.rows {
            guard let schema = row[0], row[1] == "t" else { continue }
            defer { _ = try? RunSchemaLock.release(schema, on: connection) }
            var gone = false
            let committed: Void? = try? CleanupLimits.inTransaction(on: connection, lockTimeout: lockTimeout) {
                guard try LampSchema.comment(of: schema, on: connection) == LampSchema.marker else { return }
                try LampSchema.drop(schema, on: connection)
                gone = true
            }
            if committed != nil, gone { dropped.append(schema) }
        }
        return dropped
    }

    /// The line to tell the user, e.g. `dropped 2 abandoned run schemas left by runs that ended
    /// without cleaning up`.
    public static func message(dropped count: Int) -> String {
        count == 1
            ? "dropped 1 abandoned run schema left by a run that ended without cleaning up"
            : "dropped \(count) abandoned run schemas left by runs that ended without cleaning up"
    }
}
