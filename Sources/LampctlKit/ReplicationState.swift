import Foundation
import Postgres
import Scenario

/// The embedded standby's replication, as `db status` shows it: what the primary's
/// `pg_stat_replication` says of it, and the standby's own replay position and settings.
public struct ReplicationState: Sendable, Equatable {
    /// `pg_stat_replication.state` for the standby's `application_name` (`streaming`, ...), or
    /// nil when the primary lists no such sender.
    public var state: String?
    /// `pg_stat_replication.sync_state` (`async`, `sync`, ...).
    public var syncState: String?
    /// The primary's `synchronous_standby_names`.
    public var synchronousStandbyNames: String?
    /// The standby's `application_name`, as the primary's settings name it.
    public var applicationName = ""
    /// `pg_stat_replication.replay_lag` in milliseconds (nil while nothing was replayed lately).
    public var replayLagMilliseconds: Int?
    /// WAL bytes the standby has received but not replayed, or not received yet.
    public var replayBehindBytes: Int?
    /// The standby's `recovery_min_apply_delay`.
    public var replayDelay: String?
    /// `pg_is_wal_replay_paused()` on the standby.
    public var replayPaused: Bool?

    /// Reads both servers; fields stay nil where a server cannot be asked.
    public static func read(primary: String, standby: String, applicationName: String) -> ReplicationState {
        var result = ReplicationState()
        result.applicationName = applicationName
        var primaryLSN: String?
        if let connection = try? Connection(primary, connectTimeout: 2) {
            defer { connection.close() }
            if let rows = try? connection.execute("""
                SELECT state, sync_state, (extract(epoch FROM replay_lag) * 1000)::bigint AS lag_ms,
                       pg_current_wal_lsn()::text AS lsn, current_setting('synchronous_standby_names') AS names
                FROM pg_stat_replication WHERE application_name = $1
                """, [applicationName]), !rows.rows.isEmpty {
                result.synchronousStandbyNames = rows.value("names")
                result.state = rows.value("state")
                result.syncState = rows.value("sync_state")
                result.replayLagMilliseconds = rows.value("lag_ms").flatMap { Int($0) }
                primaryLSN = rows.value("lsn")
            }
        }
        if let connection = try? Connection(standby, connectTimeout: 2) {
            defer { connection.close() }
            if let rows = try? connection.execute("""
                SELECT current_setting('recovery_min_apply_delay') AS delay,
                       pg_is_wal_replay_paused()::text AS paused,
                       pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::bigint AS behind
                """, [primaryLSN]) {
                result.replayDelay = rows.value("delay")
                result.replayPaused = rows.value("paused").map { $0 == "true" }
                result.replayBehindBytes = rows.value("behind").flatMap { Int($0) }
            }
        }
        return result
    }

    /// One line: `streaming (sync), replay lag 0 ms, 0 bytes behind, replay delay 400ms`.
    public var summary: String {
        var parts = [state.map { "\($0) (\(syncState ?? "?")\(asyncReason.map { ": \($0)" } ?? ""))" } ?? "not connected to the primary"]
        parts.append("replay lag \(replayLagMilliseconds.map { "\($0) ms" } ?? "none measured")")
        if let replayBehindBytes { parts.append("\(replayBehindBytes) bytes behind") }
        if let replayDelay { parts.append("replay delay \(replayDelay)") }
        if replayPaused == true { parts.append("replay paused") }
        return parts.joined(separator: ", ")
    }

    /// Why a connected standby shows `async`: it is not named in `synchronous_standby_names`, or
    /// its walsender has not received its first flush position yet (PostgreSQL reports a new
    /// walsender as async until then). Nil when it is not async.
    public var asyncReason: String? {
        guard syncState == "async" else { return nil }
        let names = synchronousStandbyNames ?? ""
        if names.trimmingCharacters(in: .whitespaces).isEmpty {
            return "the primary's synchronous_standby_names is empty"
        }
        if !names.contains(applicationName) {
            return "not named in the primary's synchronous_standby_names ('\(names)')"
        }
        return "its first flush position has not reached the primary yet"
    }

    /// As a JSON object.
    public var json: String {
        JSONText.object([
            ("state", state.map(JSONText.string) ?? "null"),
            ("sync_state", syncState.map(JSONText.string) ?? "null"),
            ("replay_lag_ms", replayLagMilliseconds.map(String.init) ?? "null"),
            ("replay_behind_bytes", replayBehindBytes.map(String.init) ?? "null"),
            ("replay_delay", replayDelay.map(JSONText.string) ?? "null"),
            ("replay_paused", replayPaused.map(String.init) ?? "null"),
        ])
    }
}
