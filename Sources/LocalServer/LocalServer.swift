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
    /// process ends in any way). With `standby`, also the hot standby (made from the primary on
    /// first use), which keeps the primary running for as long as it runs.
    public static func acquire(_ config: LocalServerConfiguration) throws -> LocalServerLease {
        try acquire(config, standby: false)
    }

    /// `acquire(config)`, and with `standby` the hot standby too.
    public static func acquire(_ config: LocalServerConfiguration, standby: Bool) throws -> LocalServerLease {
        let context = try ServerContext(config)
        try context.prepare()
        let clients = try context.lock(context.paths.clientsLock, .shared, holder: resetHolder)
        do {
            do {
                let start = try context.lock(context.paths.startLock, .exclusive, holder: startHolder)
                defer { start.close() }
                _ = try ensureRunning(context, keep: false)
            }
            guard standby else {
                return LocalServerLease(primary: context.paths.connectionString, clientLocks: [clients])
            }
            let (standbyClients, standbyContext, _) = try runStandby(config, primary: context, keep: false)
            return LocalServerLease(
                primary: context.paths.connectionString, others: [.standby: standbyContext.paths.connectionString],
                clientLocks: [clients, standbyClients])
        } catch {
            clients.close()
            throw error
        }
    }

    /// Starts the hot standby (making it from the primary on first use, and starting the
    /// primary if needed) so that it stays up until `stop`; the primary stays up while it runs.
    public static func startStandby(_ config: LocalServerConfiguration) throws -> LocalServerStatus {
        let primary = try acquire(config)
        defer { primary.release() }
        let context = try ServerContext(config)
        let (clients, standby, state) = try runStandby(config, primary: context, keep: true)
        clients.close()
        return LocalServerStatus(
            phase: .running, kept: state.kept, postmasterPID: state.postmasterPID,
            dataDirectory: standby.paths.dataDirectory, socketDirectory: standby.paths.socketDirectory,
            connectionString: standby.paths.connectionString, initialised: true)
    }

    /// Under a shared lock on the standby's `clients.lock` (returned): makes the standby if
    /// needed and makes sure its supervisor runs. The caller keeps the primary running.
    static func runStandby(_ config: LocalServerConfiguration, primary: ServerContext,
                           keep: Bool) throws -> (FileLock, ServerContext, SupervisorState) {
        let standby = try ServerContext(config, cluster: .standby)
        try standby.paths.prepareHome(for: standby.account)
        let clients = try standby.lock(standby.paths.clientsLock, .shared, holder: resetHolder)
        do {
            let start = try standby.lock(standby.paths.startLock, .exclusive, holder: startHolder)
            defer { start.close() }
            let binaries = try ServerBinaries.located(override: config.binDir)
            try standby.paths.prepareSocketDirectory(for: standby.account)
            if Cluster.isInitialised(standby.paths),
               let reason = StandbySlot.brokenReason(standby.paths, primary: primary.paths, binaries) {
                // It would wait for WAL that no longer exists: made again, as a new one is.
                _ = try stopServer(standby)
                try Cluster.remove(standby.paths)
                config.onWait?("the standby \(reason): made it again from the primary")
            }
            try StandbyCluster.ensureCreated(standby, primary: primary.paths, binaries)
            let state = try ensureRunning(standby, keep: keep)
            return (clients, standby, state)
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
        let clients = try context.lock(context.paths.clientsLock, .shared, holder: resetHolder)
        defer { clients.close() }
        let start = try context.lock(context.paths.startLock, .exclusive, holder: startHolder)
        defer { start.close() }
        let state = try ensureRunning(context, keep: true)
        return LocalServerStatus(
            phase: .running, kept: state.kept, postmasterPID: state.postmasterPID,
            dataDirectory: context.paths.dataDirectory, socketDirectory: context.paths.socketDirectory,
            connectionString: context.paths.connectionString, initialised: true)
    }

    /// Stops the server now: the standby first, then the primary. True if something was
    /// stopped. With `force`, whoever uses it; without, a cluster that another lampctl
    /// invocation uses (a scenario run holds a lease) is not stopped: it throws, as `reset` does
    /// (a standby nobody uses may already have been stopped then: the primary's clients lock is
    /// held by the standby's supervisor for as long as the standby runs).
    public static func stop(_ config: LocalServerConfiguration, force: Bool = true) throws -> Bool {
        var stopped = false
        for cluster in ClusterName.known.reversed() {
            let context = try ServerContext(config, cluster: cluster)
            guard access(context.paths.base, F_OK) == 0 else { continue }
            if !force {
                // Only a check: a client that comes after it waits at start.lock, as for a forced stop.
                try lockOutClients(context, action: stopped ? "the standby was stopped; stop the primary" : "stop it",
                                   or: "'lampctl db stop --force' stops it now and that invocation fails").close()
            }
            let clients = try context.lock(context.paths.clientsLock, .shared, holder: resetHolder)
            defer { clients.close() }
            let start = try context.lock(context.paths.startLock, .exclusive, holder: startHolder)
            defer { start.close() }
            if try stopServer(context) { stopped = true }
        }
        return stopped
    }

    /// Whether the server runs, and where. Never starts anything and never blocks for long:
    /// while another invocation starts or stops the server, it says so (`starting`, `stopping`)
    /// with the postmaster that is still alive, never `stopped` while one is.
    public static func status(_ config: LocalServerConfiguration, cluster: ClusterName = .primary) -> LocalServerStatus {
        let paths = StateDirectory(home: config.home, cluster: cluster)
        var status = LocalServerStatus(
            phase: .stopped, kept: false, postmasterPID: nil,
            dataDirectory: paths.dataDirectory, socketDirectory: paths.socketDirectory,
            connectionString: paths.connectionString, initialised: Cluster.isInitialised(paths))
        guard access(paths.base, F_OK) == 0 else { return status }
        // Waits briefly for a start or stop in progress to finish; then reports what it sees.
        let start = try? FileLock(paths.startLock)
        _ = try? start?.lock(.shared, timeout: 0.5)
        defer { start?.close() }
        let supervisorLock = try? FileLock(paths.supervisorLock)
        defer { supervisorLock?.close() }
        let supervised = (try? supervisorLock?.tryLock(.shared)) == false
        let orphan = Postmaster.running(paths.dataDirectory)
        if supervised, let state = SupervisorState.read(from: paths.stateFile) {
            status.kept = state.kept
            let alive = state.postmasterPID.flatMap { Postmaster.isPostmaster($0, of: paths.dataDirectory) ? $0 : nil }
            status.postmasterPID = alive ?? orphan
            switch state.phase {
            case .starting: status.phase = .starting
            case .stopping: status.phase = .stopping
            case .ready: status.phase = alive != nil ? .running : (status.postmasterPID != nil ? .stopping : .stopped)
            }
        } else if supervised {
            status.phase = .starting
            status.postmasterPID = orphan
        } else if let orphan {
            status.postmasterPID = orphan
            status.phase = .running
        }
        return status
    }

    /// True when nothing of this home's servers is alive: for each cluster, no supervisor holds
    /// `supervisor.lock` and no postmaster runs for its data directory. Never waits and never
    /// starts anything.
    public static func isStopped(_ config: LocalServerConfiguration) -> Bool {
        ClusterName.known.allSatisfy { isStopped(StateDirectory(home: config.home, cluster: $0)) }
    }

    static func isStopped(_ paths: StateDirectory) -> Bool {
        guard access(paths.supervisorLock, F_OK) == 0, let supervisorLock = try? FileLock(paths.supervisorLock) else {
            return Postmaster.running(paths.dataDirectory) == nil
        }
        defer { supervisorLock.close() }
        return (try? supervisorLock.tryLock(.shared)) == true && Postmaster.running(paths.dataDirectory) == nil
    }

    /// Stops the server and deletes its data directory (only one lampctl created), the standby's
    /// first (a copy of the primary, useless without it). Fails if another lampctl invocation
    /// is using the server.
    public static func reset(_ config: LocalServerConfiguration) throws {
        for cluster in ClusterName.known.reversed() {
            let context = try ServerContext(config, cluster: cluster)
            guard access(context.paths.base, F_OK) == 0 else { continue }
            let clients = try lockOutClients(context, action: "reset it")
            defer { clients.close() }
            let start = try context.lock(context.paths.startLock, .exclusive, holder: startHolder)
            defer { start.close() }
            _ = try stopServer(context)
            try Cluster.remove(context.paths)
            context.paths.removeFallbackSocketDirectory()
        }
    }

    /// `postgresql://postgres@/postgres?host=<socketdir, percent-encoded>&port=5432` (the port
    /// names the socket file; explicit, so PGPORT cannot move it)
    public static func connectionString(_ config: LocalServerConfiguration) -> String {
        StateDirectory(home: config.home).connectionString
    }

    /// The embedded standby's `application_name` (in `pg_stat_replication`, and the name to put
    /// in `synchronous_standby_names`).
    public static let standbyApplicationName = StandbyCluster.applicationName

    /// Each cluster of the home by name (`primary` always), whether running or not.
    public static func connectionStrings(_ config: LocalServerConfiguration) -> [ClusterName: String] {
        let home = StateDirectory(home: config.home)
        return Dictionary(uniqueKeysWithValues: home.clusters.map { ($0, home.connectionString(of: $0)) })
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
    static let startHolder = "another lampctl that is starting or stopping the server"
    static let resetHolder = "'lampctl db reset' in another process"

    /// Makes sure a ready supervisor runs (kept if `keep`), reusing a live one, replacing an
    /// orphaned postmaster, initialising the cluster on first use.
    static func ensureRunning(_ context: ServerContext, keep: Bool) throws -> SupervisorState {
        let binaries = try ServerBinaries.located(override: context.configuration.binDir)
        try context.paths.prepareSocketDirectory(for: context.account)
        if context.paths.cluster == .primary {
            try Cluster.ensureInitialised(context, binaries)
        } else if !Cluster.isInitialised(context.paths) {
            throw LocalServerError("the \(context.paths.cluster) cluster has not been made: see \(context.paths.logFile)")
        }
        let supervisorLock = try FileLock(context.paths.supervisorLock)
        defer { supervisorLock.close() }
        let deadline = MonotonicClock.now + waitTimeout
        var askedToKeep = false
        let notice = WaitNotice("waiting for the server another lampctl is starting (log \(context.paths.logFile))",
                                report: context.configuration.onWait)
        while MonotonicClock.now < deadline {
            notice.tick()
            if try supervisorLock.tryLock(.exclusive) {
                // No supervisor: whatever state file is left is stale.
                unlink(context.paths.stateFile)
                if let orphan = Postmaster.running(context.paths.dataDirectory) {
                    let notice = WaitNotice("waiting for an unsupervised PostgreSQL server (pid \(orphan)) to stop",
                                            report: context.configuration.onWait)
                    try Postmaster.stopForeign(orphan, dataDirectory: context.paths.dataDirectory, notice: notice)
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
            MonotonicClock.sleep(0.005)
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
            let postmaster = SupervisorState.read(from: paths.stateFile)?.postmasterPID
            let notice = WaitNotice(
                "waiting for the PostgreSQL server\(postmaster.map { " (pid \($0))" } ?? "") to stop; it gets SIGQUIT after 30 s, SIGKILL after 35 s",
                report: context.configuration.onWait)
            let deadline = MonotonicClock.now + waitTimeout
            while MonotonicClock.now < deadline {
                notice.tick()
                if !signalled, let state = SupervisorState.read(from: paths.stateFile) {
                    signalled = kill(state.pid, SIGTERM) == 0 || errno != ESRCH
                }
                if try supervisorLock.tryLock(.exclusive) { break }
                MonotonicClock.sleep(0.005)
            }
            guard try supervisorLock.tryLock(.exclusive) else {
                throw LocalServerError("the local server's supervisor does not stop: see \(paths.logFile)")
            }
            stopped = true
        }
        unlink(paths.stateFile)
        if let orphan = Postmaster.running(paths.dataDirectory) {
            let notice = WaitNotice("waiting for an unsupervised PostgreSQL server (pid \(orphan)) to stop",
                                    report: context.configuration.onWait)
            try Postmaster.stopForeign(orphan, dataDirectory: paths.dataDirectory, notice: notice)
            stopped = true
        }
        return stopped
    }
}
