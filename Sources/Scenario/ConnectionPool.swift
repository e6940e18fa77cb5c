import LampApp
import Postgres

/// The connections of one run, one per session label, opened on first use (on the cluster the
/// session names) and reused across cases (as an application's engine pool would), each with
/// `search_path` set to the run's schema and preparing the statements it repeats (the sessions
/// send the same few texts in every case).
final class ConnectionPool {
    let clusters: ClusterSet
    let schema: String
    private(set) var connections: [String: Connection] = [:]
    /// Called with each new connection's backend pid (for emergency cleanup).
    var onConnect: (Int32) -> Void = { _ in }
    /// What the pool's connections sent, closed ones included.
    var counts: ConnectionCounts { connections.values.reduce(closedCounts) { $0 + $1.counts } }
    private var closedCounts = ConnectionCounts()
    /// Whether a new connection waits while the server is full or starting up (see
    /// `BusyServerWait`); when false, such a refusal fails at once and is kept in `busyRefusal`.
    var waitsWhenBusy = true
    private(set) var busyRefusal: PostgresError?
    /// Watches statements that wait: a step blocked by another of the pool's sessions ends with `CaseBlocked`.
    var blockedSteps: BlockedStepMonitor?

    init(clusters: ClusterSet, schema: String) {
        self.clusters = clusters
        self.schema = schema
    }

    /// The connection for a label, idle (any leftover transaction rolled back; a broken one
    /// replaced), on the named cluster.
    func connection(for label: String, cluster: String = ClusterSet.primary) throws -> Connection {
        if let existing = connections[label] {
            switch existing.transactionStatus {
            case .idle: return existing
            case .inTransaction, .failed:
                if (try? existing.execute("ROLLBACK")) != nil { return existing }
            default: break
            }
            closedCounts = closedCounts + existing.counts
            existing.close()
            connections[label] = nil
        }
        guard let connectionString = clusters.connectionString(for: cluster) else {
            throw UnknownClusterError(session: label, cluster: cluster, known: clusters.names)
        }
        let connection: Connection
        do {
            connection = try Connection(connectionString, waitsWhenBusy: waitsWhenBusy)
        } catch let error as PostgresError where error.sqlState?.isWorthWaitingFor == true {
            busyRefusal = error
            throw error
        }
        connection.preparesRepeatedStatements = true
        connection.whileWaiting = { [weak self] in try self?.blockedSteps?.check(label, among: self?.connections ?? [:]) }
        onConnect(connection.backendPID)
        try LampSchema.use(schema, on: connection)
        connections[label] = connection
        return connection
    }

    func closeAll() {
        closedCounts = counts
        for connection in connections.values { connection.close() }
        connections.removeAll()
    }
}
