import Foundation
public import Postgres

/// `--replay-delay`: the standby's `recovery_min_apply_delay`, which makes a stale read from it
/// deterministic (the standby receives a commit at once and applies it that much later). Set
/// with ALTER SYSTEM and `pg_reload_conf()` when lampctl may (the embedded standby, or a
/// superuser's external one); otherwise the standby keeps its own, and lampctl says so.
public enum ReplayDelay {
    public static let defaultValue = "400ms"

    /// `400ms`, `1s`, `0`: a whole number with `ms`, `s` or nothing (milliseconds); nil otherwise.
    public static func milliseconds(_ text: String) -> Int? {
        let (digits, factor) = text.hasSuffix("ms") ? (text.dropLast(2), 1)
            : text.hasSuffix("s") ? (text.dropLast(1), 1000) : (Substring(text), 1)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value >= 0, value <= 3_600_000 / factor
        else { return nil }
        return value * factor
    }

    /// Makes the standby's delay `text`; a note for stderr when it could not (nil when set).
    public static func apply(_ text: String, standby: ConnectionString) throws -> String? {
        guard let wanted = milliseconds(text) else {
            throw LampctlError("--replay-delay: expected milliseconds such as 400ms, 1s or 0, found '\(text)'", status: .usage)
        }
        let connection: Connection
        do { connection = try Connection(standby) } catch { throw LampctlError.from(error) }
        defer { connection.close() }
        let current = try setting(on: connection)
        if current == wanted { return nil }
        do {
            try connection.execute("ALTER SYSTEM SET recovery_min_apply_delay = '\(wanted)ms'")
            try connection.execute("SELECT pg_reload_conf()")
        } catch let error as PostgresError where error.kind == .statementFailed && !error.isConnectionLoss {
            return "lampctl: cannot set the standby's recovery_min_apply_delay (\(error.message)): it stays \(current) ms; replay_lag_ms in the results is the lag it gives"
        }
        // The reload is asynchronous: wait (briefly) until the standby runs with it.
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if try setting(on: connection) == wanted { return nil }
            usleep(5_000)
        }
        return "lampctl: the standby did not take recovery_min_apply_delay = \(wanted) ms within 5 s; replay_lag_ms in the results is the lag it gives"
    }

    private static func setting(on connection: Connection) throws -> Int {
        let value = try connection.execute(
            "SELECT setting::int AS ms FROM pg_settings WHERE name = 'recovery_min_apply_delay'").value("ms")
        return value.flatMap { Int($0) } ?? 0
    }
}
