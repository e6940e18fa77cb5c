/// What one `Connection` sent, counted as it goes (one connection has one owner, so plain
/// integers suffice). Add several to count a run's connections; nothing is shared by the process,
/// so tests running in parallel can assert on their own connection's counts.
public struct ConnectionCounts: Sendable, Equatable {
    /// Connections successfully opened (`PQconnectdbParams` reached `CONNECTION_OK`).
    public var connectionsOpened: Int
    /// Statements sent (`PQsendQueryParams` or `PQsendQueryPrepared`), each one network round trip.
    public var statementsSent: Int
    /// Statements prepared (`PQprepare`), each one more round trip.
    public var statementsPrepared: Int

    public init(connectionsOpened: Int = 0, statementsSent: Int = 0, statementsPrepared: Int = 0) {
        self.connectionsOpened = connectionsOpened
        self.statementsSent = statementsSent
        self.statementsPrepared = statementsPrepared
    }

    /// Every network round trip after connecting: statements sent plus statements prepared.
    public var roundTrips: Int { statementsSent + statementsPrepared }

    public static func + (left: ConnectionCounts, right: ConnectionCounts) -> ConnectionCounts {
        ConnectionCounts(connectionsOpened: left.connectionsOpened + right.connectionsOpened,
                         statementsSent: left.statementsSent + right.statementsSent,
                         statementsPrepared: left.statementsPrepared + right.statementsPrepared)
    }

    public static func - (later: ConnectionCounts, earlier: ConnectionCounts) -> ConnectionCounts {
        ConnectionCounts(connectionsOpened: later.connectionsOpened - earlier.connectionsOpened,
                         statementsSent: later.statementsSent - earlier.statementsSent,
                         statementsPrepared: later.statementsPrepared - earlier.statementsPrepared)
    }
}
