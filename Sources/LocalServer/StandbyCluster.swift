import Foundation
import Glibc

/// The embedded hot standby: a copy of the running primary made with
/// `pg_basebackup -R -X fetch -c fast` (as the server user, over the primary's unix socket;
/// `-X fetch`, not `stream`: measured here 0.31 s against 1.57 s, the stream's WAL receiver
/// waiting about a second at the end; the standby streams from the primary once started),
/// streaming from it under the name `applicationName`, with `recovery_min_apply_delay` set so
/// that a commit reaches it at once but is applied `defaultReplayDelay` later. Made once and
/// kept in the home (`<home>/clusters/standby/`). Callers hold the standby's `start.lock` and
/// a lease on the running primary.
enum StandbyCluster {
    /// The standby's `application_name` in `primary_conninfo`: its name in
    /// `pg_stat_replication` and for `synchronous_standby_names`.
    static let applicationName = "lampctl_standby"
    /// `recovery_min_apply_delay` written when the standby is made (ALTER SYSTEM changes it).
    static let defaultReplayDelay = "400ms"

    static func ensureCreated(_ standby: ServerContext, primary: StateDirectory, _ binaries: ServerBinaries) throws {
        try Cluster.create(standby, marker: "created by lampctl (standby)\n", what: "standby") { target in
            let paths = standby.paths
            try StandbySlot.recreate(primary: primary, binaries)
            // -R writes standby.signal and primary_conninfo from these connection options.
            let conninfo = "host=\(quoted(primary.socketDirectory)) port=\(primary.port) user=postgres application_name=\(applicationName)"
            let (program, arguments) = try standby.account.command(binaries.pgBasebackup, [
                "-d", conninfo, "-D", target, "-R", "-X", "fetch", "-c", "fast", "--no-sync", "--no-manifest",
            ])
            let code = try Spawn.runLogged(program, arguments, log: paths.logFile)
            guard code == 0 else {
                let reason = paths.lastLogError().map { ": \($0)" } ?? ""
                throw LocalServerError(
                    "pg_basebackup from the primary failed with status \(code) (the primary's pg_hba.conf needs 'local replication all trust'; log \(paths.logFile))\(reason)")
            }
            let settings = target + "/postgresql.auto.conf"
            guard let file = FileHandle(forWritingAtPath: settings) else {
                throw LocalServerError.system("cannot open \(settings)")
            }
            file.seekToEndOfFile()
            file.write(Data("recovery_min_apply_delay = '\(defaultReplayDelay)'\n".utf8))
            file.write(Data(StandbySlot.setting.utf8))
            file.closeFile()
        }
    }

    /// A libpq keyword value in single quotes (`\` and `'` escaped).
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
