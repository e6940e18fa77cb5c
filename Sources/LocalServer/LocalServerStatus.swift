/// What `lampctl db status` shows about the embedded server.
public struct LocalServerStatus: Sendable, Equatable {
    /// Where the server is in its life.
    public enum Phase: String, Sendable {
        /// No supervisor and no postmaster alive.
        case stopped
        case starting
        /// A postmaster for this data directory is running and accepting connections (or,
        /// with no supervisor, an orphaned postmaster is alive).
        case running
        /// Being stopped; its postmaster may still be alive (see `postmasterPID`).
        case stopping
    }

    public var phase: Phase
    /// Started by `db start`: it keeps running until `db stop` rather than stopping after the last client.
    public var kept: Bool
    /// The live postmaster, if any (whatever the phase).
    public var postmasterPID: Int32?
    public var dataDirectory: String
    public var socketDirectory: String
    public var connectionString: String
    /// The data directory has been created (initdb has run).
    public var initialised: Bool

    /// A postmaster runs and is ready for connections.
    public var running: Bool { phase == .running }
    /// Nothing of the server is alive.
    public var isStopped: Bool { phase == .stopped && postmasterPID == nil }
}
