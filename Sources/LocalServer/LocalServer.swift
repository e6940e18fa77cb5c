import Foundation
import Glibc

/// The embedded default server: a PostgreSQL cluster in the lampctl home, started on demand by
/// a supervisor process and stopped when the last client using it finishes.
///
/// Locks, always taken in this order: `clients.lock` (shared per client, exclusive for reset),
/// then `start.lock` (exclusive while starting, stopping, initialising). The supervisor holds
/// `supervisor.lock` for its whole life.
public enum LocalServer {
    /// Starts the server if needed and holds it running until the lease is released (or this
    /// process ends in any way).
    public static func acquire(_ config: LocalServerConfiguration) throws -> LocalServerLease {
        let context = try ServerContext(config)
        try context.prepare()
        let clients = try context.lock(context.paths.clientsLock, .shared)
        do {
            let start = try context.lock(context.paths.startLock, .exclusive)
            defer { start.close() }
            _ = try ensureRunning(context, keep: false)
            return LocalServerLease(connectionString: context.paths.connectionString, clientLock: clients)
        } catch {
            clients.close()
            throw error
        }
    }

    /// Starts the server (or keeps the running one) so that it stays up after this process
    /// exits, until `stop`.
    public static func start(_ config: LocalServerConfiguration) throws -> LocalServerStatus {
        let context = try ServerContext(config)
        try context.prepare()
        let clients = try context.lock(context.paths.clientsLock, .shared)
        defer { clients.close() }
        let start = try context.lock(context.paths.startLock, .exclusive)
        defer { start.close() }
        let state = try ensureRunning(context, keep: true)
        return LocalServerStatus(
            running: true, kept: state.kept, postmasterPID: state.postmasterPID,
            dataDirectory: context.paths.dataDirectory, socketDirectory: context.paths.socketDirectory,
            connectionString: context.paths.connectionString, initialised: true)
    }

    /// Stops the server now, whoever uses it. True if something was stopped.
    public static func stop(_ config: LocalServerConfiguration) throws -> Bool {
        let context = try ServerContext(config)
        guard access(context.paths.home, F_OK) == 0 else { return false }
        let clients = try context.lock(context.paths.clientsLock, .shared)
        defer { clients.close() }
        let start = try context.lock(context.paths.startLock, .exclusive)
        defer { start.close() }
        return try stopServer(context)
    }

    /// Whether the server runs, and where. Never starts anything; waits while another
    /// invocation is starting or stopping it.
    public static func status(_ config: LocalServerConfiguration) -> LocalServerStatus {
        let paths = StateDirectory(home: config.home)
        var status = LocalServerStatus(
            running: false, kept: false, postmasterPID: nil,
            dataDirectory: paths.dataDirectory, socketDirectory: paths.socketDirectory,
            connectionString: paths.connectionString, initialised: Cluster.isInitialised(paths))
        guard access(paths.home, F_OK) == 0,
              let start = try? FileLock(paths.startLock), (try? start.lock(.shared)) != nil,
              let supervisorLock = try? FileLock(paths.supervisorLock) else { return status }
        defer {
            supervisorLock.close()
            start.close()
        }
        if (try? supervisorLock.tryLock(.shared)) == false, let state = SupervisorState.read(from: paths.stateFile) {
            status.kept = state.kept
            status.postmasterPID = state.postmasterPID
            status.running = state.phase == .ready
                && state.postmasterPID.map { Postmaster.isPostmaster($0, of: paths.dataDirectory) } == true
        } else if let orphan = Postmaster.running(paths.dataDirectory) {
            status.postmasterPID = orphan
            status.running = true
        }
        return status
    }

    /// True when nothing of this home's server is alive: no supervisor holds `supervisor.lock`
    /// and no postmaster runs for its data directory. Never waits and never starts anything.
    public static func isStopped(_ config: LocalServerConfiguration) -> Bool {
        let paths = StateDirectory(home: config.home)
        guard access(paths.supervisorLock, F_OK) == 0, let supervisorLock = try? FileLock(paths.supervisorLock) else {
            return Postmaster.running(paths.dataDirectory) == nil
        }
        defer { supervisorLock.close() }
        return (try? supervisorLock.tryLock(.shared)) == true && Postmaster.running(paths.dataDirectory) == nil
    }

    /// Stops the server and deletes its data directory (only one lampctl created). Fails if
    /// another lampctl invocation is using the server.
    public static func reset(_ config: LocalServerConfiguration) throws {
        let context = try ServerContext(config)
        guard access(context.paths.home, F_OK) == 0 else { return }
        let clients = try FileLock(context.paths.clientsLock)
        defer { clients.close() }
        guard try clients.lock(.exclusive, timeout: 5) else {
            throw LocalServerError(
                "the local server is in use by another lampctl invocation: reset it when that has finished")
        }
        let start = try context.lock(context.paths.startLock, .exclusive)
        defer { start.close() }
        _ = try stopServer(context)
        try Cluster.remove(context.paths)
    }

    /// `postgresql://postgres@/postgres?host=<socketdir>&port=5432` (the port names the socket file; explicit, so PGPORT cannot move it)
    public static func connectionString(_ config: LocalServerConfiguration) -> String {
        StateDirectory(home: config.home).connectionString
    }

    /// The supervisor process's main (`lampctl _supervise <arguments>`). Never returns.
    public static func runSupervisor(arguments: [String]) -> Never {
        guard let options = Supervisor.parse(arguments) else {
            FileHandle.standardError.write(Data("lampctl _supervise: bad arguments \(arguments)\n".utf8))
            exit(64)
        }
        var supervisor = Supervisor(options: options)
        exit(supervisor.run())
    }

    // MARK: - Under start.lock

    static let waitTimeout = Supervisor.startTimeout + 30

    /// Makes sure a ready supervisor runs (kept if `keep`), reusing a live one, replacing an
    /// orphaned postmaster, initialising the cluster on first use.
    static func ensureRunning(_ context: ServerContext, keep: Bool) throws -> SupervisorState {
        let binaries = try ServerBinaries.locate(override: context.configuration.binDir)
        try context.paths.prepareSocketDirectory(for: context.account)
        try Cluster.ensureInitialised(context, binaries)
        let supervisorLock = try FileLock(context.paths.supervisorLock)
        defer { supervisorLock.close() }
        let deadline = Clock.now + waitTimeout
        var askedToKeep = false
        while Clock.now < deadline {
            if try supervisorLock.tryLock(.exclusive) {
                // No supervisor: whatever state file is left is stale.
                unlink(context.paths.stateFile)
                if let orphan = Postmaster.running(context.paths.dataDirectory) {
                    try Postmaster.stopForeign(orphan, dataDirectory: context.paths.dataDirectory)
                }
                let pid = try SupervisorLauncher.launch(context, binaries, keep: keep, supervisorLock: supervisorLock)
                return SupervisorState.read(from: context.paths.stateFile)
                    ?? SupervisorState(pid: pid, postmasterPID: nil, kept: keep, phase: .ready)
            }
            // A supervisor is alive: use it once it is ready; wait while it starts or stops.
            if let state = SupervisorState.read(from: context.paths.stateFile), state.phase == .ready,
               let postmaster = state.postmasterPID,
               Postmaster.isPostmaster(postmaster, of: context.paths.dataDirectory) {
                if !keep || state.kept { return state }
                if !askedToKeep {
                    askedToKeep = kill(state.pid, Supervisor.keepSignal) == 0
                }
            }
            Clock.sleep(0.005)
        }
        throw LocalServerError("timed out waiting for the local server's supervisor: see \(context.paths.logFile)")
    }

    /// Stops the supervisor (SIGTERM, it stops its postmaster) or an orphaned postmaster.
    static func stopServer(_ context: ServerContext) throws -> Bool {
        let paths = context.paths
        let supervisorLock = try FileLock(paths.supervisorLock)
        defer { supervisorLock.close() }
        var stopped = false
        if try !supervisorLock.tryLock(.exclusive) {
            var signalled = false
            let deadline = Clock.now + waitTimeout
            while Clock.now < deadline {
                if !signalled, let state = SupervisorState.read(from: paths.stateFile) {
                    signalled = kill(state.pid, SIGTERM) == 0 || errno != ESRCH
                }
                if try supervisorLock.tryLock(.exclusive) { break }
                Clock.sleep(0.005)
            }
            guard try supervisorLock.tryLock(.exclusive) else {
                throw LocalServerError("the local server's supervisor does not stop: see \(paths.logFile)")
            }
            stopped = true
        }
        unlink(paths.stateFile)
        if let orphan = Postmaster.running(paths.dataDirectory) {
            try Postmaster.stopForeign(orphan, dataDirectory: paths.dataDirectory)
            stopped = true
        }
        return stopped
    }
}
