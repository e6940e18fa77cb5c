import Foundation
import Postgres

/// Waiting for a hot standby to replay up to a primary's WAL position: the primary's
/// `pg_current_wal_insert_lsn()` (taken after the commit that matters), then
/// `pg_last_wal_replay_lsn() >= lsn` polled on the standby every 5 ms.
enum ReplayWait {
    static let pollInterval: useconds_t = 5_000
    /// How long a wait may go without the standby replaying anything before it fails (replay
    /// paused, or a standby that does not stream). A standby that is catching up (after its
    /// primary wrote a lot while it was stopped) is waited for as long as its replay advances.
    static let timeout = 30.0

    struct Timeout: Error, CustomStringConvertible {
        var lsn: String
        var seconds: Double
        var description: String {
            "the standby did not replay up to \(lsn): no progress for \(Int(seconds)) s (is replay paused, or the standby not streaming?)"
        }
    }

    /// The primary's current WAL insert position: past every commit record already made, even
    /// one an asynchronous commit (the embedded primary's synchronous_commit=off) has not written
    /// yet; at the page boundary when it points past an empty page's header (`WALPosition`).
    static func currentLSN(on primary: Connection) throws -> String {
        let lsn = try primary.execute("SELECT pg_current_wal_insert_lsn()::text").rows.first?.first.flatMap { $0 } ?? "0/0"
        return try WALPosition.reachable(lsn, on: primary)
    }

    /// Whether the standby has replayed up to `lsn` (one untraced statement).
    static func hasReplayed(_ lsn: String, on standby: Connection) throws -> Bool {
        try standby.execute("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn", [lsn]).rows.first?.first == "t"
    }

    /// Polls a new connection to the standby until it has replayed `lsn`, connecting again when
    /// replay cancels the poll ("conflict with recovery": a standby catching up on a backlog
    /// cancels queries that meet old cleanup records at once).
    static func until(_ lsn: String, standby: ConnectionString) throws {
        while true {
            let connection = try Connection(standby)
            defer { connection.close() }
            do {
                try until(lsn, on: connection)
                return
            } catch let error as PostgresError where error.message.contains("conflict with recovery") {
                continue
            }
        }
    }

    /// Polls the standby until it has replayed `lsn`; the milliseconds it took. Fails after
    /// `timeout` seconds in which its replay position did not move.
    @discardableResult
    static func until(_ lsn: String, on standby: Connection, timeout: Double = timeout) throws -> Int {
        let start = Date()
        var lastProgress = start
        var lastReplayed: String?
        while true {
            let row = try standby.execute("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn, pg_last_wal_replay_lsn()::text", [lsn]).rows.first
            if row?.first == "t" { return Int(Date().timeIntervalSince(start) * 1000) }
            let replayed = row.flatMap { $0.count > 1 ? $0[1] : nil }
            if replayed != lastReplayed {
                lastReplayed = replayed
                lastProgress = Date()
            }
            if Date().timeIntervalSince(lastProgress) > timeout { throw Timeout(lsn: lsn, seconds: timeout) }
            usleep(pollInterval)
        }
    }
}
