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
    /// Called with each new primary connection's backend pid (for emergency cleanup).
    var onConnect: (Int32) -> Void = { _ in }
    /// What the pool's connections sent, closed ones included.
    var counts: ConnectionCounts { connections.values.reduce(closedCounts) { $0 + $1.counts } }
    private var closedCounts = ConnectionCounts()
    /// Whether a new connection waits while the server is full or starting up (see
    /// `BusyServerWait`); when false, such a refusal fails at once and is kept in `busyRefusal`.
    var waitsWhenBusy = true
    /// Told, once per connection, when connecting takes over a second (see `Connection.init`).
    var onSlowConnect: (@Sendable (String) -> Void)?
    private(set) var busyRefusal: PostgresError?
    /// Watches statements that wait: a step blocked by another of the pool's sessions ends with `CaseBlocked`.
    var blockedSteps: BlockedStepMonitor?
    /// The labels of the connections on the primary.
    private var primaryLabels: Set<String> = []

    init(clusters: ClusterSet, schema: String) {
        self.clusters = clusters
        self.schema = schema
    }

    /// Which of the pool's connections: a session's on a cluster, or the primary connection of
    /// a session that reads a standby (its writes, and its reads inside a sticky window).
    enum Label: Hashable {
        case session(String, cluster: String)
        case writer(String)

        /// The pool's key: the session's name on the primary, `S1@standby`, `S1@primary` for a writer.
        var key: String {
            switch self {
            case let .session(name, cluster): return cluster == ClusterSet.primary ? name : name + "@" + cluster
            case let .writer(name): return name + "@" + ClusterSet.primary
            }
        }

        var cluster: String {
            switch self {
            case let .session(_, cluster): return cluster
            case .writer: return ClusterSet.primary
            }
        }

        var session: String {
            switch self {
            case let .session(name, _), let .writer(name): return name
            }
        }
    }

    /// The connection for a session, idle (any leftover transaction rolled back; a broken one
    /// replaced), on the named cluster.
    func connection(for session: String, cluster: String = ClusterSet.primary) throws -> Connection {
        // One connection per session and cluster: a label reading a standby in one case may
        // read the primary in the next.
        try connection(.session(session, cluster: cluster))
    }

    /// The primary connection of a session that reads a standby.
    func writerConnection(for session: String) throws -> Connection { try connection(.writer(session)) }

    private func connection(_ which: Label) throws -> Connection {
        let label = which.key, cluster = which.cluster, session = which.session
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
            throw UnknownClusterError(session: session, cluster: cluster, known: clusters.names)
        }
        let connection: Connection
        do {
            connection = try Connection(connectionString, waitsWhenBusy: waitsWhenBusy, onSlowConnect: onSlowConnect)
        } catch let error as PostgresError where error.sqlState?.isWorthWaitingFor == true {
            busyRefusal = error
            throw error
        }
        connection.preparesRepeatedStatements = true
        if clusters.hasStandby { connection.server = cluster }
        // A standby's backends hold nothing on the primary, and their pids mean nothing there
        // (neither for cleanup nor for the blocked-step check, which asks the primary).
        if cluster == ClusterSet.primary {
            connection.whileWaiting = { [weak self] in
                guard let self else { return }
                try self.blockedSteps?.check(label, among: self.connections.filter { self.primaryLabels.contains($0.key) })
            }
            onConnect(connection.backendPID)
            primaryLabels.insert(label)
        }
        try LampSchema.use(schema, on: connection)
        connections[label] = connection
        return connection
    }

    /// Closes one label's connection (a request's, which ends with the request); the next use opens a new one.
    func discard(_ label: String) {
        guard let connection = connections.removeValue(forKey: label) else { return }
        closedCounts = closedCounts + connection.counts
        connection.close()
        primaryLabels.remove(label)
    }

    func closeAll() {
        closedCounts = counts
        for connection in connections.values { connection.close() }
        connections.removeAll()
    }
}
