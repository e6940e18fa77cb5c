import Postgres
import Scenario
import Synchronization

/// The scenario run in progress, if any, for the signal handler to clean up.
public enum ActiveRun {
    struct Entry: Sendable {
        var registry: RunRegistry
        var connectionString: ConnectionString
    }

    private static let current = Mutex<Entry?>(nil)

    static func set(_ registry: RunRegistry, _ connectionString: ConnectionString) {
        current.withLock { $0 = Entry(registry: registry, connectionString: connectionString) }
    }

    static func clear() { current.withLock { $0 = nil } }

    /// Called on SIGINT, SIGTERM or SIGHUP: ends the run's backends and drops its schema; returns the line to print.
    public static func interrupt(_ signalNumber: Int32) -> String {
        guard let entry = current.withLock({ $0 }) else { return SignalGuard.name(signalNumber) }
        let left = EmergencyCleanup.run(entry.registry, connectionString: entry.connectionString)
        var line = "\(SignalGuard.name(signalNumber)) during \(entry.registry.current)"
        line += left.isEmpty ? "; the run's schema was dropped" : "; could not drop schema \(left.joined(separator: ", ")) (the next run drops it)"
        return line
    }
}
