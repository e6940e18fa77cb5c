import Foundation
import Glibc

/// The primary's physical replication slot for the embedded standby: the primary keeps the WAL
/// the standby has not received yet (up to `maximumKeptWAL`, so a standby left behind cannot fill
/// the disk), where without one a busy primary recycled it and the standby could never stream
/// again. The standby names it in `primary_slot_name`. A standby whose slot was lost (the cap was
/// reached), or that has none, cannot be trusted to catch up: `brokenReason` says why, and the
/// caller makes it again from the primary.
enum StandbySlot {
    static let name = StandbyCluster.applicationName
    /// The primary's `max_slot_wal_keep_size`.
    static let maximumKeptWAL = "256MB"

    /// Drops the slot if one is left (not in use) and makes it again, reserving WAL from now:
    /// called before pg_basebackup copies the primary.
    static func recreate(primary: StateDirectory, _ binaries: ServerBinaries) throws {
        _ = try query("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '\(name)' AND NOT active",
                      primary: primary, binaries)
        _ = try query("SELECT pg_create_physical_replication_slot('\(name)', true)", primary: primary, binaries)
    }

    /// The line for the standby's `postgresql.auto.conf`.
    static var setting: String { "primary_slot_name = '\(name)'\n" }

    /// Why the standby made in `standby` cannot catch up with the running primary, or nil when it
    /// can (or the primary cannot be asked: then nothing is decided).
    static func brokenReason(_ standby: StateDirectory, primary: StateDirectory, _ binaries: ServerBinaries) -> String? {
        let settings = (try? String(contentsOfFile: standby.dataDirectory + "/postgresql.auto.conf", encoding: .utf8)) ?? ""
        guard settings.contains("primary_slot_name") else {
            return "was made without a replication slot, so the primary may have removed WAL it needs"
        }
        guard let status = try? query("SELECT coalesce((SELECT wal_status FROM pg_replication_slots WHERE slot_name = '\(name)'), 'missing')",
                                      primary: primary, binaries) else { return nil }
        switch status {
        case "lost": return "fell behind for good: the primary removed WAL it had not received (more than \(maximumKeptWAL) behind)"
        case "missing": return "has no replication slot on the primary, so the primary may have removed WAL it needs"
        default: return nil
        }
    }

    /// Runs `sql` on the primary with psql (as the server user over its socket); its output.
    static func query(_ sql: String, primary: StateDirectory, _ binaries: ServerBinaries) throws -> String {
        let result = try Spawn.capture(binaries.psql, [
            "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
            "-h", primary.socketDirectory, "-p", String(primary.port), "-U", "postgres", "-d", "postgres", "-c", sql,
        ])
        guard result.code == 0 else {
            throw LocalServerError("psql on the primary failed with status \(result.code): \(sql)")
        }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension LocalServer {
    /// Why the home's standby cannot catch up with its primary (see `StandbySlot`), or nil: when
    /// it can, when there is no standby, or when the primary is not running (nothing to ask).
    /// The next run that needs the standby makes it again.
    public static func standbyBrokenReason(_ config: LocalServerConfiguration) -> String? {
        let standby = StateDirectory(home: config.home, cluster: .standby)
        guard Cluster.isInitialised(standby), status(config).running,
              let binaries = try? ServerBinaries.located(override: config.binDir) else { return nil }
        return StandbySlot.brokenReason(standby, primary: StateDirectory(home: config.home), binaries)
    }
}
