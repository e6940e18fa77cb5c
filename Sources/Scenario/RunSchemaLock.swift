public import Postgres

/// Marks a run's schema as live for exactly as long as the run: a session-level advisory lock,
/// taken on the run's admin connection before the schema exists and held until that connection
/// ends. The server releases it however the run ends (finished, SIGKILL, a closed terminal, a
/// vanished host, a restarted server), so a `lampctl_run_*` schema whose lock is free has no
/// owner left, and works across hosts.
///
/// The key is derived from the schema name: the two-integer form
/// `(hashtext('lampctl run schema'), hashtext(name))`, a key space apart from the single-bigint
/// keys applications usually take. Two names that hash alike only make a sweep leave an
/// abandoned schema for a later one: never the unsafe way round.
public enum RunSchemaLock {
    /// The lock's key as SQL arguments, for the schema name that `nameExpression` evaluates to.
    static func key(_ nameExpression: String = "$1") -> String {
        "hashtext('lampctl run schema'), hashtext(\(nameExpression))"
    }

    /// Takes the schema's lock for the rest of the connection's life.
    public static func hold(_ schema: String, on connection: Connection) throws {
        try connection.execute("SELECT pg_advisory_lock(\(key()))", [schema])
    }

    /// Gives back a lock taken by `hold` or by a sweep's `pg_try_advisory_lock`.
    static func release(_ schema: String, on connection: Connection) throws {
        try connection.execute("SELECT pg_advisory_unlock(\(key()))", [schema])
    }
}
