public import LocalServer
import Scenario

/// JSON lines for commands other than `scenario`.
public enum JSONObjectLine {
    public static func status(_ status: LocalServerStatus) -> String {
        JSONText.object(fields(status))
    }

    /// The primary's fields, then `standby` (the same fields), `replication`, and
    /// `replication_broken`: why the standby cannot catch up (null when it can).
    public static func status(_ status: LocalServerStatus, standby: LocalServerStatus,
                              replication: ReplicationState?, broken: String? = nil) -> String {
        JSONText.object(fields(status) + [
            ("standby", JSONText.object(fields(standby))),
            ("replication", replication?.json ?? "null"),
            ("replication_broken", broken.map(JSONText.string) ?? "null"),
        ])
    }

    private static func fields(_ status: LocalServerStatus) -> [(String, String)] {
        [
            ("running", String(status.running)), ("state", JSONText.string(status.phase.rawValue)),
            ("kept", String(status.running && status.kept)),
            ("pid", status.postmasterPID.map(String.init) ?? "null"),
            ("data_directory", JSONText.string(status.dataDirectory)),
            ("socket_directory", JSONText.string(status.socketDirectory)),
            ("url", JSONText.string(status.connectionString)),
            ("initialised", String(status.initialised)),
        ]
    }
}
