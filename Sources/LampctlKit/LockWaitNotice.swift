import Foundation
import Postgres

/// Says once on stderr what a command waits for when a statement of its connection waits over a
/// second on a lock another session holds (`create` or `read` while someone else's transaction
/// has the lamps table or the row locked): who holds it, so the user knows which transaction
/// must end. lampctl keeps waiting, as psql does; Ctrl-C stops it.
final class LockWaitNotice {
    private let connection: Connection
    private let database: Database
    private var waitingSince: Date?
    private var lastCall = Date.distantPast
    private var said = false

    private init(connection: Connection, database: Database) {
        self.connection = connection
        self.database = database
    }

    /// Watches `connection`'s statements (chaining any watcher it has).
    static func attach(to connection: Connection, database: Database) {
        let notice = LockWaitNotice(connection: connection, database: database)
        let previous = connection.whileWaiting
        connection.whileWaiting = { [notice] in
            try previous?()
            notice.tick()
        }
    }

    /// Called every few milliseconds (at most 100 ms apart) while a statement waits.
    private func tick() {
        let now = Date()
        // A gap means a new statement: its wait starts now.
        if now.timeIntervalSince(lastCall) > 0.5 { waitingSince = now }
        lastCall = now
        guard !said, let since = waitingSince, now.timeIntervalSince(since) > 1 else { return }
        said = true
        guard let holders = try? blockers(), !holders.isEmpty else { return }
        writeStandardError("lampctl: waiting for a lock held by another session (\(holders)); it waits until that transaction ends (Ctrl-C stops)\n")
    }

    /// `pid 123 (psql, idle in transaction: LOCK TABLE lamps)`, from a connection of its own.
    private func blockers() throws -> String {
        let observer = try database.connect()
        defer { observer.close() }
        let rows = try observer.execute("""
            SELECT a.pid::text, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.state, '?'), left(coalesce(a.query, ''), 60)
            FROM pg_stat_activity a WHERE a.pid = ANY(pg_blocking_pids($1::int))
            """, [String(connection.backendPID)]).rows
        return rows.map { "pid \($0[0] ?? "?") (\($0[1] ?? "?"), \($0[2] ?? "?"): \($0[3] ?? ""))" }.joined(separator: "; ")
    }
}
