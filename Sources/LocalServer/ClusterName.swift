/// A named cluster in a lampctl home, with the port its socket file is named after: `primary`,
/// and `standby`, a hot standby streaming from it (made on first use).
public struct ClusterName: Hashable, Sendable, CustomStringConvertible {
    /// `[a-z0-9-]+`, used in paths (`<home>/clusters/<name>`) and messages.
    public let name: String
    /// The port of its socket file (`.s.PGSQL.<port>`); distinct per cluster of a home.
    public let port: Int

    public init(_ name: String, port: Int) {
        precondition(!name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") },
                     "cluster names are [a-z0-9-]+")
        self.name = name
        self.port = port
    }

    /// The cluster every home has; its files keep the layout of lampctl's first versions (at the
    /// home's top level), so an existing home is used as it is.
    public static let primary = ClusterName("primary", port: 5432)

    /// A hot standby made from the primary with `pg_basebackup`, streaming from it.
    public static let standby = ClusterName("standby", port: 5433)

    /// The clusters lampctl knows how to run, `primary` first.
    public static let known: [ClusterName] = [.primary, .standby]

    /// A known cluster by name.
    public static func named(_ name: String) -> ClusterName? {
        known.first { $0.name == name }
    }

    public var description: String { name }
}
