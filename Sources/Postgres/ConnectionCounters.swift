import Synchronization

/// Process-wide counts of what every `Connection` did, for benchmarks that count round trips
/// exactly: one relaxed atomic increment per connection opened and per statement sent.
public enum ConnectionCounters {
    /// What the counters said at one moment; subtract two to get what happened in between.
    public struct Snapshot: Sendable, Equatable {
        /// Connections successfully opened (`PQconnectdbParams` reached `CONNECTION_OK`).
        public var connectionsOpened: Int
        /// Statements sent (`PQexecParams` or `PQexecPrepared`), each one network round trip.
        public var statementsSent: Int
        /// Statements prepared (`PQprepare`), each one more round trip.
        public var statementsPrepared: Int

        /// Every network round trip after connecting: statements sent plus statements prepared.
        public var roundTrips: Int { statementsSent + statementsPrepared }

        public static func - (later: Snapshot, earlier: Snapshot) -> Snapshot {
            Snapshot(connectionsOpened: later.connectionsOpened - earlier.connectionsOpened,
                     statementsSent: later.statementsSent - earlier.statementsSent,
                     statementsPrepared: later.statementsPrepared - earlier.statementsPrepared)
        }
    }

    static let connections = Atomic<Int>(0)
    static let statements = Atomic<Int>(0)
    static let prepares = Atomic<Int>(0)

    /// The counts since the process started.
    public static var current: Snapshot {
        Snapshot(connectionsOpened: connections.load(ordering: .relaxed),
                 statementsSent: statements.load(ordering: .relaxed),
                 statementsPrepared: prepares.load(ordering: .relaxed))
    }
}
