/// What `lampctl db status` shows about the embedded server.
public struct LocalServerStatus: Sendable, Equatable {
    /// A postmaster for this home's data directory is running and accepting connections.
    public var running: Bool
    /// Started by `db start`: it keeps running until `db stop` rather than stopping after the last client.
    public var kept: Bool
    public var postmasterPID: Int32?
    public var dataDirectory: String
    public var socketDirectory: String
    public var connectionString: String
    /// The data directory has been created (initdb has run).
    public var initialised: Bool
}
