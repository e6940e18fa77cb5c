import Postgres

/// `LAMPCTL_CONNECT_WAIT`: how many seconds lampctl keeps trying to connect while the server
/// refuses because it is full or starting up (default 30; 0 fails at once), and the one line
/// it prints on stderr the first time it waits.
public enum ConnectWaitSetting {
    public static let variable = "LAMPCTL_CONNECT_WAIT"

    /// Sets `BusyServerWait.current` from the environment; a bad value is a usage error.
    public static func configure(from environment: [String: String]) throws {
        var seconds = BusyServerWait().seconds
        if let text = environment[variable], !text.isEmpty {
            guard let value = Double(text), value >= 0, value <= 86_400 else {
                throw LampctlError("\(variable)=\(text): expected a number of seconds from 0 to 86400", status: .usage)
            }
            seconds = value
        }
        let limit = format(seconds)
        BusyServerWait.current = BusyServerWait(seconds: seconds) { refusal in
            let reason = refusal.sqlState == .cannotConnectNow ? "is starting up" : "has no free connection slot"
            writeStandardError("lampctl: the server \(reason) (SQLSTATE \(refusal.sqlState?.rawValue ?? "?")); waiting up to \(limit) s for it (\(variable))\n")
        }
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
