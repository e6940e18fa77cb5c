import Foundation
import LampSession
import Postgres

/// `synchronous_commit=remote_apply` on an application session: its request runs with that
/// setting (`SET`, recorded in the trace; `RESET` after), so its COMMIT returns only once a
/// standby named in the primary's `synchronous_standby_names` has applied it.
///
/// Such a COMMIT waits forever when no synchronous standby streams, and neither
/// `statement_timeout` nor the standby coming back in time helps (measured: a COMMIT waited
/// until `synchronous_standby_names` was emptied). So the request first checks that one streams
/// (naming what it found otherwise), and a COMMIT still waiting after `ReplayWait.timeout` is
/// cancelled (PostgreSQL keeps it committed locally) and ends the run with a clear error.
struct SynchronousCommit {
    let connection: Connection
    let previousWatcher: (() throws -> Void)?

    static let checkSQL = """
        SELECT current_setting('synchronous_standby_names') AS names,
               (SELECT string_agg(coalesce(application_name, '?') || ' ' || coalesce(state, '?') || ' ' || coalesce(sync_state, '?'), ', ')
                  FROM pg_stat_replication) AS standbys,
               EXISTS (SELECT 1 FROM pg_stat_replication WHERE state = 'streaming' AND sync_state IN ('sync', 'quorum')) AS ready
        """

    /// The COMMIT of a remote_apply request waited longer than the timeout.
    struct Timeout: Error, CustomStringConvertible {
        var session: String
        var seconds: Double
        var description: String {
            "\(session)'s COMMIT waited \(Int(seconds)) s for the standby to apply it (synchronous_commit=remote_apply) and was cancelled; "
                + "the primary kept it. Is the standby streaming?"
        }
    }

    /// Sets the session's `synchronous_commit` for one request; nil when it leaves the server's.
    static func prepare(_ declaration: SessionDeclaration, pool: ConnectionPool, trace: Trace) throws -> SynchronousCommit? {
        guard let mode = declaration.synchronousCommit, declaration.role == .application else { return nil }
        let connection = try pool.connection(for: declaration.name, cluster: declaration.cluster)
        if mode == .remoteApply { try checkStandby(on: connection) }
        let sql = "SET synchronous_commit = \(mode.rawValue)"
        let result = try connection.execute(sql)
        trace.record(TracedStatement(purpose: .synchronousCommit(mode), sql: sql, parameters: [], result: result), session: declaration.name, on: connection)
        let request = SynchronousCommit(connection: connection, previousWatcher: connection.whileWaiting)
        let start = Date()
        let previous = request.previousWatcher
        connection.whileWaiting = {
            try previous?()
            if Date().timeIntervalSince(start) > ReplayWait.timeout {
                throw Timeout(session: declaration.name, seconds: ReplayWait.timeout)
            }
        }
        return request
    }

    /// How long the check waits for a standby that is named but not yet synchronous (a new
    /// walsender shows async until the standby's first flush position arrives).
    static let synchronousWait: TimeInterval = 10

    /// Throws `NotApplicable` (the case's outcome), naming what to set, unless a synchronous
    /// standby streams from this primary
    /// (waiting up to `synchronousWait` while a standby is connected and `synchronous_standby_names`
    /// names one).
    static func checkStandby(on connection: Connection) throws {
        let start = Date()
        var row = try connection.execute(checkSQL).rows.first ?? []
        // Waiting helps only while some standby is connected and its name is listed.
        while row.count > 2, row[2] != "t", row[1] != nil, !(row[0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty,
              Date().timeIntervalSince(start) < synchronousWait {
            usleep(20_000)
            row = try connection.execute(checkSQL).rows.first ?? []
        }
        let names = row.count > 0 ? row[0] ?? "" : ""
        let standbys = row.count > 1 ? row[1] ?? "none" : "none"
        guard row.count > 2, row[2] != "t" else { return }
        if names.trimmingCharacters(in: .whitespaces).isEmpty {
            throw NotApplicable("synchronous_commit=remote_apply: the primary has no synchronous standby (its synchronous_standby_names "
                + "is empty, so COMMIT would not wait for the standby): set it to the standby's application_name; standbys streaming: \(standbys)")
        }
        throw NotApplicable("synchronous_commit=remote_apply: no standby named in the primary's synchronous_standby_names "
            + "('\(names)') is streaming as synchronous (pg_stat_replication: \(standbys)); a COMMIT would wait forever")
    }

    /// Back to the server's setting, and the connection's own watcher.
    func finish() {
        connection.whileWaiting = previousWatcher
        if !connection.isClosed { _ = try? connection.execute("RESET synchronous_commit") }
    }
}
