import Postgres
import Scenario
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The scenario run in progress, if any, for the signal handler to clean up.
public enum ActiveRun {
    struct Entry: Sendable {
        var registry: RunRegistry
        var connectionString: ConnectionString
    }

    private static let current = Mutex<Entry?>(nil)
    /// The command `lampctl watch` runs, if any: a signal is passed on to it before lampctl exits.
    private static let child = Mutex<pid_t?>(nil)

    private static let stoppingChild = Mutex(false)

    static func setChild(_ pid: pid_t?) { child.withLock { $0 = pid } }

    /// True once a signal is stopping the watched command: the signal's clean-up ends the
    /// process (with its line and status), not the command's own end.
    static var isStoppingChild: Bool { stoppingChild.withLock { $0 } }

    static func set(_ registry: RunRegistry, _ connectionString: ConnectionString) {
        current.withLock { $0 = Entry(registry: registry, connectionString: connectionString) }
    }

    static func clear() { current.withLock { $0 = nil } }

    /// Called on SIGINT, SIGTERM or SIGHUP: ends the run's backends and drops its schema; returns the line to print.
    public static func interrupt(_ signalNumber: Int32) -> String {
        if let pid = child.withLock({ $0 }) { return stopChild(pid, signalNumber) }
        guard let entry = current.withLock({ $0 }) else { return SignalGuard.name(signalNumber) }
        let left = EmergencyCleanup.run(entry.registry, connectionString: entry.connectionString)
        var line = "\(SignalGuard.name(signalNumber)) during \(entry.registry.current)"
        line += left.isEmpty ? "; the run's schema was dropped" : "; could not drop schema \(left.joined(separator: ", ")) (the next run drops it)"
        return line
    }

    /// Passes the signal on to the watched command and waits for it (up to 10 s, then SIGKILL).
    private static func stopChild(_ pid: pid_t, _ signalNumber: Int32) -> String {
        stoppingChild.withLock { $0 = true }
        kill(pid, signalNumber)
        for _ in 0..<1000 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) != 0 { return "\(SignalGuard.name(signalNumber)): the watched command was stopped; no report" }
            usleep(10_000)
        }
        kill(pid, SIGKILL)
        return "\(SignalGuard.name(signalNumber)): the watched command did not stop within 10 s and was killed; no report"
    }
}
