public import Postgres

/// The database clusters a run may connect to, by name: `primary` always, others (a hot standby)
/// when the caller has them. Scenario sessions name the cluster they use (default `primary`).
public struct ClusterSet: Sendable {
    /// The cluster every run has and sessions use unless they name another.
    public static let primary = "primary"
    /// The hot standby a `reads=standby` session reads from.
    public static let standby = "standby"

    /// The primary's connection string.
    public let primary: ConnectionString
    private let others: [String: ConnectionString]

    /// A set with `primary` and, optionally, other named clusters (an entry named `primary` in
    /// `others` is ignored: the primary is given on its own).
    public init(primary: ConnectionString, others: [String: ConnectionString] = [:]) {
        self.primary = primary
        self.others = others.filter { $0.key != Self.primary }
    }

    /// True when the run has a cluster besides the primary (a hot standby): its statements then
    /// say which server ran them, and its cases where the test read.
    public var hasStandby: Bool { !others.isEmpty }

    /// The cluster names, `primary` first, then the others in alphabetical order.
    public var names: [String] { [Self.primary] + others.keys.sorted() }

    /// The connection string of a named cluster, or `nil` when the set has no such cluster.
    public func connectionString(for name: String) -> ConnectionString? {
        name == Self.primary ? primary : others[name]
    }
}

/// A session named a cluster the run was not given.
public struct UnknownClusterError: Error, CustomStringConvertible {
    public var session: String
    public var cluster: String
    public var known: [String]

    public init(session: String, cluster: String, known: [String]) {
        self.session = session
        self.cluster = cluster
        self.known = known
    }

    public var description: String {
        "session \(session) uses cluster '\(cluster)', but this run has only \(known.joined(separator: ", "))"
    }
}
