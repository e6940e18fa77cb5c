public import Foundation
import Postgres

/// Waiting for a standby to count as synchronous on its primary.
///
/// A new walsender shows `sync_state = async` until the standby has sent its first flush
/// position, even when its name is in `synchronous_standby_names`: for that moment a
/// `synchronous_commit=remote_apply` COMMIT would not wait for it, and a check of
/// `pg_stat_replication` refuses. `db start --standby` therefore returns only once the standby
/// streams as `sync` (or `quorum`).
public enum StandbySync {
    /// The default bound on the wait.
    public static let timeout: TimeInterval = 15

    /// What the primary's `pg_stat_replication` says of the standby named `applicationName`.
    public struct Sender: Sendable, Equatable {
        public var state: String?
        public var syncState: String?
        public var isSynchronous: Bool { state == "streaming" && (syncState == "sync" || syncState == "quorum") }
    }

    /// Reads the sender of `applicationName` on `connection` (nil fields: no such sender).
    static func sender(on connection: Connection, applicationName: String) throws -> Sender {
        let rows = try connection.execute(
            "SELECT state, sync_state FROM pg_stat_replication WHERE application_name = $1", [applicationName])
        return Sender(state: rows.value("state"), syncState: rows.value("sync_state"))
    }

    /// Polls the primary at `primary` until the standby streams as synchronous; says once on
    /// `notice` what it waits for when that takes over a second; throws after `timeout` seconds
    /// in which the standby (at `standby`) replayed nothing: one catching up on WAL its primary
    /// wrote while it was stopped connects to the primary only once it replayed what it has.
    public static func waitUntilSynchronous(primary: String, standby: String, applicationName: String,
                                            timeout: TimeInterval = StandbySync.timeout,
                                            notice: (String) -> Void) throws {
        let connection = try Connection(primary, connectTimeout: 5)
        defer { connection.close() }
        let replica = try? Connection(standby, connectTimeout: 5)
        defer { replica?.close() }
        let start = Date()
        var lastProgress = start
        var lastReplayed: String?
        var noticed = false
        while true {
            let sender = try sender(on: connection, applicationName: applicationName)
            if sender.isSynchronous { return }
            let replayed = try? replica?.execute("SELECT pg_last_wal_replay_lsn()::text").rows.first?.first ?? nil
            if replayed != lastReplayed {
                lastReplayed = replayed
                lastProgress = Date()
            }
            if Date().timeIntervalSince(lastProgress) > timeout {
                throw LampctlError("the standby '\(applicationName)' is \(describe(sender)) and replayed nothing for \(Int(timeout)) s, "
                    + "not streaming as a synchronous standby: see its log (lampctl db status)", status: .unavailable)
            }
            if !noticed, Date().timeIntervalSince(start) > 1 {
                let catchingUp = sender.state == nil && replayed != nil ? ", replaying what it has: \(replayed ?? "")" : ""
                notice("waiting for the standby to stream as synchronous (it is \(describe(sender))\(catchingUp))")
                noticed = true
            }
            usleep(20_000)
        }
    }

    /// Polls the standby at `standby` until it has replayed everything the primary at `primary`
    /// had written when the wait began; says once on `notice` what it waits for when that takes
    /// over a second; throws after `timeout` seconds in which its replay did not advance. A standby
    /// that streams may still be minutes behind in replay after its primary wrote a lot while it was
    /// stopped: queries on it would then meet old cleanup records, which PostgreSQL resolves by
    /// cancelling them at once ("conflict with recovery"), so `db start --standby` returns only
    /// once it has caught up.
    public static func waitUntilReplayed(primary: String, standby: String, timeout: TimeInterval = 30,
                                         notice: (String) -> Void) throws {
        let target: String
        do {
            let connection = try Connection(primary, connectTimeout: 5)
            defer { connection.close() }
            target = try connection.execute("SELECT pg_current_wal_insert_lsn()::text").rows.first?.first.flatMap { $0 } ?? "0/0"
        }
        var replica = try Connection(standby, connectTimeout: 5)
        defer { replica.close() }
        let start = Date()
        var lastProgress = start
        var lastReplayed: String?
        var noticed = false
        while true {
            let row: [String?]?
            do {
                row = try replica.execute("SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn, pg_last_wal_replay_lsn()::text", [target])
                    .rows.first
            } catch let error as PostgresError where error.message.contains("conflict with recovery") {
                // Replay cancelled this poll: connect again and go on waiting.
                replica.close()
                replica = try Connection(standby, connectTimeout: 5)
                continue
            }
            if row?.first == "t" { return }
            let replayed = row.flatMap { $0.count > 1 ? $0[1] : nil }
            if replayed != lastReplayed {
                lastReplayed = replayed
                lastProgress = Date()
            }
            if Date().timeIntervalSince(lastProgress) > timeout {
                throw LampctlError("the standby replayed nothing for \(Int(timeout)) s and is still behind the primary (\(replayed ?? "?") < \(target)): "
                    + "see its log (lampctl db status)", status: .unavailable)
            }
            if !noticed, Date().timeIntervalSince(start) > 1 {
                notice("waiting for the standby to replay what its primary wrote (replayed \(replayed ?? "?") of \(target))")
                noticed = true
            }
            usleep(20_000)
        }
    }

    /// `streaming (async)`, or `not connected to the primary`.
    static func describe(_ sender: Sender) -> String {
        sender.state.map { "\($0) (\(sender.syncState ?? "?"))" } ?? "not connected to the primary"
    }
}
