public import Postgres

/// Checks that a standby given by URL is one of the primary's: in recovery
/// (`pg_is_in_recovery()`) and with the primary's `system_identifier` (`pg_control_system()`).
/// Each failed check is one line naming it: unreachable exits 69, the wrong server 64.
public enum StandbyCheck {
    public static func verify(primary: ConnectionString, standby: ConnectionString, origin: String,
                              onWait: (@Sendable (String) -> Void)? = nil) throws {
        let standbyFacts = try facts(of: standby, origin: origin, onWait: onWait)
        guard standbyFacts.inRecovery else {
            throw LampctlError(
                "\(origin): \(place(standby)) is not a standby: pg_is_in_recovery() is false (give a hot standby of the primary)",
                status: .usage)
        }
        let primaryFacts = try facts(of: primary, origin: "primary", onWait: onWait)
        guard primaryFacts.systemIdentifier == standbyFacts.systemIdentifier else {
            throw LampctlError(
                "\(origin): \(place(standby)) does not replicate from the primary at \(place(primary)): its system_identifier is \(standbyFacts.systemIdentifier), the primary's \(primaryFacts.systemIdentifier)",
                status: .usage)
        }
    }

    private struct Facts {
        var inRecovery: Bool
        var systemIdentifier: String
    }

    private static func facts(of target: ConnectionString, origin: String,
                              onWait: (@Sendable (String) -> Void)?) throws -> Facts {
        do {
            let connection = try Connection(target, onSlowConnect: onWait)
            defer { connection.close() }
            let result = try connection.execute(
                "SELECT pg_is_in_recovery()::text AS recovery, (SELECT system_identifier FROM pg_control_system())::text AS id")
            return Facts(inRecovery: result.value("recovery") == "true", systemIdentifier: result.value("id") ?? "?")
        } catch let error as PostgresError {
            let mapped = LampctlError.from(error)
            throw LampctlError("\(origin): \(mapped.message)", status: mapped.status)
        }
    }

    private static func place(_ target: ConnectionString) -> String {
        "host \(target.host)\(target.options["port"].map { " port \($0)" } ?? ""), database \(target.database)"
    }
}
