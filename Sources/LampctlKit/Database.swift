import LampApp
public import LocalServer
public import Postgres

/// The database a command works on, chosen as psql and libpq users expect: `--database-url`,
/// else `DATABASE_URL`, else the libpq environment (`PGHOST`, `PGSERVICE`, ... when any is
/// set), else the embedded default (a lease on the local server, held until `close()`). An
/// empty `--database-url ''` or `DATABASE_URL=''` counts as not given.
public final class Database {
    public let connectionString: ConnectionString
    /// Where the connection string came from, for messages.
    public let source: Source
    /// Called once when a connection waits over a second for the server (e.g. to print it).
    public var onSlowConnect: (@Sendable (String) -> Void)?
    /// The hot standby, when one was asked for: `--standby-url`, `STANDBY_URL`, or the embedded
    /// primary's embedded standby.
    public private(set) var standbyConnectionString: ConnectionString?
    /// Where the standby came from, for messages (`--standby-url`, `STANDBY_URL`, `embedded standby`).
    public private(set) var standbySource: String?
    private var lease: LocalServerLease?
    /// The embedded server's configuration, when this is the embedded server.
    private var embeddedConfiguration: LocalServerConfiguration?
    private var replayDelayHold: ReplayDelayHold?

    static let embeddedStandbySource = "embedded standby"

    public enum Source: Sendable, Equatable {
        case flag, environment
        /// libpq's own environment variables; the ones that were set.
        case libpqEnvironment([String])
        case embedded

        /// Where it came from, as said in messages (`--database-url`, `PGHOST, PGUSER`, ...).
        public var label: String {
            switch self {
            case .flag: "--database-url"
            case .environment: "DATABASE_URL"
            case let .libpqEnvironment(variables): variables.joined(separator: ", ")
            case .embedded: "embedded server"
            }
        }
    }

    /// Resolves the database; starts the embedded server when nothing names one. With
    /// `standby`, also a hot standby: `standbyFlag` (`--standby-url`), else `STANDBY_URL`
    /// (each checked to be a standby of that primary), else the embedded standby when the
    /// primary is the embedded server.
    public convenience init(flag: String?, environment: [String: String], standby: Bool, standbyFlag: String?,
                            onWait: (@Sendable (String) -> Void)? = nil) throws {
        let given: (String, String)? = if let standbyFlag, !standbyFlag.isEmpty {
            (standbyFlag, "--standby-url")
        } else if let url = environment["STANDBY_URL"], !url.isEmpty {
            (url, "STANDBY_URL")
        } else {
            nil
        }
        try self.init(flag: flag, environment: environment, onWait: onWait, embeddedStandby: standby && given == nil)
        guard standby else { return }
        if let (raw, origin) = given {
            let standbyString = try Self.parse(raw, origin: origin)
            try StandbyCheck.verify(primary: connectionString, standby: standbyString, origin: origin, onWait: onWait)
            standbyConnectionString = standbyString
            standbySource = origin
        } else if let embedded = lease?.connectionStrings[.standby] {
            standbyConnectionString = try ConnectionString(embedded)
            standbySource = Self.embeddedStandbySource
        } else {
            close()
            throw LampctlError(
                "replica scenarios need a hot standby of \(source.label): give --standby-url or STANDBY_URL (the embedded standby only follows the embedded server)",
                status: .usage)
        }
    }

    /// Resolves the database; starts the embedded server when nothing names one.
    public convenience init(flag: String?, environment: [String: String],
                            onWait: (@Sendable (String) -> Void)? = nil) throws {
        try self.init(flag: flag, environment: environment, onWait: onWait, embeddedStandby: false)
    }

    private init(flag: String?, environment: [String: String],
                 onWait: (@Sendable (String) -> Void)?, embeddedStandby: Bool) throws {
        onSlowConnect = onWait
        if let (named, origin) = try Self.named(flag: flag, environment: environment) {
            connectionString = named
            source = origin
        } else {
            var configuration = LocalServerConfiguration.fromEnvironment(environment)
            configuration.onWait = onWait
            let lease = try LocalServer.acquire(configuration, standby: embeddedStandby)
            self.lease = lease
            embeddedConfiguration = configuration
            connectionString = try ConnectionString(lease.connectionString)
            source = .embedded
        }
    }

    deinit { close() }

    /// The database that `flag` (`--database-url`), `DATABASE_URL` or libpq's environment names,
    /// in that order, and where it came from; nil when none does (the embedded server). Starts
    /// nothing.
    public static func named(flag: String?, environment: [String: String]) throws -> (ConnectionString, Source)? {
        // Only the variables that name a database choose libpq's default over the embedded server.
        let libpqVariables = ConnectionOptionCatalog.choosingVariablesSet(in: environment)
        if let flag, !flag.isEmpty {
            return (try parse(flag, origin: "--database-url"), .flag)
        } else if let url = environment["DATABASE_URL"], !url.isEmpty {
            return (try parse(url, origin: "DATABASE_URL"), .environment)
        } else if !libpqVariables.isEmpty {
            // What the variables say, so messages show it; libpq reads the rest (secrets) itself.
            let named = try parse(ConnectionOptionCatalog.connectionString(from: environment),
                                  origin: ConnectionOptionCatalog.environmentVariablesSet(in: environment).joined(separator: ", "))
            return (named, .libpqEnvironment(libpqVariables))
        }
        return nil
    }

    /// The clusters a scenario may connect to, by name; `primary` is always there (the embedded
    /// server's clusters, or the one database given).
    public var clusters: [ClusterName: ConnectionString] {
        var clusters: [ClusterName: ConnectionString] = [:]
        for (name, raw) in lease?.connectionStrings ?? [:] {
            clusters[name] = try? ConnectionString(raw)
        }
        clusters[.primary] = connectionString
        if let standbyConnectionString { clusters[.standby] = standbyConnectionString }
        return clusters
    }

    /// Releases the embedded server (it stops when the last lampctl using it is done).
    public func close() {
        replayDelayHold?.release()
        replayDelayHold = nil
        lease?.release()
        lease = nil
    }

    /// With the embedded standby, claims its replay delay for this run (`ReplayDelayHold`): a
    /// run on the same home with another delay waits for this one, and this one for it.
    public func holdEmbeddedReplayDelay(milliseconds: Int) throws {
        guard let embeddedConfiguration, standbySource == Self.embeddedStandbySource, replayDelayHold == nil else { return }
        do {
            replayDelayHold = try LocalServer.holdReplayDelay(embeddedConfiguration, milliseconds: milliseconds)
        } catch {
            throw LampctlError.from(error)
        }
    }

    /// A new connection.
    public func connect() throws -> Connection {
        try Connection(connectionString, onSlowConnect: onSlowConnect)
    }

    /// A new connection with lampctl's schema created if needed and on the search_path.
    public func connectToLamps() throws -> Connection {
        let connection = try connect()
        LockWaitNotice.attach(to: connection, database: self)
        try LampSchema.prepare(LampSchema.defaultName, on: connection)
        return connection
    }

    /// One line for the top of `--trace` when the URL was a SQLAlchemy one, else nil.
    public var connectionNote: String? {
        connectionString.droppedDriver.map { driver in
            "-- connection: SQLAlchemy driver '\(driver)' dropped from the URL (lampctl connects through libpq)"
        }
    }

    private static func parse(_ raw: String, origin: String) throws -> ConnectionString {
        do {
            return try ConnectionString(raw)
        } catch let error as PostgresError {
            throw LampctlError("\(origin): \(error.message)", status: .usage)
        }
    }
}
